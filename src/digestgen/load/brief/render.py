"""A :class:`~digestgen.model.Brief` → HTML, its table of contents, category links, and plain
text for search."""

from __future__ import annotations

import dataclasses
import html

from digestgen.load.brief.lines import URL_RE
from digestgen.markdown import PLACEHOLDER, heading_id
from digestgen.model import Article, Block, Brief, BriefSection, Heading, Ref
from digestgen.urls import term_slug


def _inline(text: str) -> str:
    """Escape, then link bare URLs."""
    out, pos = [], 0
    for m in URL_RE.finditer(text):
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


def _table_html(rows: tuple[tuple[str, ...], ...]) -> str:
    width = max(len(r) for r in rows)
    out = []
    for r_i, row in enumerate(rows):
        tag = "th" if r_i == 0 else "td"
        cells = "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in row + ("",) * (width - len(row)))
        out.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table-wrap"><table><thead>{out[0]}</thead>'
        f"<tbody>{''.join(out[1:])}</tbody></table></div>"
    )


def _block_html(b: Block, subhead_level: int, ids: _Ids) -> str:
    if b.kind in ("heading", "subhead"):
        level = b.level if b.kind == "heading" else subhead_level
        ident = ids.new(b.text)
        return f'<h{level} id="{html.escape(ident)}">{_inline(b.text)}</h{level}>'
    if b.kind == "list":
        return _list_html(b.items)
    if b.kind == "keypoints":
        return _key_points_html(tuple(t for _, t in b.items))
    if b.kind == "caption":
        return f'<p class="caption">{_inline(b.text)}</p>'
    if b.kind == "note":
        return f'<p class="note">{_inline(b.text)}</p>'
    if b.kind == "box":
        caption = f'<p class="caption">{_inline(b.text)}</p>' if b.text else ""
        return f'<div class="box">{caption}{_list_html(b.items)}</div>'
    if b.kind == "sources":
        return _sources_html(tuple(t for _, t in b.items))
    if b.kind == "table":
        return _table_html(b.rows)
    return f"<p>{_inline(b.text)}</p>"  # a paragraph


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


@dataclasses.dataclass
class _Page:
    """The HTML of one brief page as it is written, with its toc and category links."""

    toc_min: int
    toc_max: int
    article_level: int
    ids: _Ids
    parts: list[str] = dataclasses.field(default_factory=list)
    toc: list[Heading] = dataclasses.field(default_factory=list)
    refs: list[Ref] = dataclasses.field(default_factory=list)

    def heading(self, level: int, ident: str, text: str) -> None:
        self.parts.append(f'<h{level} id="{html.escape(ident)}">{_inline(text)}</h{level}>')
        self.listed(level, ident, text)

    def listed(self, level: int, ident: str, text: str) -> None:
        if self.toc_min <= level <= self.toc_max:
            self.toc.append(Heading(level, ident, text))

    def section(self, sec: BriefSection) -> BriefSection:
        """Write ``sec``; return it with each article's HTML filled in."""
        if sec.title:
            self.heading(2, sec.anchor, sec.title)
        body: list[Block | Article] = []
        for item in sec.body:
            if isinstance(item, Article):
                item = self.article(item)
            elif item.kind == "heading":
                self.heading(item.level, self.ids.new(item.text), item.text)
            else:
                self.parts.append(_block_html(item, self.article_level + 1, self.ids))
            body.append(item)
        return dataclasses.replace(sec, body=tuple(body))

    def article(self, item: Article) -> Article:
        level = self.article_level
        inner = [_key_points_html(item.key_points)] if item.key_points else []
        inner += [_block_html(b, level + 1, self.ids) for b in item.blocks]
        if item.sources:
            inner.append(_sources_html(item.sources))
        fragment = "\n".join(inner)
        kicker = ""
        if item.category:
            self.refs.append(Ref(f"/categories/{term_slug(item.category)}/", "path", item.line))
            kicker = (
                f'<p class="article-category"><a href="{PLACEHOLDER}{len(self.refs) - 1}" '
                f'rel="tag">{html.escape(item.category)}</a></p>'
            )
        self.parts.append(
            f'<section class="brief-article" id="{html.escape(item.anchor)}">'
            f"{kicker}<h{level}>{_inline(item.title)}</h{level}>\n"
            f"{fragment}\n</section>"
        )
        self.listed(level, item.anchor, item.title)
        return dataclasses.replace(item, html=fragment)


def render_brief(
    brief: Brief, toc_min: int, toc_max: int
) -> tuple[str, tuple[Heading, ...], tuple[Ref, ...], Brief]:
    """HTML body, table of contents, references (category links) and the brief with each
    article's own HTML filled in."""
    has_parts = any(s.title for s in brief.sections) and brief.structured
    reserved = {a.anchor for a in brief.articles} | {s.anchor for s in brief.sections if s.anchor}
    page = _Page(toc_min, toc_max, 3 if has_parts else 2, _Ids(reserved))
    for b in brief.front:
        page.parts.append(_block_html(b, page.article_level + 1, page.ids))
    sections = tuple(page.section(sec) for sec in brief.sections)
    if brief.rights:
        page.parts.append(f'<p class="rights">{_inline(brief.rights)}</p>')
    return (
        "\n".join(page.parts) + "\n",
        tuple(page.toc),
        tuple(page.refs),
        dataclasses.replace(brief, sections=sections),
    )


def plain_text(brief: Brief) -> str:
    """The brief's text, one block per line, for search and reading time."""
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
