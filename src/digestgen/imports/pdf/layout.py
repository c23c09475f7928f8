"""A page's characters → its lines and ruled tables, by position.

Lines are characters sharing a baseline, read left to right; a raised run of smaller
characters on a line is its superscript (``10²⁶``). A gap wider than a word space is a space,
and one several ems wide (a CONTENTS page number set against the margin, a table without
rules) is a TAB. Ruled tables are found from the page's strokes with pdfplumber's table
finder (its edges → intersections → cells steps, fed with PDFium's strokes): their
characters leave the text flow and come back as rows of cells where the table stood.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from digestgen.imports.pdf.extract import Char, PageContent, Rule

_WORD_GAP = 0.1  # ems: a gap between letters is ~0, a word space 0.2–0.5
_TAB_GAP = 2.5  # ems: wider than any justified word space
_SUPERSCRIPTS = str.maketrans("0123456789+-−()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁽⁾ⁿ")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text and its geometry (points, y growing downwards)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the line's body size (superscripts left out)
    bold: bool
    # Where the text after a leading mark (bullet, glyph) and its space starts; x0 if none.
    text_x: float
    # The first character, and whether a space follows it: a bullet is a mark set apart.
    first: str
    first_apart: bool
    first_private: bool = False  # the first character is an unknown private-use glyph
    # Where the first few words start (x), for hanging indents after a label ("☞ 출처 : …").
    word_x: tuple[float, ...] = ()
    first_word_width: float = 0.0
    # The PDF has a space after the last word: the line was wrapped between words.
    ends_space: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table: rows of cell texts (merged cells hold their text in their first cell)."""

    page: int
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]
    # Each cell's lines, for the reflow to join: rows × columns of line tuples.
    cells: tuple[tuple[tuple[Line, ...], ...], ...] = ()


def page_items(page: PageContent) -> list[Line | Table]:
    """The lines and tables of ``page`` in reading order."""
    chars = list(page.chars)
    tables: list[Table] = []
    for cells in _table_cells(page.rules):
        table, chars = _fill_table(page.number, cells, chars)
        if table is not None:
            tables.append(table)
    items: list[Line | Table] = list(lines_of(page.number, chars, columns=True))
    for table in sorted(tables, key=lambda t: t.top):
        at = next((k for k, it in enumerate(items) if it.top > table.top), len(items))
        items.insert(at, table)
    return items


def lines_of(page: int, chars: list[Char], *, columns: bool = False) -> list[Line]:
    """Group ``chars`` into lines, in reading order: top to bottom, and with ``columns``, a
    two-column stretch of the page left column first."""
    rows = _baseline_rows(chars)
    rows = _attach_superscripts(rows)
    gutter = _gutter(rows) if columns else None
    if gutter is None:
        return [line for row in rows if (line := _line(page, row)) is not None]
    return _two_columns(page, rows, gutter)


def _segments(row: list[Char]) -> list[list[Char]]:
    """A row cut where the gap is wider than any word space."""
    ordered = sorted((c for c in row if not c.text.isspace()), key=lambda c: c.x0)
    out: list[list[Char]] = []
    for c in ordered:
        if out and c.x0 - out[-1][-1].x1 < _TAB_GAP * min(c.size, out[-1][-1].size):
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _gutter(rows: list[list[Char]]) -> float | None:
    """The x of the gap between two columns of text, if the page is set in two: many rows
    split in two at one place, with a real line of text on both sides (a contents page's
    page numbers or a two-cell table row do not make a column)."""
    gaps = []
    for row in rows:
        parts = _segments(row)
        if len(parts) == 2 and min(len(parts[0]), len(parts[1])) >= 12:
            gaps.append((parts[0][-1].x1, parts[1][0].x0))
    if len(gaps) < 5 or len(gaps) < 0.3 * len(rows):
        return None
    x = statistics.median((a + b) / 2 for a, b in gaps)
    inside = sum(1 for a, b in gaps if a <= x <= b)
    return x if inside >= 0.8 * len(gaps) else None


def _two_columns(page: int, rows: list[list[Char]], gutter: float) -> list[Line]:
    """Lines of a two-column page: between rows that cross the gutter (a title over both
    columns), the left column's lines, then the right's."""
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for row in rows:
        glyphs = [c for c in row if not c.text.isspace()]
        if not glyphs:
            continue
        if any(c.x0 < gutter < c.x1 for c in glyphs) or (
                min(c.x0 for c in glyphs) < gutter < max(c.x1 for c in glyphs)
                and len(_segments(row)) == 1):
            flush()
            if (line := _line(page, row)) is not None:
                out.append(line)
            continue
        for side, target in ((lambda c: c.x1 <= gutter, left), (lambda c: c.x0 >= gutter, right)):
            part = [c for c in row if side(c)]
            if part and (line := _line(page, part)) is not None:
                target.append(line)
    flush()
    return out


def _baseline_rows(chars: list[Char]) -> list[list[Char]]:
    ordered = sorted(chars, key=lambda c: c.baseline)
    rows: list[list[Char]] = []
    for c in ordered:
        if rows:
            row = rows[-1]
            ref = row[-1]
            if abs(c.baseline - ref.baseline) <= 0.25 * min(c.size, ref.size):
                row.append(c)
                continue
        rows.append([c])
    return rows


def _attach_superscripts(rows: list[list[Char]]) -> list[list[Char]]:
    """Merge a row of small characters into the line it is raised on."""
    sizes = [statistics.median(c.size for c in row) for row in rows]
    out: list[list[Char]] = []
    merged: set[int] = set()
    for k, row in enumerate(rows):
        host = _host_of(k, rows, sizes)
        if host is None:
            continue
        for c in row:
            text = c.text.translate(_SUPERSCRIPTS) if c.text.isdigit() or c.text in "+-" else c.text
            rows[host].append(Char(text, c.x0, c.x1, rows[host][0].top, rows[host][0].bottom,
                                   rows[host][0].baseline, rows[host][0].size, c.font, c.bold))
        merged.add(k)
    for k, row in enumerate(rows):
        if k not in merged:
            out.append(row)
    return out


def _host_of(k: int, rows: list[list[Char]], sizes: list[float]) -> int | None:
    """The line that row ``k`` is a superscript of: the next row down, larger, with row
    ``k``'s characters raised above its baseline, beside its characters."""
    if k + 1 >= len(rows) or len(rows[k]) > 4:
        return None
    row, nxt = rows[k], rows[k + 1]
    if sizes[k] > 0.85 * sizes[k + 1]:
        return None
    base = nxt[0].baseline
    if not (0 < base - row[0].baseline < 0.8 * sizes[k + 1]):
        return None
    x0, x1 = min(c.x0 for c in row), max(c.x1 for c in row)
    near = any(abs(c.x1 - x0) < 2 or abs(x1 - c.x0) < 2 for c in nxt)
    return k + 1 if near else None


def _line(page: int, row: list[Char]) -> Line | None:
    row = sorted(row, key=lambda c: c.x0)
    glyphs = [c for c in row if not c.text.isspace()]
    ends_space = bool(glyphs) and row[-1].text.isspace() and row[-1].x0 >= glyphs[-1].x1 - 0.5
    row = _without_doubles(glyphs)
    if not row:
        return None
    size = statistics.median(c.size for c in row)
    parts: list[str] = []
    word_x: list[float] = [row[0].x0]
    first_word_end = row[0].x1
    prev: Char | None = None
    for c in row:
        if prev is not None:
            gap = c.x0 - prev.x1
            em = min(c.size, prev.size)
            if gap >= _WORD_GAP * em:
                parts.append("\t" if gap >= _TAB_GAP * em else " ")
                if len(word_x) < 5:
                    word_x.append(c.x0)
            elif len(word_x) == 1:
                first_word_end = c.x1
        parts.append(c.text if not c.private else "\ufffc")
        prev = c
    text = "".join(parts)
    first = row[0]
    apart = len(row) > 1 and row[1].x0 - first.x1 >= _WORD_GAP * first.size
    text_x = row[1].x0 if apart else first.x0
    visible = [c for c in row if not c.private]
    bold = sum(c.bold for c in visible) * 2 > len(visible)
    if first.private and not apart:
        text = text[1:]  # a private-use glyph inside a word means nothing we can read
    text = text.replace("\ufffc", "")
    if not text.strip():
        return None
    return Line(page, text.strip(), first.x0, row[-1].x1, min(c.top for c in row),
                max(c.bottom for c in row), size, bold, text_x, first.text, apart,
                first.private and apart, tuple(word_x), first_word_end - first.x0, ends_space)


def _without_doubles(row: list[Char]) -> list[Char]:
    """Drop a character drawn twice over itself (a fake bold, a shadow)."""
    out: list[Char] = []
    for c in row:
        if out and c.text == out[-1].text and abs(c.x0 - out[-1].x0) < 0.25 * (c.x1 - c.x0):
            continue
        out.append(c)
    return out


# -- tables ----------------------------------------------------------------------------------


def _table_cells(rules: tuple[Rule, ...]) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes (x0, top, x1, bottom) of each ruled table the strokes draw."""
    horizontal = sum(1 for r in rules if r.orientation == "h")
    vertical = len(rules) - horizontal
    if horizontal < 3 or vertical < 2:
        return []  # a grid of two rows needs three horizontal rules
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    edges = [
        {"x0": r.x0, "x1": r.x1, "top": r.top, "bottom": r.bottom, "width": r.x1 - r.x0,
         "height": r.bottom - r.top, "orientation": r.orientation, "object_type": "line"}
        for r in rules
    ]
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [list(t) for t in cells_to_tables(cells)]


def _fill_table(page: int, cells, chars: list[Char]) -> tuple[Table | None, list[Char]]:
    """The table these cells make, with the characters inside them; and the other chars."""
    inside: dict[int, list[Char]] = {k: [] for k in range(len(cells))}
    rest: list[Char] = []
    x_min = min(c[0] for c in cells)
    x_max = max(c[2] for c in cells)
    y_min = min(c[1] for c in cells)
    y_max = max(c[3] for c in cells)
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (x_min <= cx <= x_max and y_min <= cy <= y_max):
            rest.append(ch)
            continue
        for k, (x0, top, x1, bottom) in enumerate(cells):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[k].append(ch)
                break
        else:
            rest.append(ch)
    tops = sorted({round(c[1], 1) for c in cells})
    lefts = sorted({round(c[0], 1) for c in cells})
    grid: list[list[tuple[Line, ...]]] = [[() for _ in lefts] for _ in tops]
    for k, (x0, top, _x1, _bottom) in enumerate(cells):
        grid[tops.index(round(top, 1))][lefts.index(round(x0, 1))] = tuple(
            lines_of(page, inside[k])
        )
    filled_rows = [row for row in grid if any(row)]
    filled_cols = [j for j in range(len(lefts)) if any(row[j] for row in grid)]
    if len(filled_rows) < 2 or len(filled_cols) < 2:
        return None, chars  # a box around a title, a tab bar: text, not a table
    kept = tuple(tuple(row[j] for j in filled_cols) for row in filled_rows)
    rows = tuple(tuple(" ".join(ln.text for ln in cell) for cell in row) for row in kept)
    return Table(page, y_min, y_max, rows, kept), rest
