"""Dates as blogs write them (digestgen.dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from digestgen.dates import (
    DateError,
    date_from_filename,
    date_from_text,
    format_date,
    parse_date,
    strip_date_prefix,
)

SEOUL = ZoneInfo("Asia/Seoul")
NINE_HOURS = timedelta(hours=9)


def seoul(*args) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


# -- parse_date --------------------------------------------------------------------------


def test_yaml_date_becomes_midnight_in_site_timezone():
    result = parse_date(date(2024, 5, 9), SEOUL)
    assert result == seoul(2024, 5, 9)
    assert result.utcoffset() == NINE_HOURS


def test_naive_datetime_gets_site_timezone():
    result = parse_date(datetime(2024, 4, 24, 0, 3), SEOUL)
    assert result.tzinfo is SEOUL
    assert result.utcoffset() == NINE_HOURS
    assert (result.hour, result.minute) == (0, 3)


def test_aware_datetime_is_kept():
    value = datetime(2024, 4, 24, 0, 3, tzinfo=UTC)
    assert parse_date(value, SEOUL) is value


@pytest.mark.parametrize(
    ("text", "expected", "offset"),
    [
        ("2024-04-24 00:03:00 +0900", (2024, 4, 24, 0, 3), NINE_HOURS),
        ("2024-04-24T00:03:00+09:00", (2024, 4, 24, 0, 3), NINE_HOURS),
        ("2024-04-24 00:03:00 -05:30", (2024, 4, 24, 0, 3), -timedelta(hours=5, minutes=30)),
        ("2024-07-06 20:30", (2024, 7, 6, 20, 30), NINE_HOURS),  # site tz
        ("2024-05-09", (2024, 5, 9), NINE_HOURS),
        ("2024-5-9", (2024, 5, 9), NINE_HOURS),
        ("2024.05.09", (2024, 5, 9), NINE_HOURS),
        ("2024.05.09.", (2024, 5, 9), NINE_HOURS),
        ("2024/05/09", (2024, 5, 9), NINE_HOURS),
        ("2024년 5월 9일", (2024, 5, 9), NINE_HOURS),
        ("2024년 5월", (2024, 5, 1), NINE_HOURS),
        ("  2024-05-09  ", (2024, 5, 9), NINE_HOURS),
        ("2024-04-24T00:03:00Z", (2024, 4, 24, 0, 3), timedelta(0)),
        ("2024-04-24 00:03 UTC", (2024, 4, 24, 0, 3), timedelta(0)),
    ],
)
def test_parse_date_strings(text, expected, offset):
    result = parse_date(text, SEOUL)
    assert result.utcoffset() == offset
    assert result.replace(tzinfo=None) == datetime(*expected)


def test_fractional_seconds_are_kept():
    result = parse_date("2024-04-24 00:03:00.5 +09:00", SEOUL)
    assert result.microsecond == 500000


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-05-09 25:00",
                                  "2024년 2월 30일"])
def test_impossible_dates_raise_date_error(text):
    with pytest.raises(DateError, match="impossible date") as info:
        parse_date(text, SEOUL)
    assert repr(text) in str(info.value)


def test_leap_day_is_possible():
    assert parse_date("2024-02-29", SEOUL) == seoul(2024, 2, 29)


@pytest.mark.parametrize("text", ["yesterday", "", "May 9, 2024", "2024-05", "09/05/2024"])
def test_unreadable_strings_raise_date_error(text):
    with pytest.raises(DateError, match="cannot read"):
        parse_date(text, SEOUL)


@pytest.mark.parametrize("value", [20240509, 2024.5, True, False, None, [2024, 5, 9], {"y": 2024}])
def test_non_date_values_raise_date_error(value):
    with pytest.raises(DateError, match="expected a date like 2024-05-09"):
        parse_date(value, SEOUL)


@pytest.mark.parametrize("text", ["2024-01-01 10:00 +2500", "2024-01-01 10:00 +09:99"])
def test_impossible_utc_offset_raises_date_error(text):
    with pytest.raises(DateError):
        parse_date(text, SEOUL)


def assert_same_moment_and_offset(result: datetime, d: datetime) -> None:
    # Compared field by field: == between zones is always False for times in a DST fold/gap.
    assert result.replace(tzinfo=None) == d.replace(tzinfo=None)
    assert result.utcoffset() == d.utcoffset()
    assert result.timestamp() == d.timestamp()


_WHOLE_MINUTE_OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
_YEARS = {"min_value": datetime(1900, 1, 1), "max_value": datetime(2200, 12, 31, 23, 59, 59)}


@given(st.datetimes(**_YEARS, timezones=_WHOLE_MINUTE_OFFSETS))
def test_isoformat_round_trips_with_fixed_offsets(d):
    result = parse_date(d.isoformat(sep=" "), SEOUL)
    assert_same_moment_and_offset(result, d)


@given(st.datetimes(**_YEARS, timezones=st.timezones()))
def test_isoformat_round_trips_in_iana_zones(d):
    # Local mean time before ~1910 has offsets like +08:27:52, which nobody writes by hand and
    # the documented formats do not cover.
    assume(d.utcoffset() % timedelta(minutes=1) == timedelta(0))
    result = parse_date(d.isoformat(sep=" "), SEOUL)
    assert_same_moment_and_offset(result, d)


@given(st.datetimes(**_YEARS))
def test_naive_isoformat_is_read_in_site_timezone(d):
    assert parse_date(d.isoformat(sep=" "), SEOUL) == d.replace(tzinfo=SEOUL)


# -- date_from_filename ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024-04-24-hello.md", (2024, 4, 24)),
        ("20240424-x.md", (2024, 4, 24)),
        ("roundup-2024-04-w4.md", (2024, 4, 1)),
        ("brief-2024-02-29.pdf", (2024, 2, 29)),
        ("2024-13-45-x.md 2024-03-05", (2024, 3, 5)),  # an impossible date is skipped
    ],
)
def test_date_from_filename(name, expected):
    result = date_from_filename(name, SEOUL)
    assert result == seoul(*expected)
    assert result.utcoffset() == NINE_HOURS


@pytest.mark.parametrize(
    "name", ["hello.md", "gpt4-release.md", "2024-13-45-x.md", "20241332-x.md", "1234567890.md"]
)
def test_date_from_filename_without_a_usable_date(name):
    assert date_from_filename(name, SEOUL) is None


def test_impossible_day_in_filename_is_ignored():
    assert date_from_filename("2024-02-30-x.md", SEOUL) is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_jekyll_filename_date_round_trips(d):
    assert date_from_filename(f"{d:%Y-%m-%d}-some-post.md", SEOUL) == seoul(d.year, d.month, d.day)


# -- date_from_text ----------------------------------------------------------------------


def test_date_from_text_finds_korean_month_issue_and_its_line():
    assert date_from_text("# AI 브리프\n\n2024년 3월호\n", SEOUL) == (seoul(2024, 3, 1), 3)


def test_date_from_text_prefers_the_earliest_date():
    text = "첫 줄\n발행 2024.01.29. 기준\n2023년 12월 1일 자료\n2022-06-01\n"
    assert date_from_text(text, SEOUL) == (seoul(2024, 1, 29), 2)


def test_date_from_text_finds_dotted_date():
    assert date_from_text("발행일: 2024.01.29.", SEOUL) == (seoul(2024, 1, 29), 1)


def test_date_from_text_full_korean_date_beats_month_at_same_position():
    assert date_from_text("2024년 3월 15일 발표", SEOUL) == (seoul(2024, 3, 15), 1)


def test_date_from_text_respects_limit():
    text = "x" * 50 + "\n2024-05-09"
    assert date_from_text(text, SEOUL, limit=40) is None
    assert date_from_text(text, SEOUL) == (seoul(2024, 5, 9), 2)


@pytest.mark.parametrize("text", ["", "no dates here", "version 1.2.3", "call 2024-99-99"])
def test_date_from_text_without_a_date(text):
    assert date_from_text(text, SEOUL) is None


# -- strip_date_prefix and format_date ---------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2024-04-24-hello", "hello"),
        ("2024-04-24_hello-world", "hello-world"),
        ("2024-04-24 신뢰 구축", "신뢰 구축"),
        ("hello", "hello"),
        ("2024-04-24", "2024-04-24"),
        ("roundup-2024-04-w4", "roundup-2024-04-w4"),
    ],
)
def test_strip_date_prefix(stem, expected):
    assert strip_date_prefix(stem) == expected


def test_format_date_korean_without_leading_zeros():
    assert format_date(seoul(2024, 5, 9), "%Y년 %-m월 %-d일") == "2024년 5월 9일"


def test_format_date_english_and_hour():
    assert format_date(seoul(2024, 12, 5, 7), "%b %-d, %Y %-H:%M") == "Dec 5, 2024 7:00"


@given(st.datetimes(**_YEARS))
def test_format_date_korean_property(d):
    assert format_date(d, "%Y년 %-m월 %-d일") == f"{d.year}년 {d.month}월 {d.day}일"


def test_jekyll_names_with_one_digit_months_and_days_give_the_date_and_slug():
    from zoneinfo import ZoneInfo

    from digestgen.dates import date_from_filename, strip_date_prefix
    date = date_from_filename("2021-9-8-IDE&textEditor.md", ZoneInfo("Asia/Seoul"))
    assert (date.year, date.month, date.day) == (2021, 9, 8)
    assert strip_date_prefix("2021-9-8-IDE&textEditor") == "IDE&textEditor"
