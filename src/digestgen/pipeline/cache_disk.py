"""The build cache on disk: ``<source>/.digestgen-cache/`` (see :mod:`.cache` for what it holds).

A small ``state.pickle`` (enough to see that nothing changed) and the documents in
``docs-NN.pickle`` buckets, read only when something did change and rewritten only when one of
theirs did. The graph (``graph.pickle``) names its documents by source instead of holding them
a second time, and is rewritten only when it was built again, not patched; the views' keys
(``views.pickle``) are small and rewritten by every build. Both are read with the documents,
and ``state.pickle`` names the ones it goes with. Every file is signed with a key kept in the
user's cache folder, so a cache file someone else made (a repository that ships one, say) is
never unpickled, and dropped whenever its format, digestgen's code or Python's version
differs, or it cannot be read. The cache folder must be a real folder of the site: a link
there would lead the writes elsewhere, and is not used.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import errno
import hashlib
import hmac
import io
import os
import pickle
import secrets
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digestgen import __version__
from digestgen.model import Document, Page
from digestgen.pipeline.cache import BuildCache, KeptGraph, SearchKept, code_digest
from digestgen.sitefs import atomic_write

CACHE_DIR = ".digestgen-cache"
CACHE_FILE = "state.pickle"
GRAPH_FILE = "graph.pickle"
VIEWS_FILE = "views.pickle"
CACHE_FORMAT = 5
BUCKETS = 64


def _secret() -> bytes:
    """This user's key for signing caches (outside any site, so a site cannot forge one)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digestgen"
    key_file = home / "cache-key"
    try:
        return key_file.read_bytes()
    except OSError:
        pass
    try:
        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:
        return key_file.read_bytes()
    except OSError:
        return b""  # nowhere to keep a key: no cache is ever trusted


def _header() -> bytes:
    return (f"digestgen-cache {CACHE_FORMAT} {__version__} {code_digest()} "
            f"py{sys.version_info[0]}.{sys.version_info[1]}\n").encode()


class _Untrusted(Exception):
    pass


def _read_signed(path: Path, key: bytes) -> Any:
    return pickle.loads(_verified(path, key))


def _verified(path: Path, key: bytes) -> bytes:
    """The payload of the signed file at ``path``; raise :class:`_Untrusted` if it is not
    this user's digestgen's."""
    blob = path.read_bytes()
    line, _, rest = blob.partition(b"\n")
    header = line + b"\n"
    signature, payload = rest[:32], rest[32:]
    if header != _header():
        raise _Untrusted("cache from another digestgen or Python version; ignored")
    expected = hmac.new(key, header + payload, hashlib.blake2b).digest()[:32]
    if not key or not hmac.compare_digest(signature, expected):
        raise _Untrusted("cache not made by this user's digestgen; ignored")
    return payload


def _write_signed(path: Path, key: bytes, value: Any, payload: bytes | None = None) -> None:
    # Not compressed: the cache is read on every build, and zlib costs more time than the
    # bytes it saves.
    if payload is None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = _header()
    signature = hmac.new(key, header + payload, hashlib.blake2b).digest()[:32]
    atomic_write(path, header + signature + payload)  # never through a planted link


def bucket_of(rel_path: str) -> int:
    return int.from_bytes(hashlib.blake2b(rel_path.encode("utf-8", "surrogatepass"),
                                          digest_size=2).digest(), "big") % BUCKETS


@dataclass(frozen=True)
class BucketWriter:
    """Writes whole buckets of freshly loaded documents into a site's cache, from the loader
    processes that loaded them (a build that loads every document, say the first): each
    document is then pickled once, for the cache file and the trip to the build process
    alike, and none of it waits for the end of the build."""

    folder: Path
    key: bytes

    def write(self, bucket: int, entries: dict[str, tuple]) -> tuple[bytes, bool]:
        """Write the bucket of ``entries`` (source → (key, document, diagnostics)). Return its
        pickle, for the build process to load the entries from, and whether the file was
        written (if not, the build's :func:`save_state` writes it)."""
        payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write_signed(self.folder / f"docs-{bucket:02d}.pickle", self.key, None, payload)
        except OSError:
            return payload, False
        return payload, True


def bucket_writer(source: Path) -> BucketWriter | None:
    """A :class:`BucketWriter` for ``source``'s cache, or None when caches cannot be signed
    or the cache folder cannot be made."""
    key = _secret()
    if not key:
        return None
    try:
        folder = cache_folder(source)
    except OSError:
        return None
    return BucketWriter(folder, key)


def cache_folder(source: Path, *sub: str) -> Path:
    """``source``'s cache folder (or a folder in it), made if missing. Raise OSError if it,
    or a folder on the way, is not a real folder of the site (a link would lead the cache's
    writes elsewhere)."""
    folder = source / CACHE_DIR
    for part in ("", *sub):
        if part:
            folder = folder / part
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise OSError(errno.ENOTDIR, "not a folder of the site (a symlink?)", str(folder))
    ignore = source / CACHE_DIR / ".gitignore"
    if not os.path.lexists(ignore):
        atomic_write(ignore, b"# digestgen's build cache: safe to delete\n*\n")
    return folder


def bucket_contents(entries: dict[str, tuple]) -> frozenset:
    """What ``state.pickle`` records of a bucket, to know its file is the one it wrote."""
    return frozenset((rel, e[0]) for rel, e in entries.items())


# The parts of a BuildCache that state.pickle holds (documents go to their buckets, the graph
# and views to files of their own; the rest is remade).
_PERSISTED = ("config_key", "signatures", "signed_at", "renders", "last", "search")


def load_cache(source: Path) -> BuildCache:
    """The cache the last build left in ``source``'s cache folder, or an empty one (with a
    note). The documents are read later, by :meth:`BuildCache.need_documents`."""
    folder = source / CACHE_DIR
    path = folder / CACHE_FILE
    if os.path.islink(folder):
        return BuildCache(note="the cache folder is a symlink; not used")
    if not path.is_file():
        return BuildCache()
    key = _secret()
    try:
        values = _read_signed(path, key)
        cache = BuildCache(**{name: values[name] for name in _PERSISTED})
        buckets: dict[int, frozenset] = values["buckets"]
    except _Untrusted as exc:
        return BuildCache(note=str(exc))
    except Exception as exc:  # noqa: BLE001 — a damaged cache is never trusted, only dropped
        return BuildCache(note=f"unreadable cache ({type(exc).__name__}); ignored")

    def read_documents(cache: BuildCache) -> None:
        documents: dict = {}
        on_disk: dict[int, frozenset] = {}
        for bucket, expected in buckets.items():
            try:
                part = _read_signed(folder / f"docs-{bucket:02d}.pickle", key)
            except Exception:  # noqa: BLE001 — its documents are simply loaded again
                continue
            # A bucket written by a later, killed build may not be the one this cache knew.
            if bucket_contents(part) != expected:
                continue
            documents.update(part)
            on_disk[bucket] = expected
        cache.documents, cache.buckets = documents, on_disk
        if cache.search is not None:
            cache.search.documents = {rel: e.document for rel, e in documents.items()
                                      if e.document is not None}
        if values.get("graph"):
            _load_graph(folder, key, cache, *values["graph"])

    cache.pending = read_documents
    return cache


def save_cache(source: Path, cache: BuildCache) -> None:
    """Write ``cache`` to ``source``'s cache folder: the documents' buckets that changed,
    then the state file that names them, each atomically; a failure only costs speed."""
    key = _secret()
    if not key:
        return
    cache.need_documents()
    try:
        folder = cache_folder(source)
        by_bucket: dict[int, dict] = {}
        for rel, entry in cache.documents.items():
            by_bucket.setdefault(bucket_of(rel), {})[rel] = entry
        buckets = {b: bucket_contents(part) for b, part in by_bucket.items()}
        for bucket, part in by_bucket.items():
            if cache.buckets.get(bucket) != buckets[bucket]:
                _write_signed(folder / f"docs-{bucket:02d}.pickle", key, part)
        for bucket in set(cache.buckets) - set(buckets):
            with contextlib.suppress(OSError):
                (folder / f"docs-{bucket:02d}.pickle").unlink()
        values = {name: getattr(cache, name) for name in _PERSISTED}
        if cache.search is not None:  # its documents are the buckets' own: not twice
            values["search"] = SearchKept(cache.search.index, {})
        values["buckets"] = buckets
        values["graph"] = _save_graph(folder, key, cache)
        _write_signed(folder / CACHE_FILE, key, values)
        cache.buckets = buckets
    except OSError:
        pass


def _graph_page(*fields: Any) -> Page:
    """Names, in a pickled graph, the making of a page from its document's source and its own
    fields: :class:`_GraphUnpickler` supplies the documents."""
    raise _Untrusted("a graph is only read by _GraphUnpickler")


def _reduce_page(page: Page) -> tuple:
    # A page's document is in its bucket already, and its body is the document's with the
    # page's hrefs substituted: the graph names the one and remakes the other.
    return _graph_page, (page.doc.source, page.path, page.url, page.abs_url, page.tags,
                         page.categories, page.prev, page.next, page.backlinks, page.hrefs,
                         page.series)


def _dump_graph(value: Any) -> bytes:
    """``value`` (holding a site graph) pickled without its pages' documents and bodies."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Page: _reduce_page}
    pickler.dump(value)
    return out.getvalue()


class _GraphUnpickler(pickle.Unpickler):
    """Reads a graph written by :func:`_dump_graph`, its pages made from ``documents``."""

    def __init__(self, payload: bytes, documents: dict[str, Document]):
        super().__init__(io.BytesIO(payload))
        self.documents = documents

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_graph_page":
            from digestgen.graph import restored_page

            documents = self.documents

            def page(source: str, *fields: Any) -> Page:
                # A document missing (its bucket lost) raises KeyError: the graph is dropped.
                return restored_page(documents[source], *fields)

            return page
        return super().find_class(module, name)


def _save_graph(folder: Path, key: bytes, cache: BuildCache) -> tuple[str, str] | None:
    """Write the cache's graph (unless it is the one on disk, or patched from it) and its
    views' keys; the tokens that ``state.pickle`` names them by."""
    graph = cache.graph
    if graph is None:
        return None
    if not graph.token:
        token = secrets.token_hex(8)
        _write_signed(folder / GRAPH_FILE, key, None,
                      _dump_graph((token, graph.key, graph.site, graph.diagnostics)))
        cache.graph = graph = dataclasses.replace(graph, token=token)
    # A view is made from its page and its section alone: its key is what is worth keeping.
    # (A view read from disk, not used since, is that pair already.)
    views = {source: view if isinstance(view, tuple) else (view.section, view.key)
             for source, (_, view) in cache.views.items()}
    views_token = secrets.token_hex(8)
    _write_signed(folder / VIEWS_FILE, key, (views_token, views))
    return graph.token, views_token


def _load_graph(folder: Path, key: bytes, cache: BuildCache, token: str,
                views_token: str) -> None:
    """Take the graph and views the last save named, if they are still on disk. The graph's
    documents are those just read: a bucket that could not be read drops the graph too."""
    documents = {rel: e.document for rel, e in cache.documents.items()
                 if e.document is not None}
    try:
        payload = _verified(folder / GRAPH_FILE, key)
        graph_token, graph_key, site, diags = _GraphUnpickler(payload, documents).load()
    except Exception:  # noqa: BLE001 — missing, stale or damaged: the graph is built again
        return
    if graph_token != token:  # written by a later build that did not finish
        return
    cache.graph = KeptGraph(graph_key, site, diags, token)
    try:
        kept_token, views = _read_signed(folder / VIEWS_FILE, key)
    except Exception:  # noqa: BLE001 — the views are made again
        return
    if kept_token == views_token:
        cache.views = {p.doc.source: (p, views[p.doc.source]) for p in site.pages
                       if p.doc.source in views}


def template_cache(source: Path):
    """A Jinja bytecode cache in ``source``'s cache folder (compiled templates between
    builds), signed like the rest: compiled code from anyone else's cache is never loaded."""
    import jinja2

    key = _secret()

    class SignedBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                folder = source / CACHE_DIR / "templates"
                bucket.bytecode_from_string(_read_signed(folder / f"{bucket.key}.pickle", key))
            except Exception:  # noqa: BLE001 — missing, stale or foreign: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            if not key:
                return
            with contextlib.suppress(OSError):
                folder = cache_folder(source, "templates")
                _write_signed(folder / f"{bucket.key}.pickle", key, bucket.bytecode_to_string())

    return SignedBytecodeCache()


def clear_cache(source: Path) -> bool:
    """Remove ``source``'s cache; whether there was one."""
    folder = source / CACHE_DIR
    if os.path.islink(folder):
        folder.unlink()  # the link, never what it leads to
        return True
    if not folder.exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True
