"""What one build keeps for the next, so that unchanged work is not done again.

- documents: each source file's loaded :class:`~digestgen.model.Document` (and diagnostics),
  keyed by a digest of its bytes, its sidecar's bytes, the configuration, the loader version
  and digestgen's version;
- sources: each source file's stat signature and the digest of its bytes, so an unchanged file
  is not read again to learn that it is unchanged (as git's index does; a file whose signature
  was taken too close to its last change is always read again);
- renders: the key of each rendered page (a digest of the templates it uses, the site view and
  its own view, see :class:`~digestgen.render.pages.RenderMemo`): a page whose key is
  unchanged is not rendered again, its file from the last build is kept;
- search: the search index as last written, to patch it (see :mod:`digestgen.search.index`);
- written: a digest of each file in the output folder, for writing only what changed;
- graph and views: the site graph and each document view's key, so that an edit that leaves
  the graph alone patches it (see :func:`~digestgen.graph.patch_site`) and keeps the views.

``serve`` keeps a state in memory between rebuilds; ``digestgen build`` keeps one on disk in
``<source>/.digestgen-cache/``: a small ``state.pickle`` (enough to see that nothing changed)
and the documents in ``docs-NN.pickle`` buckets, read only when something did change and
rewritten only when one of theirs did. The graph (``graph.pickle``) names its documents by
source instead of holding them a second time, and is rewritten only when it was built again,
not patched; the views' keys (``views.pickle``) are small and rewritten by every build. Both
are read with the documents, and ``state.pickle`` names the ones it goes with. Every file is
signed, so that a cache file someone else made (a repository that ships one, say) is never
unpickled, and dropped whenever its format, digestgen's code or Python's version differs, or
it cannot be read.
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import shutil
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestgen import __version__
from digestgen.errors import Diagnostic
from digestgen.model import Document, Page, SourceFile


@dataclass
class BuildState:
    documents: dict[str, tuple[str, Document | None, list[Diagnostic]]] = field(
        default_factory=dict)
    renders: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    config_key: str = ""
    # Document views by source file, with the page each was made from (render reuse).
    views: dict = field(default_factory=dict)
    inventory: Any = None  # the last discovery (serve skips it when files were only edited)
    env: Any = None  # (key, Jinja environment): compiled templates survive between builds
    graph: Any = None  # (key, Site, graph diagnostics) of the last build
    # The token of the graph file on disk that ``graph`` is, or was patched from ("": none).
    graph_token: str = ""
    # For the disk cache: the inputs' fingerprint and the outputs, diagnostics and document
    # count of the last successful build (a build with the same fingerprint has nothing to do).
    fingerprint: str = ""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime)
    diagnostics: tuple = ()
    documents_count: int = 0
    note: str = ""  # why a disk cache was not used, if it was not
    # rel_path → (stat signature, digest of the bytes), and when those signatures were taken.
    sources: dict[str, tuple[tuple, str]] = field(default_factory=dict)
    sources_time: int = 0
    search: Any = None  # the search index as last written (an IndexState), to update it
    # The documents of the build that wrote ``search`` (what an edited entry used to hold).
    search_documents: dict[str, Document] = field(default_factory=dict)
    # The documents on disk, by bucket, as (rel_path, key) pairs: what a save must rewrite.
    on_disk: dict[int, frozenset] = field(default_factory=dict)
    _pending: Any = None  # reads the documents' buckets when they are first needed

    # What goes to state.pickle; documents go to their buckets; the rest is cheap to remake.
    PERSISTED = ("renders", "config_key", "fingerprint", "outputs", "diagnostics",
                 "documents_count", "sources", "sources_time", "search")

    def need_documents(self) -> None:
        """Read the cached documents from disk, if that has not happened yet."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending(self)


CACHE_DIR = ".digestgen-cache"
CACHE_FILE = "state.pickle"
GRAPH_FILE = "graph.pickle"
VIEWS_FILE = "views.pickle"
CACHE_FORMAT = 4
BUCKETS = 64
# A file changed less than this long before its signature was taken may change again within
# the same timestamp tick; its signature is not trusted (git's "racy" entries).
RACY_NS = 2_000_000_000


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


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of digestgen's own code. A cache written by other code (an upgrade, or a
    checkout being worked on) is not trusted, even under the same version number."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(header + signature + payload)
    os.replace(tmp, path)


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
        _make_folder(source / CACHE_DIR)
    except OSError:
        return None
    return BucketWriter(source / CACHE_DIR, key)


def _make_folder(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# digestgen's build cache: safe to delete\n*\n")


def bucket_contents(entries: dict[str, tuple]) -> frozenset:
    """What ``state.pickle`` records of a bucket, to know its file is the one it wrote."""
    return frozenset((rel, e[0]) for rel, e in entries.items())


def load_state(source: Path) -> BuildState:
    """The state the last build left in ``source``'s cache, or an empty one (with a note).
    The documents are read later, by :meth:`BuildState.need_documents`."""
    folder = source / CACHE_DIR
    path = folder / CACHE_FILE
    if not path.is_file():
        return BuildState()
    key = _secret()
    try:
        values = _read_signed(path, key)
        state = BuildState()
        for name in BuildState.PERSISTED:
            setattr(state, name, values[name])
        buckets: dict[int, frozenset] = values["buckets"]
    except _Untrusted as exc:
        return BuildState(note=str(exc))
    except Exception as exc:  # noqa: BLE001 — a damaged cache is never trusted, only dropped
        return BuildState(note=f"unreadable cache ({type(exc).__name__}); ignored")

    def read_documents(state: BuildState) -> None:
        documents: dict = {}
        on_disk: dict[int, frozenset] = {}
        for bucket, expected in buckets.items():
            try:
                part = _read_signed(folder / f"docs-{bucket:02d}.pickle", key)
            except Exception:  # noqa: BLE001 — its documents are simply loaded again
                continue
            # A bucket written by a later, killed build may not be the one this state knew.
            if bucket_contents(part) != expected:
                continue
            documents.update(part)
            on_disk[bucket] = expected
        state.documents, state.on_disk = documents, on_disk
        state.search_documents = {rel: e[1] for rel, e in documents.items() if e[1] is not None}
        if values.get("graph"):
            _load_graph(folder, key, state, *values["graph"])

    state._pending = read_documents
    return state


def save_state(source: Path, state: BuildState) -> None:
    """Write ``state`` to ``source``'s cache: the documents' buckets that changed, then the
    state file that names them, each atomically; a failure only costs speed."""
    key = _secret()
    if not key:
        return
    folder = source / CACHE_DIR
    state.need_documents()
    try:
        _make_folder(folder)
        by_bucket: dict[int, dict] = {}
        for rel, entry in state.documents.items():
            by_bucket.setdefault(bucket_of(rel), {})[rel] = entry
        buckets = {b: bucket_contents(part) for b, part in by_bucket.items()}
        for bucket, part in by_bucket.items():
            if state.on_disk.get(bucket) != buckets[bucket]:
                _write_signed(folder / f"docs-{bucket:02d}.pickle", key, part)
        for bucket in set(state.on_disk) - set(buckets):
            with contextlib.suppress(OSError):
                (folder / f"docs-{bucket:02d}.pickle").unlink()
        values = {name: getattr(state, name) for name in BuildState.PERSISTED}
        values["buckets"] = buckets
        values["graph"] = _save_graph(folder, key, state)
        _write_signed(folder / CACHE_FILE, key, values)
        state.on_disk = buckets
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


def _save_graph(folder: Path, key: bytes, state: BuildState) -> tuple[str, str] | None:
    """Write the state's graph (unless it is the one on disk, or patched from it) and its
    views' keys; the tokens that ``state.pickle`` names them by."""
    if state.graph is None:
        return None
    if not state.graph_token:
        token = secrets.token_hex(8)
        _write_signed(folder / GRAPH_FILE, key, None, _dump_graph((token, *state.graph)))
        state.graph_token = token
    # A view is made from its page and its section alone: its key is what is worth keeping.
    # (A view read from disk, not used since, is that pair already.)
    views = {source: view if isinstance(view, tuple) else (view.section, view.key)
             for source, (_, view) in state.views.items()}
    views_token = secrets.token_hex(8)
    _write_signed(folder / VIEWS_FILE, key, (views_token, views))
    return state.graph_token, views_token


def _load_graph(folder: Path, key: bytes, state: BuildState, token: str,
                views_token: str) -> None:
    """Take the graph and views the last save named, if they are still on disk. The graph's
    documents are those just read: a bucket that could not be read drops the graph too."""
    try:
        payload = _verified(folder / GRAPH_FILE, key)
        graph_token, graph_key, site, diags = _GraphUnpickler(
            payload, state.search_documents).load()
    except Exception:  # noqa: BLE001 — missing, stale or damaged: the graph is built again
        return
    if graph_token != token:  # written by a later build that did not finish
        return
    state.graph, state.graph_token = (graph_key, site, diags), token
    try:
        kept_token, views = _read_signed(folder / VIEWS_FILE, key)
    except Exception:  # noqa: BLE001 — the views are made again
        return
    if kept_token == views_token:
        state.views = {p.doc.source: (p, views[p.doc.source]) for p in site.pages
                       if p.doc.source in views}


def template_cache(source: Path):
    """A Jinja bytecode cache in ``source``'s cache folder (compiled templates between
    builds), signed like the rest: compiled code from anyone else's cache is never loaded."""
    import jinja2

    key = _secret()
    folder = source / CACHE_DIR / "templates"

    class SignedBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                bucket.bytecode_from_string(_read_signed(folder / f"{bucket.key}.pickle", key))
            except Exception:  # noqa: BLE001 — missing, stale or foreign: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            if not key:
                return
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                _write_signed(folder / f"{bucket.key}.pickle", key, bucket.bytecode_to_string())

    return SignedBytecodeCache()


def clear_state(source: Path) -> bool:
    """Remove ``source``'s cache; whether there was one."""
    folder = source / CACHE_DIR
    if not folder.exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def touched(src: SourceFile, changed: frozenset[str]) -> bool:
    """Whether ``src`` or its sidecar is among ``changed`` (paths relative to the site)."""
    if src.rel_path in changed:
        return True
    stem = src.rel_path.rsplit(".", 1)[0]
    return f"{stem}.yaml" in changed or f"{stem}.yml" in changed


def _signature(src: SourceFile) -> tuple:
    """What changes whenever a file's bytes do (size, times, identity), for it and its
    sidecar; () for a file that cannot be examined. (Strings, not Paths: this runs for
    every source file on every build.)"""
    out: list = []
    for p in (src.abs_path, src.sidecar):
        try:
            st = os.stat(p) if p else None
        except OSError:
            st = None
        if st is None or (not stat.S_ISREG(st.st_mode) and p is not src.abs_path):
            out.append(None)
            continue
        out.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
    return tuple(out) if out[0] is not None else ()


def _content_digest(src: SourceFile) -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        digest.update(Path(src.abs_path).read_bytes())
    except OSError as exc:  # unreadable: never cached, the loader reports it
        digest.update(f"unreadable {exc}".encode())
    if src.sidecar:
        digest.update(b"\0sidecar\0")
        try:
            digest.update(Path(src.sidecar).read_bytes())
        except OSError as exc:
            digest.update(f"unreadable {exc}".encode())
    return digest.hexdigest()


class SourceKeys:
    """Computes each source's cache key, reading a file only when its stat signature is not
    the one recorded in ``state.sources`` (or was recorded too soon after a change)."""

    def __init__(self, state: BuildState, config_key: str):
        self.known, self.since = state.sources, state.sources_time
        # digestgen's code is in the key: an edited (or upgraded) loader never serves a stale
        # document, even from a state kept in memory.
        self.prefix = f"{__version__}\0{code_digest()}\0{config_key}\0"
        self.now = time.time_ns()
        self.seen: dict[str, tuple[tuple, str]] = {}

    def __call__(self, src: SourceFile) -> str:
        sig = _signature(src)
        known = self.known.get(src.rel_path)
        if (sig and known is not None and known[0] == sig
                and all(s is None or s[1] < self.since - RACY_NS for s in sig)):
            content = known[1]
        else:
            content = _content_digest(src)
        if sig:
            self.seen[src.rel_path] = (sig, content)
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{self.prefix}{src.kind}\0{src.section}\0{src.rel_path}\0{content}"
                      .encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def record(self, state: BuildState) -> None:
        """Keep the signatures seen for the next build."""
        state.sources, state.sources_time = self.seen, self.now
