"""Flat blocks → sections and articles; articles paired with their CONTENTS entries."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field

from digestgen.load.brief.lines import bare
from digestgen.markdown import heading_id
from digestgen.model import Article, Block, BriefSection, ContentsEntry


@dataclass
class Notes:
    """Warnings found while parsing, as (line, message)."""

    items: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))


@dataclass
class _Open:
    """A section or article being filled while the blocks go by."""

    title: str
    line: int
    body: list = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def assemble(blocks: list[Block]) -> tuple[list[BriefSection], list[Block]]:
    """Group flat blocks into sections and articles; blocks before any section are the front."""
    sections: list[_Open] = []
    front: list[Block] = []
    article: _Open | None = None

    def close_article() -> None:
        nonlocal article
        if article is not None:
            sections[-1].body.append(
                Article(
                    title=article.title,
                    anchor="",
                    line=article.line,
                    part=sections[-1].title,
                    key_points=tuple(article.key_points),
                    blocks=tuple(article.body),
                    sources=tuple(article.sources),
                )
            )
            article = None

    for b in blocks:
        if b.kind == "part" or (b.kind == "heading" and b.level == 2):
            close_article()
            sections.append(_Open(b.text, b.line))
        elif b.kind == "article":
            if not sections:
                sections.append(_Open("", b.line))
            close_article()
            article = _Open(b.text, b.line)
        elif article is not None:
            _add_to_article(article, b)
        elif sections:
            sections[-1].body.append(b)
        else:
            front.append(b)
    close_article()
    return _with_anchors(sections), front


def _add_to_article(article: _Open, b: Block) -> None:
    if b.kind == "keypoints" and not article.key_points:
        article.key_points = [text for _, text in b.items]
    elif b.kind == "sources":
        article.sources.extend(text for _, text in b.items)
    else:
        article.body.append(b)


def _with_anchors(sections: list[_Open]) -> list[BriefSection]:
    """Sections and articles with unique anchors, in page order."""
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
        sec_anchor = anchor(sec.title) if sec.title else ""
        for item in sec.body:
            if isinstance(item, Article):
                item = dataclasses.replace(item, anchor=anchor(item.title))
            elif item.kind == "heading":
                used.add(heading_id(item.text))
            body.append(item)
        out.append(BriefSection(sec.title, sec_anchor, sec.line, tuple(body)))
    return out


def match_contents(
    sections: list[BriefSection], contents: list[ContentsEntry], notes: Notes
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
                item = _matched(item, entries, taken, category, notes)
                category = item.category
            body.append(item)
        out.append(dataclasses.replace(sec, body=tuple(body)))
    for k, entry in enumerate(entries):
        if k not in taken and entry.category:
            notes.add(
                entry.line,
                f"brief: CONTENTS lists {entry.title!r} but no article with that title was found",
            )
    return out


def _matched(
    item: Article, entries: list[ContentsEntry], taken: set[int], category: str, notes: Notes
) -> Article:
    """``item`` with its CONTENTS entry's category (else ``category``, the one before it)."""
    k = _best_entry(item.title, entries, taken)
    if k is None:
        notes.add(
            item.line,
            f"brief: article {item.title!r} is not in the CONTENTS "
            "list; its category is taken from the article before it",
        )
        return dataclasses.replace(item, category=category)
    taken.add(k)
    entry = entries[k]
    # The CONTENTS line is typeset apart from the body and keeps punctuation the body's title
    # line lost ("EU AI 법." for "EU AI 법,").
    title = entry.title if bare(entry.title) == bare(item.title) else item.title
    return dataclasses.replace(
        item, title=title, category=entry.category or category, listed_as=entry.title
    )


def _best_entry(title: str, entries: list[ContentsEntry], taken: set[int]) -> int | None:
    target = bare(title)
    best, best_ratio = None, 0.0
    for k, entry in enumerate(entries):
        if k in taken:
            continue
        candidate = bare(entry.title)
        if candidate == target:
            return k
        # Contents lines may be cut short or carry a page number glued on ("피해1").
        ratio = difflib.SequenceMatcher(None, target, candidate, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = k, ratio
    return best if best_ratio >= 0.6 else None
