"""Links between documents: every reference in a body resolved to a URL, the files next to
documents that get published, and the backlinks each page collects."""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, warning
from digestgen.graph.placement import Placed
from digestgen.markdown import PLACEHOLDER_RE, heading_id
from digestgen.model import AssetCopy, Ref
from digestgen.urls import slugify, url

_BUNDLE_INDEXES = ("index.md", "_index.md", "index.markdown")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A name as compared: NFC, case-folded, trimmed."""
    return unicodedata.normalize("NFC", text).casefold().strip()


class Index:
    """What a reference can name: documents by content path, by file name and by note name
    (title, stem, slug), and the other content files by path and by name."""

    def __init__(self, placed: list[Placed], files: dict[str, str]):
        self.files = files
        self.by_source = {p.doc.content_path: p for p in placed}
        self.by_name: dict[str, list[Placed]] = defaultdict(list)
        self.by_note: dict[str, list[Placed]] = defaultdict(list)
        for p in placed:
            folder, _, name = p.doc.content_path.rpartition("/")
            self.by_name[fold(name)].append(p)
            stem = name.rsplit(".", 1)[0] if "." in name else name
            if stem.lower() == "index":
                stem = folder.rpartition("/")[2]
            for key in {fold(stem), fold(stem.replace("-", " ")), fold(p.doc.title),
                        p.doc.slug}:
                self.by_note[key].append(p)
        self.files_by_name: dict[str, list[str]] = defaultdict(list)
        for rel in files:
            self.files_by_name[fold(rel.rpartition("/")[2])].append(rel)


@dataclass(frozen=True, slots=True)
class Resolved:
    """Every body's references resolved: hrefs by source, bodies with them substituted,
    backlinks by target source ((title, url) pairs), and the files to publish."""

    hrefs: dict[str, tuple[str, ...]]
    bodies: dict[str, str]
    backlinks: dict[str, set[tuple[str, str]]]
    assets: dict[str, AssetCopy]


def resolve_all(placed: list[Placed], index: Index, config: SiteConfig,
                diags: list[Diagnostic]) -> Resolved:
    """Resolve the references of every placed document (unresolved ones are warnings)."""
    base = config.base_path
    assets: dict[str, AssetCopy] = {}
    backlinks: dict[str, set[tuple[str, str]]] = defaultdict(set)
    bodies: dict[str, str] = {}
    hrefs: dict[str, tuple[str, ...]] = {}
    for p in placed:
        resolved: list[str] = []
        for ref in p.doc.refs:
            target = _resolve(ref, p, index, config, diags, assets)
            resolved.append(target)
            if isinstance(target, _DocTarget) and target.placed.doc.source != p.doc.source:
                backlinks[target.placed.doc.source].add((p.doc.title, url(base, p.path)))
        hrefs[p.doc.source] = tuple(t.href if isinstance(t, _DocTarget) else t for t in resolved)
        bodies[p.doc.source] = substitute(p.doc.body_html, hrefs[p.doc.source])
    return Resolved(hrefs, bodies, backlinks, assets)


def substitute(body: str, resolved: tuple[str, ...]) -> str:
    """A body with its link placeholders replaced by the resolved hrefs."""
    if not resolved:
        return body

    def repl(m: re.Match) -> str:
        i = int(m[1])
        return resolved[i] if i < len(resolved) else m[0]

    return PLACEHOLDER_RE.sub(repl, body)


@dataclass(frozen=True, slots=True)
class _DocTarget:
    placed: Placed
    href: str


def _resolve(ref: Ref, p: Placed, index: Index, config: SiteConfig, diags: list[Diagnostic],
             assets: dict[str, AssetCopy]) -> str | _DocTarget:
    if ref.kind == "path":
        base = config.base_path
        if ref.target.startswith(base) and base != "/":
            return html.escape(quote(ref.target, safe="/#-_.~%?=&"))
        return html.escape(quote(base + ref.target.lstrip("/"), safe="/#-_.~%?=&"))
    if ref.kind in ("doc", "wiki"):
        return _resolve_document(ref, p, index, config, diags)
    # A relative link to a page by its folder URL (`../other-post/`, as bundles of Hugo and
    # Gatsby blogs link to each other): the page of that name, its folder renamed or not.
    target, _, fragment = ref.target.partition("#")
    if (page := _page_by_folder(target, posixpath.dirname(p.doc.content_path), index)):
        fragment = f"#{quote(fragment, safe='-_.~%')}" if fragment else ""
        return _DocTarget(page, html.escape(url(config.base_path, page.path) + fragment))
    return _resolve_file(ref, p, index, config, diags, assets)


def _page_by_folder(target: str, here: str, index: Index) -> Placed | None:
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
            "NFC", posixpath.normpath(posixpath.join(here, path))) in index.files:
        return None
    # Hugo's URL of a page without a slug is its title, urlized: "언리얼-gas-연속-공격-구현".
    found = (index.by_note.get(fold(name)) or index.by_note.get(slugify(name))
             or index.by_note.get(fold(name.replace("-", " "))) or [])
    return found[0] if len({id(f) for f in found}) == 1 else None


def _resolve_document(ref: Ref, p: Placed, index: Index, config: SiteConfig,
                      diags: list[Diagnostic]) -> str | _DocTarget:
    target, _, fragment = ref.target.partition("#")
    fragment = f"#{quote(fragment, safe='-_.~%')}" if fragment else ""
    found = None
    if ref.kind == "doc":
        path_only = urlsplit(target).path
        if not path_only.startswith("/"):
            here = posixpath.dirname(p.doc.content_path)
            joined = posixpath.normpath(posixpath.join(here, path_only))
            found = index.by_source.get(unicodedata.normalize("NFC", joined))
        if found is None:
            candidates = index.by_name.get(fold(PurePosixPath(path_only).name), [])
            found = _best_by_suffix(candidates, path_only)
    else:
        candidates = (index.by_note.get(fold(target))
                      or index.by_note.get(fold(target.replace(" ", "-"))) or [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.doc.kind == p.doc.kind] or candidates
        found = candidates[0] if candidates else None
        if fragment:
            fragment = "#" + quote(heading_id(ref.target.partition("#")[2]), safe="-_.~%")
    if found is not None:
        return _DocTarget(found, html.escape(url(config.base_path, found.path) + fragment))
    diags.append(warning(p.doc.source, ref.line,
                         f"unresolved link to {ref.target!r}: no such document", strict=True))
    if ref.kind == "wiki":
        return html.escape(url(config.base_path, "search/") + "?q=" + quote(target))
    return html.escape(ref.target)


def _resolve_file(ref: Ref, p: Placed, index: Index, config: SiteConfig,
                  diags: list[Diagnostic], assets: dict[str, AssetCopy]) -> str:
    """An image or file next to the document: published, and linked."""
    target, _, fragment = ref.target.partition("#")
    fragment = f"#{quote(fragment, safe='-_.~%')}" if fragment else ""
    here = posixpath.dirname(p.doc.content_path)
    path_only = urlsplit(target).path
    rel = unicodedata.normalize("NFC", posixpath.normpath(posixpath.join(here, path_only)))
    if rel.startswith("../") or rel == "..":
        diags.append(warning(p.doc.source, ref.line, f"{ref.target!r} points outside the "
                                                     f"content folder; not copied", strict=True))
        return html.escape(ref.target)
    if rel not in index.files:
        same = index.files_by_name.get(fold(PurePosixPath(path_only).name), [])
        if len(same) > 1:
            # Obsidian's rule for a bare name: the file nearest the note wins.
            same = _nearest(same, here)
        if len(same) == 1 and (ref.embed or "/" not in path_only):
            rel = same[0]
        else:
            what = "image" if ref.embed else "file"
            diags.append(warning(p.doc.source, ref.line, f"missing {what} {ref.target!r} "
                                 f"(looked for {config.content_dir}/{rel})", strict=True))
            return html.escape(ref.target)
    out = _asset_output(rel, index.by_source)
    assets[rel] = AssetCopy(index.files[rel], out)
    return html.escape(url(config.base_path, out) + fragment)


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


def _asset_output(rel: str, by_source: dict[str, Placed]) -> str:
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


def _best_by_suffix(candidates: list[Placed], path: str) -> Placed | None:
    """Among documents sharing a file name, the one whose path shares the longest tail."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    parts = [p for p in path.split("/") if p]

    def shared(c: Placed) -> int:
        mine = c.doc.content_path.split("/")
        n = 0
        while n < min(len(mine), len(parts)) and fold(mine[-1 - n]) == fold(parts[-1 - n]):
            n += 1
        return n

    ranked = sorted(candidates, key=shared, reverse=True)
    return ranked[0] if shared(ranked[0]) > shared(ranked[1]) else None
