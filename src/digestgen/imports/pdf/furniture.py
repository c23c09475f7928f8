"""Page furniture: running heads, footers, section tab bars and page numbers.

Furniture is found by what it is, not by what it says: a line in a page's top or bottom band
that recurs on other pages, once digits are set aside ("SPRi AI Brief | 2023-12월호", a tab
bar of the report's sections, "| 2025년 11월호 | 정책･법제"), or a bare page number there. A
head that names the current section changes with the section; it still stands where the other
heads stand and shares their beginning, and is furniture too.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from digestgen.imports.pdf.layout import Line, Table

_HEAD_BAND = 0.11  # of the page height
_FOOT_BAND = 0.92
# Labels of the report's own structure recur on every article's page, sometimes high on it:
# they are content, never furniture.
_STRUCTURE_RE = re.compile(r"^\s*(?:KEY\s*Contents|CONTENTS|목차|차례)\s*$", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Furniture:
    lines: frozenset[int]  # id() of each Line that is furniture
    # The furniture's texts (page numbers left out) with the number of pages each is on.
    heads: tuple[tuple[str, int], ...]


def skeleton(text: str) -> str:
    """A line's text without digits and spaces: what a running head keeps from page to page."""
    return re.sub(r"[\d\s]+", "", unicodedata.normalize("NFKC", text))


def find_furniture(pages: list[list[Line | Table]], heights: list[float]) -> Furniture:
    """The furniture lines of ``pages`` (items per page, with each page's height)."""
    bands: list[list[Line]] = []
    for items, height in zip(pages, heights, strict=True):
        lines = [it for it in items if isinstance(it, Line)]
        bands.append([ln for ln in lines
                      if (ln.bottom <= _HEAD_BAND * height or ln.top >= _FOOT_BAND * height)
                      and not _STRUCTURE_RE.match(ln.text)])
    counts = Counter(key for band in bands for key in {skeleton(ln.text) for ln in band})
    need = max(2, round(0.2 * len(pages)))
    repeated = {key for key, n in counts.items() if n >= need and key}
    found: set[int] = set()
    positions: dict[int, list[str]] = defaultdict(list)  # rounded top → furniture keys there
    texts: Counter[str] = Counter()
    for band in bands:
        for ln in band:
            key = skeleton(ln.text)
            if _PAGE_NUMBER_RE.match(ln.text):
                found.add(id(ln))
            elif key in repeated:
                found.add(id(ln))
                positions[round(ln.top)].append(key)
                texts[ln.text] += 1
    for band in bands:  # heads that vary with the section, beside the others
        for ln in band:
            if id(ln) in found:
                continue
            key = skeleton(ln.text)
            near = [k for top in range(round(ln.top) - 2, round(ln.top) + 3)
                    for k in positions.get(top, ())]
            if any(_shares_start(key, k) for k in near):
                found.add(id(ln))
                texts[ln.text] += 1
    return Furniture(frozenset(found), tuple(texts.most_common()))


def _shares_start(a: str, b: str) -> bool:
    common = len(os.path.commonprefix([a, b]))
    return common >= 4 and common >= 0.4 * min(len(a), len(b))
