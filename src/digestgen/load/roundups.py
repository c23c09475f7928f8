"""Weekly roundups: Markdown, Jekyll/Hexo frontmatter, often named by week (``2024-04-w4.md``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from digestgen.i18n import month_name
from digestgen.load.common import LoadContext, Shaped, render_markdown

_WEEK_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-w([1-5])(?!\d)", re.IGNORECASE)


def week_of(name: str, tz) -> tuple[datetime, str] | None:
    """``roundup-2024-04-w4.md`` → (2024-04-22, "2024년 4월 4주차"): day 1 + 7 × (week − 1)."""
    m = _WEEK_RE.search(name)
    if not m:
        return None
    year, month, week = int(m[1]), int(m[2]), int(m[3])
    try:
        start = datetime(year, month, 1, tzinfo=tz) + timedelta(days=7 * (week - 1))
    except ValueError:
        return None
    return start, f"{year}년 {month}월 {week}주차"


def load(ctx: LoadContext) -> Shaped:
    shaped = render_markdown(ctx)
    week = week_of(PurePosixPath(ctx.source.content_path).name, ctx.config.tz)
    if week is None:
        return shaped
    date, _ = week
    words = ctx.config.words
    return Shaped(
        html=shaped.html,
        toc=shaped.toc,
        headings=shaped.headings,
        refs=shaped.refs,
        text=shaped.text,
        title=shaped.title or words["roundup_title"].format(
            year=date.year, month=date.month, week=(date.day - 1) // 7 + 1,
            month_name=month_name(date.month)),
        first_paragraph=shaped.first_paragraph,
        date=date,
        date_source="filename",
        diagnostics=shaped.diagnostics,
    )
