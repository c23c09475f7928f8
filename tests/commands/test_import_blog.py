"""`digestgen import --from jekyll|hexo|gatsby|hugo DIR`: another engine's blog moves in, its old
URLs redirect, and the report says what was converted and what was not."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, run_cli, write_files, write_site

from digestgen.config import load_config
from digestgen.imports.blog import import_blog

BASE = "https://example.github.io/ai-digest/"


def redirect_to(output: Path, rel: str) -> str:
    """Where the redirect page at ``rel`` sends the browser (and what it names canonical)."""
    doc = page(output, rel)
    canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
    assert f"url={canonical}" in doc.xpath("//meta[@http-equiv='refresh']/@content")[0]
    return canonical


def new_url(path: str) -> str:
    return BASE + quote(path)


@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "site", {}, MINIMAL_CONFIG)


JEKYLL_POST = """\
---
title: 첫 글
date: 2024-04-24 00:03:00 +0900
tags: [AI, 블로그]
---
옛 블로그에서 옮겨 온 첫 글입니다.

![차트]({{ site.baseurl }}/assets/img/chart.png)
"""


@pytest.fixture
def jekyll(tmp_path):
    return write_files(tmp_path / "jekyll", {
        "_config.yml": """
            title: 예전 블로그
            baseurl: /old-blog
            timezone: Asia/Seoul
            permalink: /:year/:month/:day/:title.html
            """,
        "_posts/2024-04-24-첫-글.md": JEKYLL_POST,
        "_posts/2024-05-01-no-frontmatter.md": "# 머리말 없는 글\n\nNo frontmatter here.\n",
        "_posts/2024-05-02-liquid.md": """
            ---
            title: Liquid 예제
            date: 2024-05-02
            ---
            템플릿 문법을 그대로 보여 줍니다.

            ```liquid
            {% raw %}{{ page.title }}{% endraw %}
            ```
            """,
        "_drafts/next-idea.md": "---\ntitle: 다음 글 구상\n---\n아직 쓰는 중.\n",
        "assets/img/chart.png": b"\x89PNG fake chart",
        "Gemfile": "source 'https://rubygems.org'\n",
    })


def test_jekyll_blog_moves_in_with_redirects_images_and_drafts(jekyll, site, capsys):
    code, out, err = run_cli(["import", "--from", "jekyll", str(jekyll), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    lines = out.splitlines()
    assert ("_posts/2024-04-24-첫-글.md → content/posts/2024-04-24-첫-글.md "
            "(alias /2024/04/24/첫-글.html)") in lines
    assert ("_posts/2024-05-01-no-frontmatter.md → content/posts/2024-05-01-no-frontmatter.md "
            "(alias /2024/05/01/no-frontmatter.html)") in lines
    assert "_drafts/next-idea.md → content/posts/next-idea.md (draft)" in lines
    assert lines[-1] == ("jekyll: imported 4 posts (1 draft) and 1 file, wrote 3 aliases; "
                         "next: digestgen build")

    # The author's text is kept byte for byte; only the aliases line is new.
    imported = (site / "content/posts/2024-04-24-첫-글.md").read_text(encoding="utf-8")
    assert imported == JEKYLL_POST.replace(
        "---\n옛", 'aliases: ["/2024/04/24/첫-글.html"]\n---\n옛')
    bare = (site / "content/posts/2024-05-01-no-frontmatter.md").read_text(encoding="utf-8")
    assert bare == ('---\naliases: ["/2024/05/01/no-frontmatter.html"]\n---\n'
                    "# 머리말 없는 글\n\nNo frontmatter here.\n")
    draft = (site / "content/posts/next-idea.md").read_text(encoding="utf-8")
    assert draft == "---\ntitle: 다음 글 구상\ndraft: true\n---\n아직 쓰는 중.\n"
    assert (site / "static/assets/img/chart.png").read_bytes() == b"\x89PNG fake chart"
    assert not (site / "static/Gemfile").exists()

    build_site(site)
    output = site / "_site"
    first = page(output, "posts/첫-글/index.html")
    assert first.xpath("//h1/text()") == ["첫 글"]
    assert first.xpath("//article//time/@datetime")[0].startswith("2024-04-24T00:03:00+09:00")
    assert "/ai-digest/assets/img/chart.png" in first.xpath("//article//img/@src")
    assert (output / "assets/img/chart.png").read_bytes() == b"\x89PNG fake chart"
    assert page(output, "posts/no-frontmatter/index.html").xpath("//h1/text()") == [
        "머리말 없는 글"]
    assert page(output, "posts/liquid/index.html").xpath("//h1/text()") == ["Liquid 예제"]
    assert redirect_to(output, "2024/04/24/첫-글.html") == new_url("posts/첫-글/")
    assert redirect_to(output, "2024/05/02/liquid.html") == new_url("posts/liquid/")
    assert not (output / "posts/next-idea").exists()  # a draft stays a draft


def test_jekyll_old_urls_follow_its_permalink_rules(tmp_path, site):
    blog = write_files(tmp_path / "blog", {
        # No timezone: Jekyll dates are then read in UTC, as GitHub Pages builds them.
        "_config.yml": "permalink: pretty\n",
        "_posts/2024-04-24-Hello World.md": """
            ---
            title: Hello
            date: 2024-04-24 00:03:00 +0900
            categories: AI News
            ---
            본문
            """,
        "_posts/2024-04-25-own-link.md": "---\ntitle: 고정 주소\npermalink: /about-me/\n---\n본문\n",
        "_posts/2024-04-26-unpublished.md": "---\ntitle: 비공개\npublished: false\n---\n본문\n",
        "_posts/2024-04-27-with-slug.md": "---\ntitle: 슬러그\nslug: Custom Slug\n---\n본문\n",
    })
    result = import_blog("jekyll", blog, site, load_config(site))
    by_source = {p.source: p for p in result.posts}
    hello = by_source["_posts/2024-04-24-Hello World.md"]
    assert hello.old_url == "/ai/news/2024/04/23/Hello-World/"
    assert (hello.new_url, hello.alias) == ("/posts/hello-world/", hello.old_url)
    own = by_source["_posts/2024-04-25-own-link.md"]
    assert (own.old_url, own.new_url, own.alias, own.note) == (
        "/about-me/", "/about-me/", None, "URL unchanged")
    hidden = by_source["_posts/2024-04-26-unpublished.md"]
    assert hidden.alias is None and hidden.draft and "published: false" in hidden.note
    slug = by_source["_posts/2024-04-27-with-slug.md"]
    assert (slug.old_url, slug.new_url) == ("/2024/04/27/Custom-Slug/", "/posts/Custom-Slug/")
    assert result.complete


def test_what_cannot_be_converted_is_reported_and_the_rest_still_imported(tmp_path, site, capsys):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: 바깥\n---\n비밀\n", encoding="utf-8")
    blog = write_files(tmp_path / "blog", {
        "_posts/2024-01-01-old.textile": "h1. Textile\n",
        "_posts/2024-01-02-page.html": "<h1>HTML</h1>\n",
        "_posts/notes.md": "# 날짜 없는 이름\n",
        "_posts/2024-01-03-same.md": "---\ntitle: 같은 이름 1\n---\n![없는 그림](/assets/gone.png)\n",
        "_posts/2024/2024-02-03-same.md": "---\ntitle: 같은 이름 2\n---\n본문\n",
        "_posts/2024-01-04-broken.md": "---\ntitle: [깨진\n---\n본문\n",
        "_posts/2024-01-05-fine.md": "---\ntitle: 멀쩡한 글\n---\n본문\n",
    })
    os.symlink(outside, blog / "_posts/2024-01-06-leak.md")
    code, out, _ = run_cli(["import", "--from", "jekyll", str(blog), "--source", str(site)],
                           capsys)
    assert code == 1
    lines = out.splitlines()
    assert ("skipped _posts/2024-01-01-old.textile: Textile, not Markdown: digestgen reads "
            "Markdown posts only; convert it and import again") in lines
    assert any(ln.startswith("skipped _posts/2024-01-02-page.html: HTML, not Markdown")
               for ln in lines)
    assert any(ln.startswith("skipped _posts/notes.md: not named YYYY-MM-DD-title.md")
               for ln in lines)
    assert ("skipped _posts/2024/2024-02-03-same.md: its URL /posts/same/ is already the URL of "
            "_posts/2024-01-03-same.md; give one of them another `slug:`") in lines
    assert any(ln.startswith("skipped _posts/2024-01-04-broken.md: line 2: invalid YAML")
               for ln in lines)
    assert ("skipped _posts/2024-01-06-leak.md: a symlink that points outside the blog; "
            "not copied") in lines
    assert ("missing /assets/gone.png: linked from _posts/2024-01-03-same.md, but not in the "
            "blog") in lines
    # The link out of the blog has a post's name in _posts/: a post that was not imported.
    assert lines[-1] == ("jekyll: imported 2 posts and 0 files, wrote 2 aliases; could not "
                         "import 6 posts (listed above)")
    assert (site / "content/posts/2024-01-05-fine.md").is_file()
    assert not (site / "content/posts/2024-01-06-leak.md").exists()
    assert not (site / "content/posts/2024-01-04-broken.md").exists()
    build_site(site)  # what was imported builds
    assert page(site / "_site", "posts/fine/index.html").xpath("//h1/text()") == ["멀쩡한 글"]


def test_existing_files_are_never_overwritten_without_force(jekyll, site, capsys):
    args = ["import", "--from", "jekyll", str(jekyll), "--source", str(site)]
    assert run_cli(args, capsys)[0] == 0
    code, out, _ = run_cli(args, capsys)  # the same import again changes nothing
    assert code == 0 and "(alias /2024/04/24/첫-글.html, already imported)" in out
    chart = site / "static/assets/img/chart.png"
    chart.write_bytes(b"my own chart")
    code, out, _ = run_cli(args, capsys)
    assert code == 1
    assert ("skipped assets/img/chart.png: static/assets/img/chart.png already exists; pass "
            "--force to overwrite it") in out.splitlines()
    target = site / "content/posts/2024-04-24-첫-글.md"
    target.write_text("손으로 고친 글\n", encoding="utf-8")
    code, out, _ = run_cli(args, capsys)
    assert code == 1
    assert ("skipped _posts/2024-04-24-첫-글.md: content/posts/2024-04-24-첫-글.md already "
            "exists; pass --force to overwrite it") in out.splitlines()
    assert target.read_text(encoding="utf-8") == "손으로 고친 글\n"
    assert chart.read_bytes() == b"my own chart"
    assert run_cli([*args, "--force"], capsys)[0] == 0
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: 첫 글\n")
    assert chart.read_bytes() == b"\x89PNG fake chart"


def test_usage_errors_exit_2_and_write_nothing(tmp_path, jekyll, site, capsys):
    code, _, err = run_cli(["import", "--from", "jekyll", str(jekyll), "--slug", "x",
                            "--source", str(site)], capsys)
    assert code == 2 and "--slug names a PDF's brief" in err
    code, _, err = run_cli(["import", "--from", "jekyll", str(jekyll), "--section", "nope",
                            "--source", str(site)], capsys)
    assert code == 2 and "no section 'nope'" in err
    with pytest.raises(SystemExit) as exited:
        run_cli(["import", "--from", "wordpress", str(jekyll), "--source", str(site)], capsys)
    assert exited.value.code == 2 and "invalid choice: 'wordpress'" in capsys.readouterr().err
    code, _, err = run_cli(["import", "--from", "hugo", str(tmp_path / "nowhere"),
                            "--source", str(site)], capsys)
    assert code == 2 and "nowhere: no such folder" in err
    assert not (site / "content").exists() and not (site / "static").exists()


@pytest.mark.parametrize(("kind", "expected"), [
    ("jekyll", "is not a Jekyll blog: it has no _posts/ folder"),
    ("hexo", "is not a Hexo blog: it has no source/_posts/ folder"),
    ("gatsby", "is not a Gatsby blog: it has no contents/posts/, content/blog/ or content/posts/"),
    ("hugo", "is not a Hugo blog: it has no hugo.toml or config.toml"),
])
def test_a_folder_that_is_not_that_kind_of_blog_is_a_usage_error(tmp_path, site, kind, expected,
                                                                  capsys):
    other = write_files(tmp_path / "other", {"README.md": "# 블로그 아님\n"})
    code, out, err = run_cli(["import", "--from", kind, str(other), "--source", str(site)], capsys)
    assert code == 2 and expected in err and out == ""


def test_hexo_post_asset_folders_become_page_bundles(tmp_path, site, capsys):
    blog = write_files(tmp_path / "hexo", {
        "_config.yml": """
            title: 헥소 블로그
            permalink: :year/:month/:day/:title/
            post_asset_folder: true
            timezone: Asia/Seoul
            """,
        "source/_posts/모델-소식.md": """
            ---
            title: 새 모델 소식
            date: 2024-03-05 09:00:00
            categories:
            - [AI, 뉴스]
            ---
            구조도를 붙입니다.

            ![구조도](diagram.png)
            """,
        "source/_posts/모델-소식/diagram.png": b"PNG diagram",
        "source/_drafts/초안.md": "---\ntitle: 쓰는 중\n---\n아직.\n",
        "source/images/logo.png": b"PNG logo",
        "source/about/index.md": "---\ntitle: 소개\n---\n소개 페이지\n",
        "source/_data/menu.yml": "home: /\n",
    })
    code, out, err = run_cli(["import", "--from", "hexo", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    lines = out.splitlines()
    assert ("source/_posts/모델-소식.md → content/posts/모델-소식/index.md "
            "(alias /2024/03/05/모델-소식/, 1 file)") in lines
    assert "source/_drafts/초안.md → content/posts/초안.md (draft)" in lines
    assert ("not imported source/about/index.md: a Hexo page, not a post; copy it into "
            "content/ by hand if the site needs it") in lines
    assert (site / "content/posts/모델-소식/diagram.png").read_bytes() == b"PNG diagram"
    assert (site / "static/images/logo.png").read_bytes() == b"PNG logo"
    assert not (site / "static/_data").exists()

    build_site(site)
    output = site / "_site"
    post = page(output, "posts/모델-소식/index.html")
    assert post.xpath("//h1/text()") == ["새 모델 소식"]
    assert post.xpath("//article//time/@datetime")[0].startswith("2024-03-05T09:00:00+09:00")
    assert post.xpath("//article//img/@src") == ["/ai-digest/" + quote("posts/모델-소식/diagram.png")]
    assert (output / "posts/모델-소식/diagram.png").read_bytes() == b"PNG diagram"
    assert (output / "images/logo.png").is_file()
    assert redirect_to(output, "2024/03/05/모델-소식/index.html") == new_url("posts/모델-소식/")


GATSBY_POST = """\
---
title: "It's a post"
description: 옮겨 온 시리즈의 첫 글
date: 2023-11-02 21:00:00
tags: [gatsby, 이사]
series: 블로그 이사
---
표지 그림:

![표지](./cover.png)
"""


def test_gatsby_bundles_get_safe_folder_names_and_redirects(tmp_path, site, capsys):
    blog = write_files(tmp_path / "gatsby", {
        "gatsby-config.js": "module.exports = {}\n",
        "contents/posts/it's-a-post/index.md": GATSBY_POST,
        "contents/posts/it's-a-post/cover.png": b"PNG cover",
        "contents/posts/두 번째 글/index.md": "---\ntitle: 두 번째\ndate: 2023-11-09\n---\n본문\n",
        "contents/posts/mdx-post/index.mdx": "---\ntitle: MDX\n---\n<Chart />\n",
        "static/favicon.ico": b"ICO",
    })
    code, out, err = run_cli(["import", "--from", "gatsby", str(blog), "--source", str(site)],
                             capsys)
    assert code == 1, out + err  # the MDX post could not be converted
    lines = out.splitlines()
    assert ("contents/posts/it's-a-post/index.md → content/posts/its-a-post/index.md "
            "(alias /it's-a-post/, 1 file)") in lines
    assert ("contents/posts/두 번째 글/index.md → content/posts/두-번째-글/index.md "
            "(alias /두 번째 글/)") in lines
    assert any(ln.startswith("skipped contents/posts/mdx-post/index.mdx: MDX (Markdown with JSX)")
               for ln in lines)
    imported = (site / "content/posts/its-a-post/index.md").read_text(encoding="utf-8")
    assert imported == GATSBY_POST.replace("series: 블로그 이사\n",
                                           'series: 블로그 이사\naliases: ["/it\'s-a-post/"]\n')
    assert (site / "static/favicon.ico").read_bytes() == b"ICO"

    build_site(site)
    output = site / "_site"
    post = page(output, "posts/its-a-post/index.html")
    assert post.xpath("//h1/text()") == ["It's a post"]
    assert post.xpath("//article//time/@datetime")[0].startswith("2023-11-02T21:00:00+09:00")
    assert (output / "posts/its-a-post/cover.png").read_bytes() == b"PNG cover"
    assert post.xpath("//article//img/@src") == ["/ai-digest/posts/its-a-post/cover.png"]
    assert redirect_to(output, "it's-a-post/index.html") == new_url("posts/its-a-post/")
    assert redirect_to(output, "두 번째 글/index.html") == new_url("posts/두-번째-글/")


TOML_POST = """\
+++
title = "TOML로 쓴 글"
date = 2024-02-01T23:30:00+09:00
tags = ["hugo"]

[params]
mood = "맑음"
+++
본문과 정적 그림 ![a](/img/a.png)
"""


def test_hugo_toml_posts_and_bundles(tmp_path, site, capsys):
    blog = write_files(tmp_path / "hugo", {
        "hugo.toml": """
            baseURL = "https://example.org/"
            title = "휴고 블로그"
            [permalinks]
            posts = "/:year/:month/:slug/"
            """,
        "content/posts/toml-post.md": TOML_POST,
        "content/posts/_index.md": "---\ntitle: 글 목록\n---\n",
        "content/posts/photo-story/index.md": """
            ---
            title: 사진 이야기
            date: 2024-02-02
            slug: 사진
            ---
            ![사진](photo.jpg)
            """,
        "content/posts/photo-story/photo.jpg": b"JPEG photo",
        "content/posts/kept-url.md": "---\ntitle: 주소 고정\ndate: 2024-02-03\nurl: /kept/\n---\n본문\n",
        "content/about.md": "---\ntitle: 소개\n---\n",
        "static/img/a.png": b"PNG a",
    })
    code, out, err = run_cli(["import", "--from", "hugo", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    lines = out.splitlines()
    # Hugo's :slug is the title, urlized, when there is no slug:.
    assert ("content/posts/toml-post.md → content/posts/toml-post.md "
            "(alias /2024/02/toml로-쓴-글/)") in lines
    assert ("content/posts/photo-story/index.md → content/posts/photo-story/index.md "
            "(alias /2024/02/사진/, 1 file)") in lines
    assert ("content/posts/kept-url.md → content/posts/kept-url.md (URL unchanged)") in lines
    assert "not imported content/posts/_index.md: a list page (_index.md), not a post" in lines
    assert any(ln.startswith("not imported content/about.md: a page at the top") for ln in lines)
    toml = (site / "content/posts/toml-post.md").read_text(encoding="utf-8")
    # A new top-level key goes before any [table], or it would belong to the table.
    assert toml == TOML_POST.replace("+++\n", '+++\naliases = ["/2024/02/toml로-쓴-글/"]\n', 1)
    meta = tomllib.loads(toml.split("+++\n")[1])
    assert meta["params"] == {"mood": "맑음"} and meta["aliases"] == ["/2024/02/toml로-쓴-글/"]
    kept = (site / "content/posts/kept-url.md").read_bytes()
    assert kept == (blog / "content/posts/kept-url.md").read_bytes()

    build_site(site)
    output = site / "_site"
    assert page(output, "posts/toml-post/index.html").xpath("//h1/text()") == ["TOML로 쓴 글"]
    assert (output / "img/a.png").read_bytes() == b"PNG a"
    bundle = page(output, "posts/사진/index.html")
    assert bundle.xpath("//h1/text()") == ["사진 이야기"]
    (src,) = bundle.xpath("//article//img/@src")
    assert (output / unquote(src.removeprefix("/ai-digest/"))).read_bytes() == b"JPEG photo"
    assert page(output, "kept/index.html").xpath("//h1/text()") == ["주소 고정"]
    assert redirect_to(output, "2024/02/toml로-쓴-글/index.html") == new_url("posts/toml-post/")
    assert redirect_to(output, "2024/02/사진/index.html") == new_url("posts/사진/")


def test_hugo_default_urls_need_no_alias_and_case_only_changes_are_not_aliased(tmp_path, site):
    blog = write_files(tmp_path / "hugo", {
        "config.yaml": "title: 휴고\n",
        "content/posts/same.md": "---\ntitle: 그대로\ndate: 2024-01-01\n---\n본문\n",
        "content/posts/2024/nested.md": "---\ntitle: 중첩\ndate: 2024-01-02\n---\n본문\n",
        "content/posts/cased/index.md": "---\ntitle: 대소문자\nslug: My Post\n---\n본문\n",
    })
    result = import_blog("hugo", blog, site, load_config(site))
    by_source = {p.source: p for p in result.posts}
    same = by_source["content/posts/same.md"]
    assert (same.old_url, same.alias, same.note) == ("/posts/same/", None, "URL unchanged")
    assert (site / "content/posts/same.md").read_bytes() == (blog / "content/posts/same.md"
                                                               ).read_bytes()
    nested = by_source["content/posts/2024/nested.md"]
    assert (nested.target, nested.alias) == ("content/posts/2024/nested.md", "/posts/2024/nested/")
    cased = by_source["content/posts/cased/index.md"]
    # Hugo lower-cases URLs; digestgen keeps the slug's case. A redirect differing only in case
    # would overwrite the page on macOS and Windows.
    assert (cased.old_url, cased.new_url, cased.alias) == ("/posts/my-post/", "/posts/My-Post/",
                                                           None)
    assert "only in letter case" in cased.note


def test_aliases_join_existing_redirect_lists_without_touching_other_bytes(tmp_path, site):
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2024-01-01-block.md": "---\ntitle: 블록\nredirect_from:\n  - /old-a/\n"
                                      "  - /old-b/\ntags: [x]\n---\n본문\n",
        "_posts/2024-01-02-flow.md": "---\ntitle: 흐름\naliases: [/old-c/]\n---\n본문\n",
        "_posts/2024-01-03-scalar.md": "---\ntitle: 하나\nredirect_from: /old-d/\n---\n본문\n",
        "_posts/2024-01-04-anchor.md": "---\ntitle: 앵커\naliases: &old\n  - /old-e/\n---\n본문\n",
        "_posts/2024-01-05-crlf.md": "\ufeff---\r\ntitle: 윈도우\r\n---\r\n본문\r\n".encode(),
    })
    result = import_blog("jekyll", blog, site, load_config(site))
    posts = site / "content/posts"
    assert (posts / "2024-01-01-block.md").read_text(encoding="utf-8") == (
        '---\ntitle: 블록\nredirect_from:\n  - /old-a/\n  - /old-b/\n  - "/block/"\ntags: [x]\n'
        "---\n본문\n")
    assert (posts / "2024-01-02-flow.md").read_text(encoding="utf-8") == (
        '---\ntitle: 흐름\naliases: [/old-c/, "/flow/"]\n---\n본문\n')
    assert (posts / "2024-01-03-scalar.md").read_text(encoding="utf-8") == (
        '---\ntitle: 하나\nredirect_from: [/old-d/, "/scalar/"]\n---\n본문\n')
    assert (posts / "2024-01-05-crlf.md").read_bytes() == (
        '\ufeff---\r\ntitle: 윈도우\r\naliases: ["/crlf/"]\r\n---\r\n본문\r\n'.encode())
    # An anchored list cannot be extended safely: the post comes over as it is, without alias.
    anchor = next(p for p in result.posts if p.source == "_posts/2024-01-04-anchor.md")
    assert anchor.alias is None and "add /anchor/ by hand" in anchor.note
    assert (posts / "2024-01-04-anchor.md").read_bytes() == (
        blog / "_posts/2024-01-04-anchor.md").read_bytes()
    build_site(site)
    for old in ("old-a", "old-b", "block", "old-c", "flow", "old-d", "scalar", "crlf", "old-e"):
        assert (site / "_site" / old / "index.html").is_file(), old


def test_a_site_made_inside_the_blog_folder_is_not_imported_into_itself(tmp_path, capsys):
    blog = write_files(tmp_path / "hexo", {
        "_config.yml": "title: 헥소\n",
        "source/_posts/hello.md": "---\ntitle: 안녕\ndate: 2024-01-01\n---\n본문\n",
    })
    # `cd hexo && digestgen init source/digest`, say: the site is under the blog's source/.
    site = write_site(blog / "source/digest", {"static/own.txt": "사이트 파일\n"},
                      MINIMAL_CONFIG)
    code, out, _ = run_cli(["import", "--from", "hexo", str(blog), "--source", str(site)], capsys)
    assert code == 0, out
    assert "source/_posts/hello.md → content/posts/hello.md (alias /2024/01/01/hello/)" in out
    assert sorted(p.relative_to(site / "static").as_posix()
                  for p in (site / "static").rglob("*")) == ["own.txt"]
    code, _, err = run_cli(["import", "--from", "hexo", str(site), "--source", str(site)], capsys)
    assert code == 2 and "is the site folder" in err


def test_writes_never_leave_the_site(tmp_path, jekyll):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = write_site(tmp_path / "site", {"content/.keep": ""}, MINIMAL_CONFIG)
    os.symlink(elsewhere, site / "static")  # a symlinked static/ must not lead writes out
    result = import_blog("jekyll", jekyll, site, load_config(site))
    assert any(s.source == "assets/img/chart.png" and "outside the site" in s.reason
               for s in result.skipped)
    assert list(elsewhere.iterdir()) == []
    assert not result.complete


def test_posts_in_legacy_encodings_loops_and_special_files_are_reported_as_posts(tmp_path, site,
                                                                                capsys):
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2024-01-01-cp949.md": "---\ntitle: 옛 인코딩\n---\n한글 본문\n".encode("cp949"),
        "_posts/2024-01-02-utf16.md": "---\ntitle: 두 바이트\n---\n본문\n".encode("utf-16"),
        "_posts/2024-01-03-binary.md": b"\x00\x01\x02\xff",
        "_posts/img/figure.png": b"PNG figure",
    })
    posts = blog / "_posts"
    os.symlink("loop-b.md", posts / "2024-01-04-loop-a.md")
    os.symlink("2024-01-04-loop-a.md", posts / "loop-b.md")
    os.mkfifo(posts / "2024-01-05-fifo.md")  # reading it would block the import forever
    os.mkfifo(posts / "img/pipe.png")
    code, out, _ = run_cli(["import", "--from", "jekyll", str(blog), "--source", str(site)],
                           capsys)
    assert code == 1
    lines = out.splitlines()
    assert ("_posts/2024-01-01-cp949.md → content/posts/2024-01-01-cp949.md (alias /cp949/, "
            "converted from cp949 to UTF-8)") in lines
    assert ("_posts/2024-01-02-utf16.md → content/posts/2024-01-02-utf16.md (alias /utf16/, "
            "converted from utf-16 to UTF-8)") in lines
    for rel, why in (("2024-01-03-binary.md", "line 1: binary data"),
                     ("2024-01-04-loop-a.md", "a broken symlink or a symlink loop"),
                     ("loop-b.md", "a broken symlink or a symlink loop"),
                     ("2024-01-05-fifo.md", "not a regular file"),
                     ("img/pipe.png", "not a regular file")):
        assert any(ln.startswith(f"skipped _posts/{rel}: {why}") for ln in lines), (rel, out)
    assert ("skipped _posts/img/figure.png: not a post (Jekyll does not publish other files "
            "from _posts/)") in lines
    assert lines[-1].endswith("could not import 4 posts and 2 files (listed above)"), out
    imported = site / "content/posts"
    assert (imported / "2024-01-01-cp949.md").read_text(encoding="utf-8").startswith(
        "---\ntitle: 옛 인코딩\n")
    build_site(site)
    for slug, title in (("cp949", "옛 인코딩"), ("utf16", "두 바이트")):
        assert page(site / "_site", f"posts/{slug}/index.html").xpath("//h1/text()") == [title]


# -- the blog's own settings decide its old URLs ---------------------------------------------


@pytest.mark.parametrize(("permalink", "expected"), [
    ("date", "/ai/2024/04/24/hello-world.html"),
    ("pretty", "/ai/2024/04/24/hello-world/"),
    ("ordinal", "/ai/2024/115/hello-world.html"),
    ("weekdate", "/ai/2024/W17/Wed/hello-world.html"),
    ("none", "/ai/hello-world.html"),
    ("/:categories/:year/:month/:day/:title:output_ext", "/ai/2024/04/24/hello-world.html"),
    ("/blog/:year/:i_month/:i_day/:slug/", "/blog/2024/4/24/hello-world/"),
])
def test_jekyll_permalink_styles_and_patterns(tmp_path, site, permalink, expected):
    blog = write_files(tmp_path / "blog", {
        "_config.yml": f"permalink: {permalink}\ntimezone: Asia/Seoul\n",
        "_posts/2024-04-24-hello-world.md": "---\ntitle: 안녕\ncategories: AI\n---\n본문\n",
    })
    (post,) = import_blog("jekyll", blog, site, load_config(site)).posts
    assert post.old_url == expected


def test_jekyll_defaults_give_posts_their_permalink_per_scope(tmp_path, site):
    # Chirpy sets the posts' permalink in `defaults:`, not at the top of _config.yml.
    blog = write_files(tmp_path / "chirpy", {
        "_config.yml": """
            timezone: Asia/Seoul
            defaults:
              - scope: {path: "", type: posts}
                values: {layout: post, permalink: /posts/:title/}
              - scope: {path: _posts/notes}
                values: {permalink: /notes/:title/}
              - scope: {path: "", type: tabs}
                values: {permalink: /:title/}
            """,
        "_posts/2024-04-24-첫-글.md": "---\ntitle: 첫 글\n---\n본문\n",
        "_posts/notes/2024-04-25-memo.md": "---\ntitle: 메모\n---\n본문\n",
        "_posts/2024-04-26-own.md": "---\ntitle: 제 주소\npermalink: /own/\n---\n본문\n",
    })
    result = import_blog("jekyll", blog, site, load_config(site))
    urls = {p.source: p.old_url for p in result.posts}
    assert urls == {"_posts/2024-04-24-첫-글.md": "/posts/첫-글/",
                    "_posts/notes/2024-04-25-memo.md": "/notes/memo/",
                    "_posts/2024-04-26-own.md": "/own/"}
    first = next(p for p in result.posts if p.source == "_posts/2024-04-24-첫-글.md")
    assert (first.new_url, first.alias) == ("/posts/첫-글/", None)  # the same URL: no alias


@pytest.mark.parametrize(("permalink", "expected"), [
    (":year/:month/:day/:title/", "/2024/03/05/hello-post/"),
    (":title.html", "/hello-post.html"),
    (":category/:title/", "/AI/News/hello-post/"),  # Hexo keeps the case
    (":year/:i_month/:i_day/:name/", "/2024/3/5/hello-post/"),
    ("posts/:post_title/", "/posts/새-소식/"),
    (":lang/:title/", "/ko/hello-post/"),  # from permalink_defaults
])
def test_hexo_permalink_forms(tmp_path, site, permalink, expected):
    blog = write_files(tmp_path / "hexo", {
        "_config.yml": f"permalink: {permalink}\ntimezone: Asia/Seoul\n"
                       "permalink_defaults:\n  lang: ko\n",
        "source/_posts/hello-post.md": "---\ntitle: 새 소식\ndate: 2024-03-05 09:00:00\n"
                                       "categories:\n- [AI, News]\n---\n본문\n",
    })
    (post,) = import_blog("hexo", blog, site, load_config(site)).posts
    assert post.old_url == expected


def test_hugo_split_config_go_layout_permalinks_and_languages(tmp_path, site, capsys):
    blog = write_files(tmp_path / "hugo", {
        "config/_default/hugo.toml": """
            title = "휴고"
            defaultContentLanguage = "ko"
            defaultContentLanguageInSubdir = true
            timeZone = "Asia/Seoul"
            """,
        "config/_default/permalinks.toml": 'post = "/:2006/:01/:02/:filename/"\n',
        "config/_default/languages.toml": """
            [ko]
            contentDir = "content/ko"
            weight = 1
            [en]
            contentDir = "content/en"
            weight = 2
            """,
        "content/ko/post/gas/index.md": "---\ntitle: 능력 시스템\ndate: 2024-04-03T10:00:00+09:00\n"
                                        "series: [\"GAS 정리\"]\n---\n본문\n",
        "content/ko/post/bundle/index.md": "---\ntitle: 묶음\ndate: 2024-04-04\n---\n본문\n",
        "content/ko/post/bundle/index.en.md": "---\ntitle: Bundle\ndate: 2024-04-04\n---\nText\n",
        "content/en/post/gas/index.md": "---\ntitle: Ability system\ndate: 2024-04-03\n---\nText\n",
    })
    code, out, err = run_cli(["import", "--from", "hugo", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    lines = out.splitlines()
    # The default language is the site; the other one's posts are reported, not imported.
    assert ("content/ko/post/gas/index.md → content/posts/gas/index.md "
            "(alias /ko/2024/04/03/gas/)") in lines
    assert ("not imported content/en/post/gas/index.md: the en translation (the site's "
            "language is ko); translations are not imported") in lines
    assert any(ln.startswith("not imported content/ko/post/bundle/index.en.md: the en "
                             "translation") for ln in lines)
    assert lines[-1].endswith("left 2 translations out (listed above); next: digestgen build")
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err


def test_keep_urls_keeps_each_old_url_exactly(tmp_path, jekyll, site, capsys):
    code, out, err = run_cli(["import", "--from", "jekyll", str(jekyll), "--source", str(site),
                              "--keep-urls"], capsys)
    assert code == 0, out + err
    assert ("_posts/2024-04-24-첫-글.md → content/posts/2024-04-24-첫-글.md "
            "(url /2024/04/24/첫-글.html)") in out.splitlines()
    imported = (site / "content/posts/2024-04-24-첫-글.md").read_text(encoding="utf-8")
    assert imported == JEKYLL_POST.replace("---\n옛", 'url: "/2024/04/24/첫-글.html"\n---\n옛')
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    output = site / "_site"
    # The page is at the old URL itself (a file, as Jekyll wrote it), with no redirect.
    first = page(output, "2024/04/24/첫-글.html")
    assert first.xpath("//h1/text()") == ["첫 글"]
    assert not first.xpath("//meta[@http-equiv='refresh']")
    assert not (output / "posts/첫-글").exists()


def test_an_empty_file_never_wins_a_url_over_a_post_with_text(tmp_path, site, capsys):
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2025-02-19-docker.md": b"",
        "_posts/2025-02-24-docker.md": "---\ntitle: 도커 정리\n---\n진짜 글\n",
        "_posts/2025-02-25-stub.md": "---\ntitle: 빈 글\nslug: docker\n---\n\n",
    })
    code, out, _ = run_cli(["import", "--from", "jekyll", str(blog), "--source", str(site)],
                           capsys)
    lines = out.splitlines()
    assert any(ln.startswith("_posts/2025-02-24-docker.md → content/posts/2025-02-24-docker.md")
               for ln in lines), out
    for empty in ("_posts/2025-02-19-docker.md", "_posts/2025-02-25-stub.md"):
        assert (f"not imported {empty}: it is empty (no text besides any frontmatter), and its URL "
                f"/posts/docker/ is the URL of _posts/2025-02-24-docker.md, which has text and "
                f"was kept") in lines, out
    assert code == 0  # nothing of the author's is lost


def test_settings_read_through_a_link_out_of_the_blog_are_refused(tmp_path, site, capsys):
    secret = tmp_path / "secret.yml"
    secret.write_text("permalink: /:title/\n", encoding="utf-8")
    blog = write_files(tmp_path / "blog", {"_posts/2024-01-01-a.md": "본문\n"})
    os.symlink(secret, blog / "_config.yml")
    code, _, err = run_cli(["import", "--from", "jekyll", str(blog), "--source", str(site)],
                           capsys)
    assert code == 2
    assert f"{blog / '_config.yml'}: a symlink that leads out of the blog folder" in err
    assert not list((site / "content").rglob("*.md"))


def test_raw_html_files_in_a_bundle_are_published_with_the_page(tmp_path, site, capsys):
    blog = write_files(tmp_path / "gatsby", {
        "content/blog/42.JavaBean 규약/index.md": """
            ---
            title: 자바빈 규약
            date: 2024-01-01
            ---
            <img src="./diagram.jpeg" alt="그림">

            <video src="clip.mp4" poster="./poster.png" controls></video>

            <a href="./notes.pdf">메모</a>
            """,
        "content/blog/42.JavaBean 규약/diagram.jpeg": b"JPEG",
        "content/blog/42.JavaBean 규약/clip.mp4": b"MP4",
        "content/blog/42.JavaBean 규약/poster.png": b"PNG",
        "content/blog/42.JavaBean 규약/notes.pdf": b"%PDF",
    })
    code, out, err = run_cli(["import", "--from", "gatsby", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    assert "content/posts/42-javabean-규약/index.md" in out  # a dot keeps a separator
    assert run_cli(["build", "--strict", "--source", str(site)], capsys)[0] == 0
    output = site / "_site"
    doc = page(output, "posts/42-javabean-규약/index.html")
    body = doc.xpath("//div[@class='doc-body']")[0]
    for src in [*body.xpath(".//img/@src"), *body.xpath(".//video/@src"),
                *body.xpath(".//video/@poster"), *body.xpath(".//a/@href")]:
        assert (output / unquote(src.removeprefix("/ai-digest/"))).is_file(), src


def test_hugo_bundles_link_each_other_and_static_images_theme_pages(tmp_path, site, capsys):
    blog = write_files(tmp_path / "hugo", {
        "config.toml": 'title = "휴고"\n[permalinks]\npost = "/p/:slug/"\n',
        "content/post/GAS_개요/index.md": """
            ---
            title: "GAS 개요"
            date: 2024-04-01
            ---
            ```Character.Action```으로 태그를 만든다 (코드 조각이지 울타리가 아니다).

            다음 글: [연속 공격](../gas-연속-공격-구현/), [시작](../GAS_시작/)

            ![그림](img/post/gas/gas1.png)
            """,
        "content/post/GAS_연속공격/index.md": "---\ntitle: GAS 연속 공격 구현\ndate: 2024-04-02\n---\n본문\n",
        "content/post/GAS_시작/index.md": "---\ntitle: 시작\ndate: 2024-04-03\n---\n본문\n",
        "content/page/search/index.md": "---\ntitle: Search\nlayout: search\n---\n",
        "static/img/post/gas/gas1.png": b"PNG gas",
    })
    code, out, err = run_cli(["import", "--from", "hugo", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    assert ("not imported content/page/search/index.md: a page of the theme (layout: search, "
            "no date), not a post; copy it into content/ by hand if the site needs it") in out
    # Hugo themes resolve a bundle's relative image against the site root (relURL): the file
    # from static/ is also copied beside the post, where digestgen looks.
    assert (site / "content/posts/gas-개요/img/post/gas/gas1.png").read_bytes() == b"PNG gas"
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    doc = page(site / "_site", "posts/gas-개요/index.html")
    hrefs = {a.text_content(): unquote(a.get("href")) for a in doc.xpath("//article//a")}
    assert hrefs["연속 공격"] == "/ai-digest/posts/gas-연속공격/"  # by its urlized title
    assert hrefs["시작"] == "/ai-digest/posts/gas-시작/"  # by its folder, renamed


def test_jekyll_relative_and_windows_image_paths_keep_working(tmp_path, site, capsys):
    # Typora writes image paths relative to the post's file; Windows writes backslashes, which
    # browsers read as slashes. Both worked on the old blog, and work here.
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:categories/:title/\n",
        "_posts/algo/2021-9-8-풀이.md": """
            ---
            title: 풀이
            categories: algo
            ---
            ![표](../../assets/images/table.png)

            ![창](\\assets\\images\\win.png)

            [오답 노트](../wrong-answer) 와 \\{:target="_blank"} 문법 설명
            """,
        "_posts/algo/2021-9-9-wrong-answer.md": "---\ntitle: 오답\n---\n본문\n",
        "assets/images/table.png": b"PNG table",
        "assets/images/win.png": b"PNG win",
    })
    code, out, err = run_cli(["import", "--from", "jekyll", str(blog), "--source", str(site)],
                             capsys)
    assert code == 0, out + err
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    output = site / "_site"
    doc = page(output, "posts/풀이/index.html")
    assert doc.xpath("//article//time/@datetime")[0].startswith("2021-09-08")
    for src in doc.xpath("//div[@class='doc-body']//img/@src"):
        assert (output / unquote(src.removeprefix("/ai-digest/"))).is_file(), src
    body = doc.xpath("//div[@class='doc-body']")[0]
    assert unquote(body.xpath(".//a/@href")[0]) == "/ai-digest/posts/wrong-answer/"
    assert '{:target="_blank"} 문법 설명' in body.text_content()  # escaped: shown as written
