"""The front of a report: the cover lines and the CONTENTS block before the body."""

from __future__ import annotations

import dataclasses
import re

from digestgen.load.brief.lines import (
    GROUP_RE,
    PART_RE,
    TOC_ENTRY_MARK,
    TOC_ENTRY_RE,
    before_tab,
    is_debris,
    is_tab_line,
    norm,
)
from digestgen.model import ContentsEntry

_CONTENTS_LABELS = ("CONTENTS", "목차", "차례")


def read_front(
    lines: list[str], stripped: list[str], first_line: int, names: dict[int, str]
) -> tuple[int, list[str], list[ContentsEntry]]:
    """The cover and CONTENTS block: where the body starts, the cover lines, the entries.

    Group headers found in CONTENTS (``2. 기업/산업``) are added to ``names``.
    """
    contents_at = next(
        (k for k, s in enumerate(stripped[:80]) if s.upper() in _CONTENTS_LABELS), None
    )
    if contents_at is None:
        return 0, [], []
    cover = [s for s in stripped[:contents_at] if s]
    reader = _ContentsReader(lines, stripped, first_line, names)
    end = reader.read(contents_at + 1)
    return end, cover, reader.finish()


@dataclasses.dataclass
class _ContentsReader:
    """Reads CONTENTS entries line by line, keeping the part and group they are listed under."""

    lines: list[str]
    stripped: list[str]
    first_line: int
    names: dict[int, str]
    entries: list[ContentsEntry] = dataclasses.field(default_factory=list)
    seen_parts: set[str] = dataclasses.field(default_factory=set)
    part: str = ""
    group: int = 0
    # Entries seen before any group header, to number once one appears.
    pending: list[int] = dataclasses.field(default_factory=list)

    def read(self, i: int) -> int:
        """Read from line ``i``; return the index of the first body line."""
        while i < len(self.lines):
            s, raw = self.stripped[i], self.lines[i]
            if not s or is_debris(raw) or is_tab_line(raw):
                pass
            elif PART_RE.match(raw):
                if not self._part(i, s):
                    break
            elif not self._group(raw) and not self._entry(i, s, raw):
                break  # not a contents line: the body starts here
            i += 1
        return i

    def _part(self, i: int, s: str) -> bool:
        key = norm(before_tab(s))
        if key in self.seen_parts or (
            self.entries and not _contents_follow(self.lines, self.stripped, i + 1)
        ):
            return False  # the first part heading again, or one over body text: the body starts
        self.seen_parts.add(key)
        self.part, self.group = key, 0
        return True

    def _group(self, raw: str) -> bool:
        group_match = GROUP_RE.match(before_tab(raw))
        if not group_match or TOC_ENTRY_RE.search(raw.split("\t")[0]):
            return False
        self.group = int(group_match[1])
        self.names.setdefault(self.group, group_match[2].strip())
        if self.group > 1:  # entries before "2. …" belong to group 1, whose header went missing
            for k in self.pending:
                self.entries[k] = dataclasses.replace(
                    self.entries[k], category=self.names.get(self.group - 1, "")
                )
        self.pending = []
        return True

    def _entry(self, i: int, s: str, raw: str) -> bool:
        if not TOC_ENTRY_RE.search(raw):
            return False
        title = re.sub(rf"^[{TOC_ENTRY_MARK}]\s*", "", s)
        title = re.sub(r"\s*[·.…]{3,}.*$", "", title)
        title = before_tab(title).strip()
        if title:
            self.entries.append(
                ContentsEntry(title, self.first_line + i, self.part, self.names.get(self.group, ""))
            )
            if not self.group:
                self.pending.append(len(self.entries) - 1)
        return True

    def finish(self) -> list[ContentsEntry]:
        entries = self.entries
        if self.pending and 1 in self.names and not any(e.category for e in entries):
            # No group header at all: a one-group report whose header went missing.
            for k in self.pending:
                entries[k] = dataclasses.replace(entries[k], category=self.names[1])
        return entries


def _contents_follow(lines: list[str], stripped: list[str], k: int) -> bool:
    """Whether the next substantive line is a CONTENTS line (an entry or a group header)."""
    while k < len(lines) and (not stripped[k] or is_debris(lines[k]) or is_tab_line(lines[k])):
        k += 1
    if k >= len(lines):
        return False
    raw = lines[k]
    return bool(
        TOC_ENTRY_RE.search(raw)
        or PART_RE.match(raw)
        or (GROUP_RE.match(before_tab(raw)) and "\t" not in raw.strip())
    )
