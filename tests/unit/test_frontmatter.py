"""Frontmatter splitting and normalisation (digestgen.load.frontmatter)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestgen.errors import Severity
from digestgen.load.frontmatter import FrontmatterError, Meta, Split, normalise, split

SEOUL = ZoneInfo("Asia/Seoul")


def meta_of(text: str) -> tuple[Meta, list]:
    return normalise(split(text), "posts/p.md", SEOUL)


def clean_meta(text: str) -> Meta:
    meta, diags = meta_of(text)
    assert diags == [], [d.format() for d in diags]
    return meta


def split_error(text: str) -> FrontmatterError:
    with pytest.raises(FrontmatterError) as info:
        split(text)
    return info.value


def assert_offset_maps_body_lines_to_file_lines(text: str, result: Split) -> None:
    """Line k of the body is line offset + k of the file (the first may be a line's tail)."""
    file_lines = text.split("\n")
    body_lines = result.body.split("\n")
    assert result.offset + len(body_lines) == len(file_lines)
    for k, body_line in enumerate(body_lines, start=1):
        file_line = file_lines[result.offset + k - 1]
        if k == 1:
            assert file_line.endswith(body_line)
        else:
            assert file_line == body_line


# -- split -------------------------------------------------------------------------------


def test_split_yaml():
    text = "---\ntitle: 안녕\ntags: [a, b]\n---\n본문 첫 줄\n둘째 줄\n"
    result = split(text)

    assert result.format == "yaml"
    assert result.data == {"title": "안녕", "tags": ["a", "b"]}
    assert result.body.strip() == "본문 첫 줄\n둘째 줄"
    assert result.lines == {"title": 2, "tags": 3}
    assert_offset_maps_body_lines_to_file_lines(text, result)
    # "본문 첫 줄" is line 5 of the file.
    assert result.offset + result.body.split("\n").index("본문 첫 줄") + 1 == 5


def test_split_toml():
    text = "+++\ntitle = '안녕'\ntags = ['a', 'b']\n+++\n본문\n"
    result = split(text)

    assert result.format == "toml"
    assert result.data == {"title": "안녕", "tags": ["a", "b"]}
    assert result.body.strip() == "본문"
    assert_offset_maps_body_lines_to_file_lines(text, result)


def test_split_toml_key_lines():
    result = split("+++\ntitle = '안녕'\ntags = ['a', 'b']\n+++\n본문\n")
    assert result.lines == {"title": 2, "tags": 3}


@pytest.mark.parametrize("text", ["no frontmatter\n---\nhere\n", "", "# 제목\n\n본문", " ---\nx: 1\n---\n"])
def test_split_without_frontmatter(text):
    result = split(text)
    assert result == Split({}, text, 0)


def test_blank_lines_after_closing_delimiter_keep_offset_right():
    text = "---\ntitle: x\n---\n\n\n본문\n"
    result = split(text)
    assert_offset_maps_body_lines_to_file_lines(text, result)


def test_blank_lines_after_opening_delimiter_keep_offset_right():
    text = "---\n\ntitle: x\n---\n본문\n"
    result = split(text)
    assert result.data == {"title": "x"}
    assert_offset_maps_body_lines_to_file_lines(text, result)




def test_key_lines_after_a_blank_line_following_the_opening_delimiter():
    assert split("---\n\ntitle: x\ntags: [a]\n---\n본문\n").lines == {"title": 3, "tags": 4}


def test_yaml_error_line_after_a_blank_line_following_the_opening_delimiter():
    assert split_error("---\n\ntitle: x\nfoo: : :\n---\n").line == 4


def test_empty_frontmatter_is_an_empty_mapping():
    text = "---\n---\n본문"
    result = split(text)
    assert result.data == {}
    assert result.format == "yaml"
    assert result.body.strip() == "본문"
    assert_offset_maps_body_lines_to_file_lines(text, result)


def test_frontmatter_of_only_comments_is_an_empty_mapping():
    assert split("---\n# nothing yet\n---\nbody").data == {}


@pytest.mark.parametrize(("text", "closer"), [("---\ntitle: x\n\nbody\n", "---"),
                                              ("+++\ntitle = 'x'\nbody\n", "+++")])
def test_unclosed_frontmatter(text, closer):
    exc = split_error(text)
    assert exc.line == 1
    assert "never closed" in str(exc)
    assert f"'{closer}'" in str(exc)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: x\nfoo: : :\n---\nbody\n", 3),
        ("---\ntitle: x\n  bad: indent\n---\n", 3),
        ("---\ntitle: x\ntags: [a, b\nslug: y\n---\n", 3),  # where the '[' opened
        ("---\ntitle: 'x\n---\n", 2),  # where the quote opened
    ],
)
def test_invalid_yaml_reports_the_file_line(text, line):
    exc = split_error(text)
    assert str(exc).startswith("invalid YAML frontmatter")
    assert exc.line == line


def test_impossible_yaml_date_reports_the_key_line():
    # Dates stay text in YAML, so the impossible one is reported against its own key and line.
    meta, diags = meta_of("---\ntitle: x\ndate: 2024-02-30\n---\n")
    assert meta.date is None
    assert [(d.line, d.message.split(":")[0]) for d in diags] == [(3, "frontmatter 'date'")]
    assert "2024-02-30" in diags[0].message


def test_malformed_explicit_timestamp_is_a_frontmatter_error():
    split_error("---\ndate: !!timestamp not-a-date\n---\n")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("+++\ntitle = 'x'\nbad = \n+++\nbody\n", 3),
        ("+++\ntitle = \n+++\nbody\n", 2),
    ],
)
def test_invalid_toml_reports_the_file_line(text, line):
    exc = split_error(text)
    assert str(exc).startswith("invalid TOML frontmatter")
    assert exc.line == line


@pytest.mark.parametrize(("text", "kind"), [("---\n- a\n- b\n---\nbody", "list"),
                                            ("---\njust words\n---\nbody", "str"),
                                            ("---\n42\n---\nbody", "int")])
def test_frontmatter_must_be_a_mapping(text, kind):
    exc = split_error(text)
    assert "must be a mapping" in str(exc)
    assert kind in str(exc)
    assert exc.line in (1, 2)


# -- normalise ---------------------------------------------------------------------------


def test_normalise_full_example_with_lines():
    meta = clean_meta(
        "---\n"
        "title: OpenAI의 신뢰 구축\n"   # 2
        "date: 2024-04-24 00:03:00\n"   # 3
        "lastmod: 2024-04-25\n"          # 4
        "description: 요약\n"           # 5
        "tags: [AI, 보안]\n"             # 6
        "categories: 뉴스\n"            # 7
        "slug: openai-trust\n"           # 8
        "kind: post\n"                   # 9
        "series: 신뢰\n"                # 10
        "permalink: /old/url/\n"         # 11
        "---\n"
    )
    assert meta.title == "OpenAI의 신뢰 구축"
    assert meta.date == datetime(2024, 4, 24, 0, 3, tzinfo=SEOUL)
    assert meta.date.utcoffset() == timedelta(hours=9)
    assert meta.updated == datetime(2024, 4, 25, tzinfo=SEOUL)
    assert meta.summary == "요약"
    assert meta.tags == ("AI", "보안")
    assert meta.categories == ("뉴스",)
    assert meta.slug == "openai-trust"
    assert meta.kind == "post"
    assert meta.series == ("신뢰",)
    assert meta.permalink == "/old/url/"
    assert meta.draft is False
    assert meta.params == {}
    assert meta.lines == {
        "title": 2, "date": 3, "updated": 4, "summary": 5, "tags": 6, "categories": 7,
        "slug": 8, "kind": 9, "series": 10, "permalink": 11,
    }


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("tags", "[a, b]", "tags", ("a", "b")),
        ("tag", "a", "tags", ("a",)),
        ("keywords", "[a, b]", "tags", ("a", "b")),
        ("categories", "[x]", "categories", ("x",)),
        ("category", "x", "categories", ("x",)),
        ("date", "2024-05-09", "date", datetime(2024, 5, 9, tzinfo=SEOUL)),
        ("created", "2024-05-09", "date", datetime(2024, 5, 9, tzinfo=SEOUL)),
        ("update", "2024-05-09", "updated", datetime(2024, 5, 9, tzinfo=SEOUL)),
        ("updated", "2024-05-09", "updated", datetime(2024, 5, 9, tzinfo=SEOUL)),
        ("lastmod", "2024-05-09", "updated", datetime(2024, 5, 9, tzinfo=SEOUL)),
        ("description", "요약", "summary", "요약"),
        ("summary", "요약", "summary", "요약"),
        ("excerpt", "요약", "summary", "요약"),
        ("redirect_from", "/old/", "aliases", ("/old/",)),
        ("url", "/x/", "permalink", "/x/"),
    ],
)
def test_synonyms(key, value, field, expected):
    meta = clean_meta(f"---\ntitle: t\n{key}: {value}\n---\n")
    assert getattr(meta, field) == expected
    assert meta.lines[field] == 3
    assert key not in meta.params


def test_first_synonym_wins_and_null_values_are_skipped():
    meta = clean_meta("---\ncreated: 2023-01-01\ndate: 2024-01-01\ndescription:\nsummary: s\n---\n")
    assert meta.date == datetime(2024, 1, 1, tzinfo=SEOUL)
    assert meta.lines["date"] == 3
    assert meta.summary == "s"
    assert meta.lines["summary"] == 5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"a, b,c"', ("a", "b", "c")),
        ('"a, , a,"', ("a",)),
        ("[2024, 3.5, GPT-4]", ("2024", "3.5", "GPT-4")),
        ("2024", ("2024",)),
        ("[a, null, b, a]", ("a", "b")),
        ("[' 공백 ', 공백]", ("공백",)),
    ],
)
def test_tag_forms(value, expected):
    assert clean_meta(f"---\ntags: {value}\n---\n").tags == expected


def test_hexo_nested_categories_are_flattened_and_deduplicated():
    meta = clean_meta("---\ncategories: [[AI, 보안], [AI, 정책], 뉴스, 보안]\n---\n")
    assert meta.categories == ("AI", "보안", "정책", "뉴스")


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("---\ntitle: x\ntags:\n  a: 1\n---\n", "tags", 3),
        ("---\ntitle: x\nkeywords: true\n---\n", "keywords", 3),
        ("---\ncategories: [[a, {b: 1}]]\n---\n", "categories", 2),
    ],
)
def test_bad_terms_are_an_error_naming_the_key_and_line(text, key, line):
    meta, diags = meta_of(text)
    assert len(diags) == 1
    diag = diags[0]
    assert diag.severity is Severity.ERROR
    assert diag.path == "posts/p.md"
    assert diag.line == line
    assert f"frontmatter '{key}'" in diag.message
    assert meta.tags == () and meta.categories == ()


def test_tags_mapping_message_says_what_was_found():
    _, diags = meta_of("---\ntags:\n  a: 1\n---\n")
    assert diags[0].message == (
        "frontmatter 'tags': expected a list of names or a comma-separated string, got a mapping"
    )


@pytest.mark.parametrize("value", ["20240509", "true", "[2024, 5, 9]", "'yesterday'", "2024-13-01x"])
def test_bad_date_is_an_error_naming_date(value):
    meta, diags = meta_of(f"---\ntitle: x\ndate: {value}\n---\n")
    assert meta.date is None
    assert len(diags) == 1
    assert diags[0].line == 3
    assert diags[0].message.startswith("frontmatter 'date':")


def test_empty_date_string_is_no_date():
    assert clean_meta("---\ndate: ''\n---\n").date is None


def test_date_with_impossible_offset_is_a_diagnostic_not_a_crash():
    meta, diags = meta_of("---\ndate: '2024-01-01 10:00 +2500'\n---\n")
    assert meta.date is None
    assert diags[0].message.startswith("frontmatter 'date':")


def test_aware_yaml_datetime_keeps_its_offset():
    meta = clean_meta("---\ndate: 2024-04-24 00:03:00 +09:00\n---\n")
    assert meta.date.utcoffset() == timedelta(hours=9)
    assert meta.date.replace(tzinfo=None) == datetime(2024, 4, 24, 0, 3)


@pytest.mark.parametrize(
    ("lines", "draft"),
    [
        ("draft: true", True),
        ("draft: false", False),
        ("draft: 'yes'", True),
        ("published: false", True),
        ("published: true", False),
        ("draft: false\npublished: false", True),
        ("title: x", False),
    ],
)
def test_draft(lines, draft):
    meta = clean_meta(f"---\n{lines}\n---\n")
    assert meta.draft is draft
    assert "draft" not in meta.params and "published" not in meta.params


@pytest.mark.parametrize(("value", "shown"), [('"maybe"', "'maybe'"), ("1", "the number 1"),
                                              ("[true]", "a list")])
def test_bad_draft_is_an_error(value, shown):
    meta, diags = meta_of(f"---\ntitle: x\ndraft: {value}\n---\n")
    assert meta.draft is False
    assert [(d.line, d.message) for d in diags] == [
        (3, f"frontmatter 'draft': expected true or false, got {shown}")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("/old/", ("/old/",)), ("[/a/, ' /b/ ', '']", ("/a/", "/b/"))],
)
def test_aliases(value, expected):
    assert clean_meta(f"---\naliases: {value}\n---\n").aliases == expected


def test_bad_aliases_are_an_error():
    meta, diags = meta_of("---\naliases: [1, 2]\n---\n")
    assert meta.aliases == ()
    assert diags[0].line == 2
    assert diags[0].message.startswith("frontmatter 'aliases': expected a list of URL paths")


@pytest.mark.parametrize(("value", "message"), [
    ("[a]", "frontmatter 'title': expected text, got a list"),
    ("true", "frontmatter 'title': expected text, got the boolean true"),
    ("{a: 1}", "frontmatter 'title': expected text, got a mapping"),
])
def test_bad_title_is_an_error(value, message):
    meta, diags = meta_of(f"---\ntitle: {value}\n---\n")
    assert meta.title is None
    assert [(d.line, d.message) for d in diags] == [(2, message)]


def test_number_title_and_slug_become_text():
    meta = clean_meta("---\ntitle: 2024\nslug: 42\n---\n")
    assert (meta.title, meta.slug) == ("2024", "42")


def test_unknown_keys_land_in_params_known_ones_do_not():
    meta = clean_meta("---\ntitle: x\nlayout: post\nauthor: 편집부\ncover: a.png\nmath: true\n---\n")
    assert meta.params == {"author": "편집부", "cover": "a.png", "math": True}


def test_no_frontmatter_gives_empty_meta():
    meta, diags = meta_of("just a body\n")
    assert meta == Meta()
    assert diags == []


def test_toml_frontmatter_normalises_like_yaml():
    meta = clean_meta("+++\ntitle = 'x'\ntags = 'a, b'\ndate = 2024-05-09\ndraft = true\n+++\n")
    assert (meta.title, meta.tags, meta.draft) == ("x", ("a", "b"), True)
    assert meta.date == datetime(2024, 5, 9, tzinfo=SEOUL)


# -- properties --------------------------------------------------------------------------

_FRAME = st.sampled_from([
    "{}",
    "---\n{}",
    "---\n{}\n---\n",
    "---\n{}\n---\nbody\n",
    "+++\n{}\n+++\n",
    "+++\n{}",
])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRAME, st.text())
def test_split_returns_split_or_raises_frontmatter_error(frame, inner):
    text = frame.format(inner)
    try:
        result = split(text)
    except FrontmatterError as exc:
        assert isinstance(exc.line, int) and exc.line >= 1
        return
    assert isinstance(result, Split)
    assert isinstance(result.data, dict)
    assert_offset_maps_body_lines_to_file_lines(text, result)
    meta, diags = normalise(result, "p.md", SEOUL)
    assert isinstance(meta, Meta)
    assert all(d.path == "p.md" for d in diags)


_KEYS = st.sampled_from([
    "title", "date", "created", "updated", "lastmod", "description", "summary", "excerpt",
    "tags", "tag", "keywords", "categories", "category", "slug", "aliases", "redirect_from",
    "kind", "url", "permalink", "series", "draft", "published", "layout",
]) | st.text(min_size=1, max_size=8)
_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.dates(min_value=date(1900, 1, 1)) | st.datetimes(min_value=datetime(1900, 1, 1))
    | st.sampled_from(["2024-05-09", "2024년 5월 9일", "a, b", "yes", "2024-02-30", ""])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, max_size=8))
def test_normalise_never_raises_on_parsed_frontmatter(data):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nbody\n"
    result = split(text)
    meta, diags = normalise(result, "p.md", SEOUL)
    assert all(d.severity is Severity.ERROR for d in diags)
    assert all(isinstance(t, str) and t for t in meta.tags + meta.categories)
    assert meta.date is None or meta.date.tzinfo is not None
    assert isinstance(meta.draft, bool)


def test_an_alias_bomb_is_refused_at_its_line_before_it_is_built():
    from conftest import alias_bomb

    text = "---\ntitle: 폭탄\n" + alias_bomb(10) + "---\n본문\n"
    started = time.perf_counter()
    error = split_error(text)
    assert time.perf_counter() - started < 5.0  # an expanded bomb takes minutes
    assert "expand to more than 100,000 values" in str(error)
    # a0 is line 3; a5 (9**6 values) is the first key that goes over.
    assert error.line == 3 + 5


def test_aliases_that_reuse_a_value_a_few_times_still_load():
    fm = split("---\ntitle: 재사용\nbase: &b [모델, 에이전트]\ntags: *b\nmore: [*b, *b]\n---\n")
    assert fm.data["tags"] == ["모델", "에이전트"] and fm.warnings == ()


def test_a_key_written_twice_is_a_warning_naming_both_lines():
    fm = split("---\ntitle: 처음\ndate: 2024-04-24\ntitle: 나중\n---\n본문\n")
    assert fm.data["title"] == "나중" and fm.lines["title"] == 4
    assert fm.warnings == ((4, "frontmatter: key 'title' is written twice (also on line 2); "
                               "the last one is used"),)
