"""Audit of issue 9 (bring your blog): the cases tests/test_migrate.py and
tests/test_import_blog.py left without a test of their own, each built and read back."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from conftest import build_site, page, write_site

SITE = "/ai-digest/"

JEKYLL = {
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

OBSIDIAN = {
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

MATH = {
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
def built(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("audit-blog") / "site",
                      {**JEKYLL, **OBSIDIAN, **MATH})
    result = build_site(site)
    return result, site / "_site"


def _body(out, rel):
    return page(out, rel).xpath("//div[@class='doc-body']")[0]


def test_no_errors_and_only_the_expected_warnings(built):
    result, _ = built
    assert [d.format() for d in result.diagnostics if d.severity.name == "ERROR"] == []
    # The wiki notes have no date (notes need none); nothing else is worth a warning.
    assert {d.path for d in result.diagnostics} <= {"content/wiki/design pattern.md",
                                                    "content/wiki/2023-07-05.md"}


def test_jekyll_date_from_the_file_name_when_frontmatter_has_none(built):
    _, out = built
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
def test_odd_file_names_get_plain_urls_titles_and_dates(built, slug, title, day):
    _, out = built
    doc = page(out, f"posts/{slug}/index.html")
    assert doc.findtext(".//h1").strip() == title
    assert len(doc.xpath("//h1")) == 1
    assert doc.xpath("//article//time/@datetime") == [f"2024-05-{day}T00:00:00+09:00"]
    listing = {a.text_content().strip(): unquote(a.get("href"))
               for a in page(out, "posts/index.html").iter("a")}
    assert listing[title] == f"{SITE}posts/{slug}/"


def test_liquid_in_code_spans_blocks_and_raw_regions_is_kept_verbatim(built):
    _, out = built
    body = _body(out, "posts/liquid-in-code/index.html")
    codes = [c.text_content() for c in body.xpath(".//code")]
    assert codes[:2] == ["{{ site.baseurl }}", "{% include head.html %}"]
    assert codes[2].strip() == "{{ page.title | escape }}"
    assert codes[3].strip() == "{% if page.comments %} 들여쓴 코드"
    text = body.text_content()
    assert "본문에서 {% include note.html %} 와 {{ site.title }} 는 글자 그대로." in text
    assert "raw %}" not in text


def test_obsidian_links_with_spaces_anchors_labels_and_embeds(built):
    _, out = built
    body = _body(out, "wiki/2023-07-05/index.html")
    links = [(a.text_content(), unquote(a.get("href"))) for a in body.xpath(".//a")]
    assert links == [
        ("design pattern", f"{SITE}wiki/design-pattern/"),
        ("design pattern", f"{SITE}wiki/design-pattern/#전략-패턴"),
        ("패턴 노트", f"{SITE}wiki/design-pattern/"),
        ("경로 링크", f"{SITE}wiki/design-pattern/#전략-패턴"),
    ]
    # The heading the anchors point at exists on the linked page.
    assert page(out, "wiki/design-pattern/index.html").xpath("//h2[@id='전략-패턴']")
    [src] = body.xpath(".//img/@src")
    assert (out / unquote(src).removeprefix(SITE)).read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_math_is_never_mangled_into_emphasis(built):
    _, out = built
    body = _body(out, "posts/math/index.html")
    # MathML (lxml's HTML parser keeps the elements, without their namespace).
    maths = body.xpath(".//math")
    assert [m.get("display") for m in maths] == ["inline", "inline", "inline", "block"]
    assert ["".join(m.itertext()) for m in maths[:3]] == ["x1", "y1", "a*b*c"]
    assert maths[3].xpath(".//msubsup") and "".join(maths[3].itertext()).endswith("*a*+b1")
    assert maths[3].getparent().get("class") == "math display"
    assert not body.xpath(".//em | .//strong")
    assert "가격은 $5 와 $10." in body.text_content()


def test_a_note_embed_links_to_the_note_and_an_image_size_is_a_size(built):
    _, out = built
    body = _body(out, "wiki/embeds/index.html")
    assert [(a.text_content(), unquote(a.get("href"))) for a in body.xpath(".//a")] == [
        ("design pattern", f"{SITE}wiki/design-pattern/")]
    images = [(i.get("alt"), i.get("width"), i.get("height")) for i in body.xpath(".//img")]
    assert images == [("my diagram", "300", None), ("my diagram", "320", "200")]
