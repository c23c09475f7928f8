"""How a reader moves between documents: sections, previous and next within a section, and
series read in order."""

from __future__ import annotations

from collections import defaultdict

from digestgen.config import SiteConfig
from digestgen.graph.placement import Placed
from digestgen.model import Link, Page, Section, Series, SeriesNav
from digestgen.urls import term_slug, url


def neighbours(placed: list[Placed], config: SiteConfig
               ) -> dict[str, tuple[Link | None, Link | None]]:
    """Within each section: prev is the older (or previous by title), next the newer one."""
    out: dict[str, tuple[Link | None, Link | None]] = {}
    by_section: dict[str, list[Placed]] = defaultdict(list)
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


def sections(pages: list[Page], config: SiteConfig) -> tuple[Section, ...]:
    """Each configured section with its pages (by title where it sorts so)."""
    out = []
    for name, sec in config.sections.items():
        members = [pg for pg in pages if pg.doc.section == name]
        if sec.sort == "title":
            members.sort(key=lambda pg: pg.doc.title.casefold())
        path = f"{name}/"
        out.append(Section(name, sec.title, sec.kind, path, url(config.base_path, path),
                           tuple(members)))
    return tuple(out)


def _series_names(p: Placed, config: SiteConfig) -> tuple[str, ...]:
    section = config.sections.get(p.doc.section)
    names = p.doc.series or ((section.series,) if section and section.series else ())
    return tuple(n.strip() for n in names if n.strip())


def series_groups(placed: list[Placed], config: SiteConfig
                  ) -> tuple[list[tuple[str, str, list[Placed]]], dict[str, SeriesNav]]:
    """Series (slug, display name, members in reading order) and each member's place (in the
    first series it names, when it is part of several: a page shows one series' neighbours)."""
    groups: dict[str, list[Placed]] = defaultdict(list)
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


def series(groups: list[tuple[str, str, list[Placed]]], page_of: dict[str, Page], base: str
           ) -> tuple[Series, ...]:
    """The site's series, each with its pages in reading order."""
    return tuple(Series(name, slug, f"series/{slug}/", url(base, f"series/{slug}/"),
                        tuple(page_of[q.doc.source] for q in members))
                 for slug, name, members in groups)
