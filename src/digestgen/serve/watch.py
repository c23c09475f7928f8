"""Watch a site's sources and hand over batches of changes.

Editors save in bursts (write a temp file, rename it over the original, touch a backup): the
events of one save are collected until the folder has been quiet for a moment, so one save is
one rebuild. Editor scratch files, the output folder and caches are ignored; a temp file renamed
over a real one counts as an edit of the real one.

A watched folder can go and come back while serving (deleted and restored, or replaced by a
rename, as ``git checkout`` or ``mv`` do): the site folder itself is watched for that, and the
folder is watched afresh once it is back, with everything in it counted as changed.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

# Scratch files editors and tools write next to the real one: vim (.swp/.swx/..., 4913, x~),
# emacs (.#x lock, #x# autosave), JetBrains, Kate, gedit, Chrome/VS Code downloads and swaps.
_SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".crswap", ".part", ".kate-swp",
                     "___jb_tmp___", "___jb_old___")
_SCRATCH_NAMES = {"4913", ".DS_Store"}
_SCRATCH_PREFIXES = (".#", "#", ".~", ".goutputstream-")
# In-place editors' temp files, renamed over the target when done: GNU sed -i (and perl -i's
# kin) write "sed" + 6 random letters and digits (mkstemp), BSD/macOS sed -i ".!PID!name".
_SCRATCH_PATTERN = re.compile(r"sed[A-Za-z0-9]{6}|\.!\d+!.*")


def is_scratch(name: str) -> bool:
    """Whether ``name`` is an editor's temp, swap, lock or backup file, never site content."""
    return (name in _SCRATCH_NAMES or name.startswith(_SCRATCH_PREFIXES)
            or name.endswith(_SCRATCH_SUFFIXES) or ".digestgen-tmp" in name
            or (name.startswith(".") and name.endswith(".tmp"))
            or _SCRATCH_PATTERN.fullmatch(name) is not None)


@dataclass(frozen=True, slots=True)
class Batch:
    """Paths (relative to the site folder) that changed in one burst."""

    paths: frozenset[str]
    # A file was created, deleted or moved (not only edited): the site must be walked again.
    structural: bool = True

    def css_only(self, static_dirs: tuple[str, ...]) -> bool:
        """Only stylesheets under a static folder changed: swap them without a reload."""
        return bool(self.paths) and all(
            p.endswith(".css") and any(p.startswith(d.rstrip("/") + "/") for d in static_dirs)
            for p in self.paths)


class _Collector(FileSystemEventHandler):
    def __init__(self, root: Path, ignore: tuple[Path, ...], watched_files: set[str],
                 folders: frozenset[Path], on_folder):
        self.root = root.resolve()
        self.ignore = tuple(p.resolve() for p in ignore)
        self.watched_files = watched_files
        self.folders = folders
        self.on_folder = on_folder
        self.lock = threading.Lock()
        self.pending: set[str] = set()
        self.structural = False
        self.last = 0.0
        self.changed = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        for raw in paths:
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            if is_scratch(path.name):
                continue
            try:
                resolved = path.resolve()
                rel = unicodedata.normalize("NFC", resolved.relative_to(self.root).as_posix())
            except (ValueError, OSError, RuntimeError):
                continue
            if any(resolved == p or p in resolved.parents for p in self.ignore):
                continue
            if "/" not in rel and rel not in self.watched_files:
                if resolved in self.folders and event.event_type in ("created", "deleted",
                                                                     "moved"):
                    self.on_folder(resolved)  # content/ went, came back, or was replaced
                    self.touch(set(), structural=True)
                continue  # a file at the top of the site that the build does not read
            # Editors save by renaming a temp file over the original: a move onto a name is
            # taken for an edit (serve checks the name against the last walk of the site);
            # anything else that moves, adds or removes is not.
            self.touch({rel}, structural=event.event_type in ("created", "deleted") or (
                event.event_type == "moved" and raw == event.src_path))

    def touch(self, rels: set[str], structural: bool) -> None:
        """Count ``rels`` as changed (``structural``: files came or went)."""
        with self.lock:
            self.pending |= rels
            self.structural = self.structural or structural
            self.last = time.monotonic()
        self.changed.set()


class Watcher:
    """Watches ``folders`` (recursively) and ``files`` of a site for changes."""

    def __init__(self, root: Path, folders: list[Path], files: list[str],
                 ignore: tuple[Path, ...] = ()):
        self.root = root.resolve()
        # Each folder's watch; None while the folder is missing.
        self.folders: dict[Path, ObservedWatch | None] = {f.resolve(): None for f in folders}
        self._lock = threading.Lock()
        self._recheck: set[Path] = set()
        self.collector = _Collector(root, ignore, set(files), frozenset(self.folders),
                                    self._folder_event)
        self.observer = Observer()
        self.observer.schedule(self.collector, str(root), recursive=False)
        for folder in self.folders:
            self._arm(folder)

    def _folder_event(self, folder: Path) -> None:
        # Called on the observer's thread, inside its dispatch: (un)scheduling waits for the
        # main thread (next_batch), which may join the emitter threads.
        with self._lock:
            self._recheck.add(folder)

    def _arm(self, folder: Path) -> bool:
        """Watch ``folder`` afresh if it is there; whether it was or is watched (so what it
        holds now, or its absence, is news)."""
        current = self.folders[folder]
        if current is not None:
            # The watch of a folder that went follows nothing (deleted) or the wrong name
            # (renamed away); watchdog keeps its dead emitter until it is unscheduled.
            with contextlib.suppress(KeyError):
                self.observer.unschedule(current)
            self.folders[folder] = None
        if not folder.is_dir():
            return current is not None
        self.folders[folder] = self.observer.schedule(self.collector, str(folder),
                                                      recursive=True)
        return True

    def _rearm(self) -> None:
        """Watch again each folder that was deleted, created or replaced since the last look,
        and count what it holds now (or the folder itself, when gone) as changed."""
        with self._lock:
            folders, self._recheck = self._recheck, set()
        for folder in sorted(folders):
            if not self._arm(folder):
                continue
            rel = unicodedata.normalize("NFC", folder.relative_to(self.root).as_posix())
            changed = {rel}
            for path in _files(folder):
                if not is_scratch(path.name):
                    changed.add(unicodedata.normalize(
                        "NFC", path.relative_to(self.root).as_posix()))
            self.collector.touch(changed, structural=True)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)

    def next_batch(self, stop: threading.Event, quiet: float = 0.04,
                   longest: float = 0.4, timeout: float | None = None) -> Batch | None:
        """Wait for changes, then for ``quiet`` seconds without new ones (at most ``longest``);
        None when ``stop`` is set first, an empty batch after ``timeout`` without changes."""
        c = self.collector
        give_up = None if timeout is None else time.monotonic() + timeout
        while not stop.is_set():
            if c.changed.wait(timeout=0.05):
                break
            if give_up is not None and time.monotonic() >= give_up:
                return Batch(frozenset(), False)
        else:
            return None
        started = time.monotonic()
        while not stop.is_set():
            self._rearm()
            with c.lock:
                idle = time.monotonic() - c.last
            if idle >= quiet or time.monotonic() - started >= longest:
                break
            time.sleep(min(quiet - idle, 0.02) if idle < quiet else 0.01)
        self._rearm()
        with c.lock:
            paths = frozenset(c.pending)
            structural = c.structural
            c.pending.clear()
            c.structural = False
            c.changed.clear()
        return Batch(paths, structural)


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (a folder that vanishes meanwhile has none)."""
    found = []
    for parent, _dirs, names in os.walk(folder):
        found.extend(Path(parent, name) for name in names)
    return found
