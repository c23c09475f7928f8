"""Work spread over forked processes: the one place that knows about processes.

Forked workers inherit the parent's memory (the site model, the compiled templates), so a
task is only an index into work the parent set up before forking; only results travel back.
Every item is handled by exactly one process, so the output never depends on how many there
are. Linux only (``fork``); elsewhere everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # inherited by the workers


def can_fork() -> bool:
    """Whether work can go to forked processes (Linux), which inherit the site model."""
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def workers(jobs: int | None) -> int:
    """The number of processes for ``--jobs`` (None: one per core)."""
    return jobs or os.cpu_count() or 1


def fork_map(function: Callable[[Any], Any], items: Sequence[Any], jobs: int,
             ordered: bool = True) -> Iterator[tuple[int, Any]]:
    """``(index, function(item))`` for every item, computed in ``jobs`` forked processes
    (each inherits ``function`` and ``items``, nothing is pickled on the way in), as they
    finish, or in order with ``ordered``. An exception in a worker is raised here."""
    global _WORK
    if jobs <= 1 or len(items) <= 1 or not can_fork():
        for k, item in enumerate(items):
            yield k, function(item)
        return
    _WORK = (function, items)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)),
                                 mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(_run_inherited, k): k for k in range(len(items))}
            if ordered:
                for future, k in futures.items():
                    yield k, future.result()
            else:
                for future in as_completed(futures):
                    yield futures[future], future.result()
    finally:
        _WORK = None


def _run_inherited(index: int) -> Any:
    assert _WORK is not None
    function, items = _WORK
    return function(items[index])


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


class Early:
    """A call started at once in a forked process of its own, while this one goes on (the
    search index takes a core that would otherwise wait for the pages). :meth:`result`
    returns what it returned (it must pickle), or raises what it raised."""

    def __init__(self, function: Callable[[], Any]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_early, args=(function, send, os.getpid()),
                                        daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            message = self._receive.recv()
        except EOFError:
            raise RuntimeError("a worker process died") from None
        finally:
            self._process.join()
        if message[0] == "error":
            raise message[1]
        return message[1]

    def cancel(self) -> None:
        """Stop the process if its result is no longer wanted (a no-op once it is in)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _run_early(function: Callable[[], Any], send, parent: int) -> None:
    die_with_parent(parent)
    try:
        send.send(("ok", function()))
    except BaseException as exc:  # noqa: BLE001 — handed to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:  # noqa: BLE001 — an exception that does not pickle
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
