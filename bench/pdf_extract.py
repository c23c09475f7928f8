"""Which PDF extractor should `digestgen import` use? Measured side by side on Korean PDFs.

    python bench/pdf_extract.py [--write]

Corpora:
- a real Korean book: lshort-ko.pdf (143 pages, typeset with ko.TeX), from Debian's
  texlive-lang-korean package (fetched with `apt-get download`), with its LaTeX sources as the
  ground truth for reading order;
- a brief-shaped report made with reportlab (tests/makepdf.py): cover, articles, bullets that
  wrap, a ruled table; its ground truth is what went in.

Measures, per extractor: sentence recall and order on the book (each Korean sentence of the
sources found, whitespace ignored, and in the right order), paragraph recall after our reflow
and table rows recovered on the report, and seconds per page. `--write` appends the table to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "src"))

from makepdf import make_brief_pdf  # noqa: E402

from digestgen.imports.pdf import reflow  # noqa: E402

DOC = "usr/share/doc/texlive-doc/latex/lshort-korean"


def fetch_lshort(work: Path) -> tuple[Path, Path] | None:
    """lshort-ko.pdf and its sources, from the Debian package (None if apt cannot get it)."""
    try:
        subprocess.run(
            ["apt-get", "download", "texlive-lang-korean"],
            cwd=work,
            check=True,
            capture_output=True,
        )
        deb = next(work.glob("texlive-lang-korean_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
    except (OSError, subprocess.CalledProcessError, StopIteration):
        return None
    doc = work / "x" / DOC
    src = work / "src"
    with tarfile.open(next(doc.glob("lshort-ko-src-*.tar.gz"))) as tar:
        tar.extractall(src, filter="data")
    return doc / "lshort-ko.pdf", src


def sentences(src: Path) -> list[list[str]]:
    """Korean sentences of each chapter's source, in order, LaTeX stripped, whitespace removed."""
    chapters = []
    for tex in sorted(src.rglob("lsk-*.tex")):
        if tex.name.startswith("._"):
            continue
        found = []
        for line in tex.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lstrip().startswith("%") or "\\" in line or "{" in line or "$" in line:
                continue
            for sentence in re.split(r"(?<=[.?!])\s+", line):
                if len(re.findall(r"[\uac00-\ud7a3]", sentence)) >= 15:
                    found.append(re.sub(r"\s+", "", sentence))
        if found:
            chapters.append(found)
    return chapters


def pages_pypdfium2(path: Path) -> tuple[str, ...]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return tuple(
        pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))
    )


def pages_pdfplumber_plain(path: Path) -> tuple[str, ...]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return tuple(page.extract_text() or "" for page in pdf.pages)


def pages_pdfplumber_tables(path: Path) -> tuple[str, ...]:
    from digestgen.imports.pdf import extract

    return extract(path).pages


ENGINES = {
    "pypdfium2": pages_pypdfium2,
    "pdfplumber": pages_pdfplumber_plain,
    "pdfplumber + tables (digestgen)": pages_pdfplumber_tables,
}


def book_scores(pages: tuple[str, ...], chapters: list[list[str]]) -> tuple[float, float]:
    flat = re.sub(r"\s+", "", "".join(pages))
    found = total = ordered = pairs = 0
    for chapter in chapters:
        last = -1
        for sentence in chapter:
            total += 1
            pos = flat.find(sentence)
            if pos >= 0:
                found += 1
                if last >= 0:
                    pairs += 1
                    ordered += pos > last
                last = pos
    return found / max(total, 1), ordered / max(pairs, 1)


def report_scores(pages: tuple[str, ...], truth) -> tuple[float, float]:
    lines = {re.sub(r" +", " ", ln).strip() for ln in reflow(pages).split("\n")}
    para = sum(1 for p in truth.paragraphs if re.sub(r" +", " ", p) in lines) / len(
        truth.paragraphs
    )
    rows = sum(1 for row in truth.table if "\t".join(row) in lines) / len(truth.table)
    return para, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="append results to bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        report = work / "report.pdf"
        truth = make_brief_pdf(report)
        book = fetch_lshort(work)
        chapters = sentences(book[1]) if book else []
        rows = []
        for name, engine in ENGINES.items():
            t0 = time.perf_counter()
            report_pages = engine(report)
            para, table = report_scores(report_pages, truth)
            if book:
                t1 = time.perf_counter()
                book_pages = engine(book[0])
                per_page = (time.perf_counter() - t1) / len(book_pages)
                recall, order = book_scores(book_pages, chapters)
            else:
                per_page = (time.perf_counter() - t0) / len(report_pages)
                recall = order = float("nan")
            rows.append((name, recall, order, para, table, per_page))
    n_sent = sum(len(c) for c in chapters)
    lines = [
        "## PDF extraction for `digestgen import`",
        "",
        f"Book: lshort-ko.pdf (143 pages, Debian texlive-lang-korean), {n_sent} Korean sentences "
        "of its LaTeX sources as ground truth. Report: tests/makepdf.py (brief-shaped, ruled "
        "table). Python " + sys.version.split()[0] + ".",
        "",
        "| extractor | book: sentences found | book: in order | report: paragraphs after "
        "reflow | report: table rows | seconds/page (book) |",
        "|---|---|---|---|---|---|",
    ]
    for name, recall, order, para, table, per_page in rows:
        lines.append(
            f"| {name} | {recall:.1%} | {order:.1%} | {para:.0%} | {table:.0%} | {per_page:.3f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else "# Benchmark results\n\n"
        old = (
            re.sub(
                r"## PDF extraction for `digestgen import`.*?(?=\n## |\Z)", "", old, flags=re.S
            ).rstrip()
            + "\n\n"
        )
        results.write_text(old + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
