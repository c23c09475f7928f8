"""Briefs (digestgen.load.brief): PDF-converted monthly reports and plain-text digests.

The fixture briefs in tests/fixtures/briefs/ are written for these tests:

* ``monthly-brief.txt`` has the shape of a PDF-converted monthly report: a cover, a CONTENTS
  block (dot leaders, TAB page numbers, group lines, a debris line), section tab lines repeated
  before every article, five articles with KEY Contents, ``●``/``○`` subheads, nested bullets,
  ``☞ 출처`` sources (one continued on the next line) and a TAB-separated table at the end.
* ``biweekly-digest.txt`` is a plain digest: one-line section titles, paragraphs and a
  trailing copyright line.
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from digestgen.config import parse_config
from digestgen.load import load_document
from digestgen.load.brief import Block, BriefInfo, parse, render, repair
from digestgen.markdown import MarkdownRenderer
from digestgen.model import Heading, SourceFile

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "briefs"
MONTHLY = FIXTURES / "monthly-brief.txt"
PLAIN = FIXTURES / "biweekly-digest.txt"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

CONFIG = parse_config("title: t\nbase_url: https://e.x/\ntimezone: Asia/Seoul\n")
RENDERER = MarkdownRenderer(CONFIG.markdown)

MONTHLY_ARTICLES = [
    "과기정통부, AI 기본법 시행령 초안 공개",
    "유럽연합, 범용 AI 모델 행동강령 첫 초안 발표",
    "한빛AI랩, 한국어 특화 경량 언어모델 '누리-7B' 공개",
    "스텔라칩스, 추론 전용 AI 가속기 로드맵 발표",
    "미래대학교, 전 학과 대상 AI 리터러시 필수 과목 도입",
]
PART_1 = "Ⅰ. 인공지능 산업 동향 브리프"
PART_2 = "Ⅱ. 주요 행사 일정"
CATEGORIES = ("정책/법제", "기업/산업", "기술/연구", "인력/교육")


# -- helpers ---------------------------------------------------------------------------------


def parse_text(text: str, *, acronym_ok: bool = True, first_line: int = 1):
    lines = [repair(line, acronym_ok=acronym_ok) for line in text.split("\n")]
    return parse(lines, first_line)


def fragment(markup: str):
    return lxml_html.fragment_fromstring(markup, create_parent="div")


def load(path: Path, name: str | None = None):
    name = name or path.name
    src = SourceFile(f"content/briefs/{name}", f"briefs/{name}", "briefs", "brief", str(path))
    return load_document(src, CONFIG, RENDERER)


@pytest.fixture(scope="module")
def monthly():
    """(blocks, info, html, toc, lxml document, loaded Document) for the monthly fixture."""
    text = MONTHLY.read_text(encoding="utf-8")
    blocks, info, diags = parse_text(text)
    assert diags == []
    html, toc = render(blocks, 2, 3)
    doc, load_diags = load(MONTHLY)
    assert doc is not None, load_diags
    return blocks, info, html, toc, fragment(doc.body_html), doc


@pytest.fixture(scope="module")
def plain():
    text = PLAIN.read_text(encoding="utf-8")
    blocks, info, diags = parse_text(text)
    doc, load_diags = load(PLAIN)
    assert doc is not None, load_diags
    return blocks, info, fragment(doc.body_html), doc


def articles_with(blocks: list[Block], kind: str) -> dict[str, list[Block]]:
    """Blocks of ``kind`` grouped under the article heading they follow."""
    out: dict[str, list[Block]] = {}
    current = None
    for b in blocks:
        if b.kind == "heading" and b.level == 3:
            current = b.text
            out[current] = []
        elif b.kind == "heading" and b.level == 2:
            current = None
        elif b.kind == kind and current is not None:
            out[current].append(b)
    return out


# -- line repair -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("$oxedsymbol{oxedsymbol{oxedsymbol{I}}}$. 인공지능 산업 동향", "I. 인공지능 산업 동향"),
        ("$oxedsymbol{II}$. 주요 행사", "II. 주요 행사"),
        ("XYZ Al Brief", "XYZ AI Brief"),
        ("생성Al 결과물 표시", "생성AI 결과물 표시"),
        ("생성Al로 만든 이미지", "생성AI로 만든 이미지"),
        ("Al는 일자리에 영향", "AI는 일자리에 영향"),
        ("Generative Al Summit 2024", "Generative AI Summit 2024"),
        ("Mistral Al", "Mistral AI"),
        ("(Al 안전) 연구소 설립", "(AI 안전) 연구소 설립"),
        ("Dedicated to Al Safety, 2024.02.08.", "Dedicated to AI Safety, 2024.02.08."),
        # Real words that start with "Al" stay as they are.
        ("Algorithm 감사 의무", "Algorithm 감사 의무"),
        ("Alibaba의 Qwen 모델", "Alibaba의 Qwen 모델"),
        ("Al-Jazeera 보도에 따르면", "Al-Jazeera 보도에 따르면"),
        ("Alan Turing과 Albert Gu", "Alan Turing과 Albert Gu"),
        ("trailing spaces   ", "trailing spaces"),
    ],
)
def test_repair(line, expected):
    assert repair(line, acronym_ok=True) == expected


def test_repair_leaves_al_alone_when_the_text_does_not_use_ai():
    assert repair("생성Al 결과물", acronym_ok=False) == "생성Al 결과물"
    assert repair("$oxedsymbol{I}$. 개요", acronym_ok=False) == "I. 개요"


def test_repair_drops_other_latex_debris():
    assert "symbol" not in repair("앞 $\\mathsymbol{x}$ 뒤", acronym_ok=True)


def test_repair_al_after_a_latin_word():
    assert repair("OpenAl, Sora, 2024.02.16.", acronym_ok=True) == "OpenAI, Sora, 2024.02.16."


# -- the monthly brief: structure ------------------------------------------------------------


def test_article_titles(monthly):
    _, info, _, _, _, doc = monthly
    assert list(info.articles) == MONTHLY_ARTICLES
    assert doc.brief == info


def test_cover(monthly):
    _, info, *_ = monthly
    assert info.cover == ("XYZ AI Brief", "인공지능 산업의 최신 동향 2024년 3월호")


def test_contents_recorded(monthly):
    _, info, *_ = monthly
    assert list(info.contents) == [
        "I. 인공지능 산업 동향 브리프",
        "한국 과기정통부, AI 기본법 시행령 초안 공개",
        "유럽연합, 범용 AI 모델 행동강령 첫 초안 발표",
        "2. 기업/산업",
        "한빛AI랩, 한국어 특화 경량 언어모델 '누리-7B' 공개",
        "스텔라칩스, 추론 전용 AI 가속기 로드맵 발표",
        "3. 기술/연구",
        "4. 인력/교육",
        "미래대학교, 전 학과 대상 AI 리터러시 필수 과목 도입",
        "Ⅱ. 주요 행사",
        "NeurIPS 2024",
    ]


def test_contents_not_rendered(monthly):
    *_, tree, doc = monthly
    html = doc.body_html
    assert "CONTENTS" not in html
    assert "··" not in html and "…" not in html
    assert "▷" not in html and "▶" not in html
    assert "기 기 이 이" not in html
    # Wording found only in the contents block.
    assert "한국 과기정통부" not in html
    # Each article title is shown once, as its heading (not again from the contents).
    text = tree.text_content()
    for title in MONTHLY_ARTICLES:
        assert text.count(title) == 1, title
    # Nothing before the first part heading.
    assert tree[0].tag == "h2" and tree[0].text == PART_1


def test_section_tab_lines_dropped_and_categories_detected(monthly):
    blocks, info, *_, doc = monthly
    assert info.categories == CATEGORIES
    for name in CATEGORIES:
        assert name not in doc.body_html
    assert "----------" not in doc.body_html
    assert not any(b.kind == "table" and "1. 정책/법제" in b.rows[0] for b in blocks)


def test_headings_and_toc(monthly):
    blocks, _, _, _, tree, doc = monthly
    assert [(h.tag, h.text_content()) for h in tree.xpath("h2|h3")] == (
        [("h2", PART_1)] + [("h3", t) for t in MONTHLY_ARTICLES] + [("h2", PART_2)]
    )
    assert [h.text_content() for h in tree.xpath("h4")] == [
        "고영향 AI 판단 기준과 사업자 책무 구체화",
        "투명성 문서화와 저작권 정책 수립 요구",
        "노트북에서도 실행 가능한 경량 모델",
        "향후 계획",
        "저전력 추론 칩 시장 공략",
        "전공과 연계한 실습 중심 교육",
    ]
    # The toc lists parts and articles, not subheads.
    assert [(h.level, h.text) for h in doc.toc] == (
        [(2, PART_1)] + [(3, t) for t in MONTHLY_ARTICLES] + [(2, PART_2)]
    )
    assert doc.toc[1] == Heading(3, "과기정통부-ai-기본법-시행령-초안-공개", MONTHLY_ARTICLES[0])
    ids = tree.xpath("//*[@id]/@id")
    assert len(ids) == len(set(ids))


def test_heading_line_numbers(monthly):
    blocks, *_ = monthly
    lines = MONTHLY.read_text(encoding="utf-8").split("\n")
    for b in blocks:
        if b.kind == "heading" and b.text in MONTHLY_ARTICLES:
            assert lines[b.line - 1] == b.text


def test_key_points_per_article(monthly):
    blocks, _, _, _, tree, _ = monthly
    per_article = articles_with(blocks, "keypoints")
    assert list(per_article) == MONTHLY_ARTICLES
    assert [[len(b.items) for b in kps] for kps in per_article.values()] == [[2]] * 5
    first = per_article[MONTHLY_ARTICLES[0]][0].items
    assert first[1] == (0, "초안은 생성AI 결과물 표시 의무를 명시하는 한편, 중소기업의 부담을 덜기 위한 유예 "
                           "기간을 두기로 함")
    boxes = tree.xpath("div[@class='key-points']")
    assert len(boxes) == 5
    assert [len(box.xpath("ul/li")) for box in boxes] == [2] * 5
    assert all(box.xpath("p[@class='key-points-label']/text()") == ["KEY Contents"] for box in boxes)


def test_sources(monthly):
    blocks, _, _, _, tree, _ = monthly
    per_article = articles_with(blocks, "sources")
    assert {t: [list(b.items) for b in bs] for t, bs in per_article.items()} == {
        MONTHLY_ARTICLES[0]: [[(0, "과학기술정보통신부, AI 기본법 시행령 초안 공개 보도자료, 2024.02.20.")]],
        MONTHLY_ARTICLES[1]: [[
            (0, "European Commission, First draft of the General-Purpose AI Code of Practice, "
                "2024.02.14."),
            (0, "Euractiv, Commission publishes first draft of AI code of practice, 2024.02.15."),
        ]],
        MONTHLY_ARTICLES[2]: [[(0, "한빛AI랩, 누리-7B 기술 보고서, https://example.com/nuri-7b, "
                                   "2024.02.22.")]],
        MONTHLY_ARTICLES[3]: [[(0, "스텔라칩스, 2024 AI 가속기 로드맵 발표, 2024.02.27.")]],
        MONTHLY_ARTICLES[4]: [[(0, "미래대학교, AI 리터러시 교육 운영 계획, 2024.02.29.")]],
    }
    single = tree.xpath("p[@class='sources']")
    multi = tree.xpath("div[@class='sources']")
    assert len(single) == 4 and len(multi) == 1
    assert [li.text_content() for li in multi[0].xpath("ul/li")] == [
        item for _, item in per_article[MONTHLY_ARTICLES[1]][0].items
    ]
    assert all(s.xpath("span[@class='source-label']/text()") == ["출처"] for s in single + multi)
    assert "☞" not in tree.text_content()
    # A URL in a source becomes a link.
    assert tree.xpath("p[@class='sources']/a/@href") == ["https://example.com/nuri-7b"]


def test_nested_bullets(monthly):
    *_, tree, _ = monthly
    lists = [ul for ul in tree.xpath("ul") if ul.getprevious() is not None
             and ul.getprevious().tag == "h4"]
    first = lists[0]
    top = first.xpath("li")
    assert len(top) == 2
    assert top[0].text.startswith("시행령 초안은 의료, 에너지, 채용 등")
    assert [li.text_content() for li in top[0].xpath("ul/li")] == [
        "고영향 AI 사업자는 위험관리 방안을 수립하고 이용자에게 AI 사용 사실을 사전에 고지해야 함",
        "생성 AI로 만든 결과물에는 AI가 생성했다는 사실을 표시해야 함",
    ]
    assert top[1].xpath("ul") == []
    assert top[1].text == "과기정통부는 업계 의견을 수렴해 상반기 중 최종안을 확정할 계획"
    # Sub-bullets never leak out as top-level items or paragraphs.
    assert not any(p.text_content().lstrip().startswith("-") for p in tree.xpath("p"))


def test_bullet_html_is_well_formed(monthly):
    *_, doc = monthly
    etree.fromstring(f"<div>{doc.body_html}</div>".encode())  # raises on unbalanced tags


def test_table(monthly):
    blocks, _, _, _, tree, _ = monthly
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows[0] == ("행사명", "기간", "장소", "홈페이지")
    table = tree.xpath("div[@class='table-wrap']/table")
    assert len(table) == 1
    assert table[0].xpath("thead/tr/th/text()") == ["행사명", "기간", "장소", "홈페이지"]
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in table[0].xpath("tbody/tr")]
    assert rows == [
        ["NeurIPS 2024", "2024.12.10~15", "캐나다, 밴쿠버", "https://neurips.cc/"],
        ["AI 서울 포럼", "2024.5.21~22", "한국, 서울", "https://forum.example.kr/"],
        ["ICML 2024", "2024.7.21~27", "오스트리아, 비엔나", "https://icml.cc/"],
    ]
    assert table[0].xpath("tbody/tr/td/a/@href") == [
        "https://neurips.cc/", "https://forum.example.kr/", "https://icml.cc/",
    ]
    # The table follows the second part heading.
    assert table[0].getparent().getprevious().text == PART_2


def test_pdf_debris_repaired(monthly):
    blocks, info, _, _, tree, doc = monthly
    everything = "\n".join([doc.body_html, doc.text, doc.title, *info.contents, *info.cover])
    assert "oxedsymbol" not in everything
    assert "$" not in everything
    assert "생성AI 결과물" in doc.body_html
    assert not re.search(r"Al(?=[\uac00-\ud7a3\s,.)]|$)", tree.text_content())
    # Words that merely start with "Al" are kept.
    for word in ("Alibaba", "Algorithm", "Al-Jazeera"):
        assert word in doc.body_html
        assert word in doc.text


def test_load_document_title_date_summary(monthly):
    *_, doc = monthly
    assert doc.kind == "brief"
    assert doc.title == "XYZ AI Brief · 인공지능 산업의 최신 동향 2024년 3월호"
    assert doc.date == datetime(2024, 3, 1, tzinfo=ZoneInfo("Asia/Seoul"))
    assert doc.date_source == "cover"
    assert doc.refs == ()
    assert isinstance(doc.brief, BriefInfo)
    assert doc.summary == " · ".join(MONTHLY_ARTICLES[:3]) + " 외 2건"
    assert "KEY Contents" not in doc.text
    assert MONTHLY_ARTICLES[0] in doc.text


def test_load_document_reports_no_problems():
    doc, diags = load(MONTHLY)
    assert doc is not None
    assert diags == []


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        ("AI 동향 2023년 12월호", datetime(2023, 12, 1)),
        ("AI 동향 2024 년 7 월", datetime(2024, 7, 1)),
        ("AI 동향 2024년 13월호", None),
    ],
)
def test_cover_date(tmp_path, cover, expected):
    path = tmp_path / "issue.txt"
    path.write_text(f"XYZ AI Brief\n{cover}\n\nCONTENTS\n\n▷ AI 소식 하나\t1\n\n"
                    "AI 소식 하나\n\nKEY Contents\n\n- AI 요점\n", encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None
    if expected is None:
        assert doc.date_source != "cover"
    else:
        assert doc.date == expected.replace(tzinfo=ZoneInfo("Asia/Seoul"))
        assert doc.date_source == "cover"
        assert doc.title == f"XYZ AI Brief · {cover}"


def test_frontmatter_title_wins_over_cover(tmp_path):
    path = tmp_path / "issue.txt"
    path.write_text("---\ntitle: 3월호 요약\n---\n" + MONTHLY.read_text(encoding="utf-8"),
                    encoding="utf-8")
    doc, _ = load(path)
    assert doc.title == "3월호 요약"
    assert list(doc.brief.articles) == MONTHLY_ARTICLES


# -- the plain digest ------------------------------------------------------------------------

PLAIN_HEADINGS = [
    (2, "새로운 모델 소식"),
    (3, "오픈 모델 경쟁의 가속"),
    (3, "평가 방법을 둘러싼 논쟁"),
    (2, "정책과 규제"),
    (3, "각국의 규제 강화 흐름"),
    (2, "산업 동향"),
    (3, "AI 반도체 투자 확대"),
    (2, "시사점"),
]
RIGHTS = "저작권자ⓒ AI뉴스랩. 무단전재-재배포 금지"


def test_plain_headings(plain):
    blocks, info, tree, doc = plain
    assert [(b.level, b.text) for b in blocks if b.kind == "heading"] == PLAIN_HEADINGS
    assert [(int(h.tag[1]), h.text) for h in tree.xpath("h2|h3")] == PLAIN_HEADINGS
    assert [(h.level, h.text) for h in doc.toc] == PLAIN_HEADINGS
    assert info.articles == () and info.contents == () and info.cover == ()


def test_plain_paragraphs_stay_paragraphs(plain):
    blocks, _, tree, _ = plain
    lines = [ln for ln in PLAIN.read_text(encoding="utf-8").split("\n") if ln.strip()]
    heading_texts = {t for _, t in PLAIN_HEADINGS}
    body = [ln for ln in lines if ln not in heading_texts and not ln.startswith("[저작권자")]
    assert [p.text for p in tree.xpath("p[not(@class)]")] == body
    assert [b.text for b in blocks if b.kind == "paragraph"] == body
    assert all(b.kind in ("heading", "paragraph", "rights") for b in blocks)


def test_plain_rights_note(plain):
    blocks, info, tree, doc = plain
    assert info.rights == RIGHTS
    assert blocks[-1] == Block("rights", len(PLAIN.read_text(encoding="utf-8").split("\n")) - 1,
                               RIGHTS)
    rights = tree.xpath("p[@class='rights']")
    assert [p.text for p in rights] == [RIGHTS]
    assert tree[-1] is rights[0]
    assert doc.brief.rights == RIGHTS


def test_plain_load_document(plain):
    *_, doc = plain
    assert doc.kind == "brief"
    assert doc.title == "biweekly digest"  # no cover and no leading heading: the file name
    assert doc.summary.startswith("지난 2주 동안 발표된 AI 소식을")


def test_rights_only_on_the_last_line():
    blocks, info, _ = parse_text("요약\n본문입니다. ⓒ 표시는 여기서 의미가 없습니다.\n마지막 문장입니다.\n")
    assert info.rights == ""
    assert not any(b.kind == "rights" for b in blocks)


def test_plain_title_about_copyright_is_a_heading():
    blocks, _, _ = parse_text(
        "이번 호에서는 AI 업계 소식을 정리했습니다.\n"
        "생성 AI와 저작권 분쟁\n"
        "한 언론사가 AI 기업을 상대로 저작권 침해 소송을 제기했습니다.\n"
        "법원의 첫 판단은 내년에 나올 전망입니다.\n"
    )
    assert [b.text for b in blocks if b.kind == "heading"] == ["생성 AI와 저작권 분쟁"]


def test_plain_title_ending_in_noun_im_is_a_heading():
    blocks, _, _ = parse_text(
        "주요 소식을 정리했습니다.\n"
        "정책과 규제\n"
        "각국의 규제 움직임\n"
        "유럽연합은 행동강령 초안을 공개했습니다.\n"
    )
    assert [(b.level, b.text) for b in blocks if b.kind == "heading"] == [
        (2, "정책과 규제"), (3, "각국의 규제 움직임"),
    ]


# -- more shapes -----------------------------------------------------------------------------


def test_source_continuation_needs_a_citation_date():
    text = ("기사 제목\n\nKEY Contents\n\n- AI 요점\n\n"
            "☞ 출처: 기관 A, 보고서, 2024.01.02.\n"
            " 다음 줄은 출처가 아닌 문장\n")
    blocks, _, _ = parse_text(text)
    sources = [b for b in blocks if b.kind == "sources"]
    assert [list(b.items) for b in sources] == [[(0, "기관 A, 보고서, 2024.01.02.")]]
    assert blocks[-1] == Block("paragraph", 8, "다음 줄은 출처가 아닌 문장")


def test_source_continuation_after_blank_line():
    text = ("기사 제목\n\nKEY Contents\n\n- AI 요점\n\n"
            "- ☞ 출처: 기관 A, 보고서, 2024.01.02.\n\n"
            " 기관 B, 후속 보도, 2024.01.03.\n")
    blocks, _, _ = parse_text(text)
    sources = [b for b in blocks if b.kind == "sources"]
    assert [list(b.items) for b in sources] == [[
        (0, "기관 A, 보고서, 2024.01.02."), (0, "기관 B, 후속 보도, 2024.01.03."),
    ]]


def test_bracketed_source_marker():
    text = ("기사 제목\n\nKEY Contents\n\n- AI 요점\n\n● 소제목\n\n- 본문 항목\n"
            "[☞] 출처: 기관 A, AI 보고서, 2024.02.16.\n")
    blocks, _, _ = parse_text(text)
    assert [list(b.items) for b in blocks if b.kind == "sources"] == [
        [(0, "기관 A, AI 보고서, 2024.02.16.")]
    ]


def test_list_html_nesting_shapes():
    blocks = [Block("list", 1, items=((0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e")))]
    html, _ = render(blocks, 2, 4)
    assert html == ("<ul><li>a<ul><li>b</li><li>c</li></ul></li>"
                    "<li>d<ul><li>e</li></ul></li></ul>\n")
    etree.fromstring(html.encode())


def test_list_starting_with_indented_bullet_is_well_formed():
    blocks, _, _ = parse_text("소제목\n\n - 들여쓴 항목\n - 또 하나\n- 바깥 항목\n")
    html, _ = render(blocks, 2, 4)
    etree.fromstring(f"<div>{html}</div>".encode())


def test_table_short_rows_are_padded():
    blocks = [Block("table", 1, rows=(("모델", "점수", "비고"), ("A", "1")))]
    html, _ = render(blocks, 2, 4)
    tree = fragment(html)
    assert tree.xpath("//tbody/tr/td/text()") == ["A", "1"]
    assert len(tree.xpath("//tbody/tr/td")) == 3


def test_render_escapes_text():
    blocks = [Block("heading", 1, "<b>제목</b>", level=2), Block("paragraph", 2, "a < b & <script>")]
    html, toc = render(blocks, 2, 4)
    assert "<script>" not in html and "<b>" not in html
    assert "a &lt; b &amp; &lt;script&gt;" in html
    assert toc == (Heading(2, "b제목b", "<b>제목</b>"),)


def test_duplicate_brief_headings_get_unique_ids():
    blocks = [Block("heading", 1, "요약", level=2), Block("heading", 2, "요약", level=2)]
    html, toc = render(blocks, 2, 4)
    assert [h.id for h in toc] == ["요약", "요약-1"]


# -- the samples (when present) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is not present")
    return SAMPLES


def test_spri_sample(samples):
    path = samples / "brief-spri-2024-03.txt"
    if not path.is_file():
        pytest.skip("SPRi sample not present")
    doc, diags = load(path)
    assert doc is not None, diags
    assert len(doc.brief.articles) == 19
    assert len(set(doc.brief.articles)) == 19
    assert [h.text for h in doc.toc if h.level == 3] == list(doc.brief.articles)
    assert len(doc.brief.categories) == 4
    assert "oxedsymbol" not in doc.body_html
    assert "CONTENTS" not in doc.body_html
    assert doc.date == datetime(2024, 3, 1, tzinfo=ZoneInfo("Asia/Seoul"))
    etree.fromstring(f"<div>{doc.body_html}</div>".encode())


def test_plain_sample(samples):
    path = samples / "brief-biweekly-plain.txt"
    if not path.is_file():
        pytest.skip("plain sample not present")
    doc, diags = load(path)
    assert doc is not None, diags
    tree = fragment(doc.body_html)
    assert len(tree.xpath("h2")) >= 3
    assert len(tree.xpath("h3")) >= 3
    assert len(doc.toc) >= 6
    assert doc.brief.rights
    rights = tree.xpath("p[@class='rights']")
    assert len(rights) == 1 and tree[-1] is rights[0]
    assert rights[0].text == doc.brief.rights
    assert not doc.brief.rights.startswith("[")


# -- properties ------------------------------------------------------------------------------

_BRIEF_PIECES = st.sampled_from([
    "\n", "\n\n", "\t", " ", "- ", " - ", "\t- ", "● ", "○ ", "☞ 출처: ", "출처: ", "KEY Contents",
    "CONTENTS", "목차", "▷ ", "▶ ", "·····", "…", "Ⅰ. ", "II. ", "1. ", "2. 기업/산업\t",
    "1. 정책/법제\t2. 기업/산업", "$oxedsymbol{oxedsymbol{I}}$", "$", "{", "}", "Al", "AI ",
    "생성Al", "2024년 3월호", "2024.02.08.", "ⓒ", "[저작권자ⓒ 뉴스. 무단전재-재배포 금지]",
    "https://example.com/a", "<script>", "&", "시사점", "---", "모델 공개", "했습니다.",
])
_BRIEF_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_BRIEF_PIECES, st.text(max_size=4)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BRIEF_TEXTS, st.booleans())
def test_any_text_parses_and_renders(text, acronym_ok):
    blocks, info, diags = parse_text(text, acronym_ok=acronym_ok)
    html, toc = render(blocks, 2, 4)
    assert isinstance(html, str) and isinstance(info, BriefInfo)
    assert "<script" not in html
    assert all(2 <= h.level <= 4 for h in toc)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_BRIEF_TEXTS)
def test_any_text_loads_as_a_brief(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        path.write_bytes(text.encode("utf-8"))
        doc, diags = load(path)
    if doc is None:
        assert any(d.severity == "error" for d in diags)
    else:
        assert isinstance(doc.body_html, str)
        assert doc.kind == "brief"
