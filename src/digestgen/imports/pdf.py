"""``digestgen import FILE.pdf``: a PDF report → ``content/<section>/<slug>.txt`` + sidecar.

Extraction uses pdfplumber (pdfminer.six underneath): on Korean PDFs it keeps reading order as
well as pypdfium2 and, unlike it, finds ruled tables, which briefs are full of; the measurements
are in ``bench/RESULTS.md`` (``bench/pdf_extract.py``). The extracted text is then reflowed
into the shape the brief loader reads: one line per paragraph or bullet, tables as TAB-separated
rows, running headers, footers and page numbers dropped.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import yaml

from digestgen.dates import date_from_text
from digestgen.sitefs import OutsideSiteError, check_writable, write_inside

# Lines that start something new: never glued to the line before.
_STARTS_BLOCK_RE = re.compile(
    r"^\s*(?:[-•∙◦▷▶►●○◆◇□■▪※☞]|[①-⑳]|\[?☞\]?|KEY\s*Contents|CONTENTS|<|〈"
    r"|\d{1,2}\s*\.\s|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]\s*\.|\(\S{1,12}\)\s)",
    re.IGNORECASE,
)
_ENDS_SENTENCE_RE = re.compile(r"([.!?。:]|[다요음함됨임])\s*[\"'”’)\]]?$")
_PAGE_NUMBER_RE = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")


class ImportFailed(Exception):
    """The PDF cannot be imported (missing extractor, unreadable or encrypted file)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: tuple[str, ...]  # reflowed-ready text of each page, tables as TAB rows
    engine: str


def extract(path: Path) -> Extracted:
    """Text of every page of ``path``, with ruled tables as TAB-separated rows."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:
        raise ImportFailed(
            "importing PDFs needs pdfplumber: pip install 'digestgen[pdf]'"
        ) from None
    pages: list[str] = []
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                pages.append(_page_text(page))
    except PDFPasswordIncorrect:
        raise ImportFailed(f"{path}: the PDF is encrypted; decrypt it first") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ImportFailed(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    version = getattr(pdfplumber, "__version__", "")
    return Extracted(tuple(pages), f"pdfplumber {version}".strip())


def _page_text(page) -> str:
    tables = page.find_tables()
    if not tables:
        return page.extract_text(layout=False) or ""
    # Text outside the tables, then each table as TAB rows where it stood (by its top edge).
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x, top = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in boxes)

    rest = page.filter(outside)
    lines = [(w["top"], w["text"]) for w in rest.extract_text_lines()]
    for table, box in zip(tables, boxes, strict=True):
        rows = table.extract()
        text = "\n".join("\t".join(_cell(c) for c in row) for row in rows if any(row))
        lines.append((box[1], text))
    lines.sort(key=lambda item: item[0])
    return "\n".join(text for _, text in lines)


def _cell(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def reflow(pages: tuple[str, ...]) -> str:
    """Join lines a PDF wrapped at its margin; drop running headers, footers and page numbers."""
    page_lines = [[ln.rstrip() for ln in p.split("\n")] for p in pages]
    # A line at the top or bottom of most pages (a running header or footer) is furniture,
    # not text; TAB rows are tables.
    edges = [{ln.strip() for ln in [*lines[:2], *lines[-2:]] if ln.strip()} for lines in page_lines]
    counts = Counter(ln for edge in edges for ln in edge)
    furniture = {
        ln
        for ln, c in counts.items()
        if len(pages) >= 4 and c >= 0.6 * len(pages) and "\t" not in ln and len(ln) < 80
    }
    paragraphs: list[list[str]] = []  # each: the lines that make one paragraph
    for lines in page_lines:
        body = [
            ln
            for ln in lines
            if ln.strip() and not _PAGE_NUMBER_RE.match(ln) and ln.strip() not in furniture
        ]
        widths = [len(ln) for ln in body if "\t" not in ln]
        full = statistics.quantiles(widths, n=10)[7] if len(widths) >= 5 else max(widths, default=0)
        current: list[str] = []
        for ln in body:
            if (
                current
                and "\t" not in ln
                and "\t" not in current[-1]
                and not _STARTS_BLOCK_RE.match(ln)
                and not _ENDS_SENTENCE_RE.search(current[-1])
                and len(current[-1]) >= 0.8 * full
            ):
                current.append(ln.strip())
            else:
                if current:
                    paragraphs.append(current)
                current = [ln]
        if current:
            paragraphs.append(current)
        paragraphs.append([])  # a page break ends a paragraph
    glue = _Glue(paragraphs)
    return "\n".join(glue.join(p) for p in paragraphs).strip() + "\n"


_PARTICLES = set("과와의을를은는이가에도로만")
_TOKEN_RE = re.compile(r"[\uac00-\ud7a3A-Za-z0-9]+")
_HANGUL_END_RE = re.compile(r"[\uac00-\ud7a3]$")
_HANGUL_START_RE = re.compile(r"^[\uac00-\ud7a3]")


class _Glue:
    """Decides whether a line wrap fell between two words (join with a space) or inside one.

    Korean typesetters break lines inside words as often as between them, and the PDF keeps
    no trace of which. The document itself tells: if the two halves joined occur elsewhere as
    (the start of) a word, the break was inside it; if both halves occur as words, between; a
    lone syllable that never stands alone elsewhere is half a word. Otherwise the document's
    usual habit decides.
    """

    def __init__(self, paragraphs: list[list[str]]):
        words: set[str] = set()
        for lines in paragraphs:
            for ln in lines:
                tokens = _TOKEN_RE.findall(ln)
                words.update(tokens[1:-1])  # a line's first and last words may be halves
        self.words = words
        self.prefixes = {w[:k] for w in words for k in range(2, len(w) + 1)}
        decided = [self._decide(a, b) for a, b in self._wraps(paragraphs)]
        inside = sum(1 for d in decided if d is False)
        between = sum(1 for d in decided if d is True)
        self.default_space = between >= inside

    @staticmethod
    def _wraps(paragraphs):
        for lines in paragraphs:
            yield from zip(lines, lines[1:], strict=False)

    def _decide(self, prev: str, nxt: str) -> bool | None:
        """True: a space goes between; False: no space; None: cannot tell."""
        if not (_HANGUL_END_RE.search(prev) and _HANGUL_START_RE.search(nxt)):
            return True  # Latin text, numbers and punctuation wrap at spaces
        a = _TOKEN_RE.findall(prev)[-1]
        b = _TOKEN_RE.findall(nxt)[0]
        if a + b in self.prefixes:
            return False
        if a in self.words and b in self.words:
            return True
        # A lone syllable that never stands alone in this document is half of a word.
        if (len(a) == 1 and a not in self.words) or (len(b) == 1 and b not in self.words):
            return False
        # A word that ends in a particle (금융과, 모델의, 결과를) is complete.
        if len(a) >= 2 and len(b) >= 2 and a[-1] in _PARTICLES:
            return True
        return None

    def join(self, lines: list[str]) -> str:
        if not lines:
            return ""
        out = lines[0]
        for nxt in lines[1:]:
            decision = self._decide(out, nxt)
            space = self.default_space if decision is None else decision
            out = f"{out} {nxt}" if space else out + nxt
        return out


@dataclass(frozen=True, slots=True)
class Detected:
    title: str
    date: str | None
    publisher: str


def detect(text: str, fallback_title: str) -> Detected:
    """What the first lines say about the report: a title, an issue date, a publisher."""
    head = [ln.strip() for ln in text.split("\n")[:15] if ln.strip()]
    issue = next((ln for ln in head if re.search(r"\d{4}\s*년\s*\d{1,2}\s*월\s*호", ln)), "")
    publisher = head[0] if head and head[0] != issue else ""
    title = " · ".join(x for x in (publisher, issue) if x) or (head[0] if head else fallback_title)
    found = date_from_text("\n".join(head), UTC)
    return Detected(title[:120], found[0].date().isoformat() if found else None, publisher)


@dataclass(frozen=True, slots=True)
class Imported:
    text_path: Path
    sidecar_path: Path
    detected: Detected
    pages: int
    engine: str


def import_pdf(pdf: Path, folder: Path, slug: str, *, force: bool = False,
               site_root: Path | None = None) -> Imported:
    """Extract ``pdf`` into ``folder/slug.txt`` and ``folder/slug.yaml``, never writing
    outside ``site_root`` (default: ``folder``)."""
    root = (site_root or folder).resolve()
    if not pdf.is_file():
        raise ImportFailed(f"{pdf}: no such file")
    with open(pdf, "rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise ImportFailed(f"{pdf}: not a PDF file")
    text_path, sidecar = folder / f"{slug}.txt", folder / f"{slug}.yaml"
    try:
        for target in (text_path, sidecar):
            check_writable(target, root)
    except OutsideSiteError as exc:
        raise ImportFailed(str(exc)) from None
    existing = [p for p in (text_path, sidecar) if p.exists()]
    if existing and not force:
        raise ImportFailed(f"{existing[0]} already exists; pass --force to overwrite it")
    extracted = extract(pdf)
    text = reflow(extracted.pages)
    if not text.strip():
        raise ImportFailed(f"{pdf}: no text found (a scanned PDF needs OCR first)")
    detected = detect(text, slug)
    meta = {"title": detected.title}
    if detected.date:
        meta["date"] = detected.date
    if detected.publisher:
        meta["publisher"] = detected.publisher
    meta["source_pdf"] = pdf.name
    meta["extracted_with"] = extracted.engine
    header = (
        "# Detected from the PDF by `digestgen import`; edit freely. These keys override\n"
        "# what the brief loader detects in the text.\n"
    )
    try:
        write_inside(text_path, root, text.encode("utf-8"))
        write_inside(sidecar, root, (header + yaml.safe_dump(
            meta, allow_unicode=True, sort_keys=False)).encode("utf-8"))
    except OutsideSiteError as exc:
        raise ImportFailed(str(exc)) from None
    except OSError as exc:
        raise ImportFailed(f"cannot write {exc.filename or folder}: {exc.strerror or exc}"
                           ) from None
    return Imported(text_path, sidecar, detected, len(extracted.pages), extracted.engine)
