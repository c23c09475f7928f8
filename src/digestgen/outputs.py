"""One file of the built site, as the render stages hand it to the write stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: bytes, a file to copy, or a page rendered on demand.

    ``render`` produces the bytes when asked (so pages can be rendered by several processes);
    ``reuse`` says the file from the previous build is still right, and ``render`` is only
    the fallback when that file is gone.
    """

    path: str  # relative to the output folder
    data: bytes | None = None
    source: str | None = None
    render: Callable[[], bytes] | None = None
    reuse: bool = False

    def bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.render is not None, self.path
        return self.render()
