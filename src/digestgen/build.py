"""The build pipeline, and the only module that knows the order of its stages:

config → discover → load (one loader per shape) → graph → render → write.

Each stage is a function with typed input and output, called once per build in that order
(:func:`build` reads as the list of them). What is reused from the last build lives behind
:mod:`digestgen.pipeline.cache`, how work is spread over processes behind
:mod:`digestgen.pipeline.parallel`; ``serve`` calls the same :func:`build` with a
:class:`Live` record. The stages past "nothing changed" (Markdown, Jinja, feeds, search) are
imported when a build gets there: a build that finds nothing to do answers in a fraction of
their import time.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digestgen.config import SiteConfig, load_config
from digestgen.errors import ContentError, Diagnostic, FileSystemError, Severity
from digestgen.model import Site
from digestgen.pipeline import stages
from digestgen.pipeline.cache import BuildCache, LastOutput, document_keys, unchanged_since
from digestgen.pipeline.cache_disk import load_cache, save_cache
from digestgen.progress import Progress
from digestgen.write import WriteStats, output_folder, scan_tree


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
class Live:
    """A rebuild for ``serve``: written in place into its private folder, the search index
    left for :func:`build_search`, and (from the file watcher) ``changed``: the only files
    that may differ from the cache's (paths relative to the site), so the others are not
    even read; ``structural=False`` adds that no file was created, deleted or moved."""

    changed: frozenset[str] | None = None
    structural: bool = True


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
    cache: BuildCache | None = None


def build(options: BuildOptions, cache: BuildCache | None = None, *, live: Live | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site; raise a :class:`~digestgen.errors.DigestgenError` on bad input.

    On failure nothing in the output folder changes. With a ``cache`` from an earlier build
    (else the one on disk, with ``options.cache``), unchanged documents are not loaded and
    unchanged pages not rendered again. ``progress`` hears (stage, done, total) for the long
    stages, "load" and "render".
    """
    started, timings = time.perf_counter(), {}
    source = options.source.resolve()
    if cache is None:
        cache = load_cache(source) if options.cache else BuildCache()
    with _collector_paused(), _file_system_errors(options):
        config = load_config(source, base_url=options.base_url)
        output = output_folder(options.output, config, source)
        mark = time.perf_counter()
        sources = stages.discover_sources(source, config, output, cache, live)
        keys = document_keys(sources.inventory.documents, cache, config.fingerprint(),
                             live.changed if live else None)
        print_ = stages.fingerprint_inputs(sources, keys, config, source, output,
                                           (options.drafts, options.strict))
        if live is None and options.cache and unchanged_since(cache.last, print_, output):
            timings["load"] = time.perf_counter() - mark
            return _unchanged_result(config, output, cache, started, timings)
        loaded = stages.load(sources, keys, config, source, cache, options.jobs, progress,
                             drafts=options.drafts, write_buckets=options.cache and live is None)
        timings["load"], mark = time.perf_counter() - mark, time.perf_counter()
        graphed = stages.graph(loaded, sources, config, source, options.drafts, cache)
        timings["graph"], mark = time.perf_counter() - mark, time.perf_counter()
        diags = _finalise(graphed.diagnostics, options.strict)
        if any(d.severity is Severity.ERROR for d in diags):
            raise ContentError(diags)
        rendered = stages.render(graphed, sources, config, source, output, cache, keys,
                                 options.jobs, live is not None, options.cache)
        stats = stages.write(rendered, output, cache, options.jobs, progress, live is not None)
        timings["render+write"] = time.perf_counter() - mark
        if live is None:
            cache.last = LastOutput(print_, stats.listing or scan_tree(output), tuple(diags),
                                    len(loaded.documents))
            if options.cache:
                save_cache(source, cache)
    return BuildResult(config, graphed.site, output, tuple(diags), stats, len(loaded.documents),
                       time.perf_counter() - started, timings, loaded.loaded,
                       tuple(rendered.memo.rendered), cache)


def build_search(result: BuildResult, cancel=None, lock=None) -> WriteStats:
    """Write the search index of a site built for ``serve`` (which builds with a
    :class:`Live` record, leaving the index for later). ``cancel`` (an Event) abandons the
    work (raising search.index.Cancelled); ``lock`` is held only while files are written."""
    assert result.cache is not None and result.site is not None
    return stages.write_search(result.site, result.config, result.output, result.cache,
                               cancel, lock)


def _unchanged_result(config: SiteConfig, output: Path, cache: BuildCache, started: float,
                      timings: dict[str, float]) -> BuildResult:
    assert cache.last is not None
    files = len(cache.last.listing)
    return BuildResult(config, None, output, cache.last.diagnostics, WriteStats(files, 0, files),
                       cache.last.documents, time.perf_counter() - started, timings, (), (),
                       cache)


def _finalise(diags: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    # Under --strict every warning is an error: a build that prints one does not pass.
    if strict:
        diags = [d.promoted() if d.severity is Severity.WARNING else d for d in diags]
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.message))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    # A build allocates many objects and frees few: the cyclic collector would walk the whole
    # (large, acyclic) site model again and again. Paused for the build.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _file_system_errors(options: BuildOptions) -> Iterator[None]:
    """Disk full, a read-only file system, a folder without permission: say what and where."""
    try:
        yield
    except OSError as exc:
        raise FileSystemError.of(exc, "build the site", options.output or options.source
                                 ) from exc

