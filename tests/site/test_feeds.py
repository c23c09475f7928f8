"""Feeds (RSS, Atom, JSON Feed; the site's and each tag's and category's) and the sitemap, read
the way feed readers and crawlers read them: summaries are text, content is sanitised HTML with
absolute links, each entry names its author, and every dated URL says when it last changed."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from conftest import build_site, write_site
from lxml import etree
from lxml import html as lxml_html

CONFIG = """\
title: AI 다이제스트
base_url: https://example.github.io/ai-digest/
language: ko
timezone: Asia/Seoul
author:
  name: 다이제스트 편집부
  email: desk@example.org
"""

HOSTILE_SUMMARY = "<img src=x onerror=alert(1)> 요약 & \"인용\" <b>굵게</b>"

SITE = {
    "content/posts/hostile/index.md": f"""
        ---
        title: 요약에 마크업이 든 글
        date: 2024-05-01
        updated: 2024-05-04 10:30:00
        summary: '{HOSTILE_SUMMARY}'
        author: 홍길동
        tags: [보안]
        categories: [정책]
        ---
        본문에서 [다른 글](../linked.md)과 [이 글의 절](#세부-내용)을 가리킵니다.

        ![도표](./chart.png)

        <img src="./chart.png" srcset="./chart.png 1x, /ai-digest/big.png 2x" alt="큰 도표">
        <a href="/ai-digest/about/">소개</a> <a href="https://example.com/x">바깥</a>
        <img src=x onerror="alert(2)"> <script>alert(3)</script>

        ## 세부 내용

        끝.
        """,
    "content/posts/linked.md": """
        ---
        title: 이메일이 있는 저자의 글
        date: 2024-04-20
        author:
          name: 김저자
          email: kim@example.org
        tags: [보안]
        ---
        두 번째 글입니다.
        """,
    "content/posts/plain.md": """
        ---
        title: 저자를 적지 않은 글
        date: 2024-04-10
        ---
        세 번째 글입니다.
        """,
    "content/posts/hostile/chart.png": b"\x89PNG\r\n\x1a\n",
    "content/about.md": """
        ---
        title: 소개
        ---
        날짜 없는 페이지.
        """,
}

SITE_URL = "https://example.github.io/ai-digest/"
RSS_FEEDS = ("feed.xml", "tags/보안/feed.xml", "categories/정책/feed.xml")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("feeds"), SITE, CONFIG)
    build_site(root)
    return root / "_site"


def parsed(out: Path, rel: str):
    feed = feedparser.parse((out / rel).read_bytes())
    assert not feed.bozo, (rel, feed.get("bozo_exception"))
    return feed


def entry(feed, title: str):
    return next(e for e in feed.entries if e.title == title)


def raw_contents(out: Path, rel: str) -> list[str]:
    """Each entry's content as the file holds it (feedparser would sanitise it for us)."""
    tree = etree.fromstring((out / rel).read_bytes())
    ns = {"content": "http://purl.org/rss/1.0/modules/content/",
          "atom": "http://www.w3.org/2005/Atom"}
    found = tree.xpath("//content:encoded/text() | //atom:entry/atom:content/text()",
                       namespaces=ns)
    assert found, rel
    return found


def assert_clean_absolute_html(fragment: str) -> None:
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        assert el.tag not in ("script", "iframe", "object", "embed"), el.tag
        assert not [a for a in el.attrib if a.lower().startswith("on")], (el.tag, el.attrib)
        for attr in ("href", "src"):
            if el.get(attr) is not None:
                assert el.get(attr).startswith(("https://", "mailto:")), (el.tag, el.get(attr))
        for candidate in (el.get("srcset") or "").split(","):
            if candidate.strip():
                assert candidate.strip().startswith("https://"), el.get("srcset")


# -- the channel -----------------------------------------------------------------------------


def test_rss_channel_links_to_the_site_and_names_itself_as_self(out):
    for rel in RSS_FEEDS:
        feed = parsed(out, rel)
        page_path = rel.removesuffix("feed.xml")
        assert unquote(feed.feed.link) == SITE_URL + page_path
        selfs = [unquote(link.href) for link in feed.feed.links if link.rel == "self"]
        assert selfs == [SITE_URL + rel]
    atom = parsed(out, "atom.xml")
    assert atom.feed.link == SITE_URL
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [SITE_URL + "atom.xml"]


# -- summaries are text ----------------------------------------------------------------------


def test_rss_summary_reaches_readers_as_text(out):
    for rel in RSS_FEEDS:
        item = entry(parsed(out, rel), "요약에 마크업이 든 글")
        # RSS readers render <description> as HTML: what they show must be the text itself.
        assert item.summary_detail.type == "text/html"
        shown = lxml_html.fragment_fromstring(item.summary, create_parent="div")
        assert len(shown) == 0, rel  # no element at all
        assert shown.text_content() == HOSTILE_SUMMARY, rel


def test_atom_and_json_summaries_are_plain_text(out):
    item = entry(parsed(out, "atom.xml"), "요약에 마크업이 든 글")
    assert item.summary_detail.type == "text/plain"
    assert item.summary == HOSTILE_SUMMARY
    # feedparser 6 does not read JSON Feed; its `summary` is plain text by the spec.
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in feed["items"] if i["title"] == "요약에 마크업이 든 글")
    assert item["summary"] == HOSTILE_SUMMARY


# -- content is sanitised HTML with absolute URLs ----------------------------------------------


def test_content_links_and_images_are_absolute(out):
    expected = {
        "href": {SITE_URL + "posts/linked/", SITE_URL + "posts/hostile/#세부-내용",
                 SITE_URL + "about/", "https://example.com/x"},
        # The raw <img src=x> resolves as the page resolves it.
        "src": {SITE_URL + "posts/hostile/chart.png", SITE_URL + "posts/hostile/x"},
    }
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    json_html = next(i for i in feed["items"] if i["title"] == "요약에 마크업이 든 글")["content_html"]
    for rel, fragment in [*((r, raw_contents(out, r)[0]) for r in (*RSS_FEEDS, "atom.xml")),
                          ("feed.json", json_html)]:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
        hrefs = {unquote(a.get("href")) for a in root.iter("a")}
        srcs = {unquote(i.get("src")) for i in root.iter("img")}
        assert hrefs == expected["href"], rel
        assert srcs == expected["src"], rel
        big = next(i for i in root.iter("img") if i.get("srcset"))
        assert big.get("srcset") == (f"{SITE_URL}posts/hostile/chart.png 1x, "
                                     "https://example.github.io/ai-digest/big.png 2x"), rel
        assert_clean_absolute_html(fragment)


def test_feed_content_is_sanitised_even_when_pages_keep_raw_html(tmp_path):
    root = write_site(tmp_path / "s", SITE, CONFIG + "markdown:\n  unsafe_html: true\n")
    build_site(root)
    out = root / "_site"
    page_html = (out / "posts/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert(3)</script>" in page_html  # the author asked for raw HTML on pages…
    for rel in (*RSS_FEEDS, "atom.xml"):
        for fragment in raw_contents(out, rel):  # …not in what feed readers are handed
            assert_clean_absolute_html(fragment)
            assert "alert(3)" not in fragment
    for item in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]:
        assert_clean_absolute_html(item["content_html"])


# -- authors ---------------------------------------------------------------------------------


def test_each_entry_names_its_own_author_else_the_sites(out):
    expected = {"요약에 마크업이 든 글": "홍길동", "이메일이 있는 저자의 글": "김저자",
                "저자를 적지 않은 글": "다이제스트 편집부"}
    for rel in ("feed.xml", "atom.xml"):
        feed = parsed(out, rel)
        for title, name in expected.items():
            assert name in entry(feed, title).author, (rel, title)
    atom = parsed(out, "atom.xml")
    assert entry(atom, "이메일이 있는 저자의 글").author_detail.email == "kim@example.org"
    assert entry(atom, "저자를 적지 않은 글").author_detail.email == "desk@example.org"
    tag = parsed(out, "tags/보안/feed.xml")
    assert entry(tag, "요약에 마크업이 든 글").author == "홍길동"
    items = {i["title"]: i for i in json.loads(
        (out / "feed.json").read_text(encoding="utf-8"))["items"]}
    assert items["요약에 마크업이 든 글"]["authors"] == [{"name": "홍길동"}]
    assert "authors" not in items["저자를 적지 않은 글"]  # the feed's own authors stand
    site_feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert site_feed["authors"] == [{"name": "다이제스트 편집부"}]


# -- sitemap ---------------------------------------------------------------------------------


def test_sitemap_dates_every_url_that_has_one(out):
    tree = etree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {unquote(u.findtext("s:loc", namespaces=ns)): u.findtext("s:lastmod", namespaces=ns)
               for u in tree.iterfind("s:url", ns)}
    assert lastmod[SITE_URL + "posts/hostile/"] == "2024-05-04T10:30:00+09:00"  # updated
    assert lastmod[SITE_URL + "posts/linked/"] == "2024-04-20T00:00:00+09:00"  # its date
    # Listing pages change when the newest document they list does.
    assert lastmod[SITE_URL] == "2024-05-04T10:30:00+09:00"
    assert lastmod[SITE_URL + "posts/"] == "2024-05-04T10:30:00+09:00"
    assert lastmod[SITE_URL + "tags/보안/"] == "2024-05-04T10:30:00+09:00"
    assert lastmod[SITE_URL + "about/"] is None  # no date: no lastmod rather than a made-up one
