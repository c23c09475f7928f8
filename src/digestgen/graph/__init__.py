"""Documents → :class:`~digestgen.model.Site`: URLs, collisions, links, backlinks, taxonomies.

Everything that needs more than one document happens here, once per build, and it is cheap:
resolving a link is a dictionary lookup. The steps, each a module: ``placement`` (URLs and
collisions), ``links`` (references, files to publish, backlinks), ``taxonomies`` (tags,
categories, brief articles), ``navigation`` (sections, neighbours, series), ``redirects``
(aliases). An edit that leaves what the graph is made of alone patches the graph kept from
the last build instead (``patch``).
"""

from __future__ import annotations

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic
from digestgen.graph import navigation, taxonomies
from digestgen.graph.links import Index, resolve_all
from digestgen.graph.patch import patch_site, restored_page
from digestgen.graph.placement import RESERVED, case_collisions, newest_first, place, site_path
from digestgen.graph.redirects import redirects
from digestgen.model import Document, Link, Page, Site
from digestgen.urls import absolute_url, url

__all__ = ["RESERVED", "build_site", "patch_site", "restored_page", "site_path"]


def build_site(documents: list[Document], files: dict[str, str], config: SiteConfig, *,
               include_drafts: bool = False) -> tuple[Site, list[Diagnostic]]:
    """Place documents at URLs and resolve everything between them."""
    base = config.base_path
    placed, diags = place([d for d in documents if include_drafts or not d.draft], config)
    resolved = resolve_all(placed, Index(placed, files), config, diags)

    placed.sort(key=newest_first)
    tags, tag_display = taxonomies.group_terms(placed, "tags")
    categories, cat_display = taxonomies.group_terms(placed, "categories",
                                                     taxonomies.article_categories)
    neighbours = navigation.neighbours(placed, config)
    series_groups, navs = navigation.series_groups(placed, config)
    pages: list[Page] = []
    for p in placed:
        source = p.doc.source
        prev, nxt = neighbours.get(source, (None, None))
        tag_links, cat_links = taxonomies.page_term_links(p.doc, tag_display, cat_display, base)
        pages.append(Page(
            doc=p.doc, path=p.path, url=url(base, p.path),
            abs_url=absolute_url(config.base_url, base, p.path),
            body_html=resolved.bodies[source], tags=tag_links, categories=cat_links,
            prev=prev, next=nxt,
            backlinks=tuple(Link(t, u) for t, u in sorted(resolved.backlinks.get(source, ()))),
            hrefs=resolved.hrefs[source], series=navs.get(source)))
    page_of = {pg.doc.source: pg for pg in pages}

    aliases, alias_diags = redirects(pages, config)
    diags.extend(alias_diags)
    site = Site(
        pages=tuple(pages),
        sections=navigation.sections(pages, config),
        tags=taxonomies.terms(tags, tag_display, "tags", {}, page_of, base),
        categories=taxonomies.terms(categories, cat_display, "categories",
                                    taxonomies.article_refs(pages), page_of, base),
        assets=tuple(sorted(resolved.assets.values(), key=lambda a: a.output)),
        redirects=tuple(aliases),
        series=navigation.series(series_groups, page_of, base),
    )
    diags.extend(case_collisions(site))
    return site, diags
