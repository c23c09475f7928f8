"""Where each document lives: its URL path, and the collisions between them."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, error
from digestgen.model import Document, Site
from digestgen.urls import UnsafePathError, expand_permalink, safe_site_path

# Paths the renderers own; a document there would be overwritten.
RESERVED = ("tags/", "categories/", "archive/", "page/", "search/", "series/")
_HTML_FILE_RE = re.compile(r"[^/]\.html?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Placed:
    """A document and the site path it is published at."""

    doc: Document
    path: str


def place(docs: list[Document], config: SiteConfig) -> tuple[list[Placed], list[Diagnostic]]:
    """Each document at its URL; those whose URL is unsafe, reserved or taken twice are left
    out, with an error."""
    diags: list[Diagnostic] = []
    placed: list[Placed] = []
    for doc in docs:
        try:
            path = site_path(doc, config)
        except UnsafePathError as exc:
            diags.append(error(doc.source, 1, f"{exc}"))
            continue
        if not path or any(path.startswith(r) for r in RESERVED) or path in ("404.html",):
            diags.append(error(doc.source, 1, f"URL /{path} is reserved for digestgen's own "
                                              f"pages; set another `slug:` or `url:`"))
            continue
        placed.append(Placed(doc, path))
    placed, collisions = _drop_collisions(placed)
    return placed, diags + collisions


def site_path(doc: Document, config: SiteConfig) -> str:
    """The site path a document is published at (``posts/hello/``)."""
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


def _drop_collisions(placed: list[Placed]) -> tuple[list[Placed], list[Diagnostic]]:
    by_path: dict[str, list[Placed]] = defaultdict(list)
    for p in placed:
        by_path[p.path].append(p)
    diags, keep = [], []
    for group in by_path.values():
        if len(group) == 1:
            keep.append(group[0])
            continue
        names = ", ".join(g.doc.source for g in group)
        for g in group:
            diags.append(error(g.doc.source, 1, f"two documents map to the same URL /{g.path} "
                                                f"({names}); give one a different `slug:`"))
    return keep, diags


def case_collisions(site: Site) -> list[Diagnostic]:
    """Paths that differ only by case overwrite each other on macOS/Windows checkouts."""
    seen: dict[str, tuple[str, str]] = {}
    diags = []
    entries = [(p.path, p.doc.source) for p in site.pages]
    entries += [(a.output, a.source_abs) for a in site.assets]
    for path, source in entries:
        key = unicodedata.normalize("NFC", path).casefold()
        if key in seen and seen[key][0] != path:
            other_path, other_source = seen[key]
            diags.append(error(source if not source.startswith("/") else other_source, 1,
                               f"URL /{path} differs from /{other_path} ({other_source}) only "
                               f"by letter case; they collide on case-insensitive hosts"))
        seen.setdefault(key, (path, source))
    return diags


def newest_first(p: Placed):
    """Sort key: newest first; undated documents last, by title; the source breaks ties."""
    d = p.doc
    return (d.date is None, -(d.date.timestamp()) if d.date else 0, d.title.casefold(), d.source)
