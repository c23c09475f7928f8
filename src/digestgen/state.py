"""What one build keeps for the next, so that unchanged work is not done again.

- documents: each source file's loaded :class:`~digestgen.model.Document` (and diagnostics),
  keyed by a digest of its bytes, its sidecar's bytes, the configuration, the loader version
  and digestgen's version — never by modification time;
- renders: the key of each rendered page (a digest of the templates it uses, the site view and
  its own view, see :class:`~digestgen.render.pages.RenderMemo`): a page whose key is
  unchanged is not rendered again, its file from the last build is kept;
- written: a digest of each file in the output folder, for writing only what changed.

``serve`` keeps a state in memory between rebuilds; ``digestgen build`` keeps one on disk in
``<source>/.digestgen-cache/``, signed so that a cache file someone else made (a repository
that ships one, say) is never unpickled, and dropped whenever its format, digestgen's version
or Python's differs, or it cannot be read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestgen import __version__
from digestgen.errors import Diagnostic
from digestgen.model import Document, SourceFile


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
    # For the disk cache: the inputs' fingerprint and the outputs, diagnostics and document
    # count of the last successful build (a build with the same fingerprint has nothing to do).
    fingerprint: str = ""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # path → (size, mtime)
    diagnostics: tuple = ()
    documents_count: int = 0
    note: str = ""  # why a disk cache was not used, if it was not
    search: Any = None  # the search index as last written (an IndexState), to update it

    # What goes to disk; the rest (templates, views, the graph) is cheap to make again.
    PERSISTED = ("documents", "renders", "config_key", "fingerprint", "outputs", "diagnostics",
                 "documents_count", "search")


CACHE_DIR = ".digestgen-cache"
CACHE_FILE = "state.pickle"
CACHE_FORMAT = 2


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


def load_state(source: Path) -> BuildState:
    """The state the last build left in ``source``'s cache, or an empty one (with a note)."""
    path = source / CACHE_DIR / CACHE_FILE
    if not path.is_file():
        return BuildState()
    key = _secret()
    try:
        blob = path.read_bytes()
        line, _, rest = blob.partition(b"\n")
        header = line + b"\n"
        signature, payload = rest[:32], rest[32:]
        if header != _header():
            return BuildState(note="cache from another digestgen or Python version; ignored")
        expected = hmac.new(key, header + payload, hashlib.blake2b).digest()[:32]
        if not key or not hmac.compare_digest(signature, expected):
            return BuildState(note="cache not made by this user's digestgen; ignored")
        values = pickle.loads(zlib.decompress(payload))
        state = BuildState()
        for name in BuildState.PERSISTED:
            setattr(state, name, values[name])
        return state
    except Exception as exc:  # noqa: BLE001 — a damaged cache is never trusted, only dropped
        return BuildState(note=f"unreadable cache ({type(exc).__name__}); ignored")


def save_state(source: Path, state: BuildState) -> None:
    """Write ``state`` to ``source``'s cache, atomically; a failure only costs speed."""
    key = _secret()
    if not key:
        return
    folder = source / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# digestgen's build cache: safe to delete\n*\n")
        values = {name: getattr(state, name) for name in BuildState.PERSISTED}
        payload = zlib.compress(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL), 1)
        header = _header()
        signature = hmac.new(key, header + payload, hashlib.blake2b).digest()[:32]
        tmp = folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
        tmp.write_bytes(header + signature + payload)
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        pass


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


def source_key(src: SourceFile, config_key: str, loader_version: str) -> str:
    """The digest that decides whether ``src`` must be loaded again."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}\0{loader_version}\0{config_key}\0{src.kind}\0{src.section}\0"
                  f"{src.rel_path}\0".encode())
    path = Path(src.abs_path)
    try:
        digest.update(path.read_bytes())
    except OSError as exc:  # unreadable: never cached, the loader reports it
        digest.update(f"unreadable {exc}".encode())
    for ext in (".yaml", ".yml"):
        side = path.with_suffix(ext)
        if side.is_file():
            digest.update(b"\0sidecar\0")
            digest.update(side.read_bytes())
    return digest.hexdigest()
