"""Body lines → a flat list of blocks, by rules tried in order (like markdown-it's block
rules): each rule looks at the line under the cursor and either takes it (and the lines that
belong with it) or passes. Whatever no rule takes is a paragraph."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from digestgen.load.brief.lines import (
    BOX_ITEM_RE,
    BULLET_RE,
    CAPTION_RE,
    CITATION_RE,
    NOTE_RE,
    PAGE_NUMBER_RE,
    PART_RE,
    RIGHTS_RE,
    RULE_RE,
    SOURCE_RE,
    SUBHEAD_RE,
    before_tab,
    is_conclusion,
    is_debris,
    is_headline,
    is_key_contents,
    is_tab_line,
    is_title_line,
)
from digestgen.model import Block

_PART_LEVEL = 2
_PART_MAX = 80  # characters: a longer "Ⅰ. …" line is text run together, not a part title


@dataclass
class State:
    """The lines being classified, the cursor, and what has been found so far."""

    lines: list[str]
    stripped: list[str]
    i: int
    first_line: int
    structured: bool
    blocks: list[Block] = field(default_factory=list)
    rights: str = ""
    notes: list[tuple[int, str]] = field(default_factory=list)  # warnings: (line, message)
    # A plain digest's first section title followed by a subtopic title has been seen.
    seen_pair: bool = False

    def __post_init__(self) -> None:
        self.n = len(self.lines)
        self.last = max((k for k in range(self.n) if self.stripped[k]), default=-1)

    @property
    def raw(self) -> str:
        return self.lines[self.i]

    @property
    def s(self) -> str:
        return self.stripped[self.i]

    @property
    def line(self) -> int:
        return self.first_line + self.i

    def next_nonblank(self, k: int) -> int:
        while k < self.n and not self.stripped[k]:
            k += 1
        return k

    def add(self, kind: str, text: str = "", **fields) -> None:
        self.blocks.append(Block(kind, self.line, text, **fields))


def classify(
    lines: list[str], stripped: list[str], start: int, first_line: int, structured: bool
) -> tuple[list[Block], str, list[tuple[int, str]]]:
    """Turn body lines from ``start`` on into a flat list of blocks; and the rights note, and
    warnings about lines whose reading is a guess."""
    state = State(lines, stripped, start, first_line, structured)
    while state.i < state.n:
        for rule in RULES:
            if rule(state):
                break
    return state.blocks, state.rights, state.notes


# -- the rules, in the order they are tried --------------------------------------------------


def _furniture(st: State) -> bool:
    """Blank lines, section tab lines, rules, page numbers, debris: dropped."""
    raw = st.raw
    if (
        not st.s
        or is_tab_line(raw)
        or RULE_RE.match(raw)
        or PAGE_NUMBER_RE.match(raw)
        or is_debris(raw)
    ):
        st.i += 1
        return True
    return False


def _rights(st: State) -> bool:
    """A copyright note on the last line."""
    if st.i == st.last and RIGHTS_RE.search(st.s) and len(st.s) < 120:
        st.rights = st.s.strip("[]")
        st.i += 1
        return True
    return False


def _part(st: State) -> bool:
    """``Ⅰ. 인공지능 산업 동향 브리프``: a part of a report."""
    if st.structured and PART_RE.match(st.raw) and len(before_tab(st.s)) <= _PART_MAX:
        st.add("part", before_tab(st.s).strip(), level=_PART_LEVEL)
        st.i += 1
        return True
    return False


def _table_title(st: State) -> bool:
    """A short title over a table ("주요 행사 일정") starts a part of its own; a caption
    (``<표 제목>``) over a table stays the table's caption."""
    if not st.structured or "\t" in st.raw or len(st.s) > 30 or CAPTION_RE.match(st.raw):
        return False
    nxt = st.next_nonblank(st.i + 1)
    if (
        nxt < st.n
        and "\t" in st.lines[nxt]
        and not is_tab_line(st.lines[nxt])
        and is_title_line(st.s, st.stripped, st.i, st.n)
    ):
        st.add("part", st.s, level=_PART_LEVEL)
        st.i += 1
        return True
    return False


def _key_points(st: State) -> bool:
    """"KEY Contents" and the bullets under it."""
    if not is_key_contents(st.s):
        return False
    line = st.line
    items, st.i = collect_bullets(st.lines, st.stripped, st.i + 1, st.n)
    st.blocks.append(Block("keypoints", line, items=tuple(items)))
    return True


def _article_title(st: State) -> bool:
    """The line over "KEY Contents" is an article's title."""
    if not st.structured or BULLET_RE.match(st.raw):
        return False
    nxt = st.next_nonblank(st.i + 1)
    if nxt < st.n and is_key_contents(st.stripped[nxt]):
        st.add("article", st.s)
        st.i += 1
        return True
    return False


def _subhead(st: State) -> bool:
    """``● 주요 내용``."""
    m = SUBHEAD_RE.match(st.raw)
    if m:
        st.add("subhead", m[1].strip())
        st.i += 1
    return bool(m)


def _sources(st: State) -> bool:
    """``☞ 출처: …`` and the citations that continue it."""
    m = SOURCE_RE.match(st.raw)
    if not m:
        return False
    line = st.line
    items = [(0, m[1].strip())]
    st.i += 1
    while True:  # more citations follow, indented or after a blank line
        j = st.next_nonblank(st.i)
        if j < st.n and _continues_sources(st.lines[j], st.stripped[j]):
            items.append((0, re.sub(r"^-\s*", "", st.stripped[j])))
            st.i = j + 1
        else:
            break
    st.blocks.append(Block("sources", line, items=tuple(items)))
    return True


def _continues_sources(raw: str, s: str) -> bool:
    return bool(
        CITATION_RE.match(s)
        and not SOURCE_RE.match(raw)
        and not SUBHEAD_RE.match(raw)
        and not is_tab_line(raw)
        and (raw[:1].isspace() or not BULLET_RE.match(raw))
    )


def _note(st: State) -> bool:
    """A note under the text (``* …``, ``** …``, ``※ …``), kept with its mark."""
    if not NOTE_RE.match(st.raw):
        return False
    st.add("note", st.s)
    st.i += 1
    return True


def _caption(st: State) -> bool:
    """``<표 제목>``, alone or over a boxed note."""
    m = CAPTION_RE.match(st.raw)
    if not m or len(st.s) >= 120:
        return False
    line = st.line
    items, st.i = collect_box(st.lines, st.stripped, st.i + 1, st.n)
    st.blocks.append(Block("box" if items else "caption", line, m[1], items=tuple(items)))
    return True


def _box(st: State) -> bool:
    """``□``/``①`` lines of a boxed note without a caption."""
    if not BOX_ITEM_RE.match(st.raw):
        return False
    line = st.line
    items, st.i = collect_box(st.lines, st.stripped, st.i, st.n)
    st.blocks.append(Block("box", line, "", items=tuple(items)))
    return True


def _bullets(st: State) -> bool:
    """``-`` bullets, nested by indentation."""
    if not BULLET_RE.match(st.raw):
        return False
    line = st.line
    items, st.i = collect_bullets(st.lines, st.stripped, st.i, st.n)
    st.blocks.append(Block("list", line, items=tuple(items)))
    return True


def _table(st: State) -> bool:
    """TAB-separated rows."""
    raw = st.raw
    if "\t" not in raw.strip("\t") or len([c for c in raw.split("\t") if c.strip()]) < 2:
        return False
    line = st.line
    rows = []
    while st.i < st.n and "\t" in st.lines[st.i] and not is_debris(st.lines[st.i]):
        rows.append(tuple(c.strip() for c in st.lines[st.i].rstrip("\t").split("\t")))
        st.i += 1
    st.blocks.append(Block("table", line, rows=tuple(rows)))
    return True


def _plain_heading(st: State) -> bool:
    """A plain digest's title lines: section titles (h2) and news headlines (h3).

    A title directly over another title (or over a headline that ends like a sentence) is a
    section and its first headline. A title alone is a headline once the digest has shown that
    shape, except a closing section ("시사점", "정리하며"); a short one there could be either,
    and gets a warning.
    """
    if st.structured or not is_title_line(st.s, st.stripped, st.i, st.n):
        return False
    nxt = st.next_nonblank(st.i + 1)
    nxt_is_title = (
        nxt < st.n
        and nxt != st.last
        and (is_title_line(st.stripped[nxt], st.stripped, nxt, st.n)
             or is_headline(st.stripped[nxt], st.stripped, nxt, st.n))
    )
    if nxt_is_title or is_conclusion(st.s) or not st.seen_pair:
        st.add("heading", st.s, level=2)
        st.seen_pair = st.seen_pair or nxt_is_title
    else:
        st.add("heading", st.s, level=3)
        if len(st.s) <= 8:
            st.notes.append((st.line, (
                f"brief: {st.s!r} could be a section title or a headline; read as a headline "
                "(h3). Put the section's first headline on the line after a section title "
                "so that each gets its level")))
    if nxt_is_title:
        st.blocks.append(Block("heading", st.first_line + nxt, st.stripped[nxt], level=3))
        st.i = nxt + 1
    else:
        st.i += 1
    return True


def _paragraph(st: State) -> bool:
    st.add("paragraph", st.s)
    st.i += 1
    return True


RULES: tuple[Callable[[State], bool], ...] = (
    _furniture,
    _rights,
    _part,
    _table_title,
    _key_points,
    _article_title,
    _subhead,
    _sources,
    _caption,
    _note,
    _box,
    _bullets,
    _table,
    _plain_heading,
    _paragraph,
)


# -- runs of lines ---------------------------------------------------------------------------


def collect_bullets(
    lines: list[str], stripped: list[str], i: int, n: int
) -> tuple[list[tuple[int, str]], int]:
    """``-`` bullets from line ``i`` (blank lines between them allowed): (depth, text) items and
    the index after them."""
    items: list[tuple[int, str]] = []
    while i < n:
        if not stripped[i]:
            j = i
            while j < n and not stripped[j]:
                j += 1
            if j < n and BULLET_RE.match(lines[j]) and not SOURCE_RE.match(lines[j]):
                i = j
                continue
            break
        m = BULLET_RE.match(lines[i])
        if not m or SOURCE_RE.match(lines[i]):
            break
        depth = 1 if m[1] else 0
        items.append((depth, m[2].strip()))
        i += 1
    return items, i


def collect_box(
    lines: list[str], stripped: list[str], i: int, n: int
) -> tuple[list[tuple[int, str]], int]:
    """Lines of a boxed note (□ items, ①② sub-items) after a caption."""
    items: list[tuple[int, str]] = []
    while i < n and stripped[i]:
        if is_debris(lines[i]):
            i += 1
            continue
        m = BOX_ITEM_RE.match(lines[i])
        if not m:
            break
        marker = stripped[i][0]
        depth = 1 if "①" <= marker <= "⑳" and items else 0
        items.append((depth, stripped[i] if depth else m[1].strip() or stripped[i]))
        i += 1
    return items, i
