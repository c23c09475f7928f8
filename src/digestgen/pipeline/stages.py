"""The stages of a build, each joined to what it reuses from the last build and to the
processes it may use. The stage modules themselves (:mod:`digestgen.sources`,
:mod:`digestgen.load`, :mod:`digestgen.graph`, :mod:`digestgen.render`,
:mod:`digestgen.write`) know neither; :func:`digestgen.build.build` calls these in order.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, Severity
from digestgen.linkcheck import unresolved_links
from digestgen.model import Document, Site, SourceFile
from digestgen.outputs import Bundle, Item, Output
from digestgen.pipeline.cache import (
    BuildCache,
    CachedDocument,
    KeptGraph,
    LiveKept,
    SearchKept,
    fingerprint,
)
from digestgen.pipeline.cache_disk import (
    BucketWriter,
    bucket_contents,
    bucket_of,
    bucket_writer,
    template_cache,
)
from digestgen.pipeline.parallel import can_fork, fork_map, workers
from digestgen.progress import Progress
from digestgen.sitefs import named, real_path, walk_files
from digestgen.sources import Inventory, discover
from digestgen.theme_location import theme_dir
from digestgen.write import (
    EarlyBundle,
    InPlace,
    Staged,
    WriteStats,
    build_lock,
)
from digestgen.write import (
    write as write_outputs,
)

if TYPE_CHECKING:
    from digestgen.render.memo import RenderMemo

# -- discover ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sources:
    """What a build reads: the documents and other content files, and the static files (the
    theme's with the site's own over them; ``own``: which are the site's)."""

    inventory: Inventory
    statics: dict[str, Path]
    own: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]


def discover_sources(source: Path, config: SiteConfig, output: Path, cache: BuildCache,
                     live) -> Sources:
    """The site's documents and files. ``serve``, told that files were only edited, keeps
    the last discovery of the content folder."""
    kept = cache.live.inventory if cache.live is not None else None
    if (live is not None and not live.structural and live.changed is not None
            and kept is not None and cache.config_key == config.fingerprint()):
        inventory = kept
    else:
        inventory = discover(source, config, output)
    if live is not None:
        cache.live = cache.live or LiveKept()
        cache.live.inventory = inventory
    diags: list[Diagnostic] = list(inventory.diagnostics)
    own = _site_static(source, config, diags)
    statics = {**_static_files(theme_dir() / "static"), **own}
    return Sources(inventory, statics, frozenset(own), tuple(diags))


def _site_static(source: Path, config: SiteConfig, diags: list[Diagnostic]) -> dict[str, Path]:
    """The site's own static files: links out of the site are left out, with a warning."""
    folder = source / config.static_dir
    # In this repository the example site's static/ *is* the theme's: nothing to override then.
    if real_path(folder) == (theme_dir() / "static").resolve():
        return {}
    return _static_files(folder, source, diags)


def _static_files(folder: Path, site_root: Path | None = None,
                  diagnostics: list[Diagnostic] | None = None) -> dict[str, Path]:
    """The files of a static folder (``.nojekyll`` is the one hidden file kept), read as
    :func:`~digestgen.sitefs.walk_files` allows (``site_root`` None: the theme's)."""
    root = site_root or folder.resolve()
    return {f.rel: f.path for f in walk_files(folder, root, lambda p: named(p, root),
                                               skip=_hidden_static, diagnostics=diagnostics)}


def _hidden_static(rel: str, is_dir: bool) -> bool:
    name = rel.rpartition("/")[2]
    return name.startswith(".") and name != ".nojekyll"


def fingerprint_inputs(sources: Sources, keys: dict[str, str], config: SiteConfig, source: Path,
                       output: Path, options: tuple) -> str:
    """A digest of every input of the build: documents by content, templates and static
    files (the site's and the theme's) as listed, other content files, the configuration and
    the ``options`` that change the output."""
    folders = [(source / config.templates_dir, source), (theme_dir() / "templates", None),
               (source / config.static_dir, source), (theme_dir() / "static", None)]
    return fingerprint((config.fingerprint(), *options, str(output)), keys, folders,
                       sources.inventory.files)


# -- load --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    """Every source's cache entry, the documents among them, in source order, and which
    sources were loaded afresh."""

    entries: dict[str, CachedDocument]
    documents: list[Document]
    loaded: tuple[str, ...]
    diagnostics: list[Diagnostic]


def load(sources: Sources, keys: dict[str, str], config: SiteConfig, source: Path,
         cache: BuildCache, jobs: int | None, progress: Progress | None, *, drafts: bool,
         write_buckets: bool) -> Loaded:
    """Load the documents whose key changed; take the others from the cache. A build that
    loads every document has its loader processes write the cache's buckets as they go
    (``write_buckets``), instead of the build doing it at the end."""
    inventory = sources.inventory
    cache.need_documents()
    stale = [s for s in inventory.documents
             if (kept := cache.documents.get(s.rel_path)) is None or kept.key != keys[s.rel_path]]
    writer = (bucket_writer(source) if write_buckets and stale
              and len(stale) == len(inventory.documents) else None)
    fresh, on_disk = _load_many(stale, config, keys, workers(jobs), progress, writer)
    cache.buckets = {**cache.buckets, **on_disk}
    entries: dict[str, CachedDocument] = {}
    documents: list[Document] = []
    diags: list[Diagnostic] = list(sources.diagnostics)
    for src in inventory.documents:
        entry = entries[src.rel_path] = fresh.get(src.rel_path) or cache.documents[src.rel_path]
        found = entry.diagnostics
        if entry.document is not None and entry.document.draft and not drafts:
            # A draft this build leaves out: its warnings are for a build with --drafts.
            found = [d for d in found if d.severity is not Severity.WARNING]
        diags.extend(found)
        if entry.document is not None:
            documents.append(entry.document)
    cache.documents = entries  # loaded documents are kept even when the build fails
    return Loaded(entries, documents, tuple(s.rel_path for s in stale), diags)


def _load_many(sources: list[SourceFile], config: SiteConfig, keys: dict[str, str], jobs: int,
               progress: Progress | None, writer: BucketWriter | None
               ) -> tuple[dict[str, CachedDocument], dict[int, frozenset]]:
    """Load ``sources``, in forked processes when there are enough of them. Tasks are whole
    cache buckets when a ``writer`` writes them (the second value: which buckets are on disk
    now, with which documents)."""
    from digestgen.load import load_document
    from digestgen.markdown import MarkdownRenderer

    total = len(sources)
    if progress is not None and total:
        progress("load", 0, total)
    if jobs <= 1 or total < 64 or not can_fork():
        renderer = MarkdownRenderer(config.markdown, config.words)
        out = {}
        for k, s in enumerate(sources, 1):
            out[s.rel_path] = CachedDocument(keys[s.rel_path], *load_document(s, config,
                                                                                renderer))
            if progress is not None and (k % 64 == 0 or k == total):
                progress("load", k, total)
        return out, {}
    if writer is not None:
        by_bucket: dict[int, list[SourceFile]] = {}
        for s in sources:
            by_bucket.setdefault(bucket_of(s.rel_path), []).append(s)
        buckets = sorted(by_bucket.items())
    else:  # slices that stand for no bucket
        size = max(16, total // (jobs * 4) + 1)
        buckets = [(-1, sources[k:k + size]) for k in range(0, total, size)]
    per_task = max(1, len(buckets) // (jobs * 4))
    groups = [buckets[k:k + per_task] for k in range(0, len(buckets), per_task)]
    out: dict[str, CachedDocument] = {}
    written: dict[int, frozenset] = {}

    def load_group(group) -> list[tuple[int, bytes, bool]]:
        # The pickle that is the cache file is also what goes back to the build.
        renderer = MarkdownRenderer(config.markdown, config.words)
        done = []
        for bucket, part in group:
            entries = {s.rel_path: CachedDocument(keys[s.rel_path],
                                                  *load_document(s, config, renderer))
                       for s in part}
            if writer is None:
                done.append((bucket, pickle.dumps(entries, pickle.HIGHEST_PROTOCOL), False))
            else:
                done.append((bucket, *writer.write(bucket, entries)))
        return done

    for _, part in fork_map(load_group, groups, jobs):
        for bucket, payload, on_disk in part:
            entries = pickle.loads(payload)
            out.update(entries)
            if on_disk:
                written[bucket] = bucket_contents(entries)
        if progress is not None:
            progress("load", len(out), total)
    return out, written


# -- graph -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Graphed:
    """The site graph, every problem found so far, and the files next to documents that
    were sanitised (output path → bytes, None: not published)."""

    site: Site
    diagnostics: list[Diagnostic]
    cleaned: dict[str, bytes | None]


def graph(loaded: Loaded, sources: Sources, config: SiteConfig, source: Path, drafts: bool,
          cache: BuildCache) -> Graphed:
    """The site graph: the last one patched, when the same files were built and no edit
    touched what the graph is made of; else built afresh. Files that could run script are
    sanitised here, so that what was removed is reported with the other problems."""
    from digestgen.graph import build_site, patch_site

    config_key = config.fingerprint()
    key = (config_key, drafts, _shape(sources.inventory))
    kept, site = cache.graph, None
    if (kept is not None and kept.key == key
            and all(loaded.entries[s].document is not None for s in loaded.loaded)):
        site = patch_site(kept.site, {s: loaded.entries[s].document for s in loaded.loaded})
        if site is not None:
            cache.graph = KeptGraph(key, site, kept.diagnostics, kept.token)
    if site is None:
        site, found = build_site(loaded.documents, sources.inventory.files, config,
                                 include_drafts=drafts)
        cache.graph = KeptGraph(key, site, tuple(found))  # not the graph on disk any more
    cache.config_key = config_key
    # Links, anchors and images that lead nowhere the build writes (every build: a patched
    # graph keeps its diagnostics, but a body edit may add a broken link).
    diags = [*loaded.diagnostics, *cache.graph.diagnostics,
             *unresolved_links(site, config, set(sources.statics), source)]
    cleaned: dict[str, bytes | None] = {}
    if not config.unsafe_files:
        from digestgen.markdown import html_cleaner
        from digestgen.render.active_files import clean_assets

        cleaned, found = clean_assets(site.assets, source, html_cleaner(config.markdown))
        diags.extend(found)
    return Graphed(site, diags, cleaned)


def _shape(inventory: Inventory) -> str:
    """A digest of what a graph is built from besides the documents themselves: which
    documents there are, in order, and the other content files."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(([s.rel_path for s in inventory.documents],
                        sorted(inventory.files.items()))).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# -- render ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rendered:
    """The site's outputs (rendered as they are written), the render records they come
    with, and the search index's plan (None when it is left for later)."""

    outputs: Iterator[Item]
    memo: RenderMemo
    search: object | None
    early: EarlyBundle | None


def render(graphed: Graphed, sources: Sources, config: SiteConfig, source: Path, output: Path,
           cache: BuildCache, keys: dict[str, str], jobs: int | None, live: bool,
           disk_cache: bool) -> Rendered:
    """Every output of the site, reusing what the render records allow. The search index is
    planned here (patched from the last one when it can be); a whole index to build starts
    at once in a process of its own. ``live``: the index is left for later (serve);
    ``disk_cache``: compiled templates are kept in the site's cache folder."""
    from digestgen.render.env import TemplateDigests, template_error
    from digestgen.render.memo import RenderMemo
    from digestgen.render.site import STYLESHEETS, render_site
    from digestgen.render.views import site_view
    from digestgen.search.index import plan_search, shard_reader

    env = _environment(config, source, cache, live, disk_cache)
    memo = RenderMemo(cache.renders, cache.views, TemplateDigests(env).of)
    plan = early = None
    if not live:
        search = cache.search
        plan = plan_search(graphed.site, config, memo, search.index if search else None,
                           shard_reader(output), search.documents if search else None,
                           doc_keys=keys)
        bundle = next((o for o in plan.outputs if isinstance(o, Bundle)), None)
        if bundle is not None and workers(jobs) > 1 and can_fork():
            plan.outputs.remove(bundle)  # a whole index to build: it starts now
            early = EarlyBundle(bundle)
    templates = source / config.templates_dir
    outputs = render_site(graphed.site, config, env, site_view(graphed.site, config, STYLESHEETS),
                          memo, sources.statics, sources.own, graphed.cleaned,
                          plan.outputs if plan is not None else (), source=source,
                          on_error=lambda exc: template_error(exc, templates, source))
    return Rendered(outputs, memo, plan, early)


def _environment(config: SiteConfig, source: Path, cache: BuildCache, live: bool,
                 disk_cache: bool):
    """The Jinja environment; ``serve`` keeps its compiled templates between builds until a
    site template is added, removed or edited (an override must win over a theme template)."""
    from digestgen.pipeline.cache import folder_listing
    from digestgen.render.env import make_environment

    templates = source / config.templates_dir
    key = (str(templates), config.effective_date_format, folder_listing(templates, source))
    kept = cache.live.templates if live and cache.live is not None else None
    if kept is not None and kept[0] == key:
        return kept[1]
    env = make_environment(templates, config.effective_date_format,
                           template_cache(source) if disk_cache else None, site_root=source)
    if live:
        cache.live = cache.live or LiveKept()
        cache.live.templates = (key, env)
    return env


# -- write -------------------------------------------------------------------------------------


def write(rendered: Rendered, output: Path, cache: BuildCache, jobs: int | None,
          progress: Progress | None, live: bool) -> WriteStats:
    """Put the outputs in place: staged and swapped in (a build), or in place (serve); then
    record what each page's rendering read, for the next build."""
    strategy: Staged | InPlace
    if live:
        cache.live = cache.live or LiveKept()
        strategy = InPlace(cache.live.written, keep=("search/",))
    else:
        strategy = Staged(cache.last.listing if cache.last is not None else None)
    try:
        with build_lock(output):
            stats = write_outputs(rendered.outputs, output, strategy, jobs=workers(jobs),
                                  progress=progress, early=rendered.early)
    finally:
        if rendered.early is not None:
            rendered.early.cancel()  # a no-op once its result is in
    rendered.memo.settle(stats.reads)
    cache.renders, cache.views = rendered.memo.current, rendered.memo.new_views
    if rendered.search is not None:
        index = rendered.search.state(stats.payloads)
        cache.search = SearchKept(index, _documents(cache)) if index is not None else None
    return stats


def write_search(site: Site, config: SiteConfig, output: Path, cache: BuildCache, cancel=None,
                 lock=None) -> WriteStats:
    """Write the search index of a site built in place (serve), patched from the last one.
    ``cancel`` (an Event) abandons the work; ``lock`` is held only while files are written."""
    from digestgen.search.index import checkpoint, plan_search, shard_reader

    search = cache.search
    plan = plan_search(site, config, None, search.index if search else None,
                       shard_reader(output), search.documents if search else None, cancel)
    outputs: list[Output] = []
    payloads: dict = {}
    for k, item in enumerate(plan.outputs):  # rendered outside any lock: it may take a while
        if k % 256 == 0:
            checkpoint(cancel)
        if isinstance(item, Bundle):
            files, payloads[item.prefix] = item.run()
            outputs.extend(files)
        else:
            outputs.append(Output(item.path, data=item.bytes()))
    cache.live = cache.live or LiveKept()
    with lock or contextlib.nullcontext(), build_lock(output):
        # The search page itself is written by the build; the index's stale files go.
        stats = write_outputs(outputs, output, InPlace(cache.live.written, scope="search/",
                                                       keep=("search/index.html",)))
        index = plan.state(payloads)
        cache.search = (SearchKept(index, {p.doc.source: p.doc for p in site.pages})
                        if index is not None else None)
    return stats


def _documents(cache: BuildCache) -> dict[str, Document]:
    return {rel: e.document for rel, e in cache.documents.items() if e.document is not None}
