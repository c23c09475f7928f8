"""Watch a site's sources and hand over batches of changes.

Editors save in bursts (write a temp file, rename it over the original, touch a backup): the
events of one save are collected until the folder has been quiet for a moment, so one save is
one rebuild. Editor scratch files, the output folder and caches are ignored.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Scratch files editors write next to the real one (vim, emacs, JetBrains, VS Code, macOS).
_SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".crswap", ".part", ".kate-swp")
_SCRATCH_NAMES = {"4913", ".DS_Store"}


def is_scratch(name: str) -> bool:
    return (name in _SCRATCH_NAMES or name.startswith((".#", "#", ".~"))
            or name.endswith(_SCRATCH_SUFFIXES) or ".digestgen-tmp" in name
            or (name.startswith(".") and name.endswith(".tmp")))


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
                 on_new_folder=None):
        self.root = root.resolve()
        self.ignore = tuple(p.resolve() for p in ignore)
        self.watched_files = watched_files
        self.on_new_folder = on_new_folder
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
            except (ValueError, OSError):
                continue
            if any(resolved == p or p in resolved.parents for p in self.ignore):
                continue
            if "/" not in rel and rel not in self.watched_files:
                if self.on_new_folder and resolved.is_dir():
                    self.on_new_folder(resolved)  # templates/ created while serving, say
                continue  # a file at the top of the site that the build does not read
            with self.lock:
                self.pending.add(rel)
                # Editors save by renaming a temp file over the original: a move onto a file
                # that exists is an edit; anything else that moves, adds or removes is not.
                if event.event_type in ("created", "deleted") or (
                        event.event_type == "moved" and raw == event.src_path):
                    self.structural = True
                self.last = time.monotonic()
            self.changed.set()


class Watcher:
    """Watches ``folders`` (recursively) and ``files`` of a site for changes."""

    def __init__(self, root: Path, folders: list[Path], files: list[str],
                 ignore: tuple[Path, ...] = ()):
        self.root = root
        self.folders = {f.resolve(): False for f in folders}
        self.collector = _Collector(root, ignore, set(files), self._new_folder)
        self.observer = Observer()
        self.observer.schedule(self.collector, str(root), recursive=False)
        for folder in folders:
            self._watch(folder.resolve())

    def _watch(self, folder: Path) -> bool:
        if folder in self.folders and not self.folders[folder] and folder.is_dir():
            self.observer.schedule(self.collector, str(folder), recursive=True)
            self.folders[folder] = True
            return True
        return False

    def _new_folder(self, folder: Path) -> None:
        """A watched folder appeared: watch it, and count what is already in it as changed."""
        if self._watch(folder):
            c = self.collector
            with c.lock:
                c.structural = True
                for path in folder.rglob("*"):
                    if path.is_file() and not is_scratch(path.name):
                        c.pending.add(unicodedata.normalize(
                            "NFC", path.resolve().relative_to(c.root).as_posix()))
                c.last = time.monotonic()
            c.changed.set()

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
            with c.lock:
                idle = time.monotonic() - c.last
            if idle >= quiet or time.monotonic() - started >= longest:
                break
            time.sleep(min(quiet - idle, 0.02) if idle < quiet else 0.01)
        with c.lock:
            paths = frozenset(c.pending)
            structural = c.structural
            c.pending.clear()
            c.structural = False
            c.changed.clear()
        return Batch(paths, structural)
