"""What the search index holds: one entry per document, and one per article of a brief.

An entry's id is its place in :func:`entries`, which runs oldest first: a new post, the usual
addition, takes the next id and leaves every other entry's id (and so every posting list that
does not mention it) as it was. Drafts never enter the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from digestgen.config import SiteConfig
from digestgen.model import Block, Document, Page, Site

# The fields an entry is scored on, in this order (see digestgen.search.index).
FIELDS = ("title", "tags", "headings", "body")


@dataclass(frozen=True, slots=True)
class Entry:
    """One search result: a document, or one article of a brief."""

    uid: str  # stable across builds: the source file, and the article's place in it
    url: str
    title: str
    # Formatted only when its result file is written (see digestgen.search.index).
    when: datetime | None
    section: str
    fields: tuple[str, str, str, str]  # the text of each of FIELDS
    headings: tuple[tuple[str, str], ...]  # (text, anchor) to deep-link a matching heading
    text: str
    sort_key: tuple


def entries(site: Site, config: SiteConfig) -> list[Entry]:
    """What the index holds, oldest first (the id of an entry is its place here)."""
    titles = {s.name: s.title for s in site.sections}
    out: list[Entry] = []
    for page in site.pages:
        if page.doc.draft:
            continue
        out.extend(_entries_of(page, titles.get(page.doc.section, "")))
    # Newest first, undated last, a brief before its articles — then reversed, so that the
    # newest entry has the highest id.
    out.sort(key=lambda e: e.sort_key, reverse=True)
    return out


def _entries_of(page: Page, section: str) -> Iterator[Entry]:
    doc = page.doc
    order = (doc.date is None, -doc.date.timestamp() if doc.date else 0, doc.source)
    fields = entry_fields(doc)
    articles = doc.brief.articles if doc.brief else ()
    if articles:
        # Every article is a result of its own, deep-linked to its anchor.
        for k, article in enumerate(articles, 1):
            yield Entry(f"{doc.source}#{k}", f"{page.url}#{article.anchor}", article.title,
                        doc.date, doc.title, fields[k], (), fields[k][3], (*order, k))
        yield Entry(f"{doc.source}#0", page.url, doc.title, doc.date, section, fields[0], (),
                    fields[0][3], (*order, 0))
        return
    headings = tuple((h.text, h.id) for h in doc.headings)
    yield Entry(f"{doc.source}#0", page.url, doc.title, doc.date, section, fields[0], headings,
                doc.text, (*order, 0))


def entry_fields(doc: Document) -> list[tuple[str, str, str, str]]:
    """The text of each of FIELDS for the entries of ``doc``: the document (0), then each of a
    brief's articles (1, 2, …). Only the document decides them, so the index can tell what an
    entry held in an earlier build from that build's document."""
    tags = " ".join((*doc.tags, *doc.categories))
    articles = doc.brief.articles if doc.brief else ()
    if not articles:
        return [(doc.title, tags, " ".join(h.text for h in doc.headings), doc.text)]
    out = [(doc.title, tags, "", doc.summary or "")]
    for article in articles:
        subheads = [b.text for b in article.blocks if b.kind == "subhead"]
        body = "\n".join([*article.key_points, *(_block_text(b) for b in article.blocks),
                          *article.sources])
        out.append((article.title, f"{tags} {article.category}", " ".join(subheads), body))
    return out


def _block_text(block: Block) -> str:
    parts = [block.text, *(t for _, t in block.items), *(" ".join(r) for r in block.rows)]
    return "\n".join(p for p in parts if p)
