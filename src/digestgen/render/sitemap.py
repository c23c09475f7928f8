"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape

from digestgen.config import SiteConfig
from digestgen.model import Page, Site
from digestgen.outputs import Output
from digestgen.urls import absolute_url


def last_change(page: Page) -> datetime | None:
    """When a document last changed: ``updated``, unless it is earlier than its date (an
    ``updated:`` left over from a copied post), else the date."""
    doc = page.doc
    if doc.date is None:
        return doc.updated
    if doc.updated is None:
        return doc.date
    return max(doc.date, doc.updated)


def _newest(pages: Iterable[Page]) -> datetime | None:
    return max((when for when in map(last_change, pages) if when is not None), default=None)


def render_sitemap(site: Site, config: SiteConfig) -> Output:
    """Every document with its last change, plus the listing pages readers land on, each with
    the last change of the newest document it lists."""
    abs_url = lambda p: absolute_url(config.base_url, config.base_path, p)  # noqa: E731
    entries: list[tuple[str, datetime | None]] = [(abs_url(""), _newest(site.pages))]
    for section in site.sections:
        if section.pages:
            entries.append((abs_url(section.path), _newest(section.pages)))
    for page in site.pages:
        entries.append((page.abs_url, last_change(page)))
    for term in (*site.tags, *site.categories):
        listed = (*term.pages, *(a.page for a in term.articles))
        entries.append((abs_url(term.path), _newest(listed)))
    for series in site.series:
        entries.append((abs_url(series.path), _newest(series.pages)))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, when in entries:
        # W3C Datetime with the site's offset: the date alone would shift a day near midnight.
        extra = f"<lastmod>{when.isoformat()}</lastmod>" if when else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{extra}</url>")
    lines.append("</urlset>\n")
    return Output("sitemap.xml", "\n".join(lines).encode("utf-8"))


def render_robots(config: SiteConfig) -> Output:
    sitemap = absolute_url(config.base_url, config.base_path, "sitemap.xml")
    return Output("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode())
