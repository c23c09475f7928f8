"""The typed model: what loaders produce and what the site graph is made of.

Frozen, slotted dataclasses; this module imports nothing else of digestgen's so every stage
can depend on it. A :class:`Document` depends only on its source file and the configuration
(so it can be cached by content hash); a :class:`Page` adds what depends on the whole site.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, TypeVar

RefKind = Literal["doc", "wiki", "asset", "path"]

_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Make a frozen, slotted dataclass pickle as a call with its field values.

    The build cache holds hundreds of thousands of these (headings, links, documents); the
    pickling that ``slots=True`` generates sets each field in a Python loop, about twice as
    slow both ways.
    """
    names = [f.name for f in fields(cls)]
    get = operator.attrgetter(*names)
    if len(names) == 1:
        def __reduce__(self):
            return cls, (get(self),)
    else:
        def __reduce__(self):
            return cls, get(self)
    cls.__reduce__ = __reduce__
    return cls


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    text: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Ref:
    """An internal link or image in a body, as written; the graph resolves it to a URL.

    ``doc``: a link to a Markdown/text file (``../wiki/a.md#x``, ``/docs/wiki/a.md``);
    ``wiki``: ``[[note#heading]]``; ``asset``: an image or file next to the document;
    ``path``: a site-absolute path (``/tags/``) that needs the base path.
    """

    target: str
    kind: RefKind
    line: int
    embed: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk."""

    rel_path: str  # relative to the site folder, POSIX separators: content/posts/a.md
    content_path: str  # relative to the content folder: posts/a.md
    section: str  # section name, or "" for pages at the top of the content folder
    kind: str  # the section's default kind
    abs_path: str
    # ``name.yaml`` (or ``.yml``) beside the file: frontmatter it lacks. Found by discovery,
    # which checked that it is a file of the site ("" for none).
    sidecar: str = ""


# -- briefs ----------------------------------------------------------------------------------
# A brief (digestgen.load.brief) is a report read off plain text: a cover, a CONTENTS list,
# sections of articles. Pages, feeds, search and category pages read its articles.


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Block:
    """A unit of body text: paragraph, list, subhead, heading, table, caption, box or note."""

    kind: str
    line: int
    text: str = ""
    level: int = 0
    items: tuple[tuple[int, str], ...] = ()  # (depth, text) for lists and boxes
    rows: tuple[tuple[str, ...], ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """A line of a report's CONTENTS: a title, the part and category it is listed under."""

    title: str
    line: int
    part: str = ""
    category: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One news item of a report: what a reader links to, and what feeds can carry alone."""

    title: str
    anchor: str
    line: int
    category: str = ""
    part: str = ""
    key_points: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    sources: tuple[str, ...] = ()
    # The CONTENTS entry this article was matched to, if any.
    listed_as: str | None = None
    # Key points, body and sources as HTML (no title), for feeds that carry articles.
    html: str = ""

    @property
    def summary(self) -> str:
        return self.key_points[0] if self.key_points else ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class BriefSection:
    """A part of a report (``Ⅰ. 인공지능 산업 동향 브리프``) or a section of a plain digest."""

    title: str
    anchor: str
    line: int
    body: tuple[Block | Article, ...] = ()

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(x for x in self.body if isinstance(x, Article))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Brief:
    """A whole brief: cover, CONTENTS, sections; ``structured`` for a report with KEY Contents."""

    title: str
    publisher: str
    issue: str
    issue_date: date | None
    cover: tuple[str, ...]
    contents: tuple[ContentsEntry, ...]
    categories: tuple[str, ...]
    sections: tuple[BriefSection, ...]
    front: tuple[Block, ...] = ()
    rights: str = ""
    structured: bool = False

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for s in self.sections for a in s.articles)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Document:
    """One loaded content file: everything that depends on the file and the configuration only."""

    source: str  # rel_path of the SourceFile
    content_path: str
    kind: str  # post | roundup | wiki | brief | page
    section: str
    slug: str
    title: str
    date: datetime | None
    updated: datetime | None
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    summary: str
    draft: bool
    aliases: tuple[str, ...]
    body_html: str  # contains dgref:N placeholders for refs
    toc: tuple[Heading, ...]
    refs: tuple[Ref, ...]
    text: str  # plain text of the body
    reading_minutes: int
    # Every heading of the body (the toc holds only the levels the site shows).
    headings: tuple[Heading, ...] = ()
    # Where the date came from: frontmatter | filename | text | none.
    date_source: str = "frontmatter"
    permalink: str | None = None  # an explicit `url:` from frontmatter
    series: tuple[str, ...] = ()  # the series it is part of, the first one named first
    # Extra structure for briefs (cover, articles); see digestgen.load.brief.
    brief: Brief | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """A title and an href, for navigation (prev/next, backlinks, terms)."""

    title: str
    url: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class TermLink:
    name: str
    url: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SeriesNav:
    """Where a page stands in its series: "part 2 of 5", and its neighbours there."""

    name: str
    url: str
    index: int  # 1-based, in reading order
    total: int
    prev: Link | None = None
    next: Link | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A document placed in the site: its URL, resolved body and neighbours."""

    doc: Document
    path: str  # site path: posts/hello/
    url: str  # href with base path, percent-encoded
    abs_url: str
    body_html: str
    tags: tuple[TermLink, ...]
    categories: tuple[TermLink, ...]
    prev: Link | None = None
    next: Link | None = None
    backlinks: tuple[Link, ...] = ()
    # The resolved href of each of doc.refs, in order (the body has them substituted).
    hrefs: tuple[str, ...] = ()
    series: SeriesNav | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ArticleRef:
    """One article of a brief, addressable on its own (category pages, feeds, search)."""

    page: Page  # the brief that holds it
    title: str
    anchor: str
    category: str
    summary: str
    html: str  # key points, body and sources; no title

    @property
    def url(self) -> str:
        return f"{self.page.url}#{self.anchor}"

    @property
    def abs_url(self) -> str:
        return f"{self.page.abs_url}#{self.anchor}"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Term:
    """A tag or category and the pages that carry it (newest first).

    Categories also collect brief articles, which carry a category of their own.
    """

    taxonomy: Literal["tags", "categories"]
    name: str
    slug: str
    path: str
    url: str
    pages: tuple[Page, ...]
    articles: tuple[ArticleRef, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Series:
    """Documents that read in order (``series:`` in frontmatter, or a section's series)."""

    name: str
    slug: str
    path: str
    url: str
    pages: tuple[Page, ...]  # reading order: oldest first


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Section:
    name: str
    title: str
    kind: str
    path: str
    url: str
    pages: tuple[Page, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AssetCopy:
    """A file to copy from the content folder into the output (an image next to a post)."""

    source_abs: str
    output: str  # path relative to the output folder


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Site:
    """The whole site graph; the input of every renderer."""

    pages: tuple[Page, ...]  # every published document, newest first
    sections: tuple[Section, ...]
    tags: tuple[Term, ...]
    categories: tuple[Term, ...]
    assets: tuple[AssetCopy, ...]
    # Old URL path → new URL, from `aliases:`.
    redirects: tuple[tuple[str, str], ...] = ()
    series: tuple[Series, ...] = ()


# Frontmatter keys that name a document's picture, first present wins: Jekyll (jekyll-seo-tag)
# and Chirpy write `image:` (a path or {path, alt}), PaperMod `cover: {image, alt}`, Hugo
# `images: [..]`.
IMAGE_KEYS = ("image", "cover", "images")


def frontmatter_image(params: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """The picture a document's frontmatter names: (key, path or URL, alt text), or None."""
    for key in IMAGE_KEYS:
        value = params.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        alt = ""
        if isinstance(value, Mapping):
            alt = str(value.get("alt") or "")
            value = value.get("path") or value.get("image") or value.get("src") \
                or value.get("url")
        if isinstance(value, str) and value.strip():
            return key, value.strip(), alt
    return None
