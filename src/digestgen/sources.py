"""Discover the content of a site: documents by section, and the other files beside them.

Discovery is sorted and deterministic, skips hidden files, the output folder and `exclude:`
patterns, and never follows a link out of the site folder.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, error, warning
from digestgen.model import SourceFile

DOCUMENT_EXTENSIONS = (".md", ".markdown", ".txt")
SIDECAR_EXTENSIONS = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Inventory:
    documents: tuple[SourceFile, ...]
    # Every other file under content/, by path relative to the content folder → absolute path.
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def discover(source: Path, config: SiteConfig, output: Path | None = None) -> Inventory:
    """Walk ``source/content_dir`` and classify what is there."""
    content = source / config.content_dir
    site_root = source.resolve()
    skip_dirs = {p.resolve() for p in (output,) if p is not None}
    documents: list[SourceFile] = []
    files: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    if not content.is_dir():
        return Inventory((), {}, ())
    sidecar_stems: set[str] = set()
    content_rel = _nfc(_rel(source, content))
    seen_dirs: set[tuple[int, int]] = set()
    seen_names: dict[str, str] = {}  # NFC content path → the name as found on disk
    for dirpath, dirnames, filenames in os.walk(content, followlinks=True):
        here = Path(dirpath)
        real = here.resolve()
        st = here.stat()
        key = (st.st_dev, st.st_ino)
        rel_dir = here.relative_to(content).as_posix()
        if key in seen_dirs:  # a symlink loop
            diagnostics.append(warning(_rel(source, here), 0, "symlink loop; folder skipped"))
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        if not _inside(real, site_root):
            diagnostics.append(
                warning(_rel(source, here), 0, "symlink points outside the site folder; skipped")
            )
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and (here / d).resolve() not in skip_dirs
            and not _excluded(f"{rel_dir}/{d}".lstrip("./"), config.exclude)
        )
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith("~"):
                continue
            path = here / name
            content_path = _nfc(f"{rel_dir}/{name}" if rel_dir != "." else name)
            if config.exclude and _excluded(content_path, config.exclude):
                continue
            # Only a link can lead out of the site (a plain file under a checked folder cannot).
            if os.path.islink(path):
                problem = _link_problem(path, site_root)
                if problem:
                    diagnostics.append(warning(_rel(source, path), 0, f"{problem}; skipped"))
                    continue
            if content_path in seen_names:
                # Same name once NFC-normalised: macOS writes NFD, Linux keeps what it is given.
                form = "NFC" if unicodedata.is_normalized("NFC", name) else "NFD"
                other = "NFC" if unicodedata.is_normalized("NFC", seen_names[content_path]) \
                    else "NFD"
                diagnostics.append(error(
                    _rel(source, path), 0,
                    f"two files have this name, one written in Unicode {other} and one in "
                    f"{form} (they look the same); rename or delete one of them"))
                continue
            seen_names[content_path] = name
            if not path.is_file():  # a FIFO or device would block or make no sense to read
                diagnostics.append(warning(_rel(source, path), 0,
                                           "not a regular file; skipped"))
                continue
            if name.lower().endswith(DOCUMENT_EXTENSIONS):
                section, kind = _section_of(content_path, config)
                documents.append(
                    SourceFile(
                        rel_path=f"{content_rel}/{content_path}",
                        content_path=content_path,
                        section=section,
                        kind=kind,
                        abs_path=str(path),
                    )
                )
                sidecar_stems.add(content_path.rsplit(".", 1)[0])
            else:
                files[content_path] = str(path)
    # A name.yaml beside name.txt is the document's sidecar, not a file to publish.
    for path in list(files):
        if path.lower().endswith(SIDECAR_EXTENSIONS) and path.rsplit(".", 1)[0] in sidecar_stems:
            del files[path]
    documents.sort(key=lambda s: s.rel_path)
    return Inventory(tuple(documents), files, tuple(diagnostics))


def _section_of(content_path: str, config: SiteConfig) -> tuple[str, str]:
    best: tuple[int, str, str] | None = None
    for name, section in config.sections.items():
        prefix = section.dir.strip("/") + "/"
        if content_path.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), name, section.kind)
    if best is None:
        return "", "page"
    return best[1], best[2]


def _excluded(path: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[-1], p) for p in patterns
    )


def _link_problem(path: Path, site_root: Path) -> str | None:
    """Why the symlink ``path`` must not be read (None: it may)."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 and 3.12 raise this for a loop
        return "symlink loop"
    except OSError as exc:
        return "symlink loop" if exc.errno == errno.ELOOP else "broken symlink (no such file)"
    if not _inside(target, site_root):
        return "symlink points outside the site folder"
    if not target.is_file():
        return "symlink does not point to a file"
    return None


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _rel(source: Path, path: Path) -> str:
    try:
        return path.relative_to(source).as_posix()
    except ValueError:
        return path.as_posix()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
