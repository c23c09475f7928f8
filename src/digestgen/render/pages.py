"""HTML pages: documents, paginated listings, taxonomies, the archive, 404 and redirects."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterator, Mapping
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from digestgen.config import SiteConfig
from digestgen.dates import format_date
from digestgen.i18n import month_label
from digestgen.model import Link, Page, Site, frontmatter_image
from digestgen.outputs import Output, Rendered
from digestgen.render.cards import CARD_VERSION, HEIGHT, WIDTH, Card, card_fonts, draw_card
from digestgen.render.env import begin_build, recording
from digestgen.render.images import Files, first_picture, measure, sized
from digestgen.render.memo import RenderMemo
from digestgen.render.related import related_links
from digestgen.render.views import (
    ArchiveMonth,
    ArchiveView,
    ArchiveYear,
    DocView,
    ListView,
    Pagination,
    ShareImage,
    SimpleView,
    SiteView,
    TermCount,
    TermsView,
    absolute_href,
    article_view,
    canonical,
    card,
    doc_view,
    section_links,
    view_key,
    with_extras,
)
from digestgen.urls import output_file, url


def render_pages(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    site_view: SiteView,
    memo: RenderMemo | None = None,
    on_error: Callable[[BaseException], Exception] | None = None,
    source: Path | None = None,
    statics: Mapping[str, Path] | None = None,
) -> Iterator[Output]:
    """Every HTML page of the site, rendered when written, with the share cards and the
    diagram script the pages use. A template error is turned into ``on_error(exc)`` where it
    happens (in whichever process renders the page). ``source`` is the site folder (for
    share.font); ``statics`` the static files by output path (for the images pages show)."""
    memo = memo or RenderMemo()
    begin_build(env)
    words = site_view.labels
    views: dict[str, DocView] = {}
    sections = section_links(site)
    for p in site.pages:
        views[p.doc.source] = _kept_view(memo.views.get(p.doc.source), p,
                                         sections.get(p.doc.section), words)
        memo.new_views[p.doc.source] = (p, views[p.doc.source])
    cards = _Cards(config, source, words) if config.share.cards else None
    if cards is not None and cards.fonts is None:
        cards = None
    if cards is not None and not config.share.image:
        site_view = dataclasses.replace(site_view, image=cards.site_image(site_view))
    shown = _shown_views(site, config, views, cards, Files(site, config, statics or {}))
    render = _Renderer(env, memo, site_view, on_error)

    for p in site.pages:
        yield render([f"{p.doc.kind}.html", "document.html"], p.path, shown[p.doc.source])
    if cards is not None:
        yield from cards.outputs(memo)
    if any("mermaid" in v.features for v in shown.values()):
        yield from mermaid_outputs()
    listed = [views[p.doc.source] for p in site.pages if _on_home(p, config)]
    yield from _paginated(render, config, "home", site_view.title, config.description, "",
                          listed, feed="feed.xml")
    for section in site.sections:
        items = [views[p.doc.source] for p in section.pages]
        if items:
            yield from _paginated(render, config, "section", section.title, "", section.path,
                                  items)
    yield from _term_pages(render, site, config, views, words)
    yield from _archive(render, site, config, views, words)
    yield from _fixed_pages(render, site, config, words)


def _shown_views(site: Site, config: SiteConfig, views: dict[str, DocView],
                 cards: _Cards | None, files: Files) -> dict[str, DocView]:
    """What each document page shows besides its own view: image sizes read from the files,
    related documents, its share picture (perhaps a card drawn for it)."""
    # Two spare, for the neighbours the page already links to under "이전 글"/"다음 글".
    related = related_links(site, config.related + 2) if config.related else {}
    shown: dict[str, DocView] = {}
    for p in site.pages:
        base = views[p.doc.source]
        body, _ = sized(str(base.body), files)
        image = _share_image(p, base, body, config, files)
        if image is None and cards is not None:
            image = cards.image(p, base)
        linked = {link.url for link in (p.prev, p.next) if link is not None}
        mine = tuple(r for r in related.get(p.doc.source, ()) if r.url not in linked)
        shown[p.doc.source] = with_extras(
            base, body=body if body != str(base.body) else None,
            related=mine[:config.related], image=image)
    return shown


class _Renderer:
    """``render(template, site_path, page)``: the output at ``site_path``, ``page`` rendered
    with the first of the templates (or, given a ``signature`` that determines it, the view
    ``make()`` builds, only when the cache has no page for that signature)."""

    def __init__(self, env: jinja2.Environment, memo: RenderMemo, site_view: SiteView,
                 on_error: Callable[[BaseException], Exception] | None):
        self.env, self.memo, self.site_view, self.on_error = env, memo, site_view, on_error
        self.site_key = view_key(site_view)

    def __call__(self, template: str | list[str], site_path: str, page=None, *,
                 signature=None, make=None) -> Output:
        names = [template] if isinstance(template, str) else list(template)
        key = view_key(names, self.site_key, page if signature is None else signature)
        return self.memo.output(output_file(site_path), key, lambda: _render(
            self.env, names, self.on_error, site=self.site_view,
            page=page if make is None else make()))

    def redirect(self, old_path: str, target: str) -> Output:
        """The page at ``old_path`` that sends readers to ``target``."""
        key = view_key(["redirect.html"], self.site_key, target)
        return self.memo.output(output_file(old_path), key, lambda: _render(
            self.env, ["redirect.html"], self.on_error, site=self.site_view, target=target))


def _term_pages(render: _Renderer, site: Site, config: SiteConfig, views: dict[str, DocView],
                words: dict[str, str]) -> Iterator[Output]:
    """Tags, categories and series: each index, and each term's paginated list."""
    base = config.base_path
    for taxonomy, terms, label in (("tags", site.tags, words["tags"]),
                                   ("categories", site.categories, words["categories"])):
        yield render(["terms.html"], f"{taxonomy}/", TermsView(
            kind=taxonomy, title=label, description="", url=url(base, f"{taxonomy}/"),
            canonical=canonical(config, f"{taxonomy}/"),
            terms=tuple(TermCount(t.name, t.url, len(t.pages) + len(t.articles))
                        for t in terms)))
        kind = "tag" if taxonomy == "tags" else "category"
        for term in terms:
            yield from _paginated(render, config, kind, term.name, "", term.path,
                                  _with_articles(term, views), feed=f"{term.path}feed.xml")
    if not site.series:
        return
    yield render(["terms.html"], "series/", TermsView(
        kind="series", title=words["series"], description="", url=url(base, "series/"),
        canonical=canonical(config, "series/"),
        terms=tuple(TermCount(s.name, s.url, len(s.pages)) for s in site.series)))
    for series in site.series:  # in reading order, first part first
        yield from _paginated(render, config, "series", series.name, "", series.path,
                              [views[p.doc.source] for p in series.pages])


def _fixed_pages(render: _Renderer, site: Site, config: SiteConfig, words: dict[str, str]
                 ) -> Iterator[Output]:
    """The search page, 404.html, and a redirect page at each old URL."""
    base = config.base_path
    yield render(["search.html"], "search/", SimpleView(
        "search", words["search"], "", url(base, "search/"), canonical(config, "search/")))
    yield render(["404.html"], "404.html", SimpleView(
        "404", words["not_found_title"], "", url(base, "404.html"),
        canonical(config, "404.html")))
    for old_path, target in site.redirects:
        yield render.redirect(old_path, target)


def _render(env: jinja2.Environment, names: list[str], on_error, **context) -> Rendered:
    """The first of the templates ``names`` rendered with ``context``, with the names of every
    template the rendering asked for (see :func:`~digestgen.render.env.recording`). A
    template error becomes ``on_error(exc)`` where it happens (in whichever process
    renders the page)."""
    with recording() as asked:
        try:
            data = env.get_or_select_template(names).render(**context).encode()
        except jinja2.TemplateError as exc:
            if on_error is None:
                raise
            raise on_error(exc) from None
    return Rendered(data, frozenset(asked))


def _kept_view(old: tuple | None, page: Page, section: Link | None,
               words: dict[str, str]) -> DocView:
    """``page``'s view in ``section``. A page equal to last build's (same document object, same
    links) keeps its view, unless its section was renamed (site.yaml), which the page does not
    hold; a view from the disk cache is kept as its (section, key) and made again, but its key
    is not computed again."""
    # The same document object, not an equal one: a document edited from `flag: 1` to
    # `flag: true`, or to the same instant at another offset, compares equal.
    if old is not None and old[0].doc is page.doc and old[0] == page:
        kept = old[1]
        if isinstance(kept, tuple):
            if kept[0] == section:
                return doc_view(page, section, kept[1], words)
        elif kept.section == section:
            return kept
    return doc_view(page, section, words=words)


def _with_articles(term, views: dict[str, DocView]) -> list[DocView]:
    """A term's documents and brief articles, newest first (a brief's articles in its order)."""
    entries = [(p.doc.date, 0, i, views[p.doc.source]) for i, p in enumerate(term.pages)]
    entries += [
        (a.page.doc.date, 1, i, article_view(a, views[a.page.doc.source]))
        for i, a in enumerate(term.articles)
    ]
    dated = sorted(
        (e for e in entries if e[0] is not None), key=lambda e: (-e[0].timestamp(), e[1], e[2])
    )
    return [e[3] for e in dated] + [e[3] for e in entries if e[0] is None]


def _on_home(page: Page, config: SiteConfig) -> bool:
    section = config.sections.get(page.doc.section)
    return section is not None and section.home


def _paginated(
    render,
    config: SiteConfig,
    kind: str,
    title: str,
    description: str,
    path: str,
    items: list[DocView],
    feed: str | None = None,
) -> Iterator[Output]:
    per = config.paginate
    total = max(1, -(-len(items) // per))
    base = config.base_path

    def page_path(n: int) -> str:
        return path if n == 1 else f"{path}page/{n}/"


    def window(n: int) -> tuple[tuple[int, str], ...]:
        """Page links shown around page ``n``: the first, the last, two either side of ``n``;
        0 marks a gap. Five hundred links in every listing would help nobody."""
        shown = sorted({1, total, *range(max(1, n - 2), min(total, n + 2) + 1)})
        out: list[tuple[int, str]] = []
        for k in shown:
            if out and k - out[-1][0] > 1:
                out.append((0, ""))
            out.append((k, url(base, page_path(k))))
        return tuple(out)

    def make(n: int, chunk: tuple[DocView, ...]) -> ListView:
        pagination = Pagination(
            number=n,
            total=total,
            prev_url=url(base, page_path(n - 1)) if n > 1 else None,
            next_url=url(base, page_path(n + 1)) if n < total else None,
            pages=window(n),
        )
        return ListView(
            kind=kind,
            title=title,
            description=description,
            url=url(base, page_path(n)),
            canonical=canonical(config, page_path(n)),
            items=chunk,
            pagination=pagination,
            feed_url=url(base, feed) if feed else None,
            count=len(items),
        )

    for n in range(1, total + 1):
        chunk = tuple(items[(n - 1) * per : n * per])
        # Everything the list view is made of; unchanged, the cached page is used as it is.
        signature = ("list", kind, title, description, path, n, total, feed, len(items),
                     tuple(item.key for item in chunk))
        yield render("list.html", page_path(n), signature=signature,
                     make=lambda n=n, chunk=chunk: make(n, chunk))


def _archive(
    render, site: Site, config: SiteConfig, views: dict[str, DocView], words: dict[str, str]
) -> Iterator[Output]:
    """``archive/`` is an index of years (and their months); ``archive/YYYY/`` lists one
    year's documents by month, ``archive/YYYY/MM/`` one month's, paginated. A year page
    lists cards (title, date, section), not bodies: an edit to a text leaves it as it was."""
    dated = [p for p in site.pages if p.doc.date is not None and p.doc.kind != "page"]
    base = config.base_path
    years: list[ArchiveYear] = []
    for year, in_year in groupby(dated, key=lambda p: p.doc.date.year):
        months = []
        for month, group in groupby(in_year, key=lambda p: p.doc.date.month):
            docs = [views[p.doc.source] for p in group]
            path = f"archive/{year:04d}/{month:02d}/"
            label = month_label(words, year, month)
            months.append(ArchiveMonth(label, url(base, path), tuple(card(d) for d in docs),
                                       month_label(words, year, month, "archive_month_short"),
                                       len(docs)))
            yield from _paginated(render, config, "archive", label, "", path, docs)
        path = f"archive/{year:04d}/"
        label = words["archive_year"].format(year=year)
        months_view = tuple(months)
        years.append(ArchiveYear(label, url(base, path), sum(len(m.items) for m in months_view),
                                 tuple(dataclasses.replace(m, items=()) for m in months_view)))
        yield render(["archive.html"], path, ArchiveView(
            kind="archive-year",
            title=label,
            description="",
            url=url(base, path),
            canonical=canonical(config, path),
            months=months_view,
        ))
    undated = tuple(
        card(views[p.doc.source]) for p in site.pages
        if p.doc.date is None and p.doc.kind != "page"
    )
    view = ArchiveView(
        kind="archive-index",
        title=words["archive"],
        description="",
        url=url(base, "archive/"),
        canonical=canonical(config, "archive/"),
        months=(),
        undated=undated,
        years=tuple(years),
    )
    yield render(["archive.html"], "archive/", view)


def _share_image(page: Page, view: DocView, body: str, config: SiteConfig,
                 files: Files) -> ShareImage | None:
    """A document's own picture: the one its frontmatter names (`image:`, `cover:`,
    `images:`), else the first raster image of its body; with its size when it is a file of
    the site. A frontmatter picture that cannot be found (the build warned) is passed over."""
    found = frontmatter_image(view.params or {})
    alt = ""
    candidates: list[str] = []
    if found is not None:
        _, target, alt = found
        if target.startswith(("https://", "http://")):
            return ShareImage(target, alt=alt or view.title)
        refs = page.doc.refs
        if refs and refs[-1].target == target and len(page.hrefs) == len(refs):
            candidates.append(html.unescape(page.hrefs[-1]))  # resolved by the graph
        elif target.startswith("/"):
            candidates.append(url(config.base_path, target.lstrip("/")))
    first = first_picture(body)
    if first is not None:
        candidates.append(html.unescape(first[0]))
        alt = alt or first[1]
    for href in candidates:
        if href.startswith(("https://", "http://")):
            return ShareImage(href, alt=alt or view.title)
        if not href.startswith("/"):
            continue  # not resolved: not an address a preview can fetch
        path = files.path(html.escape(href))
        size = measure(path)[0] if path else None
        root = config.base_url[: len(config.base_url) - len(config.base_path)] \
            if config.base_url.endswith(config.base_path) else config.base_url
        return ShareImage(root.rstrip("/") + href, size[0] if size else 0,
                          size[1] if size else 0, alt or view.title)
    return None


class _Cards:
    """Share cards: one PNG per document without a picture of its own, and one for the
    site's other pages, drawn in the write stage's processes and reused while what they
    show is unchanged."""

    def __init__(self, config: SiteConfig, source: Path | None, words: dict[str, str]):
        self.config, self.words = config, words
        site_font = source / config.share.font if source is not None and config.share.font \
            else None
        self.fonts = card_fonts(config.language, site_font)
        base = urlsplit(config.base_url)
        self.host = (base.netloc + base.path).rstrip("/")
        self.wanted: dict[str, Card] = {}

    def _add(self, path: str, card_: Card) -> ShareImage:
        self.wanted[path] = card_
        return ShareImage(absolute_href(self.config, path), WIDTH, HEIGHT, card_.title)

    def image(self, page: Page, view: DocView) -> ShareImage:
        kicker = " · ".join(x for x in (view.section.title if view.section else "",
                                        format_date(view.date, self.config.effective_date_format)
                                        if view.date else "") if x)
        # Under the page's own path: no two documents, and not the site, share a card.
        path = f"og/{page.path}card.png"
        return self._add(path, Card(view.title, kicker, self.config.title, self.host))

    def site_image(self, site_view: SiteView) -> ShareImage:
        return self._add("og/card.png", Card(site_view.title, site_view.description,
                                              site_view.title, self.host))

    def outputs(self, memo: RenderMemo) -> Iterator[Output]:
        fonts = self.fonts
        assert fonts is not None
        for path, card_ in sorted(self.wanted.items()):
            key = view_key("card", CARD_VERSION, card_, fonts.identity)
            yield memo.output(path, key, lambda c=card_: draw_card(c, fonts))


def mermaid_outputs() -> Iterator[Output]:
    """Mermaid (vendored in digestgen/vendor/mermaid), published under js/mermaid/ for the
    diagrams' module: only for a site with a diagram."""
    folder = Path(__file__).resolve().parent.parent / "vendor" / "mermaid"
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield Output("js/mermaid/" + path.relative_to(folder).as_posix(), source=str(path))
