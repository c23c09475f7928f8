"""Briefs: long reports converted from PDF, and plain-text digests, as structured pages.

The text has no markup, so structure is read off the lines the way an editor would:
a cover, a CONTENTS block (dropped: its dot leaders and page numbers mean nothing on the web),
section tab lines repeated on every page (dropped), article titles (the line before
"KEY Contents"), key points, ``●``/``○`` subheads, ``-``/`` -`` bullets, ``☞ 출처`` sources,
tab-separated tables and a trailing copyright line. PDF debris (``$oxedsymbol{…}$``, ``Al``
misread for ``AI``) is repaired. Whatever cannot be classified stays a paragraph: a brief
never fails the build for its layout.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from digestgen.errors import Diagnostic
from digestgen.load.common import LoadContext, Shaped
from digestgen.markdown import heading_id
from digestgen.model import Heading

# -- line repair -----------------------------------------------------------------------------

_BOXED_RE = re.compile(r"\$\s*(?:\\?o?x?edsymbol\{)+\s*([^{}$]*?)\s*\}+\s*\$")
_LATEX_DEBRIS_RE = re.compile(r"\$[^$\n]{0,80}?\\?[a-z]+symbol\{[^$\n]*\$")
_HANGUL = "\uac00-\ud7a3"
# "Al" read for "AI": glued to Hangul or digits, or standing alone before a space/punctuation.
_AL_RE = re.compile(
    rf"(?<![A-Za-z])Al(?=[{_HANGUL}0-9]|[\s,.·)\]'’\"]|$)|(?<=[{_HANGUL}])Al(?![a-z])"
    # OpenAl, xAl, GenAl: a word ending in capital "Al" is a misread "AI".
    rf"|(?<=[a-z])Al(?![A-Za-z])"
)
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
_PART_RE = re.compile(rf"^\s*(?:[{_ROMAN}]|[IVX]{{1,4}})\s*\.\s*\S")
_TOC_ENTRY_RE = re.compile(r"^\s*[▷▶►•·]\s*\S|[·.…]{4,}|\t\s*\d+\s*$")
_SECTION_CELL_RE = re.compile(r"^\s*\d+\s*\.\s*\S+.*$")
_RULE_RE = re.compile(r"^[\s\-–—_=\t]+$")
_BULLET_RE = re.compile(r"^(\s*)[-•∙◦]\s+(.*)$")
_SUBHEAD_RE = re.compile(r"^\s*[●○■□◆◇◼︎]\s*(.+)$")
_SOURCE_RE = re.compile(r"^\s*(?:-\s*)?(?:\[?☞\]?\s*)?출처\s*[:：]\s*(.*)$")
_CITATION_TAIL_RE = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*$")
_RIGHTS_RE = re.compile(r"(ⓒ|©|\(c\)|copyright|저작권|무단\s*전재)", re.IGNORECASE)
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]+")
_ISSUE_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*호?")
# Sentences end in punctuation or in 다/요; a line ending in a noun (…움직임, …전망) may be a title.
_SENTENCE_END_RE = re.compile(r"([.!?。]|[다요])\s*[\"'”’)\]]?$")
_CONCLUSION_TITLES = {"시사점", "결론", "맺음말", "요약", "전망", "정리", "마치며"}


def repair(line: str, *, acronym_ok: bool) -> str:
    """Undo PDF-extraction damage in one line."""
    line = _BOXED_RE.sub(lambda m: m[1], line)
    line = _LATEX_DEBRIS_RE.sub("", line)
    if acronym_ok:
        line = _AL_RE.sub("AI", line)
    return line.rstrip()


# -- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # heading | paragraph | list | keypoints | sources | table | rights
    line: int
    text: str = ""
    level: int = 0
    items: tuple[tuple[int, str], ...] = ()  # (depth, text) for lists, key points, sources
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class BriefInfo:
    """What a brief has beyond a body: its cover lines, contents entries and rights note."""

    cover: tuple[str, ...] = ()
    contents: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    rights: str = ""
    articles: tuple[str, ...] = field(default_factory=tuple)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _is_toc_like(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    if _TOC_ENTRY_RE.search(line) or _PART_RE.match(line):
        return True
    if re.fullmatch(r"\d+\s*\.\s*\S.{0,20}", s) and "\t" not in s.strip("\t"):
        return True  # "2. 기업/산업" group line
    # Debris lines: single characters separated by spaces ("기 기 이 이 ..."), lone marks.
    tokens = s.replace("\t", " ").split()
    return all(len(t) <= 1 for t in tokens)


def _is_section_tab_line(line: str) -> bool:
    cells = [c for c in line.split("\t") if c.strip()]
    return "\t" in line and len(cells) >= 2 and all(_SECTION_CELL_RE.match(c) for c in cells)


def parse(lines: list[str], first_line: int) -> tuple[list[Block], BriefInfo, list[Diagnostic]]:
    """Classify ``lines`` (already repaired) into blocks; ``first_line`` numbers the first one."""
    n = len(lines)
    blocks: list[Block] = []
    cover: list[str] = []
    contents: list[str] = []
    categories: list[str] = []
    articles: list[str] = []
    rights = ""
    stripped = [ln.strip() for ln in lines]

    def next_nonblank(i: int) -> int:
        while i < n and not stripped[i]:
            i += 1
        return i

    # Cover and contents.
    i = 0
    contents_at = next(
        (k for k, s in enumerate(stripped[:80]) if s.upper() in ("CONTENTS", "목차", "차례")), None
    )
    if contents_at is not None:
        cover = [s for s in stripped[:contents_at] if s]
        i = contents_at + 1
        seen_parts: set[str] = set()
        while i < n:
            s = stripped[i]
            if _PART_RE.match(lines[i]):
                key = _norm(s)
                if key in seen_parts:
                    break  # the part heading again: the body starts here
                seen_parts.add(key)
            elif s and not _is_toc_like(lines[i]) and not _is_section_tab_line(lines[i]):
                break
            if s:
                entry = re.sub(r"^[▷▶►•·]\s*", "", s)
                entry = re.sub(r"\s*[·.…]{3,}.*$", "", entry)
                entry = re.sub(r"\t.*$", "", entry).strip()
                if entry and not all(len(t) <= 1 for t in entry.split()):
                    contents.append(entry)
            i += 1

    has_key_contents = any(s.lower().replace(" ", "") == "keycontents" for s in stripped)
    has_parts = any(_PART_RE.match(lines[k]) for k in range(i, n))
    article_level = 3 if has_parts else 2
    seen_pair = False
    last_content = max((k for k in range(n) if stripped[k]), default=-1)

    while i < n:
        s, raw, ln = stripped[i], lines[i], first_line + i
        if not s:
            i += 1
            continue
        if _is_section_tab_line(raw):
            for cell in raw.split("\t"):
                name = re.sub(r"^\s*\d+\s*\.\s*", "", cell).strip()
                if name and name not in categories:
                    categories.append(name)
            i += 1
            continue
        if _RULE_RE.match(raw):
            i += 1
            continue
        if i == last_content and _RIGHTS_RE.search(s) and len(s) < 120:
            rights = s.strip("[]")
            blocks.append(Block("rights", ln, rights))
            i += 1
            continue
        if _PART_RE.match(raw) and "\t" not in s:
            blocks.append(Block("heading", ln, s, level=2))
            i += 1
            continue
        if s.lower().replace(" ", "") == "keycontents":
            items, i = _collect_bullets(lines, stripped, i + 1, n)
            blocks.append(Block("keypoints", ln, "KEY Contents", items=tuple(items)))
            continue
        nxt = next_nonblank(i + 1)
        if (
            nxt < n
            and stripped[nxt].lower().replace(" ", "") == "keycontents"
            and not _BULLET_RE.match(raw)
        ):
            articles.append(s)
            blocks.append(Block("heading", ln, s, level=article_level))
            i += 1
            continue
        m = _SUBHEAD_RE.match(raw)
        if m:
            blocks.append(Block("heading", ln, m[1].strip(), level=article_level + 1))
            i += 1
            continue
        m = _SOURCE_RE.match(raw)
        if m:
            items = [(0, m[1].strip())]
            i += 1
            while True:
                j = next_nonblank(i)
                if j < n and lines[j][:1].isspace() and _CITATION_TAIL_RE.search(stripped[j]):
                    items.append((0, re.sub(r"^-\s*", "", stripped[j])))
                    i = j + 1
                else:
                    break
            blocks.append(Block("sources", ln, items=tuple(items)))
            continue
        if _BULLET_RE.match(raw):
            items, i = _collect_bullets(lines, stripped, i, n)
            blocks.append(Block("list", ln, items=tuple(items)))
            continue
        if "\t" in raw.strip("\t") and len([c for c in raw.split("\t") if c.strip()]) >= 2:
            rows = []
            while i < n and "\t" in lines[i]:
                rows.append(tuple(c.strip() for c in lines[i].rstrip("\t").split("\t")))
                i += 1
            blocks.append(Block("table", ln, rows=tuple(rows)))
            continue
        if not has_key_contents and _is_title_line(s, stripped, i, n):
            nxt_is_title = nxt < n and _is_title_line(stripped[nxt], stripped, nxt, n)
            if nxt_is_title or s in _CONCLUSION_TITLES or not seen_pair:
                level = 2
                seen_pair = seen_pair or nxt_is_title
            else:
                level = 3
            blocks.append(Block("heading", ln, s, level=level))
            if nxt_is_title:
                blocks.append(Block("heading", first_line + nxt, stripped[nxt], level=3))
                i = nxt + 1
            else:
                i += 1
            continue
        blocks.append(Block("paragraph", ln, s))
        i += 1

    info = BriefInfo(tuple(cover), tuple(contents), tuple(categories), rights, tuple(articles))
    return blocks, info, []


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
        depth = 1 if len(m[1].replace("\t", "  ")) >= 1 else 0
        items.append((depth, m[2].strip()))
        i += 1
    return items, i


def _is_title_line(s: str, stripped: list[str], i: int, n: int) -> bool:
    if not s or len(s) > 50 or _URL_RE.search(s) or s.endswith((":", "：", ",")):
        return False
    if _SENTENCE_END_RE.search(s) or _BULLET_RE.match(s):
        return False
    # A title introduces something: it is followed by more text.
    return any(stripped[k] for k in range(i + 1, n))


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


def render(blocks: list[Block], toc_min: int, toc_max: int) -> tuple[str, tuple[Heading, ...]]:
    used: set[str] = set()
    toc: list[Heading] = []
    parts: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            base = ident = heading_id(b.text)
            k = 0
            while ident in used:
                k += 1
                ident = f"{base}-{k}"
            used.add(ident)
            if toc_min <= b.level <= toc_max:
                toc.append(Heading(b.level, ident, b.text))
            parts.append(f'<h{b.level} id="{html.escape(ident)}">{_inline(b.text)}</h{b.level}>')
        elif b.kind == "paragraph":
            parts.append(f"<p>{_inline(b.text)}</p>")
        elif b.kind == "list":
            parts.append(_list_html(b.items))
        elif b.kind == "keypoints":
            parts.append(
                '<div class="key-points"><p class="key-points-label">KEY Contents</p>'
                f"{_list_html(b.items)}</div>"
            )
        elif b.kind == "sources":
            label = '<span class="source-label">출처</span> '
            if len(b.items) == 1:
                parts.append(f'<p class="sources">{label}{_inline(b.items[0][1])}</p>')
            else:
                parts.append(f'<div class="sources">{label}{_list_html(b.items)}</div>')
        elif b.kind == "table":
            width = max(len(r) for r in b.rows)
            rows = []
            for r_i, row in enumerate(b.rows):
                tag = "th" if r_i == 0 else "td"
                cells = "".join(
                    f"<{tag}>{_inline(c)}</{tag}>" for c in row + ("",) * (width - len(row))
                )
                rows.append(f"<tr>{cells}</tr>")
            head, body = rows[0], rows[1:]
            parts.append(
                f'<div class="table-wrap"><table><thead>{head}</thead>'
                f"<tbody>{''.join(body)}</tbody></table></div>"
            )
        elif b.kind == "rights":
            parts.append(f'<p class="rights">{_inline(b.text)}</p>')
    return "\n".join(parts) + "\n", tuple(toc)


def _plain(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.text and b.kind != "keypoints":
            out.append(b.text)
        out.extend(t for _, t in b.items)
        out.extend(" ".join(r) for r in b.rows)
    return "\n".join(out)


# -- the loader ------------------------------------------------------------------------------


def load(ctx: LoadContext) -> Shaped:
    """Load a brief (``.txt``): repair, classify, render."""
    raw_lines = ctx.body.split("\n")
    acronym_ok = ctx.body.count("AI") >= 3
    lines = [repair(line, acronym_ok=acronym_ok) for line in raw_lines]
    blocks, info, diags = parse(lines, ctx.offset + 1)
    # A brief's table of contents lists its parts and articles, not every subhead.
    articles = set(info.articles)
    article_level = min(
        (b.level for b in blocks if b.kind == "heading" and b.text in articles),
        default=ctx.config.markdown.toc_max,
    )
    toc_max = min(ctx.config.markdown.toc_max, article_level)
    body_html, toc = render(blocks, ctx.config.markdown.toc_min, toc_max)

    title = None
    if info.cover:
        title = " · ".join(info.cover[:2])
    elif blocks and blocks[0].kind == "heading":
        title = blocks[0].text

    date = None
    for cover_line in info.cover:
        m = _ISSUE_RE.search(cover_line)
        if m and 1 <= int(m[2]) <= 12:
            from datetime import datetime

            date = datetime(int(m[1]), int(m[2]), 1, tzinfo=ctx.config.tz)
            break
    if info.articles:
        # A report is best summed up by what it covers.
        shown = " · ".join(info.articles[:3])
        more = len(info.articles) - 3
        first = f"{shown} 외 {more}건" if more > 0 else shown
    else:
        first = next((b.text for b in blocks if b.kind == "paragraph" and len(b.text) > 40), "")
    return Shaped(
        html=body_html,
        toc=toc,
        refs=(),
        text=_plain(blocks),
        title=title,
        first_paragraph=first,
        date=date,
        date_source="cover" if date else "",
        brief=info,
        diagnostics=tuple(diags),
    )
