"""End-to-end: build a small site of every content shape and read what comes out."""

from __future__ import annotations

import os
import re
import struct
import unicodedata
import zlib
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from conftest import MINIMAL_CONFIG, REPO, build_site, page, run_cli, tree, write_site
from lxml import etree

from digestgen.errors import ContentError


def tiny_png() -> bytes:
    """A valid 1×1 PNG, made here so the fixture has a real image to copy."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


BLOG = {
    "content/posts/2024-05-09-openai-trust.md": """
        ---
        title: "OpenAI의 신뢰 회복 노력"
        description: "데이터 정책과 모델 스펙을 둘러싼 OpenAI의 최근 행보를 정리한다."
        date: 2024-05-09
        update: 2024-05-10
        tags:
          - OpenAI
          - LLM
          - 데이터 프라이버시
        ---

        OpenAI는 이번 주 데이터 활용 원칙을 새로 발표했습니다.

        ![변화 추이](./img/chart.png)

        자세한 배경은 [허깅페이스 노트의 허브 설명](../wiki/hugging-face.md#모델-허브)을 참고하세요.

        ## 핵심 정리

        | 항목 | 내용 |
        |---|---|
        | 발표 | 모델 스펙 |

        ```python
        print("안녕")
        ```
        """,
    "content/posts/agents.md": """
        ---
        title: 에이전트 입문
        date: 2024-06-01 10:30:00 +0900
        tags: llm, 에이전트
        ---

        에이전트의 기본 구조는 [[hugging-face|허깅 노트]]에도 조금 나옵니다.
        """,
    "content/posts/secret.md": """
        ---
        title: 비밀 초안
        date: 2024-06-02
        draft: true
        tags: [비밀태그]
        ---

        아직 공개하면 안 되는 글입니다.
        """,
    "content/posts/img/chart.png": tiny_png(),
    "content/roundups/2024-04-w4.md": """
        ---
        title: "4월 4주차 AI 모음"
        date: 2024-04-24 00:03:00
        categories:
          - AI 뉴스
        ---

        참조

        <https://www.youtube.com/watch?v=abc>

        ### 라마 3 공개

        - **공개**: 메타가 새 모델을 공개했습니다.
        """,
    "content/roundups/2024-05-w1.md": """
        ---
        categories:
          - [AI 뉴스, 보안]
        ---

        ### 보안 소식

        - **취약점**: 모델 허브에서 악성 모델이 발견되었습니다.
        """,
    "content/wiki/hugging-face.md": """
        ---
        created: 2023-05-11
        ---
        # Hugging Face

        모델과 데이터셋을 공유하는 플랫폼. [OpenAI 문서](/docs/wiki/openai.md) 참조.

        ## 모델 허브

        <iframe width="560" height="315" src="https://www.youtube.com/embed/abcdefghijk" title="YouTube video player" frameborder="0" allowfullscreen></iframe>

        <script>alert("xss")</script>

        ### 내려받기

        ```bash
        pip install huggingface_hub
        ```
        """,
    "content/wiki/openai.md": """
        ---
        created: 2023-03-15
        ---
        # OpenAI

        ## API

        ### 인증

        #### 키 관리

        ##### 주의

        ###### 아주 작은 제목

        끝.
        """,
    "content/briefs/brief-2024-03.txt": (
        " \nABC Al Brief\n\n인공지능 산업의 최신 동향 2024년 3월호\n\nCONTENTS\n\n"
        "$oxedsymbol{oxedsymbol{oxedsymbol{I}}}$. 인공지능 산업 동향 브리프\n\n"
        "▷ 가상 기관, 새 AI 안전 지침 발표 ·········\t1\n\n"
        "Ⅰ. 인공지능 산업 동향 브리프\n\n"
        "1. 정책/법제\t2. 기업/산업\t3. 기술/연구\t4. 인력/교육\n\n"
        "가상 기관, 새 AI 안전 지침 발표\n\nKEY Contents\n\n"
        "- 가상 기관이 생성Al 안전 지침을 발표\n- 지침은 연말부터 적용\n\n"
        "● 지침의 주요 내용\n\n- (평가) 배포 전 평가 의무화\n - (보고) 사고 발생 시 보고\n\n"
        "☞ 출처: 가상 기관, AI 안전 지침, 2024.02.01.\n"
    ),
    "content/about.md": """
        ---
        title: 소개
        ---

        이 블로그는 AI 소식을 정리합니다.
        """,
    "static/extra.txt": "정적 파일\n",
}


@pytest.fixture(scope="module")
def blog(tmp_path_factory) -> tuple[Path, Path]:
    root = write_site(tmp_path_factory.mktemp("blog"), BLOG)
    build_site(root)
    return root, root / "_site"


def all_text(output: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in output.rglob("*") if p.is_file())


# -- URL contract ----------------------------------------------------------------------------


def test_each_document_lives_at_section_slug(blog):
    _, out = blog
    for rel in ("posts/openai-trust/index.html", "posts/agents/index.html",
                "roundups/2024-04-w4/index.html", "roundups/2024-05-w1/index.html",
                "wiki/hugging-face/index.html", "wiki/openai/index.html",
                "briefs/brief-2024-03/index.html", "about/index.html"):
        assert (out / rel).is_file(), rel


def test_listing_taxonomy_and_site_files(blog):
    _, out = blog
    for rel in ("index.html", "posts/index.html", "roundups/index.html", "wiki/index.html",
                "briefs/index.html", "tags/index.html", "tags/openai/index.html",
                "tags/openai/feed.xml", "categories/index.html", "categories/ai-뉴스/index.html",
                "categories/보안/feed.xml", "archive/index.html", "archive/2024/04/index.html",
                "feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "404.html", ".nojekyll",
                "css/style.css", "css/highlight.css", "extra.txt"):
        assert (out / rel).is_file(), rel


def test_every_internal_url_carries_the_base_path(blog):
    _, out = blog
    for file in out.rglob("*.html"):
        doc = page(out, file.relative_to(out).as_posix())
        for el, attr, link, _ in doc.iterlinks():
            if link.startswith(("http://", "https://", "#", "mailto:")):
                continue
            assert link.startswith("/ai-digest/"), f"{file}: {el.tag} {attr}={link}"


def test_time_carries_the_site_offset(blog):
    _, out = blog
    doc = page(out, "roundups/2024-04-w4/index.html")
    assert doc.xpath("//article//time/@datetime")[0] == "2024-04-24T00:03:00+09:00"
    week = page(out, "roundups/2024-05-w1/index.html")
    # No date key: the week in the file name gives the date, and the title.
    assert week.xpath("//article//time/@datetime")[0].startswith("2024-05-01")
    assert week.xpath("//h1/text()")[0] == "2024년 5월 1주차 AI 모음"


def test_title_from_h1_is_not_repeated(blog):
    _, out = blog
    doc = page(out, "wiki/hugging-face/index.html")
    assert doc.xpath("//h1/text()") == ["Hugging Face"]
    assert doc.xpath("//title/text()")[0].startswith("Hugging Face | ")


def test_wiki_note_has_toc_and_all_heading_levels(blog):
    _, out = blog
    doc = page(out, "wiki/openai/index.html")
    assert [a.get("href") for a in doc.xpath("//nav[@class='toc']//a")] == [
        "#api", "#인증", "#키-관리"]
    for level in range(2, 7):
        assert doc.xpath(f"//div[@class='doc-body']//h{level}"), level


# -- links, images, backlinks ----------------------------------------------------------------


def hrefs(doc) -> list[str]:
    return [unquote(h) for h in doc.xpath("//div[@class='doc-body']//a/@href")]


def test_markdown_links_resolve_to_pages(blog):
    _, out = blog
    post = page(out, "posts/openai-trust/index.html")
    assert "/ai-digest/wiki/hugging-face/#모델-허브" in hrefs(post)
    wiki = page(out, "wiki/hugging-face/index.html")
    assert "/ai-digest/wiki/openai/" in hrefs(wiki)  # /docs/wiki/openai.md, by file name
    agents = page(out, "posts/agents/index.html")
    assert "/ai-digest/wiki/hugging-face/" in hrefs(agents)  # [[hugging-face|허깅 노트]]
    assert agents.xpath("//a[@class='wikilink']/text()") == ["허깅 노트"]


def test_backlinks_list_the_linking_pages(blog):
    _, out = blog
    wiki = page(out, "wiki/hugging-face/index.html")
    titles = wiki.xpath("//section[@class='backlinks']//a/text()")
    assert sorted(titles) == ["OpenAI의 신뢰 회복 노력", "에이전트 입문"]


def test_images_next_to_a_post_are_copied_and_linked(blog):
    _, out = blog
    post = page(out, "posts/openai-trust/index.html")
    assert post.xpath("//div[@class='doc-body']//img/@src") == ["/ai-digest/posts/img/chart.png"]
    assert (out / "posts/img/chart.png").read_bytes() == tiny_png()


def test_raw_html_is_sanitised_but_youtube_kept(blog):
    _, out = blog
    wiki = page(out, "wiki/hugging-face/index.html")
    assert not wiki.xpath("//div[@class='doc-body']//script")
    assert "alert(" not in (out / "wiki/hugging-face/index.html").read_text()
    assert wiki.xpath("//iframe/@src") == ["https://www.youtube.com/embed/abcdefghijk"]


def test_code_is_highlighted(blog):
    _, out = blog
    post = page(out, "posts/openai-trust/index.html")
    assert post.xpath("//pre[@class='highlight']/code[@class='language-python']//span")
    assert post.xpath("//div[@class='doc-body']//table//td/text()") == ["발표", "모델 스펙"]


def test_prev_next_within_a_section(blog):
    _, out = blog
    older = page(out, "posts/openai-trust/index.html")
    assert [unquote(h) for h in older.xpath("//nav[@class='prev-next']/a[@rel='next']/@href")] == [
        "/ai-digest/posts/agents/"]
    assert not older.xpath("//nav[@class='prev-next']/a[@rel='prev']")


# -- taxonomies, drafts ----------------------------------------------------------------------


def test_case_variants_of_a_tag_share_one_page(blog):
    _, out = blog
    tag = page(out, "tags/llm/index.html")
    assert tag.xpath("//h1/text()") == ["LLM"]
    assert sorted(tag.xpath("//h2[@class='card-title']/a/text()")) == [
        "OpenAI의 신뢰 회복 노력", "에이전트 입문"]
    assert not (out / "tags/LLM").exists()


def test_hexo_nested_categories(blog):
    _, out = blog
    sec = page(out, "categories/보안/index.html")
    assert sec.xpath("//h2[@class='card-title']/a/text()") == ["2024년 5월 1주차 AI 모음"]
    both = page(out, "categories/ai-뉴스/index.html")
    assert len(both.xpath("//li[contains(@class,'card')]")) == 2


def test_drafts_appear_nowhere(blog):
    _, out = blog
    text = all_text(out)
    assert "비밀 초안" not in text and "비밀태그" not in text
    assert not (out / "posts/secret").exists()


def test_drafts_with_flag(tmp_path):
    root = write_site(tmp_path / "s", BLOG)
    build_site(root, drafts=True)
    out = root / "_site"
    assert (out / "posts/secret/index.html").is_file()
    assert (out / "tags/비밀태그/index.html").is_file()
    assert page(out, "posts/secret/index.html").xpath("//p[@class='draft-badge']")


# -- feeds and site files --------------------------------------------------------------------


def test_feeds_parse_and_carry_full_content(blog):
    _, out = blog
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        titles = [e.title for e in feed.entries]
        assert titles[0] == "에이전트 입문"  # newest first
        assert "비밀 초안" not in titles
        assert "Hugging Face" not in titles  # wiki notes stay out of the site feed by default
        entry = next(e for e in feed.entries if e.title == "OpenAI의 신뢰 회복 노력")
        assert entry.link == "https://example.github.io/ai-digest/posts/openai-trust/"
        assert "<table>" in entry.content[0].value
        assert entry.published_parsed[:4] == (2024, 5, 8, 15)  # midnight +09:00 in UTC
    tag = feedparser.parse((out / "tags/llm/feed.xml").read_bytes())
    assert not tag.bozo and len(tag.entries) == 2


def test_feeds_are_advertised(blog):
    _, out = blog
    home = page(out, "index.html")
    types = home.xpath("//link[@rel='alternate']/@type")
    assert "application/rss+xml" in types and "application/atom+xml" in types
    tag = page(out, "tags/llm/index.html")
    assert "/ai-digest/tags/llm/feed.xml" in tag.xpath("//link[@rel='alternate']/@href")


def test_sitemap_and_robots(blog):
    _, out = blog
    tree = etree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [unquote(x) for x in tree.xpath("//s:loc/text()", namespaces=ns)]
    assert "https://example.github.io/ai-digest/posts/openai-trust/" in locs
    assert all(loc.startswith("https://example.github.io/ai-digest/") for loc in locs)
    assert not any("secret" in loc for loc in locs)
    robots = (out / "robots.txt").read_text()
    assert "Sitemap: https://example.github.io/ai-digest/sitemap.xml" in robots


def test_brief_loads_as_a_structured_page(blog):
    _, out = blog
    brief = page(out, "briefs/brief-2024-03/index.html")
    assert brief.xpath("//h1/text()") == ["ABC AI Brief · 인공지능 산업의 최신 동향 2024년 3월호"]
    assert brief.xpath("//article//time/@datetime")[0].startswith("2024-03-01")
    body = brief.xpath("//div[@class='doc-body']")[0]
    assert body.xpath(".//h3/text()") == ["가상 기관, 새 AI 안전 지침 발표"]
    assert len(body.xpath(".//div[@class='key-points']//li")) == 2
    assert "생성AI" in body.text_content() and "CONTENTS" not in body.text_content()
    assert body.xpath(".//p[@class='sources']")


def test_home_is_paginated(tmp_path):
    files = {f"content/posts/p{i}.md": f"---\ntitle: 글 {i}\ndate: 2024-01-{i + 1:02d}\n---\n본문 {i}\n"
             for i in range(5)}
    root = write_site(tmp_path / "s", files, MINIMAL_CONFIG + "paginate: 2\n")
    build_site(root)
    out = root / "_site"
    assert (out / "page/2/index.html").is_file() and (out / "page/3/index.html").is_file()
    assert not (out / "page/4").exists()
    first = page(out, "index.html")
    assert first.xpath("//h2[@class='card-title']/a/text()") == ["글 4", "글 3"]
    assert first.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["/ai-digest/page/2/"]


# -- whole-build properties ------------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path):
    root = write_site(tmp_path / "s", BLOG)
    build_site(root, output=tmp_path / "a")
    build_site(root, output=tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_unchanged_files_keep_their_mtime(tmp_path):
    root = write_site(tmp_path / "s", BLOG)
    build_site(root)
    target = root / "_site/posts/agents/index.html"
    os.utime(target, (1_000_000, 1_000_000))
    build_site(root)
    assert target.stat().st_mtime == 1_000_000


def test_a_failed_build_leaves_the_previous_output(tmp_path):
    root = write_site(tmp_path / "s", BLOG)
    build_site(root)
    before = tree(root / "_site")
    (root / "content/posts/broken.md").write_text("---\ntitle: [unclosed\n---\n본문\n", "utf-8")
    with pytest.raises(ContentError) as info:
        build_site(root)
    assert [d.path for d in info.value.diagnostics] == ["content/posts/broken.md"]
    assert tree(root / "_site") == before
    assert not list(root.glob("._site.*-*"))  # no staging folder left behind


def test_documents_mapping_to_one_url_are_an_error(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nslug: same\n---\nx\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\nslug: same\n---\ny\n",
    })
    with pytest.raises(ContentError) as info:
        build_site(root)
    messages = [d.format() for d in info.value.diagnostics]
    assert any("content/posts/a.md" in m and "content/posts/b.md" in m for m in messages)


def test_unsafe_slug_is_an_error(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nslug: ../../escape\n---\nx\n"})
    with pytest.raises(ContentError) as info:
        build_site(root)
    assert info.value.diagnostics[0].line == 4
    assert not (tmp_path / "escape").exists()


def test_legacy_korean_encoding_loads_with_a_warning(tmp_path):
    text = "---\ntitle: 옛날 글\ndate: 2010-03-01\n---\n한글 본문입니다.\n"
    root = write_site(tmp_path / "s", {"content/posts/old.md": text.encode("cp949")})
    result = build_site(root)
    assert any("CP949" in d.message for d in result.diagnostics)
    assert page(root / "_site", "posts/old/index.html").xpath("//h1/text()") == ["옛날 글"]


def test_toml_frontmatter(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/hugo.md": """
        +++
        title = "휴고에서 온 글"
        date = 2023-11-02T09:00:00+09:00
        tags = ["Hugo"]
        +++
        본문
        """})
    build_site(root)
    doc = page(root / "_site", "posts/hugo/index.html")
    assert doc.xpath("//h1/text()") == ["휴고에서 온 글"]
    assert doc.xpath("//article//time/@datetime")[0] == "2023-11-02T09:00:00+09:00"


def test_site_templates_override_the_theme_file_by_file(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n본문\n",
        "content/wiki/n.md": "---\ncreated: 2024-01-01\n---\n# 노트\n",
        "templates/post.html": "<p id='custom'>{{ page.title }}</p>\n",
    })
    build_site(root)
    assert (root / "_site/posts/a/index.html").read_text() == "<p id='custom'>A</p>\n"
    assert "<h1 class=\"doc-title\">노트</h1>" in (root / "_site/wiki/n/index.html").read_text()


def test_aliases_become_redirects(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/a.md": """
        ---
        title: 옮긴 글
        date: 2024-01-01
        aliases: [/2024/01/01/old-name/]
        ---
        본문
        """})
    build_site(root)
    redirect = page(root / "_site", "2024/01/01/old-name/index.html")
    assert redirect.xpath("//link[@rel='canonical']/@href") == [
        "https://example.github.io/ai-digest/posts/a/"]
    assert "url=https://example.github.io/ai-digest/posts/a/" in redirect.xpath(
        "//meta[@http-equiv='refresh']/@content")[0]


def test_undated_document_warns_and_stays_out_of_feeds(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/nodate.md": "# 날짜 없는 글\n\n본문.\n"})
    result = build_site(root)
    assert any(d.path == "content/posts/nodate.md" and "no date" in d.message
               for d in result.diagnostics)
    feed = feedparser.parse((root / "_site/feed.xml").read_bytes())
    assert feed.entries == []
    with pytest.raises(ContentError):
        build_site(root, strict=True)


def test_date_guessed_from_text_is_a_strict_warning(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/guess.md": "# 글\n\n2024년 5월 3일에 쓴 글.\n"})
    result = build_site(root)
    guessed = [d for d in result.diagnostics if "guessed" in d.message]
    assert guessed and guessed[0].line == 3
    assert page(root / "_site", "posts/guess/index.html").xpath(
        "//article//time/@datetime")[0].startswith("2024-05-03")


def test_output_folder_not_made_by_digestgen_is_refused(tmp_path):
    root = write_site(tmp_path / "s", BLOG)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    from digestgen.errors import DigestgenError

    with pytest.raises(DigestgenError):
        build_site(root, output=precious)
    assert (precious / "keep.txt").read_text() == "mine"


def test_the_example_site_builds_strictly(tmp_path):
    result = build_site(REPO, output=tmp_path / "out", strict=True)
    assert result.diagnostics == ()
    kinds = {p.doc.kind for p in result.site.pages}
    assert kinds == {"post", "roundup", "wiki", "brief", "page"}
    for p in result.site.pages:
        assert (tmp_path / "out" / p.path / "index.html").is_file()


def test_the_five_samples_build(tmp_path, samples):
    files = {
        "content/roundups/roundup-2024-04-w4.md": (samples / "roundup-2024-04-w4.md").read_bytes(),
        "content/posts/post-openai-trust.md": (samples / "post-openai-trust.md").read_bytes(),
        "content/wiki/machine-learning.md": (samples / "wiki-machine-learning.md").read_bytes(),
        "content/briefs/brief-spri-2024-03.txt": (samples / "brief-spri-2024-03.txt").read_bytes(),
        "content/briefs/brief-biweekly-plain.txt": (samples / "brief-biweekly-plain.txt").read_bytes(),
    }
    root = write_site(tmp_path / "s", files)
    result = build_site(root)
    out = root / "_site"
    roundup = page(out, "roundups/roundup-2024-04-w4/index.html")
    assert roundup.xpath("//h1/text()") == ["4월 4주차 AI 모음"]
    assert roundup.xpath("//article//time/@datetime")[0] == "2024-04-24T00:03:00+09:00"
    post = page(out, "posts/post-openai-trust/index.html")
    assert "OpenAI" in post.xpath("//ul[contains(@class,'doc-tags')]//a/text()")
    wiki = page(out, "wiki/machine-learning/index.html")
    assert wiki.xpath("//h1/text()") == ["Machine Learning"]
    assert wiki.xpath("//div[@class='doc-body']//h6")
    assert wiki.xpath("//iframe[starts-with(@src,'https://www.youtube.com/embed/')]")
    spri = page(out, "briefs/brief-spri-2024-03/index.html")
    assert len(spri.xpath("//div[@class='key-points']")) == 19
    assert "oxedsymbol" not in (out / "briefs/brief-spri-2024-03/index.html").read_text()
    plain = page(out, "briefs/brief-biweekly-plain/index.html")
    assert plain.xpath("//div[@class='doc-body']//h2") and plain.xpath("//p[@class='rights']")
    # The wiki note links to notes and images that are not part of this site: warnings, not errors.
    assert {d.path for d in result.diagnostics} <= {"content/wiki/machine-learning.md",
                                                    "content/briefs/brief-biweekly-plain.txt"}
    assert re.search(r"machine-learning.md:342: warning: unresolved link",
                     "\n".join(d.format() for d in result.diagnostics))


# -- configuration at work -------------------------------------------------------------------


def test_kind_frontmatter_moves_a_file_to_that_section(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/weekly.md": """
        ---
        title: 5월 2주차 AI 모음
        date: 2024-05-13
        kind: roundup
        ---
        본문
        """})
    result = build_site(root)
    assert (root / "_site/roundups/weekly/index.html").is_file()
    assert [p.doc.kind for p in result.site.pages] == ["roundup"]


def test_permalinks_menu_exclude_and_summary_feeds(tmp_path):
    config = MINIMAL_CONFIG + """\
sections:
  posts: {dir: posts, kind: post, title: 글, permalink: "/{year}/{month}/{slug}/"}
menu:
  - {title: 처음, url: /}
  - {title: 깃허브, url: "https://github.com/example"}
exclude: ["*.draft.md"]
feed:
  full_content: false
"""
    root = write_site(tmp_path / "s", {
        "content/posts/hello.md": "---\ntitle: 안녕\ndate: 2024-03-05\n---\n본문 문단입니다.\n",
        "content/posts/wip.draft.md": "---\ntitle: 작업 중\ndate: 2024-03-06\n---\n본문\n",
    }, config)
    build_site(root)
    out = root / "_site"
    assert (out / "2024/03/hello/index.html").is_file()
    assert "작업 중" not in all_text(out)
    nav = page(out, "index.html").xpath("//nav[@class='site-nav']//a")
    assert [(a.text, a.get("href")) for a in nav] == [("처음", "/ai-digest/"),
                                                      ("깃허브", "https://github.com/example")]
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.entries[0].link == "https://example.github.io/ai-digest/2024/03/hello/"
    assert "content" not in feed.entries[0] and feed.entries[0].summary == "본문 문단입니다."


def test_unsafe_html_opt_out_keeps_raw_html(tmp_path):
    files = {"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n<div onclick=\"x()\">hi</div>\n"}
    root = write_site(tmp_path / "s", files, MINIMAL_CONFIG + "markdown:\n  unsafe_html: true\n")
    build_site(root)
    assert '<div onclick="x()">hi</div>' in (root / "_site/posts/a/index.html").read_text()
    safe = write_site(tmp_path / "t", files)
    build_site(safe)
    assert "onclick" not in (safe / "_site/posts/a/index.html").read_text()


def test_nfd_file_names_give_nfc_urls(tmp_path):
    import unicodedata

    name = unicodedata.normalize("NFD", "인공지능-소식.md")
    root = write_site(tmp_path / "s", {f"content/posts/{name}": "---\ntitle: 소식\ndate: 2024-01-01\n---\n본문\n"})
    result = build_site(root)
    assert result.site.pages[0].path == unicodedata.normalize("NFC", "posts/인공지능-소식/")
    assert (root / "_site" / unicodedata.normalize("NFC", "posts/인공지능-소식/index.html")).is_file()


def test_page_bundle_is_named_by_its_folder(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/my-bundle/index.md": "---\ntitle: 묶음\ndate: 2024-01-01\n---\n![그림](./cover.png)\n",
        "content/posts/my-bundle/cover.png": tiny_png(),
    })
    build_site(root)
    out = root / "_site"
    assert page(out, "posts/my-bundle/index.html").xpath("//div[@class='doc-body']//img/@src") == [
        "/ai-digest/posts/my-bundle/cover.png"]
    assert (out / "posts/my-bundle/cover.png").is_file()


def test_brief_sidecar_sets_what_the_text_cannot(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/briefs/digest-3.txt": "첫 줄은 긴 소개 문장입니다. 이번 호에서는 세 가지 소식을 다룹니다.\n모델\n새 모델이 나왔습니다.\n",
        "content/briefs/digest-3.yaml": "title: 격주 다이제스트 3호\ndate: 2025-03-15\ntags: [브리프]\n",
    })
    result = build_site(root)
    assert result.diagnostics == ()
    doc = page(root / "_site", "briefs/digest-3/index.html")
    assert doc.xpath("//h1/text()") == ["격주 다이제스트 3호"]
    assert doc.xpath("//article//time/@datetime")[0].startswith("2025-03-15")
    assert not (root / "_site/briefs/digest-3.yaml").exists()


def test_utf16_file_loads_with_a_warning(tmp_path):
    text = "---\ntitle: 유니코드 글\ndate: 2024-01-01\n---\n본문\n"
    root = write_site(tmp_path / "s", {"content/posts/u16.md": text.encode("utf-16")})
    result = build_site(root)
    assert any("UTF-16" in d.message for d in result.diagnostics)
    assert page(root / "_site", "posts/u16/index.html").xpath("//h1/text()") == ["유니코드 글"]


# -- brief articles on their own -------------------------------------------------------------


def test_brief_articles_are_listed_under_their_category(blog):
    _, out = blog
    category = page(out, "categories/정책-법제/index.html")
    links = [(a.text, unquote(a.get("href"))) for a in category.xpath("//h2[@class='card-title']/a")]
    assert links == [("가상 기관, 새 AI 안전 지침 발표",
                      "/ai-digest/briefs/brief-2024-03/#가상-기관-새-ai-안전-지침-발표")]
    brief = page(out, "briefs/brief-2024-03/index.html")
    article = brief.xpath("//section[@class='brief-article']")[0]
    assert article.get("id") == "가상-기관-새-ai-안전-지침-발표"
    assert unquote(article.xpath(".//p[@class='article-category']/a/@href")[0]) == (
        "/ai-digest/categories/정책-법제/")
    feed = feedparser.parse((out / "categories/정책-법제/feed.xml").read_bytes())
    assert not feed.bozo
    assert [unquote(e.link) for e in feed.entries] == [
        "https://example.github.io/ai-digest/briefs/brief-2024-03/#가상-기관-새-ai-안전-지침-발표"]


def test_site_feed_can_carry_one_entry_per_article(tmp_path):
    root = write_site(tmp_path / "s", {"content/briefs/brief-2024-03.txt":
                                       BLOG["content/briefs/brief-2024-03.txt"]},
                      MINIMAL_CONFIG + "feed:\n  briefs: articles\n")
    build_site(root)
    feed = feedparser.parse((root / "_site/feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["가상 기관, 새 AI 안전 지침 발표"]
    entry = feed.entries[0]
    assert unquote(entry.link).endswith("/briefs/brief-2024-03/#가상-기관-새-ai-안전-지침-발표")
    assert "배포 전 평가 의무화" in entry.content[0].value
    assert entry.summary == "가상 기관이 생성AI 안전 지침을 발표"


def test_code_and_urls_keep_their_unicode_form_prose_is_nfc(tmp_path):
    # U+F90A is a CJK compatibility ideograph: NFC would turn it into U+91D1. Decomposed
    # Hangul (as macOS writes it) in prose is composed; in code and URLs it stays as written.
    nfd = unicodedata.normalize("NFD", "한글")
    root = write_site(tmp_path / "s", {"content/posts/a.md": (
        f"---\ntitle: 정규화 {nfd}\ndate: 2024-01-01\n---\n"
        f"{nfd} 본문 `\uf90a {nfd}` [링크](https://example.org/{nfd})\n\n"
        f"```python\ns = '\uf90a {nfd}'\n```\n")})
    result = build_site(root, strict=True)
    html_text = (result.output / "posts/a/index.html").read_text(encoding="utf-8")
    doc = page(result.output, "posts/a/index.html")
    body = doc.xpath("//div[@class='doc-body']")[0]
    codes = [c.text_content() for c in body.xpath(".//code")]
    assert codes[0] == f"\uf90a {nfd}"
    assert codes[1].strip() == f"s = '\uf90a {nfd}'"
    assert body.xpath(".//p")[0].text.startswith("한글 본문")  # prose composed
    assert unquote(body.xpath(".//a/@href")[0]) == f"https://example.org/{nfd}"
    assert doc.findtext(".//h1").strip() == "정규화 한글"  # frontmatter is prose
    assert "\u91d1" not in html_text


def test_build_warns_about_internal_links_anchors_and_images_that_lead_nowhere(tmp_path, capsys):
    root = write_site(tmp_path / "s", {
        "content/posts/good.md": "---\ntitle: 좋은 글\ndate: 2024-01-01\ntags: [llm]\n---\n## 첫 절\n본문\n",
        "content/posts/links.md": """\
            ---
            title: 링크 모음
            date: 2024-01-02
            ---
            [있는 글](/posts/good/), [절](/posts/good/#첫-절), [태그](/tags/llm/), [피드](/feed.xml)
            [그림 파일](/assets/logo.png) 과 [목록](/posts/) 은 있습니다.

            [없는 글](/some-post/) 을 가리킵니다.

            [없는 절](/posts/good/#없는-절), [이 쪽의 없는 절](#nowhere)

            <img src="/assets/missing.png" alt="없는 그림">
            """,
        "static/assets/logo.png": b"\x89PNG\r\n\x1a\n",
    })
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0, err
    lines = sorted(ln for ln in err.splitlines() if ": warning: " in ln)
    assert lines == [
        "content/posts/links.md:10: warning: link to '#nowhere': no heading or anchor of that "
        "name on this page",
        "content/posts/links.md:10: warning: link to '/posts/good/#없는-절': no heading or "
        "anchor '없는-절' on that page",
        "content/posts/links.md:12: warning: image '/assets/missing.png' leads to no page or "
        "file of the site",
        "content/posts/links.md:8: warning: link to '/some-post/' leads to no page or file of "
        "the site",
    ], err
    assert run_cli(["build", "--strict", "--source", str(root)], capsys)[0] == 1
