"""``digestgen import FILE.pdf``: a PDF report → ``content/<section>/<slug>.txt`` + sidecar.

The steps, one module each: :mod:`.extract` reads every character with its font and box, and
the page's strokes (PDFium, via pypdfium2; :mod:`.glyphs` reads symbol-font glyphs through
their font); :mod:`.layout` makes lines and ruled tables; :mod:`.furniture` finds running
heads, tab bars and page numbers; :mod:`.contents` reads the CONTENTS page; :mod:`.cover`
finds the report's name, issue and publisher; :mod:`.reflow` joins wrapped lines into
paragraphs and gives bullets and sub-heads their roles. The result is the text the brief
loader reads, and a sidecar with what was detected.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from digestgen.imports.pdf.contents import find_contents
from digestgen.imports.pdf.cover import Cover, read_cover
from digestgen.imports.pdf.extract import ImportFailed, extract
from digestgen.imports.pdf.furniture import find_furniture
from digestgen.imports.pdf.layout import Line, Table, page_items
from digestgen.imports.pdf.reflow import body_text, make_glue, paragraphs
from digestgen.sitefs import OutsideSiteError, check_writable, write_inside
from digestgen.urls import UnsafePathError, check_slug

__all__ = ["Converted", "ImportFailed", "Imported", "convert", "import_pdf"]

_COVER_LINES = 10  # a cover page holds a few lines of text at most
_BACK_LINES = 8
_UNREADABLE_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Converted:
    """A PDF as brief text, with what its cover says."""

    text: str
    cover: Cover
    pages: int
    engine: str
    listed: int = 0  # entries of the CONTENTS page
    # CONTENTS entries with no line of the body that reads the same: titles to check.
    unmatched: tuple[str, ...] = ()


def convert(path: Path) -> Converted:
    """The brief text of the PDF at ``path`` (:class:`ImportFailed` if it has none)."""
    extracted = extract(path)
    if extracted.total == 0:
        raise ImportFailed(f"{path}: no text found (a scanned PDF needs OCR first)")
    if extracted.unreadable > _UNREADABLE_SHARE * extracted.total:
        raise ImportFailed(
            f"{path}: {extracted.unreadable} of {extracted.total} characters have no readable "
            "text in their fonts; the PDF needs OCR (or a re-export with embedded text) first"
        )
    pages = [page_items(p) for p in extracted.pages]
    furniture = find_furniture(pages, [p.height for p in extracted.pages])
    contents = find_contents(pages, furniture.lines)
    kept = [[it for it in items if not (isinstance(it, Line) and id(it) in furniture.lines)]
            for items in pages]
    cover_page = _cover_page(kept, contents.pages)
    back_page = _back_page(kept)
    cover = read_cover(
        _lines(kept[0]) if cover_page else [],
        list(contents.other),
        furniture.heads,
        _lines(kept[-1]) if back_page else [],
        extracted.metadata,
        [e.group or e.part for e in contents.entries],
    )
    skip = set(contents.pages) | ({1} if cover_page else set()) | (
        {len(kept)} if back_page else set())
    body = [it for k, items in enumerate(kept, 1) if k not in skip for it in items]
    paras = paragraphs(body)
    glue = make_glue(paras)
    parts: list[str] = []
    if contents.entries:
        # The loader reads the cover lines before CONTENTS, then drops the block.
        parts += [*cover.lines, "", contents.text(), ""]
    body_lines = body_text(paras, glue)
    parts += body_lines
    text = "\n".join(parts).strip() + "\n"
    if not text.strip():
        raise ImportFailed(f"{path}: no text found (a scanned PDF needs OCR first)")
    # The CONTENTS page cross-checks the body: each entry should be some line of it.
    found = {_bare(cell) for ln in body_lines for cell in (ln, *ln.split("\t"))}
    unmatched = tuple(e.title for e in contents.entries if _bare(e.title) not in found)
    return Converted(text, cover, len(extracted.pages), extracted.engine,
                     len(contents.entries), unmatched)


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def _lines(items: list[Line | Table]) -> list[Line]:
    return [it for it in items if isinstance(it, Line)]


def _cover_page(pages: list[list[Line | Table]], contents: frozenset[int]) -> bool:
    """Whether page 1 is a cover: a few lines, before the contents (or alone before the body)."""
    if len(pages) < 2 or 1 in contents:
        return False
    lines = _lines(pages[0])
    return len(lines) <= (_COVER_LINES if contents else 5)


def _back_page(pages: list[list[Line | Table]]) -> bool:
    """Whether the last page is a back cover: a few lines of addresses and contacts."""
    if len(pages) < 3:
        return False
    lines = _lines(pages[-1])
    contact = ("http", "www.", "@", "문의", "Tel", "TEL", "전화")
    return 0 < len(lines) <= _BACK_LINES and any(c in ln.text for ln in lines for c in contact)


# -- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imported:
    text_path: Path
    sidecar_path: Path
    cover: Cover
    pages: int
    engine: str
    changed: bool  # False when the files already held exactly this import
    listed: int = 0
    unmatched: tuple[str, ...] = ()


_HEADER = (
    "# Detected from the PDF by `digestgen import`; edit freely. These keys override\n"
    "# what the brief loader detects in the text.\n"
)
_RECORD = "# digestgen import: text {text} sidecar {sidecar}\n"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def import_pdf(pdf: Path, folder: Path, slug: str, *, root: Path,
               force: bool = False) -> Imported:
    """Extract ``pdf`` into ``folder/slug.txt`` and ``folder/slug.yaml`` (``folder`` inside the
    site at ``root``). Importing the same PDF again changes nothing; a file edited since it
    was imported is only overwritten with ``force``; nothing is written through a symlink
    that leads out of the site."""
    if not pdf.is_file():
        raise ImportFailed(f"{pdf}: no such file")
    with open(pdf, "rb") as handle:
        if b"%PDF-" not in handle.read(1024):
            raise ImportFailed(f"{pdf}: not a PDF file")
    root = root.resolve()
    try:
        slug = check_slug(slug)  # a name for two files in the folder, and nothing more
    except UnsafePathError as exc:
        raise ImportFailed(f"{pdf}: {exc}") from None
    text_path, sidecar = folder / f"{slug}.txt", folder / f"{slug}.yaml"
    try:
        for target in (text_path, sidecar):
            check_writable(target, root)
    except OutsideSiteError as exc:
        raise ImportFailed(str(exc)) from None
    converted = convert(pdf)
    cover = converted.cover
    meta: dict[str, str] = {"title": cover.title or slug}
    if cover.issue:
        meta["date"] = cover.issue.date.isoformat()
    if cover.publisher:
        meta["publisher"] = cover.publisher
    meta["source_pdf"] = pdf.name
    meta["extracted_with"] = converted.engine
    body = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    record = _RECORD.format(text=_digest(converted.text), sidecar=_digest(body))
    new = {text_path: converted.text, sidecar: _HEADER + record + body}
    changed = [p for p, data in new.items() if _read(p) != data]
    if changed and not force:
        _check_unedited(text_path, sidecar)
    try:
        for path in changed:
            write_inside(path, root, new[path].encode("utf-8"))
    except OutsideSiteError as exc:
        raise ImportFailed(str(exc)) from None
    except OSError as exc:
        raise ImportFailed(f"cannot write {exc.filename or folder}: {exc.strerror or exc}"
                           ) from None
    return Imported(text_path, sidecar, cover, converted.pages, converted.engine, bool(changed),
                    converted.listed, converted.unmatched)


def _read(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _check_unedited(text_path: Path, sidecar: Path) -> None:
    """Refuse (naming the file) if either file exists and is not as the last import left it."""
    old_sidecar = _read(sidecar)
    recorded: dict[str, str] = {}
    if old_sidecar is not None:
        for line in old_sidecar.splitlines():
            if line.startswith("# digestgen import: "):
                words = line.split()
                recorded = dict(zip(words[3::2], words[4::2], strict=False))
                break
    body = None
    if old_sidecar is not None:
        body = "".join(ln for ln in old_sidecar.splitlines(keepends=True) if not ln.startswith("#"))
    checks = ((text_path, _read(text_path), "text"), (sidecar, body, "sidecar"))
    for path, current, key in checks:
        if not path.exists() and not path.is_symlink():
            continue
        if current is None or recorded.get(key) != _digest(current):
            raise ImportFailed(
                f"{path} already exists; pass --force to overwrite it"
                + (" (it was edited since it was imported)" if recorded else "")
            )
