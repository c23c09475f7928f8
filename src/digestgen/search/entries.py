"""What the search index holds: one entry per document, and one per article of a brief.

An entry's id is its place in :func:`entries`, which runs oldest first: a new post, the usual
addition, takes the next id and leaves every other entry's id (and so every posting list that
does not mention it) as it was. Drafts never enter the index.

A document's text is what its page shows (read off the rendered body: raw HTML blocks included),
its code blocks a field of their own, weighed below prose. Both are worked out only when asked
for: a build whose documents are unchanged never reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from digestgen.config import SiteConfig
from digestgen.model import Block, Document, Page, Site
from digestgen.search.text import MAX_CHUNKS, body_text, chunks

# The fields an entry is scored on, in this order (see digestgen.search.index): the short
# fields, then the body.
FIELDS = ("title", "tags", "headings", "code", "body")
Fields = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Entry:
    """One search result: a document (``part`` 0), or one article of a brief (1, 2, …)."""

    uid: str  # stable across builds: the source file, and the article's place in it
    url: str
    title: str
    # Formatted only when its result file is written (see digestgen.search.index).
    when: datetime | None
    section: str
    headings: tuple[tuple[str, str], ...]  # (text, anchor) to deep-link a matching heading
    sort_key: tuple
    doc: Document
    part: int

    @property
    def fields(self) -> Fields:
        """The text of each of FIELDS."""
        return entry_fields(self.doc)[self.part]

    def snippets(self, fields: Fields | None = None
                 ) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        """The chunks a result's snippet is cut from (its prose, then its code), each with the
        headings that begin in it and the one it runs on from. (``fields``: this entry's, when
        already worked out.)"""
        fields = fields or self.fields
        texts = [f"{prose}\n{code}" if prose and code else prose or code
                 for prose, code in chunks(fields[4], fields[3])[:MAX_CHUNKS]] or [""]
        where = _heading_chunks([text for text, _ in self.headings], texts)
        out = []
        for k, text in enumerate(texts):
            before = [h for h, at in zip(self.headings, where, strict=True) if at < k][-1:]
            inside = [h for h, at in zip(self.headings, where, strict=True) if at == k]
            out.append((text, (*before, *inside)))
        return out


def _heading_chunks(headings: list[str], texts: list[str]) -> list[int]:
    """The chunk each heading begins in, found in order (one not found stays where the last
    one was)."""
    out = []
    k, pos = 0, 0
    for heading in headings:
        for j in range(k, len(texts)):
            at = texts[j].find(heading, pos if j == k else 0)
            if at >= 0:
                k, pos = j, at + len(heading)
                break
        out.append(k)
    return out


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
    articles = doc.brief.articles if doc.brief else ()
    if articles:
        # Every article is a result of its own, deep-linked to its anchor.
        for k, article in enumerate(articles, 1):
            yield Entry(f"{doc.source}#{k}", f"{page.url}#{article.anchor}", article.title,
                        doc.date, doc.title, (), (*order, k), doc, k)
        yield Entry(f"{doc.source}#0", page.url, doc.title, doc.date, section, (), (*order, 0),
                    doc, 0)
        return
    headings = tuple((h.text, h.id) for h in doc.headings)
    yield Entry(f"{doc.source}#0", page.url, doc.title, doc.date, section, headings,
                (*order, 0), doc, 0)


# The last document asked for and its fields: a brief's entries ask one after another.
_recent: tuple = (None, [])


def entry_fields(doc: Document) -> list[Fields]:
    """The text of each of FIELDS for the entries of ``doc``: the document (0), then each of a
    brief's articles (1, 2, …). Only the document decides them, so the index can tell what an
    entry held in an earlier build from that build's document."""
    global _recent
    recent = _recent
    if recent[0] is doc:
        return recent[1]
    out = _fields_of(doc)
    _recent = (doc, out)
    return out


def _fields_of(doc: Document) -> list[Fields]:
    tags = " ".join((*doc.tags, *doc.categories))
    articles = doc.brief.articles if doc.brief else ()
    if not articles:
        prose, code = body_text(doc.body_html)
        return [(doc.title, tags, " ".join(h.text for h in doc.headings), code, prose)]
    out = [(doc.title, tags, "", "", doc.summary or "")]
    for article in articles:
        subheads = [b.text for b in article.blocks if b.kind == "subhead"]
        body = "\n".join([*article.key_points, *(_block_text(b) for b in article.blocks),
                          *article.sources])
        out.append((article.title, f"{tags} {article.category}", " ".join(subheads), "", body))
    return out


def _block_text(block: Block) -> str:
    parts = [block.text, *(t for _, t in block.items), *(" ".join(r) for r in block.rows)]
    return "\n".join(p for p in parts if p)
