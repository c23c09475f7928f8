"""``digestgen check``: the built site, checked as a link checker in CI would check it.

Every internal link, image and stylesheet must name a file of the site, every ``#anchor`` an
id on the page it points to; feeds must be well-formed; every document page needs a title and
a date. Problems are reported against the source file of the page they are on. With
``external``, links to other sites are tried too, a few at a time, each with a time-out.
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from digestgen.build import BuildResult


@dataclass(frozen=True, slots=True)
class Problem:
    source: str  # the document's source file, or the output file for generated pages
    message: str
    line: int = 0  # in ``source``, where the link was found there (0: unknown)

    def format(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


def check_site(result: BuildResult, source: Path, *, external: bool = False,
               timeout: float = 10.0, workers: int = 8) -> list[Problem]:
    """Check the output of ``result``, a completed build of the site in ``source``."""
    assert result.site is not None
    output, base = result.output, result.config.base_path
    sources = {_out(p.path): p.doc.source for p in result.site.pages}
    # Where each resolved link of a document was written: its reference's line.
    ref_lines: dict[tuple[str, str], int] = {}
    for p in result.site.pages:
        for ref, href in zip(p.doc.refs, p.hrefs, strict=False):
            ref_lines.setdefault((_out(p.path), html.unescape(href)), ref.line)
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    pages: dict[str, lxml_html.HtmlElement] = {}
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        try:
            tree = lxml_html.fromstring(path.read_bytes())
        except (etree.ParserError, ValueError) as exc:
            problems.append(Problem(sources.get(rel, rel), f"unreadable HTML ({exc})"))
            continue
        pages[rel] = tree
        ids[rel] = {str(v) for v in tree.xpath("//@id | //a/@name")}

    outside: dict[str, set[tuple[str, int]]] = {}
    own = "{0.scheme}://{0.netloc}".format(urlsplit(result.config.base_url))
    for rel, tree in pages.items():
        where = sources.get(rel, rel)
        if tree.xpath("//meta[@http-equiv='refresh']"):
            continue  # an alias's redirect page
        if not (tree.findtext(".//title") or "").strip():
            problems.append(Problem(where, f"{rel} has no <title>"))
        if rel in sources and not tree.xpath("//article//time/@datetime") and not \
                _is_page(result, rel):
            problems.append(Problem(where, f"{rel} shows no date"))
        for element, attribute, link, _ in tree.iterlinks():
            if element.tag in ("form",) or attribute not in ("href", "src"):
                continue
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == own:
                # The site's own address (canonical, og:url, or an author's absolute link):
                # checked against the output, never fetched.
                link = link[len(own):] or "/"
                parts = urlsplit(link)
            elif parts.scheme in ("http", "https"):
                line = _line_of(source / where, link, attribute) if rel in sources else 0
                outside.setdefault(link, set()).add((where, line))
                continue
            if parts.scheme or link.startswith("//"):
                continue  # mailto:, tel:, data:
            problem = _internal(rel, link, output, base, ids, element.tag == "img")
            if problem:
                line = ref_lines.get((rel, link)) or (
                    _line_of(source / where, link, attribute) if rel in sources else 0)
                problems.append(Problem(where, f"{problem} (in {rel})", line))

    for feed in sorted([*output.rglob("feed.xml"), *output.rglob("atom.xml"),
                        *output.rglob("sitemap.xml")]):
        rel = feed.relative_to(output).as_posix()
        try:
            etree.fromstring(feed.read_bytes())
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(rel, f"not well-formed XML: {exc}"))
    for feed in sorted(output.rglob("feed.json")):
        rel = feed.relative_to(output).as_posix()
        try:
            data = json.loads(feed.read_bytes())
            if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
                    "https://jsonfeed.org/version/"):
                raise ValueError("no JSON Feed version")
        except ValueError as exc:
            problems.append(Problem(rel, f"not a JSON Feed: {exc}"))
    if external:
        problems += _external(outside, timeout, workers)
    return sorted(problems, key=lambda p: (p.source, p.message))


def _line_of(source: Path, link: str, attribute: str = "href") -> int:
    """The line of ``source`` where ``link`` is written: as the element's attribute
    (``src=x``, ``src="x"``), as a Markdown link target, as a whole word; failing those, its
    anchor or last path segment. 0 when nothing matches."""
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0
    parts = urlsplit(link)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]).removesuffix(".html")
    written = [w for w in dict.fromkeys((link, unquote(link))) if w]
    exact = [re.compile(rf"\b{attribute}\s*=\s*[\"']?{re.escape(w)}(?=[\"'\s>/]|$)", re.I)
             for w in written]
    exact += [re.compile(rf"\]\(\s*<?{re.escape(w)}(?=[>)\s\"'])") for w in written]
    exact += [re.compile(rf"(?<![\w/.%-]){re.escape(w)}(?![\w/.%-])") for w in written]
    for pattern in exact:
        for number, text in enumerate(lines, 1):
            if pattern.search(text):
                return number
    for needle in (unquote(parts.fragment), segment):
        if needle:
            for number, text in enumerate(lines, 1):
                if needle in text:
                    return number
    return 0


def _out(site_path: str) -> str:
    return site_path + "index.html" if site_path.endswith("/") or not site_path else site_path


def _is_page(result: BuildResult, rel: str) -> bool:
    return any(_out(p.path) == rel and p.doc.kind == "page" for p in result.site.pages)


def _internal(rel: str, link: str, output: Path, base: str, ids: dict[str, set[str]],
              image: bool = False) -> str | None:
    parts = urlsplit(link)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    link = unquote(link)  # as the author wrote it
    if not path:  # "#anchor" on the same page
        target = rel
    elif path.startswith("/"):
        if not path.startswith(base):
            return f"link {link!r} is outside the site's base path {base}"
        target = path[len(base):]
    else:
        target = os.path.normpath(os.path.join(os.path.dirname(rel), path)).replace(os.sep, "/")
        if target.startswith(".."):
            return f"link {link!r} leaves the site"
    if target == "" or target.endswith("/"):
        target += "index.html"
    file = output / target
    if file.is_dir():
        target += "/index.html"
        file = output / target
    if not file.is_file():
        return f"broken {'image' if image else 'link'} {link!r}: no file {target}"
    if fragment and target in ids and fragment not in ids[target]:
        return f"broken anchor {link!r}: no id {fragment!r} in {target}"
    return None


def _external(links: dict[str, set[tuple[str, int]]], timeout: float,
              workers: int) -> list[Problem]:
    def probe(url: str) -> str | None:
        headers = {"User-Agent": "digestgen-check (+link checker)"}
        for method in ("HEAD", "GET"):  # some servers refuse HEAD
            try:
                request = urllib.request.Request(url, method=method, headers=headers)
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    if response.status < 400:
                        return None
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
                if method == "HEAD" and status in (403, 405, 501):
                    continue
                return f"HTTP {status}"
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
                reason = getattr(exc, "reason", exc)
                return f"unreachable ({reason})"
        return f"HTTP {status}"

    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(links, pool.map(probe, links), strict=True))
    for url, failure in results.items():
        if failure:
            for source, line in sorted(links[url]):
                problems.append(Problem(source, f"external link {url}: {failure}", line))
    return problems
