"""What the report says about itself: its name, issue, issue date and publisher.

A cover is mostly artwork, and the report's name is often part of it ("SPRi AI Brief" is an
image on the cover of the December 2023 issue). So the name is looked for where the text has
it: the cover's text lines (the largest first), then the running heads, whose constant part is
the report's name once the issue and page number are set aside ("SPRi AI Brief | 2023-12월호"),
then the PDF's own Title. The issue ("2023년 12월호") is looked for on the cover first, then on
the contents page and in the running heads; its month is the issue date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from digestgen.imports.pdf.layout import Line

_ISSUE_PATTERNS = (
    # 2023년 12월호, 2023년 12월
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<ho>호)?"),
    # 2023-12월호, 2023.12월호
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})\s*월\s*(?P<ho>호)"),
    # December 2023, Dec. 2023
    re.compile(r"\b(?P<mn>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
               r"(?P<y>(?:19|20)\d{2})\b", re.IGNORECASE),
    # 2023-12, 2023.12 (not a full date)
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})(?![\d.]|\s*[-./]\s*\d)"),
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_SEPARATORS = " |·•-–—:/,\t"
_URL_RE = re.compile(r"https?://|www\.|@|\d{2,4}-\d{3,4}-\d{4}")
_JUNK_TITLE_RE = re.compile(r"^(?:untitled|제목\s*없음|microsoft word|.*\.(?:hwpx?|docx?|pdf))",
                            re.IGNORECASE)
_TAB_BAR_RE = re.compile(r"(?:\d{1,2}\s*\.\s*\S+.*){2,}")
# An organisation's name ends in what it is.
_ORG_RE = re.compile(
    r"(?:연구소|연구원|진흥원|재단|협회|위원회|센터|학회|정책연구실|"
    r"Institute|Foundation|Association|Agency|Council|Cent(?:er|re)|Ministry|Office)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Issue:
    text: str  # as a title says it: "2023년 12월호"
    date: date


@dataclass(frozen=True, slots=True)
class Cover:
    title: str
    name: str  # the report's name ("SPRi AI Brief"), "" if none was found
    publisher: str
    issue: Issue | None
    lines: tuple[str, ...]  # for the brief's cover block: name, issue, other cover text


def find_issue(text: str) -> Issue | None:
    """The issue named in ``text``: "2023년 12월호", "2023-12월호", "December 2023"…"""
    for pattern in _ISSUE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = (_MONTHS.index(groups["mn"][:3].lower()) + 1 if groups.get("mn")
                     else int(groups["m"]))
            if not 1 <= month <= 12:
                continue
            year = int(groups["y"])
            if groups.get("mn"):
                shown = m[0].strip()
            else:
                shown = f"{year}년 {month}월" + ("호" if groups.get("ho") else "")
            return Issue(shown, date(year, month, 1))
    return None


def read_cover(cover: list[Line], contents_other: list[Line], heads: tuple[tuple[str, int], ...],
               back: list[Line], metadata: dict[str, str], sections: list[str]) -> Cover:
    """Name, issue and publisher from the cover page's lines, the contents page's other lines,
    the running heads (text, pages), the back cover and the PDF's metadata. ``sections``: the
    contents' group and part lines, which a running head may name."""
    issue = None
    for text in [*(ln.text for ln in cover), *(ln.text for ln in contents_other),
                 *(t for t, _ in heads), metadata.get("Title", ""), metadata.get("Subject", "")]:
        issue = find_issue(text)
        if issue:
            break
    cover_text = [ln for ln in cover if not _is_issue_only(ln.text) and not _URL_RE.search(ln.text)]
    by_size = sorted(cover_text, key=lambda ln: -ln.size)
    name = by_size[0].text if by_size and len(by_size[0].text) <= 60 else ""
    if not name:
        known = {_letters(re.sub(r"^\s*(?:\d{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|[IVX]{1,4})\s*\.", "", x))
                 for x in sections}
        name = _name_from_heads(heads, known)
    if not name:
        title = metadata.get("Title", "").strip()
        if title and not _JUNK_TITLE_RE.match(title):
            name = _without_issue(title)
    publisher = next((ln.text.strip() for ln in [*cover, *back]
                      if _ORG_RE.search(ln.text.strip()) and len(ln.text) <= 40), "") or name
    title = " ".join(x for x in (name, issue.text if issue else "") if x)
    lines = [x for x in (name, issue.text if issue else "") if x]
    lines += [ln.text for ln in cover_text if ln.text not in lines]
    return Cover(title, name, publisher, issue, tuple(lines))


def _is_issue_only(text: str) -> bool:
    issue = find_issue(text)
    return bool(issue) and not _without_issue(text)


def _without_issue(text: str) -> str:
    for pattern in _ISSUE_PATTERNS:
        text = pattern.sub(" ", text)
    return text.strip(_SEPARATORS)


def _name_from_heads(heads: tuple[tuple[str, int], ...], sections: set[str]) -> str:
    """The constant text of the running heads: what is left of them once the issue, page
    numbers and separators are set aside, if that is the same on every page. A head that
    names the current section (one of ``sections``, compared by letters only) varies, and a
    section tab bar lists them all: neither is a name."""
    rests: dict[str, int] = {}
    for text, count in heads:
        if _TAB_BAR_RE.search(text):
            continue
        rest = re.sub(r"(?<!\S)\d{1,4}(?!\S)", " ", _without_issue(text)).strip(_SEPARATORS)
        rest = re.sub(r"\s+", " ", rest)
        if not re.search(r"[A-Za-z\uac00-\ud7a3]{2}", rest) or len(rest) > 60:
            continue
        if _letters(rest) in sections or any(_letters(p) in sections for p in rest.split("|")):
            continue
        rests[rest] = rests.get(rest, 0) + count
    if not rests or len(rests) >= 3:
        return ""  # nothing constant, or heads that change from page to page
    return max(rests, key=lambda r: rests[r])


def _letters(text: str) -> str:
    return re.sub(r"[\W_\d]+", "", text).casefold()
