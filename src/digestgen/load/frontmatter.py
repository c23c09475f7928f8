"""Frontmatter: split it off, parse it (YAML ``---`` or TOML ``+++``), normalise its keys.

Real blogs name the same thing many ways (Jekyll, Hexo, Gatsby, Hugo); :func:`normalise`
maps them all onto one :class:`Meta` and reports wrong types with the key's line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from digestgen.dates import DateError, parse_date
from digestgen.errors import Diagnostic, error
from digestgen.urls import UnsafePathError, safe_site_path
from digestgen.yamlsafe import AliasBombError, check_expansion, duplicate_keys


class _TOMLHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)


_YAML = YAMLHandler()
_TOML = _TOMLHandler()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: dates stay text until :func:`parse_date` reads
    them, so an impossible date is reported against its key, in the site's time zone."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YAML_LOADER = _Loader

# Tags (or categories) one document may have. Each is a page that lists the document with all
# of its terms; real posts have a few, a hostile one thousands.
MAX_TERMS = 100


@dataclass(frozen=True, slots=True)
class Split:
    data: dict[str, Any]
    body: str
    # Lines of the file before the body (frontmatter and its delimiters).
    offset: int
    # 1-based line of each top-level key.
    lines: dict[str, int] = field(default_factory=dict)
    format: str = ""
    # (1-based line, message): what the frontmatter says that is probably not meant (a key
    # written twice).
    warnings: tuple[tuple[int, str], ...] = ()


class FrontmatterError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


_LEADING_BLANKS = re.compile(r"(?:[ \t]*\n)+(?=---|\+\+\+)")


def split(text: str) -> Split:
    """Separate frontmatter from body; raise :class:`FrontmatterError` if it is malformed.
    Blank lines before the frontmatter are allowed (Hugo skips them) when what follows them
    reads as frontmatter; otherwise the file is all body, as written."""
    lead = _LEADING_BLANKS.match(text)
    if lead:
        try:
            found = _split(text[lead.end():])
        except FrontmatterError:
            return Split({}, text, 0)
        if not found.format:
            return Split({}, text, 0)
        shift = lead.group(0).count("\n")
        return Split(found.data, found.body, found.offset + shift,
                     {k: v + shift for k, v in found.lines.items()}, found.format)
    return _split(text)


def _split(text: str) -> Split:
    handler, fmt = next(
        ((h, f) for h, f in ((_YAML, "yaml"), (_TOML, "toml")) if h.detect(text)), (None, "")
    )
    if handler is None:
        return Split({}, text, 0)
    try:
        raw, body = handler.split(text)
    except ValueError:
        raise FrontmatterError(
            f"frontmatter opened on line 1 is never closed (add a closing "
            f"'{'---' if fmt == 'yaml' else '+++'}' line)",
            1,
        ) from None
    offset = text[: len(text) - len(body)].count("\n")
    # Line numbers inside ``raw`` start on the line where ``raw`` starts (the boundary pattern
    # may or may not have eaten the newline after the opening delimiter).
    first = text.count("\n", 0, text.find(raw, 3)) + 1
    data, lines, notes = (parse_yaml_mapping(raw, first) if fmt == "yaml"
                          else (*_parse_toml(raw, first), ()))
    return Split(data, body, offset, lines, fmt, notes)


def parse_yaml_mapping(raw: str, first: int, what: str = "frontmatter"
                       ) -> tuple[dict[str, Any], dict[str, int], tuple[tuple[int, str], ...]]:
    """A YAML mapping (``what``: frontmatter, or a sidecar) whose text starts on line
    ``first``: its values, each top-level key's line, and (line, message) warnings. Raise
    :class:`FrontmatterError` at the line of the problem."""
    # Compose once and construct from that node (what yaml.load does inside), so the node
    # that gives each key's line is not parsed a second time.
    loader = None
    try:
        loader = YAML_LOADER(raw)
        node = loader.get_single_node()
        check_expansion(node)  # before anything walks or builds it
        data = loader.construct_document(node) if node is not None else None
    except AliasBombError as exc:
        raise FrontmatterError(f"{what}: {exc}", first + exc.line) from None
    except yaml.YAMLError as exc:
        # Where the broken construct starts (an unclosed '[' or quote) beats where the parser
        # noticed, which is often the line after.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first + mark.line if mark else first
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context else problem
        raise FrontmatterError(f"invalid YAML {what}: {detail}", line) from None
    except Exception as exc:  # hostile input: a tag PyYAML cannot construct, say
        raise FrontmatterError(f"invalid YAML {what}: {exc}", first) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, {}, ()
    if not isinstance(data, dict):
        raise FrontmatterError(
            f"{what} must be a mapping of keys to values (like `title: ...`), "
            f"got a {type(data).__name__}",
            first,
        )
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = first + key_node.start_mark.line  # the last one wins
    notes = tuple((first + p.line, f"{what}: {p.message}") for p in duplicate_keys(node))
    return {str(k): v for k, v in data.items()}, lines, notes


def _parse_toml(raw: str, first: int) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = first + int(m[1]) - 1 if m else first
        raise FrontmatterError(f"invalid TOML frontmatter: {exc}", line) from None
    lines = {}
    for i, text in enumerate(raw.split("\n")):
        m = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", text)
        if m and m[1] not in lines:
            lines[m[1]] = first + i
    return data, lines


# -- normalisation -------------------------------------------------------------------------

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "created", "published_at", "pubDate"),
    "updated": ("updated", "update", "lastmod", "last_modified_at", "modified"),
    "summary": ("description", "summary", "excerpt", "subtitle"),
    "tags": ("tags", "tag", "keywords"),
    "categories": ("categories", "category"),
    "slug": ("slug",),
    "aliases": ("aliases", "redirect_from"),
    "kind": ("kind",),
    "permalink": ("url", "permalink"),
    "series": ("series",),
}
_KNOWN = {k for names in _SYNONYMS.values() for k in names} | {"draft", "published", "layout"}


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None = None
    date: datetime | None = None
    updated: datetime | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    draft: bool = False
    slug: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    permalink: str | None = None
    series: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def normalise(fm: Split, path: str, tz: tzinfo) -> tuple[Meta, list[Diagnostic]]:
    """Map the keys real blogs use onto :class:`Meta`; report values of the wrong type."""
    read = _Reader(fm, path, tz)
    meta = Meta(
        title=read.text("title") or None,
        date=read.when("date"),
        updated=read.when("updated"),
        summary=read.text("summary") or None,
        tags=read.terms("tags"),
        categories=read.terms("categories"),
        draft=read.draft(),
        slug=read.text("slug") or None,
        aliases=read.aliases(),
        kind=read.text("kind") or None,
        permalink=read.permalink(),
        series=read.series(),
        params={k: v for k, v in fm.data.items() if k not in _KNOWN},
        lines=read.lines,
    )
    return meta, read.diags


class _Reader:
    """Reads each field of a frontmatter block under whichever synonym it was written as,
    collecting a diagnostic (at the key's line) for each value of the wrong type."""

    def __init__(self, fm: Split, path: str, tz: tzinfo):
        self.fm, self.data, self.path, self.tz = fm, fm.data, path, tz
        self.diags: list[Diagnostic] = []
        self.values: dict[str, tuple[str, Any]] = {}  # field → (key written, value)
        self.lines: dict[str, int] = {}
        for field_name, names in _SYNONYMS.items():
            for key in names:
                if key in self.data and self.data[key] is not None:
                    self.values[field_name] = (key, self.data[key])
                    self.lines[field_name] = self.line_of(key)
                    break

    def line_of(self, key: str) -> int:
        return self.fm.lines.get(key, 1 if self.fm.format else 0)

    def bad(self, key: str, expected: str, value: Any) -> None:
        self.diags.append(error(self.path, self.line_of(key),
                                f"frontmatter '{key}': expected {expected}, got {_kind(value)}"))

    def text(self, field_name: str) -> str | None:
        if field_name not in self.values:
            return None
        key, value = self.values[field_name]
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            self.bad(key, "text", value)
            return None
        return str(value).strip()

    def when(self, field_name: str) -> datetime | None:
        if field_name not in self.values:
            return None
        key, value = self.values[field_name]
        if isinstance(value, str) and not value.strip():
            return None
        try:
            return parse_date(value, self.tz)
        except DateError as exc:
            self.diags.append(error(self.path, self.line_of(key), f"frontmatter '{key}': {exc}"))
            return None

    def terms(self, field_name: str) -> tuple[str, ...]:
        if field_name not in self.values:
            return ()
        key, value = self.values[field_name]
        out = _flatten_terms(value)
        if out is None:
            self.bad(key, "a list of names or a comma-separated string", value)
            return ()
        if len(out) > MAX_TERMS:
            self.diags.append(error(self.path, self.line_of(key), (
                f"frontmatter '{key}': {len(out):,} names; at most {MAX_TERMS} per document "
                f"(each is a page listing this document with all of them: the site would "
                f"grow with the square of the count)")))
            return ()
        return out

    def series(self) -> tuple[str, ...]:
        # One name, or Hugo's taxonomy form: a list, each name a series the post is part of.
        if "series" not in self.values:
            return ()
        key, value = self.values["series"]
        if isinstance(value, list):
            if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                       for v in value):
                self.bad(key, "a name or a list of names", value)
                return ()
            return tuple(dict.fromkeys(n for n in (str(v).strip() for v in value) if n))
        name = self.text("series")
        return (name,) if name else ()

    def draft(self) -> bool:
        draft = False
        for key in ("draft", "published"):
            if key not in self.data:
                continue
            parsed = parse_boolean(self.data[key])
            if parsed is None:
                self.bad(key, "true or false", self.data[key])
            elif key == "draft":
                draft = parsed
            elif parsed is False:  # published: false
                draft = True
        return draft

    def aliases(self) -> tuple[str, ...]:
        if "aliases" not in self.values:
            return ()
        key, value = self.values["aliases"]
        if isinstance(value, str):
            value = [value]
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            self.bad(key, "a list of URL paths", value)
            return ()
        kept = []
        for alias in (v.strip() for v in value if v.strip()):
            try:
                safe_site_path(alias)  # reported here, where the line is known
                kept.append(alias)
            except UnsafePathError as exc:
                self.diags.append(error(self.path, self.line_of(key), f"alias {alias!r}: {exc}"))
        return tuple(kept)

    def permalink(self) -> str | None:
        permalink = self.text("permalink") or None
        if permalink:
            try:
                safe_site_path(permalink.strip("/") + "/")
            except UnsafePathError as exc:
                self.diags.append(error(self.path, self.line_of(self.values["permalink"][0]),
                                        f"permalink: {exc}"))
                return None
        return permalink


def _flatten_terms(value: Any) -> tuple[str, ...] | None:
    """Tags/categories as lists, comma strings, or Hexo's nested lists → unique names."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        items = [p.strip() for p in str(value).split(",")]
    elif isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, list):  # Hexo: [parent, child] is a path of categories
                if not all(
                    isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in item
                ):
                    return None
                items.extend(str(x).strip() for x in item)
            elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
                items.append(str(item).strip())
            elif item is None:
                continue
            else:
                return None
    else:
        return None
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def parse_boolean(value: Any) -> bool | None:
    """``true``/``false`` as YAML, TOML or a string ("yes", "no") says it; None otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
        return value.strip().lower() in ("true", "yes")
    return None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return repr(value)
