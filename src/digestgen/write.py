"""Write stage: put the rendered site in place, all at once or not at all.

One loop, two strategies:

- :class:`Staged` (``digestgen build``): changed files are rendered into a staging folder
  beside the output, the unchanged ones are hard-linked into it from the live output, and the
  two folders are exchanged in one rename (Linux ``renameat2(RENAME_EXCHANGE)``): the output
  folder is at every moment the whole old site or the whole new one, even under SIGKILL.
  Unchanged files keep their inode and mtime (rsync and CDN uploads stay small). Where the
  exchange or hard links are not available (another OS or file system, an output folder that
  holds a ``.git``), the staged files are moved into place after a journal of the moves is
  written in the staging folder; a build killed during that commit is rolled forward by the
  next one (:func:`recover`).
- :class:`InPlace` (``serve``): each changed file replaces the old one atomically (temp file
  + rename) in the live folder, and files no longer produced are removed.

A build that fails, or is killed while it renders, leaves the previous output as it was. A
lock (kept in the user's cache folder, and removed when released) keeps two builds of one
output folder apart. Nothing of digestgen's bookkeeping is written into the output.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digestgen.errors import BuildLockedError, DigestgenError, error
from digestgen.outputs import Bundle, Item, Output
from digestgen.pipeline.parallel import Early, can_fork, fork_map
from digestgen.progress import Progress
from digestgen.sitefs import atomic_write, real_path
from digestgen.urls import UnsafePathError, safe_site_path

__all__ = ["Bundle", "EarlyBundle", "InPlace", "Staged", "WriteStats", "build_lock",
           "check_output_folder", "is_ours", "recover", "scan_tree", "write"]

# Things in an output folder that are not ours to delete (a gh-pages worktree, a custom domain).
PRESERVED = (".git",)
JOURNAL = ".digestgen-journal.json"  # in a staging folder: its commit plan


@dataclass(frozen=True, slots=True)
class WriteStats:
    files: int
    changed: int
    unchanged: int
    # What each bundle's producer returned beside its files, by the bundle's prefix.
    payloads: dict = field(default_factory=dict)
    # The output folder's files afterwards, as scan_tree gives them (staged writes only).
    listing: dict[str, tuple[int, int]] | None = None
    # What rendering each page read (template names), by output path: pages rendered now.
    reads: dict[str, frozenset[str]] = field(default_factory=dict)


class OutputPathError(DigestgenError):
    exit_code = 2


# -- whose folder is it ------------------------------------------------------------------------


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` is missing, empty, or a site digestgen built: its feed or home page
    names digestgen as generator (both are published anyway, so no marker file is needed)."""
    try:
        if not folder.is_dir() or not any(folder.iterdir()):
            return True
    except OSError:
        return False
    for name, sign in (("feed.xml", b"<generator>digestgen"),
                       ("index.html", b'<meta name="generator" content="digestgen')):
        with contextlib.suppress(OSError), open(folder / name, "rb") as handle:
            if sign in handle.read(16384):
                return True
    return False


def check_output_folder(output: Path, source: Path, content: Path,
                        inputs: tuple[Path, ...] = (), *, from_config: bool = False) -> None:
    """Refuse output folders that would eat the source or a folder digestgen did not make, or
    that overlap an input folder (``inputs``: static files, templates), whose next build would
    copy the last output into the new one. An output folder named by site.yaml
    (``from_config``) must also really be inside the site: the site is untrusted, and a link
    there must not lead the build's writes elsewhere."""
    def refuse(message: str) -> None:
        raise OutputPathError([error(str(output), 0, message)])

    out, src, cont = real_path(output), source.resolve(), real_path(content) or content
    if out is None:
        refuse("the output folder is a symlink loop; remove the link or pass --output DIR")

    if out == src or out in src.parents:
        refuse("the output folder must not be the site folder or one of its parents; use the "
               "default _site/ or --output DIR")
    if from_config and src not in out.parents:
        refuse("output_dir leads outside the site folder (through a symlink); remove the link "
               "or pass --output DIR")
    if out == cont or cont in out.parents or out in cont.parents:
        refuse(f"the output folder overlaps the content folder {content}; choose another "
               f"--output")
    for folder in inputs:
        other = real_path(folder)
        if other is not None and (out == other or other in out.parents
                                  or out in other.parents):
            refuse(f"the output folder overlaps {folder}, an input of the build (each build "
                   "would publish the last one inside it); choose another --output")
    if not is_ours(output):
        refuse("the output folder exists, is not empty and was not written by digestgen; "
               "remove it or choose another --output (digestgen replaces the whole folder)")


def output_folder(requested: Path | None, config, source: Path) -> Path:
    """The output folder: ``requested`` (``--output``, relative to the current folder), else
    site.yaml's ``output_dir`` in the site; checked by :func:`check_output_folder`."""
    output = requested or Path(config.output_dir)
    if not output.is_absolute():
        output = Path.cwd() / output if requested else source / output
    check_output_folder(output, source, source / config.content_dir,
                        (source / config.static_dir, source / config.templates_dir),
                        from_config=requested is None)
    return output


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock for writing into ``output``. The lock file lives in the user's
    cache folder (never in the site) and is removed when released."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; builds are not serialised there.
        yield
        return
    folder = _user_cache() / "locks"
    name = hashlib.blake2b(str(output.resolve()).encode("utf-8", "surrogatepass"),
                           digest_size=12).hexdigest()
    lock_path = folder / f"{name}.lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield  # nowhere to keep a lock (a read-only home): builds are not serialised
        return
    while True:
        handle = open(lock_path, "a+")  # noqa: SIM115 — held across the yield below
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise BuildLockedError([error(
                str(output), 0, "another digestgen build is writing this output folder right "
                f"now (lock: {lock_path}); wait for it to finish")]) from None
        # The holder before us may have removed the file after we opened it: then this lock
        # guards nothing, and the path is locked afresh.
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        handle.close()  # releases the lock


def _user_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digestgen"


# -- the loop ----------------------------------------------------------------------------------


def write(items: Iterable[Item], output: Path, strategy: Staged | InPlace, *, jobs: int = 1,
          progress: Progress | None = None, early: EarlyBundle | None = None) -> WriteStats:
    """Render every item that is not current and put the site in place with ``strategy``
    (call under :func:`build_lock`). ``early``: a bundle already running in a process of its
    own, whose files join the rest."""
    items = list(items)
    paths = _claim(items)
    strategy.open(output)
    try:
        changed = unchanged = 0
        todo: list[Item] = []
        for item in items:
            if isinstance(item, Bundle):
                todo.append(item)
                continue
            rel = _checked(item.path)
            if strategy.current(item, rel):
                unchanged += 1
            elif item.source is not None:
                strategy.copy(item.source, rel)
                changed += 1
            else:
                todo.append(item)
        tally = _Tally()
        writer = strategy.writer()
        for result in run_tasks(todo, writer, jobs if strategy.parallel else 1, progress):
            tally.add(result)
        if early is not None:  # its files are checked and written as any bundle's
            tally.add(_run([early], writer))
        paths |= tally.paths
        listing = strategy.commit(paths)
    except BaseException:
        if early is not None:
            early.cancel()
        strategy.abandon()
        raise
    return WriteStats(len(paths), changed + tally.changed, unchanged + tally.unchanged,
                      tally.payloads, listing, tally.reads)


class EarlyBundle:
    """A bundle started at once in a forked process of its own, while the build is still
    listing the rest of the site (the search index takes a core that would otherwise wait for
    the pages); its files are written with the others (``write(early=…)``)."""

    def __init__(self, bundle: Bundle):
        self.prefix = bundle.prefix
        self._early = Early(lambda: _materialised(bundle))

    def run(self) -> tuple[list[Output], object]:
        """The bundle's files and payload, as :meth:`Bundle.run` gives them (its exception,
        raised here, if it failed)."""
        return self._early.result()

    def cancel(self) -> None:
        """Stop the process if its result is no longer wanted."""
        self._early.cancel()


def _materialised(bundle: Bundle) -> tuple[list[Output], object]:
    files, payload = bundle.run()
    return [Output(o.path, o.bytes()) for o in files], payload


class _Tally:
    def __init__(self) -> None:
        self.changed = self.unchanged = 0
        self.paths: set[str] = set()
        self.payloads: dict = {}
        self.reads: dict[str, frozenset[str]] = {}

    def add(self, result: tuple) -> None:
        changed, unchanged, paths, payloads, reads = result
        self.changed += changed
        self.unchanged += unchanged
        self.paths |= paths
        self.payloads.update(payloads)
        self.reads.update(reads)


def run_tasks(todo: list[Item], writer, jobs: int,
              progress: Progress | None = None) -> Iterator[tuple]:
    """Render and write ``todo`` with ``writer``, in ``jobs`` forked processes when it pays.
    Each result is (changed, unchanged, paths, {bundle prefix: payload}, {path: reads}).
    ``progress`` hears ("render", done, total) as the work gets done."""
    total = len(todo)
    if progress is not None and total:
        progress("render", 0, total)
    pages = sum(1 for t in todo if isinstance(t, Output))
    if jobs <= 1 or not can_fork() or (pages < 200 and not any(isinstance(t, Bundle)
                                                                 for t in todo)):
        for start in range(0, total, 64):  # in steps, so a progress bar moves
            yield _run(todo[start:start + 64], writer)
            if progress is not None:
                progress("render", min(start + 64, total), total)
        return
    # The heavy bundles go first, each alone; pages follow in chunks, handed out as workers
    # free up.
    bundles = [t for t in todo if isinstance(t, Bundle)]
    pages_only = [t for t in todo if not isinstance(t, Bundle)]
    size = max(16, len(pages_only) // (jobs * 6) + 1)
    chunks = [[b] for b in bundles]
    chunks += [pages_only[k:k + size] for k in range(0, len(pages_only), size)]
    done = 0
    for k, result in fork_map(lambda chunk: _run(chunk, writer), chunks, jobs, ordered=False):
        done += len(chunks[k])
        if progress is not None:
            progress("render", done, total)
        yield result


def _run(tasks: list, writer) -> tuple:
    changed = unchanged = 0
    paths: set[str] = set()
    payloads: dict = {}
    reads: dict[str, frozenset[str]] = {}
    for task in tasks:
        if isinstance(task, Bundle | EarlyBundle):
            produced, payloads[task.prefix] = task.run()
            for out in produced:
                if not _checked(out.path).startswith(task.prefix):
                    raise DigestgenError([error(out.path, 0, "bundle wrote outside its folder")])
        else:
            produced = [task]
        for out in produced:
            c, u, rel, read = writer(out)
            changed += c
            unchanged += u
            paths.add(rel)
            if read is not None:
                reads[rel] = read
    return changed, unchanged, paths, payloads, reads


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


def _checked(path: str) -> str:
    try:
        rel = safe_site_path(path)
    except UnsafePathError as exc:
        raise DigestgenError([error(path, 0, str(exc))]) from None
    if not rel or rel.endswith("/"):
        raise DigestgenError([error(path, 0, "output path names a folder, not a file")])
    return rel


# -- staged, then swapped in -------------------------------------------------------------------


class Staged:
    """Render into a staging folder, then exchange it with the output (see the module).

    ``expected``: the output's files as the last build left them (path → size and mtime): a
    page the render cache reuses is not rendered at all, provided its file is still that."""

    parallel = True  # its writer writes files itself, in whichever process renders

    def __init__(self, expected: dict[str, tuple[int, int]] | None = None):
        self.expected = expected
        self.output: Path | None = None
        self.staging: Path | None = None
        self.found: dict[str, tuple[int, int]] = {}

    def open(self, output: Path) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        recover(output)
        self.output = output
        # A name no one can plant a link at in advance, made (not followed) by mkdir.
        self.staging = output.parent / f".{output.name}.tmp-{secrets.token_hex(6)}"
        self.staging.mkdir()
        # One walk tells what the output holds now: which reused pages are still as the last
        # build left them, which copies are current, and what to link into the new site.
        self.found = scan_tree(output) if output.exists() else {}

    def current(self, item: Output, rel: str) -> bool:
        found = self.found.get(rel)
        if item.source is not None:
            return _same_copy(item.source, found)
        return item.reuse and found is not None and (self.expected is None
                                                     or self.expected.get(rel) == found)

    def copy(self, source: str, rel: str) -> None:
        assert self.staging is not None
        dest = self.staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)  # keeps the source's mtime: stable across builds

    def writer(self) -> _StagedWriter:
        assert self.output is not None and self.staging is not None
        return _StagedWriter(self.output if self.found else None, self.staging)

    def commit(self, paths: set[str]) -> dict[str, tuple[int, int]]:
        """Put the staged site in place; return what the output holds afterwards."""
        assert self.output is not None and self.staging is not None
        output, staging = self.output, self.staging
        staged = scan_tree(staging)
        if not output.exists():
            staging.rename(output)
            return staged
        kept = {rel: self.found[rel] for rel in paths if rel not in staged}
        listing = {**kept, **staged}
        if not any(self.found.get(name) is not None or (output / name).exists()
                   for name in PRESERVED) and _link_all(output, staging, kept) \
                and exchange(staging, output):
            shutil.rmtree(staging, ignore_errors=True)  # the old site, now
            return listing
        # The fallback: staged files moved in one by one, after writing down the plan.
        deletes = [rel for rel in self.found if rel not in paths]
        plan = {"move": sorted(staged), "delete": sorted(deletes)}
        atomic_write(staging / JOURNAL, json.dumps(plan).encode())
        _apply(plan, staging, output)  # from here on, the commit happens even if we die
        shutil.rmtree(staging, ignore_errors=True)
        return listing

    def abandon(self) -> None:
        # A staging folder holding a journal is a commit under way: the next build finishes it.
        if self.staging is not None and not (self.staging / JOURNAL).exists():
            shutil.rmtree(self.staging, ignore_errors=True)


def _link_all(output: Path, staging: Path, kept: dict[str, tuple[int, int]]) -> bool:
    """Hard-link the unchanged files of ``output`` into ``staging``; False where the file
    system has no hard links (the caller falls back)."""
    made: set[str] = {""}
    for rel in kept:
        folder = rel.rpartition("/")[0]
        if folder not in made:
            os.makedirs(staging / folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(output / rel, staging / rel, follow_symlinks=False)
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK,
                             errno.EOPNOTSUPP):
                return False
            raise
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one atomic rename (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``); False where the system or the file system cannot."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # glibc older than 2.28, or another C library
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                errno.EBUSY, errno.EPERM):
        return False  # not on this file system (or a mount point): the caller falls back
    raise OSError(code, os.strerror(code), str(b))


def recover(output: Path) -> None:
    """Finish what a killed build left beside ``output``: a staging folder holding a journal
    is a commit under way, rolled forward; any other (a build killed while rendering, or the
    old site left after an exchange) is removed."""
    parent = output.parent
    if not parent.is_dir():
        return
    for staging in sorted(parent.glob(f".{output.name}.tmp-*")):
        if staging.is_symlink() or not staging.is_dir():
            continue
        journal = staging / JOURNAL
        if journal.is_file():
            # An unreadable journal was never complete: the commit had not begun.
            with contextlib.suppress(OSError, ValueError, KeyError):
                _apply(json.loads(journal.read_text()), staging, output)
        shutil.rmtree(staging, ignore_errors=True)


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


class _StagedWriter:
    """Stages rendered outputs whose bytes differ from the output folder's (``output`` None:
    a first build, everything is staged). Returns (changed, unchanged, path, reads)."""

    def __init__(self, output: Path | None, staging: Path):
        self.output, self.staging = output, staging
        self.root = str(staging) + os.sep  # string paths: this runs for every file of a site
        self.made: set[str] = {""}

    def __call__(self, item: Output) -> tuple[int, int, str, frozenset[str] | None]:
        rel = _checked(item.path)
        if item.reuse and self.output is not None and (self.output / rel).exists():
            return 0, 1, rel, None  # the render cache vouches for the file as it is
        made = item.produce()
        if self.output is not None and _same_bytes(self.output / rel, made.data):
            return 0, 1, rel, made.reads
        folder = rel.rpartition("/")[0]
        if folder not in self.made:
            os.makedirs(self.root + folder, exist_ok=True)
            self.made.add(folder)
        with open(self.root + rel, "wb") as handle:
            handle.write(made.data)
        return 1, 0, rel, made.reads


def _same_copy(source: str, current: tuple[int, int] | None) -> bool:
    """A copied file is unchanged when size and mtime match (copy2 keeps the source's)."""
    if current is None:
        return False
    try:
        st = os.stat(source)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == current


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


# -- in place ----------------------------------------------------------------------------------


class InPlace:
    """Bring the output in line file by file (``serve``), each replaced atomically.

    ``written`` maps each file written this way to a digest of what was written; it is kept
    up to date. Files written earlier under ``scope`` and not produced now are removed, except
    under ``keep``. Pages the render cache reuses (``reuse``, or listed in ``same``) are
    neither rendered nor hashed. Everything is rendered before anything is written, so a
    template error leaves the folder as it was.
    """

    parallel = False  # what is rendered waits in this process until everything is

    def __init__(self, written: dict[str, str], *, keep: tuple[str, ...] = (),
                 same: set[str] | frozenset[str] = frozenset(), scope: str = ""):
        self.written, self.keep, self.same, self.scope = written, keep, same, scope
        self.output: Path | None = None
        self.pending: list[tuple[str, bytes, str]] = []  # (path, data, digest) to write

    def open(self, output: Path) -> None:
        output.mkdir(parents=True, exist_ok=True)
        self.output = output

    def current(self, item: Output, rel: str) -> bool:
        assert self.output is not None
        if not (self.output / rel).exists():
            return False
        if item.source is not None:
            return self.written.get(rel) == _copy_digest(item.source)
        return (item.reuse or rel in self.same) and rel in self.written

    def copy(self, source: str, rel: str) -> None:
        assert self.output is not None
        dest = self.output / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name[:64]}.{secrets.token_hex(4)}.digestgen-tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, dest)
        self.written[rel] = _copy_digest(source)

    def writer(self):
        written, pending = dict(self.written), self.pending

        def write_later(item: Output) -> tuple[int, int, str, frozenset[str]]:
            rel = _checked(item.path)
            made = item.produce()
            digest = hashlib.blake2b(made.data, digest_size=16).hexdigest()
            if written.get(rel) == digest:
                return 0, 1, rel, made.reads
            pending.append((rel, made.data, digest))
            return 1, 0, rel, made.reads

        return write_later

    def commit(self, paths: set[str]) -> None:
        assert self.output is not None
        for rel, data, digest in self.pending:
            dest = self.output / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(dest, data)
            self.written[rel] = digest
        self.pending.clear()
        for rel in [r for r in self.written if r not in paths and r.startswith(self.scope)
                    and not (self.keep and r.startswith(self.keep))]:
            with contextlib.suppress(FileNotFoundError):
                (self.output / rel).unlink()
            del self.written[rel]
        return None

    def abandon(self) -> None:
        self.pending.clear()


def _copy_digest(source: str) -> str:
    try:
        st = os.stat(source)
    except OSError:
        return ""
    return f"copy:{source}:{st.st_size}:{st.st_mtime_ns}"


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
