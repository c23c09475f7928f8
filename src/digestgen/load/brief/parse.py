"""Repaired lines → a :class:`~digestgen.model.Brief`: front, body blocks, sections, and what
the cover says (publisher, issue, issue date)."""

from __future__ import annotations

from datetime import date

from digestgen.load.brief.assemble import Notes, assemble, match_contents
from digestgen.load.brief.classify import classify
from digestgen.load.brief.front import read_front
from digestgen.load.brief.lines import (
    COVER_ISSUE_RE,
    ISSUE_RE,
    PAGE_NUMBER_RE,
    is_key_contents,
    is_tab_line,
    tab_names,
)
from digestgen.model import Brief, ContentsEntry


def parse_brief(lines: list[str], first_line: int) -> tuple[Brief, list[tuple[int, str]]]:
    """Read a brief whose ``lines`` are already repaired; ``first_line`` numbers the first."""
    notes = Notes()
    # Page numbers ("15", "- 15 -") are furniture wherever they fall, even inside a list.
    lines = ["" if PAGE_NUMBER_RE.match(ln) else ln for ln in lines]
    stripped = [ln.strip() for ln in lines]
    structured = any(is_key_contents(s) for s in stripped)
    names: dict[int, str] = {}
    for ln in lines:
        if is_tab_line(ln):
            names.update(tab_names(ln))

    start, cover, contents = read_front(lines, stripped, first_line, names)
    blocks, rights, doubts = classify(lines, stripped, start, first_line, structured)
    for line, message in doubts:
        notes.add(line, message)
    sections, front = assemble(blocks)
    sections = match_contents(sections, contents, notes)
    publisher, issue, issue_date = _cover_facts(cover, stripped)
    # A plain digest names itself nowhere in its text: its title comes from frontmatter, a
    # sidecar or the file name.
    title = " · ".join(c for c in (publisher, issue) if c) if cover else ""
    brief = Brief(
        title=title,
        publisher=publisher,
        issue=issue,
        issue_date=issue_date,
        cover=tuple(cover),
        contents=tuple(contents),
        categories=_categories(names, contents),
        sections=tuple(sections),
        front=tuple(front),
        rights=rights,
        structured=structured,
    )
    return brief, notes.items


def _categories(names: dict[int, str], contents: list[ContentsEntry]) -> tuple[str, ...]:
    """The tab line's names in their order, then any other category CONTENTS lists."""
    ordered = [*(names[k] for k in sorted(names)), *(e.category for e in contents if e.category)]
    return tuple(dict.fromkeys(ordered))


def _cover_facts(cover: list[str], stripped: list[str]) -> tuple[str, str, date | None]:
    """Publisher (the cover's first line), issue line and issue date."""
    publisher = cover[0] if cover else ""
    issue = next(
        (c for c in cover if COVER_ISSUE_RE.search(c)), cover[1] if len(cover) > 1 else ""
    )
    # On the cover "2024년 7월" is the issue; in the text only "2024년 7월호" says so.
    candidates = [(COVER_ISSUE_RE, c) for c in cover] + [(ISSUE_RE, s) for s in stripped[:10]]
    for pattern, text in candidates:
        m = pattern.search(text)
        if m and 1 <= int(m[2]) <= 12:
            return publisher, issue, date(int(m[1]), int(m[2]), 1)
    return publisher, issue, None
