"""HTML pages: documents, paginated listings, taxonomies, the archive, 404 and redirects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

import jinja2

from digestgen.config import SiteConfig
from digestgen.model import Link, Page, Site
from digestgen.outputs import Output, Rendered
from digestgen.render.env import begin_build, recording
from digestgen.render.memo import RenderMemo
from digestgen.render.views import (
    ArchiveMonth,
    ArchiveView,
    DocView,
    ListView,
    Pagination,
    SimpleView,
    SiteView,
    TermCount,
    TermsView,
    article_view,
    canonical,
    card,
    doc_view,
    section_links,
    view_key,
)
from digestgen.urls import output_file, url


def render_pages(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    site_view: SiteView,
    memo: RenderMemo | None = None,
    on_error: Callable[[BaseException], Exception] | None = None,
) -> Iterator[Output]:
    """Every HTML page of the site, rendered when written. A template error is turned into
    ``on_error(exc)`` where it happens (in whichever process renders the page)."""
    memo = memo or RenderMemo()
    begin_build(env)
    views: dict[str, DocView] = {}
    sections = section_links(site)
    for p in site.pages:
        views[p.doc.source] = _kept_view(memo.views.get(p.doc.source), p,
                                         sections.get(p.doc.section))
        memo.new_views[p.doc.source] = (p, views[p.doc.source])
    ko = config.language.startswith("ko")
    site_key = view_key(site_view)

    def render(template: str | list[str], site_path: str, page=None, *, signature=None,
               make=None) -> Output:
        """Render ``page`` (or, given a ``signature`` that determines it, the view ``make()``
        builds, only when the cache has no page for that signature)."""
        names = [template] if isinstance(template, str) else list(template)
        key = view_key(names, site_key, page if signature is None else signature)
        return memo.output(output_file(site_path), key,
                           lambda: _render(env, names, on_error, site=site_view,
                                           page=page if make is None else make()))

    for p in site.pages:
        yield render([f"{p.doc.kind}.html", "document.html"], p.path, views[p.doc.source])

    listed = [p for p in site.pages if _on_home(p, config)]
    yield from _paginated(
        render,
        config,
        "home",
        site_view.title,
        config.description,
        "",
        [views[p.doc.source] for p in listed],
        feed="feed.xml",
    )

    for section in site.sections:
        items = [views[p.doc.source] for p in section.pages]
        if not items:
            continue
        yield from _paginated(render, config, "section", section.title, "", section.path, items)

    for taxonomy, terms, label in (
        ("tags", site.tags, "태그" if ko else "Tags"),
        ("categories", site.categories, "카테고리" if ko else "Categories"),
    ):
        view = TermsView(
            kind=taxonomy,
            title=label,
            description="",
            url=url(config.base_path, f"{taxonomy}/"),
            canonical=canonical(config, f"{taxonomy}/"),
            terms=tuple(TermCount(t.name, t.url, len(t.pages) + len(t.articles)) for t in terms),
        )
        yield render(["terms.html"], f"{taxonomy}/", view)
        for term in terms:
            items = _with_articles(term, views)
            kind = "tag" if taxonomy == "tags" else "category"
            yield from _paginated(
                render, config, kind, term.name, "", term.path, items, feed=f"{term.path}feed.xml"
            )

    if site.series:
        label = "시리즈" if ko else "Series"
        view = TermsView(
            kind="series",
            title=label,
            description="",
            url=url(config.base_path, "series/"),
            canonical=canonical(config, "series/"),
            terms=tuple(TermCount(s.name, s.url, len(s.pages)) for s in site.series),
        )
        yield render(["terms.html"], "series/", view)
        for series in site.series:
            # In reading order, first part first.
            items = [views[p.doc.source] for p in series.pages]
            yield from _paginated(render, config, "series", series.name, "", series.path, items)

    yield from _archive(render, site, config, views, ko)

    search = SimpleView("search", "검색" if ko else "Search", "",
                        url(config.base_path, "search/"), canonical(config, "search/"))
    yield render(["search.html"], "search/", search)

    not_found = SimpleView(
        "404",
        "페이지를 찾을 수 없습니다" if ko else "Page not found",
        "",
        url(config.base_path, "404.html"),
        canonical(config, "404.html"),
    )
    yield render(["404.html"], "404.html", not_found)

    for old_path, target in site.redirects:
        key = view_key(["redirect.html"], site_key, target)
        yield memo.output(output_file(old_path), key,
                          lambda g=target: _render(env, ["redirect.html"], on_error,
                                                   site=site_view, target=g))


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


def _kept_view(old: tuple | None, page: Page, section: Link | None) -> DocView:
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
                return doc_view(page, section, kept[1])
        elif kept.section == section:
            return kept
    return doc_view(page, section)


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
    render, site: Site, config: SiteConfig, views: dict[str, DocView], ko: bool
) -> Iterator[Output]:
    """``archive/`` lists every dated document by month; ``archive/YYYY/MM/`` one month each."""
    dated = [p for p in site.pages if p.doc.date is not None and p.doc.kind != "page"]
    months = []
    base = config.base_path
    for (year, month), group in groupby(dated, key=lambda p: (p.doc.date.year, p.doc.date.month)):
        docs = [views[p.doc.source] for p in group]
        path = f"archive/{year:04d}/{month:02d}/"
        label = f"{year}년 {month}월" if ko else f"{year}-{month:02d}"
        months.append(ArchiveMonth(label, url(base, path), tuple(card(d) for d in docs)))
        yield from _paginated(render, config, "archive", label, "", path, docs)
    undated = tuple(
        card(views[p.doc.source]) for p in site.pages
        if p.doc.date is None and p.doc.kind != "page"
    )
    view = ArchiveView(
        kind="archive-index",
        title="아카이브" if ko else "Archive",
        description="",
        url=url(base, "archive/"),
        canonical=canonical(config, "archive/"),
        months=tuple(months),
        undated=undated,
    )
    yield render(["archive.html"], "archive/", view)
