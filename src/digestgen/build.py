"""The build pipeline, and the only module that knows the order of its stages:

config → discover → load (one loader per shape) → graph → render → write.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digestgen import __version__
from digestgen.config import SiteConfig, load_config
from digestgen.errors import ContentError, Diagnostic, Severity, TemplateError, error
from digestgen.model import Document, Site, SourceFile
from digestgen.outputs import Output
from digestgen.progress import Progress
from digestgen.sources import discover
from digestgen.state import (
    BucketWriter,
    BuildState,
    SourceKeys,
    bucket_contents,
    bucket_of,
    bucket_writer,
    load_state,
    save_state,
    template_cache,
    touched,
)
from digestgen.theme_location import theme_dir
from digestgen.write import (
    Bundle,
    EarlyBundle,
    WriteStats,
    build_lock,
    can_fork,
    check_output_folder,
    die_with_parent,
    scan_tree,
    sync_site,
    write_site,
)

if TYPE_CHECKING:
    import jinja2

    from digestgen.markdown import MarkdownRenderer
    from digestgen.render.pages import RenderMemo
    from digestgen.search.index import SearchPlan

# The stages past "nothing changed" (Markdown, Jinja, feeds, search) are imported when a build
# gets there: a build that finds nothing to do answers in a fraction of their import time.

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
    # Processes that load and render (None: one per core).
    jobs: int | None = None
    # Keep a build cache in <source>/.digestgen-cache/ (the command line does).
    cache: bool = False


@dataclass(frozen=True, slots=True)
class BuildResult:
    config: SiteConfig
    site: Site | None  # None when the cache showed that nothing had changed
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
    changed: frozenset[str] | None = None,
    structural: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site; raise a :class:`~digestgen.errors.DigestgenError` on bad input.

    On failure nothing in the output folder changes. With a ``state`` from an earlier build,
    unchanged documents are not loaded and unchanged pages not rendered again. ``in_place``
    writes changed files straight into the output folder instead of swapping in a new one
    (``serve`` does, to keep a large site's rebuilds fast); ``search=False`` leaves the search
    index for the caller to build (:func:`build_search`). ``changed``, from a file watcher,
    names the only files that may differ from the state's (paths relative to the site), so
    the others are not even read; ``structural=False`` adds that no file was created, deleted
    or moved, so the content folder is not walked again. ``progress`` hears (stage, done,
    total) for the long stages, "load" and "render".
    """
    if state is None:
        state = load_state(options.source.resolve()) if options.cache else BuildState()
    # A build allocates many objects and frees few: the cyclic collector would walk the whole
    # (large, acyclic) site model again and again. Pause it for the build.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(options, state, in_place=in_place, search=search, changed=changed,
                      structural=structural, progress=progress)
    finally:
        if enabled:
            gc.enable()


def _build(options: BuildOptions, state: BuildState, *, in_place: bool, search: bool,
           changed: frozenset[str] | None, structural: bool,
           progress: Progress | None) -> BuildResult:
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
    check_output_folder(output, source, source / config.content_dir,
                        (source / config.static_dir, source / config.templates_dir))

    mark = time.perf_counter()
    config_key = config.fingerprint()
    if (not structural and changed is not None and state.inventory is not None
            and state.config_key == config_key):
        inventory = state.inventory  # only existing files were edited: nothing to rediscover
    else:
        inventory = discover(source, config, output)
    state.inventory = inventory
    diags: list[Diagnostic] = list(inventory.diagnostics)
    documents: list[Document] = []
    loaded: list[str] = []
    trust = changed is not None and state.config_key == config_key
    keys: dict[str, str] = {}
    keyer = SourceKeys(state, config_key)
    for src in inventory.documents:
        cached = state.documents.get(src.rel_path)
        if trust and cached is not None and not touched(src, changed):
            keys[src.rel_path] = cached[0]
        else:
            keys[src.rel_path] = keyer(src)
    keyer.record(state)
    # Everything the output depends on. The same as last time, with the output as it was
    # left, there is nothing to do.
    fingerprint = _fingerprint(options, config_key, keys, inventory, source, config, output)
    if (options.cache and not in_place and fingerprint == state.fingerprint
            and _intact(output, state.outputs)):
        timings["load"] = time.perf_counter() - mark
        return BuildResult(config, None, output, state.diagnostics,
                           WriteStats(len(state.outputs), 0, len(state.outputs)),
                           state.documents_count, time.perf_counter() - started, timings,
                           (), (), state)
    state.need_documents()
    import jinja2

    from digestgen.graph import build_site, patch_site
    from digestgen.markdown import MarkdownRenderer
    from digestgen.render.env import make_environment, template_error
    from digestgen.render.pages import RenderMemo
    from digestgen.render.views import site_view
    from digestgen.search.index import plan_search, shard_reader

    cache, fresh = state.documents, {}
    renderer = MarkdownRenderer(config.markdown, config.words)
    stale = [s for s in inventory.documents
             if (cache.get(s.rel_path) or ("",))[0] != keys[s.rel_path]]
    # Every document to load (a first build, or after an upgrade): each loader process writes
    # the cache buckets of the documents it loaded, instead of the build doing it at the end.
    writer = (bucket_writer(source) if options.cache and not in_place
              and len(stale) == len(inventory.documents) else None)
    loaded_now, written = load_all(stale, config, renderer, keys,
                                   options.jobs or os.cpu_count() or 1, progress, writer)
    state.on_disk = {**state.on_disk, **written}
    for src in inventory.documents:
        entry = loaded_now.get(src.rel_path)
        if entry is not None:
            loaded.append(src.rel_path)
        else:
            entry = cache[src.rel_path]
        _, doc, found = fresh[src.rel_path] = entry
        diags.extend(found)
        if doc is not None:
            documents.append(doc)
    timings["load"] = time.perf_counter() - mark

    mark = time.perf_counter()
    site = None
    graph_key = (config_key, options.drafts, _shape(inventory))
    if (state.graph is not None and state.graph[0] == graph_key
            and all(fresh[s][1] is not None for s in loaded)):
        # The same files as the last graph's: if no edit touched what the graph is made of,
        # patch the pages in place of building the whole graph again.
        site = patch_site(state.graph[1], {s: fresh[s][1] for s in loaded})
        graph_diags = state.graph[2]
    if site is None:
        site, graph_diags = build_site(
            documents, inventory.files, config, include_drafts=options.drafts
        )
        state.graph_token = ""  # not the graph on disk any more
    state.graph = (graph_key, site, graph_diags)
    diags.extend(graph_diags)
    timings["graph"] = time.perf_counter() - mark

    state.documents = fresh  # loaded documents are kept even when the build fails
    state.config_key = config_key
    diags = _finalise(diags, options.strict)
    if any(d.severity is Severity.ERROR for d in diags):
        raise ContentError(diags)

    mark = time.perf_counter()
    # Compiled templates are kept between builds (serve) until a site template is added,
    # removed or edited: an override file added next to a cached theme template must win.
    env_key = (str(source / config.templates_dir), config.effective_date_format,
               _listing(source / config.templates_dir))
    if state.env is None or state.env[0] != env_key:
        state.env = (env_key, make_environment(
            source / config.templates_dir, config.effective_date_format,
            template_cache(source) if options.cache else None))
    env = state.env[1]
    memo = RenderMemo(state.renders, state.views)
    jobs = options.jobs or os.cpu_count() or 1
    plan = (plan_search(site, config, memo, state.search, shard_reader(output),
                        state.search_documents, doc_keys=keys) if search else None)
    early = None
    bundle = next((o for o in plan.outputs if isinstance(o, Bundle)), None) if plan else None
    if bundle is not None and jobs > 1 and not in_place and can_fork():
        # A whole search index to build: it starts now, on a core of its own.
        plan.outputs.remove(bundle)
        early = EarlyBundle(bundle)
    view = site_view(site, config, STYLESHEETS, SCRIPTS)

    def on_error(exc: BaseException) -> Exception:
        return template_error(exc, source / config.templates_dir, source)

    outputs = _outputs(site, config, env, view, source, memo, plan, on_error=on_error)
    try:
        with build_lock(output):
            try:
                if in_place:
                    # Everything is rendered first: a template error leaves the output as
                    # it was.
                    stats = sync_site(outputs, output, state.written, keep=() if search else
                                      ("search/",), same=memo.reused_paths, atomic=True)
                else:
                    stats = write_site(outputs, output, jobs=jobs, expected=state.outputs,
                                       progress=progress, late=early)
            except jinja2.TemplateError as exc:
                raise template_error(exc, source / config.templates_dir, source) from None
    finally:
        if early is not None:
            early.cancel()  # a no-op once its result is in
    state.renders = memo.current
    state.views = memo.new_views
    if plan is not None:
        state.search = plan.state(stats.payloads)
        state.search_documents = {p.doc.source: p.doc for p in site.pages}
    timings["render+write"] = time.perf_counter() - mark
    if not in_place:
        # What reused pages are checked against next time.
        state.outputs = stats.listing if stats.listing is not None else scan_tree(output)
    if options.cache and not in_place:
        state.fingerprint = fingerprint
        state.diagnostics = tuple(diags)
        state.documents_count = len(documents)
        save_state(source, state)
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


def build_search(result: BuildResult, cancel=None, lock=None) -> WriteStats:
    """Write the search index of a built site (for callers that built with ``search=False``).

    ``cancel`` (an Event) abandons the work (raising search.index.Cancelled); ``lock`` is held
    only while files are written.
    """
    from digestgen.search.index import plan_search, shard_reader

    state = result.state
    assert state is not None
    plan = plan_search(result.site, result.config, None, state.search,
                       shard_reader(result.output), state.search_documents, cancel)
    outputs, payloads = _rendered(plan, cancel)
    with lock or contextlib.nullcontext(), build_lock(result.output):
        # The search page itself is written by the build; the index's stale files go.
        stats = sync_site(outputs, result.output, state.written, scope="search/",
                          keep=("search/index.html",))
        state.search = plan.state(payloads)
        state.search_documents = {p.doc.source: p.doc for p in result.site.pages}
    return stats


def _rendered(plan: SearchPlan, cancel=None) -> tuple[list[Output], dict]:
    """Every file of a search plan, rendered (outside any lock: it may take a while)."""
    from digestgen.search.index import checkpoint

    outputs: list[Output] = []
    payloads: dict = {}
    for k, item in enumerate(plan.outputs):
        if k % 256 == 0:
            checkpoint(cancel)
        if isinstance(item, Bundle):
            files, payloads[item.prefix] = item.run()
            outputs.extend(files)
        elif item.reuse:
            outputs.append(item)
        else:
            outputs.append(Output(item.path, data=item.bytes()))
    return outputs, payloads


_LOAD: tuple = ()  # (groups, config, keys, writer) for forked loader processes, which inherit it


def load_all(sources: list[SourceFile], config: SiteConfig, renderer: MarkdownRenderer,
             keys: dict[str, str], jobs: int, progress: Progress | None = None,
             writer: BucketWriter | None = None,
             ) -> tuple[dict[str, tuple[str, Document | None, list[Diagnostic]]],
                        dict[int, frozenset]]:
    """Load ``sources``, in ``jobs`` forked processes when there are enough of them: each
    source's cache entry (its key from ``keys``, its document or None, its diagnostics).

    With a ``writer`` (``sources`` then hold whole cache buckets), each process also writes
    the buckets it loaded into the cache; the second value says which buckets are on disk
    now, and with which documents."""
    from digestgen.load import load_document

    global _LOAD
    total = len(sources)
    if progress is not None and total:
        progress("load", 0, total)
    if jobs <= 1 or total < 64 or not can_fork():
        loaded = {}
        for k, s in enumerate(sources, 1):
            loaded[s.rel_path] = (keys[s.rel_path], *load_document(s, config, renderer))
            if progress is not None and (k % 64 == 0 or k == total):
                progress("load", k, total)
        return loaded, {}
    # Tasks of whole buckets (or, without a writer, of slices that stand for no bucket).
    if writer is not None:
        by_bucket: dict[int, list[SourceFile]] = {}
        for s in sources:
            by_bucket.setdefault(bucket_of(s.rel_path), []).append(s)
        buckets = sorted(by_bucket.items())
    else:
        size = max(16, total // (jobs * 4) + 1)
        buckets = [(-1, sources[k:k + size]) for k in range(0, total, size)]
    per_task = max(1, len(buckets) // (jobs * 4))
    groups = [buckets[k:k + per_task] for k in range(0, len(buckets), per_task)]
    _LOAD = (groups, config, keys, writer)
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent,
                                 initargs=(os.getpid(),),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            out: dict[str, tuple[str, Document | None, list[Diagnostic]]] = {}
            written: dict[int, frozenset] = {}
            for part in pool.map(_load_group, range(len(groups))):
                for bucket, payload, on_disk in part:
                    entries = pickle.loads(payload)
                    out.update(entries)
                    if on_disk:
                        written[bucket] = bucket_contents(entries)
                if progress is not None:
                    progress("load", len(out), total)
            return out, written
    finally:
        _LOAD = ()


def _load_group(index: int) -> list[tuple[int, bytes, bool]]:
    """Load a task's buckets: (bucket, its pickled entries, whether written to the cache).
    The pickle that is the cache file is also what goes back to the build."""
    from digestgen.load import load_document
    from digestgen.markdown import MarkdownRenderer

    groups, config, keys, writer = _LOAD
    renderer = MarkdownRenderer(config.markdown, config.words)
    out = []
    for bucket, sources in groups[index]:
        entries = {s.rel_path: (keys[s.rel_path], *load_document(s, config, renderer))
                   for s in sources}
        if writer is None:
            out.append((bucket, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL), False))
        else:
            out.append((bucket, *writer.write(bucket, entries)))
    return out


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
    search: SearchPlan | None,
    *,
    on_error=None,
) -> Iterator[Output | Bundle]:
    theme_static = theme_dir() / "static"
    site_static = source / config.static_dir
    statics = _static_files(theme_static)
    # In this repository the example site's static/ *is* the theme's: nothing to override then.
    own = _static_files(site_static) if site_static.resolve() != theme_static.resolve() else {}
    statics.update(own)

    import jinja2

    from digestgen.markdown import pygments_css
    from digestgen.render.env import template_error
    from digestgen.render.feeds import render_feeds
    from digestgen.render.pages import render_pages
    from digestgen.render.sitemap import render_robots, render_sitemap

    generated: set[str] = set()

    def emit(items) -> Iterator[Output]:
        for item in items:
            if item.path in own and item.path in OVERRIDABLE:
                continue  # the site's own robots.txt / 404.html wins
            generated.add(item.path)
            yield item

    try:
        yield from emit(render_pages(site, config, env, view, memo, on_error, source))
    except jinja2.TemplateError as exc:
        raise template_error(exc, source / config.templates_dir, source) from None
    except TemplateError:
        raise
    yield from emit(render_feeds(site, config, memo))
    if search is not None:
        yield from search.outputs
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


def _fingerprint(options: BuildOptions, config_key: str, keys: dict[str, str], inventory,
                 source: Path, config: SiteConfig, output: Path) -> str:
    """A digest of every input of a build (documents by content, templates and static files by
    content or size and mtime, the options that change output)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, config_key, options.drafts, options.strict,
                        str(output))).encode())
    for rel in sorted(keys):
        digest.update(f"{rel}\0{keys[rel]}\0".encode())
    for folder in (source / config.templates_dir, theme_dir() / "templates",
                   source / config.static_dir, theme_dir() / "static"):
        digest.update(repr(_listing(folder)).encode())
    for rel in sorted(inventory.files):
        try:
            st = os.stat(inventory.files[rel])
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{rel}\0gone\0".encode())
    return digest.hexdigest()


def _shape(inventory) -> str:
    """A digest of what a graph is built from besides the documents themselves: which
    documents there are, in order, and the other content files."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(([s.rel_path for s in inventory.documents],
                        sorted(inventory.files.items()))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _intact(output: Path, expected: dict[str, tuple[int, int]]) -> bool:
    """Whether the output folder still holds exactly what the last build left there."""
    return bool(expected) and scan_tree(output) == expected


def _listing(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out.append((path.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


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
