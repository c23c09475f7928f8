"""site.yaml parsing and validation (digestgen.config)."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta

import pytest

from digestgen.config import Author, load_config, parse_config
from digestgen.errors import ConfigError, Severity

MINIMAL = """\
title: AI 다이제스트
base_url: https://example.github.io/ai-digest/
language: ko
timezone: Asia/Seoul
"""
# Lines appended to MINIMAL start on line 5.


def config_error(text: str, **kwargs) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(text, **kwargs)
    return info.value


def only_diagnostic(exc: ConfigError):
    assert len(exc.diagnostics) == 1, [d.format() for d in exc.diagnostics]
    return exc.diagnostics[0]


# -- the minimal file and its defaults ---------------------------------------------------


def test_minimal_config_has_documented_defaults():
    config = parse_config(MINIMAL)

    assert config.title == "AI 다이제스트"
    assert config.base_url == "https://example.github.io/ai-digest/"
    assert config.base_path == "/ai-digest/"
    assert config.language == "ko"
    assert config.timezone == "Asia/Seoul"
    assert config.tz.utcoffset(datetime(2024, 5, 9)) == timedelta(hours=9)
    assert config.paginate == 10
    assert config.feed.limit == 20
    assert config.feed.full_content is True
    assert config.markdown.unsafe_html is False
    assert config.content_dir == "content"
    assert config.output_dir == "_site"
    assert config.author == Author()
    assert config.effective_date_format == "%Y년 %-m월 %-d일"


def test_minimal_config_has_the_four_default_sections():
    config = parse_config(MINIMAL)

    assert list(config.sections) == ["posts", "roundups", "briefs", "wiki"]
    assert {name: s.kind for name, s in config.sections.items()} == {
        "posts": "post",
        "roundups": "roundup",
        "briefs": "brief",
        "wiki": "wiki",
    }
    for name, section in config.sections.items():
        assert section.name == name
        assert section.dir == name
    assert config.sections["wiki"].home is False
    assert config.section_for_kind("roundup") is config.sections["roundups"]
    assert config.section_for_kind("page") is None


def test_config_is_frozen():
    config = parse_config(MINIMAL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.paginate = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("written", "base_url", "base_path"),
    [
        ("https://example.github.io/ai-digest", "https://example.github.io/ai-digest/", "/ai-digest/"),
        ("https://example.github.io/ai-digest/", "https://example.github.io/ai-digest/", "/ai-digest/"),
        ("https://blog.example.com", "https://blog.example.com/", "/"),
    ],
)
def test_base_url_gets_a_trailing_slash(written, base_url, base_path):
    config = parse_config(MINIMAL.replace("https://example.github.io/ai-digest/", written))
    assert config.base_url == base_url
    assert config.base_path == base_path


def test_number_title_becomes_text():
    config = parse_config(MINIMAL.replace("title: AI 다이제스트", "title: 2024"))
    assert config.title == "2024"


# -- unknown keys ------------------------------------------------------------------------


def test_unknown_key_names_key_line_and_nearest_valid_key():
    diag = only_diagnostic(config_error(MINIMAL + "paginat: 5\n"))

    assert diag.path == "site.yaml"
    assert diag.line == 5
    assert diag.severity is Severity.ERROR
    assert "unknown key 'paginat'" in diag.message
    assert "did you mean 'paginate'?" in diag.message
    assert diag.format().startswith("site.yaml:5: error: unknown key 'paginat'")


def test_unknown_key_without_a_near_match_lists_valid_keys():
    diag = only_diagnostic(config_error(MINIMAL + "zzqqxx: 1\n"))

    assert diag.line == 5
    assert "'zzqqxx'" in diag.message
    assert "did you mean" not in diag.message
    assert "paginate" in diag.message and "base_url" in diag.message


def test_unknown_nested_key_is_named_with_its_dotted_path():
    diag = only_diagnostic(config_error(MINIMAL + "feed:\n  limt: 5\n"))

    assert diag.line == 6
    assert "unknown key 'feed.limt'" in diag.message
    assert "did you mean 'limit'?" in diag.message


# -- wrong types -------------------------------------------------------------------------



@pytest.mark.parametrize(
    ("extra", "key", "expected", "line"),
    [
        ('markdown:\n  unsafe_html: "yes"\n', "markdown.unsafe_html", "true or false", 6),
        ("paginate: 2.5\n", "paginate", "an integer", 5),
        ("paginate: true\n", "paginate", "an integer", 5),
        ("exclude: '*.bak'\n", "exclude", "a list of strings", 5),
        ("author: [a, b]\n", "author", "a mapping", 5),
        ("sections: [posts]\n", "sections", "a mapping", 5),
        ("sections:\n  posts:\n    sort: newest\n", "sections.posts.sort", "one of 'date', 'title'", 7),
        ('paginate: "ten"\n', "paginate", "an integer", 5),
        ("feed: 3\n", "feed", "a mapping", 5),
        ("feed:\n  limit: many\n", "feed.limit", "an integer", 6),
        ("markdown:\n  toc_min: x\n", "markdown.toc_min", "an integer", 6),
        ("markdown: [1]\n", "markdown", "a mapping", 5),
        ("sections:\n  posts:\n", "sections.posts", "a mapping", 6),
        ("sections:\n  posts: hi\n", "sections.posts", "a mapping", 6),
        ("menu:\n  - home\n", "menu.0", "a mapping", 6),
    ],
)
def test_wrong_type_names_dotted_key_expected_type_and_line(extra, key, expected, line):
    exc = config_error(MINIMAL + extra)
    assert any(
        d.line == line and d.message.startswith(f"{key}: expected {expected}")
        for d in exc.diagnostics
    ), [d.format() for d in exc.diagnostics]


def test_yaml_boolean_language_suggests_quoting():
    diag = only_diagnostic(config_error(MINIMAL.replace("language: ko", "language: no")))

    assert diag.line == 3
    assert diag.message.startswith("language: expected a string")
    assert "quote" in diag.message


# -- required keys and values ------------------------------------------------------------


@pytest.mark.parametrize("missing", ["title", "base_url"])
def test_missing_required_key(missing):
    text = "".join(line + "\n" for line in MINIMAL.splitlines() if not line.startswith(missing))
    diag = only_diagnostic(config_error(text))
    assert diag.message == f"missing required key '{missing}'"


def test_empty_file_reports_both_required_keys():
    exc = config_error("")
    assert sorted(d.message for d in exc.diagnostics) == [
        "missing required key 'base_url'",
        "missing required key 'title'",
    ]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Asia/Seol", "../etc/passwd", '""'])
def test_invalid_timezone(zone):
    diag = only_diagnostic(config_error(MINIMAL.replace("Asia/Seoul", zone)))
    assert diag.line == 4
    assert diag.message.startswith("timezone: unknown time zone")
    assert "IANA" in diag.message


@pytest.mark.parametrize("url", ["ftp://example.org/blog/", "example.github.io/ai-digest/", "https://"])
def test_base_url_must_be_http_or_https(url):
    diag = only_diagnostic(config_error(MINIMAL.replace("https://example.github.io/ai-digest/", url)))
    assert diag.line == 2
    assert diag.message.startswith("base_url: expected an http(s) URL")


def test_several_problems_are_all_reported_in_line_order():
    text = MINIMAL.replace("https://example.github.io/ai-digest/", "ftp://x/").replace(
        "Asia/Seoul", "Nowhere/Land"
    )
    exc = config_error(text + "paginate: 0\n")
    assert [d.line for d in exc.diagnostics] == [2, 4, 5]
    assert len(str(exc).splitlines()) == 3


def test_non_positive_paginate():
    diag = only_diagnostic(config_error(MINIMAL + "paginate: 0\n"))
    assert (diag.line, diag.message) == (5, "paginate: expected a positive integer")


def test_unknown_highlight_style_suggests_nearest():
    diag = only_diagnostic(config_error(MINIMAL + "markdown:\n  highlight_style: monokia\n"))
    assert diag.line == 6
    assert "did you mean 'monokai'?" in diag.message


# -- YAML problems -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ("description: a: b\n", 5),
        ("paginate: 10\n  limit: 3\n", 6),
        ("\tpaginate: 3\n", 5),
    ],
)
def test_invalid_yaml_reports_its_line(extra, line):
    diag = only_diagnostic(config_error(MINIMAL + extra))
    assert diag.line == line
    assert diag.message.startswith("invalid YAML")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just some text\n", "42\n"])
def test_document_must_be_a_mapping(text):
    diag = only_diagnostic(config_error(text))
    assert "must be a mapping" in diag.message


# -- sections ----------------------------------------------------------------------------

SECTIONS = """\
sections:
  news:
    dir: 뉴스/
    kind: roundup
    permalink: /{section}/{year}/{month}/{slug}/
    title: 뉴스
  notes: {}
"""


def test_sections_replace_the_defaults():
    config = parse_config(MINIMAL + SECTIONS)

    assert list(config.sections) == ["news", "notes"]
    news = config.sections["news"]
    assert news.name == "news"
    assert news.dir == "뉴스"
    assert news.kind == "roundup"
    assert news.permalink == "/{section}/{year}/{month}/{slug}/"
    assert news.title == "뉴스"
    notes = config.sections["notes"]
    assert (notes.dir, notes.kind, notes.title, notes.permalink) == (
        "notes", "post", "Notes", "/{section}/{slug}/",
    )
    assert config.section_for_kind("roundup") is news
    assert config.section_for_kind("wiki") is None


@pytest.mark.parametrize(
    ("permalink", "phrase"),
    [
        ("/{section}/{year}/", "must contain {slug}"),
        ("/{section}/../{slug}/", "'..'"),
        ("/{section}/./{slug}/", "'.'"),
        ("'{section}/{slug}/'", "must start and end with '/'"),
        ("/{section}/{slug}", "must start and end with '/'"),
        ("/{category}/{slug}/", "unknown placeholder"),
        ("/{slug.x}/{slug}/", "unknown placeholder"),
    ],
)
def test_bad_permalink(permalink, phrase):
    text = MINIMAL + f"sections:\n  news:\n    permalink: {permalink}\n"
    diag = only_diagnostic(config_error(text))
    assert diag.line == 7
    assert diag.message.startswith("sections.news.permalink:")
    assert phrase in diag.message


def test_two_sections_with_the_same_dir():
    text = MINIMAL + "sections:\n  a:\n    dir: shared\n  b:\n    dir: shared\n"
    diag = only_diagnostic(config_error(text))
    assert diag.line == 9
    assert "sections.b.dir" in diag.message
    assert "already used by section 'a'" in diag.message


def test_section_dir_clashing_with_another_sections_default_dir():
    text = MINIMAL + "sections:\n  posts: {}\n  news:\n    dir: posts\n"
    diag = only_diagnostic(config_error(text))
    assert "already used by section 'posts'" in diag.message


def test_two_sections_with_the_same_dir_written_differently():
    text = MINIMAL + "sections:\n  a:\n    dir: shared\n  b:\n    dir: shared/\n"
    exc = config_error(text)
    assert "already used by section 'a'" in exc.diagnostics[0].message


def test_section_kind_page_is_rejected():
    diag = only_diagnostic(config_error(MINIMAL + "sections:\n  news:\n    kind: page\n"))
    assert diag.message.startswith("sections.news.kind: 'page'")


# -- author, base_url override -----------------------------------------------------------


def test_author_as_plain_string():
    config = parse_config(MINIMAL + "author: AI 다이제스트 편집부\n")
    assert config.author == Author(name="AI 다이제스트 편집부")


def test_author_as_mapping():
    config = parse_config(MINIMAL + "author:\n  name: 편집부\n  email: ed@example.org\n")
    assert (config.author.name, config.author.email, config.author.url) == (
        "편집부", "ed@example.org", "",
    )


def test_base_url_argument_overrides_the_file():
    config = parse_config(MINIMAL, base_url="http://localhost:8000")
    assert config.base_url == "http://localhost:8000/"
    assert config.base_path == "/"


def test_base_url_argument_supplies_a_missing_base_url():
    config = parse_config("title: x\n", base_url="http://localhost:8000/preview")
    assert config.base_url == "http://localhost:8000/preview/"
    assert config.base_path == "/preview/"


def test_invalid_base_url_argument_is_rejected():
    diag = only_diagnostic(config_error(MINIMAL, base_url="localhost:8000"))
    assert "http(s)" in diag.message


# -- load_config -------------------------------------------------------------------------


def test_load_config_without_site_yaml_says_how_to_create_one(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    diag = only_diagnostic(info.value)
    assert diag.path == "site.yaml"
    assert str(tmp_path) in diag.message
    assert "title:" in diag.message and "base_url:" in diag.message
    assert "digestgen init" in diag.message
    assert info.value.exit_code == 2


def test_load_config_reads_site_yaml_with_bom(tmp_path):
    (tmp_path / "site.yaml").write_text(MINIMAL, encoding="utf-8-sig")
    config = load_config(tmp_path, base_url="https://other.example/")
    assert config.title == "AI 다이제스트"
    assert config.base_url == "https://other.example/"


def test_load_config_rejects_non_utf8(tmp_path):
    (tmp_path / "site.yaml").write_bytes(MINIMAL.encode("cp949"))
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "not UTF-8" in only_diagnostic(info.value).message


def test_load_config_when_site_yaml_is_a_folder(tmp_path):
    (tmp_path / "site.yaml").mkdir()
    with pytest.raises(ConfigError):
        load_config(tmp_path)


# -- fingerprint -------------------------------------------------------------------------


def test_fingerprint_is_stable_for_equal_configs():
    reordered = "timezone: Asia/Seoul\nlanguage: ko\n" + "\n".join(MINIMAL.splitlines()[:2]) + "\n"
    a, b, c = parse_config(MINIMAL), parse_config(MINIMAL), parse_config(reordered)
    assert a.fingerprint() == b.fingerprint() == c.fingerprint()
    assert len(a.fingerprint()) == 64


@pytest.mark.parametrize(
    "extra",
    ["paginate: 5\n", "feed:\n  limit: 21\n", "markdown:\n  math: false\n", "params:\n  x: 1\n",
     "author: someone\n"],
)
def test_fingerprint_changes_when_a_value_changes(extra):
    assert parse_config(MINIMAL).fingerprint() != parse_config(MINIMAL + extra).fingerprint()


def test_fingerprint_changes_with_base_url_override():
    assert (
        parse_config(MINIMAL).fingerprint()
        != parse_config(MINIMAL, base_url="http://localhost:8000/").fingerprint()
    )


def test_an_alias_bomb_in_site_yaml_is_refused_quickly_at_its_line():
    from conftest import alias_bomb

    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        parse_config(MINIMAL + "params:\n" + "".join(
            "  " + line + "\n" for line in alias_bomb(10).splitlines()))
    assert time.perf_counter() - started < 5.0  # an expanded bomb takes minutes
    (diag,) = info.value.diagnostics
    assert diag.line == 5 and "expand to more than 100,000 values" in diag.message


def test_a_key_written_twice_in_site_yaml_is_an_error_at_the_second_line():
    with pytest.raises(ConfigError) as info:
        parse_config(MINIMAL + "paginate: 5\npaginate: 7\n")
    (diag,) = info.value.diagnostics
    assert diag.line == 6
    assert diag.message == "key 'paginate' is written twice (also on line 5); the last one is used"
