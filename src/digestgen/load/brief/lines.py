"""The line level of a brief: repairing PDF-extraction damage, and what each kind of line
looks like. Every pattern the brief loader matches lives here."""

from __future__ import annotations

import re
import unicodedata

# -- line repair -----------------------------------------------------------------------------

_BOXED_RE = re.compile(r"\$\s*(?:\\?o?x?edsymbol\{)+\s*([^{}$]*?)\s*\}+\s*\$")
_LATEX_DEBRIS_RE = re.compile(r"\$[^$\n]{0,80}?\\?[a-z]+symbol\{[^$\n]*\$")
HANGUL = "\uac00-\ud7a3"
# "Al" read for "AI": glued to Hangul or digits, standing alone before a space or punctuation,
# or ending a word in capitals after a lower-case letter (OpenAl, xAl, GenAl).
_AL_RE = re.compile(
    rf"(?<![A-Za-z])Al(?=[{HANGUL}0-9]|[\s,.·)\]'’\"]|$)|(?<=[{HANGUL}])Al(?![a-z])"
    rf"|(?<=[a-z])Al(?![A-Za-z])"
)


def repair(line: str, *, acronym_ok: bool) -> str:
    """Undo PDF-extraction damage in one line.

    ``acronym_ok`` says the document uses "AI" elsewhere, which is what makes a lone "Al"
    clearly the acronym rather than a name.
    """
    line = _BOXED_RE.sub(lambda m: m[1], line)
    line = _LATEX_DEBRIS_RE.sub("", line).replace("\\$", "$")
    if acronym_ok:
        line = _AL_RE.sub("AI", line)
    return line.rstrip()


# -- line classes ----------------------------------------------------------------------------

_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
PART_RE = re.compile(rf"^\s*(?:[{_ROMAN}]|[IVX]{{1,4}})\s*\.\s*\S")
TOC_ENTRY_MARK = "▷▶►▹•·∙"
TOC_ENTRY_RE = re.compile(rf"^\s*[{TOC_ENTRY_MARK}]\s*\S|[·.…]{{4,}}|\t\s*\d+\s*$")
GROUP_RE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\S.{0,24}?)\s*$")
# Stray marks before the first tab ("(1. 정책/법제⇥…") are PDF debris too.
_TAB_LINE_RE = re.compile(r"^\s*[(\[|]?\s*(?:\d{1,2}\s*\.\s*[^\d\s]\S*\s*){2,}$")
RULE_RE = re.compile(r"^[\s\-–—_=\t]+$")
PAGE_NUMBER_RE = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")
BULLET_RE = re.compile(r"^(\s*)[-•∙◦]\s+(.*)$")
SUBHEAD_RE = re.compile(r"^\s*[●○◆◇]\s*(.+)$")
BOX_ITEM_RE = re.compile(r"^\s*(?:[□■▪※]|[①-⑳])\s*(.*)$")
CAPTION_RE = re.compile(r"^\s*[<〈]\s*(.+?)\s*[>〉][\s\t]*$")
# A note under the text: "* …", "** …", "※ …" (a ※ line under a caption is part of its box).
NOTE_RE = re.compile(r"^\s*(?:\*{1,3}|※)\s*\S")
# "☞ 출처:", "[☞] 출처 :", "- 출처:", and the marker misread as another symbol ("জ 출처:").
SOURCE_RE = re.compile(rf"^\s*(?:-\s*)?(?:\[?[^\s{HANGUL}\w]\]?\s*|জ\s*)?출처\s*[:：]\s*(.*)$")
CITATION_RE = re.compile(r"\S.*,.*\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.?)?\s*$")
RIGHTS_RE = re.compile(r"(ⓒ|©|\(c\)|copyright|저작권|무단\s*전재)", re.IGNORECASE)
URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")
ISSUE_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*호")
COVER_ISSUE_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월")
# Sentences end in punctuation or in 다/요; a line ending in a noun (…움직임, …전망) may be a title.
_SENTENCE_END_RE = re.compile(r"([.!?。]|[다요])\s*[\"'”’)\]]?$")
CONCLUSION_TITLES = {"시사점", "결론", "맺음말", "요약", "전망", "정리", "마치며"}
# A closing section's title starts like one of these ("정리하며", "맺으며", "나가며").
_CONCLUSION_STARTS = ("시사점", "결론", "맺", "요약", "정리", "마치", "마무리", "나가며", "끝으로")
_FINAL_PUNCT_RE = re.compile(r"[.!?。…:：,]\s*[\"'”’)\]]?$")
_AFTER_TAB_RE = re.compile(r"\t.*$")


def norm(text: str) -> str:
    """NFKC, with runs of white space as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def bare(text: str) -> str:
    """Letters and digits only: for comparing titles that differ in punctuation or spacing."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()


def before_tab(text: str) -> str:
    """The text before the first TAB (a CONTENTS line's page number follows one)."""
    return _AFTER_TAB_RE.sub("", text)


def is_debris(line: str) -> bool:
    """Single characters separated by spaces or tabs ("기 기 이 이 ...", "⇥L⇥⇥")."""
    tokens = line.replace("\t", " ").split()
    return bool(tokens) and all(len(t) <= 1 for t in tokens)


def is_key_contents(line: str) -> bool:
    """The "KEY Contents" label over an article's key points."""
    return line.strip().lower().replace(" ", "") == "keycontents"


def is_tab_line(line: str) -> bool:
    """The section tab line every page repeats: ``1. 정책/법제⇥2. 기업/산업⇥…``."""
    return bool(_TAB_LINE_RE.match(line))


def tab_names(line: str) -> dict[int, str]:
    """The numbered names of a tab line: ``{1: "정책/법제", 2: "기업/산업", …}``."""
    return {int(m[1]): m[2] for m in re.finditer(r"(\d{1,2})\s*\.\s*([^\d\s]\S*)", line)}


def is_title_line(s: str, stripped: list[str], i: int, n: int) -> bool:
    """Whether the stripped line ``s`` (line ``i`` of ``n``) reads as a title, not a sentence."""
    if not s or len(s) > 50 or URL_RE.search(s) or s.endswith((":", "：", ",")):
        return False
    if _SENTENCE_END_RE.search(s) or BULLET_RE.match(s):
        return False
    # A title introduces something: it is followed by more text.
    return any(stripped[k] for k in range(i + 1, n))


def reads_as_prose(s: str) -> bool:
    """A paragraph that is plainly one: long, and ending as a sentence does."""
    return len(s) >= 60 and bool(_SENTENCE_END_RE.search(s))


def is_conclusion(s: str) -> bool:
    """A closing section's title: "시사점", "정리하며", "맺으며"…"""
    return s in CONCLUSION_TITLES or (len(s) <= 8 and s.startswith(_CONCLUSION_STARTS))


def is_headline(s: str, stripped: list[str], i: int, n: int) -> bool:
    """A news headline may end like a sentence ("…끝이 보이지 않는다") where a section title
    would not: a short line without final punctuation, over a long paragraph."""
    if not s or len(s) > 40 or URL_RE.search(s) or _FINAL_PUNCT_RE.search(s):
        return False
    if BULLET_RE.match(s):
        return False
    k = i + 1
    while k < n and not stripped[k]:
        k += 1
    return k < n and len(stripped[k]) >= 60
