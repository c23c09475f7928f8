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

# Neighbours in time looked at per shared feature, and features looked at per document.
WINDOW = 6
MOST = 8
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
    # Sorted, so that scores are summed in one order on every run (floats).
    feats = [sorted(features(p)) for p in pages]
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
        # The rarest features say the most; a document's many common ones add little.
        mine = sorted((f for f in fs if f in weight), key=lambda f: (-weight[f], f))[:MOST]
        scores: dict[int, float] = defaultdict(float)
        for f in mine:
            w = weight[f]
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
                scores[j] += w
        scores.pop(i, None)
        # Highest score; then nearest in time (pages are in date order), then page order.
        best = sorted([(-s, abs(j - i), j) for j, s in scores.items() if s >= MIN_SCORE])[:limit]
        if best:
            out[pages[i].doc.source] = tuple(Link(pages[j].doc.title, pages[j].url)
                                             for _, _, j in best)
    return out
