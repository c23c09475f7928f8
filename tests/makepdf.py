"""Make small Korean PDFs shaped like monthly AI briefs (reportlab, its built-in CID font
HYSMyeongJo-Medium: no font download). Used by the tests and by bench/pdf_extract.py, which
also needs the ground truth: the paragraphs and table rows that went in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONT = "HYSMyeongJo-Medium"

COVER = ("가상연구소 AI 브리프", "인공지능 산업의 최신 동향 2025년 4월호")
ARTICLES = (
    (
        "가상 기관, 생성 AI 서비스의 표시 의무를 담은 지침 발표",
        (
            "가상 기관이 생성 AI로 만든 결과물에 표시를 붙이도록 하는 지침을 발표하고 "
            "연말까지 주요 서비스 사업자와 함께 시범 적용을 진행하기로 했다고 밝혔다",
            "지침은 이용자가 결과물의 출처를 쉽게 확인할 수 있도록 표시 방식과 위치를 "
            "구체적으로 정하고 있으며 위반 사업자에게는 시정 권고를 내릴 수 있도록 했다",
        ),
        (
            "표시 대상은 이미지와 영상, 음성처럼 실제와 구별하기 어려운 결과물이며, 텍스트는 "
            "서비스 화면에 안내 문구를 두는 방식으로 대신할 수 있도록 허용했다",
            "기관은 업계 의견을 반영해 세부 기준을 다듬은 뒤 내년 상반기 중 최종안을 확정할 "
            "계획이며, 해외 기준과의 호환성도 함께 검토하겠다고 설명했다",
        ),
    ),
    (
        "예시 기업, 사내 문서 검색에 특화된 소형 언어모델 공개",
        (
            "예시 기업이 사내 문서 검색과 요약에 맞춰 학습한 소형 언어모델을 공개하고 "
            "노트북에서도 실행할 수 있을 만큼 가벼운 크기를 강점으로 내세웠다",
        ),
        (
            "회사는 모델이 외부 서버로 데이터를 보내지 않고 동작하기 때문에 보안 규정이 엄격한 "
            "금융과 공공 분야에서 특히 쓸모가 있을 것이라고 설명했다",
        ),
    ),
)
TABLE = (("행사명", "기간", "장소"), ("가상 AI 서밋", "2025.5.12~13", "서울"),
         ("예시 학회 2025", "2025.6.2~6", "부산"))


@dataclass(frozen=True)
class Truth:
    """What went into the PDF: each paragraph (one line after reflow) and the table rows."""

    paragraphs: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]


def make_brief_pdf(path: Path) -> Truth:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK",
                          spaceAfter=4)
    big = ParagraphStyle("big", parent=body, fontSize=16, leading=22)
    story = [Paragraph(COVER[0], big), Paragraph(COVER[1], body), PageBreak()]
    paragraphs = list(COVER)
    for title, keys, bullets in ARTICLES:
        story += [Paragraph(title, big), Paragraph("KEY Contents", body)]
        paragraphs += [title, "KEY Contents"]
        for text in keys:
            story.append(Paragraph(f"- {text}", body))
            paragraphs.append(f"- {text}")
        story.append(Paragraph("● 주요 내용", body))
        paragraphs.append("● 주요 내용")
        for text in bullets:
            story.append(Paragraph(f"- {text}", body))
            paragraphs.append(f"- {text}")
        story += [Paragraph("☞ 출처: 가상 기관, 보도자료, 2025.04.01.", body), Spacer(1, 12)]
        paragraphs.append("☞ 출처: 가상 기관, 보도자료, 2025.04.01.")
    table = Table([list(r) for r in TABLE], style=[
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ])
    story += [Paragraph("주요 행사 일정", big), table]
    paragraphs.append("주요 행사 일정")
    SimpleDocTemplate(str(path), pagesize=A4, title=COVER[0]).build(story)
    return Truth(tuple(paragraphs), TABLE)
