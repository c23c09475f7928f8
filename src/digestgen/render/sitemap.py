"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

from xml.sax.saxutils import escape

from digestgen.config import SiteConfig
from digestgen.model import Site
from digestgen.outputs import Output
from digestgen.urls import absolute_url


def render_sitemap(site: Site, config: SiteConfig) -> Output:
    """Every document with its last change, plus the listing pages readers land on."""
    abs_url = lambda p: absolute_url(config.base_url, config.base_path, p)  # noqa: E731
    entries: list[tuple[str, str]] = [(abs_url(""), "")]
    for section in site.sections:
        if section.pages:
            entries.append((abs_url(section.path), ""))
    for page in site.pages:
        when = page.doc.updated or page.doc.date
        entries.append((page.abs_url, when.date().isoformat() if when else ""))
    for term in (*site.tags, *site.categories, *site.series):
        entries.append((abs_url(term.path), ""))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in entries:
        extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{extra}</url>")
    lines.append("</urlset>\n")
    return Output("sitemap.xml", "\n".join(lines).encode("utf-8"))


def render_robots(config: SiteConfig) -> Output:
    sitemap = absolute_url(config.base_url, config.base_path, "sitemap.xml")
    return Output("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode())
