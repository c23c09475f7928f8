"""Views: the plain data each template sees (and nothing else — no global site graph).

Keeping templates on these small values is what lets a page be re-rendered from its view
alone, and keeps themes from depending on the internals of the graph.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

from markupsafe import Markup

from digestgen import __version__, i18n
from digestgen.config import SiteConfig
from digestgen.model import ArticleRef, Brief, Heading, Link, Page, Site, TermLink
from digestgen.urls import absolute_url, url

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
    # The theme's words: digestgen.i18n's table of the site's language, with site.yaml's
    # `labels:` over it.
    labels: dict[str, str]
    locale: str = "ko_KR"  # Open Graph's language_TERRITORY
    # The picture of pages that have none of their own (share.image, or the site's card).
    image: ShareImage | None = None
    comments: dict[str, str] | None = None  # data-* of the comments box, provider first
    analytics: dict[str, str] | None = None  # provider, id, src
    # The theme's own script (toggle, copy buttons, comments) and the diagrams' module.
    theme_script: str = ""
    diagram_script: str = ""

    def url(self, site_path: str) -> str:
        """The href of a site path (for templates: ``site.url('about/')``)."""
        return url(self.base_path, site_path.lstrip("/"))


@dataclass(frozen=True, slots=True)
class ShareImage:
    """A page's picture for link previews: an absolute URL, its size when known."""

    url: str
    width: int = 0
    height: int = 0
    alt: str = ""


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
    # Derived from the fields above (and so covered by their digest):
    show_toc: bool = False  # a table of contents is shown (see wants_toc)
    features: tuple[str, ...] = ()  # "code", "math", "mermaid": what the page's scripts serve
    authors: tuple[Link, ...] = ()  # the document's own `author:` (a url may be "")
    comments: bool = False  # the site's comments box goes under it
    # Made from the rest of the site or from files, each build (see with_extras):
    related: tuple[Link, ...] = ()
    image: ShareImage | None = None
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
    label: str  # "2024년 5월"
    url: str
    items: tuple[Card, ...]
    short: str = ""  # "5월", in its year
    count: int = 0


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    label: str
    url: str
    count: int
    months: tuple[ArchiveMonth, ...]  # with their counts, without their items


@dataclass(frozen=True, slots=True)
class ArchiveView:
    """The archive's index (``years``, ``undated``) or one year's page (``months``)."""

    kind: str  # archive-index | archive-year
    title: str
    description: str
    url: str
    canonical: str
    months: tuple[ArchiveMonth, ...]
    undated: tuple[Card, ...] = field(default_factory=tuple)
    years: tuple[ArchiveYear, ...] = ()


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
    """What every template sees of the site. Its picture for pages without one is share.image;
    with share.cards and no share.image, render_pages puts the site's card there."""
    base = config.base_path
    words = config.words
    if config.menu:
        menu = tuple(
            Link(m.title, m.url if "://" in m.url else url(base, m.url.lstrip("/")))
            for m in config.menu
        )
    else:
        menu = tuple(Link(s.title, s.url) for s in site.sections if s.pages)
        menu += (
            Link(words["menu_tags"], url(base, "tags/")),
            Link(words["menu_archive"], url(base, "archive/")),
        )
        about = next((p for p in site.pages if p.path in ("about/", "소개/")), None)
        if about:
            menu += (Link(about.doc.title, about.url),)
    image = (ShareImage(absolute_href(config, config.share.image), alt=config.title)
             if config.share.image else None)
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
        labels=words,
        locale=_LOCALES.get(config.language.split("-")[0].lower(),
                            config.language.replace("-", "_")),
        image=image,
        comments=_comments(config),
        analytics=_analytics(config),
        theme_script=url(base, "js/site.js"),
        diagram_script=url(base, "js/diagrams.js"),
    )


def absolute_href(config: SiteConfig, ref: str) -> str:
    """An absolute URL for a site path (``/img/a.png``, ``img/a.png``) or a URL as it is."""
    if "://" in ref:
        return ref
    return absolute_url(config.base_url, config.base_path, ref.lstrip("/"))


def _comments(config: SiteConfig) -> dict[str, str] | None:
    c = config.comments
    if not c.provider:
        return None
    if c.provider == "giscus":
        return {"provider": "giscus", "repo": c.repo, "repo-id": c.repo_id,
                "category": c.category, "category-id": c.category_id, "mapping": c.mapping,
                "reactions-enabled": "1" if c.reactions else "0",
                "lang": config.language.split("-")[0]}
    out = {"provider": "utterances", "repo": c.repo, "issue-term": c.mapping}
    if c.label:
        out["label"] = c.label
    return out


def _analytics(config: SiteConfig) -> dict[str, str] | None:
    a = config.analytics
    if not a.provider:
        return None
    default_src = {
        "goatcounter": "https://gc.zgo.at/count.js",
        "plausible": "https://plausible.io/js/script.js",
        "google": "https://www.googletagmanager.com/gtag/js?id=" + a.id,
    }
    out = {"provider": a.provider, "id": a.id, "src": a.src or default_src.get(a.provider, "")}
    if a.provider == "goatcounter":
        out["endpoint"] = f"https://{a.id}.goatcounter.com/count"
    return out


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


def doc_view(page: Page, section: Link | None, key: str = "",
             words: dict[str, str] | None = None) -> DocView:
    """The view of ``page``, in the section that ``section`` links to. ``key``, when given, is
    the key of this same view, kept from an earlier build: it is not computed again.
    ``words`` are the site's (the headings' anchor links are labelled with them)."""
    doc = page.doc
    body = with_anchors(page.body_html, (words or i18n.EN)["anchor"])
    params = doc.params or {}
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
        body=Markup(body),
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
        show_toc=wants_toc(doc.kind, doc.toc, params),
        features=features(body),
        authors=authors(params),
        comments=_wants_comments(doc.kind, params),
    )
    # Set in place, as the dataclass's own __init__ does: replace() would build it twice.
    object.__setattr__(view, "key", key or _doc_key(view, doc.toc))
    return view


def with_extras(view: DocView, *, body: str | None = None, related: tuple[Link, ...] = (),
                image: ShareImage | None = None) -> DocView:
    """``view`` with what is made afresh each build from the rest of the site and from files:
    its body with image sizes (``body``), related documents and share picture. The key
    becomes a digest of the view's key and these."""
    if body is None and not related and image is None:
        return view
    parts = (view.key, related, image, body is not None and len(body))
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    if body is not None:
        digest.update(body.encode())
    return dataclasses.replace(
        view, body=Markup(body) if body is not None else view.body, related=related,
        image=image, key=digest.hexdigest())


_HEADING_RE = re.compile(r'<(h[2-6])(\s[^>]*?\bid="([^"]+)"[^>]*)>(.*?)</\1>', re.DOTALL)


def with_anchors(body: str, label: str) -> str:
    """Each heading of ``body`` that has an id, with a link to itself after its text (shown
    faintly, brighter on hover and focus), as GitHub and MkDocs show them."""
    if "<h" not in body:
        return body
    label = html.escape(label, quote=True)

    def add(m: re.Match) -> str:
        tag, attrs, ident, inner = m.groups()
        if 'class="anchor"' in inner:
            return m[0]
        return (f'<{tag}{attrs}>{inner}<a class="anchor" href="#{ident}" '
                f'aria-label="{label}">#</a></{tag}>')

    return _HEADING_RE.sub(add, body)


def wants_toc(kind: str, toc: tuple[Heading, ...], params) -> bool:
    """Whether a document shows its table of contents: as its ``toc:`` says; else wiki notes
    and briefs always, posts and roundups with three headings or more (the long ones)."""
    choice = params.get("toc") if hasattr(params, "get") else None
    if isinstance(choice, str):
        choice = {"true": True, "yes": True, "on": True,
                  "false": False, "no": False, "off": False}.get(choice.strip().lower())
    if isinstance(choice, bool):
        return choice and bool(toc)
    if kind in ("wiki", "brief"):
        return bool(toc)
    if kind in ("post", "roundup"):
        return len(toc) >= 3
    return False


def features(body: str) -> tuple[str, ...]:
    """What in a body the theme's scripts and styles serve: code blocks, math, diagrams."""
    out = []
    if '<pre class="highlight"' in body:
        out.append("code")
    if "<math" in body:
        out.append("math")
    if 'class="mermaid-diagram"' in body:
        out.append("mermaid")
    return tuple(out)


def authors(params) -> tuple[Link, ...]:
    """The document's own ``author:``/``authors:``: a name, ``{name, url}``, or a list."""
    value = None
    if hasattr(params, "get"):
        value = params.get("author") or params.get("authors")
    items = value if isinstance(value, list) else [value] if value else []
    out = []
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append(Link(item.strip(), ""))
        elif isinstance(item, dict) and str(item.get("name") or "").strip():
            href = str(item.get("url") or item.get("link") or "")
            out.append(Link(str(item["name"]).strip(),
                            href if href.startswith(("https://", "http://")) else ""))
    return tuple(out)


def _wants_comments(kind: str, params) -> bool:
    choice = params.get("comments") if hasattr(params, "get") else None
    if isinstance(choice, bool):
        return choice
    return kind != "page"


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
        view.show_toc,
        view.features,
        view.authors,
        view.comments,
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
