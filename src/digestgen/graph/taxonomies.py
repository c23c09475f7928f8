"""Tags, categories and the brief articles listed under them."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from digestgen.graph.placement import Placed
from digestgen.model import ArticleRef, Document, Page, Term, TermLink
from digestgen.urls import term_slug, url


def unique_slugs(names: tuple[str, ...]) -> list[str]:
    """``names`` with one spelling per slug (``LLM`` and ``llm`` are one term)."""
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(term_slug(n), n)
    return list(seen.values())


def article_categories(doc: Document) -> list[str]:
    """The categories a brief's articles carry."""
    return [a.category for a in (doc.brief.articles if doc.brief else ()) if a.category]


def group_terms(placed: list[Placed], attr: str, extra=None
                ) -> tuple[dict[str, list[Placed]], dict[str, str]]:
    """Documents by term slug, and each slug's display name (``extra`` adds spellings only)."""
    groups: dict[str, list[Placed]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for p in placed:
        for name in unique_slugs(getattr(p.doc, attr)):
            groups[term_slug(name)].append(p)
        for name in [*getattr(p.doc, attr), *(extra(p.doc) if extra else ())]:
            spellings[term_slug(name)][name] += 1
    display = {}
    for slug, counts in spellings.items():
        # The most used spelling; on a tie, the one with more capitals (LLM over llm).
        display[slug] = min(counts, key=lambda s: (-counts[s], -sum(c.isupper() for c in s), s))
    return groups, display


@lru_cache(maxsize=65536)
def term_link(taxonomy: str, name: str, base: str) -> TermLink:
    """The link to a term's page."""
    return TermLink(name, url(base, f"{taxonomy}/{term_slug(name)}/"))


def page_term_links(doc: Document, tag_display: dict[str, str], cat_display: dict[str, str],
                    base: str) -> tuple[tuple[TermLink, ...], tuple[TermLink, ...]]:
    """A document's tag and category links, each term spelled as its page is."""
    return (tuple(term_link("tags", tag_display[term_slug(t)], base)
                  for t in unique_slugs(doc.tags)),
            tuple(term_link("categories", cat_display[term_slug(c)], base)
                  for c in unique_slugs(doc.categories)))


def article_refs(pages: list[Page]) -> dict[str, list[ArticleRef]]:
    """Brief articles by category slug: they are listed under their categories too."""
    articles: dict[str, list[ArticleRef]] = defaultdict(list)
    for pg in pages:
        for article in (pg.doc.brief.articles if pg.doc.brief else ()):
            if article.category:
                articles[term_slug(article.category)].append(ArticleRef(
                    pg, article.title, article.anchor, article.category, article.summary,
                    article.html))
    return articles


def terms(groups: dict[str, list[Placed]], display: dict[str, str], taxonomy: str,
          extra: dict[str, list[ArticleRef]], page_of: dict[str, Page], base: str
          ) -> tuple[Term, ...]:
    """The terms of a taxonomy, by display name, each with its pages and articles."""
    out = []
    for slug in sorted({*groups, *extra}, key=lambda s: (display[s].casefold(), s)):
        path = f"{taxonomy}/{slug}/"
        out.append(Term(taxonomy, display[slug], slug, path, url(base, path),
                        tuple(page_of[q.doc.source] for q in groups.get(slug, ())),
                        tuple(extra.get(slug, ()))))
    return tuple(out)
