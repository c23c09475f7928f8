"""Make small Korean PDFs shaped like monthly AI briefs, with reportlab (its built-in CID font
HYSMyeongJo-Medium: no font download). Everything in them is written for the tests.

Two layouts of the same made-up issue, as two publishers (or two years of one) set it:

* ``classic``: the report's name only in the running heads ("가상연구소 AI 브리프 | 2025-04월호"
  on even pages), the cover holding just the issue line, a section tab bar in a ruled box on
  odd pages, a CONTENTS page without its label whose entries have dot leaders, bullets and
  sub-head marks drawn with a symbol font named Wingdings whose codes are letters (``n`` for
  ■, ``£`` for a circle: what Hancom and Word PDFs contain), ``∙`` sub-bullets, ``*``/``**``
  notes, a captioned ruled table, sources with a wrapped and a second citation, an events
  table, and a back cover with contacts;
* ``newer``: a cover with the report's name and publisher in text, running heads that name the
  section ("| 2025년 4월호 | 정책･법제"), a labelled CONTENTS with ``∙`` entries and bare page
  numbers, and bullets from the standard ZapfDingbats and Symbol fonts.

:func:`make_brief_pdf` returns the :class:`Truth`: what a reader of the PDF finds in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

FONT = "HYSMyeongJo-Medium"
WINGDINGS = "TestWingdings"  # registered below as a font whose PDF name is Wingdings-Regular

NAME = "가상연구소 AI 브리프"
ISSUE = "2025년 4월호"
# The newer layout's cover names the report and its publisher in text.
NEWER_NAME = "가상 AI 동향 리포트"
NEWER_PUBLISHER = "가상정책연구원"
PART_1 = "Ⅰ. 인공지능 산업 동향"
PART_2 = "Ⅱ. 주요 행사 일정"
SECTIONS = ("정책/법제", "기업/산업")


@dataclass(frozen=True)
class Article:
    title: str
    section: str
    key_points: tuple[str, ...]
    subhead: str
    # (depth, text): depth 0 a main bullet, 1 a sub-bullet
    bullets: tuple[tuple[int, str], ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    caption: str = ""


ARTICLES = (
    Article(
        "가상 기관, 생성 AI 결과물 표시 지침 발표",
        "정책/법제",
        ("가상 기관이 생성 AI로 만든 결과물에 표시를 붙이도록 하는 지침을 발표하고 연말까지 "
         "주요 서비스 사업자와 함께 시범 적용을 진행하기로 함",
         "지침은 표시 방식과 위치를 구체적으로 정하고 위반 사업자에게 시정 권고를 내릴 수 있도록 함"),
        "표시 대상은 실제와 구별하기 어려운 결과물",
        ((0, "표시 대상은 이미지와 영상, 음성처럼 실제와 구별하기 어려운 결과물이며 텍스트는 서비스 "
             "화면에 안내 문구를 두는 방식으로 대신할 수 있도록 허용*"),
         (1, "기관은 업계 의견을 반영해 세부 기준을 다듬은 뒤 내년 상반기 중 최종안을 확정할 계획"),
         (1, "해외 기준과의 호환성도 함께 검토하겠다고 설명"),
         (0, "지침은 공공기관부터 적용하고 민간에는 자율 참여를 권고")),
        ("가상 기관, 생성 AI 결과물 표시 지침, 2025.03.20.",
         "예시 신문, Labelling rules for generated media reach public services first as "
         "the agency publishes its guidance, 2025.03.21."),
        notes=("* 사람이 만든 것처럼 보이는 합성 결과물을 가리킴",),
    ),
    Article(
        "예시 위원회, AI 안전 평가 기준 초안 공개",
        "정책/법제",
        ("예시 위원회가 고위험 AI 시스템의 안전 평가 기준 초안을 공개하고 의견 수렴에 착수",
         "초안은 평가 항목을 다섯 가지로 나누고 항목별 점검 방법을 제시"),
        "평가 항목은 다섯 가지로 구성",
        ((0, "평가 항목은 정확성과 견고성, 투명성, 공정성, 보안으로 구성되며 항목마다 세부 점검 "
             "방법과 필요한 문서를 제시"),
         (1, "위원회는 의견 수렴을 거쳐 하반기에 기준을 확정할 예정")),
        ("예시 위원회, AI 안전 평가 기준 초안, 2025.03.18.",),
        table=(("항목", "점검 방법"), ("정확성", "시험 데이터로 측정"), ("투명성", "문서 검토")),
        caption="<평가 항목과 점검 방법>",
    ),
    Article(
        "예시 기업, 사내 문서 검색용 소형 언어모델 공개",
        "기업/산업",
        ("예시 기업이 사내 문서 검색과 요약에 맞춰 학습한 소형 언어모델을 공개",
         "모델은 외부 서버 없이 노트북에서도 실행할 수 있을 만큼 가벼운 크기가 강점"),
        "보안 규정이 엄격한 분야를 겨냥",
        ((0, "회사는 모델이 외부 서버로 데이터를 보내지 않고 동작하기 때문에 보안 규정이 엄격한 "
             "금융과 공공 분야에서 특히 쓸모가 있을 것이라고 설명"),
         (1, "첫 고객으로 가상 은행과 예시 시청이 시범 도입을 결정")),
        ("예시 기업, 소형 언어모델 공개 보도자료, 2025.03.25.",),
        notes=("** 회사가 밝힌 내부 평가 결과 기준",),
    ),
)
EVENTS = (("행사명", "기간", "장소"), ("가상 AI 서밋", "2025.5.12~13", "서울"),
          ("예시 학회 2025", "2025.6.2~6", "부산"))
HOMEPAGE = "홈페이지: https://example.org/"


@dataclass(frozen=True)
class Truth:
    """What a reader finds in the PDF."""

    title: str
    publisher: str
    date: str
    articles: tuple[Article, ...]
    events: tuple[tuple[str, ...], ...]
    # Text that is page furniture, not content: it must not reach the brief.
    furniture: tuple[str, ...] = field(default_factory=tuple)


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    if WINGDINGS not in registered:
        import reportlab

        vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
        font = TTFont(WINGDINGS, vera)
        # A symbol font as Hancom and Word embed it: glyphs under letter codes, mapped back to
        # the letters. Any TrueType font will do for the glyphs; what the reader sees of it is
        # its PDF name, which reportlab takes from the font's own name.
        font.face.name = b"Wingdings-Regular"
        pdfmetrics.registerFont(font)


def make_brief_pdf(path: Path, layout: str = "classic") -> Truth:
    """Write the made-up issue to ``path`` in ``layout`` (``classic`` or ``newer``)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
    )

    register_fonts()
    newer = layout == "newer"
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK",
                          spaceAfter=3)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=20, spaceAfter=8)
    label = ParagraphStyle("label", parent=body, fontSize=11)
    subhead = ParagraphStyle("subhead", parent=body, fontSize=12, leading=17, spaceBefore=6)
    note = ParagraphStyle("note", parent=body, fontSize=8, leading=11, leftIndent=30)
    caption = ParagraphStyle("caption", parent=body, alignment=1)
    big = ParagraphStyle("big", parent=body, fontSize=20, leading=26, alignment=1)

    def bullet(text: str, depth: int, mark_font: str, mark: str) -> Paragraph:
        """A bullet with a hanging indent: wrapped lines start under the text, not the mark."""
        indent = 22 + 12 * depth
        style = ParagraphStyle(f"b{depth}", parent=body, leftIndent=indent,
                               firstLineIndent=-12)
        return Paragraph(f'<font name="{mark_font}">{mark}</font> {text}', style)

    main_mark = ("ZapfDingbats", "■") if newer else (WINGDINGS, "n")
    sub_mark = ("Symbol", "•") if newer else (FONT, "∙")
    head_mark = f'<font name="{WINGDINGS}">£</font> ' if not newer else (
        '<font name="ZapfDingbats">●</font> ')

    if newer:
        story: list = [Spacer(1, 200), Paragraph(NEWER_NAME, ParagraphStyle(
            "name", parent=big, fontSize=28, leading=36)), Paragraph(ISSUE, big),
            Spacer(1, 200), Paragraph(NEWER_PUBLISHER, body), PageBreak()]
    else:
        story = [Spacer(1, 250), Paragraph(ISSUE, big), PageBreak()]
    story += _contents(newer, body, label)
    story += [Spacer(1, 250), Paragraph(PART_1, big), PageBreak()]
    for k, a in enumerate(ARTICLES):
        story += [Paragraph(a.title, title), Paragraph("KEY Contents", label)]
        story += [bullet(p, 0, *main_mark) for p in a.key_points]
        story.append(Paragraph(head_mark + a.subhead, subhead))
        mark_of = {0: main_mark, 1: sub_mark}
        for depth, text in a.bullets:
            story.append(bullet(text, depth, *mark_of[depth]))
        story += [Paragraph(n, note) for n in a.notes]
        if a.table:
            story.append(Paragraph(a.caption.replace("<", "&lt;").replace(">", "&gt;"), caption))
            story.append(Table([list(r) for r in a.table], style=[
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        first, *more = a.sources
        story.append(Paragraph(f"☞ 출처: {first}", ParagraphStyle(
            "src", parent=body, fontSize=9, leading=13, leftIndent=40, firstLineIndent=-40,
            spaceBefore=6)))
        story += [Paragraph(m, ParagraphStyle("src2", parent=body, fontSize=9, leading=13,
                                              leftIndent=40)) for m in more]
        if k < len(ARTICLES) - 1:
            story.append(PageBreak())
    story += [PageBreak(), Paragraph(PART_2, big), Spacer(1, 12),
              Table([list(r) for r in EVENTS], style=[
                  ("FONT", (0, 0), (-1, -1), FONT, 10),
                  ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]),
              PageBreak(), Spacer(1, 500), Paragraph(HOMEPAGE, body),
              Paragraph("보고서 문의: 가상연구소 정책팀(team@example.org)", body)]

    def decorate(canvas, doc) -> None:
        page = doc.page
        if page <= 3 or page == doc.last_page:
            return
        article = ARTICLES[min(page - 4, len(ARTICLES) - 1)]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        width, height = A4
        if newer:
            head = f"| {ISSUE} | {article.section.replace('/', '･')}"
            canvas.drawString(60, height - 40, head)
        elif page % 2 == 0:
            canvas.drawString(60, height - 40, f"{NAME} |")
            canvas.drawString(60, height - 50, "2025-04월호")
        else:
            canvas.rect(60, height - 62, width - 120, 16)
            for j, name in enumerate(SECTIONS):
                x = 60 + j * (width - 120) / 2
                if j:
                    canvas.line(x, height - 62, x, height - 46)
                canvas.drawString(x + 20, height - 57, f"{j + 1}. {name}")
        canvas.drawString(width / 2, 30, str(page - 3))
        canvas.restoreState()

    class Doc(SimpleDocTemplate):
        last_page = 0

    doc = Doc(str(path), pagesize=A4, title="")
    Doc.last_page = len(ARTICLES) + 5  # cover, contents, part page, articles, events, back
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    furniture = ("2025-04월호", f"{NAME} |", f"| {ISSUE} |")
    if newer:
        return Truth(f"{NEWER_NAME} {ISSUE}", NEWER_PUBLISHER, "2025-04-01", ARTICLES, EVENTS,
                     furniture)
    return Truth(f"{NAME} {ISSUE}", NAME, "2025-04-01", ARTICLES, EVENTS, furniture)


def _contents(newer: bool, body, label) -> list:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, Table

    out: list = []
    if newer:
        out.append(Paragraph("CONTENTS", label))
    out.append(Paragraph(PART_1, ParagraphStyle("p", parent=body, fontSize=14, leading=20)))
    page = 1
    for n, section in enumerate(SECTIONS, 1):
        out.append(Paragraph(f"{n}. {section}", label))
        for a in ARTICLES:
            if a.section != section:
                continue
            if newer:
                out.append(Table([[f"∙ {a.title}", str(page)]], colWidths=[400, 40],
                                 style=[("FONT", (0, 0), (-1, -1), FONT, 10),
                                        ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
            else:
                dots = "·" * (40 - len(a.title))
                out.append(Paragraph(f"▹ {a.title} {dots} {page}", body))
            page += 1
    out.append(Paragraph(PART_2, ParagraphStyle("p2", parent=body, fontSize=14, leading=20)))
    out.append(PageBreak())
    return out


COLUMN_PARAGRAPHS = tuple(
    f"{n}번째 문단은 두 단으로 짠 보고서에서 왼쪽 단을 다 읽은 뒤에 오른쪽 단으로 넘어가는지 "
    f"확인하려고 쓴 글이며, 여러 줄에 걸쳐 이어지도록 충분히 길게 적었습니다."
    for n in range(1, 13)
)


def make_two_column_pdf(path: Path) -> tuple[str, ...]:
    """A page set in two columns under a title that spans both; returns the paragraphs in
    reading order (the left column's, then the right's)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK",
                          spaceAfter=6)
    width, height = A4
    column = (width - 72 * 2 - 24) / 2
    title_frame = Frame(72, height - 130, width - 144, 60, id="title")
    frames = [title_frame,
              Frame(72, 72, column, height - 210, id="left"),
              Frame(72 + column + 24, 72, column, height - 210, id="right")]
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=frames)])
    from reportlab.platypus import FrameBreak

    story = [Paragraph("두 단 보고서의 제목은 두 단에 걸쳐 놓입니다",
                       ParagraphStyle("t", parent=body, fontSize=16, leading=22)), FrameBreak()]
    story += [Paragraph(p, body) for p in COLUMN_PARAGRAPHS]
    doc.build(story)
    return COLUMN_PARAGRAPHS


def make_unmapped_pdf(path: Path) -> None:
    """A PDF whose font names its glyphs with names no Unicode table knows and carries no
    ToUnicode map: its text cannot be read, only guessed from the codes."""
    content = b"BT /F1 24 Tf 72 700 Td (ABCDEFGH) Tj ET"
    names = b" ".join(b"/g%03d" % k for k in range(1, 9))
    objects = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/Differences [65 " + names + b"] >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] /Contents 2 0 R "
        b"/Resources << /Font << /F1 1 0 R >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Catalog /Pages 4 0 R >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(out)
