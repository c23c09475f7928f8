"""The build pipeline, and the only module that knows the order of its stages:

config → discover → load (one loader per shape) → graph → render → write.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from digestgen.config import SiteConfig, load_config
from digestgen.errors import ContentError, Diagnostic, Severity, TemplateError, error
from digestgen.graph import build_site
from digestgen.load import LOADER_VERSION, load_document
from digestgen.markdown import MarkdownRenderer, pygments_css
from digestgen.model import Document, Site
from digestgen.render.env import make_environment, template_error, theme_dir
from digestgen.render.feeds import render_feeds
from digestgen.render.pages import Output, RenderMemo, render_pages
from digestgen.render.sitemap import render_robots, render_sitemap
from digestgen.render.views import site_view
from digestgen.search.index import render_search_index
from digestgen.sources import discover
from digestgen.state import BuildState, source_key
from digestgen.write import WriteStats, build_lock, check_output_folder, sync_site, write_site

HIGHLIGHT_CSS = "css/highlight.css"
STYLESHEETS = ("css/style.css", HIGHLIGHT_CSS)
SCRIPTS: tuple[str, ...] = ()
# Generated files a site may replace with its own copy in static/.
OVERRIDABLE = frozenset({"robots.txt", "404.html", ".nojekyll"})


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path
    output: Path | None = None
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None


@dataclass(frozen=True, slots=True)
class BuildResult:
    config: SiteConfig
    site: Site
    output: Path
    diagnostics: tuple[Diagnostic, ...]
    stats: WriteStats
    documents: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    # What this build did afresh: source files loaded, pages rendered (output paths).
    loaded: tuple[str, ...] = ()
    rendered: tuple[str, ...] = ()
    state: BuildState | None = None


def build(
    options: BuildOptions,
    state: BuildState | None = None,
    *,
    in_place: bool = False,
    search: bool = True,
) -> BuildResult:
    """Build the site; raise a :class:`~digestgen.errors.DigestgenError` on bad input.

    On failure nothing in the output folder changes. With a ``state`` from an earlier build,
    unchanged documents are not loaded and unchanged pages not rendered again. ``in_place``
    writes changed files straight into the output folder instead of swapping in a new one
    (``serve`` does, to keep a large site's rebuilds fast); ``search=False`` leaves the search
    index for the caller to build (:func:`build_search`).
    """
    state = state if state is not None else BuildState()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    source = options.source.resolve()
    config = load_config(source, base_url=options.base_url)
    output = options.output or Path(config.output_dir)
    output = (
        output
        if output.is_absolute()
        else (Path.cwd() / output if options.output else source / output)
    )
    check_output_folder(output, source, source / config.content_dir)

    mark = time.perf_counter()
    inventory = discover(source, config, output)
    renderer = MarkdownRenderer(config.markdown)
    diags: list[Diagnostic] = list(inventory.diagnostics)
    documents: list[Document] = []
    config_key = config.fingerprint()
    cache, fresh = state.documents, {}
    loaded: list[str] = []
    for src in inventory.documents:
        key = source_key(src, config_key, LOADER_VERSION)
        cached = cache.get(src.rel_path)
        if cached is not None and cached[0] == key:
            doc, found = cached[1], cached[2]
        else:
            doc, found = load_document(src, config, renderer)
            loaded.append(src.rel_path)
        fresh[src.rel_path] = (key, doc, found)
        diags.extend(found)
        if doc is not None:
            documents.append(doc)
    timings["load"] = time.perf_counter() - mark

    mark = time.perf_counter()
    site, graph_diags = build_site(
        documents, inventory.files, config, include_drafts=options.drafts
    )
    diags.extend(graph_diags)
    timings["graph"] = time.perf_counter() - mark

    state.documents = fresh  # loaded documents are kept even when the build fails
    diags = _finalise(diags, options.strict)
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(diags)

    mark = time.perf_counter()
    env = make_environment(source / config.templates_dir, config.effective_date_format)
    view = site_view(site, config, STYLESHEETS, SCRIPTS)
    memo = RenderMemo(state.renders)
    outputs = _outputs(site, config, env, view, source, memo, search=search)
    with build_lock(output):
        try:
            if in_place:
                # Render everything first: a template error must leave the output untouched.
                stats = sync_site(list(outputs), output, state.written,
                                  keep=() if search else ("search/",))
            else:
                stats = write_site(outputs, output)
        except jinja2.TemplateError as exc:
            raise template_error(exc, source / config.templates_dir, source) from None
    state.renders = memo.current
    timings["render+write"] = time.perf_counter() - mark
    return BuildResult(
        config,
        site,
        output,
        tuple(diags),
        stats,
        len(documents),
        time.perf_counter() - started,
        timings,
        tuple(loaded),
        tuple(memo.rendered),
        state,
    )


def build_search(result: BuildResult) -> WriteStats:
    """Write the search index of a built site (for callers that built with ``search=False``)."""
    assert result.state is not None
    outputs = list(render_search_index(result.site, result.config))
    with build_lock(result.output):
        return sync_site(outputs, result.output, result.state.written, prune=False)


def _finalise(diags: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if strict:
        diags = [d.promoted() if d.strict and d.severity is Severity.WARNING else d for d in diags]
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.message))


def _outputs(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    view,
    source: Path,
    memo: RenderMemo,
    *,
    search: bool = True,
) -> Iterator[Output]:
    theme_static = theme_dir() / "static"
    site_static = source / config.static_dir
    statics = _static_files(theme_static)
    # In this repository the example site's static/ *is* the theme's: nothing to override then.
    own = _static_files(site_static) if site_static.resolve() != theme_static.resolve() else {}
    statics.update(own)

    generated: set[str] = set()

    def emit(items) -> Iterator[Output]:
        for item in items:
            if item.path in own and item.path in OVERRIDABLE:
                continue  # the site's own robots.txt / 404.html wins
            generated.add(item.path)
            yield item

    try:
        yield from emit(render_pages(site, config, env, view, memo))
    except jinja2.TemplateError as exc:
        raise template_error(exc, source / config.templates_dir, source) from None
    except TemplateError:
        raise
    yield from emit(render_feeds(site, config))
    if search:
        yield from emit(render_search_index(site, config))
    yield from emit([render_sitemap(site, config), render_robots(config), Output(".nojekyll", b"")])
    css = pygments_css(config.markdown.highlight_style, config.markdown.highlight_style_dark)
    yield from emit([Output(HIGHLIGHT_CSS, css.encode())])
    for asset in site.assets:
        if asset.output in generated:
            raise ContentError(
                [
                    error(
                        config.content_dir + "/" + asset.output,
                        0,
                        "this file's path is also a generated page; rename it",
                    )
                ]
            )
        generated.add(asset.output)
        yield Output(asset.output, source=asset.source_abs)
    for rel, path in sorted(statics.items()):
        if rel in generated:
            if rel in OVERRIDABLE:
                continue
            raise ContentError(
                [
                    error(
                        f"{config.static_dir}/{rel}",
                        0,
                        "a static file has the path of a generated page; rename it",
                    )
                ]
            )
        yield Output(rel, source=str(path))


def _static_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(
            part.startswith(".") and part != ".nojekyll" for part in path.relative_to(folder).parts
        ):
            out[path.relative_to(folder).as_posix()] = path
    return out
