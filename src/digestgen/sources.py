"""Discover the content of a site: documents by section, and the other files beside them.

Discovery is sorted and deterministic, skips hidden files, the output folder and `exclude:`
patterns, and never follows a link out of the site folder.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from digestgen.config import SiteConfig
from digestgen.errors import Diagnostic, error, warning
from digestgen.model import SourceFile
from digestgen.sitefs import real_path, walk_files

DOCUMENT_EXTENSIONS = (".md", ".markdown", ".txt")
SIDECAR_EXTENSIONS = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Inventory:
    documents: tuple[SourceFile, ...]
    # Every other file under content/, by path relative to the content folder → absolute path.
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def discover(source: Path, config: SiteConfig, output: Path | None = None) -> Inventory:
    """Walk ``source/content_dir`` and classify what is there."""
    content = source / config.content_dir
    if not content.is_dir():
        return Inventory((), {}, ())
    skip_dirs = {p.resolve() for p in (output,) if p is not None}
    content_rel = _nfc(_rel(source, content))
    documents: list[SourceFile] = []
    files: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []

    def skip(rel: str, is_dir: bool) -> bool:
        name = rel.rpartition("/")[2]
        if name.startswith(".") or (not is_dir and name.endswith("~")):
            if not is_dir and _looks_meant(name):
                diagnostics.append(warning(f"{content_rel}/{_nfc(rel)}", 0,
                                           "a hidden file (its name starts with '.') is not "
                                           "published; rename it to publish it"))
            return True
        if is_dir and real_path(content / rel) in skip_dirs:
            return True
        return bool(config.exclude) and _excluded(_nfc(rel), config.exclude)

    seen_names: dict[str, str] = {}  # NFC content path → the name as found on disk
    for found in walk_files(content, source.resolve(), lambda p: _rel(source, p), skip=skip,
                            diagnostics=diagnostics):
        content_path = _nfc(found.rel)
        if content_path in seen_names:
            diagnostics.append(_same_name(_rel(source, found.path), found.path.name,
                                          seen_names[content_path]))
            continue
        seen_names[content_path] = found.path.name
        if found.path.name.lower().endswith(DOCUMENT_EXTENSIONS):
            section, kind = _section_of(content_path, config)
            documents.append(SourceFile(rel_path=f"{content_rel}/{content_path}",
                                        content_path=content_path, section=section, kind=kind,
                                        abs_path=str(found.path)))
        else:
            files[content_path] = str(found.path)
    documents = _with_sidecars(documents, files)
    documents.sort(key=lambda s: s.rel_path)
    return Inventory(tuple(documents), files, tuple(diagnostics))


def _same_name(shown: str, name: str, other: str) -> Diagnostic:
    """Two names alike once NFC-normalised: macOS writes NFD, Linux keeps what it is given."""
    form = "NFC" if unicodedata.is_normalized("NFC", name) else "NFD"
    other_form = "NFC" if unicodedata.is_normalized("NFC", other) else "NFD"
    return error(shown, 0, f"two files have this name, one written in Unicode {other_form} and "
                           f"one in {form} (they look the same); rename or delete one of them")


def _with_sidecars(documents: list[SourceFile], files: dict[str, str]) -> list[SourceFile]:
    """Each document with its sidecar (``name.yaml`` beside ``name.txt``), which is then not
    a file to publish (``files`` loses it)."""
    stems = {src.content_path.rsplit(".", 1)[0] for src in documents}
    out = []
    for src in documents:
        stem = src.content_path.rsplit(".", 1)[0]
        side = files.get(f"{stem}.yaml") or files.get(f"{stem}.yml")
        out.append(dataclasses.replace(src, sidecar=side) if side else src)
    for path in list(files):
        if path.lower().endswith(SIDECAR_EXTENSIONS) and path.rsplit(".", 1)[0] in stems:
            del files[path]
    return out


def _looks_meant(name: str) -> bool:
    """A hidden name that reads like a document someone meant to publish (``..md``), not an
    editor's or the OS's bookkeeping (``.#a.md``, ``._a.md``, ``.a.md.swp``)."""
    return name.lower().endswith(DOCUMENT_EXTENSIONS) and not name.startswith(("._", ".#"))


def _section_of(content_path: str, config: SiteConfig) -> tuple[str, str]:
    best: tuple[int, str, str] | None = None
    for name, section in config.sections.items():
        prefix = section.dir.strip("/") + "/"
        if content_path.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), name, section.kind)
    if best is None:
        return "", "page"
    return best[1], best[2]


def _excluded(path: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[-1], p) for p in patterns
    )


def _rel(source: Path, path: Path) -> str:
    try:
        return path.relative_to(source).as_posix()
    except ValueError:
        return path.as_posix()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
