"""Write stage: put the rendered site in place, all at once or not at all.

The new site is assembled in a sibling staging folder and swapped in with two renames only
after every file is written, so a failed or killed build leaves the previous output as it
was. Files whose bytes did not change are hard-linked from the previous output, keeping their
mtime (rsync and CDN uploads stay small). A lock keeps two builds of one site apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digestgen import __version__
from digestgen.errors import BuildLockedError, DigestgenError, error
from digestgen.render.pages import Output
from digestgen.urls import UnsafePathError, safe_site_path

MARKER = ".digestgen-build.json"
# Things in an output folder that are not ours to delete (a gh-pages worktree, a custom domain).
PRESERVED = (".git",)


@dataclass(frozen=True, slots=True)
class WriteStats:
    files: int
    changed: int
    unchanged: int


class OutputPathError(DigestgenError):
    exit_code = 2


def check_output_folder(output: Path, source: Path, content: Path) -> None:
    """Refuse output folders that would eat the source or a folder digestgen did not make."""
    out, src, cont = output.resolve(), source.resolve(), content.resolve()
    if out == src or out in src.parents:
        raise OutputPathError(
            [
                error(
                    str(output),
                    0,
                    "the output folder must not be the site folder "
                    "or one of its parents; use the default _site/ or --output DIR",
                )
            ]
        )
    if out == cont or cont in out.parents or out in cont.parents:
        raise OutputPathError(
            [
                error(
                    str(output),
                    0,
                    "the output folder overlaps the content folder "
                    f"{content}; choose another --output",
                )
            ]
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputPathError(
            [
                error(
                    str(output),
                    0,
                    "the output folder exists, is not empty and "
                    "was not written by digestgen; remove it or choose another "
                    "--output (digestgen replaces the whole folder)",
                )
            ]
        )


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock for building into ``output``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; builds are not serialised there.
        yield
        return
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(
                [
                    error(
                        str(output),
                        0,
                        "another digestgen build is writing this "
                        f"output folder right now (lock: {lock_path}); wait "
                        "for it to finish",
                    )
                ]
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(output: Path) -> None:
    """Undo what a killed build left: restore a half-swapped output, drop stale staging folders."""
    parent = output.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{output.name}.old-*"))
    if olds and not output.exists():
        olds[-1].rename(output)
        olds = olds[:-1]
    for stale in [*olds, *parent.glob(f".{output.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def write_site(outputs: Iterable[Output], output: Path) -> WriteStats:
    """Write every output into a staging folder and swap it in. Call under :func:`build_lock`."""
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(output)
    staging = parent / f".{output.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    changed = unchanged = 0
    written: set[str] = set()
    try:
        for item in outputs:
            rel = _checked(item.path)
            if rel in written:
                raise DigestgenError([error(item.path, 0, "two outputs write this same file")])
            written.add(rel)
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None:
                shutil.copy2(item.source, dest)  # keeps the source's mtime: stable across builds
                changed += 1
                continue
            assert item.data is not None
            previous = output / rel
            if _same_bytes(previous, item.data):
                try:
                    os.link(previous, dest)
                    unchanged += 1
                    continue
                except OSError:
                    pass
            dest.write_bytes(item.data)
            changed += 1
        (staging / MARKER).write_text(json.dumps({"generator": f"digestgen {__version__}"}) + "\n")
        for name in PRESERVED:
            if (output / name).exists():
                (output / name).rename(staging / name)
        _swap(staging, output)
    except BaseException:
        for name in PRESERVED:
            if (staging / name).exists() and not (output / name).exists() and output.exists():
                (staging / name).rename(output / name)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteStats(len(written), changed, unchanged)


def sync_site(
    outputs: list[Output], output: Path, written: dict[str, str], *, prune: bool = True,
    keep: tuple[str, ...] = (), same: set[str] | frozenset[str] = frozenset(),
    scope: str = "",
) -> WriteStats:
    """Bring ``output`` in line with ``outputs`` in place, writing only what changed.

    ``written`` maps each file this function wrote to a digest of what it wrote; it is updated.
    Each file is replaced atomically (temp + rename), so a reader never sees half a page. With
    ``prune``, files written earlier under ``scope`` and not produced now are removed, except
    under ``keep``.
    ``same`` names outputs known to be byte-identical to what was written last time (pages the
    render cache reused), which are not even hashed.
    """
    output.mkdir(parents=True, exist_ok=True)
    marker = output / MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"generator": f"digestgen {__version__}"}) + "\n")
    seen: set[str] = set()
    changed = unchanged = 0
    for item in outputs:
        rel = _checked(item.path)
        if rel in seen:
            raise DigestgenError([error(item.path, 0, "two outputs write this same file")])
        seen.add(rel)
        if rel in same and rel in written:
            unchanged += 1
            continue
        dest = output / rel
        if item.source is not None:
            st = os.stat(item.source)
            digest = f"copy:{item.source}:{st.st_size}:{st.st_mtime_ns}"
        else:
            assert item.data is not None
            digest = hashlib.blake2b(item.data, digest_size=16).hexdigest()
        if written.get(rel) == digest and dest.exists():
            unchanged += 1
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.digestgen-tmp")
        if item.source is not None:
            shutil.copy2(item.source, tmp)
        else:
            tmp.write_bytes(item.data or b"")
        os.replace(tmp, dest)
        written[rel] = digest
        changed += 1
    if prune:
        stale = [r for r in written if r not in seen and r.startswith(scope)
                 and not (keep and r.startswith(keep))]
        for rel in stale:
            with contextlib.suppress(FileNotFoundError):
                (output / rel).unlink()
            del written[rel]
    return WriteStats(len(seen), changed, unchanged)


def _checked(path: str) -> str:
    try:
        rel = safe_site_path(path)
    except UnsafePathError as exc:
        raise DigestgenError([error(path, 0, str(exc))]) from None
    if not rel or rel.endswith("/"):
        raise DigestgenError([error(path, 0, "output path names a folder, not a file")])
    return rel


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)
