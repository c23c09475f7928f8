"""Images in pages: the file behind an ``<img src>``, its size (so the page does not shift as
it loads) and whether it is see-through (a diagram drawn on nothing, which dark mode puts on a
light card).

Sizes are read each build from the files' headers (the ``imagesize`` library), and go into the
pages' views: a page is rendered again when an image it shows changes size.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from digestgen.config import SiteConfig
from digestgen.model import Site


class Files:
    """The file published at a site href: a content file copied beside its page, or a
    static file (the site's, then the theme's, as discovery found them: a link leading out
    of the site is not among them). Nothing else."""

    def __init__(self, site: Site, config: SiteConfig, statics: Mapping[str, Path]):
        self.base = config.base_path
        self.assets = {a.output: a.source_abs for a in site.assets}
        self.statics = statics

    def path(self, href: str) -> str | None:
        """The file behind ``href`` (as written in a page: escaped, base path first)."""
        parts = urlsplit(html.unescape(href))
        if parts.scheme or parts.netloc or not parts.path.startswith(self.base):
            return None
        rel = unquote(parts.path[len(self.base):])
        found = self.assets.get(rel)
        if found is not None:
            return found
        static = self.statics.get(rel)
        return str(static) if static is not None else None


# (path, size, mtime) -> ((width, height) or None, see-through)
_SIZES: dict[tuple[str, int, int], tuple[tuple[int, int] | None, bool]] = {}


def measure(path: str) -> tuple[tuple[int, int] | None, bool]:
    """The pixel size of an image file (None when unknown) and whether it can be see-through
    (SVG, PNG with alpha, WebP with alpha)."""
    try:
        st = os.stat(path)
    except OSError:
        return None, False
    key = (path, st.st_size, st.st_mtime_ns)
    hit = _SIZES.get(key)
    if hit is None:
        hit = _SIZES[key] = (_size(path), _see_through(path))
    return hit


def _size(path: str) -> tuple[int, int] | None:
    import imagesize

    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        width = height = -1
    if (width <= 0 or height <= 0) and path.lower().endswith(".svg"):
        return _svg_viewbox(path)
    return (int(width), int(height)) if width > 0 and height > 0 else None


_VIEWBOX_RE = re.compile(rb'viewBox\s*=\s*["\']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)')


def _svg_viewbox(path: str) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    m = _VIEWBOX_RE.search(head)
    if not m:
        return None
    width, height = round(float(m[1])), round(float(m[2]))
    return (width, height) if width > 0 and height > 0 else None


def _see_through(path: str) -> bool:
    lower = path.lower()
    if lower.endswith(".svg"):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if head.startswith(b"\x89PNG\r\n\x1a\n"):
                # Colour type 4 and 6 carry alpha; others may have a tRNS chunk.
                if head[25] in (4, 6):
                    return True
                f.seek(8)
                return b"tRNS" in f.read(65536).split(b"IDAT", 1)[0]
            if head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X":
                return bool(head[20] & 0x10)
    except (OSError, IndexError):
        return False
    return False


_IMG_RE = re.compile(r"<img\b[^>]*>")
_SRC_RE = re.compile(r'\ssrc="([^"]*)"')


def sized(body: str, files: Files) -> tuple[str, tuple]:
    """``body`` with ``width``/``height`` on each ``<img>`` whose file is known and which has
    neither, and ``class="see-through"`` on the images that can be; and what was found
    (which goes into the page's key)."""
    if "<img" not in body:
        return body, ()
    found: list = []

    def fix(m: re.Match) -> str:
        tag = m[0]
        src = _SRC_RE.search(tag)
        if src is None:
            return tag
        path = files.path(src[1])
        if path is None:
            return tag
        size, clear = measure(path)
        found.append((src[1], size, clear))
        extra = ""
        if size and " width=" not in tag and " height=" not in tag:
            extra += f' width="{size[0]}" height="{size[1]}"'
        if clear:
            if ' class="' in tag:
                tag = tag.replace(' class="', ' class="see-through ', 1)
            else:
                extra += ' class="see-through"'
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + extra + tag[end:]

    return _IMG_RE.sub(fix, body), tuple(found)


_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")


def first_picture(body: str) -> tuple[str, str] | None:
    """The ``src`` and alt text of the first raster image of a body (link previews do not
    show SVG)."""
    for m in _IMG_RE.finditer(body):
        src = _SRC_RE.search(m[0])
        if src is None:
            continue
        path = urlsplit(html.unescape(src[1])).path.lower()
        if path.endswith(_RASTER):
            alt = re.search(r'\salt="([^"]*)"', m[0])
            return src[1], html.unescape(alt[1]) if alt else ""
    return None
