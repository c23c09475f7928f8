"""`digestgen import FILE.pdf`: a Korean PDF report becomes a brief that builds clean.

The PDFs are made here (tests/makepdf.py) in two layouts; one golden test reads the real
published brief in ../shared/samples when it is there.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, run_cli, write_site
from hypothesis import given
from hypothesis import strategies as st
from makepdf import (
    ARTICLES,
    EVENTS,
    FONT,
    NAME,
    make_brief_pdf,
    make_two_column_pdf,
    make_unmapped_pdf,
    register_fonts,
)

from digestgen.imports.pdf import convert
from digestgen.imports.pdf.extract import Char
from digestgen.imports.pdf.furniture import find_furniture
from digestgen.imports.pdf.glyphs import char_text, dingbat_table
from digestgen.imports.pdf.layout import Line, lines_of
from digestgen.imports.pdf.reflow import body_text, make_glue, paragraphs

pytest.importorskip("pypdfium2")
pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

SLUG = "가상-브리프-2025-04"
LEAKS = re.compile(r"(?:^|\n|>)\s*(?:[nlu§£]\s|[\ue000-\uf8ff])")


def bare(text: str) -> str:
    """Letters and digits only: wrapped lines may be joined with or without a space."""
    return re.sub(r"[\W_]+", "", text)


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "site", {}, MINIMAL_CONFIG)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    made = {}
    for layout in ("classic", "newer"):
        path = folder / f"가상 브리프 2025-04 {layout}.pdf"
        made[layout] = (path, make_brief_pdf(path, layout))
    return made


@pytest.fixture
def pdf(pdfs, tmp_path):
    """The classic layout, under the name the tests expect a slug from."""
    path = tmp_path / "가상 브리프 2025-04.pdf"
    shutil.copy(pdfs["classic"][0], path)
    return path


def imported(site, pdf, capsys, *extra):
    code, out, err = run_cli(["import", str(pdf), "--source", str(site), *extra], capsys)
    assert code == 0, err
    return out, (site / f"content/briefs/{SLUG}.txt").read_text(encoding="utf-8")


# -- what the text holds ---------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["classic", "newer"])
def test_every_article_comes_out_whole_and_in_the_loader_form(layout, pdfs, site, tmp_path,
                                                              capsys):
    path = tmp_path / "가상 브리프 2025-04.pdf"
    shutil.copy(pdfs[layout][0], path)
    _, text = imported(site, path, capsys)
    lines = text.splitlines()
    for a in ARTICLES:
        title_at = lines.index(a.title)
        assert lines[title_at + 1] == "KEY Contents"
        for point in a.key_points:
            assert any(ln.startswith("- ") and bare(ln) == bare(point) for ln in lines)
        assert f"● {a.subhead}" in lines
        for depth, bullet in a.bullets:
            mark = " - " if depth else "- "
            assert any(ln.startswith(mark) and bare(ln) == bare(bullet) for ln in lines), bullet
        for note in a.notes:
            assert note in lines
        first, *more = a.sources
        assert f"☞ 출처: {first}" in lines
        for citation in more:  # a wrapped citation comes back as one line
            assert citation in lines
        for row in a.table:
            assert "\t".join(row) in lines
        if a.caption:
            assert lines[lines.index("\t".join(a.table[0])) - 1] == a.caption
    for row in EVENTS:
        assert "\t".join(row) in lines


@pytest.mark.parametrize("layout", ["classic", "newer"])
def test_running_heads_tab_bars_page_numbers_and_back_cover_are_dropped(layout, pdfs, site,
                                                                        tmp_path, capsys):
    path = tmp_path / "가상 브리프 2025-04.pdf"
    shutil.copy(pdfs[layout][0], path)
    _, text = imported(site, path, capsys)
    for furniture in pdfs[layout][1].furniture:
        assert furniture not in text
    assert "정책･법제" not in text  # the newer heads name the section
    assert not re.search(r"(?m)^\d+$", text)  # page numbers
    assert "1. 정책/법제\t2. 기업/산업" not in text and "1. 정책/법제 2. 기업/산업" not in text
    assert "example.org" not in text  # the back cover's contacts


def test_symbol_font_glyphs_are_read_by_their_font_not_their_letter(site, pdf, capsys):
    _, text = imported(site, pdf, capsys)
    # The classic layout draws its bullets with a font named Wingdings whose codes are the
    # letters n and £: none of them may reach the text as letters.
    assert not LEAKS.search(text)
    assert "£" not in text
    assert not re.search(r"[\ue000-\uf8ff]", text)


@pytest.mark.parametrize(("code", "font", "expected"), [
    (ord("n"), "ABCDEF+Wingdings-Regular", "◼"),
    (0xF06E, "Wingdings", "◼"),  # the code shifted into the private use area
    (ord("£"), "Wingdings", "\U0001f788"),
    (ord("§"), "Wingdings", "▪"),
    (ord("l"), "Wingdings", "⚫"),
    (ord("u"), "Wingdings", "◆"),
    (ord("a"), "SymbolMT", "α"),
    (ord("n"), "ZapfDingbats", "■"),
    (ord("n"), "KoPubDotumLight", "n"),
    (0xF06E, "KoPubDotumLight", ""),  # private use in a font we have no table for
    (0x2F24, "KoPubDotumLight", "大"),  # a Kangxi radical for the ideograph
    (0x02, "KoPubDotumLight", "\u00ad"),  # PDFium's hyphen at a line's end: joined later
    (0x07, "KoPubDotumLight", ""),
    (ord("①"), "KoPubDotumLight", "①"),
])
def test_char_text_reads_a_code_through_its_font(code, font, expected):
    assert char_text(code, dingbat_table(font)) == expected


@given(st.integers(0, 0x10FFFF), st.sampled_from(
    ["Wingdings", "Wingdings 2", "Wingdings3", "Webdings", "Symbol", "ZapfDingbats", "Dotum", ""]))
def test_char_text_never_gives_control_or_private_use_characters(code, font):
    text = char_text(code, dingbat_table(font))
    assert not any(ord(c) < 0x20 or 0xE000 <= ord(c) <= 0xF8FF or 0x7F <= ord(c) < 0xA0
                   for c in text)


def test_contents_is_written_for_the_loader_and_dropped_from_the_page(site, pdf, capsys):
    _, text = imported(site, pdf, capsys)
    head = text.split("\n\n")[:2]
    assert head[0].splitlines() == [NAME, "2025년 4월호"]
    contents = head[1].splitlines()
    assert contents[:3] == ["CONTENTS", "Ⅰ. 인공지능 산업 동향", "1. 정책/법제"]
    assert f"▷ {ARTICLES[0].title}\t1" in contents
    assert "2. 기업/산업" in contents
    assert build_site(site, strict=True).diagnostics == ()
    doc = page(site / "_site", f"briefs/{SLUG}/index.html")
    body = doc.xpath("string(//main)")
    assert "CONTENTS" not in body and "···" not in body


@pytest.mark.parametrize("layout", ["classic", "newer"])
def test_cover_gives_title_publisher_and_issue_date(layout, pdfs, site, tmp_path, capsys):
    path = tmp_path / "가상 브리프 2025-04.pdf"
    shutil.copy(pdfs[layout][0], path)
    truth = pdfs[layout][1]
    out, _ = imported(site, path, capsys)
    assert f"title: {truth.title}" in out and "date:  2025-04-01" in out
    assert "contents: 3 of 3 entries found in the text" in out
    sidecar = (site / f"content/briefs/{SLUG}.yaml").read_text(encoding="utf-8")
    assert f"title: {truth.title}\n" in sidecar
    assert f"publisher: {truth.publisher}\n" in sidecar
    assert "date: '2025-04-01'\n" in sidecar
    assert "source_pdf: 가상 브리프 2025-04.pdf\n" in sidecar


def test_imported_brief_builds_without_warnings_into_articles(site, pdf, capsys):
    imported(site, pdf, capsys)
    result = build_site(site, strict=True)
    assert result.diagnostics == ()
    doc = page(site / "_site", f"briefs/{SLUG}/index.html")
    assert doc.xpath("//h1/text()") == [f"{NAME} 2025년 4월호"]
    sections = doc.xpath("//section[@class='brief-article']")
    assert [s.xpath("string(./h3)") for s in sections] == [a.title for a in ARTICLES]
    assert [s.xpath("string(.//p[@class='article-category'])") for s in sections] == [
        a.section for a in ARTICLES]
    first = sections[0]
    assert len(first.xpath(".//div[@class='key-points']//li")) == 2
    assert first.xpath(".//h4/text()") == [ARTICLES[0].subhead]
    assert len(first.xpath(".//ul/li/ul/li")) == 2  # the sub-bullets, nested
    assert first.xpath(".//p[@class='note']/text()") == list(ARTICLES[0].notes)
    assert len(first.xpath(".//div[@class='sources']//li")) == 2
    assert sections[1].xpath(".//p[@class='caption']/text()") == ["평가 항목과 점검 방법"]
    assert sections[1].xpath(".//table//td/text()")[:2] == ["정확성", "시험 데이터로 측정"]
    assert doc.xpath("//h2/text()")[-1] == "Ⅱ. 주요 행사 일정"
    assert doc.xpath("//table")[-1].xpath(".//td/text()")[:3] == list(EVENTS[1])


def test_a_two_column_page_reads_the_left_column_first(tmp_path):
    path = tmp_path / "columns.pdf"
    paragraphs = make_two_column_pdf(path)
    lines = convert(path).text.splitlines()
    assert lines[0] == "두 단 보고서의 제목은 두 단에 걸쳐 놓입니다"
    assert [bare(ln) for ln in lines[1:]] == [bare(p) for p in paragraphs]


def _chars(text: str, x: float, baseline: float, size: float = 10.0, font: str = "Dotum",
           private: bool = False) -> list[Char]:
    out = []
    for ch in text:
        width = size if ch > "\u1100" else size / 2
        if ch != " ":
            out.append(Char("" if private else ch, x, x + width, baseline - size,
                            baseline + size * 0.2, baseline, size, font, False, private))
        x += width
    return out


def test_layout_reads_superscripts_gaps_and_marks_from_positions():
    row = [*_chars("최대 10", 72, 100), *_chars("26", 107.2, 95, size=6), *_chars(" 플롭스", 113.2, 100)]
    (line,) = lines_of(1, row)
    assert line.text == "최대 10²⁶ 플롭스"
    (line,) = lines_of(1, [*_chars("제목", 72, 100), *_chars("3", 400, 100)])
    assert line.text == "제목\t3"  # a gap of many ems
    (line,) = lines_of(1, [*_chars("x", 72, 100, private=True), *_chars(" 항목", 77, 100)])
    assert line.first_private and line.text == "항목"
    paras = paragraphs([line])
    assert body_text(paras, make_glue(paras)) == ["- 항목"]  # an unknown glyph is a bullet
    wrapped = [*lines_of(1, _chars("manip\u00ad", 72, 100)), *lines_of(1, _chars("ulation", 72, 112))]
    assert make_glue([]).join([ln.text for ln in wrapped]) == "manipulation"
    doubled = _chars("굵게", 72, 100) + _chars("굵게", 72.3, 100)
    (line,) = lines_of(1, doubled)
    assert line.text == "굵게"  # drawn twice for a fake bold


def _line(page: int, text: str, top: float) -> Line:
    return Line(page, text, 72, 300, top, top + 10, 10, False, 72, text[0], False)


def test_furniture_is_what_recurs_at_a_pages_edge_not_what_it_says():
    sections = ["정책･법제", "정책･법제", "기업･산업", "기업･산업", "기술･연구"]
    pages = []
    for n, section in enumerate(sections, 1):
        pages.append([
            _line(n, f"| 2025년 4월호 | {section}", 30),
            _line(n, "KEY Contents", 60),  # high on the page, and on every page: still content
            _line(n, f"{n}번째 기사의 제목", 90),
            _line(n, "본문 문장이 이어집니다", 400),
            _line(n, f"- {n} -", 800),
        ])
    found = find_furniture(pages, [842.0] * len(pages))
    kept = [ln.text for items in pages for ln in items if id(ln) not in found.lines]
    assert kept == [t for n in range(1, 6) for t in (
        "KEY Contents", f"{n}번째 기사의 제목", "본문 문장이 이어집니다")]
    # A head seen on one page only ("기술･연구") is furniture beside the others.
    assert "| 2025년 4월호 | 기술･연구" in dict(found.heads)


# -- re-import, several files ----------------------------------------------------------------


def test_reimport_changes_nothing_and_an_edit_is_kept_without_force(site, pdf, capsys):
    imported(site, pdf, capsys)
    target = site / f"content/briefs/{SLUG}.txt"
    sidecar = site / f"content/briefs/{SLUG}.yaml"
    before = (target.read_bytes(), sidecar.read_bytes(), target.stat().st_mtime_ns)
    out, _ = imported(site, pdf, capsys)
    assert "nothing to do" in out
    assert (target.read_bytes(), sidecar.read_bytes(), target.stat().st_mtime_ns) == before

    target.write_text("손으로 고친 내용\n", encoding="utf-8")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 1 and f"{target} already exists; pass --force" in err
    assert "edited since it was imported" in err
    assert target.read_text(encoding="utf-8") == "손으로 고친 내용\n"
    code, _, _ = run_cli(["import", str(pdf), "--source", str(site), "--force"], capsys)
    assert code == 0 and target.read_bytes() == before[0]

    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(
        "title: ", "title: 고친 "), encoding="utf-8")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 1 and f"{sidecar} already exists; pass --force" in err
    assert "title: 고친 " in sidecar.read_text(encoding="utf-8")


def test_a_file_not_written_by_an_import_is_never_overwritten(site, pdf, capsys):
    target = site / f"content/briefs/{SLUG}.txt"
    target.parent.mkdir(parents=True)
    target.write_text("직접 쓴 브리프\n", encoding="utf-8")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 1 and "already exists; pass --force" in err
    assert target.read_text(encoding="utf-8") == "직접 쓴 브리프\n"


def test_several_files_and_a_folder_in_one_call(site, pdfs, tmp_path, capsys):
    folder = tmp_path / "issues"
    folder.mkdir()
    shutil.copy(pdfs["classic"][0], folder / "brief-a.pdf")
    shutil.copy(pdfs["newer"][0], folder / "brief-b.PDF")
    (folder / "notes.txt").write_text("PDF 아님", encoding="utf-8")
    single = tmp_path / "brief-c.pdf"
    shutil.copy(pdfs["classic"][0], single)
    code, out, err = run_cli(["import", str(folder), str(single), "--source", str(site)], capsys)
    assert code == 0, err
    briefs = site / "content/briefs"
    assert sorted(p.name for p in briefs.iterdir()) == [
        "brief-a.txt", "brief-a.yaml", "brief-b.txt", "brief-b.yaml", "brief-c.txt",
        "brief-c.yaml"]
    assert out.count("wrote ") == 3
    code, _, err = run_cli(["import", str(folder), str(single), "--source", str(site),
                            "--slug", "one"], capsys)
    assert code == 2 and "--slug names one PDF" in err


def test_one_bad_file_among_several_fails_the_call_but_not_the_others(site, pdf, tmp_path,
                                                                      capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"0" * 200)
    code, out, err = run_cli(["import", str(bad), str(pdf), "--source", str(site)], capsys)
    assert code == 1 and str(bad) in err
    assert (site / f"content/briefs/{SLUG}.txt").is_file()


def test_section_and_slug_options(site, pdf, capsys):
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--section", "posts",
                            "--slug", "april"], capsys)
    assert code == 0, err
    assert (site / "content/posts/april.txt").is_file()
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--section", "nope"], capsys)
    assert code == 2 and "no section 'nope'" in err
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--slug", "../escape"],
                           capsys)
    assert code == 2 and not (site / "content/escape.txt").exists()


# -- bad PDFs and hostile sites --------------------------------------------------------------


def _cli_error(site, path, capsys) -> str:
    code, _, err = run_cli(["import", str(path), "--source", str(site)], capsys)
    assert code == 1, err
    assert str(path) in err
    assert "Traceback" not in err and "internal error" not in err and "bug" not in err
    assert not (site / "content/briefs").exists() or not any(
        (site / "content/briefs").iterdir())
    return err


def test_a_truncated_pdf_is_a_clear_error_naming_it(site, pdf, tmp_path, capsys):
    cut = tmp_path / "cut.pdf"
    data = pdf.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert "damaged or truncated" in _cli_error(site, cut, capsys)


def _encrypted(path, user: str, owner: str):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    register_fonts()
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(
        user, ownerPassword=owner, canCopy=0, strength=128))
    c.setFont(FONT, 12)
    c.drawString(72, 700, "암호가 걸린 가상 보고서의 본문입니다")
    c.save()


def test_an_encrypted_pdf_says_decrypt_it_first(site, tmp_path, capsys):
    locked = tmp_path / "locked.pdf"
    _encrypted(locked, "secret", "owner")
    assert "the PDF is encrypted; decrypt it first" in _cli_error(site, locked, capsys)


def test_a_pdf_with_only_an_owner_password_is_read_not_garbled(site, tmp_path, capsys):
    owner_only = tmp_path / "owner-only.pdf"
    _encrypted(owner_only, "", "owner")
    code, _, err = run_cli(["import", str(owner_only), "--source", str(site)], capsys)
    assert code == 0, err
    text = (site / "content/briefs/owner-only.txt").read_text(encoding="utf-8")
    assert "암호가 걸린 가상 보고서의 본문입니다" in text and "(cid:" not in text


def test_a_pdf_without_text_or_not_a_pdf_is_a_clear_error(site, tmp_path, capsys):
    from reportlab.pdfgen import canvas

    scanned = tmp_path / "scanned.pdf"
    c = canvas.Canvas(str(scanned))
    c.rect(72, 72, 300, 300, fill=1)
    c.save()
    assert "no text found" in _cli_error(site, scanned, capsys)
    fake = tmp_path / "notes.pdf"
    fake.write_text("그냥 텍스트", encoding="utf-8")
    assert "not a PDF file" in _cli_error(site, fake, capsys)
    assert "no such file" in _cli_error(site, tmp_path / "missing.pdf", capsys)


def test_a_pdf_whose_fonts_map_no_text_is_refused_not_imported_as_garbage(site, tmp_path,
                                                                         capsys):
    unmapped = tmp_path / "unmapped.pdf"
    make_unmapped_pdf(unmapped)
    assert "have no readable text in their fonts" in _cli_error(site, unmapped, capsys)


def test_import_never_writes_through_a_symlink_out_of_the_site(site, pdf, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "content").mkdir()
    os.symlink(outside, site / "content/briefs")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--force"], capsys)
    assert code == 1 and "outside the site" in err
    assert list(outside.iterdir()) == []

    (site / "content/briefs").unlink()
    (site / "content/briefs").mkdir()
    victim = outside / "victim.txt"
    victim.write_text("바깥 파일\n", encoding="utf-8")
    os.symlink(victim, site / f"content/briefs/{SLUG}.txt")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--force"], capsys)
    assert code == 1 and "outside the site" in err
    assert victim.read_text(encoding="utf-8") == "바깥 파일\n"


# -- the real published brief ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_brief(tmp_path_factory):
    from conftest import SAMPLES

    path = SAMPLES / "pdf" / "spri-ai-brief-2023-12.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    site = write_site(tmp_path_factory.mktemp("real") / "site", {}, MINIMAL_CONFIG)
    from digestgen.cli import main

    assert main(["import", str(path), "--source", str(site)]) == 0
    result = build_site(site)
    return path, site, result


def test_real_brief_contents_entries_are_all_found(real_brief, capsys):
    path, site, _ = real_brief
    code, out, _ = run_cli(["import", str(path), "--source", str(site), "--force"], capsys)
    assert code == 0
    # Re-importing the same file changes nothing; the cross-check is printed when it writes.
    assert "nothing to do" in out
    (site / "content/briefs/spri-ai-brief-2023-12.txt").unlink()
    code, out, _ = run_cli(["import", str(path), "--source", str(site)], capsys)
    assert code == 0 and "contents: 21 of 21 entries found in the text" in out


def _contents_titles(path) -> list[str]:
    """The article titles as the PDF's own contents page lists them, read with PDFium's
    plain text (an oracle independent of the importer's layout)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    text = doc[1].get_textpage().get_text_range()
    doc.close()
    titles = []
    for line in text.splitlines():
        m = re.match(r"^\s*▹\s*(.+?)\s*·{3,}\s*\d+\s*$", line)
        if m:
            titles.append(m[1])
    return titles


def test_real_brief_articles_sections_key_points_and_sources(real_brief):
    path, site, result = real_brief
    doc = page(site / "_site", "briefs/spri-ai-brief-2023-12/index.html")
    sections = doc.xpath("//section[@class='brief-article']")
    titles = [s.xpath("string(./h3)") for s in sections]
    listed = _contents_titles(path)
    assert len(titles) == 18
    assert [bare(t) for t in titles] == [bare(t) for t in listed[:18]]
    categories = [s.xpath("string(.//p[@class='article-category'])") for s in sections]
    assert categories == ["정책/법제"] * 6 + ["기업/산업"] * 8 + ["기술/연구"] * 3 + ["인력/교육"]
    assert [len(s.xpath(".//div[@class='key-points']//li")) for s in sections] == [2] * 18
    sources = [len(s.xpath(".//div[@class='sources']//li")) or len(s.xpath(
        ".//p[@class='sources']")) for s in sections]
    assert sources == [1, 1, 2, 1, 1, 2, 1, 1, 1, 3, 2, 1, 1, 1, 2, 1, 1, 1]
    assert doc.xpath("//h2/text()")[1:] == ["Ⅰ. 인공지능 산업 동향 브리프", "Ⅱ. 주요 행사 일정"]


def test_real_brief_has_no_glyph_leaks_and_few_warnings(real_brief):
    _, site, result = real_brief
    text = (site / "content/briefs/spri-ai-brief-2023-12.txt").read_text(encoding="utf-8")
    html = (site / "_site/briefs/spri-ai-brief-2023-12/index.html").read_text(encoding="utf-8")
    for where in (text, html):
        assert not LEAKS.search(where)
        assert "£" not in where and "§" not in where
    assert len(result.diagnostics) <= 5, [d.format() for d in result.diagnostics]


def test_real_brief_cover(real_brief):
    _, site, _ = real_brief
    sidecar = (site / "content/briefs/spri-ai-brief-2023-12.yaml").read_text(encoding="utf-8")
    assert "title: SPRi AI Brief 2023년 12월호\n" in sidecar
    assert "publisher: SPRi AI Brief\n" in sidecar
    assert "date: '2023-12-01'\n" in sidecar
    doc = page(site / "_site", "briefs/spri-ai-brief-2023-12/index.html")
    assert doc.xpath("//h1/text()") == ["SPRi AI Brief 2023년 12월호"]
