"""`digestgen import FILE.pdf`: a Korean PDF report becomes a brief that builds."""

from __future__ import annotations

import re

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, run_cli, write_site
from makepdf import ARTICLES, TABLE, make_brief_pdf

from digestgen.imports.pdf import reflow

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "site", {}, MINIMAL_CONFIG)


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "가상 브리프 2025-04.pdf"
    make_brief_pdf(path)
    return path


def test_import_writes_text_and_sidecar_that_build(site, pdf, capsys):
    code, out, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 0, err
    text_path = site / "content/briefs/가상-브리프-2025-04.txt"
    sidecar = site / "content/briefs/가상-브리프-2025-04.yaml"
    assert text_path.is_file() and sidecar.is_file()
    assert "2 pages" in out and "2025-04-01" in out
    text = text_path.read_text(encoding="utf-8")
    # Each wrapped bullet came back as one line; the ruled table as TAB rows.
    for _, keys, bullets in ARTICLES:
        for bullet in (*keys, *bullets):
            assert f"- {bullet}\n" in text
    for row in TABLE:
        assert "\t".join(row) in text
    meta = sidecar.read_text(encoding="utf-8")
    assert "title: 가상연구소 AI 브리프 · 인공지능 산업의 최신 동향 2025년 4월호" in meta
    assert "source_pdf: 가상 브리프 2025-04.pdf" in meta

    result = build_site(site, strict=True)
    assert result.diagnostics == ()
    doc = page(site / "_site", "briefs/가상-브리프-2025-04/index.html")
    assert doc.xpath("//h1/text()") == ["가상연구소 AI 브리프 · 인공지능 산업의 최신 동향 2025년 4월호"]
    assert [s.xpath("string(./h3)") for s in doc.xpath("//section[@class='brief-article']")] == [
        title for title, _, _ in ARTICLES]
    assert doc.xpath("//table//td/text()")[:3] == list(TABLE[1])


def test_import_refuses_to_overwrite_without_force(site, pdf, capsys):
    assert run_cli(["import", str(pdf), "--source", str(site)], capsys)[0] == 0
    target = site / "content/briefs/가상-브리프-2025-04.txt"
    target.write_text("손으로 고친 내용\n", encoding="utf-8")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 1 and "already exists; pass --force" in err
    assert target.read_text(encoding="utf-8") == "손으로 고친 내용\n"
    code, _, _ = run_cli(["import", str(pdf), "--source", str(site), "--force"], capsys)
    assert code == 0 and "손으로" not in target.read_text(encoding="utf-8")


def test_import_section_and_slug_options(site, pdf, capsys):
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--section", "posts",
                            "--slug", "april"], capsys)
    assert code == 0, err
    assert (site / "content/posts/april.txt").is_file()
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--section", "nope"], capsys)
    assert code == 2 and "no section 'nope'" in err
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--slug", "../escape"],
                           capsys)
    assert code == 2 and not (site / "content/escape.txt").exists()


def test_import_rejects_what_is_not_a_pdf(site, tmp_path, capsys):
    fake = tmp_path / "notes.pdf"
    fake.write_text("그냥 텍스트", encoding="utf-8")
    code, _, err = run_cli(["import", str(fake), "--source", str(site)], capsys)
    assert code == 1 and "not a PDF file" in err and "Traceback" not in err
    code, _, err = run_cli(["import", str(tmp_path / "missing.pdf"), "--source", str(site)], capsys)
    assert code == 1 and "no such file" in err


def test_reflow_joins_wrapped_lines_and_drops_page_furniture():
    header = "가상연구소 AI 브리프"
    pages = tuple(
        f"{header}\n"
        f"- {n}번 항목은 새 서비스 정책과 모델 공개 일정을 함께 다루면서 이번 달의 주요 서\n"
        f"비스 변화를 정리합니다\n"
        f"- {n}번 항목의 둘째 줄은 짧습니다\n"
        f"- 이 줄은 모델 공개 일정과 서비스 정책 변화를 함께 살펴보는 꽤 긴 문장의 모델\n"
        f"공개 소식으로 이어집니다 ({n}쪽 참고)\n"
        f"{n}"
        for n in range(1, 6)
    )
    lines = reflow(pages).splitlines()
    assert header not in lines  # a running header on every page
    assert not any(re.fullmatch(r"\d+", line) for line in lines)  # page numbers
    # Broken inside a word ("서" + "비스": 서비스 occurs elsewhere) or between words.
    assert ("- 1번 항목은 새 서비스 정책과 모델 공개 일정을 함께 다루면서 이번 달의 주요 "
            "서비스 변화를 정리합니다") in lines
    assert ("- 이 줄은 모델 공개 일정과 서비스 정책 변화를 함께 살펴보는 꽤 긴 문장의 모델 "
            "공개 소식으로 이어집니다 (1쪽 참고)") in lines
    assert "- 1번 항목의 둘째 줄은 짧습니다" in lines
