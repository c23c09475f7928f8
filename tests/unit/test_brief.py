"""Briefs (digestgen.load.brief): PDF-converted monthly reports and plain-text digests.

The fixture briefs in tests/fixtures/briefs/ are written for these tests:

* ``monthly-brief.txt`` has the shape of a PDF-converted monthly report: a cover, a CONTENTS
  block (dot leaders, TAB page numbers, group lines, a debris line, no "1." group line: its
  first entries belong to group 1), section tab lines repeated before every article (one
  written with single spaces, one followed by a ``----`` rule and one by ``--``), page-number
  lines, seven articles with KEY Contents, ``●``/``○`` subheads, nested bullets, a
  ``<caption>`` followed by ``□``/``①`` box lines, a bare caption, ``☞ 출처`` sources (one
  continued on an indented line, one on an unindented line after a blank line, one written
  ``[☞] 출처 :``) and a TAB-separated table at the end. One article's body title lost a comma
  (``누리재단. …``; the CONTENTS form wins) and one article is missing from CONTENTS (a note; it
  takes the category of the article before it).
* ``biweekly-digest.txt`` is a plain digest: an intro paragraph, one-line section titles,
  subtopic titles, paragraphs and a trailing copyright line.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import FIXTURES, REPO, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from digestgen.config import parse_config
from digestgen.load import load_document
from digestgen.load.brief import (
    Article,
    Block,
    Brief,
    BriefSection,
    ContentsEntry,
    parse_brief,
    plain_text,
    render_brief,
    repair,
)
from digestgen.markdown import MarkdownRenderer
from digestgen.model import Heading, Ref, SourceFile
from digestgen.urls import term_slug

BRIEFS = FIXTURES / "briefs"
MONTHLY = BRIEFS / "monthly-brief.txt"
PLAIN = BRIEFS / "biweekly-digest.txt"

CONFIG = parse_config("title: t\nbase_url: https://e.x/\ntimezone: Asia/Seoul\n")
RENDERER = MarkdownRenderer(CONFIG.markdown)
SEOUL = ZoneInfo("Asia/Seoul")

PART_1 = "Ⅰ. 인공지능 산업 동향 브리프"
PART_2 = "Ⅱ. 주요 행사 일정"
CATEGORIES = ("정책/법제", "기업/산업", "기술/연구", "인력/교육")

# The golden table of the monthly fixture: (title, category, key points, sources).
MONTHLY_GOLDEN = [
    ("과기정통부, AI 기본법 시행령 초안 공개", "정책/법제", 2, 1),
    ("유럽연합, 범용 AI 모델 행동강령 첫 초안 발표", "정책/법제", 2, 2),
    ("한빛AI랩, 한국어 특화 경량 언어모델 '누리-7B' 공개", "기업/산업", 2, 1),
    ("스텔라칩스, 추론 전용 AI 가속기 로드맵 발표", "기업/산업", 2, 1),
    # The body says "누리재단. …"; the CONTENTS form (a comma) wins.
    ("누리재단, 한국어 AI 안전 평가 도구 'K-세이프벤치' 공개", "기술/연구", 2, 2),
    # Missing from CONTENTS: the category of the article before it.
    ("한빛AI랩, 국내 대학 3곳과 AI 반도체 공동 연구 협약 체결", "기술/연구", 2, 1),
    ("미래대학교, 전 학과 대상 AI 리터러시 필수 과목 도입", "인력/교육", 2, 1),
]
MONTHLY_ARTICLES = [title for title, *_ in MONTHLY_GOLDEN]
PUNCTUATED = MONTHLY_ARTICLES[4]
PUNCTUATED_BODY = "누리재단. 한국어 AI 안전 평가 도구 'K-세이프벤치' 공개"
UNLISTED = MONTHLY_ARTICLES[5]
# What each article's title line says in the body.
MONTHLY_BODY_TITLES = [PUNCTUATED_BODY if t == PUNCTUATED else t for t in MONTHLY_ARTICLES]
# The CONTENTS entry each article was matched to.
MONTHLY_LISTED_AS = [
    "한국 과기정통부, AI 기본법 시행령 초안 공개",  # the body title has no "한국": a near match
    *MONTHLY_ARTICLES[1:5],
    None,
    MONTHLY_ARTICLES[6],
]
MONTHLY_SUBHEADS = [
    "고영향 AI 판단 기준과 사업자 책무 구체화",
    "투명성 문서화와 저작권 정책 수립 요구",
    "노트북에서도 실행 가능한 경량 모델",
    "향후 계획",
    "저전력 추론 칩 시장 공략",
    "6개 위험 영역을 자동으로 점검하는 평가 체계",
    "모델 경량화와 반도체 설계를 함께 연구",
    "전공과 연계한 실습 중심 교육",
]


# -- helpers ---------------------------------------------------------------------------------


def parse_text(text: str, *, acronym_ok: bool = True, first_line: int = 1):
    lines = [repair(line, acronym_ok=acronym_ok) for line in text.split("\n")]
    return parse_brief(lines, first_line)


def render(brief: Brief, toc_min: int = 2, toc_max: int = 4):
    return render_brief(brief, toc_min, toc_max)


def fragment(markup: str):
    return lxml_html.fragment_fromstring(markup, create_parent="div")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def well_formed(markup: str):
    """Parse as XML (raises on unbalanced tags or bad entities); characters XML cannot carry
    are text, so they are masked first."""
    return etree.fromstring(f"<div>{_XML_INVALID.sub('?', markup)}</div>".encode())


def load(path: Path, name: str | None = None):
    name = name or path.name
    src = SourceFile(f"content/briefs/{name}", f"briefs/{name}", "briefs", "brief", str(path))
    return load_document(src, CONFIG, RENDERER)


def load_text(tmp_path: Path, text: str, name: str = "issue.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load(path)


def line_of(path: Path, text: str) -> int:
    """1-based number of the line of ``path`` that is ``text`` (or starts with it)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [k + 1 for k, ln in enumerate(lines) if ln == text or ln.startswith(text)]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def brief_of(*sections: BriefSection, front: tuple[Block, ...] = (), rights: str = "",
             structured: bool = False) -> Brief:
    return Brief(title="", publisher="", issue="", issue_date=None, cover=(), contents=(),
                 categories=(), sections=sections, front=front, rights=rights,
                 structured=structured)


def article_nodes(tree):
    return tree.xpath("//section[@class='brief-article']")


@pytest.fixture(scope="module")
def monthly():
    """(brief, notes, html, toc, refs, lxml tree, loaded Document, diagnostics)."""
    brief, notes = parse_text(MONTHLY.read_text(encoding="utf-8"))
    html, toc, refs, _ = render(brief, 2, 3)
    doc, diags = load(MONTHLY)
    assert doc is not None, diags
    return brief, notes, html, toc, refs, fragment(doc.body_html), doc, diags


@pytest.fixture(scope="module")
def plain():
    """(brief, notes, lxml tree, loaded Document, diagnostics)."""
    brief, notes = parse_text(PLAIN.read_text(encoding="utf-8"))
    doc, diags = load(PLAIN)
    assert doc is not None, diags
    return brief, notes, fragment(doc.body_html), doc, diags


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
        ("OpenAl, Sora, 2024.02.16.", "OpenAI, Sora, 2024.02.16."),
        ("xAl의 그록", "xAI의 그록"),
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
    assert repair("OpenAl, Sora", acronym_ok=False) == "OpenAl, Sora"
    assert repair("$oxedsymbol{I}$. 개요", acronym_ok=False) == "I. 개요"


def test_repair_drops_other_latex_debris():
    assert "symbol" not in repair("앞 $\\mathsymbol{x}$ 뒤", acronym_ok=True)


def test_loader_repairs_al_only_when_the_text_uses_ai(tmp_path):
    uses_ai = "AI 소식\n\nAI 모델과 AI 정책\n\n생성Al 결과물 표시가 늘었다.\n"
    doc, _ = load_text(tmp_path, uses_ai, "a.txt")
    assert "생성AI 결과물" in doc.body_html
    no_ai = "소식\n\n알 수 없는 이름 Al 씨가 왔다.\n"
    doc, _ = load_text(tmp_path, no_ai, "b.txt")
    assert "Al 씨" in doc.body_html


# -- the monthly brief: the golden table -----------------------------------------------------


def test_monthly_golden_articles(monthly):
    brief, *_ = monthly
    assert [(a.title, a.category, len(a.key_points), len(a.sources))
            for a in brief.articles] == MONTHLY_GOLDEN
    assert [a.listed_as for a in brief.articles] == MONTHLY_LISTED_AS
    assert all(a.part == PART_1 for a in brief.articles)


def test_monthly_cover(monthly):
    brief, *_ = monthly
    assert brief.cover == ("XYZ AI Brief", "인공지능 산업의 최신 동향 2024년 3월호")
    assert brief.publisher == "XYZ AI Brief"
    assert brief.issue == "인공지능 산업의 최신 동향 2024년 3월호"
    assert brief.issue_date == date(2024, 3, 1)
    assert brief.title == "XYZ AI Brief · 인공지능 산업의 최신 동향 2024년 3월호"
    assert brief.structured is True


def test_monthly_categories_and_contents(monthly):
    brief, *_ = monthly
    assert brief.categories == CATEGORIES
    part_1 = "I. 인공지능 산업 동향 브리프"  # CONTENTS parts are NFKC-normalised
    at = functools.partial(line_of, MONTHLY)
    assert brief.contents == (
        # No "1." group line: the entries before "2. …" belong to group 1, named by the tab lines.
        ContentsEntry("한국 과기정통부, AI 기본법 시행령 초안 공개", at("▷ 한국 과기정통부"),
                      part_1, "정책/법제"),
        ContentsEntry("유럽연합, 범용 AI 모델 행동강령 첫 초안 발표", at("▷ 유럽연합"),
                      part_1, "정책/법제"),
        ContentsEntry("한빛AI랩, 한국어 특화 경량 언어모델 '누리-7B' 공개", at("▷ 한빛AI랩"),
                      part_1, "기업/산업"),
        ContentsEntry("스텔라칩스, 추론 전용 AI 가속기 로드맵 발표", at("▷ 스텔라칩스"),
                      part_1, "기업/산업"),
        ContentsEntry(PUNCTUATED, at("▷ 누리재단"), part_1, "기술/연구"),
        ContentsEntry("미래대학교, 전 학과 대상 AI 리터러시 필수 과목 도입", at("▷ 미래대학교"),
                      part_1, "인력/교육"),
        ContentsEntry("NeurIPS 2024", at("▶ NeurIPS"), "II. 주요 행사", ""),
    )


def test_monthly_sections(monthly):
    brief, *_ = monthly
    assert [s.title for s in brief.sections] == [PART_1, PART_2]
    assert [s.line for s in brief.sections] == [line_of(MONTHLY, PART_1), line_of(MONTHLY, PART_2)]
    assert brief.sections[0].articles == brief.articles
    assert brief.sections[1].articles == ()
    assert [b.kind for b in brief.sections[1].body] == ["table"]
    assert brief.front == ()
    assert brief.rights == ""


def test_monthly_only_note_is_the_article_missing_from_contents(monthly):
    brief, notes, *_, diags = monthly
    line = line_of(MONTHLY, UNLISTED)
    assert len(notes) == 1
    assert notes[0][0] == line
    assert UNLISTED in notes[0][1] and "CONTENTS" in notes[0][1]
    # The loader reports it as a warning naming the file and the line; nothing else.
    assert [(d.path, d.line, d.severity.value) for d in diags] == [
        ("content/briefs/monthly-brief.txt", line, "warning"),
    ]
    assert diags[0].message == notes[0][1]


def test_monthly_with_the_article_listed_is_clean(tmp_path):
    listed = MONTHLY.read_text(encoding="utf-8").replace(
        "기 기 이 이", f"▷ {UNLISTED} ········\t6\n기 기 이 이", 1)
    brief, notes = parse_text(listed)
    assert notes == []
    assert [(a.title, a.category, len(a.key_points), len(a.sources))
            for a in brief.articles] == MONTHLY_GOLDEN
    assert brief.articles[5].listed_as == UNLISTED
    doc, diags = load_text(tmp_path, listed)
    assert diags == []
    assert doc.brief.articles[5].listed_as == UNLISTED


def test_contents_form_wins_when_titles_differ_only_in_punctuation(monthly):
    brief, *_ = monthly
    article = brief.articles[4]
    assert article.title == PUNCTUATED
    assert article.listed_as == PUNCTUATED
    # The article still points at its own line, which reads differently.
    lines = MONTHLY.read_text(encoding="utf-8").split("\n")
    assert lines[article.line - 1] == PUNCTUATED_BODY


def test_near_match_keeps_the_body_title(monthly):
    brief, *_ = monthly
    first = brief.articles[0]
    assert first.title == "과기정통부, AI 기본법 시행령 초안 공개"
    assert first.listed_as == "한국 과기정통부, AI 기본법 시행령 초안 공개"


def test_article_missing_from_contents_inherits_category(monthly):
    brief, *_ = monthly
    before, missing = brief.articles[4], brief.articles[5]
    assert missing.title == UNLISTED
    assert missing.listed_as is None
    assert missing.category == before.category == "기술/연구"


def test_article_line_numbers(monthly):
    brief, *_ = monthly
    lines = MONTHLY.read_text(encoding="utf-8").split("\n")
    assert [lines[a.line - 1] for a in brief.articles] == MONTHLY_BODY_TITLES


# -- the monthly brief: rendering -----------------------------------------------------------


def test_contents_not_rendered(monthly):
    *_, tree, doc, _ = monthly
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
    assert PUNCTUATED_BODY not in text
    # Nothing before the first part heading.
    assert tree[0].tag == "h2" and tree[0].text == PART_1


def test_tab_lines_rules_and_page_numbers_dropped(monthly):
    brief, *_, tree, doc, _ = monthly
    html = doc.body_html
    assert "1. 정책/법제" not in html  # tab lines, with tabs or with single spaces
    assert "----------" not in html
    assert "<p>--</p>" not in html
    assert not any(p.text_content().strip() in ("14", "15", "--") for p in tree.iter("p"))
    # Every line of the fixture is classified: no stray paragraph anywhere.
    assert tree.xpath("//p[not(@class)]") == []
    blocks = [b for a in brief.articles for b in a.blocks]
    blocks += [b for s in brief.sections for b in s.body if isinstance(b, Block)]
    assert {b.kind for b in blocks} == {"subhead", "list", "box", "caption", "table"}


def test_category_names_only_in_article_kickers(monthly):
    brief, _, _, _, refs, tree, doc, _ = monthly
    kickers = tree.xpath("//section[@class='brief-article']/p[@class='article-category']")
    assert [k.text_content() for k in kickers] == [c for _, c, *_ in MONTHLY_GOLDEN]
    text = tree.text_content()
    for name in CATEGORIES:
        assert text.count(name) == sum(c == name for _, c, *_ in MONTHLY_GOLDEN), name
    # Each kicker links, through a placeholder, to its category page.
    hrefs = [k.xpath("a/@href")[0] for k in kickers]
    assert hrefs == [f"dgref:{k}" for k in range(len(MONTHLY_GOLDEN))]
    assert all(k.xpath("a/@rel") == ["tag"] for k in kickers)
    assert refs == tuple(
        Ref(f"/categories/{term_slug(a.category)}/", "path", a.line) for a in brief.articles
    )
    assert refs[0] == Ref("/categories/정책-법제/", "path", line_of(MONTHLY, MONTHLY_ARTICLES[0]))
    assert doc.refs == refs


def test_articles_are_sections(monthly):
    brief, *_, tree, _, _ = monthly
    nodes = article_nodes(tree)
    assert [n.get("id") for n in nodes] == [a.anchor for a in brief.articles]
    assert [n.xpath("h3")[0].text_content() for n in nodes] == MONTHLY_ARTICLES
    assert all(n.getparent() is tree for n in nodes)
    assert brief.articles[0].anchor == "과기정통부-ai-기본법-시행령-초안-공개"


def test_headings_and_toc(monthly):
    brief, _, _, toc, _, tree, doc, _ = monthly
    assert [(h.tag, h.text_content()) for h in tree.xpath("//h2|//h3")] == (
        [("h2", PART_1)] + [("h3", t) for t in MONTHLY_ARTICLES] + [("h2", PART_2)]
    )
    assert [h.text_content() for h in tree.xpath("//h4")] == MONTHLY_SUBHEADS
    # The toc lists parts and articles, not subheads.
    expected = [(2, PART_1)] + [(3, t) for t in MONTHLY_ARTICLES] + [(2, PART_2)]
    assert [(h.level, h.text) for h in doc.toc] == expected
    assert [(h.level, h.text) for h in toc] == expected
    assert doc.toc[0] == Heading(2, brief.sections[0].anchor, PART_1)
    assert doc.toc[1] == Heading(3, "과기정통부-ai-기본법-시행령-초안-공개", MONTHLY_ARTICLES[0])
    # Every toc entry points at an element of the page.
    ids = tree.xpath("//*[@id]/@id")
    assert len(ids) == len(set(ids))
    assert all(h.id in ids for h in doc.toc)


def test_toc_range_is_respected(monthly):
    brief, *_ = monthly
    _, toc, _, _ = render(brief, 3, 3)
    assert [h.text for h in toc] == MONTHLY_ARTICLES
    _, toc, _, _ = render(brief, 2, 2)
    assert [h.text for h in toc] == [PART_1, PART_2]


def test_key_points_per_article(monthly):
    brief, *_, tree, _, _ = monthly
    assert [len(a.key_points) for a in brief.articles] == [2] * 7
    assert brief.articles[0].key_points[1] == (
        "초안은 생성AI 결과물 표시 의무를 명시하는 한편, 중소기업의 부담을 덜기 위한 유예 기간을 두기로 함")
    assert all(a.summary == a.key_points[0] for a in brief.articles)
    boxes = tree.xpath("//section[@class='brief-article']/div[@class='key-points']")
    assert len(boxes) == 7
    assert [[li.text_content() for li in box.xpath("ul/li")] for box in boxes] == [
        list(a.key_points) for a in brief.articles
    ]
    assert all(box.xpath("p[@class='key-points-label']/text()") == ["KEY Contents"] for box in boxes)


def test_sources(monthly):
    brief, *_, tree, _, _ = monthly
    assert {a.title: a.sources for a in brief.articles} == {
        MONTHLY_ARTICLES[0]: ("과학기술정보통신부, AI 기본법 시행령 초안 공개 보도자료, 2024.02.20.",),
        MONTHLY_ARTICLES[1]: (
            "European Commission, First draft of the General-Purpose AI Code of Practice, 2024.02.14.",
            # continued on an indented "- " line
            "Euractiv, Commission publishes first draft of AI code of practice, 2024.02.15.",
        ),
        MONTHLY_ARTICLES[2]: ("한빛AI랩, 누리-7B 기술 보고서, https://example.com/nuri-7b, 2024.02.22.",),
        MONTHLY_ARTICLES[3]: ("스텔라칩스, 2024 AI 가속기 로드맵 발표, 2024.02.27.",),
        MONTHLY_ARTICLES[4]: (
            "누리재단, K-세이프벤치 공개 발표, 2024.02.05.",
            # continued on an unindented line after a blank line
            "AI안전포럼, 한국어 AI 안전 평가 도구 비교 보고서, 2024.02.06.",
        ),
        # "[☞] 출처 :"
        MONTHLY_ARTICLES[5]: ("한빛AI랩, 대학 공동 연구 협약 체결 보도자료, 2024.02.26.",),
        MONTHLY_ARTICLES[6]: ("미래대학교, AI 리터러시 교육 운영 계획, 2024.02.29.",),
    }
    single = tree.xpath("//section/p[@class='sources']")
    multi = tree.xpath("//section/div[@class='sources']")
    assert len(single) == 5 and len(multi) == 2
    assert [[li.text_content() for li in m.xpath("ul/li")] for m in multi] == [
        list(brief.articles[1].sources), list(brief.articles[4].sources),
    ]
    assert all(s.xpath("span[@class='source-label']/text()") == ["출처"] for s in single + multi)
    assert "☞" not in tree.text_content()
    # Sources close their article.
    assert all(n[-1].get("class") == "sources" for n in article_nodes(tree))
    # A URL in a source becomes a link.
    assert tree.xpath("//p[@class='sources']/a/@href") == ["https://example.com/nuri-7b"]


def test_caption_and_box(monthly):
    brief, *_, tree, _, _ = monthly
    box = [b for b in brief.articles[4].blocks if b.kind == "box"]
    assert box == [Block("box", line_of(MONTHLY, "<K-세이프벤치"), "K-세이프벤치 평가 개요", items=(
        (0, "(대상) 한국어로 대화하는 AI 모델과 서비스"),
        (1, "① 공개 가중치 모델"),
        (1, "② 상용 API 서비스"),
        (0, "(영역) 유해 정보, 편향, 개인정보 노출, 저작권, 허위 정보, 위험 행위 조언"),
    ))]
    node = tree.xpath("//section/div[@class='box']")
    assert len(node) == 1
    assert node[0].xpath("p[@class='caption']/text()") == ["K-세이프벤치 평가 개요"]
    top = node[0].xpath("ul/li")
    assert [li.text for li in top] == [
        "(대상) 한국어로 대화하는 AI 모델과 서비스",
        "(영역) 유해 정보, 편향, 개인정보 노출, 저작권, 허위 정보, 위험 행위 조언",
    ]
    assert top[0].xpath("ul/li/text()") == ["① 공개 가중치 모델", "② 상용 API 서비스"]
    # A caption with no box after it stands alone.
    assert [b for b in brief.articles[5].blocks if b.kind == "caption"] == [
        Block("caption", line_of(MONTHLY, "<공동 연구 분야>"), "공동 연구 분야")
    ]
    assert tree.xpath("//section/p[@class='caption']/text()") == ["공동 연구 분야"]
    assert "&lt;" not in node[0].xpath("string(p)")


def test_subheads_are_the_next_heading_level(monthly):
    brief, *_, tree, _, _ = monthly
    subheads = [b.text for a in brief.articles for b in a.blocks if b.kind == "subhead"]
    assert subheads == MONTHLY_SUBHEADS
    assert all(h.getparent().get("class") == "brief-article" for h in tree.xpath("//h4"))
    assert all(h.get("id") for h in tree.xpath("//h4"))


def test_nested_bullets(monthly):
    brief, *_, tree, _, _ = monthly
    first = [b for b in brief.articles[0].blocks if b.kind == "list"][0]
    assert [d for d, _ in first.items] == [0, 1, 1, 0]
    lists = [ul for ul in tree.xpath("//section/ul")
             if ul.getprevious() is not None and ul.getprevious().tag == "h4"]
    top = lists[0].xpath("li")
    assert len(top) == 2
    assert top[0].text.startswith("시행령 초안은 의료, 에너지, 채용 등")
    assert [li.text_content() for li in top[0].xpath("ul/li")] == [
        "고영향 AI 사업자는 위험관리 방안을 수립하고 이용자에게 AI 사용 사실을 사전에 고지해야 함",
        "생성 AI로 만든 결과물에는 AI가 생성했다는 사실을 표시해야 함",
    ]
    assert top[1].xpath("ul") == []
    assert top[1].text == "과기정통부는 업계 의견을 수렴해 상반기 중 최종안을 확정할 계획"
    # Sub-bullets never leak out as top-level items or paragraphs.
    assert not any(p.text_content().lstrip().startswith("-") for p in tree.iter("p"))
    assert not any(li.text_content().lstrip().startswith("-") for li in tree.iter("li"))


def test_html_is_well_formed(monthly):
    *_, doc, _ = monthly
    well_formed(doc.body_html)  # raises on unbalanced tags


def test_table(monthly):
    brief, *_, tree, _, _ = monthly
    tables = [b for b in brief.sections[1].body if b.kind == "table"]
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
    brief, *_, tree, doc, _ = monthly
    everything = "\n".join([doc.body_html, doc.text, doc.title, *brief.cover,
                            *(e.title for e in brief.contents), *(e.part for e in brief.contents)])
    assert "oxedsymbol" not in everything
    assert "$" not in everything
    assert "생성AI 결과물" in doc.body_html
    assert not re.search(r"Al(?=[\uac00-\ud7a3\s,.)]|$)", tree.text_content())
    # Words that merely start with "Al" are kept.
    for word in ("Alibaba", "Algorithm", "Al-Jazeera"):
        assert word in doc.body_html
        assert word in doc.text


def test_render_brief_fills_in_article_html(monthly):
    brief, _, html, _, _, _, doc, _ = monthly
    *_, rendered = render(brief, 2, 3)
    assert all(a.html == "" for a in brief.articles)
    assert dataclasses.replace(rendered, sections=brief.sections) == brief
    assert rendered == doc.brief
    for a in rendered.articles:
        assert a.html and a.html in html
        assert "<h3" not in a.html and a.title not in a.html  # the title is not part of it
        assert a.html.startswith('<div class="key-points">')
        assert 'class="sources"' in a.html
        well_formed(a.html)


def test_plain_text(monthly):
    brief, *_, doc, _ = monthly
    text = plain_text(brief)
    assert doc.text == text
    assert "KEY Contents" not in text and "CONTENTS" not in text
    lines = text.split("\n")
    for a in brief.articles:
        assert lines.count(a.title) == 1
        assert all(k in lines for k in a.key_points)
        assert all(s in lines for s in a.sources)
    assert PART_1 in lines and PART_2 in lines
    assert "NeurIPS 2024 2024.12.10~15 캐나다, 밴쿠버 https://neurips.cc/" in lines


def test_load_document_title_date_summary(monthly):
    *_, doc, _ = monthly
    assert doc.kind == "brief"
    assert doc.title == "XYZ AI Brief · 인공지능 산업의 최신 동향 2024년 3월호"
    assert doc.date == datetime(2024, 3, 1, tzinfo=SEOUL)
    assert doc.date_source == "cover"
    assert isinstance(doc.brief, Brief)
    assert all(isinstance(a, Article) for a in doc.brief.articles)
    assert doc.summary == " · ".join(MONTHLY_ARTICLES[:3]) + " 외 4건"
    assert "KEY Contents" not in doc.text
    assert MONTHLY_ARTICLES[0] in doc.text


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        ("AI 동향 2023년 12월호", date(2023, 12, 1)),
        ("AI 동향 2024 년 3 월호", date(2024, 3, 1)),
        ("AI 동향 2024년 3월 호", date(2024, 3, 1)),
        ("AI 동향 2024년 13월호", None),
        ("AI 동향 2024 년 7 월", date(2024, 7, 1)),
    ],
)
def test_cover_date(tmp_path, cover, expected):
    text = (f"XYZ AI Brief\n{cover}\n\nCONTENTS\n\n▷ AI 소식 하나\t1\n\n"
            "AI 소식 하나\n\nKEY Contents\n\n- AI 요점\n")
    brief, notes = parse_text(text)
    assert notes == []
    assert brief.issue == cover
    assert brief.title == f"XYZ AI Brief · {cover}"
    assert brief.issue_date == expected
    doc, _ = load_text(tmp_path, text)
    assert doc.title == f"XYZ AI Brief · {cover}"
    if expected is None:
        assert doc.date_source != "cover"
    else:
        assert doc.date == datetime(expected.year, expected.month, 1, tzinfo=SEOUL)
        assert doc.date_source == "cover"


def test_frontmatter_title_wins_over_cover(tmp_path):
    path = tmp_path / "issue.txt"
    path.write_text("---\ntitle: 3월호 요약\n---\n" + MONTHLY.read_text(encoding="utf-8"),
                    encoding="utf-8")
    doc, diags = load(path)
    assert doc.title == "3월호 요약"
    assert doc.brief.title == "XYZ AI Brief · 인공지능 산업의 최신 동향 2024년 3월호"
    assert [a.title for a in doc.brief.articles] == MONTHLY_ARTICLES
    # Line numbers count the frontmatter.
    assert doc.brief.articles[0].line == line_of(MONTHLY, MONTHLY_ARTICLES[0]) + 3
    assert [d.line for d in diags] == [line_of(MONTHLY, UNLISTED) + 3]


# -- the plain digest ------------------------------------------------------------------------

PLAIN_SECTIONS = {
    "새로운 모델 소식": ["오픈 모델 경쟁의 가속", "평가 방법을 둘러싼 논쟁"],
    "정책과 규제": ["각국의 규제 강화 흐름"],
    "산업 동향": ["AI 반도체 투자 확대"],
    "시사점": [],
}
PLAIN_HEADINGS = [(lv, t) for s, subs in PLAIN_SECTIONS.items()
                  for lv, t in [(2, s)] + [(3, x) for x in subs]]
RIGHTS = "저작권자ⓒ AI뉴스랩. 무단전재-재배포 금지"


def test_plain_sections(plain):
    brief, notes, tree, doc, _ = plain
    assert notes == []
    assert brief.structured is False
    assert [s.title for s in brief.sections] == list(PLAIN_SECTIONS)
    assert {s.title: [b.text for b in s.body if b.kind == "heading"]
            for s in brief.sections} == PLAIN_SECTIONS
    assert all(b.level == 3 for s in brief.sections for b in s.body if b.kind == "heading")
    assert [(int(h.tag[1]), h.text) for h in tree.xpath("h2|h3")] == PLAIN_HEADINGS
    assert [(h.level, h.text) for h in doc.toc] == PLAIN_HEADINGS
    assert brief.articles == () and brief.contents == () and brief.cover == ()
    assert brief.categories == () and brief.title == "" and brief.issue_date is None
    assert article_nodes(tree) == []
    assert doc.refs == ()


def test_plain_intro_is_front(plain):
    brief, *_ = plain
    first = PLAIN.read_text(encoding="utf-8").split("\n")[0]
    assert brief.front == (Block("paragraph", 1, first),)


def test_plain_paragraphs_stay_paragraphs(plain):
    brief, _, tree, _, _ = plain
    lines = [ln for ln in PLAIN.read_text(encoding="utf-8").split("\n") if ln.strip()]
    heading_texts = {t for _, t in PLAIN_HEADINGS}
    body = [ln for ln in lines if ln not in heading_texts and not ln.startswith("[저작권자")]
    assert [p.text for p in tree.xpath("p[not(@class)]")] == body
    blocks = [*brief.front, *(b for s in brief.sections for b in s.body)]
    assert [b.text for b in blocks if b.kind == "paragraph"] == body
    assert {b.kind for b in blocks} == {"heading", "paragraph"}


def test_plain_rights_note(plain):
    brief, _, tree, doc, _ = plain
    assert brief.rights == RIGHTS
    rights = tree.xpath("p[@class='rights']")
    assert [p.text for p in rights] == [RIGHTS]
    assert tree[-1] is rights[0]
    assert doc.brief.rights == RIGHTS
    assert RIGHTS not in doc.text


def test_plain_load_document(plain):
    *_, doc, diags = plain
    assert doc.kind == "brief"
    assert doc.title == "biweekly digest"  # no cover and no leading heading: the file name
    assert doc.summary.startswith("지난 2주 동안 발표된 AI 소식을")
    assert not any("brief:" in d.message for d in diags)


def test_rights_only_on_the_last_line():
    brief, _ = parse_text("요약\n본문입니다. ⓒ 표시는 여기서 의미가 없습니다.\n마지막 문장입니다.\n")
    assert brief.rights == ""
    html, *_ = render(brief)
    assert 'class="rights"' not in html


def test_plain_title_about_copyright_is_a_heading():
    brief, _ = parse_text(
        "이번 호에서는 AI 업계 소식을 정리했습니다.\n"
        "생성 AI와 저작권 분쟁\n"
        "한 언론사가 AI 기업을 상대로 저작권 침해 소송을 제기했습니다.\n"
        "법원의 첫 판단은 내년에 나올 전망입니다.\n"
    )
    assert [s.title for s in brief.sections] == ["생성 AI와 저작권 분쟁"]
    assert brief.rights == ""


def test_plain_title_ending_in_noun_im_is_a_heading():
    brief, _ = parse_text(
        "주요 소식을 정리했습니다.\n"
        "정책과 규제\n"
        "각국의 규제 움직임\n"
        "유럽연합은 행동강령 초안을 공개했습니다.\n"
    )
    assert [s.title for s in brief.sections] == ["정책과 규제"]
    assert [(b.level, b.text) for b in brief.sections[0].body if b.kind == "heading"] == [
        (3, "각국의 규제 움직임"),
    ]


# -- more shapes -----------------------------------------------------------------------------

ARTICLE_HEAD = "기사 제목\n\nKEY Contents\n\n- AI 요점\n\n"


def test_source_continuation_needs_a_citation_date(tmp_path):
    text = ARTICLE_HEAD + "☞ 출처: 기관 A, 보고서, 2024.01.02.\n 다음 줄은 출처가 아닌 문장\n"
    brief, notes = parse_text(text)
    (article,) = brief.articles
    assert article.sources == ("기관 A, 보고서, 2024.01.02.",)
    assert article.blocks == (Block("paragraph", 8, "다음 줄은 출처가 아닌 문장"),)
    assert notes == []
    # The loader warns about a line inside an article it could not place, naming file and line.
    doc, diags = load_text(tmp_path, text, "odd.txt")
    assert doc is not None
    (warn,) = [d for d in diags if "not recognised" in d.message]
    assert (warn.path, warn.line, warn.severity.value) == ("content/briefs/odd.txt", 8, "warning")
    assert "다음 줄은" in warn.message


def test_source_continuation_after_blank_line():
    text = ARTICLE_HEAD + ("- ☞ 출처: 기관 A, 보고서, 2024.01.02.\n\n"
                           " 기관 B, 후속 보도, 2024.01.03.\n\n"
                           "기관 C, 두 번째 후속 보도, 2024.01.04.\n")
    brief, _ = parse_text(text)
    assert brief.articles[0].sources == (
        "기관 A, 보고서, 2024.01.02.", "기관 B, 후속 보도, 2024.01.03.",
        "기관 C, 두 번째 후속 보도, 2024.01.04.",
    )
    assert brief.articles[0].blocks == ()


@pytest.mark.parametrize("marker", ["☞ 출처:", "[☞] 출처:", "[☞] 출처 :", "- ☞ 출처 :", "출처:",
                                    "জ 출처:", "☞ 출처："])
def test_source_marker_variants(marker):
    text = ARTICLE_HEAD + f"● 소제목\n\n- 본문 항목\n{marker} 기관 A, AI 보고서, 2024.02.16.\n"
    brief, _ = parse_text(text)
    assert brief.articles[0].sources == ("기관 A, AI 보고서, 2024.02.16.",)
    assert [b.kind for b in brief.articles[0].blocks] == ["subhead", "list"]


def test_articles_without_parts_render_as_h2():
    brief, _ = parse_text(ARTICLE_HEAD + "● 소제목\n\n- 본문\n")
    assert [s.title for s in brief.sections] == [""]
    html, toc, refs, _ = render(brief)
    tree = well_formed(html)
    assert tree.xpath("section/h2/text()") == ["기사 제목"]
    assert tree.xpath("section/h3/text()") == ["소제목"]
    assert toc == (Heading(2, "기사-제목", "기사 제목"),)
    assert refs == ()  # no CONTENTS, no category, no kicker
    assert tree.xpath("//p[@class='article-category']") == []


def test_contents_entry_without_an_article_is_noted(tmp_path):
    text = ("XYZ AI Brief\n2024년 5월호\n\nCONTENTS\n\n"
            "▷ 기사 하나\t1\n2. 기업/산업\t\n▷ 본문에 없는 기사 제목입니다\t2\n\n"
            "1. 정책/법제\t2. 기업/산업\n\n기사 하나\n\nKEY Contents\n\n- 요점\n")
    brief, notes = parse_text(text)
    assert [(a.title, a.category, a.listed_as) for a in brief.articles] == [
        ("기사 하나", "정책/법제", "기사 하나"),
    ]
    assert len(notes) == 1 and notes[0][0] == 8 and "본문에 없는 기사 제목입니다" in notes[0][1]
    _, diags = load_text(tmp_path, text)
    assert [(d.line, d.severity.value) for d in diags] == [(8, "warning")]


def test_list_html_nesting_shapes():
    items = ((0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e"))
    brief = brief_of(BriefSection("", "", 1, (Block("list", 1, items=items),)))
    html, *_ = render(brief)
    assert html == ("<ul><li>a<ul><li>b</li><li>c</li></ul></li>"
                    "<li>d<ul><li>e</li></ul></li></ul>\n")
    well_formed(html)


def test_list_starting_with_indented_bullet_is_well_formed():
    brief, _ = parse_text("소제목\n\n - 들여쓴 항목\n - 또 하나\n- 바깥 항목\n")
    html, *_ = render(brief)
    tree = well_formed(html)
    assert tree.xpath("//li/text()") == ["들여쓴 항목", "또 하나", "바깥 항목"]
    # Inside an article too.
    brief, _ = parse_text(ARTICLE_HEAD + "● 소제목\n\n - 들여쓴 항목\n- 바깥 항목\n - 안쪽\n")
    html, *_ = render(brief)
    well_formed(html)


def test_table_short_rows_are_padded():
    table = Block("table", 1, rows=(("모델", "점수", "비고"), ("A", "1")))
    html, *_ = render(brief_of(BriefSection("", "", 1, (table,))))
    tree = fragment(html)
    assert tree.xpath("//tbody/tr/td/text()") == ["A", "1"]
    assert len(tree.xpath("//tbody/tr/td")) == 3
    assert tree.xpath("//thead/tr/th/text()") == ["모델", "점수", "비고"]


def test_render_escapes_text():
    brief = brief_of(BriefSection("<b>제목</b>", "b제목b", 1,
                                  (Block("paragraph", 2, "a < b & <script>"),)))
    html, toc, _, _ = render(brief)
    assert "<script>" not in html and "<b>" not in html
    assert "a &lt; b &amp; &lt;script&gt;" in html
    assert toc == (Heading(2, "b제목b", "<b>제목</b>"),)


def test_parsed_markup_is_escaped_everywhere():
    text = ("<script>alert(1)</script> 공개\n\nKEY Contents\n\n- <b>요점</b>\n\n"
            "● <i>소제목</i>\n\n- <img src=x onerror=y>\n본문 & <script>\n"
            "☞ 출처: <a href=x>기관</a>, 보고서, 2024.01.02.\n")
    brief, _ = parse_text(text)
    assert brief.articles[0].title == "<script>alert(1)</script> 공개"
    html, *_ = render(brief)
    tree = well_formed(html)
    assert tree.xpath("//script|//b|//i|//img|//a") == []
    assert "<script" not in html
    assert tree.xpath("//section/h2/text()") == ["<script>alert(1)</script> 공개"]


def test_duplicate_titles_get_unique_anchors():
    text = (ARTICLE_HEAD + "● 기사 제목\n\n- 본문\n\n" + ARTICLE_HEAD)
    brief, _ = parse_text(text)
    assert [a.anchor for a in brief.articles] == ["기사-제목", "기사-제목-1"]
    html, toc, *_ = render(brief)
    tree = well_formed(html)
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids)) == 3  # two articles and the subhead that shares their title
    assert [h.id for h in toc] == ["기사-제목", "기사-제목-1"]


def test_duplicate_plain_headings_get_unique_ids():
    brief, _ = parse_text("소개 문장입니다.\n요약\n첫 문단입니다.\n요약\n둘째 문단입니다.\n")
    html, toc, *_ = render(brief)
    assert [(h.level, h.id) for h in toc] == [(2, "요약"), (2, "요약-1")]
    ids = well_formed(html).xpath("//@id")
    assert ids == ["요약", "요약-1"]


def test_tab_line_with_leading_debris_is_dropped():
    text = (ARTICLE_HEAD + "● 소제목\n\n- 본문\n\n"
            "(1. 정책/법제\t2. 기업/산업\t3. 기술/연구\t4. 인력/교육\n")
    brief, _ = parse_text(text)
    assert [b.kind for b in brief.articles[0].blocks] == ["subhead", "list"]


@pytest.mark.parametrize("page", ["15", "-15-", "– 15 –", "- 15 -"])
def test_page_number_lines_are_dropped(page):
    # A page footer inside a list does not end the list: the list goes on over the page break.
    text = ARTICLE_HEAD + f"● 소제목\n\n- 본문 항목\n\n{page}\n\n- 다음 항목\n{page}\n● 다음 소제목\n"
    brief, _ = parse_text(text)
    blocks = brief.articles[0].blocks
    assert [b.kind for b in blocks] == ["subhead", "list", "subhead"]
    assert [b.items for b in blocks if b.kind == "list"] == [((0, "본문 항목"), (0, "다음 항목"))]
    assert brief.articles[0].key_points == ("AI 요점",)


def test_first_part_survives_contents_without_parts():
    text = ("XYZ AI Brief\n2024년 5월호\n\nCONTENTS\n\n▷ 기사 하나\t1\n▷ 기사 둘\t2\n\n"
            "Ⅰ. 첫째 파트\n\n기사 하나\n\nKEY Contents\n\n- 요점\n\n"
            "Ⅱ. 둘째 파트\n\n기사 둘\n\nKEY Contents\n\n- 요점\n")
    brief, notes = parse_text(text)
    assert notes == []
    assert [(s.title, [a.title for a in s.articles]) for s in brief.sections] == [
        ("Ⅰ. 첫째 파트", ["기사 하나"]), ("Ⅱ. 둘째 파트", ["기사 둘"]),
    ]


# -- the samples (when present) ---------------------------------------------------------------

SPRI_ARTICLES = [
    # (title, category, sources)
    ("미국 백악관, 바이든 대통령의 AI 행정명령에 따른 연방 차원의 대응 조치 종합", "정책/법제", 1),
    ("미국 상무부, AI 안전 연구소 산하에 AI 안전 컨소시엄 창설", "정책/법제", 2),
    ("영국 AI 안전 연구소, 최근 활동을 다룬 3차 경과보고서 발간", "정책/법제", 1),
    # body "EU AI 법. …": the CONTENTS form wins
    ("EU AI 법, 회원국의 만장일치 합의에 이어 유럽의회 위원회 표결도 통과", "정책/법제", 1),
    ("오픈AI, '달리3'로 만든 AI 이미지에 디지털 워터마크 적용 방침", "기업/산업", 2),
    ("오픈AI, 텍스트 투 비디오(Text to-Video) 생성 AI '소라(Sora)' 공개", "기업/산업", 1),
    # CONTENTS says "메타, 연내 …": more than punctuation differs, so the body title stays
    ("메타. 올해 안에 데이터센터에 자체 개발 AI 프로세서 도입 계획", "기업/산업", 1),
    ("구글, 바드를 제미나이로 통합하고 '제미나이 어드밴스드' 유료 출시", "기업/산업", 2),
    # body "구글. … '제미나이 1.5 프로' 공개": only punctuation and spacing differ
    ("구글, 제미나이의 후속 버전 '제미나이 1.5 프로'공개", "기업/산업", 2),
    # CONTENTS has the page number glued on ("…피해1"): the body title stays
    ("홍콩 금융사 직원, 딥페이크 화상회의 사기에 속아 340억 원 송금 피해", "기업/산업", 1),
    ("앤스로픽 연구 결과, AI도 사람처럼 의도적으로 거짓말 가능", "기술/연구", 1),
    ("구글, LLM의 신뢰성 향상을 위한 'ASPIRE' 프레임워크 개발", "기술/연구", 1),
    ("스태빌리티AI, 소형 언어모델 '스테이블 LM 2 1.6B' 공개", "기술/연구", 1),
    ("앨런AI연구소, 오픈소스 LLM '올모(OLMo)' 공개", "기술/연구", 1),
    ("미국 국립과학재단, 국가AI연구자원(NAIRR) 파일럿 프로그램 발표", "기술/연구", 1),
    ("국제표준화기구(ISO), 세계 최초로 AI 관리 시스템 표준 발행", "기술/연구", 2),
    ("과기정통부, 마크애니와 엔플럭스에 '민간자율 AI 신뢰성 인증' 부여", "기술/연구", 1),
    # body "IMF 연구 결과. …": the CONTENTS form wins
    ("IMF 연구 결과, 전 세계 일자리의 40%가 AI의 영향 받아", "인력/교육", 1),
    ("버닝글래스 조사결과, 생성 AI는 금융과 IT 업종의 일자리에 최대 영향", "인력/교육", 2),
]
SPRI_SOURCES_TOTAL = 25
PLAIN_SAMPLE_SECTIONS = {
    "초거대 AI 모델 관련 신기술": ["거대 모델 경쟁 시대의 도래", "AI 기술의 문제점"],
    "법/규제": ["각국의 AI 규제 동향과 국제적 협력의 필요성 대두"],
    "산업 동향": [
        "AI 기술, 다양한 산업 분야로 확산",
        "하드웨어와 AI의 결합, 새로운 사용자 경험 창출",
        "AI, 엔터테인먼트 산업의 새로운 동력으로 부상",
    ],
    "시사점": [],
}


@pytest.fixture(scope="module")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is not present")
    return SAMPLES


@pytest.fixture(scope="module")
def spri(samples):
    path = samples / "brief-spri-2024-03.txt"
    if not path.is_file():
        pytest.skip("SPRi sample not present")
    text = path.read_text(encoding="utf-8")
    brief, notes = parse_text(text, acronym_ok=text.count("AI") >= 3)
    doc, diags = load(path)
    assert doc is not None, diags
    return brief, notes, doc, diags


def test_spri_articles(spri):
    brief, notes, doc, diags = spri
    articles = doc.brief.articles
    assert len(articles) == 19
    assert [a.title for a in articles] == [t for t, _, _ in SPRI_ARTICLES]
    assert [a.category for a in articles] == (
        ["정책/법제"] * 4 + ["기업/산업"] * 6 + ["기술/연구"] * 7 + ["인력/교육"] * 2
    )
    assert [a.category for a in articles] == [c for _, c, _ in SPRI_ARTICLES]
    assert all(len(a.key_points) == 2 for a in articles)
    # Every article is matched to its own CONTENTS entry: 19 of 19.
    listed = [a.listed_as for a in articles]
    assert sum(x is not None for x in listed) == 19
    assert len(set(listed)) == 19
    assert set(listed) <= {e.title for e in doc.brief.contents}
    assert [len(a.sources) for a in articles] == [n for _, _, n in SPRI_ARTICLES]
    assert all(len(a.sources) >= 1 for a in articles)
    assert sum(len(a.sources) for a in articles) == SPRI_SOURCES_TOTAL
    assert notes == [] and diags == []
    assert [a.title for a in brief.articles] == [a.title for a in articles]


def test_spri_structure(spri):
    brief, _, doc, _ = spri
    assert brief.categories == CATEGORIES
    assert brief.publisher == "SPRi AI Brief"
    assert brief.issue_date == date(2024, 3, 1)
    assert doc.date == datetime(2024, 3, 1, tzinfo=SEOUL)
    assert doc.date_source == "cover"
    assert [s.title for s in brief.sections] == [PART_1, PART_2]
    assert [h.text for h in doc.toc if h.level == 3] == [a.title for a in doc.brief.articles]
    assert doc.summary.endswith(" 외 16건")


def test_spri_html(spri):
    _, _, doc, _ = spri
    html = doc.body_html
    assert "$oxedsymbol" not in html and "oxedsymbol" not in html
    assert "CONTENTS" not in html
    tree = well_formed(html)
    nodes = article_nodes(tree)
    assert len(nodes) == 19
    assert all(n.get("id") for n in nodes)
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert len(tree.xpath("//p[@class='article-category']")) == 19
    assert len(doc.refs) == 19
    # The caption and boxed note of the certification article.
    assert "ASPIRE 적용 전과 적용 후 LLM 답변 비교" in tree.xpath("//p[@class='caption']/text()")
    assert len(tree.xpath("//div[@class='box']")) == 1
    assert len(tree.xpath("//div[@class='box']/ul/li[1]/ul/li")) >= 1


def test_spri_no_tab_line_leaks_into_articles(spri):
    _, _, doc, _ = spri
    leaked = [(a.title, b.line) for a in doc.brief.articles for b in a.blocks
              if b.kind == "table" and "정책/법제" in " ".join(b.rows[0])]
    assert leaked == []


def test_plain_sample(samples):
    path = samples / "brief-biweekly-plain.txt"
    if not path.is_file():
        pytest.skip("plain sample not present")
    doc, diags = load(path)
    assert doc is not None, diags
    assert not any("brief:" in d.message for d in diags)
    brief = doc.brief
    tree = fragment(doc.body_html)
    assert [s.title for s in brief.sections] == list(PLAIN_SAMPLE_SECTIONS)
    assert {s.title: [b.text for b in s.body if b.kind == "heading"]
            for s in brief.sections} == PLAIN_SAMPLE_SECTIONS
    assert tree.xpath("h2/text()") == list(PLAIN_SAMPLE_SECTIONS)
    assert tree.xpath("h3/text()") == [t for subs in PLAIN_SAMPLE_SECTIONS.values() for t in subs]
    assert len(doc.toc) == 10
    # The intro paragraph is the front matter of the page, before the first section.
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    assert brief.front == (Block("paragraph", 1, lines[0]),)
    assert tree[0].tag == "p" and tree[0].text == lines[0]
    # The copyright line is the rights note, without its brackets, last on the page.
    assert lines[-1].startswith("[") and "ⓒ" in lines[-1]
    assert brief.rights == lines[-1].strip("[]")
    rights = tree.xpath("p[@class='rights']")
    assert len(rights) == 1 and tree[-1] is rights[0]
    assert rights[0].text == brief.rights
    assert brief.articles == ()


# -- properties ------------------------------------------------------------------------------

_BRIEF_PIECES = st.sampled_from([
    "\n", "\n\n", "\t", " ", "- ", " - ", "\t- ", "● ", "○ ", "☞ 출처: ", "[☞] 출처 : ", "출처: ",
    "KEY Contents", "CONTENTS", "목차", "▷ ", "▶ ", "▷ x ····· 3", "·····", "…", "Ⅰ. ", "Ⅱ. ",
    "II. ", "1. ", "2. 기업/산업\t", "1. 정책/법제\t2. 기업/산업", "1. 정책/법제 2. 기업/산업",
    "$oxedsymbol{oxedsymbol{I}}$", "$", "{", "}", "Al", "AI ", "생성Al", "2024년 3월호",
    "2024.02.08.", "Org, Title, 2024.02.06.", "ⓒ", "[저작권자ⓒ 뉴스. 무단전재-재배포 금지]",
    "https://example.com/a", "<script>", "<표 제목>", "□ (대상) ", "① ", "② ", "&", "시사점",
    "---", "--", "12", "모델 공개", "했습니다.",
])
_BRIEF_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_BRIEF_PIECES, st.text(max_size=4)), max_size=60).map("".join),
)


def _check_render(html: str, toc) -> None:
    assert "<script" not in html
    tree = well_formed(html)
    for node in article_nodes(tree):
        assert node.get("id")
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert all(h.id in ids for h in toc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BRIEF_TEXTS, st.booleans())
def test_any_text_parses_and_renders(text, acronym_ok):
    brief, notes = parse_text(text, acronym_ok=acronym_ok)
    assert isinstance(brief, Brief)
    assert all(isinstance(line, int) and isinstance(msg, str) for line, msg in notes)
    html, toc, refs, rendered = render(brief)
    assert all(2 <= h.level <= 4 for h in toc)
    assert len(refs) == sum(1 for a in brief.articles if a.category)
    assert [a.title for a in rendered.articles] == [a.title for a in brief.articles]
    _check_render(html, toc)
    assert isinstance(plain_text(brief), str)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_BRIEF_TEXTS)
def test_any_text_loads_as_a_brief(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        path.write_bytes(text.encode("utf-8"))
        doc, diags = load(path)
    if doc is None:
        # Only what is not a brief's business: binary data, or broken frontmatter.
        assert any(d.severity.value == "error" for d in diags)
        assert "\x00" in text or re.match(r"\ufeff?(-{3,}|\+{3,})\s*$", text, re.MULTILINE)
        return
    assert doc.kind == "brief"
    assert isinstance(doc.brief, Brief)
    assert all(d.severity.value != "error" for d in diags)
    _check_render(doc.body_html, doc.toc)


# -- plain digests: section titles and headlines ---------------------------------------------

PLAIN_INTRO = "이번 호에서 눈여겨볼 AI 소식을 분야별로 묶어 정리했습니다.\n"
LONG = "가상 기업이 새 모델을 공개하면서 업계의 관심이 모였고, 여러 기관이 그 성능과 한계를 두고 평가를 내놓았습니다.\n"


def _headings(text: str):
    brief, notes = parse_text(text)
    return [(s.title, [(b.level, b.text) for b in s.body if b.kind == "heading"])
            for s in brief.sections], notes


def test_section_title_over_a_headline_that_ends_like_a_sentence():
    sections, notes = _headings(
        PLAIN_INTRO + "모델과 기술\n추론 모델의 확산\n" + LONG
        + "산업 동향\n투자 경쟁, 끝이 보이지 않는다\n" + LONG + "범용 에이전트를 향한 경쟁\n" + LONG)
    assert sections == [
        ("모델과 기술", [(3, "추론 모델의 확산")]),
        ("산업 동향", [(3, "투자 경쟁, 끝이 보이지 않는다"), (3, "범용 에이전트를 향한 경쟁")]),
    ]
    assert notes == []


def test_a_closing_section_is_a_section_after_headlines():
    sections, notes = _headings(
        PLAIN_INTRO + "모델과 기술\n추론 모델의 확산\n" + LONG + "정리하며\n" + LONG)
    assert [title for title, _ in sections] == ["모델과 기술", "정리하며"]
    assert notes == []


def test_a_short_lone_title_after_headlines_is_a_warned_guess(tmp_path):
    text = (PLAIN_INTRO + "모델과 기술\n추론 모델의 확산\n" + LONG + "반도체\n" + LONG)
    sections, notes = _headings(text)
    assert sections == [("모델과 기술", [(3, "추론 모델의 확산"), (3, "반도체")])]
    ((line, message),) = notes
    assert line == 5 and "'반도체' could be a section title or a headline" in message
    doc, diags = load_text(tmp_path, text, "digest.txt")
    assert [(d.path, d.line) for d in diags if "could be a section" in d.message] == [
        ("content/briefs/digest.txt", 5)]


def test_a_sentence_over_a_paragraph_stays_a_paragraph():
    sections, _ = _headings(PLAIN_INTRO + "모델과 기술\n추론 모델의 확산\n" + LONG
                            + "업계는 기대가 크다고 밝혔다.\n" + LONG)
    assert sections == [("모델과 기술", [(3, "추론 모델의 확산")])]


def test_example_digest_headings():
    path = REPO / "content/briefs/biweekly-2025-03-1.txt"
    doc, diags = load(path, "biweekly-2025-03-1.txt")
    assert not [d for d in diags if "brief:" in d.message]
    tree = fragment(doc.body_html)
    levels = [(int(h.tag[1]), h.text) for h in tree.xpath("h2|h3")]
    assert [t for lv, t in levels if lv == 2] == ["모델과 기술", "정책과 규제", "산업 동향",
                                                  "정리하며"]
    assert (3, "AI 인프라 투자 경쟁, 끝이 보이지 않는다") in levels


def test_notes_under_the_text_are_notes_not_unrecognised_lines(tmp_path):
    text = (ARTICLE_HEAD + "- 주요 7개국(G7)*이 행동강령에 합의\n* 미국, 일본, 독일 등 일곱 나라\n"
            "** 초청국은 서명하지 않음\n※ 세부 내용은 부록 참고\n☞ 출처: 기관 A, 보고서, 2024.01.02.\n")
    doc, diags = load_text(tmp_path, text, "notes.txt")
    assert not [d for d in diags if "brief:" in d.message]
    (article,) = doc.brief.articles
    assert [b.text for b in article.blocks if b.kind == "note"] == [
        "* 미국, 일본, 독일 등 일곱 나라", "** 초청국은 서명하지 않음", "※ 세부 내용은 부록 참고"]
    tree = fragment(doc.body_html)
    assert tree.xpath("//p[@class='note']/text()")[0] == "* 미국, 일본, 독일 등 일곱 나라"
    assert article.sources == ("기관 A, 보고서, 2024.01.02.",)


def test_a_caption_over_a_table_stays_the_tables_caption():
    text = (PART_1 + "\n" + ARTICLE_HEAD + "<분류 체계>\n단계\t예시\n1단계\t챗봇\n"
            "☞ 출처: 기관 A, 보고서, 2024.01.02.\n")
    brief, notes = parse_text(text)
    assert [s.title for s in brief.sections] == [PART_1]
    (article,) = brief.articles
    assert [b.kind for b in article.blocks] == ["caption", "table"]
    assert article.blocks[1].rows == (("단계", "예시"), ("1단계", "챗봇"))
    assert notes == []


def test_contents_entries_with_other_marks_and_bare_page_numbers():
    text = ("가상 리포트\n2025년 4월호\nCONTENTS\n" + PART_1 + "\n1. 정책/법제\n∙ 기사 하나\t1\n"
            "2. 기업/산업\n▹ 기사 둘 ····· 2\n\n" + PART_1 + "\n기사 하나\n\nKEY Contents\n\n"
            "- 요점\n기사 둘\n\nKEY Contents\n\n- 요점\n")
    brief, notes = parse_text(text)
    assert [(e.title, e.category) for e in brief.contents] == [
        ("기사 하나", "정책/법제"), ("기사 둘", "기업/산업")]
    assert [(a.title, a.category) for a in brief.articles] == [
        ("기사 하나", "정책/법제"), ("기사 둘", "기업/산업")]
    assert notes == []


def test_prose_inside_an_article_is_not_a_warning_but_a_stray_line_is(tmp_path):
    prose = ("이 기사는 목록 대신 문단으로 쓰였으며, 문단은 문장으로 끝나기 때문에 구조를 놓친 줄이 "
             "아니라는 것을 알 수 있습니다.")
    text = ARTICLE_HEAD + prose + "\n짧은 조각\n"
    doc, diags = load_text(tmp_path, text, "prose.txt")
    warned = [d.message for d in diags if "not recognised" in d.message]
    assert len(warned) == 1 and "짧은 조각" in warned[0]
    (article,) = doc.brief.articles
    assert [b.text for b in article.blocks] == [prose, "짧은 조각"]


def test_a_part_line_run_together_with_text_is_not_a_heading():
    run_together = "Ⅰ. 인공지능 산업 동향 브리프 1. 정책/법제 ▹ 미국 행정명령 발표 " + "·" * 60 + " 1"
    brief, _ = parse_text(PART_1 + "\n" + ARTICLE_HEAD + run_together + "\n")
    assert [s.title for s in brief.sections] == [PART_1]
