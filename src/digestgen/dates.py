"""Dates as real blogs write them, made timezone-aware.

Frontmatter dates arrive as ``date`` (YAML ``2024-05-09``), naive ``datetime``
(``2024-04-24 00:03:00``), or strings PyYAML leaves alone (``2024-04-24 00:03:00 +0900``,
``2024-07-06 20:30``, ``2024.05.09``, ``2024년 5월 9일``). A date without an offset is in the
site's time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

_ISO_RE = re.compile(
    r"""^\s*(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})\.?
    (?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?)?
    \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_KO_RE = re.compile(
    r"^\s*(?P<y>\d{4})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?:(?P<d>\d{1,2})\s*일)?"
    r"(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?\s*$"
)

# Dates in file names: Jekyll's 2024-04-24-slug, 20240424, and year-month (roundup-2024-04-w4).
_FILENAME_DAY_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# Jekyll's own rule for a post's name: YYYY-M-D-title (one-digit months and days too).
_FILENAME_JEKYLL_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")
_FILENAME_COMPACT_RE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_FILENAME_MONTH_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d]|-\d)")

# Dates inside text, most specific first.
_TEXT_PATTERNS = (
    re.compile(r"(?<!\d)(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일"),
    re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
    re.compile(r"(?<![\d.])(\d{4})\.\s?(\d{1,2})\.\s?(\d{1,2})\.?(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})년\s*(\d{1,2})월(?!\s*\d{1,2}\s*일)(?:호)?"),
)


class DateError(ValueError):
    """A value that is meant as a date but is not one."""


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Turn a frontmatter value into an aware datetime; raise :class:`DateError` if impossible."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
    if isinstance(value, bool) or not isinstance(value, str):
        raise DateError(f"expected a date like 2024-05-09 or 2024-05-09 14:30, got {value!r}")
    text = value.strip()
    match = _ISO_RE.match(text) or _KO_RE.match(text)
    if not match:
        raise DateError(
            f"cannot read {value!r} as a date (write it like 2024-05-09 or "
            f"2024-05-09 14:30:00 +09:00)"
        )
    parts = match.groupdict()
    try:
        dt = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts.get("d") or 1),
            int(parts.get("H") or 0),
            int(parts.get("M") or 0),
            int(parts.get("S") or 0),
            int((parts.get("f") or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise DateError(f"impossible date {value!r} ({exc})") from None
    offset = parts.get("tz")
    if not offset:
        return dt.replace(tzinfo=tz)
    if offset.upper() in ("Z", "UTC", "GMT"):
        return datetime.fromisoformat(dt.isoformat() + "+00:00")
    offset = offset.replace(":", "")
    if int(offset[1:3]) > 23 or int(offset[3:]) > 59:
        raise DateError(f"impossible time zone offset in {value!r}")
    return datetime.fromisoformat(f"{dt.isoformat()}{offset[:3]}:{offset[3:]}")


def date_from_filename(name: str, tz: tzinfo) -> datetime | None:
    """A date in a file name (``2024-04-24-slug.md``, ``roundup-2024-04-w4.md``), or None."""
    for pattern in (_FILENAME_JEKYLL_RE, _FILENAME_DAY_RE, _FILENAME_COMPACT_RE):
        for m in pattern.finditer(name):
            dt = _safe_datetime(int(m[1]), int(m[2]), int(m[3]), tz)
            if dt:
                return dt
    m = _FILENAME_MONTH_RE.search(name)
    if m:
        return _safe_datetime(int(m[1]), int(m[2]), 1, tz)
    return None


def date_from_text(text: str, tz: tzinfo, *, limit: int = 4000) -> tuple[datetime, int] | None:
    """The first date written in ``text`` (within ``limit`` characters) and its 1-based line."""
    head = text[:limit]
    best: tuple[int, datetime] | None = None
    for pattern in _TEXT_PATTERNS:
        for m in pattern.finditer(head):
            day = int(m[3]) if m.lastindex and m.lastindex >= 3 else 1
            dt = _safe_datetime(int(m[1]), int(m[2]), day, tz)
            if dt and (best is None or m.start() < best[0]):
                best = (m.start(), dt)
                break
    if best is None:
        return None
    return best[1], head.count("\n", 0, best[0]) + 1


def _safe_datetime(y: int, m: int, d: int, tz: tzinfo) -> datetime | None:
    if not 1900 <= y <= 2200:
        return None
    try:
        return datetime(y, m, d, tzinfo=tz)
    except ValueError:
        return None


def strip_date_prefix(stem: str) -> str:
    """``2024-04-24-hello`` (or ``2021-9-8-hello``) → ``hello`` (Jekyll's file names); other
    stems unchanged."""
    m = re.match(r"^\d{4}-\d{1,2}-\d{1,2}[-_ ]+(.+)$", stem)
    return m[1] if m else stem


def format_date(dt: datetime, fmt: str) -> str:
    """strftime with portable ``%-d``/``%-m`` (no leading zero)."""
    fmt = fmt.replace("%-d", str(dt.day)).replace("%-m", str(dt.month))
    fmt = fmt.replace("%-H", str(dt.hour))
    return dt.strftime(fmt)
