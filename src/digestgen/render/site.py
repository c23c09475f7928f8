"""Every output of a site, in one stream: pages, feeds, the search index, sitemap, robots.txt,
the stylesheet for code, the files next to documents and the static files (the theme's, with
the site's own over them). A file that would land where another already does is an error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jinja2

from digestgen.config import SiteConfig
from digestgen.errors import ContentError, error
from digestgen.model import Site
from digestgen.outputs import Item, Output
from digestgen.render.memo import RenderMemo
from digestgen.render.views import SiteView

HIGHLIGHT_CSS = "css/highlight.css"
STYLESHEETS = ("css/style.css", HIGHLIGHT_CSS)
# Generated files a site may replace with its own copy in static/.
OVERRIDABLE = frozenset({"robots.txt", "404.html", ".nojekyll"})


def render_site(site: Site, config: SiteConfig, env: jinja2.Environment, view: SiteView,
                memo: RenderMemo, statics: dict[str, Path], own: frozenset[str],
                cleaned: dict[str, bytes | None], search: Iterable[Item] = (), *,
                source: Path | None = None,
                on_error: Callable[[BaseException], Exception] | None = None
                ) -> Iterator[Item]:
    """The site's outputs. ``statics``: static files by output path (``own``: those that are
    the site's, which may replace a generated robots.txt or 404.html); ``cleaned``: files
    next to documents that were sanitised (None: not published); ``search``: the search
    index's outputs."""
    from digestgen.markdown import pygments_css
    from digestgen.render.feeds import render_feeds
    from digestgen.render.pages import render_pages
    from digestgen.render.sitemap import render_robots, render_sitemap

    generated: set[str] = set()

    def emit(items: Iterable[Output]) -> Iterator[Output]:
        for item in items:
            if item.path in own and item.path in OVERRIDABLE:
                continue  # the site's own robots.txt / 404.html wins
            generated.add(item.path)
            yield item

    yield from emit(render_pages(site, config, env, view, memo, on_error, source, statics))
    yield from emit(render_feeds(site, config, memo))
    yield from search
    yield from emit([render_sitemap(site, config), render_robots(config), Output(".nojekyll", b"")])
    css = pygments_css(config.markdown.highlight_style, config.markdown.highlight_style_dark)
    yield from emit([Output(HIGHLIGHT_CSS, css.encode())])
    for asset in site.assets:
        if asset.output in generated:
            raise ContentError([error(config.content_dir + "/" + asset.output, 0,
                                      "this file's path is also a generated page; rename it")])
        generated.add(asset.output)
        if asset.output not in cleaned:
            yield Output(asset.output, source=asset.source_abs)
        elif (data := cleaned[asset.output]) is not None:
            yield Output(asset.output, data=data)  # an SVG or HTML file, sanitised
    for rel, path in sorted(statics.items()):
        if rel in generated:
            if rel in OVERRIDABLE:
                continue
            raise ContentError([error(f"{config.static_dir}/{rel}", 0,
                                      "a static file has the path of a generated page; rename it")])
        yield Output(rel, source=str(path))
