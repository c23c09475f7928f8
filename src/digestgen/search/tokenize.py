"""The search tokenizer. The browser runs the same rules (``static/js/search.js``).

Korean words carry particles and compound without spaces ("허깅페이스의", "세이프텐서를"), so a
run of Hangul (or other CJK script) is indexed as its overlapping character bigrams, its single
characters (for one-syllable queries) and, marked with ``=``, the whole run (an exact-word
bonus). Everything else that is a letter or digit forms words, lower-cased, matched by prefix.
Text is NFKC-normalised first: full-width letters become ASCII, compatibility jamo become jamo.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import add

VERSION = 1


_CJK_RANGES = (
    "\uac00-\ud7a3"  # Hangul syllables
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff"  # Hangul jamo
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
)
# A run of CJK characters, or a run of other letters and digits (L* and N*: Python's \w less
# the underscore; the browser tests /[\p{L}\p{N}]/u).
_SEGMENT_RE = re.compile(f"([{_CJK_RANGES}]+)|([^\\W_{_CJK_RANGES}]+)")
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one script in normalised text, with its position."""

    text: str
    start: int
    cjk: bool


def segments(text: str) -> Iterator[Segment]:
    """Runs of CJK characters and of other word characters in already-normalised ``text``."""
    for m in _SEGMENT_RE.finditer(text):
        if m.group(1):
            yield Segment(m.group(1), m.start(), True)
        else:
            yield Segment(m.group(2), m.start(), False)


def index_terms(text: str, *, exact: bool = True) -> list[str]:
    """Every term ``text`` contributes to the index, with repeats (for term frequency).

    ``exact=False`` leaves out the ``=``whole runs (the body field does not need them).
    """
    out: list[str] = []
    extend, append = out.extend, out.append
    for run, word in _SEGMENT_RE.findall(normalize(text)):
        if not run:
            append(word)
            continue
        extend(run)  # unigrams
        if len(run) > 1:
            extend(map(add, run, run[1:]))  # bigrams
        if exact:
            append("=" + run)
    return out


def index_counts(text: str, *, exact: bool = True) -> Counter:
    """``Counter(index_terms(text, exact=exact))``, each distinct run expanded once: the index
    counts the terms of every entry, and prose repeats its words."""
    counts: Counter = Counter()
    get = counts.get
    for (run, word), n in Counter(_SEGMENT_RE.findall(normalize(text))).items():
        if word:
            counts[word] = get(word, 0) + n
            continue
        for ch in run:
            counts[ch] = get(ch, 0) + n
        for k in range(len(run) - 1):
            pair = run[k : k + 2]
            counts[pair] = get(pair, 0) + n
        if exact:
            whole = "=" + run
            counts[whole] = get(whole, 0) + n
    return counts


@dataclass(frozen=True, slots=True)
class QueryPart:
    """One run of a query: a word (prefix-matched) or a CJK run (its bigrams, or unigram)."""

    text: str
    cjk: bool

    @property
    def terms(self) -> list[str]:
        if not self.cjk:
            return [self.text]
        if len(self.text) == 1:
            return [self.text]
        return [self.text[k : k + 2] for k in range(len(self.text) - 1)]


def query_parts(query: str) -> list[QueryPart]:
    """How a query is read: its runs, in order, duplicates dropped."""
    seen: set[tuple[str, bool]] = set()
    parts = []
    for seg in segments(normalize(query)):
        key = (seg.text, seg.cjk)
        if key not in seen:
            seen.add(key)
            parts.append(QueryPart(seg.text, seg.cjk))
    return parts


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, exactly as the browser computes it."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le")
    for k in range(0, len(data), 2):
        h ^= data[k] | (data[k + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def is_cjk_term(term: str) -> bool:
    """Whether ``term`` lives in a CJK shard (``h…``) rather than a word shard (``w…``)."""
    return term.startswith("=") or _is_cjk(term[0])


def shard_of(term: str, cjk_shards: int, word_shards: int) -> str:
    """The shard file a term lives in. Words are grouped by their first two characters so a
    prefix query finds all its words in one shard; a whole CJK run (``=…``) goes with its first
    bigram, which the query fetches anyway."""
    if term.startswith("="):  # a whole run lives beside its first bigram: no extra fetch
        return f"h{fnv1a(term[1:3]) % cjk_shards}"
    if _is_cjk(term[0]):
        return f"h{fnv1a(term) % cjk_shards}"
    return f"w{fnv1a(term[:2]) % word_shards}"
