"""The static search index: built with the site, fetched piece by piece by the browser, and
updated in place when a few documents change.

Layout (under ``search/``):
- ``manifest.json``: format, entry count, shard counts, a content hash.
- ``h<N>.json.gz``: postings of CJK terms (bigrams, unigrams, ``=``whole runs) and emoji, by
  term hash.
- ``w<N>.json.gz``: postings of words, grouped by their first two characters (prefix queries
  find every word they extend in one shard).
- ``norms.json.gz``: each entry's body length, quantised (BM25's length normalisation).
- ``f/<id>.json.gz``, ``f/<id>-<k>.json.gz``: one entry's title, URL, date, section, and one
  chunk of its text, the first or the k-th, with the headings there (for the result line and
  its highlighted snippet), fetched only for results shown, and only the chunk the query's
  terms point to (see :mod:`digestgen.search.text`).

A posting is ``[entry id delta, value]``. The value holds what is local to the entry and the
term: the chunk of the entry's text where the term first occurs (``value % 16``), and, of
``value // 16``, the body term frequency (``% 1024``) and the term's BM25F weight in the short
fields, title > tags > headings > code blocks (``// 1024``, in eighths; a word met only in code
still finds its page, below pages whose prose has it). The browser adds what is
global: idf from the posting list's length and the entry count, and the body's length
normalisation from ``norms``. So a posting list changes only when one of its entries' own use
of the term changes, and an edit rewrites only the shards holding the terms it touched. Entry
ids run oldest first (see :mod:`digestgen.search.entries`), so a new post appends.

Everything is text: the browser never inserts any of it as HTML. The files are a pure function
of the site: an index updated in place is byte for byte the index built afresh.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from digestgen.config import SiteConfig
from digestgen.dates import format_date
from digestgen.model import Document, Site
from digestgen.outputs import Output
from digestgen.search.entries import FIELDS, Entry, entries, entry_fields
from digestgen.search.text import MAX_CHUNKS, chunks
from digestgen.search.tokenize import VERSION, add_counts, index_counts, is_cjk_term, shard_of

FORMAT = 3
FIELD_WEIGHTS = (4.0, 2.5, 1.8, 0.25)  # title, tags, headings, code; the body weighs 1
_EXACT = 3  # whole-run (=) terms in the first three fields only
K1, B = 1.2, 0.75
TF_CAP = 1023
VALUE_BASE = 1024
SHORT_STEPS = 8  # the short-field weight is kept in eighths
CHUNKS = MAX_CHUNKS  # a value's chunk: value % CHUNKS
NORM_SCALE = 32  # quantised body length: round(NORM_SCALE * log2(1 + length))
# Roughly this many bytes of JSON per shard before gzip (3–5 KB over the wire): a query reads
# one shard per term, and all of it.
SHARD_TARGET = 12_000
_BODY = len(FIELDS) - 1
_CODE = _BODY - 1


class Cancelled(Exception):
    """A newer build superseded this index build (serve)."""


def checkpoint(cancel) -> None:
    """Raise :class:`Cancelled` once ``cancel`` (a threading.Event, or None) is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled


# -- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Analysis:
    lengths: tuple[int, ...]  # terms per field
    counts: tuple[Counter, ...]  # term frequencies per field
    first: dict[str, int]  # a term's first chunk of the text, when not the first


def _analyse(fields: tuple[str, ...]) -> _Analysis:
    counts: list[Counter] = []
    for k in range(_CODE):
        # Whole-run terms give an exact-word bonus in titles, tags and headings; in the body
        # and code they would double the index for little gain.
        counts.append(index_counts(fields[k], exact=k < _EXACT) if fields[k] else Counter())
    # The body and the code, chunk by chunk, noting where each term first occurs.
    code, body = Counter(), Counter()
    first: dict[str, int] = {}
    for i, (prose, source) in enumerate(chunks(fields[_BODY], fields[_CODE])):
        # A term first met past the chunks kept for snippets points to the first.
        noted = first if i < CHUNKS else None
        if prose:
            add_counts(body, prose, exact=False, first=noted, chunk=i)
        if source:
            add_counts(code, source, exact=False, first=noted, chunk=i, elsewhere=body)
    counts += (code, body)
    return _Analysis(tuple(c.total() for c in counts), tuple(counts), first)


def _averages(lengths: Iterable[tuple[int, ...]], n: int) -> tuple[float, ...]:
    """The short fields' average lengths, rounded to quarter octaves, so that an edit rarely
    moves them (a move means every posting is rewritten)."""
    totals = [0] * _BODY
    for row in lengths:
        for k in range(_BODY):
            totals[k] += row[k]
    out = []
    for total in totals:
        mean = total / n if n else 0.0
        out.append(2 ** (round(math.log2(mean) * 4) / 4) if mean > 0 else 1.0)
    return tuple(out)


def _short_weights(lengths: tuple[int, ...], counts: tuple[Counter, ...],
                   averages: tuple[float, ...]) -> dict[str, float]:
    """Each term's BM25F weight in the short fields (title, tags, headings) of one entry."""
    short: dict[str, float] = {}
    for k in range(_BODY):
        length = lengths[k]
        if not length:
            continue
        factor = FIELD_WEIGHTS[k] / (1 - B + B * length / averages[k])
        for term, tf in counts[k].items():
            short[term] = short.get(term, 0.0) + factor * tf
    return short


def _short_value(weight: float) -> int:
    return VALUE_BASE * max(1, round(weight * SHORT_STEPS))


def _record(analysis: _Analysis, averages: tuple[float, ...]) -> dict[str, int]:
    """Term → posting value for one entry (see the module's docstring)."""
    body = analysis.counts[_BODY]
    record = {t: CHUNKS * min(c, TF_CAP) for t, c in body.items()}
    for term, weight in _short_weights(analysis.lengths, analysis.counts, averages).items():
        record[term] = record.get(term, 0) + CHUNKS * _short_value(weight)
    for term, chunk in analysis.first.items():
        record[term] += chunk
    return record


def _norm(length: int) -> int:
    return round(NORM_SCALE * math.log2(1 + length))


def _term_size(term: str) -> int:
    return len(term) * 3 + 8  # bytes of JSON a term adds to its shard, roughly


POSTING_SIZE = 10  # bytes of JSON a posting adds, roughly


def _shard_counts(size: dict[str, int]) -> tuple[int, int]:
    def count(v: int) -> int:
        return min(4096, 1 << max(0, math.ceil(math.log2(max(v / SHARD_TARGET, 1)))))

    return count(size["h"]), count(size["w"])


def _shard_bytes(terms: dict[str, list[int]]) -> bytes:
    data = json.dumps(terms, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(data.encode("utf-8"), compresslevel=6, mtime=0)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# -- the index and what the next build needs of it --------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What building the postings learnt (in a worker process, for a whole index)."""

    lengths: tuple[tuple[int, ...], ...]  # per entry, terms per field
    averages: tuple[float, ...]
    size: dict[str, int]  # estimated JSON bytes of CJK ("h") and word ("w") postings
    shards: dict[str, str]  # shard name → digest of its file


@dataclass(frozen=True, slots=True)
class IndexState:
    """An index as built, for updating it in place: its entries (uid, digest of the fields)
    and its stats. What an edited entry used to hold is read off the documents of the build
    that made this index (see :func:`old_fields`)."""

    format: int
    uids: tuple[str, ...]
    digests: tuple[str, ...]
    stats: IndexStats
    # (uid, document key, URL, section) → (result file key, fields digest): what an entry of
    # an unchanged document gives, without serialising it again.
    known: dict = field(default_factory=dict)


def old_fields(prev: IndexState, documents: Mapping[str, Document]
               ) -> Callable[[int], tuple[str, ...] | None]:
    """Entry id → its fields in ``prev``, from ``documents``, the documents of the build that
    made ``prev`` (None when a document is gone or does not give what the index holds)."""
    memo: dict[str, list] = {}

    def fields(i: int) -> tuple[str, ...] | None:
        source, _, k = prev.uids[i].rpartition("#")
        doc = documents.get(source)
        if doc is None:
            return None
        if source not in memo:
            memo[source] = entry_fields(doc)
        found = memo[source]
        if int(k) >= len(found) or _fields_digest(found[int(k)]) != prev.digests[i]:
            return None
        return found[int(k)]

    return fields


def _fields_digest(fields: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for text in fields:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def build_postings(fields: Sequence[tuple[str, ...]], cancel=None
                   ) -> tuple[dict[str, bytes], IndexStats]:
    """The whole index from every entry's fields: shard name → file bytes, and its stats."""
    n = len(fields)
    # Posting lists as [id, value, …] in id order; ids become deltas below. The body's term
    # frequencies go in as each entry is read and its counts are dropped (they are most of
    # the index's memory); the short fields' weights need the average lengths of all entries,
    # so those few terms keep a pointer to their value and are added once every entry is read.
    postings: dict[str, list[int]] = {}
    get = postings.get
    lengths: list[tuple[int, ...]] = []
    pending: list = []
    for doc_id, f in enumerate(fields):
        if doc_id % 256 == 0:
            checkpoint(cancel)
        analysis = _analyse(f)
        lengths.append(analysis.lengths)
        body = analysis.counts[_BODY]
        chunk = analysis.first.get
        for term, tf in body.items():
            value = CHUNKS * (tf if tf < TF_CAP else TF_CAP) + chunk(term, 0)
            plist = get(term)
            if plist is None:
                postings[term] = [doc_id, value]
            else:
                plist += (doc_id, value)
        # The short fields' terms: this entry's posting is the last of each list.
        terms: list[str] = []
        lists: list[list[int]] = []
        seen: set[str] = set()
        for counts in analysis.counts[:_BODY]:
            for term in counts:
                if term in seen:
                    continue
                seen.add(term)
                plist = get(term)
                if term not in body:
                    if plist is None:
                        plist = postings[term] = [doc_id, chunk(term, 0)]
                    else:
                        plist += (doc_id, chunk(term, 0))
                terms.append(term)
                lists.append(plist)
        pending.append((analysis.counts[:_BODY], terms, lists,
                        [len(plist) - 1 for plist in lists]))
    averages = _averages(lengths, n)
    for doc_id, (short, terms, lists, places) in enumerate(pending):
        if doc_id % 256 == 0:
            checkpoint(cancel)
        weights = _short_weights(lengths[doc_id], short, averages)
        for term, plist, place in zip(terms, lists, places, strict=True):
            plist[place] += CHUNKS * _short_value(weights[term])
        pending[doc_id] = None  # free as we go
    checkpoint(cancel)
    size = {"h": 0, "w": 0}
    for term, plist in postings.items():
        if len(plist) > 2:
            ids = plist[0::2]
            plist[2::2] = map(operator.sub, ids[1:], ids[:-1])
        size["h" if is_cjk_term(term) else "w"] += (_term_size(term)
                                                    + POSTING_SIZE * (len(plist) // 2))
    counts = _shard_counts(size)
    # Every shard exists, even an empty one: the browser may ask for any of them.
    shards: dict[str, dict[str, list[int]]] = {f"h{k}": {} for k in range(counts[0])}
    shards.update({f"w{k}": {} for k in range(counts[1])})
    for term, plist in postings.items():
        shards[shard_of(term, *counts)][term] = plist
    checkpoint(cancel)
    files = {name: _shard_bytes(terms) for name, terms in shards.items()}
    return files, IndexStats(tuple(lengths), averages, size,
                             {name: _digest(data) for name, data in files.items()})


def update_postings(prev: IndexState, uids: tuple[str, ...], digests: tuple[str, ...],
                    fields: Sequence[tuple[str, ...]], read: Callable[[str], bytes | None],
                    before: Callable[[int], tuple[str, ...] | None],
                    ) -> tuple[dict[str, bytes], IndexStats] | None:
    """The index of ``fields`` made from ``prev`` by patching the shards whose terms changed:
    every shard's file bytes, and the stats. None when that cannot be done (entries reordered
    or removed from the middle, averages or shard counts moved, a previous shard missing or
    not what it was), and the index must be built afresh. ``read(name)`` gives a shard file
    of the previous build, ``before(id)`` an entry's fields in it."""
    old_n, n = len(prev.uids), len(uids)
    common = min(old_n, n)
    if prev.format != FORMAT or uids[:common] != prev.uids[:common]:
        return None
    counts = _shard_counts(prev.stats.size)
    previous: dict[str, bytes] = {}
    for name, digest in prev.stats.shards.items():
        data = read(name)
        if data is None or _digest(data) != digest:
            return None
        previous[name] = data
    if len(previous) != counts[0] + counts[1]:
        return None

    edited = [i for i in range(common) if digests[i] != prev.digests[i]]
    old = {}
    for i in (*edited, *range(common, old_n)):
        was = before(i)
        if was is None:
            return None
        old[i] = _analyse(was)
    new = {i: _analyse(fields[i]) for i in (*edited, *range(common, n))}
    lengths = list(prev.stats.lengths[:n])
    for i, analysis in new.items():
        if i < len(lengths):
            lengths[i] = analysis.lengths
        else:
            lengths.append(analysis.lengths)
    averages = _averages(lengths, n)
    if averages != prev.stats.averages:
        return None

    # term → {entry id: new value, or None to drop the posting}
    changes: dict[str, dict[int, int | None]] = {}
    for i in sorted(old.keys() | new.keys()):
        before = _record(old[i], averages) if i in old else {}
        after = _record(new[i], averages) if i in new else {}
        for term in before.keys() | after.keys():
            value = after.get(term)
            if before.get(term) != value:
                changes.setdefault(term, {})[i] = value

    by_shard: dict[str, list[str]] = {}
    for term in changes:
        by_shard.setdefault(shard_of(term, *counts), []).append(term)
    size = dict(prev.stats.size)
    files = dict(previous)
    for name, terms_changed in by_shard.items():
        shard = json.loads(gzip.decompress(previous[name]))
        for term in terms_changed:
            kind = "h" if is_cjk_term(term) else "w"
            postings = _decode(shard.get(term, ()))
            before = len(postings)
            for i, value in changes[term].items():
                if value is None:
                    postings.pop(i, None)
                else:
                    postings[i] = value
            size[kind] += POSTING_SIZE * (len(postings) - before)
            if postings and not before:
                size[kind] += _term_size(term)
            elif before and not postings:
                size[kind] -= _term_size(term)
            if postings:
                shard[term] = _encode(postings)
            else:
                shard.pop(term, None)
        files[name] = _shard_bytes(shard)
    if _shard_counts(size) != counts:
        return None
    shards = {name: (_digest(data) if name in by_shard else prev.stats.shards[name])
              for name, data in files.items()}
    return files, IndexStats(tuple(lengths), averages, size, shards)


def _decode(flat) -> dict[int, int]:
    out: dict[int, int] = {}
    doc_id = 0
    for k in range(0, len(flat), 2):
        doc_id += flat[k]
        out[doc_id] = flat[k + 1]
    return out


def _encode(postings: dict[int, int]) -> list[int]:
    flat: list[int] = []
    last = 0
    for doc_id in sorted(postings):
        flat.append(doc_id - last)
        flat.append(postings[doc_id])
        last = doc_id
    return flat


# -- files -----------------------------------------------------------------------------------


# The last entry's result files: its chunks are written one by one, each asking for them.
_recent_fragments: tuple = (None, None, [])


def _fragments_json(item: Entry, fields: tuple[str, ...], date_format: str) -> list[bytes]:
    """The result files of an entry (whose ``fields`` are given): one per chunk of its text."""
    global _recent_fragments
    recent = _recent_fragments
    if recent[0] is item and recent[1] == date_format:
        return recent[2]
    out = _make_fragments(item, fields, date_format)
    _recent_fragments = (item, date_format, out)
    return out


def _make_fragments(item: Entry, fields: tuple[str, ...], date_format: str) -> list[bytes]:
    when = item.when
    meta = {"t": item.title, "u": item.url, "d": when.date().isoformat() if when else "",
            "f": format_date(when, date_format) if when else "", "s": item.section}
    return [json.dumps({**meta, "h": [list(h) for h in headings], "x": text},
                       ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for text, headings in item.snippets(fields)]


def fragment_path(doc_id: int, chunk: int) -> str:
    """Where the result file of an entry's chunk is (static/js/search.js asks for it there)."""
    return f"search/f/{doc_id}.json.gz" if chunk == 0 else f"search/f/{doc_id}-{chunk}.json.gz"


def _index_files(shards: dict[str, bytes], stats: IndexStats, n: int,
                 fragment_keys: list[str], unchanged: frozenset[str] = frozenset(),
                 ) -> list[Output]:
    """Manifest, norms and shards as outputs (``unchanged`` shards marked reusable)."""
    norms = json.dumps([_norm(row[_BODY]) for row in stats.lengths],
                       separators=(",", ":")).encode()
    norms_gz = gzip.compress(norms, compresslevel=6, mtime=0)
    digest = hashlib.sha256()
    for name in sorted(stats.shards):
        digest.update(f"{name}\0{stats.shards[name]}\0".encode())
    digest.update(_digest(norms_gz).encode())
    for key in fragment_keys:  # the results' files, by content
        digest.update(key.encode())
    counts = _shard_counts(stats.size)
    manifest = {"version": FORMAT, "tokenizer": VERSION, "entries": n,
                "cjk_shards": counts[0], "word_shards": counts[1],
                "hash": digest.hexdigest()[:16]}
    files = [Output("search/manifest.json", json.dumps(manifest, separators=(",", ":")).encode()),
             Output("search/norms.json.gz", norms_gz)]
    for name in sorted(shards):
        files.append(Output(f"search/{name}.json.gz", shards[name], reuse=name in unchanged))
    return files


@dataclass
class SearchPlan:
    """The search index of one build: ``outputs`` to write (files, or a bundle a worker
    renders), and :meth:`state`, the index state for the next build once they are written."""

    outputs: list
    uids: tuple[str, ...]
    digests: tuple[str, ...]
    known: dict
    stats: IndexStats | None = None  # known now, when the index was updated in place
    incremental: bool = False

    def state(self, payloads: dict | None = None) -> IndexState | None:
        stats = self.stats or (payloads or {}).get(BUNDLE_PREFIX)
        if stats is None:
            return None
        return IndexState(FORMAT, self.uids, self.digests, stats, self.known)


BUNDLE_PREFIX = "search/"


def plan_search(site: Site, config: SiteConfig, memo=None, prev: IndexState | None = None,
                read: Callable[[str], bytes | None] | None = None,
                documents: Mapping[str, Document] | None = None, cancel=None,
                doc_keys: Mapping[str, str] | None = None) -> SearchPlan:
    """The search index as outputs: one file per result (reused, via ``memo``, when unchanged),
    and the postings: patched from ``prev`` (whose shard files ``read`` gives, and whose
    build's documents are ``documents``) when only some entries changed, else a bundle that
    builds them all (see :mod:`digestgen.write`). ``doc_keys`` (source → content key) lets
    the entries of unchanged documents skip serialising."""
    from digestgen.write import Bundle

    items = entries(site, config)
    date_format = config.effective_date_format
    before = prev.known if prev is not None and doc_keys is not None else {}
    known: dict = {}
    outputs: list = []
    # Worked out once, for the entries whose files or postings are made afresh.
    fields = _Fields(items)
    keys: list[str] = []
    digests = []
    for doc_id, item in enumerate(items):
        if doc_id % 256 == 0:
            checkpoint(cancel)
        memo_key = None
        if doc_keys is not None:
            source = item.uid.rpartition("#")[0]
            memo_key = (item.uid, doc_keys.get(source), item.url, item.section)
        found = before.get(memo_key)
        if found is None:
            f = fields[doc_id]
            found = (tuple(map(_digest, _fragments_json(item, f, date_format))),
                     _fields_digest(f))
        if memo_key is not None:
            known[memo_key] = found
        keys.extend(found[0])
        digests.append(found[1])

        def produce(item: Entry = item, doc_id: int = doc_id, chunk: int = 0) -> bytes:
            fragment = _fragments_json(item, fields[doc_id], date_format)[chunk]
            return gzip.compress(fragment, compresslevel=6, mtime=0)

        for chunk, key in enumerate(found[0]):
            path = fragment_path(doc_id, chunk)
            make = functools.partial(produce, chunk=chunk)
            outputs.append(memo.output(path, key, make) if memo is not None
                           else Output(path, render=make))
    uids = tuple(item.uid for item in items)
    plan = SearchPlan(outputs, uids, tuple(digests), known)

    updated = None
    if prev is not None and read is not None and documents is not None:
        checkpoint(cancel)
        updated = update_postings(prev, uids, plan.digests, fields, read,
                                  old_fields(prev, documents))
    if updated is not None:
        shards, stats = updated
        unchanged = frozenset(k for k, v in stats.shards.items() if prev.stats.shards.get(k) == v)
        outputs.extend(_index_files(shards, stats, len(items), keys, unchanged))
        plan.stats, plan.incremental = stats, True
        return plan

    def build_all() -> tuple[list[Output], IndexStats]:
        shards, stats = build_postings(fields, cancel)
        checkpoint(cancel)
        return _index_files(shards, stats, len(items), keys), stats

    outputs.insert(0, Bundle(BUNDLE_PREFIX, build_all))
    return plan


class _Fields(Sequence):
    """Each entry's fields, worked out when first asked for (an update asks for a few) and
    kept: the result files, the postings and their digests all read them."""

    def __init__(self, items: list[Entry]):
        self.items = items
        self.known: list = [None] * len(items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        found = self.known[i]
        if found is None:
            found = self.known[i] = self.items[i].fields
        return found


def shard_reader(folder) -> Callable[[str], bytes | None]:
    """Reads the shard files of an index written under ``folder``/search/."""

    def read(name: str) -> bytes | None:
        try:
            return (folder / "search" / f"{name}.json.gz").read_bytes()
        except OSError:
            return None

    return read
