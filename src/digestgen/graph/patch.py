"""An edited document that leaves the graph alone (its text, not its title, date, tags, links
or path) patches the graph kept from the last build instead of building it again."""

from __future__ import annotations

import dataclasses

from digestgen.graph.links import substitute
from digestgen.model import Document, Link, Page, SeriesNav, Site, Term, TermLink

# What of a document the graph depends on. An edit that leaves these alone (the body text,
# say) cannot move a URL, a link, a term or a neighbour: the graph is patched, not rebuilt.
GRAPH_FIELDS = ("source", "content_path", "kind", "section", "slug", "title", "date",
                "updated", "tags", "categories", "draft", "aliases", "permalink", "refs",
                "series", "brief")


def patch_site(site: Site, documents: dict[str, Document]) -> Site | None:
    """``site`` with the pages of ``documents`` (by source) replaced, if every one of them
    differs from its page's document only outside :data:`GRAPH_FIELDS`; else None (the
    caller builds the graph again)."""
    current = {p.doc.source: p for p in site.pages}
    swapped: dict[int, Page] = {}
    for source, doc in documents.items():
        old = current.get(source)
        if old is None or not all(_same(getattr(doc, f), getattr(old.doc, f))
                                  for f in GRAPH_FIELDS):
            return None
        swapped[id(old)] = dataclasses.replace(
            old, doc=doc, body_html=substitute(doc.body_html, old.hrefs))
    if not swapped:
        return site

    def pages(items: tuple[Page, ...]) -> tuple[Page, ...]:
        return tuple(swapped.get(id(p), p) for p in items)

    def terms(items: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(dataclasses.replace(t, pages=pages(t.pages), articles=tuple(
            dataclasses.replace(a, page=swapped.get(id(a.page), a.page)) for a in t.articles))
            for t in items)

    return dataclasses.replace(
        site,
        pages=pages(site.pages),
        sections=tuple(dataclasses.replace(s, pages=pages(s.pages)) for s in site.sections),
        tags=terms(site.tags),
        categories=terms(site.categories),
        series=tuple(dataclasses.replace(s, pages=pages(s.pages)) for s in site.series),
    )


def _same(a: object, b: object) -> bool:
    """Equal and written alike. Equality alone is too loose: a date moved to another offset at
    the same instant compares equal, yet its URL, month and text may differ."""
    return a == b and repr(a) == repr(b)


def restored_page(doc: Document, path: str, url: str, abs_url: str,
                  tags: tuple[TermLink, ...], categories: tuple[TermLink, ...],
                  prev: Link | None, next: Link | None, backlinks: tuple[Link, ...],
                  hrefs: tuple[str, ...], series: SeriesNav | None) -> Page:
    """A page of a graph read from the cache, with its document: the body is remade as the
    graph makes it, so the cache need not hold it twice."""
    return Page(doc, path, url, abs_url, substitute(doc.body_html, hrefs), tags, categories,
                prev, next, backlinks, hrefs, series)
