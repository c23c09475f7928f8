"""The site folder as untrusted input: what may be read from it, and how to write into it.

A site arrives through pull requests and is built in CI beside deploy tokens, so a symlink in
it is a question, not a path: ``static/p.txt → /etc/passwd``, ``templates → /``,
``static/c → ../.git/config`` (where CI keeps its token) must never reach the output. Every
file the build reads from the site is checked here by where it really is (the resolved path),
and every file digestgen writes into the site goes through :func:`write_inside`, which never
follows a link out of it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digestgen.errors import Diagnostic, warning


class OutsideSiteError(Exception):
    """A path would lead a read or a write out of the site folder (the message says how)."""


def inside(path: Path, root: Path) -> bool:
    """``path`` is ``root`` or lies below it (both resolved by the caller)."""
    return path == root or root in path.parents


def real_path(path: Path) -> Path | None:
    """Where ``path`` really is (links followed), or None for a link loop or a path the
    system cannot resolve (Python 3.11 raises RuntimeError for a loop)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def link_problem(path: Path, root: Path) -> str | None:
    """Why the file at ``path`` must not be read as part of the site rooted at ``root``
    (resolved), or None if it may. Checked by the real path: a link anywhere on the way (the
    file, or a folder above it) counts. A link may lead elsewhere in the site, but not out of
    it, and not into a hidden folder of it (``.git`` holds CI's credentials, the cache its own
    files)."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 and 3.12 raise this for a loop
        return "symlink loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if exc.errno == errno.ENAMETOOLONG:
            return "path too long"
        return "broken symlink (no such file)" if os.path.islink(path) else "no such file"
    if not inside(target, root):
        return "symlink points outside the site folder"
    if any(part.startswith(".") for part in target.relative_to(root).parts) and not any(
            part.startswith(".") for part in named(path, root).split("/")):
        return "symlink points into a hidden folder of the site"
    return None


def named(path: Path, root: Path) -> str:
    """``path`` as the site names it in messages: relative to ``root``, links not followed
    (the link's own name, not where it leads); as given when outside it."""
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def check_readable(path: Path, root: Path, shown: str) -> None:
    """Raise :class:`OutsideSiteError` naming ``shown`` if ``path`` must not be read."""
    problem = link_problem(path, root)
    if problem is not None and problem != "no such file":
        raise OutsideSiteError(f"{shown}: {problem}; not read")


@dataclass(frozen=True, slots=True)
class Found:
    """A regular file found under a folder of the site."""

    rel: str  # POSIX path relative to the folder walked
    path: Path  # where it is, as found (not resolved)


def walk_files(folder: Path, root: Path, shown: Callable[[Path], str], *,
               skip: Callable[[str, bool], bool] = lambda rel, is_dir: False,
               diagnostics: list[Diagnostic] | None = None) -> Iterator[Found]:
    """The regular files under ``folder`` (a folder of the site rooted at ``root``, resolved),
    sorted, following links only where they stay inside the site.

    ``skip(rel, is_dir)`` leaves out a name (hidden files, excluded patterns). A link that
    leads out, loops, dangles or names something that is not a regular file is left out with
    a warning in ``diagnostics``, named by ``shown(path)``: a site folder may be partly
    unreadable without failing the build, but never silently and never by reading it.
    """
    diags = diagnostics if diagnostics is not None else []
    if os.path.islink(folder) or folder.is_dir():
        problem = link_problem(folder, root)
        if problem is not None:
            diags.append(warning(shown(folder), 0, f"{problem}; folder skipped", strict=True))
            return
    if not folder.is_dir():
        return
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        here = Path(dirpath)
        rel_dir = here.relative_to(folder).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        try:
            st = here.stat()
        except OSError:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            diags.append(warning(shown(here), 0, "symlink loop; folder skipped"))
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = [name for name in sorted(dirnames) if not skip(prefix + name, True)
                       and _readable(here / name, root, shown, diags, "folder skipped")]
        for name in sorted(filenames):
            path = here / name
            if skip(prefix + name, False) or not _readable(path, root, shown, diags, "skipped"):
                continue
            if not path.is_file():  # a FIFO or device would block or make no sense to read
                diags.append(warning(shown(path), 0, "not a regular file; skipped"))
                continue
            yield Found(prefix + name, path)


def _readable(path: Path, root: Path, shown: Callable[[Path], str], diags: list[Diagnostic],
              then: str) -> bool:
    """Whether ``path`` may be read: not a link, or a link that stays inside the site (else a
    warning saying what was skipped)."""
    if os.path.islink(path) and (problem := link_problem(path, root)) is not None:
        diags.append(warning(shown(path), 0, f"{problem}; {then}", strict=True))
        return False
    return True


def check_writable(target: Path, root: Path) -> None:
    """Raise :class:`OutsideSiteError` if writing ``target`` would leave the site rooted at
    ``root`` (resolved): through a symlinked folder on the way, or a link at ``target``
    itself that leads out (such a link would be replaced, but its owner meant it to be
    followed: refusing says so instead of quietly breaking it)."""
    probe = target.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not inside(probe.resolve(), root):
        raise OutsideSiteError(f"{target}: would be written outside the site (through a "
                               f"symlinked folder); not written")
    if os.path.islink(target) and not inside(target.resolve(), root):
        raise OutsideSiteError(f"{target}: is a symlink that points outside the site; "
                               f"not written")


def write_inside(target: Path, root: Path, data: bytes) -> None:
    """Write ``data`` to ``target``, a file of the site rooted at ``root`` (resolved), without
    ever writing outside it (see :func:`check_writable`); a link planted at ``target`` is
    replaced, not followed. The file appears whole or not at all (temp file + rename).
    Raises :class:`OutsideSiteError` for a path that leads out, :class:`OSError` on I/O."""
    check_writable(target, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not inside(target.parent.resolve(), root):  # a link made since the check above
        raise OutsideSiteError(f"{target}: would be written outside the site; not written")
    atomic_write(target, data)


def atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a fresh temporary file renamed over it: a reader
    never sees half a file, and a link planted at ``target`` (or at any predictable temporary
    name beside it) is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:64]}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
