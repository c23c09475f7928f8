"""Which PDF extractor should `digestgen import` use, and how fast is an import? Measured side
by side, in one run, on Korean PDFs.

    python bench/pdf_extract.py [--write] [--runs N]

Corpora:
- the real published brief in ../shared/samples/pdf/spri-ai-brief-2023-12.pdf, when present:
  a whole `digestgen import` against a plain pdfplumber text pass over the same file (the
  issue's yardstick: an import must take at most half of it), and what the import found
  (articles, glyph leaks, build warnings);
- a real Korean book: lshort-ko.pdf (143 pages, typeset with ko.TeX), from Debian's
  texlive-lang-korean package (fetched with `apt-get download`), with its LaTeX sources as the
  ground truth for reading order;
- the brief-shaped reports made with reportlab (tests/makepdf.py, both layouts): what went in
  is the ground truth for paragraphs, bullets and table rows.

Each timing is the best of `--runs` (default 3), the contenders taking turns, so a busy
machine slows both alike. `--write` replaces the PDF section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
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

from makepdf import ARTICLES, EVENTS, make_brief_pdf  # noqa: E402

from digestgen.imports.pdf import convert  # noqa: E402

DOC = "usr/share/doc/texlive-doc/latex/lshort-korean"
REAL = HERE.parent.parent / "shared" / "samples" / "pdf" / "spri-ai-brief-2023-12.pdf"
LEAKS = re.compile(r"(?:^|\n)\s*(?:[nlu§£]\s|[\ue000-\uf8ff])|£|§")


def fetch_lshort(work: Path) -> tuple[Path, Path] | None:
    """lshort-ko.pdf and its sources, from the Debian package (None if apt cannot get it)."""
    try:
        subprocess.run(["apt-get", "download", "texlive-lang-korean"], cwd=work, check=True,
                       capture_output=True)
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


# -- the contenders --------------------------------------------------------------------------


def text_pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def text_pdfplumber(path: Path) -> str:
    """The yardstick: pdfplumber's plain text of every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def text_import(path: Path) -> str:
    """What `digestgen import` writes (extraction, layout, reflow; no file writing)."""
    return convert(path).text


CONTENDERS = {
    "pypdfium2 plain text": text_pypdfium2,
    "pdfplumber plain text": text_pdfplumber,
    "digestgen import": text_import,
}


def timed(runs: int, path: Path) -> dict[str, tuple[float, str]]:
    """Best time of each contender over ``runs`` rounds, taking turns; and its text."""
    best: dict[str, tuple[float, str]] = {}
    for _ in range(runs):
        for name, fn in CONTENDERS.items():
            t0 = time.perf_counter()
            text = fn(path)
            took = time.perf_counter() - t0
            if name not in best or took < best[name][0]:
                best[name] = (took, text)
    return best


# -- scores ----------------------------------------------------------------------------------


def bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def book_scores(text: str, chapters: list[list[str]]) -> tuple[float, float]:
    flat = re.sub(r"\s+", "", text)
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


def report_scores(text: str) -> tuple[float, float]:
    """Share of the made report's paragraphs found as one line each, and of its table rows."""
    # A paragraph is found when a line holds it whole, behind its mark at most.
    lines = {bare(re.sub(r"^\s*(?:☞\s*출처\s*[:：]|[-●*■◼•∙·]+)\s*", "", ln))
             for ln in text.splitlines()}
    paragraphs = [p for a in ARTICLES for p in (a.title, *a.key_points, *(b for _, b in a.bullets),
                                                *a.notes, *a.sources)]
    found = sum(1 for p in paragraphs if bare(p) in lines) / len(paragraphs)
    rows = [r for a in ARTICLES for r in a.table] + list(EVENTS)
    raw = set(text.splitlines())
    return found, sum(1 for r in rows if "\t".join(r) in raw) / len(rows)


def real_brief_figures(work: Path) -> dict[str, object]:
    """Import the real brief into a fresh site and build it: what a user gets."""
    from digestgen.build import BuildOptions, build
    from digestgen.cli import main

    site = work / "site"
    site.mkdir()
    (site / "site.yaml").write_text("title: t\nbase_url: https://e.x/\nlanguage: ko\n"
                                    "timezone: Asia/Seoul\n", encoding="utf-8")
    main(["import", str(REAL), "--source", str(site)])
    result = build(BuildOptions(source=site))
    html = (site / "_site/briefs/spri-ai-brief-2023-12/index.html").read_text(encoding="utf-8")
    text = (site / "content/briefs/spri-ai-brief-2023-12.txt").read_text(encoding="utf-8")
    return {
        "articles": html.count('class="brief-article"'),
        "leaks": len(LEAKS.findall(text)) + len(LEAKS.findall(re.sub(r"<[^>]+>", "\n", html))),
        "warnings": len(result.diagnostics),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--runs", type=int, default=3, help="rounds per timing (best is kept)")
    args = parser.parse_args()
    out = ["## PDF extraction for `digestgen import`", ""]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if REAL.is_file():
            best = timed(args.runs, REAL)
            plain = best["pdfplumber plain text"][0]
            figures = real_brief_figures(work)
            out += [
                f"Real brief: {REAL.name} (23 pages), best of {args.runs}, contenders taking "
                "turns. Python " + sys.version.split()[0] + f", {os.cpu_count()} cores, load "
                f"average {os.getloadavg()[0]:.1f} during the run (other work on the "
                "machine slows both contenders alike; the share is the figure to read).",
                "",
                "| | seconds | share of the pdfplumber pass |",
                "|---|---|---|",
            ]
            for name, (took, _) in best.items():
                out.append(f"| {name} | {took:.2f} | {took / plain:.0%} |")
            out += ["", f"The import found {figures['articles']} articles, "
                        f"{figures['leaks']} symbol-font leaks; its build printed "
                        f"{figures['warnings']} warnings.", ""]
        reports = []
        for layout in ("classic", "newer"):
            report = work / f"report-{layout}.pdf"
            make_brief_pdf(report, layout)
            reports.append((layout, report))
        book = fetch_lshort(work)
        chapters = sentences(book[1]) if book else []
        out += [
            "Book: lshort-ko.pdf (143 pages, Debian texlive-lang-korean), "
            f"{sum(len(c) for c in chapters)} Korean sentences of its LaTeX sources as ground "
            "truth. Reports: tests/makepdf.py, both layouts (paragraphs as one line each, table "
            "rows as TAB rows).",
            "",
            "| | book: sentences found | book: in order | book: seconds/page | report "
            "paragraphs (classic / newer) | report table rows |",
            "|---|---|---|---|---|---|",
        ]
        book_best = timed(1, book[0]) if book else {}
        for name, fn in CONTENDERS.items():
            scores = [report_scores(fn(path)) for _, path in reports]
            if book:
                took, text = book_best[name]
                recall, order = book_scores(text, chapters)
                cells = f"{recall:.1%} | {order:.1%} | {took / 143:.3f}"
            else:
                cells = "– | – | –"
            paras = " / ".join(f"{p:.0%}" for p, _ in scores)
            rows = " / ".join(f"{r:.0%}" for _, r in scores)
            out.append(f"| {name} | {cells} | {paras} | {rows} |")
    text = "\n".join(out) + "\n"
    print(text)
    if args.write:
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else "# Benchmark results\n\n"
        start = old.find("## PDF extraction for `digestgen import`")
        if start < 0:
            results.write_text(old.rstrip() + "\n\n" + text)
        else:
            end = old.find("\n## ", start + 1)
            rest = old[end + 1:] if end >= 0 else ""
            results.write_text(old[:start] + text + ("\n" + rest if rest else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
