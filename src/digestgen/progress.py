"""Build progress: on a terminal a live bar (rich); elsewhere (CI logs) a few plain lines.

The build reports ``(stage, done, total)`` through a :data:`Progress` callback; it knows
nothing of how, or whether, that is shown.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

Progress = Callable[[str, int, int], None]

LABELS = {"load": "loading documents", "render": "rendering pages"}
# Below this many items a stage is over before a bar could help; logs stay as they were.
LONG = 500


@contextlib.contextmanager
def reporter(stream: TextIO | None = None, *, enabled: bool = True) -> Iterator[Progress | None]:
    """A progress callback for the build, suited to ``stream`` (default: stderr).

    On a terminal: a transient rich bar per stage. Not a terminal (CI, pipes): one line per
    long stage when it ends, so logs stay line-oriented and short. ``enabled=False``: None.
    """
    stream = stream if stream is not None else sys.stderr
    if not enabled:
        yield None
        return
    if _is_tty(stream):
        with _rich_bar(stream) as callback:
            yield callback
    else:
        yield _LineReporter(stream)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _LineReporter:
    """Prints "loading documents: 5000 in 3.1 s" once a long stage is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        start = self.started.setdefault(stage, time.perf_counter())
        if done >= total and total >= LONG:
            seconds = time.perf_counter() - start
            print(f"{LABELS.get(stage, stage)}: {total} in {seconds:.1f} s", file=self.stream,
                  flush=True)


@contextlib.contextmanager
def _rich_bar(stream: TextIO) -> Iterator[Progress]:
    # rich is imported only here: a build in CI does not pay for it.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
              TimeElapsedColumn(), console=Console(file=stream), transient=True)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(LABELS.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update
