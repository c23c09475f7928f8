"""Jekyll, Hexo, Gatsby and Obsidian content builds as it is: fixture blogs in each shape (our
own text), dropped into content/, each post gets its page, date, title and images; Jekyll and
Hexo tags become what they mean; series read in order; their edge cases (no date key, odd file
names, Liquid inside code, Obsidian links with spaces, anchors and sizes, math beside prices)
come out right."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, run_cli, write_site
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
    ("{% codeblock 제목 lang:python %}\nprint(1)\n{% endcodeblock %}",
     "**제목**\n```python\nprint(1)\n```"),
    ("{% codeblock python %}\n{% not a tag %}\n{% endcodeblock %}",
     "```python\n{% not a tag %}\n```"),
    ("{% blockquote 홍길동, 책 이름 %}\n말\n{% endblockquote %}", "> 말\\\n> — 홍길동, 책 이름"),
    ("{% note danger %}\n조심\n{% endnote %}", "> [!CAUTION]\n> 조심"),
    ("{% post_link 2024-04-25-hello-world %}", "[hello world](<dgpost:2024-04-25-hello-world>)"),
    ("{% post_link hello 인사 %}", "[인사](<dgpost:hello>)"),
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
    ("`{% raw %}{{ x }}{% endraw %}` 와 {% post_link b %}", "`{{ x }}` 와 [b](<dgpost:b>)"),
    ("` 닫히지 않은 {{ site.baseurl }}/a", "` 닫히지 않은 /a"),
    # Raw markers go wherever they are, and what they wrap stays as written, over lines too.
    ("{% highlight liquid %}\n{% raw %}{{ page.title }}{% endraw %}\n{% endhighlight %}",
     "```liquid\n{{ page.title }}\n```"),
    ("    {% raw %}{{ x }}{% endraw %}", "    {{ x }}"),
    ("{% raw %}{% include x %} {{ site.baseurl }}{% endraw %} {{ site.baseurl }}/a",
     "{% include x %} {{ site.baseurl }} /a"),
    ("{% raw %}\n{% post_link a %}\n{% highlight x %}\n{% endraw %}\n{% post_link b %}",
     "\n{% post_link a %}\n{% highlight x %}\n\n[b](<dgpost:b>)"),
    ("{% raw %}\n```\n{{ x }}\n{% endraw %}\n```\n{% post_link b %}",
     "\n```\n{{ x }}\n\n```\n[b](<dgpost:b>)"),
])
def test_tags_become_markdown(source, expected):
    assert expand(source, stem="post", bundle=False).body == expected


def test_tags_map_every_line_back_and_warn_about_unknown_ones():
    source = "첫 줄\n{% codeblock %}\ncode\n{% endcodeblock %}\n{% include foo.html %}\n{% tabs %}\n"
    done = expand(source, stem="p", bundle=False)
    body = done.body.splitlines()
    assert body[done.lines.index(5)] == "`{% include foo.html %}`"
    assert body[done.lines.index(3)] == "code"
    assert done.warnings == ((5, "unknown tag {% include %} kept as text"),
                             (6, "unknown tag {% tabs %} kept as text"))
    unclosed = expand("{% highlight py %}\nx = 1\n", stem="p", bundle=False)
    assert unclosed.body.rstrip().endswith("```") and "never closed" in unclosed.warnings[0][1]


def test_an_unclosed_raw_keeps_the_rest_as_written_with_a_warning():
    done = expand("앞 {{ site.baseurl }}/a\n{% raw %}\n{% post_link a %}\n", stem="p", bundle=False)
    assert done.body == "앞 /a\n\n{% post_link a %}\n"
    assert done.warnings == ((2, "{% raw %} is never closed with {% endraw %}; the rest of the "
                                 "post is kept as written"),)


_PLAIN = st.text(st.characters(blacklist_characters="`\n", blacklist_categories=("Cs",)),
                 max_size=60)


_SOUP = st.lists(st.sampled_from(["{%", "%}", "{{", "}}", " raw ", " endraw ", " ", "\n", "`",
                                  "```", "    ", " post_link a ", " highlight ", " endhighlight ",
                                  " blockquote ", " endblockquote ", "site.baseurl", "가", "-",
                                  " note ", " endnote ", " codeblock ", " endcodeblock ",
                                  " comment ", " endcomment ", " youtube a "]),
                 max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SOUP)
def test_any_tag_soup_maps_its_lines_back_in_order(text):
    done = expand(text, stem="p", bundle=False)
    last = text.count("\n") + 1
    lines = done.lines or tuple(range(1, done.body.count("\n") + 2))
    assert len(lines) == done.body.count("\n") + 1
    assert all(1 <= n <= last for n in lines)
    assert list(lines) == sorted(lines)  # the author's order
    assert all(1 <= line <= last for line, _ in done.warnings)


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


# -- their edge cases: no date key, odd file names, Liquid in code, Obsidian links with spaces,
# anchors, labels and embeds, math beside prices --------------------------------------------

BASE_PATH = "/ai-digest/"

EDGE_JEKYLL = {
    # A frontmatter block, but no date key: the date is the file name's.
    "content/posts/2024-04-24-no-date-key.md": "---\ntitle: 날짜 키 없는 글\ntags: [jekyll]\n---\n본문\n",
    # Odd characters in file names: each its own page, at a plain URL.
    "content/posts/2024-05-02-[AI] 소식.md": "# 대괄호 이름\n\n본문\n",
    "content/posts/2024-05-03-［주간］ 모음.md": "# 전각 괄호 이름\n\n본문\n",
    "content/posts/2024-05-04-A & B.md": "# 앰퍼샌드 이름\n\n본문\n",
    "content/posts/2024-05-05-Q:A.md": "# 콜론 이름\n\n본문\n",
    "content/posts/2024-05-06-space name.md": "# 공백 이름\n\n본문\n",
    "content/posts/2024-05-07-liquid-in-code.md": """\
        # 코드 속 Liquid

        설정은 `{{ site.baseurl }}` 와 `{% include head.html %}` 로 씁니다.

        {% highlight liquid %}
        {% raw %}{{ page.title | escape }}{% endraw %}
        {% endhighlight %}

            {% raw %}{% if page.comments %}{% endraw %} 들여쓴 코드

        {% raw %}
        본문에서 {% include note.html %} 와 {{ site.title }} 는 글자 그대로.
        {% endraw %}
        """,
}

EDGE_OBSIDIAN = {
    "content/wiki/design pattern.md": "# 디자인 패턴\n\n## 전략 패턴\n\n본문\n",
    "content/wiki/2023-07-05.md": """\
        # 7월 5일 일지

        [[design pattern]] · [[design pattern#전략 패턴]] · [[design pattern|패턴 노트]]

        ![[my diagram.png]]

        [경로 링크](/docs/wiki/design%20pattern.md#전략-패턴)
        """,
    # Obsidian embeds a note with ![[note]]; a size after the bar is not alt text.
    "content/wiki/embeds.md": """\
        ---
        created: 2024-02-01
        ---
        # 임베드

        ![[design pattern]] ![[my diagram.png|300]] ![[my diagram.png|320x200]]
        """,
    "content/wiki/assets/my diagram.png": b"\x89PNG\r\n\x1a\n",
}

EDGE_MATH = {
    "content/posts/math.md": """\
        ---
        title: 수식
        date: 2024-06-01
        ---
        인라인 $x_1$ 과 $y_1$ 그리고 $a * b * c$, 가격은 $5 와 $10.

        $$
        \\int_0^1 f(x)\\,dx = *a* + b_1
        $$
        """,
}


@pytest.fixture(scope="module")
def edge_cases(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("edge-cases") / "site",
                      {**EDGE_JEKYLL, **EDGE_OBSIDIAN, **EDGE_MATH})
    result = build_site(site)
    return result, site / "_site"


def _body(out, rel):
    return page(out, rel).xpath("//div[@class='doc-body']")[0]


def test_no_errors_and_only_the_expected_warnings(edge_cases):
    result, _ = edge_cases
    assert [d.format() for d in result.diagnostics if d.severity.name == "ERROR"] == []
    # The wiki notes have no date (notes need none); nothing else is worth a warning.
    assert {d.path for d in result.diagnostics} <= {"content/wiki/design pattern.md",
                                                    "content/wiki/2023-07-05.md"}


def test_jekyll_date_from_the_file_name_when_frontmatter_has_none(edge_cases):
    _, out = edge_cases
    doc = page(out, "posts/no-date-key/index.html")
    assert doc.findtext(".//h1").strip() == "날짜 키 없는 글"
    assert doc.xpath("//article//time/@datetime") == ["2024-04-24T00:00:00+09:00"]
    assert "/ai-digest/posts/no-date-key/" in (out / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("slug", "title", "day"), [
    ("ai-소식", "대괄호 이름", "02"),
    ("주간-모음", "전각 괄호 이름", "03"),
    ("a-b", "앰퍼샌드 이름", "04"),
    ("q-a", "콜론 이름", "05"),  # a colon between words keeps a separator
    ("space-name", "공백 이름", "06"),
])
def test_odd_file_names_get_plain_urls_titles_and_dates(edge_cases, slug, title, day):
    _, out = edge_cases
    doc = page(out, f"posts/{slug}/index.html")
    assert doc.findtext(".//h1").strip() == title
    assert len(doc.xpath("//h1")) == 1
    assert doc.xpath("//article//time/@datetime") == [f"2024-05-{day}T00:00:00+09:00"]
    listing = {a.text_content().strip(): unquote(a.get("href"))
               for a in page(out, "posts/index.html").iter("a")}
    assert listing[title] == f"{BASE_PATH}posts/{slug}/"


def test_liquid_in_code_spans_blocks_and_raw_regions_is_kept_verbatim(edge_cases):
    _, out = edge_cases
    body = _body(out, "posts/liquid-in-code/index.html")
    codes = [c.text_content() for c in body.xpath(".//code")]
    assert codes[:2] == ["{{ site.baseurl }}", "{% include head.html %}"]
    assert codes[2].strip() == "{{ page.title | escape }}"
    assert codes[3].strip() == "{% if page.comments %} 들여쓴 코드"
    text = body.text_content()
    assert "본문에서 {% include note.html %} 와 {{ site.title }} 는 글자 그대로." in text
    assert "raw %}" not in text


def test_obsidian_links_with_spaces_anchors_labels_and_embeds(edge_cases):
    _, out = edge_cases
    body = _body(out, "wiki/2023-07-05/index.html")
    links = [(a.text_content(), unquote(a.get("href"))) for a in body.xpath(".//a")]
    assert links == [
        ("design pattern", f"{BASE_PATH}wiki/design-pattern/"),
        ("design pattern", f"{BASE_PATH}wiki/design-pattern/#전략-패턴"),
        ("패턴 노트", f"{BASE_PATH}wiki/design-pattern/"),
        ("경로 링크", f"{BASE_PATH}wiki/design-pattern/#전략-패턴"),
    ]
    # The heading the anchors point at exists on the linked page.
    assert page(out, "wiki/design-pattern/index.html").xpath("//h2[@id='전략-패턴']")
    [src] = body.xpath(".//img/@src")
    assert (out / unquote(src).removeprefix(BASE_PATH)).read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_math_is_never_mangled_into_emphasis(edge_cases):
    _, out = edge_cases
    body = _body(out, "posts/math/index.html")
    # MathML (lxml's HTML parser keeps the elements, without their namespace).
    maths = body.xpath(".//math")
    assert [m.get("display") for m in maths] == ["inline", "inline", "inline", "block"]
    assert ["".join(m.itertext()) for m in maths[:3]] == ["x1", "y1", "a*b*c"]
    assert maths[3].xpath(".//msubsup") and "".join(maths[3].itertext()).endswith("*a*+b1")
    assert maths[3].getparent().get("class") == "math display"
    assert not body.xpath(".//em | .//strong")
    assert "가격은 $5 와 $10." in body.text_content()


def test_a_note_embed_links_to_the_note_and_an_image_size_is_a_size(edge_cases):
    _, out = edge_cases
    body = _body(out, "wiki/embeds/index.html")
    assert [(a.text_content(), unquote(a.get("href"))) for a in body.xpath(".//a")] == [
        ("design pattern", f"{BASE_PATH}wiki/design-pattern/")]
    images = [(i.get("alt"), i.get("width"), i.get("height")) for i in body.xpath(".//img")]
    assert images == [("my diagram", "300", None), ("my diagram", "320", "200")]


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


def test_hugo_series_list_puts_a_post_in_each_series(tmp_path, capsys):
    # Hugo's taxonomy form: `series: ["…"]` (one name) or a list of several.
    site = write_site(tmp_path / "s", {
        "content/posts/gas-1.md": '---\ntitle: 능력 1편\ndate: 2024-01-01\nseries: ["GAS 정리"]\n---\n본문\n',
        "content/posts/gas-2.md": "---\ntitle: 능력 2편\ndate: 2024-01-02\nseries:\n  - GAS 정리\n"
                                  "  - 언리얼 입문\n---\n본문\n",
        "content/posts/intro.md": "+++\ntitle = '입문 1편'\ndate = 2023-12-01\nseries = ['언리얼 입문']\n+++\n본문\n",
    })
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    out = site / "_site"
    index = page(out, "series/index.html")
    cloud = {a.xpath("string(text())").strip(): a.get("href")
             for a in index.xpath("//ul[@class='term-cloud']//a")}
    assert set(cloud) == {"GAS 정리", "언리얼 입문"}, cloud

    def listing(name):
        doc = page(out, unquote(cloud[name].removeprefix("/ai-digest/")) + "index.html")
        return [a.text_content().strip() for a in doc.xpath("//ul[@class='cards']//h2/a")]

    assert listing("GAS 정리") == ["능력 1편", "능력 2편"]
    assert listing("언리얼 입문") == ["입문 1편", "능력 2편"]
    # Its page shows its place in the first series it names.
    badge = page(out, "posts/gas-2/index.html").xpath("//p[@class='series-badge']")[0].text_content()
    assert "GAS 정리" in badge and "2편 중 2편" in badge


POSTS_ONLY = MINIMAL_CONFIG + "sections:\n  posts:\n    kind: post\n"


@pytest.mark.parametrize(("config", "wiki"), [
    (POSTS_ONLY, False),  # a site without wiki notes: [[x]] is the author's text
    (POSTS_ONLY + "markdown:\n  wikilinks: true\n", True),  # the switch turns them on
    (MINIMAL_CONFIG, True),  # the default site has a wiki section
    (MINIMAL_CONFIG + "markdown:\n  wikilinks: false\n", False),
])
def test_wiki_links_follow_the_site(tmp_path, capsys, config, wiki):
    site = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n[[b]] 를 보라\n",
        "content/posts/b.md": "---\ntitle: 비\ndate: 2024-01-02\n---\n본문\n",
    }, config)
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    body = page(site / "_site", "posts/a/index.html").xpath("//div[@class='doc-body']")[0]
    assert bool(body.xpath(".//a[@class='wikilink']")) is wiki
    assert ("[[b]]" in body.text_content()) is not wiki


CHIRPY_POST = """\
---
title: 속성 목록
date: 2024-03-01 10:00:00 +0900
---
![화면](/assets/shot.png){: width="700" height="300" }
![작게](/assets/shot.png){: w="350" h="150" .shadow }

> 알아 두면 좋은 점
{: .prompt-tip }

```sh
ls -al
```
{: file="run.sh" .nolineno }

## 목차에 없는 제목
{: data-toc-skip='' }

## 아이디 있는 제목 {#my-id}

[새 창](https://example.org/){:target="_blank"}

![흐린 미리보기](/assets/shot.png){: lqip="data:abc" }
"""


def test_kramdown_attribute_lists_are_applied_or_dropped_never_shown(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/ial.md": CHIRPY_POST,
                                       "static/assets/shot.png": b"\x89PNG\r\n\x1a\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    body = page(site / "_site", "posts/ial/index.html").xpath("//div[@class='doc-body']")[0]
    assert "{:" not in body.text_content()
    imgs = body.xpath(".//img")
    assert [(i.get("width"), i.get("height")) for i in imgs] == [
        ("700", "300"), ("350", "150"), (None, None)]
    assert imgs[1].get("class") == "shadow"
    assert body.xpath(".//blockquote/@class") == ["prompt-tip"]
    pre = body.xpath(".//pre")[0]
    assert pre.get("data-file") == "run.sh" and "nolineno" in pre.get("class")
    assert body.xpath(".//h2/@id") == ["목차에-없는-제목", "my-id"]
    doc = page(site / "_site", "posts/ial/index.html")
    assert doc.xpath("//nav[@class='toc']//a/@href") in ([], ["#my-id"])
    link = body.xpath(".//a[text()='새 창']")[0]
    assert (link.get("target"), link.get("rel")) == ("_blank", "noopener noreferrer")
    # What cannot be applied is dropped with a warning naming the line; --strict fails on it.
    assert "content/posts/ial.md:23: warning: attribute list {: lqip=\"data:abc\" }" in err
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 1 and "content/posts/ial.md:23: error: attribute list" in err
    css = (site / "_site/css/style.css").read_text(encoding="utf-8")
    assert "blockquote.prompt-tip" in css


# Every tag form in Hexo's tag-plugin docs: block tags alone on their lines and on one line,
# with and without arguments, nested; one-line tags with and without their options.
HEXO_TAGS = """\
---
title: 태그 모음
date: 2024-06-01 10:00:00
---
{% blockquote %}
인자 없는 인용
{% endblockquote %}

{% blockquote 김철수, 블로그 %}짧은 인용{% endblockquote %}

{% quote 이영희 https://example.org/post 원문 제목 %}
별칭 인용
{% endquote %}

{% blockquote @dev https://example.org/status/1 %}
트윗 인용
{% endblockquote %}

{% blockquote %}
인용 안의 코드:
{% codeblock lang:sh %}
# 주석 한 줄
ls -al
{% endcodeblock %}
{% endblockquote %}

{% codeblock %}
plain = True
{% endcodeblock %}

{% codeblock lang:objc %}[rect setX: 10];{% endcodeblock %}

{% codeblock Array.map %}
array.map(callback)
{% endcodeblock %}

{% codeblock _.compact https://example.org/compact 밑줄 문서 line_number:false mark:1 %}
_.compact([0, 1])
{% endcodeblock %}

{% code python %}
print("code alias")
{% endcode %}

{% pullquote left %}
당겨 온 인용
{% endpullquote %}

{% note warning %}
조심할 점
{% endnote %}

{% note %}한 줄 노트{% endnote %}

{% iframe https://www.youtube.com/embed/abc 640 360 %}

{% iframe https://example.org/frame 640 360 %}

{% img /images/a.png %} {% img left /images/a.png 300 200 '"그림 제목" "그림 설명"' %} {% image /images/a.png 그림 %}

{% link 예시 https://example.org/ %} {% link 예시 https://example.org/ true 링크 제목 %} {% a 별칭 https://example.org/a %}

{% youtube abcDEF %} {% youtube PLabc 'playlist' %} {% youtube abcDEF false %}

{% vimeo 12345 %} {% jsfiddle kizu/zfUyN result light 640 360 %} {% gist 1234abcd hello.rs %}

{% post_link other-post %} {% post_link other-post '다른 글로' %} [경로]({% post_path other-post %})

{% asset_img cat.png %} {% asset_img post-image cat.png %} {% asset_img cat.png 500 400 %} {% asset_img cat.png "고양이 제목'고양이 설명'" %}

{% asset_link report.pdf %} {% asset_link report.pdf 보고서 %} [파일]({% asset_path report.pdf %})

{% url_for 블로그 index.html %} {% full_url_for 주소 /images/a.png %}

{% raw %}{{ 그대로 }} {% endblockquote %}{% endraw %}
"""


def test_every_hexo_tag_form_renders(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        "content/posts/tags.md": HEXO_TAGS,
        "content/posts/tags/cat.png": b"\x89PNG\r\n\x1a\n",
        "content/posts/tags/report.pdf": b"%PDF-1.4\n",
        "content/posts/other-post.md": "---\ntitle: 다른 글\ndate: 2024-05-01\n---\n본문\n",
        "static/images/a.png": b"\x89PNG\r\n\x1a\n",
    })
    code, _, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    out = site / "_site"
    body = page(out, "posts/tags/index.html").xpath("//div[@class='doc-body']")[0]
    text = body.text_content()
    assert "{%" not in text.replace("{% endblockquote %}", "")  # only the raw one is left
    assert "{{ 그대로 }} {% endblockquote %}" in text
    quotes = body.xpath("./blockquote")
    assert "인자 없는 인용" in quotes[0].text_content()
    one_line = quotes[1].text_content()
    assert "짧은 인용" in one_line and "김철수, 블로그" in one_line
    assert "별칭 인용" in quotes[2].text_content()
    assert quotes[2].xpath(".//a/@href") == ["https://example.org/post"]
    nested = quotes[4]
    assert nested.xpath(".//pre//code")[0].text_content() == "# 주석 한 줄\nls -al\n"
    assert not body.xpath(".//h1")  # the code's "# comment" is code, not a heading
    codes = [c.text_content() for c in body.xpath("./pre//code")]
    assert codes[:5] == ["plain = True\n", "[rect setX: 10];\n", "array.map(callback)\n",
                         "_.compact([0, 1])\n", 'print("code alias")\n']
    assert "Array.map" in text and body.xpath(".//a[text()='밑줄 문서']/@href") == [
        "https://example.org/compact"]
    assert body.xpath(".//div[contains(@class,'markdown-alert')]") or "조심할 점" in text
    assert "한 줄 노트" in text and "당겨 온 인용" in text
    frames = body.xpath(".//iframe/@src")
    assert "https://www.youtube.com/embed/abc" in frames
    assert "https://www.youtube.com/embed/abcDEF" in frames
    assert "https://www.youtube.com/embed/videoseries?list=PLabc" in frames
    assert "https://www.youtube-nocookie.com/embed/abcDEF" in frames
    assert "https://player.vimeo.com/video/12345" in frames
    hrefs = {a.text_content(): a.get("href") for a in body.xpath(".//a")}
    assert hrefs["example.org"] == "https://example.org/frame"  # not a frame the site allows
    assert hrefs["jsFiddle"] == "https://jsfiddle.net/kizu/zfUyN/"
    assert hrefs["Gist 1234abcd (hello.rs)"] == "https://gist.github.com/1234abcd"
    # Without a title Hexo shows the post's; the link text here is its name.
    assert hrefs["other post"] == hrefs["다른 글로"] == hrefs["경로"] == "/ai-digest/posts/other-post/"
    assert hrefs["예시"] == "https://example.org/" and hrefs["별칭"] == "https://example.org/a"
    assert body.xpath(".//a[@title='링크 제목']/@href") == ["https://example.org/"]
    assert hrefs["report.pdf"] == hrefs["보고서"] == hrefs["파일"] == \
        "/ai-digest/posts/tags/report.pdf"
    assert hrefs["블로그"] == "/ai-digest/index.html" and hrefs["주소"] == "/ai-digest/images/a.png"
    images = body.xpath(".//img")
    assert [i.get("src") for i in images] == ["/ai-digest/images/a.png"] * 3 + [
        "/ai-digest/posts/tags/cat.png"] * 4
    sized = images[1]
    assert (sized.get("class"), sized.get("width"), sized.get("height"), sized.get("title"),
            sized.get("alt")) == ("left", "300", "200", "그림 제목", "그림 설명")
    assert images[4].get("class") == "post-image"
    assert (images[5].get("width"), images[5].get("height")) == ("500", "400")
    assert (images[6].get("title"), images[6].get("alt")) == ("고양이 제목", "고양이 설명")


def test_lines_after_a_rewritten_tag_are_still_the_authors(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/a.md": (
        "---\ntitle: 줄\ndate: 2024-06-01\n---\n"
        "{% blockquote 김철수, 블로그 %}짧은 인용{% endblockquote %}\n"  # line 5, now 3 lines
        "{% codeblock %}x = 1{% endcodeblock %}\n"  # line 6
        "![없는 그림](./nowhere.png)\n")})  # line 7
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "content/posts/a.md:7: warning: missing image './nowhere.png'" in err, err


def test_attribute_list_before_a_block_and_inside_raw_html(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/before.md": (
        "---\ntitle: 앞에 붙은 목록\ndate: 2024-03-01\n---\n"
        "앞 문단\n\n{: .prompt-warning }\n> 조심\n\n"  # kramdown: nothing right before → after
        "<details markdown=\"block\">\n<summary>코드</summary>\n{: .text-delta }\n\n본문\n\n</details>\n")})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    body = page(site / "_site", "posts/before/index.html").xpath("//div[@class='doc-body']")[0]
    assert body.xpath(".//blockquote/@class") == ["prompt-warning"]
    assert "{:" not in body.text_content()
    assert "content/posts/before.md:12: warning: attribute list {: .text-delta } inside raw " \
           "HTML cannot be applied; dropped" in err


def test_include_code_links_to_the_file_with_a_warning_and_comments_are_dropped():
    done = expand("{% include_code 예제 lang:javascript from:3 to:8 test.js %}\n"
                  "{% comment %}\n숨긴 메모\n{% endcomment %}\n보이는 글\n", stem="p", bundle=False)
    assert done.body.splitlines()[0] == "[예제](</downloads/code/test.js>)"
    assert "숨긴 메모" not in done.body and "보이는 글" in done.body
    assert done.warnings == ((1, "{% include_code %}: the file's text is not embedded; the page "
                                 "links to /downloads/code/test.js instead"),)
