"""Lines → paragraphs → the text the brief loader reads.

A line continues the paragraph above it when the page says so: no mark of its own, the same
type size and weight, ordinary line spacing, its left edge where the paragraph's wrapped lines
start (under the text after a bullet, or after a label such as "☞ 출처 :"), and the line above
ran to the right edge of its column, so the next word could not fit. A column's right edge is
measured on the lines that share that left edge, which is what makes a boxed "KEY Contents"
list with a narrower measure read right.

Each paragraph's leading mark then gets its role from how the document uses it, whatever
glyph it is: marks whose lines are bold or larger than the body are sub-heads (``● ``), other
marks are bullets, nested by indentation (``- ``, `` - ``), ``☞`` starts sources and ``*``,
``**``, ``※`` notes. Korean wraps lines inside words as well as between them; :class:`Glue`
decides which from the document's own words.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from digestgen.imports.pdf.layout import Line, Table

# A line that starts one of these never continues the paragraph above.
_STARTS_RE = re.compile(
    r"^\s*(?:[<〈《]|☞|\[?☞\]?|출처\s*[:：]|KEY\s*Contents|CONTENTS|\*{1,3}\s|※"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]\s*\.|[①-⑳])",
    re.IGNORECASE,
)
# A citation ends with its date: the next line is another citation.
_ENDS_CITATION_RE = re.compile(r"\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.?)?\s*$")
_NOTE_RE = re.compile(r"^(\*{1,3}|※)\s*")
_OPENERS = set("(<[{〈《「『【“‘\"'")
_SOURCE_MARKS = {"☞"}


@dataclass
class Para:
    """Lines that make one paragraph, and the mark it starts with (if any)."""

    lines: list[Line]
    mark: str | None
    starts: list[float] = field(default_factory=list)  # where a wrapped line may start

    @property
    def first(self) -> Line:
        return self.lines[0]


def mark_of(line: Line) -> str | None:
    """The bullet, sub-head mark or note mark a line starts with, if any."""
    note = _NOTE_RE.match(line.text)
    if note and len(line.text) > len(note[0]):
        return note[1]
    if line.first_private and line.first_apart:
        return "•"
    c = line.first
    if not line.first_apart or c.isalnum() or c in _OPENERS:
        return None
    return c if unicodedata.category(c)[0] in "SP" else None


def paragraphs(items: list[Line | Table]) -> list[Para | Table]:
    """Group the body's lines (in reading order, pages one after another) into paragraphs."""
    lines = [it for it in items if isinstance(it, Line)]
    layout = _Measures(lines)
    out: list[Para | Table] = []
    current: Para | None = None
    prev_page = None
    for k, item in enumerate(items):
        if isinstance(item, Table):
            current = None
            out.append(item)
            continue
        new_page = item.page != prev_page
        prev_page = item.page
        if current is not None and layout.continues(current, item, new_page, items, k):
            current.lines.append(item)
            if len(current.lines) == 2:
                current.starts = [item.x0]
            continue
        mark = mark_of(item)
        start = item.text_x if mark else item.x0
        current = Para([item], mark, [start, *item.word_x[1:4]])
        out.append(current)
    return out


class _Measures:
    """What the document's own layout says: each column's right edge, and line spacing."""

    def __init__(self, lines: list[Line]):
        ends: dict[tuple[int, int], list[float]] = defaultdict(list)
        self.page_right: dict[int, float] = defaultdict(float)
        self.page_left: dict[int, float] = {}
        for ln in lines:
            key = (ln.page, round(ln.text_x if mark_of(ln) else ln.x0))
            ends[key].append(ln.x1)
            self.page_right[ln.page] = max(self.page_right[ln.page], ln.x1)
            self.page_left[ln.page] = min(self.page_left.get(ln.page, ln.x0), ln.x0)
        self.ends = ends
        pitches: dict[int, list[float]] = defaultdict(list)
        for a, b in zip(lines, lines[1:], strict=False):
            if a.page == b.page and abs(a.size - b.size) < 0.5:
                pitch = b.top - a.top
                if 0.8 * a.size <= pitch <= 3 * a.size:
                    pitches[round(a.size)].append(pitch)
        self.pitch = {size: statistics.median(p) for size, p in pitches.items()}

    def right_edge(self, x: float, page: int) -> float:
        """The right edge of the column whose lines start at ``x`` on ``page``: where several
        of them end together (a margin), or the furthest one reaches if that is most of the
        page's width; else the page's text edge."""
        ends = [e for k in range(round(x) - 1, round(x) + 2) for e in self.ends.get((page, k), ())]
        page_right = self.page_right[page]
        if not ends:
            return page_right
        ends.sort(reverse=True)
        for k, edge in enumerate(ends[:-1]):
            if edge - ends[k + 1] <= 4.0:
                return edge  # two lines or more end here: the column's margin
        width = page_right - self.page_left.get(page, 0.0)
        return ends[0] if ends[0] >= x + 0.75 * width else page_right

    def continues(self, para: Para, line: Line, new_page: bool, items, k: int) -> bool:
        """Whether ``line`` wraps on from the last line of ``para``."""
        prev = para.lines[-1]
        if mark_of(line) or _STARTS_RE.match(line.text):
            return False
        if abs(line.size - prev.size) > 0.12 * prev.size or line.bold != prev.bold:
            return False
        if new_page:
            # Only the first line of a page can go on from the last line of the page before.
            if line.page != prev.page + 1 or items[k - 1] is not prev:
                return False
        else:
            pitch = self.pitch.get(round(prev.size), 1.6 * prev.size)
            if line.top - prev.top > 1.3 * pitch:
                return False
        if not self._aligned(para, line):
            return False
        if _ENDS_CITATION_RE.search(prev.text):
            return False
        # The line above stopped short: the next word would have fitted there.
        room = self.right_edge(line.x0, line.page) - prev.x1
        next_word = max(0.5 * line.size, min(line.first_word_width, 6 * line.size))
        return room < next_word + 0.5 * line.size

    @staticmethod
    def _aligned(para: Para, line: Line) -> bool:
        if any(abs(line.x0 - x) <= 2.0 for x in para.starts):
            return True
        first = para.first
        if len(para.lines) > 1:
            return False
        if para.mark:
            # A hanging indent under the text after the mark, or after a label ("☞ 출처 : ").
            return first.text_x - 2 <= line.x0 <= first.x0 + 5 * first.size
        # A first-line indent: the second line starts left of the first.
        return first.x0 - 3 * first.size <= line.x0 < first.x0


# -- roles and text --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Roles:
    subheads: frozenset[str]
    body_size: float


def roles(paras: list[Para | Table]) -> Roles:
    """Which marks head sub-sections: those whose lines are mostly bold or larger than the
    body. Every other mark is a bullet."""
    sizes = [ln.size for p in paras if isinstance(p, Para) for ln in p.lines]
    body = statistics.median(sizes) if sizes else 10.0
    stats: dict[str, list[Line]] = defaultdict(list)
    for p in paras:
        if isinstance(p, Para) and p.mark and p.mark not in _SOURCE_MARKS and not _note(p.mark):
            stats[p.mark].append(p.first)
    subheads = {
        mark for mark, lines in stats.items()
        if sum(ln.bold for ln in lines) * 2 > len(lines)
        or statistics.median(ln.size for ln in lines) >= 1.05 * body
    }
    subheads.discard("-")
    return Roles(frozenset(subheads), body)


def _note(mark: str) -> bool:
    return mark.startswith("*") or mark == "※"


def body_text(paras: list[Para | Table], glue: Glue) -> list[str]:
    """The body in the brief loader's form, one paragraph or table row per line."""
    found = roles(paras)
    out: list[str] = []
    stack: list[float] = []  # left edges of the bullets open above, outermost first
    for p in paras:
        if isinstance(p, Table):
            stack = []
            out.extend("\t".join(glue.join([ln.text for ln in cell],
                                            [ln.ends_space for ln in cell]) for cell in row)
                       for row in p.cells)
            continue
        texts = [ln.text for ln in p.lines]
        if p.mark and texts[0].startswith(p.mark):  # an unknown glyph left no text to strip
            texts[0] = texts[0][len(p.mark):].lstrip()
        text = glue.join(texts, [ln.ends_space for ln in p.lines])
        if not p.mark:
            if p.first.bold or p.first.size > 1.05 * found.body_size or (
                    stack and p.first.x0 <= stack[0] + 1):
                stack = []
            out.append(text)
        elif p.mark in _SOURCE_MARKS or _note(p.mark):
            out.append(f"{p.mark} {text}")
        elif p.mark in found.subheads:
            stack = []
            out.append(f"● {text}")
        else:
            depth = _depth(stack, p.first.x0)
            out.append(f"{' ' * min(depth, 1)}- {text}")
    return out


def _depth(stack: list[float], x: float) -> int:
    """The nesting of a bullet at ``x`` given the bullets open above (``stack`` is updated)."""
    while stack and x < stack[-1] - 1.5:
        stack.pop()
    if stack and abs(x - stack[-1]) <= 1.5:
        return len(stack) - 1
    stack.append(x)
    return len(stack) - 1


# -- joining wrapped lines -------------------------------------------------------------------

_PARTICLES = set("과와의을를은는이가에도로만")
_VERB_SUFFIXES = set("하한할함했되된될됨됐")
_TOKEN_RE = re.compile(r"[\uac00-\ud7a3A-Za-z0-9]+")
_HANGUL_END_RE = re.compile(r"[\uac00-\ud7a3]$")
_HANGUL_START_RE = re.compile(r"^[\uac00-\ud7a3]")
_URL_END_RE = re.compile(r"(?:https?://|www\.)\S*[^\s.,)]$")


class Glue:
    """Decides whether a line wrap fell between two words (join with a space) or inside one.

    Korean typesetters break lines inside words as often as between them, and the PDF keeps
    no trace of which. The document itself tells: if the two halves joined occur elsewhere as
    (the start of) a word, the break was inside it; if both halves occur as words, between; a
    lone syllable that never stands alone elsewhere is half a word. Otherwise the document's
    usual habit decides. A URL broken at the margin is joined without a space.
    """

    def __init__(self, paragraphs: list[list[str]]):
        """``paragraphs``: the wrapped lines of each paragraph."""
        words: set[str] = set()
        for lines in paragraphs:
            for ln in lines:
                tokens = _TOKEN_RE.findall(ln)
                words.update(tokens[1:-1])  # a line's first and last words may be halves
        self.words = words
        self.prefixes = {w[:k] for w in words for k in range(2, len(w) + 1)}
        decided = [self._decide(a, b) for a, b in self._wraps(paragraphs)]
        inside = sum(1 for d in decided if d is False)
        between = sum(1 for d in decided if d is True)
        self.default_space = between >= inside

    @staticmethod
    def _wraps(paragraphs):
        for lines in paragraphs:
            yield from zip(lines, lines[1:], strict=False)

    def _decide(self, prev: str, nxt: str, spaced: bool | None = None) -> bool | None:
        """True: a space goes between; False: no space; None: cannot tell. ``spaced``: whether
        the PDF put a space after ``prev`` (None: not known)."""
        if _URL_END_RE.search(prev) and nxt[:1] not in ("", " ") and " " not in nxt[:12]:
            return False
        if prev.endswith("\u00ad"):
            return False  # a word hyphenated at the margin: the hyphen goes, the word joins
        if re.search(r"[A-Za-z]-$", prev) and nxt[:1].islower():
            return False  # a word broken at its hyphen ("AI-re" / "lated")
        if not (_HANGUL_END_RE.search(prev) and _HANGUL_START_RE.search(nxt)):
            return True  # Latin text, numbers and punctuation wrap at spaces
        if spaced:
            return True  # the PDF kept the space the line was wrapped at (Hancom's do)
        a = _TOKEN_RE.findall(prev)[-1]
        b = _TOKEN_RE.findall(nxt)[0]
        if a + b in self.prefixes:
            return False
        # A word that ends in a particle (금융과, 모델의, 결과를) is complete.
        if len(a) >= 2 and len(b) >= 2 and a[-1] in _PARTICLES:
            return True
        # A noun and the 하다/되다 that makes it a verb are one word (해소하기, 발표된).
        if len(a) >= 2 and b[0] in _VERB_SUFFIXES:
            return False
        if a in self.words and b in self.words:
            return True
        # A lone syllable that never stands alone in this document is half of a word.
        if (len(a) == 1 and a not in self.words) or (len(b) == 1 and b not in self.words):
            return False
        return None

    def join(self, lines: list[str], spaced: list[bool] | None = None) -> str:
        """Join wrapped ``lines``; ``spaced[k]``: the PDF has a space after line ``k``."""
        if not lines:
            return ""
        out = lines[0]
        for k, nxt in enumerate(lines[1:]):
            decision = self._decide(out, nxt, spaced[k] if spaced else None)
            space = self.default_space if decision is None else decision
            out = f"{out} {nxt}" if space else out + nxt
        return out.replace("\u00ad", "")


def make_glue(paras: list[Para | Table]) -> Glue:
    """A :class:`Glue` that knows the words of these paragraphs."""
    return Glue([[ln.text for ln in p.lines] for p in paras if isinstance(p, Para)])
