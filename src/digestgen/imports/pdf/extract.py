"""Characters and ruling lines of every page, read with PDFium (pypdfium2).

PDFium was chosen by measurement (``bench/pdf_extract.py``, figures in ``bench/RESULTS.md``):
it reads a page's characters an order of magnitude faster than pdfminer, which pdfplumber is
built on, keeps the same reading order on Korean text, and decrypts PDFs that carry only an
owner password (pdfminer turns those into ``(cid:N)``). Each character comes with its box, font
size, font name and weight: layout (lines, tables, bullets) is worked out from those, and
symbol-font glyphs are read through their font (:mod:`.glyphs`).
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import math
from dataclasses import dataclass
from pathlib import Path

from digestgen.imports.pdf.glyphs import char_text, dingbat_table, is_private_use


class ImportFailed(Exception):
    """The PDF cannot be imported (missing extractor, unreadable or encrypted file)."""


@dataclass(frozen=True, slots=True)
class Char:
    """One character: its text and where it stands (points, y growing downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str
    bold: bool
    # A private-use code of a font we have no table for: no text, but at the start of a line
    # it is a bullet of some kind.
    private: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight horizontal (``h``) or vertical (``v``) stroke: table borders, underlines."""

    orientation: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: tuple[Char, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: tuple[PageContent, ...]
    metadata: dict[str, str]
    engine: str
    unreadable: int  # characters whose font gives no text for them
    total: int


# PDFium's document-loading error codes (fpdfview.h).
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 6


def extract(path: Path) -> Extracted:
    """Characters and rules of every page of ``path``; :class:`ImportFailed` if it cannot be
    read, with what to do about it."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:
        raise ImportFailed(
            "importing PDFs needs pypdfium2 and pdfplumber: pip install 'digestgen[pdf]'"
        ) from None
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ImportFailed(f"{path}: {_open_problem(exc)}") from None
    try:
        reader = _Reader(raw)
        pages = []
        for index in range(len(doc)):
            try:
                pages.append(reader.page(doc, index))
            except pdfium.PdfiumError as exc:
                raise ImportFailed(
                    f"{path}: page {index + 1} cannot be read ({exc}); the PDF is damaged"
                ) from None
        metadata = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items()}
    finally:
        doc.close()
    return Extracted(tuple(pages), metadata, f"pypdfium2 {_version('pypdfium2')}",
                     reader.unreadable, reader.total)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _open_problem(exc) -> str:
    code = getattr(exc, "err_code", None)
    if code == _ERR_PASSWORD:
        return "the PDF is encrypted; decrypt it first (it needs a password to open)"
    if code == _ERR_SECURITY:
        return ("the PDF is encrypted with a security handler PDFium does not support; "
                "decrypt it first")
    if code == _ERR_FORMAT:
        return "not a readable PDF: the file is damaged or truncated"
    if code == _ERR_FILE:
        return "the file cannot be opened"
    return f"not a readable PDF ({exc})"


class _Reader:
    """Reads pages through PDFium's C API (pypdfium2.raw): one call per character property is
    what the Python helpers would make too, without their objects."""

    def __init__(self, raw):
        self.raw = raw
        self.rect = raw.FS_RECTF()
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.name = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.matrix = raw.FS_MATRIX()
        self.unreadable = 0
        self.total = 0

    def page(self, doc, index: int) -> PageContent:
        page = doc[index]
        try:
            width, height = page.get_size()
            left, bottom, right, top = page.get_mediabox()
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, top)
            finally:
                textpage.close()
            rules = tuple(_rules(self.raw, page.raw, top))
        finally:
            page.close()
        return PageContent(index + 1, width, height, tuple(chars), rules)

    def _chars(self, tp, page_top: float) -> list[Char]:
        raw, rect, x, y = self.raw, self.rect, self.x, self.y
        fonts: dict[int, tuple[str, float, bool, str | None]] = {}
        out: list[Char] = []
        for i in range(raw.FPDFText_CountChars(tp)):
            if raw.FPDFText_IsGenerated(tp, i) == 1:
                continue  # spaces and line breaks PDFium made up: ours come from the layout
            code = raw.FPDFText_GetUnicode(tp, i)
            obj = raw.FPDFText_GetTextObject(tp, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            font = fonts.get(key)
            if font is None:
                font = fonts[key] = self._font(tp, i, obj)
            name, size, bold, table = font
            text = char_text(code, table)
            private = not text and table is None and is_private_use(code)
            if code > 0x20:
                self.total += 1
                # No text, or a code PDFium could not map and passed on as it was: garbage
                # such as pdfminer's "(cid:N)". A few are tolerated; many fail the import.
                if (not text and not private) or (
                        table is None and raw.FPDFText_HasUnicodeMapError(tp, i) == 1):
                    self.unreadable += 1
            if not text and not private:
                continue
            # Spaces are kept: words are told apart by the gaps between boxes, but a space
            # after a line's last word says the line was wrapped between words.
            raw.FPDFText_GetLooseCharBox(tp, i, rect)
            raw.FPDFText_GetCharOrigin(tp, i, x, y)
            out.append(Char(text, rect.left, rect.right, page_top - rect.top,
                            page_top - rect.bottom, page_top - y.value,
                            size or rect.top - rect.bottom, name, bold, private))
        return out

    def _font(self, tp, i: int, obj) -> tuple[str, float, bool, str | None]:
        """Name, size as drawn, boldness and dingbat table of character ``i``'s font."""
        raw = self.raw
        length = raw.FPDFText_GetFontInfo(tp, i, self.name, len(self.name), self.flags)
        name = self.name.value.decode("utf-8", "replace") if length else ""
        weight = raw.FPDFText_GetFontWeight(tp, i)
        force_bold = bool(self.flags.value & (1 << 18))
        bold = weight >= 600 or force_bold or any(
            w in name.lower() for w in ("bold", "black", "heavy")
        )
        # The font size is in text space; the object's matrix scales it to the page.
        size = 0.0
        if obj:
            raw.FPDFPageObj_GetMatrix(obj, self.matrix)
            size = raw.FPDFText_GetFontSize(tp, i) * math.hypot(self.matrix.c, self.matrix.d)
        return name, size, bold, dingbat_table(name)


def _rules(raw, page, page_top: float):
    """Horizontal and vertical strokes of the page's paths (inside forms too)."""
    for obj, matrix in _objects(raw, page, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)):
        yield from _path_rules(raw, obj, matrix, page_top)


def _objects(raw, container, matrix, form: bool = False, depth: int = 0):
    count = (raw.FPDFFormObj_CountObjects if form else raw.FPDFPage_CountObjects)(container)
    get = raw.FPDFFormObj_GetObject if form else raw.FPDFPage_GetObject
    m = raw.FS_MATRIX()
    for k in range(max(count, 0)):
        obj = get(container, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            raw.FPDFPageObj_GetMatrix(obj, m)
            yield obj, _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
            raw.FPDFPageObj_GetMatrix(obj, m)
            yield from _objects(raw, obj, _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix),
                                True, depth + 1)


def _compose(inner, outer):
    """The matrix that applies ``inner`` then ``outer`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


_MIN_RULE = 3.0  # points: shorter strokes are glyph-like marks, not borders


def _path_rules(raw, path, matrix, page_top: float):
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for k in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (x.value * a + y.value * c + e, x.value * b + y.value * d + f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            rule = _rule(current, point, page_top)
            if rule:
                yield rule
        current = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            rule = _rule(current, start, page_top)
            if rule:
                yield rule
            current = start


def _rule(p, q, page_top: float) -> Rule | None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) < 1 and abs(x1 - x0) >= _MIN_RULE:
        top = page_top - (y0 + y1) / 2
        return Rule("h", min(x0, x1), max(x0, x1), top, top)
    if abs(x1 - x0) < 1 and abs(y1 - y0) >= _MIN_RULE:
        xm = (x0 + x1) / 2
        return Rule("v", xm, xm, page_top - max(y0, y1), page_top - min(y0, y1))
    return None
