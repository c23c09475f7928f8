"""What the default theme puts on a page, read from the built HTML: the words of the site's
language, share pictures and cards, image sizes, tables of contents, related documents, the
archive by year, comments and analytics, and the site.yaml keys behind them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import MINIMAL_CONFIG, build_site, page, write_site
from PIL import Image

from digestgen import i18n
from digestgen.config import parse_config
from digestgen.errors import ConfigError

BASE = "https://example.github.io/ai-digest/"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def png(width: int, height: int, alpha: bool = False) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if alpha else "RGB", (width, height)).save(out, "PNG")
    return out.getvalue()


def meta(tree) -> dict[str, str]:
    return {m.get("property") or m.get("name"): m.get("content")
            for m in tree.xpath("//meta[@property or @name]")}


def json_ld(tree) -> dict:
    [block] = tree.xpath("//script[@type='application/ld+json']/text()")
    return json.loads(block)


# -- words --------------------------------------------------------------------------------------


def test_every_language_table_has_the_same_words_and_placeholders():
    for table in i18n.TABLES.values():
        assert set(table) == set(i18n.KO)
    # Words counted in a language say the count: "{n}".
    for key in ("reading_time", "count", "series_part", "search_results"):
        assert all("n" in i18n.placeholders(t[key]) for t in i18n.TABLES.values()), key
    # A word a template reads as site.labels.NAME must not be a dict method's name.
    assert not set(i18n.KO) & set(dir(dict))


ENGLISH = {
    "content/posts/first.md": """\
        ---
        title: Open models in May
        date: 2024-05-02
        tags: [LLM, open weights]
        categories: [research]
        ---
        A short post about open models.

        ## What changed
        Text.

        ## Why it matters
        Text.

        ## What to watch
        > [!NOTE]
        > Read the licence.

        ```python
        print("hi")
        ```
        """,
    **{f"content/posts/p{k}.md": f"---\ntitle: Post {k} about LLM\ndate: 2024-04-0{k}\n"
       f"tags: [LLM]\n---\nBody {k}.\n" for k in range(1, 6)},
    "content/roundups/2024-05-w1.md": "Links of the week.\n",
    "content/wiki/models.md": "---\ncreated: 2024-01-01\n---\n# Models\n\n## Open\n\nText.\n",
    "content/about.md": "---\ntitle: About\n---\nAbout this site.\n",
}


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("en") / "site", ENGLISH,
                      MINIMAL_CONFIG.replace("language: ko", "language: en")
                      .replace("AI 다이제스트", "AI Digest") + "paginate: 2\n")
    out = root.parent / "out"
    build_site(root, output=out)
    return out


def test_an_english_site_has_no_korean_word(english):
    """Every page the site generates, not only documents: the menu, listings, archive, 404."""
    pages = sorted(english.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        rel = file.relative_to(english).as_posix()
        tree = page(english, rel)
        for script in tree.xpath("//script"):
            script.getparent().remove(script)
        text = " ".join(tree.xpath("//body//text() | //@aria-label | //@title | //@placeholder"
                                   " | //@data-copied | //@data-label | //head/title/text()"))
        assert not HANGUL.findall(text), (rel, HANGUL.findall(text)[:10])
    home = page(english, "index.html")
    assert home.xpath("//nav[@class='site-nav']//a/text()") == [
        "Posts", "Roundups", "Wiki", "Tags", "Archive", "About"]
    post = page(english, "posts/first/index.html")
    assert post.xpath("//p[@class='markdown-alert-title']/text()") == ["Note"]
    assert post.xpath("//nav[@class='toc']/h2/text()") == ["Contents"]
    roundup = page(english, "roundups/2024-05-w1/index.html")
    assert roundup.findtext(".//h1").strip() == "AI roundup: May 2024, week 1"


def test_korean_notes_say_참고(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n"
                                       "> [!NOTE]\n> 읽어 두세요.\n\n> [!TIP]\n> 팁.\n"})
    build_site(root, output=tmp_path / "out")
    tree = page(tmp_path / "out", "posts/a/index.html")
    assert tree.xpath("//p[@class='markdown-alert-title']/text()") == ["참고", "팁"]


def test_site_yaml_labels_change_single_words(tmp_path):
    config = MINIMAL_CONFIG + 'labels:\n  toc: 이 글의 차례\n  reading_time: "읽는 데 {n}분"\n'
    root = write_site(tmp_path / "s", {"content/wiki/a.md": "# 노트\n\n## 하나\n\n글.\n"}, config)
    build_site(root, output=tmp_path / "out")
    tree = page(tmp_path / "out", "wiki/a/index.html")
    assert tree.xpath("//nav[@class='toc']/h2/text()") == ["이 글의 차례"]
    assert tree.xpath("//span[@class='reading-time']/text()") == ["읽는 데 1분"]


@pytest.mark.parametrize("yaml, line, message", [
    ("labels:\n  tco: 차례\n", 6, "unknown key 'labels.tco'; did you mean 'toc'?"),
    ('labels:\n  reading_time: "{m}분"\n', 6,
     "labels.reading_time: may use only the placeholders {n}"),
    ('labels:\n  toc: "{"\n', 6, "labels.toc: Single '{' encountered"),
    ('labels:\n  date_format: "%Y"\n', 6, "set date_format at the top level"),
])
def test_labels_are_checked_against_the_table(yaml, line, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(MINIMAL_CONFIG + yaml)
    [diag] = caught.value.diagnostics
    assert diag.line == line and message in diag.message, diag.format()


def test_pagination_labels_follow_page_numbers_in_korean(tmp_path):
    posts = {f"content/posts/p{k}.md": f"---\ntitle: 글 {k}\ndate: 2024-04-{k:02d}\n---\n본문.\n"
             for k in range(1, 6)}
    root = write_site(tmp_path / "s", posts, MINIMAL_CONFIG + "paginate: 2\n")
    build_site(root, output=tmp_path / "out")
    second = page(tmp_path / "out", "page/2/index.html")
    links = {a.text_content().strip("←→ "): a.get("href")
             for a in second.xpath("//nav[@class='pagination']/a")}
    assert links == {"이전 페이지": "/ai-digest/", "다음 페이지": "/ai-digest/page/3/"}
    assert second.xpath("//a[@rel='prev']/@href") == ["/ai-digest/"]


# -- share pictures ----------------------------------------------------------------------------


SHARE = {
    # A Hugo page bundle whose cover sits beside it and is not in the text.
    "content/posts/bundle/index.md": "---\ntitle: 번들\ndate: 2024-03-01\n"
                                     "cover:\n  image: cover.png\n  alt: 표지 그림\n---\n본문.\n",
    "content/posts/bundle/cover.png": png(1200, 675),
    "content/posts/chirpy.md": "---\ntitle: 처피\ndate: 2024-03-02\nimage:\n  path: /img/hero.jpg\n"
                               "author: 김하늘\n---\n본문.\n",
    "static/img/hero.jpg": b"",
    "content/posts/external.md": "---\ntitle: 외부\ndate: 2024-03-03\n"
                                 "images: [https://cdn.example.org/a.png]\n---\n본문.\n",
    "content/posts/first.md": "---\ntitle: 첫 그림\ndate: 2024-03-04\nauthor:\n  - {name: 가, "
                              "url: https://a.example}\n  - 나\n---\n"
                              "![도식](img/flow.svg)\n\n![사진](img/photo.png)\n",
    "content/posts/img/flow.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120"/>',
    "content/posts/img/photo.png": png(640, 360, alpha=True),
    "content/posts/plain.md": "---\ntitle: 그림 없는 글\ndate: 2024-03-05\n---\n본문.\n",
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("share") / "site", {
        **SHARE, "static/img/hero.jpg": _jpeg(800, 400)},
        MINIMAL_CONFIG + "share:\n  cards: true\n")
    out = root.parent / "out"
    result = build_site(root, output=out)
    return out, result


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(out, "JPEG")
    return out.getvalue()


def test_a_frontmatter_cover_beside_the_page_is_published_and_shared(shared):
    out, _ = shared
    m = meta(page(out, "posts/bundle/index.html"))
    assert m["og:image"] == BASE + "posts/bundle/cover.png"
    assert (m["og:image:width"], m["og:image:height"], m["og:image:alt"]) == ("1200", "675",
                                                                               "표지 그림")
    assert m["twitter:card"] == "summary_large_image" and m["twitter:image"] == m["og:image"]
    assert (out / "posts/bundle/cover.png").is_file()


def test_image_path_url_and_first_image(shared):
    out, _ = shared
    chirpy = page(out, "posts/chirpy/index.html")
    assert meta(chirpy)["og:image"] == BASE + "img/hero.jpg"
    assert meta(chirpy)["og:image:width"] == "800"
    assert json_ld(chirpy)["image"] == BASE + "img/hero.jpg"
    assert json_ld(chirpy)["author"] == {"@type": "Person", "name": "김하늘"}
    assert meta(page(out, "posts/external/index.html"))["og:image"] == \
        "https://cdn.example.org/a.png"
    # The first raster image: a preview cannot show the SVG before it.
    first = page(out, "posts/first/index.html")
    assert unquote(meta(first)["og:image"]) == BASE + "posts/img/photo.png"
    assert json_ld(first)["author"] == [{"@type": "Person", "name": "가", "url": "https://a.example"},
                                        {"@type": "Person", "name": "나"}]
    assert first.xpath("//span[@class='byline']/a/@href") == ["https://a.example"]


def test_a_document_without_a_picture_gets_a_drawn_card(shared):
    out, _ = shared
    m = meta(page(out, "posts/plain/index.html"))
    assert m["og:image"] == BASE + "og/posts/plain/card.png"
    with Image.open(out / "og/posts/plain/card.png") as im:
        assert (im.format, im.size) == ("PNG", (1200, 630))
        # Hangul drawn with a real font: many dark pixels in the title band, not tofu boxes.
        band = im.convert("L").crop((80, 150, 1120, 480))
        assert sum(band.histogram()[:100]) > 5000
    home = meta(page(out, "index.html"))
    assert home["og:image"] == BASE + "og/card.png" and (out / "og/card.png").is_file()
    # Cards only for the documents that need one.
    assert sorted(p.relative_to(out / "og").as_posix()
                  for p in (out / "og").rglob("*.png")) == ["card.png", "posts/plain/card.png"]


def test_cards_are_off_unless_asked_and_a_site_default_is_used(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n본문.\n",
                                       "static/share.png": png(1200, 630)},
                      MINIMAL_CONFIG + "share:\n  image: /share.png\n")
    build_site(root, output=tmp_path / "out")
    assert not (tmp_path / "out/og").exists()
    for rel in ("index.html", "posts/a/index.html"):
        assert meta(page(tmp_path / "out", rel))["og:image"] == BASE + "share.png"


def test_no_picture_at_all_is_a_summary_card(tmp_path):
    root = write_site(tmp_path / "s", {"content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n본문.\n"})
    build_site(root, output=tmp_path / "out")
    m = meta(page(tmp_path / "out", "posts/a/index.html"))
    assert m["twitter:card"] == "summary" and "og:image" not in m


def test_share_settings_are_checked(tmp_path):
    with pytest.raises(ConfigError) as caught:
        parse_config(MINIMAL_CONFIG + "share:\n  image: ../secret.png\n")
    assert "share.image: expected a path in the site" in caught.value.diagnostics[0].message
    root = write_site(tmp_path / "s", {}, MINIMAL_CONFIG + "share:\n  cards: true\n"
                                           "  font: fonts/none.otf\n")
    with pytest.raises(ConfigError) as caught:
        build_site(root, output=tmp_path / "out")
    [diag] = caught.value.diagnostics
    assert diag.format() == ("site.yaml:7: error: share.font: no such file 'fonts/none.otf' in "
                             "the site folder")


def test_a_font_named_in_site_yaml_draws_the_cards(tmp_path):
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
    if not font.is_file():
        pytest.skip("fonts-noto-cjk is not installed")
    root = write_site(tmp_path / "s", {"content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n본문.\n",
                                       "fonts/card.ttc": font.read_bytes()},
                      MINIMAL_CONFIG + "share:\n  cards: true\n  font: fonts/card.ttc\n")
    build_site(root, output=tmp_path / "out")
    with Image.open(tmp_path / "out/og/posts/a/card.png") as im:
        assert im.size == (1200, 630)


# -- images ------------------------------------------------------------------------------------


def test_images_get_their_size_and_see_through_ones_a_class(shared):
    out, _ = shared
    body = page(out, "posts/first/index.html").xpath("//div[@class='doc-body']")[0]
    svg, photo = body.xpath(".//img")
    assert (svg.get("width"), svg.get("height")) == ("300", "120")
    assert (photo.get("width"), photo.get("height")) == ("640", "360")
    assert "see-through" in svg.get("class") and "see-through" in photo.get("class")


def test_a_size_the_author_wrote_is_kept(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n![[b.png|120]]\n\n![c](c.jpg)\n",
        "content/posts/b.png": png(400, 200), "content/posts/c.jpg": _jpeg(30, 20)})
    build_site(root, output=tmp_path / "out")
    b, c = page(tmp_path / "out", "posts/a/index.html").xpath("//div[@class='doc-body']//img")
    assert (b.get("width"), b.get("height")) == ("120", None)
    assert (c.get("width"), c.get("height"), c.get("class")) == ("30", "20", None)


# -- tables of contents, related documents, archive ---------------------------------------------


def _post(title: str, body: str, date: str = "2024-02-01", **front) -> str:
    extra = "".join(f"{k}: {v}\n" for k, v in front.items())
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}"


def test_long_posts_and_roundups_get_a_table_of_contents_and_toc_decides(tmp_path):
    three = "## 하나\n\n글.\n\n## 둘\n\n글.\n\n### 셋\n\n글.\n"
    root = write_site(tmp_path / "s", {
        "content/posts/long.md": _post("긴 글", three),
        "content/posts/short.md": _post("짧은 글", "## 하나\n\n글.\n"),
        "content/posts/asked.md": _post("부탁한 글", "## 하나\n\n글.\n", toc="true"),
        "content/posts/refused.md": _post("사양한 글", three, toc="false"),
        "content/roundups/2024-02-w1.md": three,
        "content/wiki/note.md": "# 노트\n\n## 하나\n\n글.\n",
        "content/wiki/quiet.md": "---\ntoc: false\n---\n# 조용한 노트\n\n## 하나\n\n글.\n"})
    build_site(root, output=tmp_path / "out")
    shown = {rel: bool(page(tmp_path / "out", rel).xpath("//nav[@class='toc']"))
             for rel in ("posts/long/index.html", "posts/short/index.html",
                         "posts/asked/index.html", "posts/refused/index.html",
                         "roundups/2024-02-w1/index.html", "wiki/note/index.html",
                         "wiki/quiet/index.html")}
    assert shown == {"posts/long/index.html": True, "posts/short/index.html": False,
                     "posts/asked/index.html": True, "posts/refused/index.html": False,
                     "roundups/2024-02-w1/index.html": True, "wiki/note/index.html": True,
                     "wiki/quiet/index.html": False}
    tree = page(tmp_path / "out", "posts/long/index.html")
    assert tree.xpath("//body/@class") == ["kind-post with-toc"]
    # Each heading links to itself.
    assert tree.xpath("//h2[@id='하나']/a[@class='anchor']/@href") == ["#하나"]


def test_related_documents_share_tags_and_title_words_in_a_stable_order(tmp_path):
    # In date order a, d, b, e, c, f: each post's neighbours (이전 글, 다음 글) are unrelated,
    # except f, whose previous post c is its best match.
    posts = {
        "content/posts/a.md": _post("오픈 모델 라이선스 정리", "글.", "2024-02-01",
                                    tags="[오픈소스, 라이선스]"),
        "content/posts/d.md": _post("반도체 수출 규제", "글.", "2024-02-02", tags="[정책]"),
        "content/posts/b.md": _post("오픈 모델 라이선스 비교", "글.", "2024-02-03",
                                    tags="[오픈소스, 라이선스]"),
        "content/posts/e.md": _post("반도체 공급망", "글.", "2024-02-04", tags="[정책]"),
        "content/posts/c.md": _post("라이선스 없는 모델", "글.", "2024-02-05", tags="[라이선스]"),
        "content/posts/f.md": _post("모델 라이선스 문답", "글.", "2024-02-06", tags="[라이선스]"),
    }
    root = write_site(tmp_path / "s", posts)
    build_site(root, output=tmp_path / "out")
    build_site(root, output=tmp_path / "again")

    def related(out, slug):
        return page(out, f"posts/{slug}/index.html").xpath("//section[@class='related']//a/text()")

    assert related(tmp_path / "out", "a") == ["오픈 모델 라이선스 비교", "라이선스 없는 모델",
                                              "모델 라이선스 문답"]
    assert related(tmp_path / "out", "d") == ["반도체 공급망"]
    # Not the post "이전 글" already links to.
    assert "라이선스 없는 모델" not in related(tmp_path / "out", "f")
    assert all(related(tmp_path / "out", s) == related(tmp_path / "again", s) for s in "abcdef")


def test_related_documents_can_be_switched_off(tmp_path):
    posts = {f"content/posts/{k}.md": _post(f"모델 {k}", "글.", tags="[모델]") for k in "ab"}
    root = write_site(tmp_path / "s", posts, MINIMAL_CONFIG + "related: 0\n")
    build_site(root, output=tmp_path / "out")
    assert not page(tmp_path / "out", "posts/a/index.html").xpath("//section[@class='related']")


def test_the_archive_is_an_index_of_years_with_a_page_per_year(english):
    index = page(english, "archive/index.html")
    years = index.xpath("//ul[@class='archive-years']/li/h2/a")
    assert [(a.text, a.get("href")) for a in years] == [("2024", "/ai-digest/archive/2024/")]
    assert index.xpath("//ul[@class='archive-months']//a/text()") == ["May", "April", "January"]
    year = page(english, "archive/2024/index.html")
    assert year.xpath("//section[@class='archive-month']/h2/a/text()") == [
        "May 2024", "April 2024", "January 2024"]
    assert len(year.xpath("//section[@class='archive-month']//li")) == 8
    assert (english / "archive/2024/05/index.html").is_file()


# -- comments and analytics --------------------------------------------------------------------


GISCUS = """comments:
  provider: giscus
  repo: owner/blog
  repo_id: R_kgDOAAAA
  category: Comments
  category_id: DIC_kwDOAAAA
analytics:
  provider: goatcounter
  id: mysite
"""


def test_comments_and_analytics_are_settings(tmp_path):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": _post("글", "본문."),
        "content/posts/quiet.md": _post("조용한 글", "본문.", comments="false"),
        "content/about.md": "---\ntitle: 소개\n---\n소개.\n"}, MINIMAL_CONFIG + GISCUS)
    build_site(root, output=tmp_path / "out")
    out = tmp_path / "out"
    [box] = page(out, "posts/a/index.html").xpath("//div[@class='comments-box']")
    assert {k: v for k, v in box.attrib.items() if k.startswith("data-")} == {
        "data-provider": "giscus", "data-repo": "owner/blog", "data-repo-id": "R_kgDOAAAA",
        "data-category": "Comments", "data-category-id": "DIC_kwDOAAAA",
        "data-mapping": "pathname", "data-reactions-enabled": "1", "data-lang": "ko"}
    assert not page(out, "posts/quiet/index.html").xpath("//div[@class='comments-box']")
    assert not page(out, "about/index.html").xpath("//div[@class='comments-box']")
    for rel in ("index.html", "posts/a/index.html"):
        [script] = page(out, rel).xpath("//script[@data-goatcounter]")
        assert script.get("data-goatcounter") == "https://mysite.goatcounter.com/count"
    # Without the settings, no third party is named anywhere.
    plain = write_site(tmp_path / "p", {"content/posts/a.md": _post("글", "본문.")})
    build_site(plain, output=tmp_path / "plain")
    html = (tmp_path / "plain/posts/a/index.html").read_text(encoding="utf-8")
    assert "goatcounter" not in html and "comments-box" not in html


@pytest.mark.parametrize("yaml, message", [
    ("comments:\n  provider: giscus\n  repo: owner/blog\n",
     "comments: giscus needs 'comments.repo_id'"),
    ("comments:\n  provider: utterances\n  repo: not a repo\n",
     "comments.repo: expected owner/name"),
    ("comments:\n  provider: disqus\n", "comments.provider: expected one of"),
    ("analytics:\n  provider: google\n  id: UA-1\n", "analytics.id: expected the measurement id"),
    ("analytics:\n  provider: umami\n  id: 3f1c2d4e-0000-4000-8000-000000000000\n",
     "analytics: umami needs 'analytics.src'"),
    ("analytics:\n  providr: plausible\n", "did you mean 'provider'?"),
])
def test_comment_and_analytics_settings_are_checked(yaml, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(MINIMAL_CONFIG + yaml)
    assert any(message in d.message for d in caught.value.diagnostics), \
        [d.format() for d in caught.value.diagnostics]
