"""``digestgen import --from jekyll|hexo|gatsby|hugo DIR``: another engine's blog → this site.

Posts are copied, not rewritten. digestgen already reads these engines' frontmatter, their
file-name dates and their page bundles, so the only change a post may need is one new line:
an ``aliases:`` entry for its old URL, which the build turns into a redirect page, or
``draft: true`` for a post from a drafts folder. Every other byte of the author's file is
kept, and an edit is written only if the frontmatter, parsed again, says exactly what it said
before plus the new key.

The old URL is computed the way each engine computes it: permalink styles and placeholders,
its time zone, its slug rules. The new URL is computed by the build's own rule, so an alias
is written only where the two differ.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import posixpath
import re
import tomllib
import unicodedata
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from digestgen.config import SectionConfig, SiteConfig
from digestgen.dates import DateError, date_from_filename, parse_date
from digestgen.errors import Severity

# The build's own URL rule (private there because only the graph and this importer need it):
# using it, not a copy, is what makes "old URL == new URL, no alias" exact.
from digestgen.graph import RESERVED, _site_path
from digestgen.load import load_document
from digestgen.load.frontmatter import FrontmatterError, parse_boolean, split
from digestgen.markdown import MarkdownRenderer
from digestgen.model import SourceFile
from digestgen.textio import DecodeError, decode
from digestgen.urls import UnsafePathError, alias_site_path, safe_site_path, slugify

BLOG_KINDS = ("jekyll", "hexo", "gatsby", "hugo")

# Markdown under names digestgen does not read; imported as .md.
_MARKDOWN = (".md", ".markdown", ".mkd", ".mkdn", ".mkdown", ".mdown", ".mdwn", ".mdtxt",
             ".mdtext", ".markdn")
# Markup the engines publish that digestgen cannot read, named in the report.
_OTHER_MARKUP = {
    ".html": "HTML", ".htm": "HTML", ".textile": "Textile", ".mdx": "MDX (Markdown with JSX)",
    ".org": "Org", ".adoc": "AsciiDoc", ".asciidoc": "AsciiDoc", ".rst": "reStructuredText",
    ".pdc": "Pandoc", ".ipynb": "a Jupyter notebook", ".ejs": "EJS", ".pug": "Pug",
    ".swig": "Swig", ".njk": "Nunjucks",
}
# A site-absolute link with one of these suffixes (or none) is a page, not a file to copy.
_PAGE_SUFFIXES = ("", ".html", ".htm", ".xml", ".md", ".markdown", ".php")


class BlogImportError(Exception):
    """Nothing can be imported: no such folder, not a blog of that kind, or no target section."""


@dataclass(frozen=True, slots=True)
class ConvertedPost:
    """A post now in the site."""

    source: str  # in the blog: "_posts/2024-04-24-hello.md"
    target: str  # in the site: "content/posts/2024-04-24-hello.md"
    new_url: str  # "/posts/hello/", relative to the site's base path
    old_url: str | None  # its URL on the old blog; None for drafts and unknown ones
    alias: str | None  # the alias written into it, if one was
    draft: bool = False
    files: int = 0  # files copied with it (a bundle's images)
    note: str = ""  # why no alias was written; "already imported"; an encoding change


@dataclass(frozen=True, slots=True)
class CopiedFile:
    """A file copied as it is: a bundle's image, or a site file into the static folder."""

    source: str  # in the blog
    target: str  # in the site: "static/assets/a.png", "content/posts/hello/a.png"


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something not imported. ``what`` is ``post`` or ``file`` (lost: the import is
    incomplete), ``page`` (not a post, only reported) or ``reference`` (a file a post links
    to that the old blog did not have either)."""

    source: str
    reason: str
    what: str = "post"


@dataclass(frozen=True, slots=True)
class BlogImport:
    """The report of one import: what was converted, copied and left out."""

    kind: str
    posts: tuple[ConvertedPost, ...]
    files: tuple[CopiedFile, ...]
    skipped: tuple[Skipped, ...]

    @property
    def complete(self) -> bool:
        """Every post and every file was imported (pages and dead links are only reported)."""
        return not any(s.what in ("post", "file") for s in self.skipped)


def import_blog(
    kind: str,
    source_dir: Path,
    site_root: Path,
    config: SiteConfig,
    *,
    section: str | None = None,
    force: bool = False,
) -> BlogImport:
    """Copy the posts and files of the ``kind`` blog in ``source_dir`` into the site at
    ``site_root``: posts into ``section`` (default: the section of kind ``post``), site files
    into the static folder. Never overwrites a different file unless ``force``."""
    if kind not in BLOG_KINDS:
        raise BlogImportError(f"unknown blog engine {kind!r} (use one of {', '.join(BLOG_KINDS)})")
    if not source_dir.is_dir():
        raise BlogImportError(f"{source_dir}: no such folder")
    blog, root = source_dir.resolve(), site_root.resolve()
    if blog == root or _inside(blog, (root / config.content_dir).resolve()):
        raise BlogImportError(
            f"{source_dir}: the blog folder is the site folder or lies in its content; import "
            f"from a blog folder elsewhere")
    target = _target_section(config, section)
    # A site made inside the blog's folder is not part of the blog.
    plan = _PLANNERS[kind](_Blog(blog, root))
    return _Importer(kind, blog, root, config, target, force).run(plan)


def _target_section(config: SiteConfig, name: str | None) -> SectionConfig:
    found = config.section_for_kind("post") if name is None else config.sections.get(name)
    if found is None:
        known = ", ".join(config.sections) or "none"
        wanted = "of kind post" if name is None else repr(name)
        raise BlogImportError(f"no section {wanted} in site.yaml (sections: {known}); "
                              f"pass --section NAME")
    return found


# -- reading the blog --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    raw: bytes
    text: str  # as written: line endings and Unicode form kept (unlike the build's decode)
    encoding: str
    data: dict[str, Any]
    format: str  # "yaml", "toml" or "" (no frontmatter)
    problem: str = ""  # why it cannot be read; "" when it can


def _read(path: Path) -> _Text:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _Text(b"", "", "", {}, "", f"cannot read it: {exc.strerror or exc}")
    try:
        encoding = decode(raw).encoding
    except DecodeError as exc:
        return _Text(raw, "", "", {}, "", f"line {exc.line}: {exc}")
    if encoding == "utf-8-sig":
        text = raw[3:].decode("utf-8")
    else:
        text = raw.decode("utf-16" if encoding == "utf-16" else encoding)
    try:
        fm = split(text)
    except FrontmatterError as exc:
        return _Text(raw, text, encoding, {}, "", f"line {exc.line}: {exc}")
    return _Text(raw, text, encoding, fm.data, fm.format)


@dataclass(frozen=True, slots=True)
class _Blog:
    root: Path
    site: Path  # never walked into, should the site have been made inside the blog


def _walk(top: Path, blog: _Blog, skipped: list[Skipped], *, hidden: tuple[str, ...] = (".",),
          ) -> Iterator[tuple[Path, str]]:
    """Regular files under ``top``, sorted, as (path, POSIX path relative to ``top``, NFC).

    Names starting with ``hidden`` are ignored, as the engine ignores them. A link that leaves
    the blog folder, loops or leads nowhere is skipped with its reason, never followed.
    """
    if not top.is_dir():
        return
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        here = Path(dirpath)
        st = here.stat()
        if here.resolve() == blog.site:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen or not _inside(here.resolve(), blog.root):
            why = "a symlink loop" if (st.st_dev, st.st_ino) in seen else \
                "a symlinked folder that points outside the blog"
            skipped.append(Skipped(_rel(here, blog.root), f"{why}; not followed", "file"))
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(hidden))
        for name in sorted(filenames):
            if name.startswith(hidden) or name.endswith("~"):
                continue
            path = here / name
            if path.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    skipped.append(Skipped(_rel(path, blog.root), "a broken symlink or a "
                                           "symlink loop", "file"))
                    continue
                if not _inside(real, blog.root):
                    skipped.append(Skipped(_rel(path, blog.root), "a symlink that points outside "
                                           "the blog; not copied", "file"))
                    continue
            if not path.is_file():
                skipped.append(Skipped(_rel(path, blog.root), "not a regular file", "file"))
                continue
            yield path, _nfc(path.relative_to(top).as_posix())


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _rel(path: Path, blog: Path) -> str:
    try:
        return _nfc(path.relative_to(blog).as_posix())
    except ValueError:
        return str(path)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _markup(path: Path | str) -> str | None:
    """``"markdown"``, the name of another markup, or None for a plain file."""
    suffix = PurePosixPath(str(path)).suffix.lower()
    return "markdown" if suffix in _MARKDOWN else _OTHER_MARKUP.get(suffix)


def _not_markdown(where: str, markup: str) -> Skipped:
    return Skipped(where, f"{markup}, not Markdown: digestgen reads Markdown posts only; "
                   f"convert it and import again")


def _as_md(rel: str) -> str:
    """``rel`` with a Markdown extension digestgen reads (``.mkd`` → ``.md``)."""
    suffix = PurePosixPath(rel).suffix
    return rel if suffix.lower() in (".md", ".markdown") else rel[: -len(suffix)] + ".md"


def _config_file(path: Path) -> dict[str, Any]:
    """A blog's own settings (YAML, TOML or JSON by extension); {} if the file is absent."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError,
            json.JSONDecodeError) as exc:
        raise BlogImportError(f"{path}: cannot read the blog's settings: "
                              f"{str(exc).splitlines()[0]}") from None
    return data if isinstance(data, dict) else {}


def _zone(name: Any) -> tzinfo:
    """The blog's time zone; its build machine's is unknown, so UTC (as GitHub's runners)."""
    try:
        return ZoneInfo(str(name)) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _date(data: dict[str, Any], keys: tuple[str, ...], tz: tzinfo) -> datetime | None:
    for key in keys:
        if data.get(key) not in (None, ""):
            try:
                return parse_date(data[key], tz)
            except DateError:
                return None
    return None


# The placeholders of Jekyll's, Hexo's and Hugo's permalinks. Any other ":word" in a URL is
# text; one of these left unfilled means the URL cannot be known (or, in a post's own
# `permalink:`, that the engine filled it in, which digestgen does not do).
_ENGINE_PLACEHOLDER_RE = re.compile(
    r":(?:year|month|day|i_month|i_day|hour|minute|second|title|slug|categories|category|name"
    r"|post_title|output_ext|short_year|y_day|short_month|long_month|week|short_day|long_day"
    r"|id|hash|section|sections|filename|slugorfilename|contentbasename)(?![a-z_])")


def _fill(pattern: str, values: dict[str, str | None]) -> tuple[str | None, str]:
    """A permalink pattern with its ``:name`` placeholders filled: (URL, "") or (None, why)."""
    missing = ""

    def repl(m: re.Match) -> str:
        nonlocal missing
        value = values.get(m[1])
        if value is None:
            missing = missing or m[1]
            return m[0]
        return value

    names = sorted(values, key=len, reverse=True)
    known = re.compile(":(" + "|".join(map(re.escape, names)) + ")(?![a-z_])") if names else None
    url = known.sub(repl, pattern) if known else pattern
    # Another ":word" is text to Jekyll; a placeholder the engine knows cannot be guessed.
    if missing or (m := _ENGINE_PLACEHOLDER_RE.search(url)):
        name = missing or m[0][1:]
        return None, f"old URL unknown: permalink {pattern!r} uses :{name}, which cannot be " \
            f"filled in for this post"
    url = "/" + url.lstrip("/")
    return re.sub(r"/{2,}", "/", url.replace("/./", "/")), ""


def _date_values(date: datetime) -> dict[str, str | None]:
    return {
        "year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}",
        "hour": f"{date:%H}", "minute": f"{date:%M}", "second": f"{date:%S}",
        "i_month": str(date.month), "i_day": str(date.day), "short_year": f"{date:%y}",
        "y_day": f"{date:%j}", "short_month": f"{date:%b}", "long_month": f"{date:%B}",
        "week": f"{date:%V}", "w_year": f"{date:%G}", "w_day": f"{date:%u}",
        "short_day": f"{date:%a}", "long_day": f"{date:%A}",
    }


# -- planning: what each engine has, and the URL it served it at -------------------------------


@dataclass(frozen=True, slots=True)
class _Post:
    path: Path
    rel: str  # in the blog, for the report
    target: str  # under the section folder: "2024-04-24-hello.md", "its-a-post/index.md"
    text: _Text
    old_url: str | None
    why_no_url: str = ""
    draft: bool = False  # from a drafts folder: gets `draft: true`
    files: tuple[tuple[Path, str, str], ...] = ()  # (path, rel in blog, target under section)


@dataclass
class _Plan:
    posts: list[_Post] = field(default_factory=list)
    # Files copied as they are: (path, rel in blog, target under the section folder).
    beside: list[tuple[Path, str, str]] = field(default_factory=list)
    # Files for the static folder: (path, rel in blog, target under static/).
    static: list[tuple[Path, str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Jekyll: a site-absolute link in a post names a file at that path under this folder.
    link_root: Path | None = None


def _bundle_dirs(dirs: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each page-bundle folder (old relative path) → its new one, named by a safe slug;
    and the folders that cannot be named."""
    renamed: dict[str, str] = {}
    unnamed = []
    for old in sorted(dirs, key=lambda d: d.count("/")):
        name = slugify(PurePosixPath(old).name)
        if not name:
            unnamed.append(old)
            continue
        parent = posixpath.dirname(old)
        renamed[old] = posixpath.join(_renamed(parent, renamed), name) if parent else name
    return renamed, unnamed


def _renamed(rel: str, bundles: dict[str, str]) -> str:
    """``rel`` with its innermost enclosing bundle folder (or itself) renamed."""
    parts = PurePosixPath(rel).parts
    for k in range(len(parts), 0, -1):
        head = "/".join(parts[:k])
        if head in bundles:
            return posixpath.join(bundles[head], *parts[k:]) if k < len(parts) else bundles[head]
    return rel


def _owner(rel: str, bundles: Container[str]) -> str | None:
    """The bundle folder ``rel`` lies in, if any."""
    for parent in PurePosixPath(rel).parents:
        if str(parent) in bundles:
            return str(parent)
    return None


# Jekyll ----------------------------------------------------------------------------------------

_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_POST_RE = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.+)$")


def _plan_jekyll(src: _Blog) -> _Plan:
    blog = src.root
    if not (blog / "_posts").is_dir():
        raise BlogImportError(f"{blog} is not a Jekyll blog: it has no _posts/ folder "
                              f"(expected _posts/ and _config.yml)")
    conf = _config_file(blog / "_config.yml")
    tz = _zone(conf.get("timezone"))
    style = str(conf.get("permalink") or "date")
    pattern = _JEKYLL_STYLES.get(style, style)
    plan = _Plan(link_root=blog)
    hidden = (".", "_", "#")
    for path, rel in _walk(blog / "_posts", src, plan.skipped, hidden=hidden):
        where = f"_posts/{rel}"
        markup = _markup(rel)
        if markup is None:
            plan.skipped.append(Skipped(where, "not a post (Jekyll does not publish other files "
                                        "from _posts/)", "file"))
            continue
        if markup != "markdown":
            plan.skipped.append(_not_markdown(where, markup))
            continue
        m = _JEKYLL_POST_RE.match(PurePosixPath(rel).stem)
        if not m:
            plan.skipped.append(Skipped(where, "not named YYYY-MM-DD-title.md, so Jekyll never "
                                        "published it; rename it to import it"))
            continue
        text = _read(path)
        old, why = _jekyll_url(text, m, pattern, tz) if not text.problem else (None, "")
        plan.posts.append(_Post(path, where, _as_md(rel), text, old, why))
    for path, rel in _walk(blog / "_drafts", src, plan.skipped, hidden=hidden):
        where = f"_drafts/{rel}"
        markup = _markup(rel)
        if markup == "markdown":
            plan.posts.append(_Post(path, where, _as_md(rel), _read(path), None,
                                    "a draft, never published", draft=True))
        elif markup:
            plan.skipped.append(_not_markdown(where, markup))
    return plan


def _jekyll_url(text: _Text, name: re.Match, pattern: str, tz: tzinfo) -> tuple[str | None, str]:
    data = text.data
    if parse_boolean(data.get("published")) is False:
        return None, "published: false, so Jekyll never published it"
    own = data.get("permalink")
    if isinstance(own, str) and own.strip():
        pattern = own.strip()
    # Jekyll reads every date in the machine's zone (its `timezone:`, else the system's).
    date = _date(data, ("date",), tz) or date_from_filename(name[1], tz)
    if date is None:
        return None, "old URL unknown: its date cannot be read"
    slug = str(data["slug"]) if data.get("slug") not in (None, "") else name[2]
    values = _date_values(date.astimezone(tz))
    values.update(
        title=_jekyll_slugify(slug, pretty=True), slug=_jekyll_slugify(slug, pretty=False),
        name=_jekyll_slugify(f"{name[1]}-{name[2]}", pretty=False),
        categories=_jekyll_categories(data), output_ext=".html", collection="posts",
    )
    return _fill(pattern, values)


def _jekyll_slugify(text: str, *, pretty: bool) -> str:
    """Jekyll's ``Utils.slugify``: ``pretty`` keeps case and ``._~!$&'()+,;=@`` (for :title);
    the default mode lower-cases (for :slug). Letters, marks and digits are kept in both."""
    keep = "._~!$&'()+,;=@" if pretty else ""
    out = "".join(
        ch if unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) == "Nd"
        or ch in keep else "-"
        for ch in text
    )
    out = re.sub(r"-{2,}", "-", out).strip("-")
    return out if pretty else out.lower()


def _jekyll_categories(data: dict[str, Any]) -> str:
    names: list[str] = []
    value = data.get("categories")
    if isinstance(value, str):
        names += value.split()
    elif isinstance(value, list):
        names += [str(v) for v in value if v is not None and not isinstance(v, (list, dict))]
    if data.get("category") not in (None, ""):
        names.append(str(data["category"]))
    return "/".join(dict.fromkeys(n.lower() for n in names if n))


# Hexo ------------------------------------------------------------------------------------------

_HEXO_SPECIAL_RE = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")


def _plan_hexo(src: _Blog) -> _Plan:
    blog = src.root
    source = blog / "source"
    if not (source / "_posts").is_dir():
        raise BlogImportError(f"{blog} is not a Hexo blog: it has no source/_posts/ folder "
                              f"(expected source/_posts/ and _config.yml)")
    conf = _config_file(blog / "_config.yml")
    tz = _zone(conf.get("timezone"))
    pattern = str(conf.get("permalink") or ":year/:month/:day/:title/")
    name_rule = _hexo_name_rule(str(conf.get("new_post_name") or ":title.md"))
    plan = _Plan()
    # Hexo skips names starting with "_" or "." in source/ (except _posts and _drafts).
    hidden = (".", "_", "#")
    for folder, draft in (("_posts", False), ("_drafts", True)):
        files = list(_walk(source / folder, src, plan.skipped, hidden=hidden))
        # post_asset_folder: source/_posts/<name>/ beside <name>.md holds that post's files.
        posts = {rel[: -len(PurePosixPath(rel).suffix)]: (path, rel) for path, rel in files
                 if _markup(rel) == "markdown"}
        owned = {d for d in posts if any(r.startswith(d + "/") for _, r in files)}
        bundles, unnamed = _bundle_dirs(sorted(owned))
        extras: dict[str, list[tuple[Path, str, str]]] = {d: [] for d in owned}
        for path, rel in files:
            where, markup = f"source/{folder}/{rel}", _markup(rel)
            owner = _owner(rel, owned)
            if markup == "markdown":
                continue  # a post (Hexo reads one even inside an asset folder), below
            if markup is not None:
                plan.skipped.append(_not_markdown(where, markup))
            elif owner is None:
                plan.skipped.append(Skipped(where, "not a post, and not in a post's asset folder",
                                            "file"))
            elif owner in bundles:
                extras[owner].append((path, where, _renamed(rel, bundles)))
        for stem, (path, rel) in sorted(posts.items()):
            where = f"source/{folder}/{rel}"
            if stem in unnamed:
                plan.skipped.append(Skipped(where, "its asset folder's name gives no usable "
                                            "folder name; rename it"))
                continue
            target = (f"{bundles[stem]}/index.md" if stem in bundles
                      else _as_md(_renamed(rel, bundles)))
            text = _read(path)
            if draft:
                old, why = None, "a draft, never published"
            elif text.problem:
                old, why = None, ""
            else:
                old, why = _hexo_url(text, name_rule(stem), pattern, tz, conf)
            plan.posts.append(_Post(path, where, target, text, old, why, draft,
                                    tuple(extras.get(stem, ()))))
    for path, rel in _walk(source, src, plan.skipped, hidden=hidden):
        where = f"source/{rel}"
        markup = _markup(rel)
        if markup in ("markdown", "EJS", "Pug", "Swig", "Nunjucks"):
            plan.skipped.append(Skipped(where, "a Hexo page, not a post; copy it into content/ "
                                        "by hand if the site needs it", "page"))
        else:
            plan.static.append((path, where, rel))
    return plan


def _hexo_name_rule(rule: str) -> Callable[[str], dict[str, str]]:
    """What Hexo's ``new_post_name`` pattern reads from a post's path (its ``title``, and a
    date if the pattern names one)."""
    groups = {"year": r"(?P<year>\d{4})", "month": r"(?P<month>\d{2})",
              "day": r"(?P<day>\d{2})", "i_month": r"(?P<i_month>\d{1,2})",
              "i_day": r"(?P<i_day>\d{1,2})", "title": r"(?P<title>.+)"}
    stem = rule[: -len(PurePosixPath(rule).suffix)] if PurePosixPath(rule).suffix else rule
    parts = re.split(r":(year|month|day|i_month|i_day|title)\b", stem)
    regex = "".join(groups[p] if i % 2 else re.escape(p) for i, p in enumerate(parts))
    compiled = re.compile(f"^{regex}$") if "(?P<title>" in regex else None

    def read(path: str) -> dict[str, str]:
        m = compiled.match(path) if compiled else None
        # Hexo's parseFilename falls back to the slugized path.
        return {k: v for k, v in m.groupdict().items() if v} if m else \
            {"title": _hexo_slugize(path)}

    return read


def _hexo_url(text: _Text, info: dict[str, str], pattern: str, tz: tzinfo,
              conf: dict[str, Any]) -> tuple[str | None, str]:
    data = text.data
    if parse_boolean(data.get("published")) is False:
        return None, "published: false, so Hexo never published it"
    own = data.get("permalink")
    if isinstance(own, str) and own.strip():
        return "/" + own.strip().lstrip("/"), ""
    slug = info["title"]
    date = _date(data, ("date",), tz)
    if date is None and "year" in info:
        month, day = info.get("month") or info.get("i_month"), info.get("day") or info.get("i_day")
        if month and day:
            date = _date({"d": f"{info['year']}-{month}-{day}"}, ("d",), tz)
    # Hexo fills any other placeholder from the frontmatter key of that name (:lang, say).
    values: dict[str, str | None] = {
        k: str(v) for k, v in data.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    if date is not None:
        date = date.astimezone(tz)
        values.update(_date_values(date))
        values["hash"] = hashlib.sha1(f"{slug}{int(date.timestamp())}".encode()).hexdigest()[12:16]
    values.update(
        title=slug, name=PurePosixPath(slug).name,
        post_title=_hexo_slugize(str(data.get("title") or ""), 1),
        category=_hexo_category(data, conf),
    )
    values.pop("id", None)  # a database id, unknowable from the files
    return _fill(pattern, values)


def _hexo_slugize(text: str, transform: int = 0) -> str:
    """hexo-util's ``slugize``: control characters dropped, punctuation and spaces → ``-``."""
    text = "".join(unicodedata.normalize("NFD", ch)[0] if "LATIN" in unicodedata.name(ch, "")
                   else ch for ch in text)
    text = re.sub(r"[\x00-\x1f]", "", text)
    text = _HEXO_SPECIAL_RE.sub("-", text).strip("-")
    return text.lower() if transform == 1 else text.upper() if transform == 2 else text


def _hexo_category(data: dict[str, Any], conf: dict[str, Any]) -> str:
    """The :category of a Hexo permalink: the path of the post's last (deepest) category."""
    value = data.get("categories", data.get("category"))
    if isinstance(value, list) and value and isinstance(value[-1], list):
        value = value[-1]
    path = [value] if isinstance(value, (str, int)) else value if isinstance(value, list) else []
    names = [str(v) for v in path if isinstance(v, (str, int)) and str(v).strip()]
    if not names:
        return str(conf.get("default_category") or "uncategorized")
    mapping = conf.get("category_map") if isinstance(conf.get("category_map"), dict) else {}
    case = conf.get("filename_case") if conf.get("filename_case") in (1, 2) else 0
    return "/".join(_hexo_slugize(str(mapping.get(n, n)), case) for n in names)


# Gatsby ----------------------------------------------------------------------------------------

# gatsby-starter-hoodie keeps posts in contents/posts/ and serves each at /<folder>/;
# gatsby-starter-blog keeps them in content/blog/ and serves them at /<path>/.
_GATSBY_ROOTS = ("contents/posts", "content/blog", "content/posts")


def _plan_gatsby(src: _Blog) -> _Plan:
    blog = src.root
    roots = [r for r in _GATSBY_ROOTS if (blog / r).is_dir()]
    if not roots:
        raise BlogImportError(f"{blog} is not a Gatsby blog: it has no contents/posts/, "
                              f"content/blog/ or content/posts/ folder")
    plan = _Plan()
    for root in roots:
        flat = root == "contents/posts"
        files = list(_walk(blog / root, src, plan.skipped))
        _plan_bundled(plan, files, root, lambda text, stem, f=flat: "/" + (
            stem.rpartition("/")[2] if f else stem) + "/")
    for path, rel in _walk(blog / "static", src, plan.skipped):
        plan.static.append((path, f"static/{rel}", rel))
    return plan


_INDEX_NAMES = ("index.md", "index.markdown")


def _plan_bundled(plan: _Plan, files: list[tuple[Path, str]], root: str,
                  old_url: Callable[[_Text, str], str | None], *, hugo: bool = False) -> None:
    """Posts of a folder of page bundles (``<name>/index.md`` and its files) and loose Markdown
    files; other files are copied to the same place under the section. ``old_url(text, stem)``
    is a post's URL on the old blog (``stem``: its path without ``/index.md`` or extension)."""
    dirs = sorted({posixpath.dirname(rel) for _, rel in files
                   if PurePosixPath(rel).name.lower() in _INDEX_NAMES and "/" in rel})
    bundles, unnamed = _bundle_dirs(dirs)
    resources: dict[str, list[tuple[Path, str, str]]] = {d: [] for d in dirs}
    posts: list[tuple[str | None, _Post]] = []
    for path, rel in files:
        where, name, markup = f"{root}/{rel}", PurePosixPath(rel).name, _markup(rel)
        is_index = name.lower() in _INDEX_NAMES and posixpath.dirname(rel) in resources
        owner = posixpath.dirname(rel) if is_index else _owner(rel, set(dirs))
        if owner in unnamed:
            if is_index:
                plan.skipped.append(Skipped(where, "its folder's name gives no usable folder "
                                            "name; rename the folder and import again"))
            continue
        if hugo and name.lower().startswith("_index."):
            plan.skipped.append(Skipped(where, "a list page (_index.md), not a post", "page"))
            continue
        if not is_index and owner is not None and (markup is None or hugo):
            if markup is None:
                resources[owner].append((path, where, _renamed(rel, bundles)))
            else:  # in a Hugo leaf bundle, any other content file is a resource, not a page
                plan.skipped.append(Skipped(where, f"a resource of the bundle {root}/{owner}/; "
                                            f"not copied (digestgen would publish it as a page)",
                                            "file"))
            continue
        if markup is None:
            plan.beside.append((path, where, _renamed(rel, bundles)))
            continue
        if markup != "markdown":
            plan.skipped.append(_not_markdown(where, markup))
            continue
        text = _read(path)
        if hugo and not text.format and re.match(r"\s*\{\s*\"", text.text):
            plan.skipped.append(Skipped(where, "JSON frontmatter, which digestgen does not read; "
                                        "rewrite it as YAML or TOML and import again"))
            continue
        if is_index:
            stem = posixpath.dirname(rel)
            target = f"{bundles[stem]}/{_as_md(name)}"
        else:
            stem = rel[: -len(PurePosixPath(rel).suffix)]
            target = _as_md(_renamed(rel, bundles))
        old = None if text.problem else old_url(text, stem)
        why = "" if old or text.problem else "old URL unknown"
        posts.append((stem if is_index else None,
                      _Post(path, where, target, text, old and _nfc(old), why)))
    for bundle, post in posts:
        if bundle is not None:
            post = dataclasses.replace(post, files=tuple(resources.pop(bundle, ())))
        plan.posts.append(post)


# Hugo ------------------------------------------------------------------------------------------

_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                 "config.yml", "config.json")


def _plan_hugo(src: _Blog) -> _Plan:
    blog = src.root
    found = next((blog / d / n for d in (".", "config/_default") for n in _HUGO_CONFIGS
                  if (blog / d / n).is_file()), None)
    conf = {str(k).lower(): v for k, v in _config_file(found).items()} if found else {}
    content = (blog / str(conf.get("contentdir") or "content")).resolve()
    if found is None or not content.is_dir() or not _inside(content, blog):
        raise BlogImportError(f"{blog} is not a Hugo blog: it has no hugo.toml or config.toml "
                              f"(or .yaml, .json) beside a content/ folder")
    tz = _zone(conf.get("timezone"))
    plan = _Plan()
    content_rel = content.relative_to(blog).as_posix()
    for entry in sorted(content.iterdir()):
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        where = _nfc(f"{content_rel}/{entry.name}")
        if entry.is_dir() and not any((entry / n).is_file() for n in _INDEX_NAMES):
            section = _nfc(entry.name)
            files = list(_walk(entry, src, plan.skipped))
            _plan_bundled(plan, files, where, lambda text, stem, s=section: _hugo_url(
                text.data, s, stem, conf, tz), hugo=True)
        elif entry.is_dir() or _markup(entry.name):
            plan.skipped.append(Skipped(where, "a page at the top of the site, not a post; copy "
                                        "it into content/ by hand if the site needs it", "page"))
        else:
            plan.skipped.append(Skipped(where, "a file at the top of content/, not part of a "
                                        "post", "file"))
    static = conf.get("staticdir") if isinstance(conf.get("staticdir"), str) else "static"
    if _inside((blog / static).resolve(), blog):
        for path, rel in _walk(blog / static, src, plan.skipped):
            plan.static.append((path, _nfc(f"{static}/{rel}"), rel))
    return plan


def _hugo_url(data: dict[str, Any], section: str, stem: str, conf: dict[str, Any],
              tz: tzinfo) -> str | None:
    """A Hugo page's URL: ``url:``, else the section's ``permalinks`` pattern, else
    ``/<section>/<folders>/<slug or name>/``; sanitised and lower-cased as Hugo does."""
    data = {str(k).lower(): v for k, v in data.items()}
    lower = not parse_boolean(conf.get("disablepathtolower"))
    if isinstance(data.get("url"), str) and data["url"].strip():
        return "/" + data["url"].strip().lstrip("/")
    folders, _, name = stem.rpartition("/")
    slug = str(data["slug"]) if data.get("slug") not in (None, "") else None
    title = str(data.get("title") or "")
    permalinks = conf.get("permalinks") if isinstance(conf.get("permalinks"), dict) else {}
    permalinks = {str(k).lower(): v for k, v in permalinks.items()}
    page = permalinks.get("page") if isinstance(permalinks.get("page"), dict) else permalinks
    pattern = next((v for k, v in page.items() if str(k).lower() == section.lower()), None)
    if isinstance(pattern, str):
        date = _date(data, ("date", "publishdate", "pubdate", "published"), tz)
        values: dict[str, str | None] = _date_values(date) if date else {}
        urlized = _hugo_path(title, True)
        values.update(
            section=section, sections="/".join([section, *filter(None, folders.split("/"))]),
            title=urlized, slug=slug or urlized, filename=name, contentbasename=name,
            slugorfilename=slug or name, slugorcontentbasename=slug or name,
        )
        url, _ = _fill(pattern, values)
        return _hugo_path(url, lower) if url else None
    parts = [section, *filter(None, folders.split("/")), slug or name]
    path = "/" + "/".join(parts)
    path = path + ".html" if parse_boolean(conf.get("uglyurls")) else path + "/"
    return _hugo_path(path, lower)


def _hugo_path(text: str, lower: bool) -> str:
    """Hugo's ``MakePathSanitized``: letters, digits, marks and ``./_#+~-@`` kept, spaces →
    ``-``, anything else dropped; lower-cased unless ``disablePathToLower``."""
    out: list[str] = []
    for ch in text:
        if ch in "./\\_#+~-@" or unicodedata.category(ch)[0] in "LM" \
                or unicodedata.category(ch) == "Nd":
            out.append(ch)
        elif ch.isspace() and out and out[-1] != "-":
            out.append("-")
    path = "".join(out)
    return path.lower() if lower else path


_PLANNERS: dict[str, Callable[[_Blog], _Plan]] = {
    "jekyll": _plan_jekyll, "hexo": _plan_hexo, "gatsby": _plan_gatsby, "hugo": _plan_hugo,
}


# -- converting: load each post as the build will, add what it needs, write it -----------------


class _Refused(Exception):
    """A file that must not be written (it exists, or the path leads out of the site)."""


class _Importer:
    def __init__(self, kind: str, blog: Path, root: Path, config: SiteConfig,
                 section: SectionConfig, force: bool):
        self.kind, self.blog, self.root, self.config = kind, blog, root, config
        self.section, self.force = section, force
        self.content = root / config.content_dir / section.dir
        self.static = root / config.static_dir
        self.renderer = MarkdownRenderer(config.markdown)
        self.urls: dict[str, str] = {}  # new site path → the post that took it
        self.aliases: dict[str, str] = {}  # alias site path → the post it redirects to
        self.written: dict[Path, str] = {}  # file written (or found identical) → its source

    def run(self, plan: _Plan) -> BlogImport:
        posts: list[ConvertedPost] = []
        files: list[CopiedFile] = []
        skipped = list(plan.skipped)
        texts: list[tuple[str, str]] = []
        for post in sorted(plan.posts, key=lambda p: p.rel):
            try:
                done, copied, lost = self._post(post)
            except _Refused as exc:
                skipped.append(Skipped(post.rel, str(exc)))
                continue
            posts.append(done)
            files.extend(copied)
            skipped.extend(lost)
            texts.append((post.rel, post.text.text))
        for path, rel, target in plan.beside:
            self._copy(path, rel, self.content / target, files, skipped)
        for path, rel, target in plan.static:
            self._copy(path, rel, self.static / target, files, skipped)
        if plan.link_root is not None:
            self._linked(plan.link_root, texts, files, skipped)
        return BlogImport(self.kind, tuple(posts), tuple(files), tuple(skipped))

    def _post(self, post: _Post) -> tuple[ConvertedPost, list[CopiedFile], list[Skipped]]:
        text = post.text
        if text.problem:
            raise _Refused(text.problem)
        content_path = _nfc(f"{self.section.dir}/{post.target}")
        doc, diags = load_document(
            SourceFile(rel_path=f"{self.config.content_dir}/{content_path}",
                       content_path=content_path, section=self.section.name,
                       kind=self.section.kind, abs_path=str(post.path)),
            self.config, self.renderer)
        errors = [d for d in diags if d.severity == Severity.ERROR]
        if doc is None or errors:
            first = errors[0] if errors else None
            raise _Refused(f"line {first.line}: {first.message}" if first and first.line
                           else first.message if first else "digestgen cannot load it")
        if doc.permalink and _ENGINE_PLACEHOLDER_RE.search(doc.permalink):
            raise _Refused(f"its permalink {doc.permalink!r} has placeholders, which digestgen "
                           f"does not fill in; write the URL itself (or remove it) and import "
                           f"again")
        try:
            path = _site_path(doc, self.config)
        except UnsafePathError as exc:
            raise _Refused(str(exc)) from None
        if not path or path.startswith(RESERVED) or path == "404.html":
            raise _Refused(f"its URL /{path} is reserved for digestgen's own pages; set `slug:`")
        if path in self.urls:
            raise _Refused(f"its URL /{path} is already the URL of {self.urls[path]}; give one "
                           f"of them another `slug:`")
        alias, note = self._alias(post, doc, path)
        draft = post.draft and not doc.draft
        data = text.raw
        if alias or draft:
            edited = _add_keys(text, draft=draft, alias=alias)
            if edited is None and draft:
                raise _Refused("cannot mark it `draft: true` safely (it has a `draft` key, or "
                               "its frontmatter is unusual); add it by hand and import again")
            if edited is None:
                alias, note = None, (f"alias not written: its aliases/redirect_from is written in "
                                     f"a way that cannot be extended safely; add {post.old_url} "
                                     f"by hand")
            else:
                bom = b"\xef\xbb\xbf" if text.encoding == "utf-8-sig" else b""
                data = bom + edited.encode("utf-8")
                if text.encoding not in ("utf-8", "utf-8-sig"):
                    note = ", ".join(filter(None, [note, f"converted from {text.encoding} to "
                                                          f"UTF-8"]))
        target = self.content / post.target
        if not self._put(target, data, post.rel):
            note = ", ".join(filter(None, ["already imported", note]))
        self.urls[path] = post.rel
        if alias:
            self.aliases[_alias_path(alias, self.config.base_path)] = post.rel
        copied: list[CopiedFile] = []
        lost: list[Skipped] = []
        for src, rel, beside in post.files:
            self._copy(src, rel, self.content / beside, copied, lost)
        return ConvertedPost(
            post.rel, self._shown(target), "/" + path, post.old_url, alias,
            post.draft or doc.draft, len(copied), note), copied, lost

    def _alias(self, post: _Post, doc, path: str) -> tuple[str | None, str]:
        """The alias to write for the post's old URL, or (None, why not)."""
        if post.draft:
            return None, ""  # the report says "draft"
        if post.old_url is None or doc.draft:
            return None, post.why_no_url or "a draft, never published"
        try:
            old = _alias_path(post.old_url, self.config.base_path)
        except UnsafePathError:
            return None, f"old URL {post.old_url!r} leaves the site; no alias written"
        if old in (path, path.rstrip("/")):
            return None, "URL unchanged"
        existing = set()
        for alias in doc.aliases:
            try:
                existing.add(_alias_path(alias, self.config.base_path))
            except UnsafePathError:
                continue
        if old in existing:
            return None, f"its aliases already redirect {post.old_url}"
        if old in self.aliases:
            return None, f"{post.old_url} already redirects to {self.aliases[old]}"
        if old in self.urls:
            return None, f"{post.old_url} is now the URL of {self.urls[old]}"
        # On macOS and Windows a redirect whose path differs only in case would overwrite the
        # page, which would then redirect to itself.
        folded = old.rstrip("/").casefold()
        if any(folded == p.rstrip("/").casefold() for p in [path, *self.urls]):
            return None, (f"no alias: {post.old_url} differs from a page's URL only in letter "
                          f"case, and would overwrite it on macOS and Windows")
        return post.old_url, ""

    def _copy(self, path: Path, rel: str, target: Path, copied: list[CopiedFile],
              lost: list[Skipped]) -> None:
        try:
            data = path.read_bytes()
            self._put(target, data, rel)
        except OSError as exc:
            lost.append(Skipped(rel, f"cannot read it: {exc.strerror or exc}", "file"))
        except _Refused as exc:
            lost.append(Skipped(rel, str(exc), "file"))
        else:
            copied.append(CopiedFile(rel, self._shown(target)))

    def _linked(self, link_root: Path, texts: list[tuple[str, str]], files: list[CopiedFile],
                skipped: list[Skipped]) -> None:
        """Copy the files posts link to by site-absolute path (``/assets/a.png``) into the
        static folder at that path, so the links keep working."""
        seen: set[str] = set()
        for where, text in texts:
            for link in _site_links(text):
                path = unquote(urlsplit(link).path)
                if PurePosixPath(path).suffix.lower() in _PAGE_SUFFIXES:
                    continue
                try:
                    rel = _nfc(safe_site_path(path))
                except UnsafePathError:
                    skipped.append(Skipped(link, f"linked from {where}; leaves the site, not "
                                           f"copied", "reference"))
                    continue
                if rel in seen:
                    continue
                seen.add(rel)
                source = link_root / rel
                if not source.is_file():
                    source = link_root / unicodedata.normalize("NFD", rel)  # saved on macOS
                real = source.resolve() if source.is_file() else None
                if real is None or not _inside(real, self.blog):
                    skipped.append(Skipped("/" + rel, f"linked from {where}, but not in the blog",
                                           "reference"))
                    continue
                self._copy(source, rel, self.static / rel, files, skipped)

    def _put(self, target: Path, data: bytes, source: str) -> bool:
        """Write ``data`` to ``target`` (True), or find it there already (False); raise
        :class:`_Refused` for a different file (without ``force``) or a path out of the site."""
        shown = self._shown(target)
        rel = Path(os.path.normpath(target)).relative_to(self.root) \
            if _inside(Path(os.path.normpath(target)), self.root) else None
        if rel is None or any(
            part in ("", ".", "..") or "\\" in part
            or any(unicodedata.category(c) == "Cc" for c in part) for part in rel.parts
        ):
            raise _Refused(f"{shown}: not a safe path inside the site")
        if target in self.written:
            raise _Refused(f"{shown} is also where {self.written[target]} goes; rename one of "
                           f"them")
        self._inside_site(target)
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise _Refused(f"{shown} exists and is not a plain file; not replaced")
        if target.exists():
            if target.read_bytes() == data:
                self.written[target] = source
                return False
            if not self.force:
                raise _Refused(f"{shown} already exists; pass --force to overwrite it")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._inside_site(target)
            # Written beside and renamed into place: never a half-written file, and a link
            # planted at the target is replaced, not followed.
            temp = target.with_name(f".{target.name}.digestgen-import")
            temp.write_bytes(data)
            os.replace(temp, target)
        except OSError as exc:
            raise _Refused(f"cannot write {shown}: {exc.strerror or exc}") from None
        self.written[target] = source
        return True

    def _inside_site(self, target: Path) -> None:
        """The nearest existing folder of ``target`` must really be inside the site (a
        symlinked folder in the site must not lead the write elsewhere)."""
        probe = target.parent
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not _inside(probe.resolve(), self.root):
            raise _Refused(f"{self._shown(target)} would be written outside the site (through "
                           f"a symlinked folder)")

    def _shown(self, target: Path) -> str:
        try:
            return _nfc(target.relative_to(self.root).as_posix())
        except ValueError:
            return str(target)


def _alias_path(alias: str, base_path: str) -> str:
    """The site path the build makes of an alias (the same rule: urls.alias_site_path)."""
    return alias_site_path(alias, base_path)


# -- adding keys to frontmatter, keeping every other byte --------------------------------------

_BOUNDARY = {"yaml": re.compile(r"-{3,}\s*"), "toml": re.compile(r"\+{3,}\s*")}
_ALIAS_KEYS = ("aliases", "redirect_from")


def _add_keys(text: _Text, *, draft: bool, alias: str | None) -> str | None:
    """``text`` with ``draft: true`` and/or ``alias`` added to its frontmatter; None when that
    cannot be done safely. New keys are new lines (YAML: before the closing ``---``; TOML:
    after the opening ``+++``, since a key after a ``[table]`` would belong to the table).
    An existing ``aliases``/``redirect_from`` list is extended in place. The result is parsed
    again and must say exactly what the original said, plus the new values."""
    lines = text.text.splitlines(keepends=True)
    nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    quoted = json.dumps(alias, ensure_ascii=False) if alias else ""  # valid in YAML and TOML
    expected = dict(text.data)
    yaml_style = text.format != "toml"
    new: list[str] = []
    if draft:
        if "draft" in text.data:
            return None
        new.append(("draft: true" if yaml_style else "draft = true") + nl)
        expected["draft"] = True
    key = next((k for k in _ALIAS_KEYS if text.data.get(k) is not None), None)
    if alias and key is None:
        if any(k in text.data for k in _ALIAS_KEYS):  # present but empty: two keys would clash
            return None
        new.append((f"aliases: [{quoted}]" if yaml_style else f"aliases = [{quoted}]") + nl)
        expected["aliases"] = [alias]
    if not text.format:
        out = "".join([f"---{nl}", *new, f"---{nl}", text.text])
    else:
        close = next((i for i in range(1, len(lines))
                      if _BOUNDARY[text.format].fullmatch(lines[i].rstrip("\r\n"))), None)
        if close is None:
            return None
        inner = lines[1:close]
        if alias and key is not None:
            old = text.data[key]
            if not isinstance(old, (str, list)):
                return None
            extended = _extend_list(inner, key, quoted, yaml_style, nl)
            if extended is None:
                return None
            inner = extended
            expected[key] = ([old] if isinstance(old, str) else list(old)) + [alias]
        inner = [*inner, *new] if yaml_style else [*new, *inner]
        out = "".join([lines[0], *inner, *lines[close:]])
    try:
        again = split(out)
    except FrontmatterError:
        return None
    return out if _same(again.data, expected) else None


def _same(got: dict[str, Any], expected: dict[str, Any]) -> bool:
    if got.keys() != expected.keys():
        return False
    for k, v in expected.items():
        if k in _ALIAS_KEYS and isinstance(v, list) and isinstance(got[k], list):
            if sorted(map(str, got[k])) != sorted(map(str, v)):
                return False
        elif got[k] != v:
            return False
    return True


def _extend_list(inner: list[str], key: str, quoted: str, yaml_style: bool,
                 nl: str) -> list[str] | None:
    """The frontmatter lines with ``quoted`` added to the list (or single value) of ``key``."""
    sep = ":" if yaml_style else "="
    pattern = re.compile(rf"{key}[ \t]*{sep}(.*?)(\r?\n)?")
    for i, line in enumerate(inner):
        if not yaml_style and line.lstrip().startswith("["):
            return None  # TOML: past the top-level keys
        m = pattern.fullmatch(line)
        if not m:
            continue
        value, end = m[1].strip(), m[2] or ""
        if value.startswith("[") and value.endswith("]"):  # a one-line list
            j = line.rindex("]")
            items = value[1:-1].strip()
            glue = "" if not items else " " if items.endswith(",") else ", "
            return [*inner[:i], line[:j] + glue + quoted + line[j:], *inner[i + 1:]]
        if value == "[":  # a list over several lines: the new item goes first
            return [*inner[:i + 1], f"  {quoted},{nl}", *inner[i + 1:]]
        if yaml_style and value and value[0] not in "[{|>&*!#":  # one value → a list of two
            return [*inner[:i], f"{key}: [{value}, {quoted}]{end}", *inner[i + 1:]]
        if yaml_style and not value:  # a block list: a new "- item" after its last one
            last, indent = None, None
            for j in range(i + 1, len(inner)):
                stripped = inner[j].strip()
                if not stripped or stripped.startswith("#"):
                    continue
                depth = len(inner[j]) - len(inner[j].lstrip(" "))
                if indent is None:
                    if not stripped.startswith("-"):
                        break
                    indent = depth
                if depth < indent or (depth == indent and not stripped.startswith("-")):
                    break
                last = j
            if last is None or indent is None:
                return None
            item = " " * indent + f"- {quoted}{nl}"
            return [*inner[:last + 1], item, *inner[last + 1:]]
        return None
    return None


# -- links to site files ----------------------------------------------------------------------

_LIQUID_BASE = r"(?:\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}\s*)*"
_LINK_RE = re.compile(
    r"(?:\]\(\s*<?|\b(?:src|href|poster|data-src)\s*=\s*[\"']?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)"
    + _LIQUID_BASE + r"(/(?!/)[^\s)\"'<>]*)",
    re.MULTILINE,
)
_FILTER_RE = re.compile(r"\{\{-?\s*[\"'](/[^\"'\s]+)[\"']\s*\|\s*(?:relative_url|absolute_url)")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _site_links(text: str) -> list[str]:
    """Site-absolute paths a Markdown text links to (``/assets/a.png``, also written after
    ``{{ site.baseurl }}`` or through ``relative_url``), outside code blocks and code spans."""
    prose: list[str] = []
    fence = ""
    for line in text.splitlines():
        m = _FENCE_RE.match(line)
        if fence:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line[m.end():].strip():
                fence = ""
            continue
        if m:
            fence = m[1]
            continue
        prose.append(re.sub(r"`+[^`]*`+", "", line))
    body = "\n".join(prose)
    return [m[1] for m in _LINK_RE.finditer(body)] + [m[1] for m in _FILTER_RE.finditer(body)]
