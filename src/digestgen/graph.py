"""Documents → :class:`~digestgen.model.Site`: URLs, collisions, links, backlinks, taxonomies.

Everything that needs more than one document happens here, once per build, and it is cheap:
resolving a link is a dictionary lookup. An edit that leaves what the graph is made of alone
patches the graph kept from the last build instead (:func:`patch_site`).
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, error, warning
from digestgen.markdown import PLACEHOLDER_RE, heading_id
from digestgen.model import (
    ArticleRef,
    AssetCopy,
    Document,
    Link,
    Page,
    Ref,
    Section,
    Series,
    SeriesNav,
    Site,
    Term,
    TermLink,
)
from digestgen.urls import (
    UnsafePathError,
    absolute_url,
    alias_site_path,
    expand_permalink,
    safe_site_path,
    slugify,
    term_slug,
    url,
)

# Paths the renderers own; a document there would be overwritten.
_HTML_FILE_RE = re.compile(r"[^/]\.html?$", re.IGNORECASE)
RESERVED = ("tags/", "categories/", "archive/", "page/", "search/", "series/")


@dataclass(frozen=True, slots=True)
class _Placed:
    doc: Document
    path: str


def build_site(
    documents: list[Document],
    files: dict[str, str],
    config: SiteConfig,
    *,
    include_drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    """Place documents at URLs and resolve everything between them."""
    diags: list[Diagnostic] = []
    docs = [d for d in documents if include_drafts or not d.draft]
    base = config.base_path

    # 1. URLs, and collisions between them.
    placed: list[_Placed] = []
    for doc in docs:
        try:
            path = _site_path(doc, config)
        except UnsafePathError as exc:
            diags.append(error(doc.source, 1, f"{exc}"))
            continue
        if not path or any(path.startswith(r) for r in RESERVED) or path in ("404.html",):
            diags.append(
                error(
                    doc.source,
                    1,
                    f"URL /{path} is reserved for digestgen's own pages; "
                    f"set another `slug:` or `url:`",
                )
            )
            continue
        placed.append(_Placed(doc, path))
    placed, collision_diags = _drop_collisions(placed)
    diags.extend(collision_diags)

    by_source = {p.doc.content_path: p for p in placed}
    by_name: dict[str, list[_Placed]] = defaultdict(list)
    by_note: dict[str, list[_Placed]] = defaultdict(list)
    for p in placed:
        folder, _, name = p.doc.content_path.rpartition("/")
        by_name[_fold(name)].append(p)
        stem = name.rsplit(".", 1)[0] if "." in name else name
        if stem.lower() == "index":
            stem = folder.rpartition("/")[2]
        for key in {_fold(stem), _fold(stem.replace("-", " ")), _fold(p.doc.title), p.doc.slug}:
            by_note[key].append(p)
    files_by_name: dict[str, list[str]] = defaultdict(list)
    for rel in files:
        files_by_name[_fold(rel.rpartition("/")[2])].append(rel)

    # 2. Resolve references in each body.
    assets: dict[str, AssetCopy] = {}
    backlinks: dict[str, set[tuple[str, str]]] = defaultdict(set)
    bodies: dict[str, str] = {}
    hrefs: dict[str, tuple[str, ...]] = {}
    for p in placed:
        resolved: list[str] = []
        for ref in p.doc.refs:
            target = _resolve(
                ref, p, by_source, by_name, by_note, files, files_by_name, config, diags, assets
            )
            resolved.append(target)
            if isinstance(target, _DocTarget) and target.placed.doc.source != p.doc.source:
                backlinks[target.placed.doc.source].add((p.doc.title, url(base, p.path)))
        hrefs[p.doc.source] = tuple(t.href if isinstance(t, _DocTarget) else t for t in resolved)
        bodies[p.doc.source] = _substitute(p.doc.body_html, hrefs[p.doc.source])

    # 3. Pages, sorted newest first; then neighbours, terms and sections.
    placed.sort(key=_sort_key)
    term_links: dict[str, tuple[tuple[TermLink, ...], tuple[TermLink, ...]]] = {}
    tags, tag_display = _group_terms(placed, "tags")
    categories, cat_display = _group_terms(placed, "categories", _article_categories)
    for p in placed:
        term_links[p.doc.source] = (
            tuple(
                _term_link("tags", tag_display[term_slug(t)], base)
                for t in _unique_slugs(p.doc.tags)
            ),
            tuple(
                _term_link("categories", cat_display[term_slug(c)], base)
                for c in _unique_slugs(p.doc.categories)
            ),
        )

    neighbours = _neighbours(placed, config)
    series_groups, navs = _series(placed, config)
    pages: list[Page] = []
    for p in placed:
        prev, nxt = neighbours.get(p.doc.source, (None, None))
        tag_links, cat_links = term_links[p.doc.source]
        pages.append(
            Page(
                doc=p.doc,
                path=p.path,
                url=url(base, p.path),
                abs_url=absolute_url(config.base_url, base, p.path),
                body_html=bodies[p.doc.source],
                tags=tag_links,
                categories=cat_links,
                prev=prev,
                next=nxt,
                backlinks=tuple(Link(t, u) for t, u in sorted(backlinks.get(p.doc.source, ()))),
                hrefs=hrefs[p.doc.source],
                series=navs.get(p.doc.source),
            )
        )
    page_of = {pg.doc.source: pg for pg in pages}

    # Brief articles carry categories of their own and are listed under them, newest first.
    articles: dict[str, list[ArticleRef]] = defaultdict(list)
    for pg in pages:
        for article in _articles_of(pg.doc):
            if article.category:
                articles[term_slug(article.category)].append(
                    ArticleRef(
                        pg,
                        article.title,
                        article.anchor,
                        article.category,
                        article.summary,
                        article.html,
                    )
                )

    def terms(
        groups: dict[str, list[_Placed]],
        display: dict[str, str],
        tax: str,
        extra: dict[str, list[ArticleRef]],
    ) -> tuple[Term, ...]:
        out = []
        for slug in sorted({*groups, *extra}, key=lambda s: (display[s].casefold(), s)):
            path = f"{tax}/{slug}/"
            out.append(
                Term(
                    tax,
                    display[slug],
                    slug,
                    path,
                    url(base, path),
                    tuple(page_of[q.doc.source] for q in groups.get(slug, ())),
                    tuple(extra.get(slug, ())),
                )
            )
        return tuple(out)

    sections = []
    for name, sec in config.sections.items():
        members = [pg for pg in pages if pg.doc.section == name]
        if sec.sort == "title":
            members.sort(key=lambda pg: pg.doc.title.casefold())
        path = f"{name}/"
        sections.append(Section(name, sec.title, sec.kind, path, url(base, path), tuple(members)))

    redirects, redirect_diags = _redirects(pages, config)
    diags.extend(redirect_diags)
    site = Site(
        pages=tuple(pages),
        sections=tuple(sections),
        tags=terms(tags, tag_display, "tags", {}),
        categories=terms(categories, cat_display, "categories", articles),
        assets=tuple(sorted(assets.values(), key=lambda a: a.output)),
        redirects=tuple(redirects),
        series=tuple(Series(name, slug, f"series/{slug}/", url(base, f"series/{slug}/"),
                            tuple(page_of[q.doc.source] for q in members))
                     for slug, name, members in series_groups),
    )
    diags.extend(_case_collisions(site))
    return site, diags


# -- URLs ------------------------------------------------------------------------------------


def _site_path(doc: Document, config: SiteConfig) -> str:
    if doc.permalink:
        # `url: /2024/04/24/hello.html` (an old blog's exact URL) is that file, not a folder.
        if _HTML_FILE_RE.search(doc.permalink):
            return safe_site_path(doc.permalink.strip().lstrip("/"))
        return safe_site_path(doc.permalink.strip("/") + "/")
    if doc.kind == "page" or not doc.section:
        parent = PurePosixPath(doc.content_path).parent
        if PurePosixPath(doc.content_path).stem.lower() == "index":
            parent = parent.parent
        prefix = "" if str(parent) == "." else f"{parent}/"
        return safe_site_path(f"{prefix}{doc.slug}/")
    section = config.sections[doc.section]
    return expand_permalink(section.permalink, section=doc.section, slug=doc.slug, date=doc.date)


def _drop_collisions(placed: list[_Placed]) -> tuple[list[_Placed], list[Diagnostic]]:
    by_path: dict[str, list[_Placed]] = defaultdict(list)
    for p in placed:
        by_path[p.path].append(p)
    diags, keep = [], []
    for _path, group in by_path.items():
        if len(group) == 1:
            keep.append(group[0])
            continue
        names = ", ".join(g.doc.source for g in group)
        for g in group:
            diags.append(
                error(
                    g.doc.source,
                    1,
                    f"two documents map to the same URL /{g.path} "
                    f"({names}); give one a different `slug:`",
                )
            )
    return keep, diags


def _case_collisions(site: Site) -> list[Diagnostic]:
    """Paths that differ only by case overwrite each other on macOS/Windows checkouts."""
    seen: dict[str, tuple[str, str]] = {}
    diags = []
    entries = [(p.path, p.doc.source) for p in site.pages]
    entries += [(a.output, a.source_abs) for a in site.assets]
    for path, source in entries:
        key = unicodedata.normalize("NFC", path).casefold()
        if key in seen and seen[key][0] != path:
            other_path, other_source = seen[key]
            diags.append(
                error(
                    source if not source.startswith("/") else other_source,
                    1,
                    f"URL /{path} differs from /{other_path} ({other_source}) only by "
                    f"letter case; they collide on case-insensitive hosts",
                )
            )
        seen.setdefault(key, (path, source))
    return diags


def _sort_key(p: _Placed):
    d = p.doc
    # Newest first; undated documents last, by title; the source path breaks ties.
    return (d.date is None, -(d.date.timestamp()) if d.date else 0, d.title.casefold(), d.source)


# -- references ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DocTarget:
    placed: _Placed
    href: str


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _resolve(
    ref: Ref, p: _Placed, by_source, by_name, by_note, files, files_by_name, config, diags, assets
) -> str | _DocTarget:
    base = config.base_path
    src = p.doc.source
    here = posixpath.dirname(p.doc.content_path)
    target, _, fragment = ref.target.partition("#")
    fragment = f"#{quote(fragment, safe='-_.~%')}" if fragment else ""

    if ref.kind == "path":
        path = ref.target
        if path.startswith(base) and base != "/":
            return html.escape(quote(path, safe="/#-_.~%?=&"))
        return html.escape(quote(base + path.lstrip("/"), safe="/#-_.~%?=&"))

    if ref.kind in ("doc", "wiki"):
        found = None
        if ref.kind == "doc":
            path_only = urlsplit(target).path
            if not path_only.startswith("/"):
                joined = posixpath.normpath(posixpath.join(here, path_only))
                found = by_source.get(unicodedata.normalize("NFC", joined))
            if found is None:
                candidates = by_name.get(_fold(PurePosixPath(path_only).name), [])
                found = _best_by_suffix(candidates, path_only)
        else:
            key = _fold(target)
            candidates = by_note.get(key) or by_note.get(_fold(target.replace(" ", "-"))) or []
            if len(candidates) > 1:
                candidates = [c for c in candidates if c.doc.kind == p.doc.kind] or candidates
            found = candidates[0] if candidates else None
            if fragment:
                fragment = "#" + quote(heading_id(ref.target.partition("#")[2]), safe="-_.~%")
        if found is not None:
            return _DocTarget(found, html.escape(url(base, found.path) + fragment))
        diags.append(
            warning(
                src, ref.line, f"unresolved link to {ref.target!r}: no such document", strict=True
            )
        )
        if ref.kind == "wiki":
            return html.escape(url(base, "search/") + "?q=" + quote(target))
        return html.escape(ref.target)

    # A relative link to a page by its folder URL (`../other-post/`, as bundles of Hugo and
    # Gatsby blogs link to each other): the page of that name, its folder renamed or not.
    if (page := _page_by_folder(target, here, by_note, files)) is not None:
        return _DocTarget(page, html.escape(url(base, page.path) + fragment))

    # An image or file next to the document.
    path_only = urlsplit(target).path
    joined = posixpath.normpath(posixpath.join(here, path_only))
    rel = unicodedata.normalize("NFC", joined)
    if rel.startswith("../") or rel == "..":
        diags.append(
            warning(
                src,
                ref.line,
                f"{ref.target!r} points outside the content folder; not copied",
                strict=True,
            )
        )
        return html.escape(ref.target)
    if rel not in files:
        same = files_by_name.get(_fold(PurePosixPath(path_only).name), [])
        if len(same) > 1:
            # Obsidian's rule for a bare name: the file nearest the note wins.
            same = _nearest(same, here)
        if len(same) == 1 and (ref.embed or "/" not in path_only):
            rel = same[0]
        else:
            what = "image" if ref.embed else "file"
            diags.append(
                warning(
                    src,
                    ref.line,
                    f"missing {what} {ref.target!r} (looked for {config.content_dir}/{rel})",
                    strict=True,
                )
            )
            return html.escape(ref.target)
    out = _asset_output(rel, by_source)
    assets[rel] = AssetCopy(files[rel], out)
    return html.escape(url(base, out) + fragment)


def _page_by_folder(target: str, here: str, by_note, files) -> _Placed | None:
    """The one page a relative link to a page URL (``../언리얼_GAS_개요/``, or Jekyll's
    ``../../wrong-answer``) names, by its folder name, slug or title; None for anything else
    (and for a name that is a file next to the document)."""
    path = unquote(urlsplit(target).path)
    if path.startswith("/"):
        return None
    name = path.rstrip("/").rpartition("/")[2]
    if not name or name in (".", "..") or "." in name:
        return None
    if not path.endswith("/") and unicodedata.normalize(
            "NFC", posixpath.normpath(posixpath.join(here, path))) in files:
        return None
    # Hugo's URL of a page without a slug is its title, urlized: "언리얼-gas-연속-공격-구현".
    found = (by_note.get(_fold(name)) or by_note.get(slugify(name))
             or by_note.get(_fold(name.replace("-", " "))) or [])
    return found[0] if len({id(f) for f in found}) == 1 else None


def _nearest(paths: list[str], here: str) -> list[str]:
    """Those of ``paths`` whose folder shares the longest leading part with ``here``."""
    def shared(path: str) -> int:
        a, b = posixpath.dirname(path).split("/"), here.split("/")
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    best = max(shared(p) for p in paths)
    return [p for p in paths if shared(p) == best]


_BUNDLE_INDEXES = ("index.md", "_index.md", "index.markdown")


def _asset_output(rel: str, by_source) -> str:
    """Where a content file is published: beside its page when it sits in a page bundle
    (``posts/it's-mine/index.md`` is published as ``posts/its-mine/``, its images with it),
    else at its own path."""
    folder = posixpath.dirname(rel)
    while folder:
        for name in _BUNDLE_INDEXES:
            owner = by_source.get(f"{folder}/{name}")
            if owner is not None:
                page_dir = owner.path if owner.path.endswith("/") or not owner.path else \
                    posixpath.dirname(owner.path) + "/"
                return page_dir.lstrip("/") + rel[len(folder) + 1:]
        folder = posixpath.dirname(folder)
    return rel


def _best_by_suffix(candidates: list[_Placed], path: str) -> _Placed | None:
    """Among documents sharing a file name, the one whose path shares the longest tail."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    parts = [p for p in path.split("/") if p]

    def shared(c: _Placed) -> int:
        mine = c.doc.content_path.split("/")
        n = 0
        while n < min(len(mine), len(parts)) and _fold(mine[-1 - n]) == _fold(parts[-1 - n]):
            n += 1
        return n

    ranked = sorted(candidates, key=shared, reverse=True)
    return ranked[0] if shared(ranked[0]) > shared(ranked[1]) else None


def _substitute(body: str, resolved: tuple[str, ...]) -> str:
    if not resolved:
        return body

    def repl(m: re.Match) -> str:
        i = int(m[1])
        return resolved[i] if i < len(resolved) else m[0]

    return PLACEHOLDER_RE.sub(repl, body)


# What of a document the graph depends on. An edit that leaves these alone (the body text,
# say) cannot move a URL, a link, a term or a neighbour: the graph is patched, not rebuilt.
_GRAPH_FIELDS = ("source", "content_path", "kind", "section", "slug", "title", "date",
                 "updated", "tags", "categories", "draft", "aliases", "permalink", "refs",
                 "series", "brief")


def patch_site(site: Site, documents: dict[str, Document]) -> Site | None:
    """``site`` with the pages of ``documents`` (by source) replaced, if every one of them
    differs from its page's document only outside :data:`_GRAPH_FIELDS`; else None (the
    caller builds the graph again)."""
    current = {p.doc.source: p for p in site.pages}
    swapped: dict[int, Page] = {}
    for source, doc in documents.items():
        old = current.get(source)
        if old is None or not all(_same(getattr(doc, f), getattr(old.doc, f))
                                  for f in _GRAPH_FIELDS):
            return None
        swapped[id(old)] = dataclasses.replace(
            old, doc=doc, body_html=_substitute(doc.body_html, old.hrefs))
    if not swapped:
        return site

    def pages(items: tuple[Page, ...]) -> tuple[Page, ...]:
        return tuple(swapped.get(id(p), p) for p in items)

    def terms(items: tuple[Term, ...]) -> tuple[Term, ...]:
        return tuple(dataclasses.replace(t, pages=pages(t.pages), articles=tuple(
            dataclasses.replace(a, page=swapped.get(id(a.page), a.page)) for a in t.articles))
            for t in items)

    return dataclasses.replace(
        site,
        pages=pages(site.pages),
        sections=tuple(dataclasses.replace(s, pages=pages(s.pages)) for s in site.sections),
        tags=terms(site.tags),
        categories=terms(site.categories),
        series=tuple(dataclasses.replace(s, pages=pages(s.pages)) for s in site.series),
    )


def _same(a: object, b: object) -> bool:
    """Equal and written alike. Equality alone is too loose: a date moved to another offset at
    the same instant compares equal, yet its URL, month and text may differ."""
    return a == b and repr(a) == repr(b)


def restored_page(doc: Document, path: str, url: str, abs_url: str,
                  tags: tuple[TermLink, ...], categories: tuple[TermLink, ...],
                  prev: Link | None, next: Link | None, backlinks: tuple[Link, ...],
                  hrefs: tuple[str, ...], series: SeriesNav | None) -> Page:
    """A page of a graph read from the cache, with its document: the body is remade as
    :func:`build_site` and :func:`patch_site` make it, so the cache need not hold it twice."""
    return Page(doc, path, url, abs_url, _substitute(doc.body_html, hrefs), tags, categories,
                prev, next, backlinks, hrefs, series)


# -- taxonomies, neighbours, series, redirects -----------------------------------------------


def _series_names(p: _Placed, config: SiteConfig) -> tuple[str, ...]:
    section = config.sections.get(p.doc.section)
    names = p.doc.series or ((section.series,) if section and section.series else ())
    return tuple(n.strip() for n in names if n.strip())


def _series(placed: list[_Placed], config: SiteConfig
            ) -> tuple[list[tuple[str, str, list[_Placed]]], dict[str, SeriesNav]]:
    """Series (slug, display name, members in reading order) and each member's place (in the
    first series it names, when it is part of several: a page shows one series' neighbours)."""
    groups: dict[str, list[_Placed]] = defaultdict(list)
    names: dict[str, str] = {}
    first: dict[str, str] = {}
    for p in placed:
        seen: set[str] = set()
        for name in _series_names(p, config):
            if (slug := term_slug(name)) and slug not in seen:
                seen.add(slug)
                groups[slug].append(p)
                names.setdefault(slug, name)
                first.setdefault(p.doc.source, slug)
    base = config.base_path
    out, navs = [], {}
    for slug in sorted(groups, key=lambda s: (names[s].casefold(), s)):
        # Reading order: oldest first; undated parts last, by title.
        members = sorted(groups[slug], key=lambda p: (
            p.doc.date is None, p.doc.date.timestamp() if p.doc.date else 0,
            p.doc.title.casefold(), p.doc.source))
        out.append((slug, names[slug], members))
        link = url(base, f"series/{slug}/")
        for k, p in enumerate(members):
            if first[p.doc.source] != slug:
                continue
            prev = members[k - 1] if k else None
            nxt = members[k + 1] if k + 1 < len(members) else None
            navs[p.doc.source] = SeriesNav(
                names[slug], link, k + 1, len(members),
                Link(prev.doc.title, url(base, prev.path)) if prev else None,
                Link(nxt.doc.title, url(base, nxt.path)) if nxt else None)
    return out, navs


def _unique_slugs(names: tuple[str, ...]) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(term_slug(n), n)
    return list(seen.values())


def _articles_of(doc: Document) -> tuple:
    return getattr(doc.brief, "articles", ())


def _article_categories(doc: Document) -> list[str]:
    return [a.category for a in _articles_of(doc) if a.category]


def _group_terms(
    placed: list[_Placed], attr: str, extra=None
) -> tuple[dict[str, list[_Placed]], dict[str, str]]:
    """Documents by term slug, and each slug's display name (``extra`` adds spellings only)."""
    groups: dict[str, list[_Placed]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for p in placed:
        for name in _unique_slugs(getattr(p.doc, attr)):
            slug = term_slug(name)
            groups[slug].append(p)
        for name in [*getattr(p.doc, attr), *(extra(p.doc) if extra else ())]:
            spellings[term_slug(name)][name] += 1
    display = {}
    for slug, counts in spellings.items():
        # The most used spelling; on a tie, the one with more capitals (LLM over llm).
        display[slug] = min(counts, key=lambda s: (-counts[s], -sum(c.isupper() for c in s), s))
    return groups, display


@lru_cache(maxsize=65536)
def _term_link(taxonomy: str, name: str, base: str) -> TermLink:
    return TermLink(name, url(base, f"{taxonomy}/{term_slug(name)}/"))


def _neighbours(
    placed: list[_Placed], config: SiteConfig
) -> dict[str, tuple[Link | None, Link | None]]:
    """Within each section: prev is the older (or previous by title), next the newer one."""
    out: dict[str, tuple[Link | None, Link | None]] = {}
    by_section: dict[str, list[_Placed]] = defaultdict(list)
    for p in placed:
        if p.doc.section and p.doc.kind != "page":
            by_section[p.doc.section].append(p)
    base = config.base_path
    for name, members in by_section.items():
        if config.sections[name].sort == "title":
            ordered = sorted(members, key=lambda p: p.doc.title.casefold())
        else:
            ordered = list(reversed(members))  # oldest first
        for i, p in enumerate(ordered):
            prev = ordered[i - 1] if i > 0 else None
            nxt = ordered[i + 1] if i + 1 < len(ordered) else None
            out[p.doc.source] = (
                Link(prev.doc.title, url(base, prev.path)) if prev else None,
                Link(nxt.doc.title, url(base, nxt.path)) if nxt else None,
            )
    return out


def _redirects(
    pages: list[Page], config: SiteConfig
) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    taken = {pg.path for pg in pages}
    out: dict[str, str] = {}
    diags = []
    for pg in pages:
        for alias in pg.doc.aliases:
            try:
                path = alias_site_path(alias, config.base_path)
            except UnsafePathError as exc:
                diags.append(error(pg.doc.source, 1, f"alias {alias!r}: {exc}"))
                continue
            if not path or path in taken or path in out:
                diags.append(
                    error(pg.doc.source, 1, f"alias {alias!r} is already the URL of another page")
                )
                continue
            out[path] = pg.abs_url
    return sorted(out.items()), diags
