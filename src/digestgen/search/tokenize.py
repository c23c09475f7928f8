"""The search tokenizer. The browser runs the same rules (``static/js/search.js``).

Korean words carry particles and compound without spaces ("허깅페이스의", "세이프텐서를"), so a
run of Hangul (or other CJK script) is indexed as its overlapping character bigrams, its single
characters (for one-syllable queries) and, marked with ``=``, the whole run (an exact-word
bonus). Each emoji is a term of its own (a flag, two regional indicators, is one; skin tones,
variation selectors and zero-width joiners only join, so 👩🏽‍💻 is 👩 and 💻). Everything else
that is a letter or digit forms words, lower-cased, matched by prefix. Text is NFKC-normalised
first: full-width letters become ASCII, compatibility jamo become jamo.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import add

VERSION = 2


_CJK_RANGES = (
    "\uac00-\ud7a3"  # Hangul syllables
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff"  # Hangul jamo
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\U00020000-\U000323af"  # CJK ideographs, extensions B to H
)
# Emoji (Unicode's Extended_Pictographic, less the few that NFKC turns into letters, and less the
# skin-tone modifiers U+1F3FB–1F3FF, which only modify). static/js/search.js lists the same.
_EMOJI_RANGES = (
    "\u203c\u2049\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3"
    "\u23f8-\u23fa\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935"
    "\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff"
)
_FLAGS = "\U0001f1e6-\U0001f1ff"  # regional indicators: a flag is a pair
# A run of CJK characters, a run of other letters and digits (L* and N*: Python's \w less the
# underscore; the browser tests /[\p{L}\p{N}]/u), or an emoji (a few, like ➀, are also digits:
# emoji here, as in the browser, which tests for emoji first).
_SEGMENT_RE = re.compile(
    f"([{_CJK_RANGES}]+)|([^\\W_{_CJK_RANGES}{_EMOJI_RANGES}{_FLAGS}]+)"
    f"|([{_FLAGS}]{{1,2}}|[{_EMOJI_RANGES}])")
_CJK_RE = re.compile(f"[{_CJK_RANGES}]")
_EMOJI_RE = re.compile(f"[{_EMOJI_RANGES}{_FLAGS}]")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _is_emoji(ch: str) -> bool:
    return bool(_EMOJI_RE.match(ch))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one kind in normalised text ("cjk", "emoji" or "word"), with its position."""

    text: str
    start: int
    kind: str

    @property
    def cjk(self) -> bool:
        return self.kind == "cjk"


_KINDS = ("cjk", "word", "emoji")  # the groups of _SEGMENT_RE


def segments(text: str) -> Iterator[Segment]:
    """Runs of CJK characters, emoji and runs of other word characters in already-normalised
    ``text``."""
    for m in _SEGMENT_RE.finditer(text):
        k = m.lastindex
        yield Segment(m.group(k), m.start(), _KINDS[k - 1])


def index_terms(text: str, *, exact: bool = True) -> list[str]:
    """Every term ``text`` contributes to the index, with repeats (for term frequency).

    ``exact=False`` leaves out the ``=``whole runs (the body field does not need them).
    """
    out: list[str] = []
    extend, append = out.extend, out.append
    for run, word, emoji in _SEGMENT_RE.findall(normalize(text)):
        if not run:
            append(word or emoji)
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
    add_counts(counts, text, exact=exact)
    return counts


def add_counts(counts: dict[str, int], text: str, *, exact: bool = True,
               first: dict[str, int] | None = None, chunk: int = 0,
               elsewhere: dict[str, int] | None = None) -> None:
    """Add the terms of ``text`` to ``counts`` (as :func:`index_counts` counts them).

    With ``first`` and a ``chunk`` past the first, note ``chunk`` in ``first`` for each term
    seen for the first time: in neither ``counts``, ``elsewhere`` (another field's counts) nor
    ``first`` yet. Chunks added in order, ``first`` then holds each term's first chunk; a term
    not in it first occurs in chunk 0."""
    get = counts.get
    runs = Counter(_SEGMENT_RE.findall(normalize(text)))
    if first is None or not chunk:
        for (run, word, emoji), n in runs.items():
            if not run:
                term = word or emoji
                counts[term] = get(term, 0) + n
                continue
            for ch in run:
                counts[ch] = get(ch, 0) + n
            for k in range(len(run) - 1):
                pair = run[k : k + 2]
                counts[pair] = get(pair, 0) + n
            if exact:
                whole = "=" + run
                counts[whole] = get(whole, 0) + n
        return
    other = elsewhere if elsewhere is not None else {}
    for (run, word, emoji), n in runs.items():
        if not run:
            term = word or emoji
            had = get(term)
            if had is None:
                counts[term] = n
                if term not in first and term not in other:
                    first[term] = chunk
            else:
                counts[term] = had + n
            continue
        for term in (*run, *map(add, run, run[1:]), *(("=" + run,) if exact else ())):
            had = get(term)
            if had is None:
                counts[term] = n
                if term not in first and term not in other:
                    first[term] = chunk
            else:
                counts[term] = had + n


@dataclass(frozen=True, slots=True)
class QueryPart:
    """One run of a query: a word (prefix-matched), a CJK run (its bigrams, or unigram) or an
    emoji (itself)."""

    text: str
    kind: str  # "cjk", "emoji" or "word"

    @property
    def cjk(self) -> bool:
        return self.kind == "cjk"

    @property
    def terms(self) -> list[str]:
        if not self.cjk or len(self.text) == 1:
            return [self.text]
        return [self.text[k : k + 2] for k in range(len(self.text) - 1)]


def query_parts(query: str) -> list[QueryPart]:
    """How a query is read: its runs, in order, duplicates dropped."""
    seen: set[tuple[str, str]] = set()
    parts = []
    for seg in segments(normalize(query)):
        key = (seg.text, seg.kind)
        if key not in seen:
            seen.add(key)
            parts.append(QueryPart(seg.text, seg.kind))
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
    """Whether ``term`` lives in a hashed shard (``h…``: CJK terms and emoji, looked up whole)
    rather than a word shard (``w…``: words, looked up by prefix)."""
    return term.startswith("=") or _is_cjk(term[0]) or _is_emoji(term[0])


def shard_of(term: str, cjk_shards: int, word_shards: int) -> str:
    """The shard file a term lives in. Words are grouped by their first two characters (code
    points) so a prefix query finds all its words in one shard; a whole CJK run (``=…``) goes
    with its first bigram, which the query fetches anyway."""
    if term.startswith("="):  # a whole run lives beside its first bigram: no extra fetch
        return f"h{fnv1a(term[1:3]) % cjk_shards}"
    if is_cjk_term(term):
        return f"h{fnv1a(term) % cjk_shards}"
    return f"w{fnv1a(term[:2]) % word_shards}"
