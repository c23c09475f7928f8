"""What one build keeps for the next, so that unchanged work is not done again.

- documents: each source file's loaded :class:`~digestgen.model.Document` (and diagnostics),
  keyed by a digest of its bytes, its sidecar's bytes, the configuration, the loader version
  and digestgen's version — never by modification time;
- renders: each rendered page's bytes, keyed by a digest of the templates it uses, the site
  view and its own view (see :class:`~digestgen.render.pages.RenderMemo`);
- written: a digest of each file in the output folder, for writing only what changed.

``serve`` keeps a state in memory between rebuilds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digestgen import __version__
from digestgen.errors import Diagnostic
from digestgen.model import Document, SourceFile


@dataclass
class BuildState:
    documents: dict[str, tuple[str, Document | None, list[Diagnostic]]] = field(
        default_factory=dict)
    renders: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    config_key: str = ""
    # Document views by source file, with the page each was made from (render reuse).
    views: dict = field(default_factory=dict)
    inventory: Any = None  # the last discovery (serve skips it when files were only edited)
    env: Any = None  # (key, Jinja environment): compiled templates survive between builds
    graph: Any = None  # (key, Site, graph diagnostics) of the last build


def touched(src: SourceFile, changed: frozenset[str]) -> bool:
    """Whether ``src`` or its sidecar is among ``changed`` (paths relative to the site)."""
    if src.rel_path in changed:
        return True
    stem = src.rel_path.rsplit(".", 1)[0]
    return f"{stem}.yaml" in changed or f"{stem}.yml" in changed


def source_key(src: SourceFile, config_key: str, loader_version: str) -> str:
    """The digest that decides whether ``src`` must be loaded again."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}\0{loader_version}\0{config_key}\0{src.kind}\0{src.section}\0"
                  f"{src.rel_path}\0".encode())
    path = Path(src.abs_path)
    try:
        digest.update(path.read_bytes())
    except OSError as exc:  # unreadable: never cached, the loader reports it
        digest.update(f"unreadable {exc}".encode())
    for ext in (".yaml", ".yml"):
        side = path.with_suffix(ext)
        if side.is_file():
            digest.update(b"\0sidecar\0")
            digest.update(side.read_bytes())
    return digest.hexdigest()
