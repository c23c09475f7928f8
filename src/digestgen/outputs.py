"""What the render stages hand to the write stage: files of the built site."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rendered:
    """A page's bytes, with what its rendering read (template names, looked up or missed):
    the render cache keys the page by exactly those next time."""

    data: bytes
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: bytes, a file to copy, or a page rendered on demand.

    ``render`` produces the bytes (or a :class:`Rendered`) when asked, so pages can be
    rendered by several processes; ``reuse`` says the file from the previous build is still
    right, and ``render`` is only the fallback when that file is gone.
    """

    path: str  # relative to the output folder
    data: bytes | None = None
    source: str | None = None
    render: Callable[[], bytes | Rendered] | None = None
    reuse: bool = False

    def produce(self) -> Rendered:
        """The file's bytes and what making them read."""
        if self.data is not None:
            return Rendered(self.data)
        assert self.render is not None, self.path
        made = self.render()
        return made if isinstance(made, Rendered) else Rendered(made)

    def bytes(self) -> bytes:
        return self.produce().data


@dataclass(frozen=True, slots=True)
class Bundle:
    """A task that produces many files at once (the search index): rendered like a page, by
    one worker, while other workers render pages. ``produce`` returns the files, or the files
    and a payload (picklable) that reaches the caller in the write stage's statistics."""

    prefix: str
    produce: Callable[[], list[Output] | tuple[list[Output], object]]

    def run(self) -> tuple[list[Output], object]:
        produced = self.produce()
        if isinstance(produced, tuple):
            return produced
        return produced, None


Item = Output | Bundle
