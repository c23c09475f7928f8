"""Write stage: put the rendered site in place, all at once or not at all.

Everything is rendered first, into a staging folder beside the output: a build that fails, or
is killed while it renders, leaves the previous output exactly as it was. A first build then
renames the staging folder into place. Later builds stage only the files whose bytes changed
and commit them with renames, after writing a journal of the moves and deletions; a build
killed during that short commit is rolled forward by the next one (see :func:`recover`).
Unchanged files are never touched, so their mtime is kept (rsync and CDN uploads stay small).
A lock keeps two builds of one site apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from digestgen import __version__
from digestgen.errors import BuildLockedError, DigestgenError, error
from digestgen.outputs import Output
from digestgen.progress import Progress
from digestgen.urls import UnsafePathError, safe_site_path

MARKER = ".digestgen-build.json"
# Things in an output folder that are not ours to delete (a gh-pages worktree, a custom domain).
PRESERVED = (".git",)


@dataclass(frozen=True, slots=True)
class WriteStats:
    files: int
    changed: int
    unchanged: int
    # What each bundle's producer returned beside its files, by the bundle's prefix.
    payloads: dict = field(default_factory=dict)
    # The output folder's files afterwards, as scan_tree gives them (write_site only).
    listing: dict[str, tuple[int, int]] | None = None


class OutputPathError(DigestgenError):
    exit_code = 2


def check_output_folder(output: Path, source: Path, content: Path,
                        inputs: tuple[Path, ...] = ()) -> None:
    """Refuse output folders that would eat the source or a folder digestgen did not make, or
    that overlap an input folder (``inputs``: static files, templates), whose next build would
    copy the last output into the new one."""
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
    for folder in inputs:
        other = folder.resolve()
        if out == other or other in out.parents or out in other.parents:
            raise OutputPathError([error(
                str(output), 0,
                f"the output folder overlaps {folder}, an input of the build (each build "
                "would publish the last one inside it); choose another --output")])
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


def _journal(output: Path) -> Path:
    return output.parent / f".{output.name}.journal"


def recover(output: Path) -> None:
    """Finish or undo what a killed build left: roll a journaled commit forward, restore an
    output from an older digestgen's half-done swap, drop stale staging folders."""
    parent = output.parent
    if not parent.is_dir():
        return
    journal = _journal(output)
    if journal.is_file():
        try:
            plan = json.loads(journal.read_text())
            _apply(plan, Path(plan["staging"]), output)
        except (OSError, ValueError, KeyError):
            pass  # an unreadable journal was never complete: the commit had not begun
        journal.unlink(missing_ok=True)
    olds = sorted(parent.glob(f".{output.name}.old-*"))
    if olds and not output.exists():
        olds[-1].rename(output)
        olds = olds[:-1]
    for stale in [*olds, *parent.glob(f".{output.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _apply(plan: dict, staging: Path, output: Path) -> None:
    """Carry out a commit plan: staged files renamed into place, stale files deleted."""
    made: set[str] = set()
    for rel in plan["move"]:
        src = staging / rel
        if not src.exists():
            continue  # moved before the kill
        folder = os.path.dirname(rel)
        if folder not in made:
            (output / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        os.replace(src, output / rel)
    folders: set[Path] = set()
    for rel in plan["delete"]:
        with contextlib.suppress(FileNotFoundError):
            (output / rel).unlink()
        folders.update((output / rel).parents)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder != output and output in folder.parents:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty


@dataclass(frozen=True, slots=True)
class Bundle:
    """A task that produces many files at once (the search index): rendered like a page, by
    one worker, while other workers render pages. ``produce`` returns the files, or the files
    and a payload (picklable) that reaches the caller in :attr:`WriteStats.payloads`."""

    prefix: str
    produce: Callable[[], list[Output] | tuple[list[Output], object]]

    def run(self) -> tuple[list[Output], object]:
        produced = self.produce()
        if isinstance(produced, tuple):
            return produced
        return produced, None


Item = Output | Bundle


class EarlyBundle:
    """A bundle started at once in a forked process of its own, while the main process is
    still listing the rest of the site: the search index takes a core that would otherwise
    wait for the pages. Its files are written with the others (``write_site(late=…)``)."""

    def __init__(self, bundle: Bundle):
        self.prefix = bundle.prefix
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_early, args=(bundle, send, os.getpid()),
                                        daemon=True)
        self._process.start()
        send.close()

    def run(self) -> tuple[list[Output], object]:
        """The bundle's files and payload, as :meth:`Bundle.run` gives them, once the process
        has them (its exception, raised here, if it failed)."""
        try:
            message = self._receive.recv()
        except EOFError:
            raise RuntimeError("the search index process died") from None
        finally:
            self._process.join()
        if message[0] == "error":
            raise message[1]
        return [Output(path, data) for path, data in message[1]], message[2]

    def cancel(self) -> None:
        """Stop the process if its result is no longer wanted."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _run_early(bundle: Bundle, send, parent: int) -> None:
    die_with_parent(parent)
    try:
        files, payload = bundle.run()
        send.send(("ok", [(o.path, o.bytes()) for o in files], payload))
    except BaseException as exc:  # noqa: BLE001 — handed to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:  # noqa: BLE001 — an exception that does not pickle
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


def write_site(outputs: Iterable[Item], output: Path, *, jobs: int = 1,
               expected: dict[str, tuple[int, int]] | None = None,
               progress: Progress | None = None, late: EarlyBundle | None = None) -> WriteStats:
    """Render every output, then put the site in place (see the module's docstring). Call
    under :func:`build_lock`. ``late``: a bundle already running, whose files join the rest.

    A page the render cache reuses is not rendered at all, provided its file is still what the
    last build wrote (``expected``: path → size and mtime); a rendered page whose bytes equal
    the file's is left alone.
    """
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(output)
    staging = parent / f".{output.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    first = not output.exists()
    try:
        items = list(outputs)
        paths = _claim(items)
        # One walk tells what the output folder holds now: which reused pages are still as the
        # last build left them, which copies are current, and (at commit) what to delete.
        found = {} if first else scan_tree(output)
        changed = unchanged = 0
        todo: list[Item] = []
        for item in items:
            if isinstance(item, Bundle):
                todo.append(item)
                continue
            rel = _checked(item.path)
            if item.source is not None:
                if _same_copy(item.source, found.get(rel)):
                    unchanged += 1
                    continue
                dest = staging / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(item.source, dest)  # keeps the source's mtime: stable across builds
                changed += 1
            elif item.reuse and rel in found and (expected is None
                                                 or expected.get(rel) == found[rel]):
                unchanged += 1
            else:
                todo.append(item)
        payloads: dict = {}
        writer = _StagedWriter(None if first else output, staging)

        def results():
            yield from run_tasks(todo, writer, jobs, progress)
            if late is not None:  # its files are checked and written as any bundle's
                yield _run_range([late], writer, 0, 1)

        for result in results():
            changed += result[0]
            unchanged += result[1]
            paths.update(result[2])
            payloads.update(result[4])
        if first:
            (staging / MARKER).write_text(json.dumps({"generator": f"digestgen {__version__}"})
                                          + "\n")
            listing = scan_tree(staging)
            staging.rename(output)
            return WriteStats(len(paths), changed, unchanged, payloads, listing)
        listing = _commit(staging, output, paths, found)
    except BaseException:
        if late is not None:
            late.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return WriteStats(len(paths), changed, unchanged, payloads, listing)


def scan_tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` (POSIX relative path → size and mtime), but what is
    PRESERVED at its top; {} for a missing folder."""
    out: dict[str, tuple[int, int]] = {}

    def walk(path: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if not (prefix == "" and entry.name in PRESERVED):
                    walk(entry.path, rel + "/")
            elif not (prefix == "" and entry.name in PRESERVED):
                with contextlib.suppress(OSError):
                    st = entry.stat(follow_symlinks=False)
                    out[rel] = (st.st_size, st.st_mtime_ns)

    walk(str(folder), "")
    return out


def _commit(staging: Path, output: Path, paths: set[str], found: dict[str, tuple[int, int]]
            ) -> dict[str, tuple[int, int]]:
    """Move staged files into ``output`` and delete what the build no longer produces, after
    writing the plan down, so that a kill in between is finished by the next build. ``found``
    is what ``output`` held (as :func:`scan_tree`); returns what it holds afterwards."""
    staged = scan_tree(staging)
    listing = dict(found)
    deletes = [rel for rel in listing if rel not in paths and rel != MARKER]
    if staged or deletes:
        plan = {"staging": str(staging), "move": sorted(staged), "delete": sorted(deletes)}
        journal = _journal(output)
        tmp = journal.with_suffix(".tmp")
        tmp.write_text(json.dumps(plan))
        os.replace(tmp, journal)  # from here on, the commit happens even if this process dies
        _apply(plan, staging, output)
        journal.unlink()
    for rel in deletes:
        del listing[rel]
    listing.update(staged)  # a rename keeps size and mtime
    return listing


def _same_copy(source: str, current: tuple[int, int] | None) -> bool:
    """A copied file is unchanged when size and mtime match (copy2 keeps the source's)."""
    if current is None:
        return False
    try:
        st = os.stat(source)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == current


def sync_site(
    outputs: Iterable[Item], output: Path, written: dict[str, str], *, prune: bool = True,
    keep: tuple[str, ...] = (), same: set[str] | frozenset[str] = frozenset(),
    scope: str = "", jobs: int = 1, atomic: bool = False,
) -> WriteStats:
    """Bring ``output`` in line with ``outputs`` in place, writing only what changed.

    ``written`` maps each file this function wrote to a digest of what it wrote; it is updated.
    Each file is replaced atomically (temp + rename), so a reader never sees half a page. With
    ``prune``, files written earlier under ``scope`` and not produced now are removed, except
    under ``keep``. Pages the render cache reuses (``reuse``, or listed in ``same``) are
    neither rendered nor hashed. With ``atomic``, everything is rendered before anything is
    written, so a template error leaves the folder as it was.
    """
    output.mkdir(parents=True, exist_ok=True)
    marker = output / MARKER
    if not marker.exists():
        marker.write_text(json.dumps({"generator": f"digestgen {__version__}"}) + "\n")
    items = list(outputs)
    seen = _claim(items)
    changed = unchanged = 0
    todo: list[Item] = []
    for item in items:
        if isinstance(item, Bundle):
            todo.append(item)
            continue
        rel = _checked(item.path)
        if (item.reuse or rel in same) and rel in written and (output / rel).exists():
            unchanged += 1
        elif item.source is not None:
            st = os.stat(item.source)
            digest = f"copy:{item.source}:{st.st_size}:{st.st_mtime_ns}"
            if written.get(rel) == digest and (output / rel).exists():
                unchanged += 1
                continue
            dest = output / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.digestgen-tmp")
            shutil.copy2(item.source, tmp)
            os.replace(tmp, dest)
            written[rel] = digest
            changed += 1
        else:
            todo.append(item)
    payloads: dict = {}
    if atomic:
        rendered: list[Item] = []
        for t in todo:
            if isinstance(t, Bundle):
                files, payloads[t.prefix] = t.run()
                rendered.extend(Output(o.path, data=o.bytes()) for o in files)
            else:
                rendered.append(Output(t.path, data=t.bytes()))
        todo = rendered
    for result in run_tasks(todo, _InPlaceWriter(output, dict(written)), jobs):
        changed += result[0]
        unchanged += result[1]
        seen.update(result[2])
        written.update(result[3])
        payloads.update(result[4])
    if prune:
        stale = [r for r in written if r not in seen and r.startswith(scope)
                 and not (keep and r.startswith(keep))]
        for rel in stale:
            with contextlib.suppress(FileNotFoundError):
                (output / rel).unlink()
            del written[rel]
    return WriteStats(len(seen), changed, unchanged, payloads)


def _claim(items: list[Item]) -> set[str]:
    """The output paths of ``items``, refusing any path claimed twice."""
    paths: set[str] = set()
    for item in items:
        if isinstance(item, Bundle):
            continue
        rel = _checked(item.path)
        if rel in paths:
            raise DigestgenError([error(item.path, 0, "two outputs write this same file")])
        paths.add(rel)
    return paths


class _StagedWriter:
    """Stages rendered outputs whose bytes differ from the output folder's (``output`` None:
    a first build, everything is staged)."""

    def __init__(self, output: Path | None, staging: Path):
        self.output, self.staging = output, staging
        self.root = str(staging) + os.sep  # string paths: this runs for every file of a site
        self.made: set[str] = {""}

    def __call__(self, item: Output) -> tuple[int, int, str, str | None]:
        rel = _checked(item.path)
        if item.reuse and self.output is not None and (self.output / rel).exists():
            return 0, 1, rel, None  # the render cache vouches for the file as it is
        data = item.bytes()
        if self.output is not None and _same_bytes(self.output / rel, data):
            return 0, 1, rel, None
        folder = rel.rpartition("/")[0]
        if folder not in self.made:
            os.makedirs(self.root + folder, exist_ok=True)
            self.made.add(folder)
        with open(self.root + rel, "wb") as handle:
            handle.write(data)
        return 1, 0, rel, None


class _InPlaceWriter:
    """Writes rendered outputs over the output folder's files, when their bytes differ."""

    def __init__(self, output: Path, written: dict[str, str]):
        self.output, self.written = output, written

    def __call__(self, item: Output) -> tuple[int, int, str, str | None]:
        rel = _checked(item.path)
        data = item.bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        dest = self.output / rel
        if self.written.get(rel) == digest and dest.exists():
            return 0, 1, rel, digest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.digestgen-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
        return 1, 0, rel, digest


# -- rendering in several processes ----------------------------------------------------------

_TASKS: list = []  # set before the worker processes fork; they inherit it
_WRITER = None


def run_tasks(todo: list[Item], writer, jobs: int,
              progress: Progress | None = None) -> list[tuple[int, int, set[str], dict]]:
    """Render and write ``todo`` with ``writer``, in ``jobs`` forked processes when it pays.

    Each result is (changed, unchanged, paths written, {path: digest}, {bundle prefix:
    payload}). Every page is rendered
    by exactly one process, so the output does not depend on ``jobs``. ``progress`` hears
    ("render", done, total) as the work gets done.
    """
    global _TASKS, _WRITER
    pages = sum(1 for t in todo if isinstance(t, Output))
    total = len(todo)
    if progress is not None and total:
        progress("render", 0, total)
    if jobs <= 1 or not can_fork() or (pages < 200 and not any(isinstance(t, Bundle)
                                                                 for t in todo)):
        if progress is None:
            return [_run_range(todo, writer, 0, total)]
        results = []
        for start in range(0, total, 64):  # in steps, so a progress bar moves
            results.append(_run_range(todo, writer, start, min(start + 64, total)))
            progress("render", min(start + 64, total), total)
        return results
    # The heavy bundles go first, each alone; pages follow in chunks, handed out as workers
    # free up.
    order = sorted(range(len(todo)), key=lambda k: not isinstance(todo[k], Bundle))
    tasks = [todo[k] for k in order]
    _TASKS, _WRITER = tasks, writer
    bundles = sum(1 for t in tasks if isinstance(t, Bundle))
    size = max(16, (len(tasks) - bundles) // (jobs * 6) + 1)
    ranges = [(k, k + 1) for k in range(bundles)]
    ranges += [(k, min(k + size, len(tasks))) for k in range(bundles, len(tasks), size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(_run_inherited, a, b): b - a for a, b in ranges}
            if progress is not None:
                done = 0
                for future in as_completed(futures):
                    done += futures[future]
                    progress("render", done, total)
            return [future.result() for future in futures]
    finally:
        _TASKS, _WRITER = [], None


def die_with_parent(parent: int) -> None:
    """Initializer for worker processes: on Linux, have the kernel kill this worker when the
    build that forked it dies. A build killed with SIGKILL must not leave workers behind that
    hold its lock or keep writing into its staging folder."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def can_fork() -> bool:
    """Whether work can go to forked processes (Linux), which inherit the site model."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _run_inherited(start: int, stop: int):
    return _run_range(_TASKS, _WRITER, start, stop)


def _run_range(tasks: list[Item], writer, start: int, stop: int):
    changed = unchanged = 0
    paths: set[str] = set()
    digests: dict[str, str] = {}
    payloads: dict = {}
    for task in tasks[start:stop]:
        if isinstance(task, Bundle | EarlyBundle):
            produced, payloads[task.prefix] = task.run()
            for out in produced:
                rel = _checked(out.path)
                if not rel.startswith(task.prefix):
                    raise DigestgenError([error(out.path, 0, "bundle wrote outside its folder")])
        else:
            produced = [task]
        for out in produced:
            c, u, rel, digest = writer(out)
            changed += c
            unchanged += u
            paths.add(rel)
            if digest is not None:
                digests[rel] = digest
    return changed, unchanged, paths, digests, payloads


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
