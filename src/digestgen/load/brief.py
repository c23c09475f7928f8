"""Briefs: long reports converted from PDF, and plain-text digests, as structured pages.

The text has no markup, so its structure is read off the lines the way an editor would. A
PDF-converted report has:
- a cover, and a CONTENTS block (used to cross-check article titles and find each article's
  category, then dropped: dot leaders and page numbers mean nothing on the web);
- section tab lines repeated on every page (dropped), and page numbers (dropped);
- part lines (``Ⅰ. …``), and articles: a title line, then "KEY Contents" key points, then
  ``●``/``○`` subheads with ``-``/`` -`` bullets, captions and boxes, tab-separated tables,
  and ``☞ 출처`` sources.

A plain-text digest has one-line section titles, paragraphs and a trailing copyright line.

PDF debris is repaired: ``$oxedsymbol{…}$``, and ``Al`` misread for ``AI``. Whatever cannot
be classified stays a paragraph, with a warning: a brief never fails the build for its layout.

:func:`parse_brief` builds the typed :class:`Brief`; :func:`render_brief` turns it into HTML.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from digestgen.load.common import LoadContext, Shaped
from digestgen.markdown import PLACEHOLDER, heading_id
from digestgen.model import Heading, Ref, pickled_by_fields
from digestgen.urls import term_slug

# -- line repair -----------------------------------------------------------------------------

_BOXED_RE = re.compile(r"\$\s*(?:\\?o?x?edsymbol\{)+\s*([^{}$]*?)\s*\}+\s*\$")
_LATEX_DEBRIS_RE = re.compile(r"\$[^$\n]{0,80}?\\?[a-z]+symbol\{[^$\n]*\$")
_HANGUL = "\uac00-\ud7a3"
# "Al" read for "AI": glued to Hangul or digits, standing alone before a space or punctuation,
# or ending a word in capitals after a lower-case letter (OpenAl, xAl, GenAl).
_AL_RE = re.compile(
    rf"(?<![A-Za-z])Al(?=[{_HANGUL}0-9]|[\s,.·)\]'’\"]|$)|(?<=[{_HANGUL}])Al(?![a-z])"
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
_PART_RE = re.compile(rf"^\s*(?:[{_ROMAN}]|[IVX]{{1,4}})\s*\.\s*\S")
_TOC_ENTRY_RE = re.compile(r"^\s*[▷▶►•·]\s*\S|[·.…]{4,}|\t\s*\d+\s*$")
_GROUP_RE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\S.{0,24}?)\s*$")
# Stray marks before the first tab ("(1. 정책/법제⇥…") are PDF debris too.
_TAB_LINE_RE = re.compile(r"^\s*[(\[|]?\s*(?:\d{1,2}\s*\.\s*[^\d\s]\S*\s*){2,}$")
_RULE_RE = re.compile(r"^[\s\-–—_=\t]+$")
_PAGE_NUMBER_RE = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")
_BULLET_RE = re.compile(r"^(\s*)[-•∙◦]\s+(.*)$")
_SUBHEAD_RE = re.compile(r"^\s*[●○◆◇]\s*(.+)$")
_BOX_ITEM_RE = re.compile(r"^\s*(?:[□■▪※]|[①-⑳])\s*(.*)$")
_CAPTION_RE = re.compile(r"^\s*[<〈]\s*(.+?)\s*[>〉][\s\t]*$")
# "☞ 출처:", "[☞] 출처 :", "- 출처:", and the marker misread as another symbol ("জ 출처:").
_SOURCE_RE = re.compile(rf"^\s*(?:-\s*)?(?:\[?[^\s{_HANGUL}\w]\]?\s*|জ\s*)?출처\s*[:：]\s*(.*)$")
_CITATION_RE = re.compile(r"\S.*,.*\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.?)?\s*$")
_RIGHTS_RE = re.compile(r"(ⓒ|©|\(c\)|copyright|저작권|무단\s*전재)", re.IGNORECASE)
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")
_ISSUE_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*호")
_COVER_ISSUE_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월")
# Sentences end in punctuation or in 다/요; a line ending in a noun (…움직임, …전망) may be a title.
_SENTENCE_END_RE = re.compile(r"([.!?。]|[다요])\s*[\"'”’)\]]?$")
_CONCLUSION_TITLES = {"시사점", "결론", "맺음말", "요약", "전망", "정리", "마치며"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _bare(text: str) -> str:
    """Letters and digits only: for comparing titles that differ in punctuation or spacing."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).casefold()


def _is_debris(line: str) -> bool:
    """Single characters separated by spaces or tabs ("기 기 이 이 ...", "⇥L⇥⇥")."""
    tokens = line.replace("\t", " ").split()
    return bool(tokens) and all(len(t) <= 1 for t in tokens)


def _is_key_contents(line: str) -> bool:
    return line.strip().lower().replace(" ", "") == "keycontents"


def _is_tab_line(line: str) -> bool:
    """The section tab line every page repeats: ``1. 정책/법제⇥2. 기업/산업⇥…``."""
    return bool(_TAB_LINE_RE.match(line))


def _tab_names(line: str) -> dict[int, str]:
    return {int(m[1]): m[2] for m in re.finditer(r"(\d{1,2})\s*\.\s*([^\d\s]\S*)", line)}


# -- the model -------------------------------------------------------------------------------


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Block:
    """A unit of body text: paragraph, list, subhead, heading, table, caption or box."""

    kind: str
    line: int
    text: str = ""
    level: int = 0
    items: tuple[tuple[int, str], ...] = ()  # (depth, text) for lists and boxes
    rows: tuple[tuple[str, ...], ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ContentsEntry:
    title: str
    line: int
    part: str = ""
    category: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Article:
    """One news item of a report: what a reader links to, and what feeds can carry alone."""

    title: str
    anchor: str
    line: int
    category: str = ""
    part: str = ""
    key_points: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    sources: tuple[str, ...] = ()
    # The CONTENTS entry this article was matched to, if any.
    listed_as: str | None = None
    # Key points, body and sources as HTML (no title), for feeds that carry articles.
    html: str = ""

    @property
    def summary(self) -> str:
        return self.key_points[0] if self.key_points else ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class BriefSection:
    """A part of a report (``Ⅰ. 인공지능 산업 동향 브리프``) or a section of a plain digest."""

    title: str
    anchor: str
    line: int
    body: tuple[Block | Article, ...] = ()

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(x for x in self.body if isinstance(x, Article))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Brief:
    title: str
    publisher: str
    issue: str
    issue_date: date | None
    cover: tuple[str, ...]
    contents: tuple[ContentsEntry, ...]
    categories: tuple[str, ...]
    sections: tuple[BriefSection, ...]
    front: tuple[Block, ...] = ()
    rights: str = ""
    structured: bool = False

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for s in self.sections for a in s.articles)


@dataclass
class _Notes:
    """Warnings found while parsing, as (line, message)."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))


# -- parsing ---------------------------------------------------------------------------------


def parse_brief(lines: list[str], first_line: int) -> tuple[Brief, list[tuple[int, str]]]:
    """Read a brief whose ``lines`` are already repaired; ``first_line`` numbers the first."""
    notes = _Notes()
    # Page numbers ("15", "- 15 -") are furniture wherever they fall, even inside a list.
    lines = ["" if _PAGE_NUMBER_RE.match(ln) else ln for ln in lines]
    stripped = [ln.strip() for ln in lines]
    structured = any(_is_key_contents(s) for s in stripped)
    names: dict[int, str] = {}
    for ln in lines:
        if _is_tab_line(ln):
            names.update(_tab_names(ln))

    start, cover, contents = _read_front(lines, stripped, first_line, names)
    blocks, rights = _classify(lines, stripped, start, first_line, structured, notes)
    sections, front = _assemble(blocks, structured)
    categories = tuple(
        dict.fromkeys(
            [*(names[k] for k in sorted(names)), *(e.category for e in contents if e.category)]
        )
    )
    sections = _match_contents(sections, contents, notes)

    publisher = cover[0] if cover else ""
    issue = next(
        (c for c in cover if _COVER_ISSUE_RE.search(c)), cover[1] if len(cover) > 1 else ""
    )
    issue_date = None
    # On the cover "2024년 7월" is the issue; in the text only "2024년 7월호" says so.
    candidates = [(_COVER_ISSUE_RE, c) for c in cover] + [(_ISSUE_RE, s) for s in stripped[:10]]
    for pattern, text in candidates:
        m = pattern.search(text)
        if m and 1 <= int(m[2]) <= 12:
            issue_date = date(int(m[1]), int(m[2]), 1)
            break
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
        categories=categories,
        sections=tuple(sections),
        front=tuple(front),
        rights=rights,
        structured=structured,
    )
    return brief, notes.items


def _read_front(lines, stripped, first_line, names) -> tuple[int, list[str], list[ContentsEntry]]:
    """The cover and CONTENTS block: where the body starts, the cover lines, the entries."""
    contents_at = next(
        (k for k, s in enumerate(stripped[:80]) if s.upper() in ("CONTENTS", "목차", "차례")), None
    )
    if contents_at is None:
        return 0, [], []
    cover = [s for s in stripped[:contents_at] if s]
    entries: list[ContentsEntry] = []
    seen_parts: set[str] = set()
    part, group = "", 0
    pending: list[int] = []  # entries seen before any group header, to number once one appears
    i = contents_at + 1
    n = len(lines)
    while i < n:
        s, raw = stripped[i], lines[i]
        if not s or _is_debris(raw) or _is_tab_line(raw):
            i += 1
            continue
        if _PART_RE.match(raw):
            key = _norm(re.sub(r"\t.*$", "", s))
            if key in seen_parts or (entries and not _contents_follow(lines, stripped, i + 1)):
                break  # the first part heading again, or one over body text: the body starts
            seen_parts.add(key)
            part, group = key, 0
            i += 1
            continue
        group_match = _GROUP_RE.match(re.sub(r"\t.*$", "", raw))
        if group_match and not _TOC_ENTRY_RE.search(raw.split("\t")[0]):
            group = int(group_match[1])
            names.setdefault(group, group_match[2].strip())
            if group > 1:  # entries before "2. …" belong to group 1, whose header went missing
                for k in pending:
                    entries[k] = dataclasses.replace(entries[k], category=names.get(group - 1, ""))
            pending = []
            i += 1
            continue
        if not _TOC_ENTRY_RE.search(raw):
            break  # not a contents line: the body starts here
        title = re.sub(r"^[▷▶►•·]\s*", "", s)
        title = re.sub(r"\s*[·.…]{3,}.*$", "", title)
        title = re.sub(r"\t.*$", "", title).strip()
        if title:
            entries.append(ContentsEntry(title, first_line + i, part, names.get(group, "")))
            if not group:
                pending.append(len(entries) - 1)
        i += 1
    if pending and 1 in names and not any(e.category for e in entries):
        # No group header at all: a one-group report whose header went missing.
        for k in pending:
            entries[k] = dataclasses.replace(entries[k], category=names[1])
    return i, cover, entries


def _contents_follow(lines, stripped, k) -> bool:
    """Whether the next substantive line is a CONTENTS line (an entry or a group header)."""
    while k < len(lines) and (not stripped[k] or _is_debris(lines[k]) or _is_tab_line(lines[k])):
        k += 1
    if k >= len(lines):
        return False
    raw = lines[k]
    return bool(
        _TOC_ENTRY_RE.search(raw)
        or _PART_RE.match(raw)
        or (_GROUP_RE.match(re.sub(r"\t.*$", "", raw)) and "\t" not in raw.strip())
    )


def _classify(lines, stripped, i, first_line, structured, notes) -> tuple[list[Block], str]:
    """Turn body lines into a flat list of blocks."""
    n = len(lines)
    blocks: list[Block] = []
    rights = ""
    last = max((k for k in range(n) if stripped[k]), default=-1)
    seen_pair = False
    part_level = 2

    def next_nonblank(k: int) -> int:
        while k < n and not stripped[k]:
            k += 1
        return k

    while i < n:
        s, raw, ln = stripped[i], lines[i], first_line + i
        if (
            not s
            or _is_tab_line(raw)
            or _RULE_RE.match(raw)
            or _PAGE_NUMBER_RE.match(raw)
            or _is_debris(raw)
        ):
            i += 1
            continue
        if i == last and _RIGHTS_RE.search(s) and len(s) < 120:
            rights = s.strip("[]")
            i += 1
            continue
        if structured and _PART_RE.match(raw):
            blocks.append(Block("part", ln, re.sub(r"\t.*$", "", s).strip(), level=part_level))
            i += 1
            continue
        nxt = next_nonblank(i + 1)
        if (
            structured
            and nxt < n
            and "\t" in lines[nxt]
            and "\t" not in raw
            and not _is_tab_line(lines[nxt])
            and len(s) <= 30
            and _is_title_line(s, stripped, i, n)
        ):
            # A short title over a table ("주요 행사 일정") starts a part of its own.
            blocks.append(Block("part", ln, s, level=part_level))
            i += 1
            continue
        if _is_key_contents(s):
            items, i = _collect_bullets(lines, stripped, i + 1, n)
            blocks.append(Block("keypoints", ln, items=tuple(items)))
            continue
        if structured and nxt < n and _is_key_contents(stripped[nxt]) and not _BULLET_RE.match(raw):
            blocks.append(Block("article", ln, s))
            i += 1
            continue
        m = _SUBHEAD_RE.match(raw)
        if m:
            blocks.append(Block("subhead", ln, m[1].strip()))
            i += 1
            continue
        m = _SOURCE_RE.match(raw)
        if m:
            items = [(0, m[1].strip())]
            i += 1
            while True:  # more citations follow, indented or after a blank line
                j = next_nonblank(i)
                if (
                    j < n
                    and _CITATION_RE.match(stripped[j])
                    and not _SOURCE_RE.match(lines[j])
                    and not _SUBHEAD_RE.match(lines[j])
                    and not _is_tab_line(lines[j])
                    and (lines[j][:1].isspace() or not _BULLET_RE.match(lines[j]))
                ):
                    items.append((0, re.sub(r"^-\s*", "", stripped[j])))
                    i = j + 1
                else:
                    break
            blocks.append(Block("sources", ln, items=tuple(items)))
            continue
        m = _CAPTION_RE.match(raw)
        if m and len(s) < 120:
            items, i = _collect_box(lines, stripped, i + 1, n)
            blocks.append(Block("box" if items else "caption", ln, m[1], items=tuple(items)))
            continue
        if _BOX_ITEM_RE.match(raw):
            items, i = _collect_box(lines, stripped, i, n)
            blocks.append(Block("box", ln, "", items=tuple(items)))
            continue
        if _BULLET_RE.match(raw):
            items, i = _collect_bullets(lines, stripped, i, n)
            blocks.append(Block("list", ln, items=tuple(items)))
            continue
        if "\t" in raw.strip("\t") and len([c for c in raw.split("\t") if c.strip()]) >= 2:
            rows = []
            while i < n and "\t" in lines[i] and not _is_debris(lines[i]):
                rows.append(tuple(c.strip() for c in lines[i].rstrip("\t").split("\t")))
                i += 1
            blocks.append(Block("table", ln, rows=tuple(rows)))
            continue
        if not structured and _is_title_line(s, stripped, i, n):
            nxt_is_title = (
                nxt < n and nxt != last and _is_title_line(stripped[nxt], stripped, nxt, n)
            )
            if nxt_is_title or s in _CONCLUSION_TITLES or not seen_pair:
                blocks.append(Block("heading", ln, s, level=2))
                seen_pair = seen_pair or nxt_is_title
            else:
                blocks.append(Block("heading", ln, s, level=3))
            if nxt_is_title:
                blocks.append(Block("heading", first_line + nxt, stripped[nxt], level=3))
                i = nxt + 1
            else:
                i += 1
            continue
        blocks.append(Block("paragraph", ln, s))
        i += 1
    return blocks, rights


def _collect_bullets(lines, stripped, i, n) -> tuple[list[tuple[int, str]], int]:
    items: list[tuple[int, str]] = []
    while i < n:
        if not stripped[i]:
            j = i
            while j < n and not stripped[j]:
                j += 1
            if j < n and _BULLET_RE.match(lines[j]) and not _SOURCE_RE.match(lines[j]):
                i = j
                continue
            break
        m = _BULLET_RE.match(lines[i])
        if not m or _SOURCE_RE.match(lines[i]):
            break
        depth = 1 if m[1] else 0
        items.append((depth, m[2].strip()))
        i += 1
    return items, i


def _collect_box(lines, stripped, i, n) -> tuple[list[tuple[int, str]], int]:
    """Lines of a boxed note (□ items, ①② sub-items) after a caption."""
    items: list[tuple[int, str]] = []
    while i < n and stripped[i]:
        if _is_debris(lines[i]):
            i += 1
            continue
        m = _BOX_ITEM_RE.match(lines[i])
        if not m:
            break
        marker = stripped[i][0]
        depth = 1 if "①" <= marker <= "⑳" and items else 0
        items.append((depth, stripped[i] if depth else m[1].strip() or stripped[i]))
        i += 1
    return items, i


def _is_title_line(s: str, stripped: list[str], i: int, n: int) -> bool:
    if not s or len(s) > 50 or _URL_RE.search(s) or s.endswith((":", "：", ",")):
        return False
    if _SENTENCE_END_RE.search(s) or _BULLET_RE.match(s):
        return False
    # A title introduces something: it is followed by more text.
    return any(stripped[k] for k in range(i + 1, n))


def _assemble(blocks: list[Block], structured: bool) -> tuple[list[BriefSection], list[Block]]:
    """Group flat blocks into sections and articles."""
    sections: list[dict] = []
    front: list[Block] = []
    article: dict | None = None

    def close_article() -> None:
        nonlocal article
        if article is not None:
            sections[-1]["body"].append(
                Article(
                    title=article["title"],
                    anchor="",
                    line=article["line"],
                    part=sections[-1]["title"],
                    key_points=tuple(article["key_points"]),
                    blocks=tuple(article["blocks"]),
                    sources=tuple(article["sources"]),
                )
            )
            article = None

    def section(title: str, line: int) -> None:
        close_article()
        sections.append({"title": title, "line": line, "body": []})

    for b in blocks:
        if b.kind == "part" or (b.kind == "heading" and b.level == 2):
            section(b.text, b.line)
        elif b.kind == "article":
            if not sections:
                section("", b.line)
            close_article()
            article = {
                "title": b.text,
                "line": b.line,
                "key_points": [],
                "blocks": [],
                "sources": [],
            }
        elif article is not None and b.kind == "keypoints" and not article["key_points"]:
            article["key_points"] = [text for _, text in b.items]
        elif article is not None and b.kind == "sources":
            article["sources"].extend(text for _, text in b.items)
        elif article is not None:
            article["blocks"].append(b)
        elif sections:
            sections[-1]["body"].append(b)
        else:
            front.append(b)
    close_article()

    used: set[str] = set()

    def anchor(text: str) -> str:
        base = ident = heading_id(text)
        k = 0
        while ident in used:
            k += 1
            ident = f"{base}-{k}"
        used.add(ident)
        return ident

    out = []
    for sec in sections:
        body = []
        sec_anchor = anchor(sec["title"]) if sec["title"] else ""
        for item in sec["body"]:
            if isinstance(item, Article):
                item = dataclasses.replace(item, anchor=anchor(item.title))
            elif item.kind == "heading":
                used.add(heading_id(item.text))
            body.append(item)
        out.append(BriefSection(sec["title"], sec_anchor, sec["line"], tuple(body)))
    return out, front


def _match_contents(
    sections: list[BriefSection], contents: list[ContentsEntry], notes: _Notes
) -> list[BriefSection]:
    """Pair articles with CONTENTS entries: category, and the cleaner title where they agree."""
    if not contents:
        return sections
    entries = [e for e in contents if e.category or not e.part.endswith("행사")]
    taken: set[int] = set()
    out = []
    category = ""
    for sec in sections:
        body = []
        for item in sec.body:
            if isinstance(item, Article):
                k = _best_entry(item.title, entries, taken)
                if k is not None:
                    taken.add(k)
                    entry = entries[k]
                    category = entry.category or category
                    # The CONTENTS line is typeset apart from the body and keeps punctuation
                    # the body's title line lost ("EU AI 법." for "EU AI 법,").
                    title = entry.title if _bare(entry.title) == _bare(item.title) else item.title
                    item = dataclasses.replace(
                        item, title=title, category=category, listed_as=entry.title
                    )
                else:
                    item = dataclasses.replace(item, category=category)
                    notes.add(
                        item.line,
                        f"brief: article {item.title!r} is not in the CONTENTS "
                        "list; its category is taken from the article before it",
                    )
            body.append(item)
        out.append(dataclasses.replace(sec, body=tuple(body)))
    for k, entry in enumerate(entries):
        if k not in taken and entry.category:
            notes.add(
                entry.line,
                f"brief: CONTENTS lists {entry.title!r} but no article with that title was found",
            )
    return out


def _best_entry(title: str, entries: list[ContentsEntry], taken: set[int]) -> int | None:
    target = _bare(title)
    best, best_ratio = None, 0.0
    for k, entry in enumerate(entries):
        if k in taken:
            continue
        candidate = _bare(entry.title)
        if candidate == target:
            return k
        # Contents lines may be cut short or carry a page number glued on ("피해1").
        ratio = difflib.SequenceMatcher(None, target, candidate, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = k, ratio
    return best if best_ratio >= 0.6 else None


# -- rendering -------------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Escape, then link bare URLs."""
    out, pos = [], 0
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,")
        out.append(html.escape(text[pos : m.start()]))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        pos = m.start() + len(url)
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _list_html(items: tuple[tuple[int, str], ...], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    out = [f"<ul{attr}>"]
    depth = 0
    open_item = False
    # Depths are relative to the first item: a list may start with an indented bullet.
    base = items[0][0] if items else 0
    for raw_depth, text in items:
        item_depth = max(0, raw_depth - base)
        if item_depth > depth:
            out.append("<ul>")
            depth = item_depth
            open_item = False
        elif item_depth < depth:
            out.append("</li></ul>")
            depth = item_depth
        if open_item:
            out.append("</li>")
        out.append(f"<li>{_inline(text)}")
        open_item = True
    while depth > 0:
        out.append("</li></ul>")
        depth -= 1
    if open_item:
        out.append("</li>")
    out.append("</ul>")
    return "".join(out)


def _block_html(b: Block, subhead_level: int, ids: _Ids) -> str:
    if b.kind in ("heading", "subhead"):
        level = b.level if b.kind == "heading" else subhead_level
        ident = ids.new(b.text)
        return f'<h{level} id="{html.escape(ident)}">{_inline(b.text)}</h{level}>'
    if b.kind == "paragraph":
        return f"<p>{_inline(b.text)}</p>"
    if b.kind == "list":
        return _list_html(b.items)
    if b.kind == "keypoints":
        return _key_points_html(tuple(t for _, t in b.items))
    if b.kind == "caption":
        return f'<p class="caption">{_inline(b.text)}</p>'
    if b.kind == "box":
        caption = f'<p class="caption">{_inline(b.text)}</p>' if b.text else ""
        return f'<div class="box">{caption}{_list_html(b.items)}</div>'
    if b.kind == "sources":
        return _sources_html(tuple(t for _, t in b.items))
    if b.kind == "table":
        width = max(len(r) for r in b.rows)
        rows = []
        for r_i, row in enumerate(b.rows):
            tag = "th" if r_i == 0 else "td"
            cells = "".join(
                f"<{tag}>{_inline(c)}</{tag}>" for c in row + ("",) * (width - len(row))
            )
            rows.append(f"<tr>{cells}</tr>")
        return (
            f'<div class="table-wrap"><table><thead>{rows[0]}</thead>'
            f"<tbody>{''.join(rows[1:])}</tbody></table></div>"
        )
    return f"<p>{_inline(b.text)}</p>"


def _key_points_html(points: tuple[str, ...]) -> str:
    items = tuple((0, p) for p in points)
    return (
        '<div class="key-points"><p class="key-points-label">KEY Contents</p>'
        f"{_list_html(items)}</div>"
    )


def _sources_html(sources: tuple[str, ...]) -> str:
    label = '<span class="source-label">출처</span> '
    if len(sources) == 1:
        return f'<p class="sources">{label}{_inline(sources[0])}</p>'
    return f'<div class="sources">{label}{_list_html(tuple((0, s) for s in sources))}</div>'


class _Ids:
    """Unique element ids for one page, reserving the articles' anchors first."""

    def __init__(self, reserved: set[str]):
        self.used = set(reserved)

    def new(self, text: str) -> str:
        base = ident = heading_id(text)
        k = 0
        while ident in self.used:
            k += 1
            ident = f"{base}-{k}"
        self.used.add(ident)
        return ident


def render_brief(
    brief: Brief, toc_min: int, toc_max: int
) -> tuple[str, tuple[Heading, ...], tuple[Ref, ...], Brief]:
    """HTML body, table of contents, references (category links) and the brief with each
    article's own HTML filled in."""
    parts: list[str] = []
    toc: list[Heading] = []
    refs: list[Ref] = []
    has_parts = any(s.title for s in brief.sections) and brief.structured
    article_level = 3 if has_parts else 2
    reserved = {a.anchor for a in brief.articles} | {s.anchor for s in brief.sections if s.anchor}
    ids = _Ids(reserved)

    for b in brief.front:
        parts.append(_block_html(b, article_level + 1, ids))
    sections = []
    for sec in brief.sections:
        if sec.title:
            level = 2
            parts.append(
                f'<h{level} id="{html.escape(sec.anchor)}">{_inline(sec.title)}</h{level}>'
            )
            if toc_min <= level <= toc_max:
                toc.append(Heading(level, sec.anchor, sec.title))
        body = []
        for item in sec.body:
            if isinstance(item, Block):
                if item.kind == "heading":
                    ident = ids.new(item.text)
                    parts.append(
                        f'<h{item.level} id="{html.escape(ident)}">'
                        f"{_inline(item.text)}</h{item.level}>"
                    )
                    if toc_min <= item.level <= toc_max:
                        toc.append(Heading(item.level, ident, item.text))
                else:
                    parts.append(_block_html(item, article_level + 1, ids))
                body.append(item)
                continue
            inner = [_key_points_html(item.key_points)] if item.key_points else []
            inner += [_block_html(b, article_level + 1, ids) for b in item.blocks]
            if item.sources:
                inner.append(_sources_html(item.sources))
            fragment = "\n".join(inner)
            kicker = ""
            if item.category:
                refs.append(Ref(f"/categories/{term_slug(item.category)}/", "path", item.line))
                kicker = (
                    f'<p class="article-category"><a href="{PLACEHOLDER}{len(refs) - 1}" '
                    f'rel="tag">{html.escape(item.category)}</a></p>'
                )
            parts.append(
                f'<section class="brief-article" id="{html.escape(item.anchor)}">'
                f"{kicker}<h{article_level}>{_inline(item.title)}</h{article_level}>\n"
                f"{fragment}\n</section>"
            )
            if toc_min <= article_level <= toc_max:
                toc.append(Heading(article_level, item.anchor, item.title))
            body.append(dataclasses.replace(item, html=fragment))
        sections.append(dataclasses.replace(sec, body=tuple(body)))
    if brief.rights:
        parts.append(f'<p class="rights">{_inline(brief.rights)}</p>')
    return (
        "\n".join(parts) + "\n",
        tuple(toc),
        tuple(refs),
        dataclasses.replace(brief, sections=tuple(sections)),
    )


def plain_text(brief: Brief) -> str:
    out: list[str] = []

    def block_text(b: Block) -> None:
        if b.text:
            out.append(b.text)
        out.extend(t for _, t in b.items)
        out.extend(" ".join(r) for r in b.rows)

    for b in brief.front:
        block_text(b)
    for sec in brief.sections:
        if sec.title:
            out.append(sec.title)
        for item in sec.body:
            if isinstance(item, Block):
                block_text(item)
            else:
                out.append(item.title)
                out.extend(item.key_points)
                for b in item.blocks:
                    block_text(b)
                out.extend(item.sources)
    return "\n".join(out)


# -- the loader ------------------------------------------------------------------------------


def load(ctx: LoadContext) -> Shaped:
    """Load a brief (``.txt``): repair, parse into a :class:`Brief`, render."""
    from digestgen.errors import warning

    acronym_ok = ctx.body.count("AI") >= 3
    lines = [repair(line, acronym_ok=acronym_ok) for line in ctx.body.split("\n")]
    brief, notes = parse_brief(lines, ctx.offset + 1)
    body_html, toc, refs, brief = render_brief(
        brief, ctx.config.markdown.toc_min, ctx.config.markdown.toc_max
    )
    diags = [warning(ctx.source.rel_path, line, message) for line, message in notes]
    unclassified = [b for a in brief.articles for b in a.blocks if b.kind == "paragraph"]
    for b in unclassified:
        diags.append(
            warning(
                ctx.source.rel_path,
                b.line,
                f"brief: line not recognised as part "
                f"of an article's structure; kept as a paragraph: {b.text[:40]!r}",
            )
        )

    if brief.articles:
        # A report is best summed up by what it covers.
        titles = [a.title for a in brief.articles]
        more = len(titles) - 3
        first = " · ".join(titles[:3]) + (f" 외 {more}건" if more > 0 else "")
    else:
        paragraphs = [b for b in brief.front if b.kind == "paragraph"]
        paragraphs += [
            b
            for s in brief.sections
            for b in s.body
            if isinstance(b, Block) and b.kind == "paragraph"
        ]
        first = next((b.text for b in paragraphs if len(b.text) > 40), "")
    issue = (
        datetime(brief.issue_date.year, brief.issue_date.month, 1, tzinfo=ctx.config.tz)
        if brief.issue_date
        else None
    )
    return Shaped(
        html=body_html,
        toc=toc,
        refs=refs,
        text=plain_text(brief),
        title=brief.title or None,
        first_paragraph=first,
        date=issue,
        date_source="cover" if issue else "",
        brief=brief,
        diagnostics=tuple(diags),
    )
