"""Where the default theme (templates and static files) is installed."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=1)
def theme_dir() -> Path:
    """The default theme: inside the installed package, or the checkout's top level."""
    packaged = Path(__file__).resolve().parent / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    # An editable install runs from the checkout, where the theme is the top-level folders.
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "templates" / "base.html").is_file():
        return checkout
    raise RuntimeError("digestgen's default theme is missing from this installation")
