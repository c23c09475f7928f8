"""The static search index: built with the site, fetched piece by piece by the browser.

Layout (under ``search/``):
- ``manifest.json``: entry count, shard counts, tokenizer version, a content hash.
- ``h<N>.json.gz``: postings of CJK terms (bigrams, unigrams, ``=``whole runs), by term hash.
- ``w<N>.json.gz``: postings of words, grouped by their first two characters (prefix queries
  find every word they extend in one shard).
- ``f/<id>.json.gz``: one entry's title, URL, date, section, headings and text (for the result
  line and its highlighted snippet), fetched only for results shown.

A posting is ``[entry id delta, score]``: the BM25F score of the term in that entry is computed
here, once (title > tags > headings > body), so a query only adds numbers. Entry ids run newest
first, so a lower id breaks ties by recency. Everything is text: the browser never inserts any
of it as HTML.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from digestgen.config import SiteConfig
from digestgen.model import Page, Site
from digestgen.render.pages import Output
from digestgen.search.tokenize import VERSION, index_terms, shard_of

FIELD_WEIGHTS = {"title": 4.0, "tags": 2.5, "headings": 1.8, "body": 1.0}
K1, B = 1.2, 0.75
# Roughly this many bytes of JSON per shard before gzip (about 10–15 KB over the wire).
SHARD_TARGET = 48_000
MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class Entry:
    """One search result: a document, or one article of a brief."""

    url: str
    title: str
    date: str
    section: str
    fields: dict[str, str]
    headings: tuple[tuple[str, str], ...]  # (text, anchor) to deep-link a matching heading
    text: str
    sort_key: tuple


def entries(site: Site, config: SiteConfig) -> list[Entry]:
    """What the index holds, newest first. Drafts never enter it."""
    titles = {s.name: s.title for s in site.sections}
    out: list[Entry] = []
    for page in site.pages:
        if page.doc.draft:
            continue
        out.extend(_entries_of(page, titles.get(page.doc.section, "")))
    out.sort(key=lambda e: e.sort_key)
    return out


def _entries_of(page: Page, section: str) -> Iterator[Entry]:
    doc = page.doc
    date = doc.date.date().isoformat() if doc.date else ""
    order = (doc.date is None, -doc.date.timestamp() if doc.date else 0, doc.source)
    tags = " ".join((*doc.tags, *doc.categories))
    articles = getattr(doc.brief, "articles", ())
    if articles:
        # Every article is a result of its own, deep-linked to its anchor.
        for k, article in enumerate(articles):
            subheads = [b.text for b in article.blocks if b.kind == "subhead"]
            body = "\n".join([*article.key_points, *(_block_text(b) for b in article.blocks),
                              *article.sources])
            yield Entry(
                url=f"{page.url}#{article.anchor}",
                title=article.title,
                date=date,
                section=doc.title,
                fields={"title": article.title, "tags": f"{tags} {article.category}",
                        "headings": " ".join(subheads), "body": body},
                headings=(),
                text=body,
                sort_key=(*order, k + 1),
            )
        body = " ".join(t for t in (doc.summary,) if t)
        yield Entry(page.url, doc.title, date, section,
                    {"title": doc.title, "tags": tags, "headings": "", "body": body}, (),
                    body, (*order, 0))
        return
    headings = tuple((h.text, h.id) for h in doc.headings)
    yield Entry(
        url=page.url,
        title=doc.title,
        date=date,
        section=section,
        fields={"title": doc.title, "tags": tags,
                "headings": " ".join(text for text, _ in headings), "body": doc.text},
        headings=headings,
        text=doc.text,
        sort_key=(*order, 0),
    )


def _block_text(block) -> str:
    parts = [block.text, *(t for _, t in block.items), *(" ".join(r) for r in block.rows)]
    return "\n".join(p for p in parts if p)


def _next_pow2(n: float) -> int:
    return 1 << max(0, math.ceil(math.log2(max(n, 1))))


class Cancelled(Exception):
    """A newer build superseded this index build (serve)."""


def _checkpoint(cancel) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def build_index(items: list[Entry], cancel=None) -> dict[str, dict[str, list[int]]]:
    """Shard name → {term: [id delta, score, …]}, plus the manifest under ``"manifest"``.

    ``cancel`` (a threading.Event) stops the work early with :class:`Cancelled`.
    """
    n = len(items)
    # Pass 1: per-field term counts and lengths (BM25F normalises each field by its average).
    counted: list[list[tuple[float, Counter]]] = []
    lengths: dict[str, list[int]] = {f: [] for f in FIELD_WEIGHTS}
    for k, item in enumerate(items):
        if k % 256 == 0:
            _checkpoint(cancel)
        per_field = []
        for field, weight in FIELD_WEIGHTS.items():
            # Whole-run terms give an exact-word bonus in titles, tags and headings; in the
            # body they would double the index for little gain.
            terms = index_terms(item.fields.get(field, ""), exact=field != "body")
            lengths[field].append(len(terms))
            per_field.append((weight, Counter(terms)))
        counted.append(per_field)
    avg = {f: (sum(v) / n if n else 0.0) or 1.0 for f, v in lengths.items()}

    # Pass 2: weighted term frequency per (term, entry), kept compactly per term.
    ids: dict[str, array] = defaultdict(lambda: array("I"))
    wtfs: dict[str, array] = defaultdict(lambda: array("f"))
    fields = list(FIELD_WEIGHTS)
    for doc_id, per_field in enumerate(counted):
        if doc_id % 256 == 0:
            _checkpoint(cancel)
        weighted: dict[str, float] = {}
        for k, (weight, counts) in enumerate(per_field):
            factor = weight / (1 - B + B * lengths[fields[k]][doc_id] / avg[fields[k]])
            for term, tf in counts.items():
                weighted[term] = weighted.get(term, 0.0) + factor * tf
        for term, wtf in weighted.items():
            ids[term].append(doc_id)
            wtfs[term].append(wtf)
        counted[doc_id] = []  # free as we go

    # Pass 3: BM25 saturation and idf, quantised; shards sized for ~10-15 KB downloads.
    size = {"h": 0, "w": 0}
    for term, plist in ids.items():
        size["h" if _cjk_term(term) else "w"] += len(term) * 3 + 8 + 9 * len(plist)
    counts = {k: min(4096, _next_pow2(v / SHARD_TARGET)) for k, v in size.items()}
    # Every shard exists, even an empty one: the browser may ask for any of them.
    shards: dict[str, dict[str, list[int]]] = {f"h{k}": {} for k in range(counts["h"])}
    shards.update({f"w{k}": {} for k in range(counts["w"])})
    k1p = K1 + 1
    _checkpoint(cancel)
    for term in sorted(ids):
        doc_ids, term_wtfs = ids[term], wtfs[term]
        df = len(doc_ids)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) * 100
        flat: list[int] = []
        last = 0
        for doc_id, wtf in zip(doc_ids, term_wtfs, strict=True):
            flat.append(doc_id - last)
            flat.append(max(1, round(idf * wtf * k1p / (wtf + K1))))
            last = doc_id
        shards[shard_of(term, counts["h"], counts["w"])][term] = flat
    manifest = {"version": VERSION, "entries": n, "cjk_shards": counts["h"],
                "word_shards": counts["w"]}
    return {"manifest": manifest, **shards}


def _cjk_term(term: str) -> bool:
    return shard_of(term, 1, 1).startswith("h")


def _gz(obj) -> bytes:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(data, compresslevel=6, mtime=0)


def _fragment_json(item: Entry) -> bytes:
    fragment = {"t": item.title, "u": item.url, "d": item.date, "s": item.section,
                "h": [list(h) for h in item.headings], "x": item.text[:MAX_TEXT]}
    return json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_outputs(site: Site, config: SiteConfig, memo=None, cancel=None) -> list:
    """The search index as outputs: one file per result (reused, via ``memo``, when unchanged)
    and a bundle that makes the shards and the manifest (see :mod:`digestgen.write`)."""
    from digestgen.write import Bundle

    items = entries(site, config)
    outputs: list = []
    keys = []
    for doc_id, item in enumerate(items):
        if doc_id % 256 == 0:
            _checkpoint(cancel)
        raw = _fragment_json(item)
        key = hashlib.blake2b(raw, digest_size=16).hexdigest()
        keys.append(key)
        path = f"search/f/{doc_id}.json.gz"

        def produce(raw: bytes = raw) -> bytes:
            return gzip.compress(raw, compresslevel=6, mtime=0)

        outputs.append(memo.output(path, key, produce) if memo is not None
                       else Output(path, render=produce))

    def shards_and_manifest() -> list[Output]:
        shards = build_index(items, cancel)
        _checkpoint(cancel)
        manifest = shards.pop("manifest")
        files = [Output(f"search/{name}.json.gz", _gz(data))
                 for name, data in sorted(shards.items())]
        digest = hashlib.sha256()
        for out in files:
            digest.update(out.path.encode())
            digest.update(out.data or b"")
        for key in keys:  # the results' files, by content
            digest.update(key.encode())
        manifest["hash"] = digest.hexdigest()[:16]
        return [Output("search/manifest.json",
                       json.dumps(manifest, separators=(",", ":")).encode()), *files]

    return [Bundle("search/", shards_and_manifest), *outputs]


def render_search_index(site: Site, config: SiteConfig, cancel=None) -> list[Output]:
    """All files of the search index, rendered."""
    from digestgen.write import Bundle

    out: list[Output] = []
    for item in search_outputs(site, config, cancel=cancel):
        if isinstance(item, Bundle):
            out.extend(item.produce())
        else:
            out.append(Output(item.path, data=item.bytes()))
    return out
