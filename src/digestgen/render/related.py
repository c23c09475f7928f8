"""Related documents: those sharing the most (and the rarest) tags, categories and title words.

Deterministic: the same site gives the same lists, ties broken by date and then path. Each
document looks only at the documents nearest to it in time among those sharing a feature, so
a tag on half of 50,000 posts costs a window, not the half.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict

from digestgen.model import Link, Page, Site

# Neighbours in time looked at per shared feature.
WINDOW = 24
# Weights: a shared tag says more than a shared category, which says more than a title word.
_TAG, _CATEGORY, _WORD = 2.0, 1.0, 1.0
# Below this, what two documents share is chance (one common word).
MIN_SCORE = 2.0

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_WORD_RE = re.compile(r"[^\W_\uac00-\ud7a3]{2,}")
_STOP = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into",
                   "is", "it", "its", "of", "on", "or", "the", "this", "to", "with", "what",
                   "how", "why", "new", "vs", "via"})


def features(page: Page) -> set[str]:
    """A document's features: its tags and categories, and its title's words (Latin words,
    and Hangul as two-syllable pieces, which match across particles and compounds)."""
    doc = page.doc
    out = {"#" + t.url for t in page.tags} | {"@" + c.url for c in page.categories}
    title = unicodedata.normalize("NFKC", doc.title).lower()
    out.update("w" + w for w in _WORD_RE.findall(title) if w not in _STOP and not w.isdigit())
    for run in _HANGUL_RUN.findall(title):
        if len(run) == 1:
            continue
        out.update("w" + run[i:i + 2] for i in range(len(run) - 1))
    return out


def related_links(site: Site, limit: int) -> dict[str, tuple[Link, ...]]:
    """Up to ``limit`` related documents for each document (pages at the top level take no
    part), by source."""
    pages = [p for p in site.pages if p.doc.kind != "page"]
    if limit <= 0 or len(pages) < 2:
        return {}
    feats = [features(p) for p in pages]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, fs in enumerate(feats):  # site.pages is newest first: postings are in time order
        for f in fs:
            postings[f].append(i)
    n = len(pages)
    weight = {f: (_TAG if f[0] == "#" else _CATEGORY if f[0] == "@" else _WORD)
              * math.log(1 + n / len(ids)) for f, ids in postings.items() if len(ids) > 1}
    where: dict[str, dict[int, int]] = {}
    out: dict[str, tuple[Link, ...]] = {}
    for i, fs in enumerate(feats):
        scores: dict[int, float] = defaultdict(float)
        for f in fs:
            w = weight.get(f)
            if w is None:
                continue
            ids = postings[f]
            if len(ids) <= 2 * WINDOW + 1:
                near = ids
            else:
                index = where.get(f)
                if index is None:
                    index = where[f] = {d: k for k, d in enumerate(ids)}
                k = index[i]
                near = ids[max(0, k - WINDOW): k + WINDOW + 1]
            for j in near:
                if j != i:
                    scores[j] += w
        best = sorted((j for j, s in scores.items() if s >= MIN_SCORE),
                      key=lambda j: (-round(scores[j], 9), _age(pages[j], pages[i]),
                                     pages[j].doc.source))[:limit]
        if best:
            out[pages[i].doc.source] = tuple(Link(pages[j].doc.title, pages[j].url)
                                             for j in best)
    return out


def _age(other: Page, page: Page) -> float:
    """How far apart two documents are in time (undated ones count as far)."""
    if other.doc.date is None or page.doc.date is None:
        return math.inf
    return abs((other.doc.date - page.doc.date).total_seconds())
