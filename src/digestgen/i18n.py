"""The words of the default theme and of the pages digestgen titles itself: one table per language.

Every string a reader sees that the author did not write comes from here: the menu's section
names, "목차", "이전 페이지", the archive's month names, alert titles ("참고"), the share card's
section label. A site picks its table with ``language:`` and changes single words with
``labels:`` in site.yaml (checked against these keys). Strings with ``{placeholders}`` are
``str.format`` patterns; an override must keep the same placeholders.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

KO: dict[str, str] = {
    # Navigation and page furniture
    "skip": "본문으로 건너뛰기",
    "menu": "주 메뉴",
    "menu_tags": "태그",
    "menu_archive": "아카이브",
    "theme_toggle": "어두운 화면",
    "draft": "초안",
    "updated": "수정",
    # strftime; %-d and %-m: no leading zero. site.yaml's date_format: replaces it.
    "date_format": "%Y년 %-m월 %-d일",
    "reading_time": "{n}분 읽기",
    "by": "글쓴이",
    "tags": "태그",
    "categories": "카테고리",
    "series": "시리즈",
    "series_part": "{total}편 중 {n}편",
    "series_prev": "이 시리즈의 이전 글",
    "series_next": "이 시리즈의 다음 글",
    "toc": "목차",
    "anchor": "제목 링크",
    "backlinks": "이 문서를 가리키는 문서",
    "related": "함께 읽을 글",
    "comments": "댓글",
    "prev": "이전 글",
    "next": "다음 글",
    # Listing pages: page n-1 and page n+1, by number (not by "newer"/"older").
    "page_prev": "이전 페이지",
    "page_next": "다음 페이지",
    "pages": "페이지 목록",
    "count": "{n}개의 글",
    "count_one": "1개의 글",
    "feed": "RSS 피드",
    "atom": "Atom 피드",
    "home": "처음으로",
    "not_found_title": "페이지를 찾을 수 없습니다",
    "not_found": "주소가 바뀌었거나 없는 페이지입니다.",
    "archive": "아카이브",
    "archive_year": "{year}년",
    "archive_month": "{year}년 {month}월",
    "archive_month_short": "{month}월",
    "undated": "날짜 없음",
    "rights": "저작권",
    "sources": "출처",
    "cover": "표지",
    "articles": "기사",
    "powered": "digestgen으로 만듦",
    "redirect": "이 페이지는 옮겨졌습니다:",
    "all_tags": "모든 태그",
    "in_section": "분류",
    # Code, diagrams, math
    "copy_button": "복사",
    "copied": "복사했습니다",
    "copy_label": "코드 복사",
    "diagram": "다이어그램",
    # GitHub alerts (> [!NOTE]) and Hexo notes
    "alert_note": "참고",
    "alert_tip": "팁",
    "alert_important": "중요",
    "alert_warning": "경고",
    "alert_caution": "주의",
    # Search
    "search": "검색",
    "search_label": "사이트 검색",
    "search_placeholder": "회사, 모델, 주제를 검색하세요",
    "search_results": "‘{q}’ 검색 결과 {n}건",
    "search_none": "‘{q}’에 대한 검색 결과가 없습니다.",
    "search_error": "검색 색인을 불러오지 못했습니다. 잠시 후 다시 시도해 주세요.",
    "search_noscript": "검색은 브라우저의 JavaScript로 동작합니다. JavaScript를 켜거나, "
    "태그와 아카이브에서 글을 찾아보세요:",
    # Section and series names of the default site layout
    "section_posts": "포스트",
    "section_roundups": "주간 모음",
    "section_briefs": "브리프",
    "section_wiki": "위키",
    "roundup_series": "주간 AI 모음",
    "roundup_title": "{year}년 {month}월 {week}주차 AI 모음",
}

EN: dict[str, str] = {
    "skip": "Skip to content",
    "menu": "Main menu",
    "menu_tags": "Tags",
    "menu_archive": "Archive",
    "theme_toggle": "Dark mode",
    "draft": "Draft",
    "updated": "Updated",
    "date_format": "%b %-d, %Y",
    "reading_time": "{n} min read",
    "by": "By",
    "tags": "Tags",
    "categories": "Categories",
    "series": "Series",
    "series_part": "Part {n} of {total}",
    "series_prev": "Previous in this series",
    "series_next": "Next in this series",
    "toc": "Contents",
    "anchor": "Section link",
    "backlinks": "Linked from",
    "related": "Related posts",
    "comments": "Comments",
    "prev": "Previous",
    "next": "Next",
    "page_prev": "Previous page",
    "page_next": "Next page",
    "pages": "Pages",
    "count": "{n} posts",
    "count_one": "1 post",
    "feed": "RSS feed",
    "atom": "Atom feed",
    "home": "Home",
    "not_found_title": "Page not found",
    "not_found": "This page has moved or never existed.",
    "archive": "Archive",
    "archive_year": "{year}",
    "archive_month": "{month_name} {year}",
    "archive_month_short": "{month_name}",
    "undated": "Undated",
    "rights": "Rights",
    "sources": "Sources",
    "cover": "Cover",
    "articles": "Articles",
    "powered": "Made with digestgen",
    "redirect": "This page has moved to",
    "all_tags": "All tags",
    "in_section": "Section",
    "copy_button": "Copy",
    "copied": "Copied",
    "copy_label": "Copy code",
    "diagram": "Diagram",
    "alert_note": "Note",
    "alert_tip": "Tip",
    "alert_important": "Important",
    "alert_warning": "Warning",
    "alert_caution": "Caution",
    "search": "Search",
    "search_label": "Search this site",
    "search_placeholder": "Search companies, models, topics",
    "search_results": "{n} results for “{q}”",
    "search_none": "No results for “{q}”.",
    "search_error": "The search index could not be loaded. Please try again shortly.",
    "search_noscript": "Search runs in your browser with JavaScript. Turn it on, or browse "
    "the tags and the archive:",
    "section_posts": "Posts",
    "section_roundups": "Roundups",
    "section_briefs": "Briefs",
    "section_wiki": "Wiki",
    "roundup_series": "Weekly AI roundup",
    "roundup_title": "AI roundup: {month_name} {year}, week {week}",
}

TABLES: dict[str, dict[str, str]] = {"ko": KO, "en": EN}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def table_for(language: str) -> dict[str, str]:
    """The table of ``language`` (``ko``, ``ko-KR``…); English for a language without one."""
    return TABLES.get(language.split("-")[0].split("_")[0].lower(), EN)


def words(language: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The words of a site: its language's table with site.yaml's ``labels:`` over it."""
    table = dict(table_for(language))
    if overrides:
        table.update(overrides)
    return table


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` a format string uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def allowed_placeholders(key: str) -> frozenset[str]:
    """The ``{names}`` digestgen fills in for the word ``key``: those of every table's."""
    return frozenset().union(*(placeholders(t[key]) for t in TABLES.values() if key in t))


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def month_label(table: Mapping[str, str], year: int, month: int, key: str = "archive_month") -> str:
    """``table[key]`` for one month: "2024년 5월", "May 2024"."""
    return table[key].format(year=year, month=month, month_name=month_name(month))


def count_label(table: Mapping[str, str], n: int) -> str:
    """"3개의 글", "3 posts", "1 post"."""
    return table["count_one"] if n == 1 else table["count"].format(n=n)
