"""Views: the plain data each template sees (and nothing else — no global site graph).

Keeping templates on these small values is what lets a page be re-rendered from its view
alone, and keeps themes from depending on the internals of the graph.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

from markupsafe import Markup

from digestgen import __version__
from digestgen.config import SiteConfig
from digestgen.model import ArticleRef, Brief, Heading, Link, Page, Site, TermLink
from digestgen.urls import absolute_url, url

# Words of the default theme, by language.
LABELS: dict[str, dict[str, str]] = {
    "ko": {
        "skip": "본문으로 건너뛰기",
        "menu": "주 메뉴",
        "draft": "초안",
        "updated": "수정",
        "minutes": "분 읽기",
        "tags": "태그",
        "categories": "카테고리",
        "series": "시리즈",
        "series_part": "{total}편 중 {n}편",
        "series_prev": "이 시리즈의 이전 글",
        "series_next": "이 시리즈의 다음 글",
        "toc": "목차",
        "backlinks": "이 문서를 가리키는 문서",
        "prev": "이전 글",
        "next": "다음 글",
        "older": "이전 페이지",
        "newer": "다음 페이지",
        "page": "페이지",
        "pages": "페이지 목록",
        "posts": "개의 글",
        "feed": "RSS 피드",
        "atom": "Atom 피드",
        "home": "처음으로",
        "not_found": "주소가 바뀌었거나 없는 페이지입니다.",
        "archive": "아카이브",
        "undated": "날짜 없음",
        "rights": "저작권",
        "sources": "출처",
        "cover": "표지",
        "articles": "기사",
        "powered": "digestgen으로 만듦",
        "redirect": "이 페이지는 옮겨졌습니다:",
        "all_tags": "모든 태그",
        "in_section": "분류",
        "search": "검색",
        "search_label": "사이트 검색",
        "search_placeholder": "회사, 모델, 주제를 검색하세요",
        "search_results": "‘{q}’ 검색 결과 {n}건",
        "search_none": "‘{q}’에 대한 검색 결과가 없습니다.",
        "search_error": "검색 색인을 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.",
        "search_noscript": "검색은 브라우저의 JavaScript로 동작합니다. JavaScript를 켜거나, "
        "태그와 아카이브에서 글을 찾아보세요:",
    },
    "en": {
        "skip": "Skip to content",
        "menu": "Main menu",
        "draft": "Draft",
        "updated": "Updated",
        "minutes": "min read",
        "tags": "Tags",
        "categories": "Categories",
        "series": "Series",
        "series_part": "Part {n} of {total}",
        "series_prev": "Previous in this series",
        "series_next": "Next in this series",
        "toc": "Contents",
        "backlinks": "Linked from",
        "prev": "Previous",
        "next": "Next",
        "older": "Older",
        "newer": "Newer",
        "page": "Page",
        "pages": "Pages",
        "posts": "posts",
        "feed": "RSS feed",
        "atom": "Atom feed",
        "home": "Home",
        "not_found": "This page has moved or never existed.",
        "archive": "Archive",
        "undated": "Undated",
        "rights": "Rights",
        "sources": "Sources",
        "cover": "Cover",
        "articles": "Articles",
        "powered": "Made with digestgen",
        "redirect": "This page has moved to",
        "all_tags": "All tags",
        "in_section": "Section",
        "search": "Search",
        "search_label": "Search this site",
        "search_placeholder": "Search companies, models, topics",
        "search_results": "{n} results for “{q}”",
        "search_none": "No results for “{q}”.",
        "search_error": "The search index could not be loaded. Please try again shortly.",
        "search_noscript": "Search runs in your browser with JavaScript. Turn it on, or browse "
        "the tags and the archive:",
    },
}


_LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh": "zh_CN"}


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str
    base_path: str
    author: str
    menu: tuple[Link, ...]
    home_url: str
    feed_url: str
    atom_url: str
    json_feed_url: str
    search_url: str
    tags_url: str
    series_url: str
    categories_url: str
    archive_url: str
    stylesheets: tuple[str, ...]
    scripts: tuple[str, ...]
    icon_url: str
    generator: str
    params: dict[str, Any]
    labels: dict[str, str]
    locale: str = "ko_KR"  # Open Graph's language_TERRITORY

    def url(self, site_path: str) -> str:
        """The href of a site path (for templates: ``site.url('about/')``)."""
        return url(self.base_path, site_path.lstrip("/"))


@dataclass(frozen=True, slots=True)
class TocNode:
    heading: Heading
    children: tuple[TocNode, ...] = ()


@dataclass(frozen=True, slots=True)
class DocView:
    title: str
    url: str
    canonical: str
    description: str
    kind: str
    section: Link | None
    date: datetime | None
    updated: datetime | None
    tags: tuple[TermLink, ...]
    categories: tuple[TermLink, ...]
    body: Markup
    toc: tuple[TocNode, ...]
    reading_minutes: int
    prev: Link | None
    next: Link | None
    backlinks: tuple[Link, ...]
    draft: bool
    source: str
    brief: Brief | None
    params: Any
    series: Any = None  # a SeriesNav: the page's place in its series
    # A digest of every field above: what decides whether a page showing this view must be
    # rendered again. Views that contain DocViews print as this key, so their keys stay cheap.
    key: str = ""

    def __repr__(self) -> str:
        return f"DocView<{self.key}>"


def view_key(*parts: object) -> str:
    """A stable digest of ``parts`` (views, strings, numbers) for render caching."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None
    pages: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ListView:
    """A paginated listing: home, section, tag, category or archive month."""

    kind: str  # home | section | tag | category | archive
    title: str
    description: str
    url: str
    canonical: str
    items: tuple[DocView, ...]
    pagination: Pagination
    feed_url: str | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class TermCount:
    name: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class TermsView:
    kind: str  # tags | categories | series
    title: str
    description: str
    url: str
    canonical: str
    terms: tuple[TermCount, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A document as the archive lists it: no body, so editing a post's text leaves the
    archive (which lists every document) as it was."""

    title: str
    url: str
    date: datetime | None
    section: Link | None
    kind: str
    draft: bool


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    label: str
    url: str
    items: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class ArchiveView:
    kind: str
    title: str
    description: str
    url: str
    canonical: str
    months: tuple[ArchiveMonth, ...]
    undated: tuple[Card, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SimpleView:
    """A page with just a title (404, search)."""

    kind: str
    title: str
    description: str
    url: str
    canonical: str


def site_view(
    site: Site, config: SiteConfig, stylesheets: tuple[str, ...], scripts: tuple[str, ...] = ()
) -> SiteView:
    base = config.base_path
    if config.menu:
        menu = tuple(
            Link(m.title, m.url if "://" in m.url else url(base, m.url.lstrip("/")))
            for m in config.menu
        )
    else:
        ko = config.language.startswith("ko")
        menu = tuple(Link(s.title, s.url) for s in site.sections if s.pages)
        menu += (
            Link("태그" if ko else "Tags", url(base, "tags/")),
            Link("아카이브" if ko else "Archive", url(base, "archive/")),
        )
        about = next((p for p in site.pages if p.path in ("about/", "소개/")), None)
        if about:
            menu += (Link(about.doc.title, about.url),)
    return SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        base_url=config.base_url,
        base_path=base,
        author=config.author.name,
        menu=menu,
        home_url=url(base, ""),
        feed_url=url(base, "feed.xml"),
        atom_url=url(base, "atom.xml"),
        json_feed_url=url(base, "feed.json"),
        search_url=url(base, "search/"),
        tags_url=url(base, "tags/"),
        series_url=url(base, "series/"),
        categories_url=url(base, "categories/"),
        archive_url=url(base, "archive/"),
        stylesheets=tuple(url(base, s) for s in stylesheets),
        scripts=tuple(url(base, s) for s in scripts),
        icon_url=url(base, "favicon.svg"),
        generator=f"digestgen {__version__}",
        params=config.params,
        labels=LABELS["ko" if config.language.startswith("ko") else "en"],
        locale=_LOCALES.get(config.language.split("-")[0].lower(),
                            config.language.replace("-", "_")),
    )


def toc_tree(headings: tuple[Heading, ...]) -> tuple[TocNode, ...]:
    """Nest a flat heading list: each heading holds the deeper ones that follow it."""

    def build(i: int, level: int) -> tuple[list[TocNode], int]:
        nodes: list[TocNode] = []
        while i < len(headings) and headings[i].level >= level:
            h = headings[i]
            children, i = build(i + 1, h.level + 1)
            nodes.append(TocNode(h, tuple(children)))
        return nodes, i

    min_level = min((h.level for h in headings), default=1)
    nodes, _ = build(0, min_level)
    return tuple(nodes)


def section_links(site: Site) -> dict[str, Link]:
    """The link of each section, by name: what a document's view shows of its section."""
    return {s.name: Link(s.title, s.url) for s in site.sections}


def doc_view(page: Page, section: Link | None, key: str = "") -> DocView:
    """The view of ``page``, in the section that ``section`` links to. ``key``, when given, is
    the key of this same view, kept from an earlier build: it is not computed again."""
    doc = page.doc
    view = DocView(
        title=doc.title,
        url=page.url,
        canonical=page.abs_url,
        description=doc.summary,
        kind=doc.kind,
        section=section,
        date=doc.date,
        updated=doc.updated,
        tags=page.tags,
        categories=page.categories,
        body=Markup(page.body_html),
        toc=toc_tree(doc.toc),
        reading_minutes=doc.reading_minutes,
        prev=page.prev,
        next=page.next,
        backlinks=page.backlinks,
        draft=doc.draft,
        source=doc.source,
        brief=doc.brief,
        params=doc.params,
        series=page.series,
    )
    # Set in place, as the dataclass's own __init__ does: replace() would build it twice.
    object.__setattr__(view, "key", key or _doc_key(view, doc.toc))
    return view


def _fields(cls: type) -> attrgetter:
    """A function from an instance of the dataclass ``cls`` to its fields' values."""
    return attrgetter(*(f.name for f in dataclasses.fields(cls)))


_LINK, _TERM, _HEADING = _fields(Link), _fields(TermLink), _fields(Heading)


def _doc_key(view: DocView, headings: tuple[Heading, ...]) -> str:
    """A digest of every field of ``view``. This runs for every document on every build, so:
    the small dataclasses go in as tuples of their values (their repr is many times slower),
    the toc as the flat headings it is made from, and the body as bytes (repr of a long
    Korean text is slow)."""
    parts = (
        view.title,
        view.url,
        view.canonical,
        view.description,
        view.kind,
        view.section and _LINK(view.section),
        view.date,
        view.updated,
        tuple(map(_TERM, view.tags)),
        tuple(map(_TERM, view.categories)),
        tuple(map(_HEADING, headings)),
        view.reading_minutes,
        view.prev and _LINK(view.prev),
        view.next and _LINK(view.next),
        tuple(map(_LINK, view.backlinks)),
        view.draft,
        view.source,
        view.brief,
        view.params,
        view.series,
        len(view.body),  # so that the body's bytes, which follow, cannot pass for fields
    )
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(view.body.encode())
    return digest.hexdigest()


def card(view: DocView) -> Card:
    return Card(view.title, view.url, view.date, view.section, view.kind, view.draft)


def article_view(ref: ArticleRef, brief: DocView) -> DocView:
    """A brief's article as a listing item: its own title and deep link, the brief as section."""
    return dataclasses.replace(
        brief,
        title=ref.title,
        url=ref.url,
        canonical=ref.abs_url,
        description=ref.summary,
        kind="article",
        section=Link(brief.title, brief.url),
        tags=(),
        categories=(),
        body=Markup(ref.html),
        toc=(),
        prev=None,
        next=None,
        series=None,
        backlinks=(),
        key=view_key("article", brief.key, ref.title, ref.anchor, ref.summary, ref.html),
    )


def canonical(config: SiteConfig, site_path: str) -> str:
    return absolute_url(config.base_url, config.base_path, site_path)
