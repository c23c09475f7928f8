"""What one build keeps for the next, so that unchanged work is not done again.

The record is typed and grouped by the stage that fills it: documents (loaded, keyed by a
digest of their bytes, sidecar, configuration and digestgen's code), the site graph, the
render records (each page's key and the templates its rendering read), the search index, and
what the last build left in the output folder. ``serve`` keeps one in memory between
rebuilds; ``digestgen build`` keeps one on disk (:mod:`digestgen.pipeline.cache_disk`).

Every reuse is checked against what was actually read, never predicted: a document by its
bytes, a page by its view data and the templates its last rendering loaded, the whole build
by a fingerprint of every input. A cached build writes exactly what a ``--no-cache`` build
writes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from digestgen import __version__
from digestgen.errors import Diagnostic
from digestgen.model import Document, Site, SourceFile
from digestgen.sitefs import walk_files

if TYPE_CHECKING:
    import jinja2

    from digestgen.search.index import IndexState
    from digestgen.sources import Inventory

# A file changed less than this long before its signature was taken may change again within
# the same timestamp tick; its signature is not trusted (git's "racy" entries).
RACY_NS = 2_000_000_000


class CachedDocument(NamedTuple):
    """A source file as loaded: its key, its document (None if it failed), diagnostics."""

    key: str
    document: Document | None
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class KeptGraph:
    """The site graph of the last build, and what it was built from (``key``)."""

    key: tuple
    site: Site
    diagnostics: tuple[Diagnostic, ...]
    token: str = ""  # the graph file on disk this is, or was patched from ("": none)


@dataclass(frozen=True, slots=True)
class RenderRecord:
    """A rendered page: the key it was rendered under, and what its rendering read
    (templates by name, including names looked up and not found)."""

    key: str
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LastOutput:
    """What the last successful build left: a build with the same fingerprint, finding the
    output folder as listed, has nothing to do."""

    fingerprint: str
    listing: dict[str, tuple[int, int]]  # output file → (size, mtime)
    diagnostics: tuple[Diagnostic, ...]
    documents: int


@dataclass
class SearchKept:
    """The search index as last written (to patch it), and the documents it was made of
    (what an edited entry used to hold)."""

    index: IndexState
    documents: dict[str, Document]


@dataclass
class LiveKept:
    """What only a running ``serve`` keeps (in memory): the last discovery, the compiled
    templates, and a digest of each file written in place."""

    inventory: Inventory | None = None
    templates: tuple[Any, jinja2.Environment] | None = None  # (key, environment)
    written: dict[str, str] = field(default_factory=dict)


@dataclass
class BuildCache:
    """Everything one build keeps for the next (see the module)."""

    config_key: str = ""
    documents: dict[str, CachedDocument] = field(default_factory=dict)
    # rel_path → (stat signature, digest of the bytes), and when the signatures were taken.
    signatures: dict[str, tuple[tuple, str]] = field(default_factory=dict)
    signed_at: int = 0
    # Cache files on disk, by bucket: the (rel_path, key) pairs each holds.
    buckets: dict[int, frozenset] = field(default_factory=dict)
    graph: KeptGraph | None = None
    renders: dict[str, RenderRecord] = field(default_factory=dict)
    # Document views by source, with the page each was made from (see render.memo).
    views: dict = field(default_factory=dict)
    search: SearchKept | None = None
    last: LastOutput | None = None
    live: LiveKept | None = None
    note: str = ""  # why a disk cache was not used, if it was not
    # Reads the documents' buckets when they are first needed (a disk cache).
    pending: Callable[[BuildCache], None] | None = None

    def need_documents(self) -> None:
        """Read the cached documents from disk, if that has not happened yet."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending(self)


# -- documents: keys by content ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of digestgen's own code. A cache written by other code (an upgrade, or a
    checkout being worked on) is not trusted, even under the same version number."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


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


def document_keys(sources: tuple[SourceFile, ...], cache: BuildCache, config_key: str,
                  changed: frozenset[str] | None) -> dict[str, str]:
    """Each source's cache key. A file is read only when its stat signature is not the one
    recorded (or was recorded too soon after a change); with ``changed`` (a watcher's word
    that only those files changed, under the same configuration) the others keep their key
    without even a stat."""
    trust = changed is not None and cache.config_key == config_key
    # digestgen's code is in the key: an edited (or upgraded) loader never serves a stale
    # document, even from a cache kept in memory.
    prefix = f"{__version__}\0{code_digest()}\0{config_key}\0"
    now = time.time_ns()
    seen: dict[str, tuple[tuple, str]] = {}
    keys: dict[str, str] = {}
    for src in sources:
        kept = cache.documents.get(src.rel_path)
        if trust and kept is not None and not touched(src, changed):
            keys[src.rel_path] = kept.key
            if src.rel_path in cache.signatures:
                seen[src.rel_path] = cache.signatures[src.rel_path]
            continue
        sig = _signature(src)
        known = cache.signatures.get(src.rel_path)
        if (sig and known is not None and known[0] == sig
                and all(s is None or s[1] < cache.signed_at - RACY_NS for s in sig)):
            content = known[1]
        else:
            content = _content_digest(src)
        if sig:
            seen[src.rel_path] = (sig, content)
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{prefix}{src.kind}\0{src.section}\0{src.rel_path}\0{content}"
                      .encode("utf-8", "surrogatepass"))
        keys[src.rel_path] = digest.hexdigest()
    cache.signatures, cache.signed_at = seen, now
    return keys


# -- the whole build: did anything change ------------------------------------------------------


def folder_listing(folder: Path, site_root: Path | None = None) -> tuple:
    """What a folder of templates or static files holds (path, size, mtime), as the build
    reads it: links leading out of ``site_root`` are not followed, and are listed as such."""
    root = site_root or folder.resolve()
    out: list[tuple] = []
    skipped: list[Diagnostic] = []
    for found in walk_files(folder, root, str, diagnostics=skipped):
        with contextlib.suppress(OSError):
            st = found.path.stat()
            out.append((found.rel, st.st_size, st.st_mtime_ns))
    out.extend((d.path, d.message) for d in skipped)
    return tuple(out)


def fingerprint(parts: tuple, keys: dict[str, str], folders: list[tuple[Path, Path | None]],
                files: dict[str, str]) -> str:
    """A digest of every input of a build: ``parts`` (options and configuration that change
    the output), documents by content key, the template and static ``folders`` (listed as
    read) and the other content ``files`` by size and mtime."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, code_digest(), parts)).encode())
    for rel in sorted(keys):
        digest.update(f"{rel}\0{keys[rel]}\0".encode())
    for folder, root in folders:
        digest.update(repr(folder_listing(folder, root)).encode())
    for rel in sorted(files):
        try:
            st = os.stat(files[rel])
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{rel}\0gone\0".encode())
    return digest.hexdigest()


def unchanged_since(last: LastOutput | None, print_: str, output: Path) -> bool:
    """Whether a build whose inputs have the fingerprint ``print_`` has nothing to do: the
    same inputs as the last build's, with the output as that build left it."""
    from digestgen.write import scan_tree

    return (last is not None and last.fingerprint == print_ and bool(last.listing)
            and scan_tree(output) == last.listing)
