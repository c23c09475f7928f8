"""Jekyll, Hexo, Gatsby and Obsidian content builds as it is: fixture blogs in each shape (our
own text), dropped into content/, each post gets its page, date, title and images; Jekyll and
Hexo tags become what they mean; series read in order."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from conftest import build_site, page, run_cli, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.load.liquid import expand

_RAW_MARKER = re.compile(r"\{%-?\s*(?:raw|endraw)\s*-?%\}")

# -- Liquid and Hexo tags ---------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected"), [
    ("{% raw %}{{ page.title }}{% endraw %}", "{{ page.title }}"),
    ("{%- raw -%}\n```\n{{ x }}\n```\n{%- endraw -%}", "\n```\n{{ x }}\n```\n"),
    ("```\n{% raw %}{% if %}{% endraw %}\n```", "```\n{% if %}\n```"),
    ("{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}", "```ruby\nputs 1\n```"),
    ("{% codeblock 제목 lang:python %}\nprint(1)\n{% endcodeblock %}", "```python\nprint(1)\n```"),
    ("{% codeblock python %}\n{% not a tag %}\n{% endcodeblock %}",
     "```python\n{% not a tag %}\n```"),
    ("{% blockquote 홍길동, 책 이름 %}\n말\n{% endblockquote %}", ">\n> 말\\\n> — 홍길동, 책 이름"),
    ("{% note danger %}\n조심\n{% endnote %}", "> [!CAUTION]\n> 조심\n"),
    ("{% post_link 2024-04-25-hello-world %}", "[[2024-04-25-hello-world|hello world]]"),
    ("{% post_link hello 인사 %}", "[[hello|인사]]"),
    ("{% asset_img cat.png 고양이 사진 %}", '![고양이 사진](<post/cat.png> "고양이 사진")'),
    ('{% asset_img cat.png "제목" "대체 글" %}', '![대체 글](<post/cat.png> "제목")'),
    ("{% asset_link report.pdf 보고서 %}", "[보고서](<post/report.pdf>)"),
    ("![a]({{ site.baseurl }}/assets/a.png)", "![a](/assets/a.png)"),
    ("[b]({{ '/about/' | relative_url }})", "[b](/about/)"),
    ("{{ page.title }} 그대로", "{{ page.title }} 그대로"),
    ("    {% include x %} 들여쓴 코드", "    {% include x %} 들여쓴 코드"),
    # Inline code is code: {{ … }} and tags in it are kept as written.
    ("설정은 `{{ site.baseurl }}` 로", "설정은 `{{ site.baseurl }}` 로"),
    ("`{% include head.html %}` 와 ``{% post_link a %}``",
     "`{% include head.html %}` 와 ``{% post_link a %}``"),
    ("`{% raw %}{{ x }}{% endraw %}` 와 {% post_link b %}", "`{{ x }}` 와 [[b|b]]"),
    ("` 닫히지 않은 {{ site.baseurl }}/a", "` 닫히지 않은 /a"),
    # Raw markers go wherever they are, and what they wrap stays as written, over lines too.
    ("{% highlight liquid %}\n{% raw %}{{ page.title }}{% endraw %}\n{% endhighlight %}",
     "```liquid\n{{ page.title }}\n```"),
    ("    {% raw %}{{ x }}{% endraw %}", "    {{ x }}"),
    ("{% raw %}{% include x %} {{ site.baseurl }}{% endraw %} {{ site.baseurl }}/a",
     "{% include x %} {{ site.baseurl }} /a"),
    ("{% raw %}\n{% post_link a %}\n{% highlight x %}\n{% endraw %}\n{% post_link b %}",
     "\n{% post_link a %}\n{% highlight x %}\n\n[[b|b]]"),
    ("{% raw %}\n```\n{{ x }}\n{% endraw %}\n```\n{% post_link b %}",
     "\n```\n{{ x }}\n\n```\n[[b|b]]"),
])
def test_tags_become_markdown(source, expected):
    assert expand(source, stem="post", bundle=False).body == expected


def test_tags_keep_the_line_count_and_warn_about_unknown_ones():
    source = "첫 줄\n{% codeblock %}\ncode\n{% endcodeblock %}\n{% include foo.html %}\n{% tabs %}\n"
    done = expand(source, stem="p", bundle=False)
    assert done.body.count("\n") == source.count("\n")
    assert done.body.splitlines()[4] == "`{% include foo.html %}`"
    assert done.warnings == ((5, "unknown tag {% include %} kept as text"),
                             (6, "unknown tag {% tabs %} kept as text"))
    unclosed = expand("{% highlight py %}\nx = 1\n", stem="p", bundle=False)
    assert unclosed.body.endswith("```") and "never closed" in unclosed.warnings[0][1]


def test_an_unclosed_raw_keeps_the_rest_as_written_with_a_warning():
    done = expand("앞 {{ site.baseurl }}/a\n{% raw %}\n{% post_link a %}\n", stem="p", bundle=False)
    assert done.body == "앞 /a\n\n{% post_link a %}\n"
    assert done.warnings == ((2, "{% raw %} is never closed with {% endraw %}; the rest of the "
                                 "post is kept as written"),)


_PLAIN = st.text(st.characters(blacklist_characters="`\n", blacklist_categories=("Cs",)),
                 max_size=60)


_SOUP = st.lists(st.sampled_from(["{%", "%}", "{{", "}}", " raw ", " endraw ", " ", "\n", "`",
                                  "```", "    ", " post_link a ", " highlight ", " endhighlight ",
                                  " blockquote ", " endblockquote ", "site.baseurl", "가", "-"]),
                 max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SOUP)
def test_any_tag_soup_keeps_its_line_count(text):
    done = expand(text, stem="p", bundle=False)
    # Only a block tag left open adds a line: its closing fence or quote end.
    unclosed = sum(1 for _, m in done.warnings if "never closed" in m and m.endswith("%}"))
    assert done.body.count("\n") == text.count("\n") + unclosed
    assert all(1 <= line <= text.count("\n") + 1 for line, _ in done.warnings)


_LIQUID = st.sampled_from(["{{ site.baseurl }}", "{% include x.html %}", "{% post_link a %}",
                           "{{ '/a/' | relative_url }}", "{% asset_img a.png %}", "{%- if -%}", ""])


@settings(max_examples=200, deadline=None)
@given(_PLAIN, st.tuples(_LIQUID, _PLAIN, _LIQUID).map("".join), _PLAIN)
def test_code_spans_and_fences_are_never_rewritten(before, code, after):
    code = _RAW_MARKER.sub("", code)
    if not code.strip() or code.startswith(" ") or code.endswith(" "):
        code = f"x{code}x"
    line = f"{before.replace('{', '(')} `{code}` {after.replace('{', '(')}"
    assert f"`{code}`" in expand(line, stem="p", bundle=False).body
    fenced = f"```\n{code}\n```"
    assert expand(fenced, stem="p", bundle=False).body == fenced


def test_a_bundle_keeps_assets_beside_it():
    assert expand("{% asset_img a.png %}", stem="index", bundle=True).body == "![](<a.png>)"


# -- blogs built as they are -------------------------------------------------------------------

JEKYLL = {
    "content/posts/2024-04-24-first-post.md": """\
        ---
        layout: post
        date: 2024-04-24 00:03:00 +0900
        categories: [AI, 뉴스]
        ---
        # 첫 글: 제목은 H1에서

        본문입니다. ![로고]({{ site.baseurl }}/assets/logo.png)

        {% raw %}
        ```liquid
        {{ page.title }} {% if user %}안녕{% endif %}
        ```
        {% endraw %}
        """,
    "content/posts/2024-07-06-no-offset.md": "---\ntitle: 오프셋 없는 시각\ndate: 2024-07-06 20:30\n---\n본문\n",
    "content/posts/2024-05-01-no-frontmatter.md": "# 앞머리 없는 글\n\n그냥 본문.\n",
    "content/posts/2024-05-02-[AI] 소식 ［주간］ & Q:A.md": "---\ntitle: 이상한 이름\n---\n본문\n",
    "static/assets/logo.png": b"\x89PNG\r\n\x1a\n",
}

HEXO = {
    "content/posts/hexo-tags.md": """\
        ---
        title: 헥소 태그
        date: 2024-05-10 10:00:00
        tags:
          - Hexo
        ---
        {% codeblock lang:python %}
        print("안녕")
        {% endcodeblock %}

        {% blockquote 앨런 튜링, 계산 기계와 지능 %}
        기계는 생각할 수 있는가?
        {% endblockquote %}

        {% post_link 2024-05-01-no-frontmatter 앞머리 없는 글로 %}

        {% asset_img diagram.png 구조도 %}

        {% mermaid %}
        """,
    "content/posts/hexo-tags/diagram.png": b"\x89PNG\r\n\x1a\n",
}

GATSBY = {
    "content/posts/it's-a-bundle/index.md": """\
        ---
        title: "번들 글"
        description: "그림이 같은 폴더에 있는 글"
        date: 2024-06-01
        update: 2024-06-03
        series: 에이전트 입문
        tags: [에이전트]
        ---
        ![구조](./loop.png)

        수식은 $a_1 * b_2$ 그대로, $$\\sum_i x_i$$ 도 그대로, 가격 $5 에서 $10 도 그대로.
        """,
    "content/posts/it's-a-bundle/loop.png": b"\x89PNG\r\n\x1a\n",
    "content/posts/agent-part-2.md": """\
        ---
        title: "에이전트 2편"
        date: 2024-06-08
        series: 에이전트 입문
        ---
        둘째 편.
        """,
}

OBSIDIAN = {
    "content/wiki/design pattern.md": """\
        ---
        created: 2023-07-05
        ---
        # Design Pattern

        [[2023-07-05]], [[design pattern#Strategy|전략 패턴]], [[openai]], [API](/docs/wiki/openai.md#api)

        ![[diagram.png]]

        ## Strategy
        """,
    "content/wiki/2023-07-05.md": "# 2023년 7월 5일 일지\n\n읽은 것들.\n",
    "content/wiki/openai.md": "---\ncreated: 2023-03-01\n---\n# OpenAI\n\n## API\n",
    "content/wiki/res/diagram.png": b"\x89PNG\r\n\x1a\n",
}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    root = tmp_path_factory.mktemp("migrated")
    site = write_site(root / "site", {**JEKYLL, **HEXO, **GATSBY, **OBSIDIAN})
    result = build_site(site)
    return result, site / "_site"


def test_every_post_has_its_page(migrated):
    result, out = migrated
    assert [d for d in result.diagnostics if d.severity.name == "ERROR"] == []
    for rel, title in (
        ("posts/first-post/", "첫 글: 제목은 H1에서"),
        ("posts/no-offset/", "오프셋 없는 시각"),
        ("posts/no-frontmatter/", "앞머리 없는 글"),
        ("posts/hexo-tags/", "헥소 태그"),
        ("posts/its-a-bundle/", "번들 글"),
        ("posts/agent-part-2/", "에이전트 2편"),
        ("wiki/design-pattern/", "Design Pattern"),
        ("wiki/2023-07-05/", "2023년 7월 5일 일지"),
    ):
        doc = page(out, rel + "index.html")
        assert doc.findtext(".//h1").strip() == title, rel
        assert len(doc.xpath("//h1")) == 1, rel  # the H1 title is not shown twice
    odd = [p for p in (out / "posts").iterdir() if "소식" in p.name]
    assert len(odd) == 1 and (odd[0] / "index.html").is_file()


def test_dates_from_offsets_site_timezone_and_file_names(migrated):
    _, out = migrated
    when = {rel: page(out, f"posts/{rel}/index.html").xpath("//article//time/@datetime")
            for rel in ("first-post", "no-offset", "no-frontmatter", "its-a-bundle")}
    assert when["first-post"][0] == "2024-04-24T00:03:00+09:00"
    assert when["no-offset"][0] == "2024-07-06T20:30:00+09:00"
    assert when["no-frontmatter"][0] == "2024-05-01T00:00:00+09:00"
    assert when["its-a-bundle"] == ["2024-06-01T00:00:00+09:00", "2024-06-03T00:00:00+09:00"]


def test_liquid_stays_verbatim_and_site_urls_resolve(migrated):
    _, out = migrated
    doc = page(out, "posts/first-post/index.html")
    code = doc.xpath("//pre")[0].text_content()
    assert "{{ page.title }} {% if user %}안녕{% endif %}" in code
    assert "raw %}" not in doc.xpath("//div[@class='doc-body']")[0].text_content()
    assert doc.xpath("//img/@src") == ["/ai-digest/assets/logo.png"]
    assert (out / "assets/logo.png").is_file()


def test_hexo_tags_render_as_what_they_mean(migrated):
    result, out = migrated
    doc = page(out, "posts/hexo-tags/index.html")
    body = doc.xpath("//div[@class='doc-body']")[0]
    assert body.xpath(".//pre/code[@class='language-python']")[0].text_content().strip() == \
        'print("안녕")'
    quote = body.xpath(".//blockquote")[0].text_content()
    assert "기계는 생각할 수 있는가?" in quote and "— 앨런 튜링, 계산 기계와 지능" in quote
    link = body.xpath(".//a[normalize-space()='앞머리 없는 글로']/@href")
    assert link == ["/ai-digest/posts/no-frontmatter/"]
    [img] = body.xpath(".//img")
    assert img.get("alt") == "구조도"
    assert (out / img.get("src").removeprefix("/ai-digest/")).is_file()
    assert body.xpath(".//code[normalize-space()='{% mermaid %}']")  # kept, visibly
    assert any(d.path == "content/posts/hexo-tags.md" and d.line == 19
               and "unknown tag {% mermaid %}" in d.message for d in result.diagnostics)


def test_gatsby_bundle_images_sit_beside_the_page_and_math_stays_readable(migrated):
    _, out = migrated
    doc = page(out, "posts/its-a-bundle/index.html")
    assert doc.xpath("//div[@class='doc-body']//img/@src") == ["/ai-digest/posts/its-a-bundle/loop.png"]
    assert (out / "posts/its-a-bundle/loop.png").is_file()
    body = doc.xpath("//div[@class='doc-body']")[0]
    # MathML (lxml's HTML parser keeps the elements, without their namespace).
    inline, display = body.xpath(".//math")
    assert "".join(inline.itertext()) == "a1*b2" and inline.get("display") == "inline"
    assert display.xpath("./mrow/munder/mo")[0].text == "∑"
    assert display.getparent().get("class") == "math display"
    assert not body.xpath(".//em")  # a_1 * b_2 * … never became emphasis
    assert "가격 $5 에서 $10 도 그대로" in body.text_content()


def test_obsidian_links_and_embeds(migrated):
    result, out = migrated
    doc = page(out, "wiki/design-pattern/index.html")
    hrefs = {a.text_content(): a.get("href") for a in doc.xpath("//div[@class='doc-body']//a")}
    assert hrefs["2023-07-05"] == "/ai-digest/wiki/2023-07-05/"
    assert hrefs["전략 패턴"] == "/ai-digest/wiki/design-pattern/#strategy"
    assert hrefs["openai"] == "/ai-digest/wiki/openai/"
    assert hrefs["API"] == "/ai-digest/wiki/openai/#api"
    src = doc.xpath("//div[@class='doc-body']//img/@src")[0]
    assert (out / src.removeprefix("/ai-digest/")).is_file()
    assert not [d for d in result.diagnostics if d.path.startswith("content/wiki/")]


# -- series -----------------------------------------------------------------------------------


def test_series_pages_parts_and_neighbours(migrated):
    _, out = migrated
    first = page(out, "posts/its-a-bundle/index.html")
    badge = first.xpath("//p[@class='series-badge']")[0]
    assert "에이전트 입문" in badge.text_content() and "2편 중 1편" in badge.text_content()
    series_url = badge.xpath(".//a/@href")[0]
    nav = first.xpath("//nav[contains(@class, 'series-nav')]//a")
    assert [(a.get("class"), a.get("href")) for a in nav] == [
        ("next", "/ai-digest/posts/agent-part-2/")]
    second = page(out, "posts/agent-part-2/index.html")
    assert "2편 중 2편" in second.xpath("//p[@class='series-badge']")[0].text_content()
    listing = page(out, unquote(series_url.removeprefix("/ai-digest/")) + "index.html")
    assert [a.text_content().strip() for a in listing.xpath("//ul[@class='cards']//h2/a")] == [
        "번들 글", "에이전트 2편"]  # reading order, first part first
    index = page(out, "series/index.html")
    assert {a.get("href") for a in index.xpath("//ul[@class='term-cloud']//a")} == {series_url}


def test_roundups_form_a_series_of_their_own(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        f"content/roundups/2024-04-w{w}.md": f"### {w}주차 소식\n\n- 항목\n" for w in (2, 3, 4)})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    doc = page(site / "_site", "roundups/2024-04-w3/index.html")
    badge = doc.xpath("//p[@class='series-badge']")[0].text_content()
    assert "주간 AI 모음" in badge and "3편 중 2편" in badge
    nav = {a.get("class"): a.get("href") for a in doc.xpath("//nav[contains(@class,'series-nav')]//a")}
    assert nav == {"prev": "/ai-digest/roundups/2024-04-w2/",
                   "next": "/ai-digest/roundups/2024-04-w4/"}
    # The section's neighbours are the series' here: one navigation, not two alike.
    assert len(doc.xpath("//nav[contains(@class,'prev-next')]")) == 1
    sitemap = (site / "_site/sitemap.xml").read_text(encoding="utf-8")
    assert "/series/" in sitemap
