"""Slugs, site paths and URLs (digestgen.urls)."""

from __future__ import annotations

import unicodedata
from datetime import date
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digestgen.urls import (
    UnsafePathError,
    absolute_url,
    check_slug,
    expand_permalink,
    output_file,
    safe_site_path,
    slugify,
    url,
)

# -- slugify -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("OpenAI의 신뢰 구축!", "openai의-신뢰-구축"),
        ("LLM", "llm"),
        ("ＬＬＭ　Ｔｅｓｔ", "llm-test"),  # full-width letters and space
        ("  a__b - c  ", "a-b-c"),
        ("--a--", "a"),
        ("a/b/../c", "a-b-c"),
        ("GPT-4o: 무엇이 달라졌나?", "gpt-4o-무엇이-달라졌나"),
        ("tab\tand\nnewline", "tab-and-newline"),
        ("Straße", "strasse"),
        ("!!!", ""),
        ("42.JavaBean 규약", "42-javabean-규약"),  # a dot between words keeps a separator
        ("GPT-4.5 출시", "gpt-4-5-출시"),
        ("Node.js, Deno", "node-js-deno"),
        ("don't panic", "dont-panic"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_case_insensitive():
    assert slugify("LLM") == slugify("llm") == slugify("Llm")


def test_slugify_nfd_and_nfc_hangul_agree():
    assert slugify(unicodedata.normalize("NFD", "한글 노트")) == slugify("한글 노트") == "한글-노트"


@given(st.text())
def test_slugify_output_is_a_plain_segment(text):
    slug = slugify(text)
    assert "/" not in slug and "\\" not in slug
    assert not any(c.isspace() for c in slug)
    assert ".." not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert "--" not in slug
    assert slugify(slug) == slug
    if slug:
        assert check_slug(slug) == slug


# -- check_slug --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["../x", "a/b", "..", ".", ".hidden", "a\\b", "a?b", "a#b", "a%b", "a\x00b", "", "   ",
             "a\tb", "a\x7fb"],
)
def test_check_slug_rejects_unsafe_names(slug):
    with pytest.raises(UnsafePathError):
        check_slug(slug)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("신뢰-구축", "신뢰-구축"),
        ("hello", "hello"),
        ("GPT-4o", "GPT-4o"),
        (" a b ", "a-b"),
        ("v1.2", "v1.2"),
        (unicodedata.normalize("NFD", "한글"), "한글"),
    ],
)
def test_check_slug_accepts_plain_names(slug, expected):
    assert check_slug(slug) == expected


# -- safe_site_path ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../x", "a/../../b", "..", "a/..", "x/../..", "a\\b", "a\x00b"])
def test_safe_site_path_rejects_escapes(path):
    with pytest.raises(UnsafePathError):
        safe_site_path(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a//b/", "a/b/"),
        ("/a/b/", "a/b/"),
        ("a/./b/", "a/b/"),
        ("posts/hello/", "posts/hello/"),
        ("feed.xml", "feed.xml"),
        ("posts/신뢰/", "posts/신뢰/"),
        ("", ""),
        ("/", ""),
        (".", ""),
    ],
)
def test_safe_site_path_normalises(path, expected):
    assert safe_site_path(path) == expected


@given(st.text(alphabet=st.sampled_from(list("ab./\\-_%#?\x00 한")), max_size=24))
def test_safe_site_path_never_climbs_out(path):
    try:
        out = safe_site_path(path)
    except UnsafePathError:
        return
    assert not out.startswith("/")
    assert "//" not in out
    assert ".." not in out.split("/") and "." not in out.split("/")


# -- expand_permalink --------------------------------------------------------------------


def test_expand_permalink_with_date_fields():
    site_path = expand_permalink(
        "/{section}/{year}/{month}/{day}/{slug}/", section="posts", slug="신뢰", date=date(2024, 5, 9)
    )
    assert site_path == "posts/2024/05/09/신뢰/"


def test_expand_permalink_default_pattern():
    assert expand_permalink("/{section}/{slug}/", section="wiki", slug="rag", date=None) == "wiki/rag/"


def test_expand_permalink_without_date():
    assert expand_permalink("/{year}/{slug}/", section="posts", slug="x", date=None) == "undated/x/"


def test_expand_permalink_cannot_escape():
    with pytest.raises(UnsafePathError):
        expand_permalink("/{section}/{slug}/", section="posts", slug="../../etc", date=None)


# -- url, absolute_url, output_file ------------------------------------------------------


def test_url_encodes_hangul_and_keeps_slashes_and_base_path():
    assert url("/ai-digest/", "posts/신뢰-구축/") == (
        "/ai-digest/posts/%EC%8B%A0%EB%A2%B0-%EA%B5%AC%EC%B6%95/"
    )


def test_url_encodes_percent_and_hash_in_a_segment():
    assert url("/ai-digest/", "posts/100%-#1/") == "/ai-digest/posts/100%25-%231/"


@pytest.mark.parametrize(
    ("base_path", "site_path", "expected"),
    [
        ("/", "", "/"),
        ("/", "feed.xml", "/feed.xml"),
        ("/ai-digest/", "", "/ai-digest/"),
        ("/ai-digest/", "tags/a b/", "/ai-digest/tags/a%20b/"),
        ("/ai-digest/", "q?x/", "/ai-digest/q%3Fx/"),
    ],
)
def test_url_examples(base_path, site_path, expected):
    assert url(base_path, site_path) == expected


@given(st.lists(st.text(min_size=1).map(slugify).filter(bool), min_size=1, max_size=4))
def test_url_is_ascii_and_decodes_back(segments):
    site_path = "/".join(segments) + "/"
    href = url("/ai-digest/", site_path)
    assert href.isascii()
    assert href.startswith("/ai-digest/")
    assert unquote(href) == "/ai-digest/" + site_path


@pytest.mark.parametrize(
    ("base_url", "base_path", "site_path", "expected"),
    [
        ("https://example.github.io/ai-digest/", "/ai-digest/", "posts/x/",
         "https://example.github.io/ai-digest/posts/x/"),
        ("https://example.github.io/ai-digest/", "/ai-digest/", "posts/신뢰/",
         "https://example.github.io/ai-digest/posts/%EC%8B%A0%EB%A2%B0/"),
        ("https://example.com/", "/", "feed.xml", "https://example.com/feed.xml"),
        ("https://example.com/", "/", "", "https://example.com/"),
    ],
)
def test_absolute_url(base_url, base_path, site_path, expected):
    assert absolute_url(base_url, base_path, site_path) == expected


@pytest.mark.parametrize(
    ("site_path", "file"),
    [("", "index.html"), ("posts/x/", "posts/x/index.html"), ("feed.xml", "feed.xml")],
)
def test_output_file(site_path, file):
    assert output_file(site_path) == file


@pytest.mark.parametrize(("alias", "path"), [
    ("/2024/04/24/gpt-4.5/", "2024/04/24/gpt-4.5/"),  # a dot in a title is not an extension
    ("/2024/04/24/gpt-4.5", "2024/04/24/gpt-4.5/"),
    ("/2024/04/24/first-post.html", "2024/04/24/first-post.html"),
    ("old-name", "old-name/"),
    ("/ai-digest/moved/", "moved/"),  # the base path is taken off
    ("/feeds/all.atom.xml", "feeds/all.atom.xml"),
])
def test_alias_site_path(alias, path):
    from digestgen.urls import alias_site_path

    assert alias_site_path(alias, "/ai-digest/") == path


def test_alias_site_path_refuses_to_leave_the_site():
    from digestgen.urls import UnsafePathError, alias_site_path

    with pytest.raises(UnsafePathError):
        alias_site_path("/../../etc/x.html")
