"""The build's own link check: internal links, anchors and images that lead nowhere.

The site graph knows every URL the build writes (pages, aliases, listings, terms, feeds,
copied files, static files), so a link to a site path that none of them is, or to an anchor
that the target page does not have, is found here, cheaply, and reported as a warning at the
line that wrote it. ``digestgen check`` stays the deeper pass, over the written HTML.

What the graph already reports (a Markdown link to a missing document, a missing image next
to a post) is not reported twice: this looks at site-absolute links (``/some-post/``,
``/assets/a.png``, in Markdown or in raw HTML's ``<a href>``, ``<img src>``, which the
renderer records as references too) and ``#anchors`` on documents.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, warning
from digestgen.model import Page, Site

# Pages every build writes besides documents, listings and terms.
_GENERATED = ("", "archive/", "search/", "tags/", "categories/", "series/", "feed.xml",
              "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "404.html", "index.xml")
_PAGINATED_RE = re.compile(r"(?:^|/)page/\d+/$")
_FRAGMENT_RE = re.compile(r"""\bhref\s*=\s*["']#([^"'<>\s]+)["']""")


def unresolved_links(site: Site, config: SiteConfig, static: Iterable[str],
                     source: Path | None = None) -> list[Diagnostic]:
    """Warnings for the internal links of ``site`` that lead to no file the build writes
    (``static``: the static files' site paths), and anchors that are on no page."""
    base = config.base_path
    known: set[str] = set(_GENERATED) | set(static)
    pages: dict[str, Page] = {}
    for p in site.pages:
        known.add(p.path)
        pages[p.path] = p
    known.update(path for path, _ in site.redirects)
    known.update(s.path for s in site.sections)
    known.update(t.path for t in (*site.tags, *site.categories, *site.series))
    known.update(a.output for a in site.assets)
    diags: list[Diagnostic] = []

    def target(href: str) -> tuple[str, str] | None:
        """(site path, fragment) of an internal href, None for another site's."""
        parts = urlsplit(html.unescape(href))
        if parts.scheme or parts.netloc or not parts.path.startswith(base):
            return None
        return unquote(parts.path[len(base):]), unquote(parts.fragment)

    def missing(path: str) -> bool:
        if path in known or _PAGINATED_RE.search(path):
            return False
        # /posts/x (no slash) is served as /posts/x/ by every static host.
        return not (path + "/" in known or path + "index.html" in known
                    or path.removesuffix("index.html") in known)

    for p in site.pages:
        doc, src = p.doc, p.doc.source
        for ref, href in zip(doc.refs, p.hrefs, strict=False):
            if ref.kind not in ("path", "doc", "wiki"):
                continue  # assets: the graph reports a missing one
            found = target(href)
            if found is None:
                continue
            path, fragment = found
            if ref.kind == "path" and missing(path):
                what = f"image {ref.target!r}" if ref.embed else f"link to {ref.target!r}"
                diags.append(warning(src, ref.line, f"{what} leads to no page or file of the "
                                                    f"site"))
            elif fragment and path in pages and not _has_anchor(pages[path], fragment):
                diags.append(warning(src, ref.line, f"link to {ref.target!r}: no heading or "
                                                    f"anchor {fragment!r} on that page"))
        body = doc.body_html
        if 'href="#' in body:
            for m in _FRAGMENT_RE.finditer(body):
                fragment = unquote(html.unescape(m[1]))
                if not fragment.startswith("fn") and not _has_anchor(p, fragment):
                    diags.append(warning(src, _line(source, src, f"#{m[1]}"),
                                         f"link to '#{fragment}': no heading or anchor of "
                                         f"that name on this page"))
    return diags


def _has_anchor(page: Page, fragment: str) -> bool:
    if any(h.id == fragment for h in page.doc.headings):
        return True
    body = page.doc.body_html
    quoted = html.escape(fragment)
    return any(f'{attr}="{quoted}"' in body for attr in ("id", "name"))


def _line(source: Path | None, rel: str, needle: str) -> int:
    """The first line of the document's file that holds ``needle`` (raw HTML has no token
    line); 0 if it cannot be read. Only read for a problem found."""
    if source is None:
        return 0
    try:
        text = (source / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line or html.unescape(needle) in line:
            return number
    return 0
