"""What a reader sees of a rendered body, for the search index: its prose and its code apart.

Read off the body's HTML rather than the Markdown, so that what the page shows is what search
finds: text inside raw HTML blocks (``<p class="message">…</p>``, ``<details>``), tables, alt
text, and code blocks (``<pre>``), which the index weighs below prose. The HTML is the renderer's
own (sanitised, or an author's trusted raw HTML), so a small scanner will do; it runs once per
changed document, and is several times faster than a full parse.
"""

from __future__ import annotations

import html
import re
import zlib
from functools import lru_cache

# Where nothing a reader reads lives (a button, such as a theme's "copy" on code blocks, is
# not the document's text).
_UNSEEN_RE = re.compile(r"<(script|style|template|noscript|button)\b.*?</\1\s*>|<!--.*?-->",
                        re.S | re.I)
_PRE_RE = re.compile(r"<pre\b[^>]*>(.*?)</pre\s*>", re.S | re.I)
# A tag's attributes, quoted values allowed to hold ">".
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_IMG_RE = re.compile(f"<img\\b({_ATTRS})>")
_ALT_RE = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# Tags that end a line of text; any other tag (em, a, span, code…) joins what is either side,
# so "세이프<em>텐서</em>를" stays one word.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|figcaption|figure|footer"
    "|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
    "|math|mtr|mtd"
)
# Case-sensitive: several times faster than re.I. The renderer and the sanitiser write tag
# names in lower case; an author's raw HTML (unsafe_html) may not, and is lowered first.
_BLOCK_RE = re.compile(f"</?(?:{_BLOCK_TAGS})\\b{_ATTRS}>")
_UPPER_NAME_RE = re.compile("(</?)([A-Z][a-zA-Z0-9:-]*)")
_TAG_RE = re.compile(f"</?[a-zA-Z][a-zA-Z0-9:-]*{_ATTRS}>")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def _alt(match: re.Match) -> str:
    alt = _ALT_RE.search(match.group(1))
    return f" {alt.group(1) or alt.group(2) or alt.group(3) or ''} " if alt else " "


def _plain(fragment: str) -> str:
    if _UPPER_NAME_RE.search(fragment):
        fragment = _UPPER_NAME_RE.sub(lambda m: m.group(1) + m.group(2).lower(), fragment)
    if "<img" in fragment:
        fragment = _IMG_RE.sub(_alt, fragment)
    text = html.unescape(_TAG_RE.sub("", _BLOCK_RE.sub("\n", fragment)))
    return _BLANK_LINES_RE.sub("\n", text).strip()


@lru_cache(maxsize=512)
def body_text(body_html: str) -> tuple[str, str]:
    """``(prose, code)``: the text of ``body_html`` outside and inside its ``<pre>`` blocks."""
    visible = _UNSEEN_RE.sub("", body_html)
    code: list[str] = []

    def take(match: re.Match) -> str:
        code.append(_plain(match.group(1)))
        return "\n"

    prose = _plain(_PRE_RE.sub(take, visible))
    return prose, "\n".join(c for c in code if c)


# -- chunks ------------------------------------------------------------------------------------
#
# A result's snippet is cut from one chunk of its text, the chunk where the query's terms first
# occur (the index notes it with each posting), so a query fetches about a thousand characters
# of each result instead of all of it. Chunks end at line ends chosen by the lines' own content
# (and a length), not by position: an edit moves the boundaries near it only, and so changes
# only its own chunk's postings.

CHUNK_MIN = 1500
CHUNK_MAX = 4000
MAX_CHUNKS = 16  # kept for snippets (about 35,000 characters); the index reads all the text


def _pieces(line: str) -> list[str]:
    """A line cut at spaces into pieces of at most CHUNK_MAX characters (at any character when
    there is no space: a token is then split, and counted as its pieces, consistently)."""
    out = []
    while len(line) > CHUNK_MAX:
        cut = line.rfind(" ", CHUNK_MIN, CHUNK_MAX)
        if cut < 0:
            cut = CHUNK_MAX
        out.append(line[:cut])
        line = line[cut:]
    out.append(line)
    return out


def chunks(prose: str, code: str) -> list[tuple[str, str]]:
    """The chunks of an entry's text, each as (its prose, its code): the prose, then the code
    (a small code block shares the last chunk of prose). A chunk ends after a line whose
    checksum says so once it holds CHUNK_MIN characters, or before a line that would take it
    past CHUNK_MAX."""
    out: list[tuple[str, str]] = []
    current: tuple[list[str], list[str]] = ([], [])
    size = 0
    for field, part in enumerate((prose, code)):
        for line in part.split("\n") if part else ():
            for piece in _pieces(line) if len(line) > CHUNK_MAX else (line,):
                if size and size + len(piece) > CHUNK_MAX:
                    out.append(("\n".join(current[0]), "\n".join(current[1])))
                    current, size = ([], []), 0
                current[field].append(piece)
                size += len(piece) + 1
                if size >= CHUNK_MIN and zlib.crc32(piece.encode()) % 3 == 0:
                    out.append(("\n".join(current[0]), "\n".join(current[1])))
                    current, size = ([], []), 0
    if size:
        out.append(("\n".join(current[0]), "\n".join(current[1])))
    return out
