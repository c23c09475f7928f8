"""The CONTENTS page(s): found by their shape, read into entries, written back in one form.

A contents page is a page near the front where several lines end in a page number, after dot
leaders (``▷ 제목 ······ 3``) or after a wide gap (``∙ 제목      3``); its label
("CONTENTS", "목차") is often an image and not needed. Its part lines (``Ⅰ. …``) and group lines
(``1. 정책/법제``) say where each entry belongs. The brief loader uses the entries to check the
articles' titles and give each its category, then leaves them off the page, so the import
writes them in the loader's form: ``▷ title⇥page`` under the part and group lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digestgen.imports.pdf.layout import Line, Table

_LEADER = r"(?:[·.…‥・∙]\s?){3,}"
_MARK = r"[▷▶►▹▸•·∙◦‣\-–]"
_ENTRY_RE = re.compile(
    rf"^(?:{_MARK}\s*)?(?P<title>\S.*?)\s*(?:{_LEADER}\s*(?P<p1>\d{{1,3}})?|\t\s*(?P<p2>\d{{1,3}}))\s*$"
)
_MARKED_RE = re.compile(rf"^{_MARK}\s*(?P<title>\S.*?)\s*$")
_PART_RE = re.compile(r"^\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[IVX]{1,4})\s*\.\s*\S")
_GROUP_RE = re.compile(r"^\s*\d{1,2}\s*\.\s*\S.{0,30}$")
_LABELS = {"CONTENTS", "CONTENT", "목차", "차례", "TABLEOFCONTENTS"}
_FRONT_PAGES = 6  # a contents page comes within the first pages


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    page: str  # as printed ("" if none)
    part: str
    group: str


@dataclass(frozen=True, slots=True)
class Contents:
    pages: frozenset[int]  # page numbers the contents took
    entries: tuple[Entry, ...]
    other: tuple[Line, ...]  # lines on those pages that are neither (an issue line, a label)

    def text(self) -> str:
        """The block in the brief loader's form."""
        if not self.entries:
            return ""
        out = ["CONTENTS"]
        part = group = None
        for e in self.entries:
            if e.part != part:
                part, group = e.part, None
                if part:
                    out.append(part)
            if e.group != group:
                group = e.group
                if group:
                    out.append(group)
            out.append(f"▷ {e.title}\t{e.page}" if e.page else f"▷ {e.title} ····")
        return "\n".join(out)


def find_contents(pages: list[list[Line | Table]], skip: frozenset[int]) -> Contents:
    """The contents of the report, or an empty :class:`Contents`. ``skip``: furniture ids."""
    used: set[int] = set()
    for index, items in enumerate(pages[:_FRONT_PAGES]):
        lines = [it for it in items if isinstance(it, Line) and id(it) not in skip]
        entries = sum(1 for ln in lines if _ENTRY_RE.match(ln.text))
        if entries >= 3 or (used and entries >= 1 and index == max(used) + 1):
            used.add(index)
        elif used:
            break
    if not used:
        return Contents(frozenset(), (), ())
    lines = [it for k in sorted(used) for it in pages[k]
             if isinstance(it, Line) and id(it) not in skip]
    entries, other = _read(lines)
    return Contents(frozenset(k + 1 for k in used), tuple(entries), tuple(other))


def _read(lines: list[Line]) -> tuple[list[Entry], list[Line]]:
    entries: list[Entry] = []
    other: list[Line] = []
    part = group = ""
    for ln in lines:
        m = _ENTRY_RE.match(ln.text)
        text = ln.text if m else ln.text.replace("\t", " ").strip()
        if re.sub(r"\s+", "", text).upper() in _LABELS:
            continue
        if m:
            title = re.sub(r"\s+", " ", m["title"]).strip()
            entries.append(Entry(title, m["p1"] or m["p2"] or "", part, group))
        elif _PART_RE.match(text):
            part, group = re.sub(r"\s+", " ", text), ""
        elif _GROUP_RE.match(text):
            group = re.sub(r"\s+", " ", text)
        elif (m := _MARKED_RE.match(text)) and (part or group):
            entries.append(Entry(m["title"], "", part, group))
        else:
            other.append(ln)
    return entries, other
