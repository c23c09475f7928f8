"""What the render stage's shortcuts must not change: a site's own templates still win over the
memoised cards, a kept environment notices edits, and a document view's key changes with
anything the view shows."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime

from conftest import MINIMAL_CONFIG, page, write_site

from digestgen.build import BuildOptions, Live, build
from digestgen.model import Heading, Link, SeriesNav, TermLink
from digestgen.pipeline.cache import BuildCache
from digestgen.render.env import begin_build, make_environment, theme_dir
from digestgen.render.views import DocView, ShareImage, doc_view, with_extras

SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, 정책]\n"
                              "categories: [연구]\n---\n알파 본문.\n",
    "content/posts/beta.md": "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n베타 본문.\n",
}
LISTINGS = ("index.html", "posts/index.html", "tags/모델/index.html", "tags/정책/index.html",
            "categories/연구/index.html", "archive/2024/05/index.html")


def own_macros(mark: str) -> str:
    """The theme's _macros.html with a card of the site's own."""
    theme = (theme_dir() / "templates" / "_macros.html").read_text(encoding="utf-8")
    ours = theme.replace('<li class="card card-{{ item.kind }}">',
                         f'<li class="card {mark}" data-title="{{{{ item.title }}}}">')
    assert ours != theme
    return ours


def card_titles(output, rel: str, mark: str) -> list[str]:
    return page(output, rel).xpath(f"//li[contains(@class, '{mark}')]/@data-title")


def test_a_sites_own_card_macro_is_used_in_every_listing(tmp_path):
    root = write_site(tmp_path / "site", {**SITE, "templates/_macros.html": own_macros("mine")})
    output = build(BuildOptions(source=root)).output
    assert card_titles(output, "index.html", "mine") == ["베타", "알파"]
    for rel in LISTINGS[1:]:
        assert card_titles(output, rel, "mine"), rel
    assert card_titles(output, "tags/정책/index.html", "mine") == ["알파"]


def test_a_kept_build_state_sees_an_edited_card_macro(tmp_path):
    root = write_site(tmp_path / "site", {**SITE, "templates/_macros.html": own_macros("one")})
    state = BuildCache()
    options = BuildOptions(source=root, output=tmp_path / "out")
    build(options, state, live=Live())
    assert card_titles(options.output, "tags/모델/index.html", "one") == ["베타", "알파"]
    (root / "templates/_macros.html").write_text(own_macros("two"), encoding="utf-8")
    build(options, state, live=Live(frozenset({"templates/_macros.html"}), False))
    for rel in LISTINGS:
        assert card_titles(options.output, rel, "one") == [], rel
        assert card_titles(options.output, rel, "two"), rel


def test_a_kept_build_state_sees_a_renamed_section(tmp_path):
    config = MINIMAL_CONFIG + "sections:\n  posts:\n    title: {}\n"
    root = write_site(tmp_path / "site", SITE, config.format("글"))
    state = BuildCache()
    options = BuildOptions(source=root, output=tmp_path / "out")
    build(options, state, live=Live())
    (root / "site.yaml").write_text(config.format("소식"), encoding="utf-8")
    build(options, state, live=Live(frozenset({"site.yaml"}), False))
    doc = page(options.output, "posts/alpha/index.html")
    assert doc.xpath("//p[@class='doc-section']/a/text()") == ["소식"]
    assert page(options.output, "index.html").xpath(
        "//p[@class='card-section']/a/text()") == ["소식", "소식"]


def test_a_kept_environment_compiles_an_edited_template_again(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "x.html").write_text("one", encoding="utf-8")
    env = make_environment(folder, "%Y-%m-%d")
    begin_build(env)
    assert env.get_template("x.html").render() == "one"
    (folder / "x.html").write_text("two", encoding="utf-8")
    later = os.stat(folder / "x.html").st_mtime + 10
    os.utime(folder / "x.html", (later, later))
    assert env.get_template("x.html").render() == "one"  # not stat'ed during a build
    begin_build(env)
    assert env.get_template("x.html").render() == "two"


def test_a_document_views_key_changes_with_each_field_it_shows(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    site = build(BuildOptions(source=root)).site
    assert site is not None
    base = next(p for p in site.pages if p.doc.title == "알파")
    section = Link("글", "/posts/")
    doc, when = base.doc, datetime(2020, 1, 2, tzinfo=UTC)
    tag = base.tags[0]

    def with_doc(**changes):
        return dataclasses.replace(base, doc=dataclasses.replace(doc, **changes)), section

    def with_page(**changes):
        return dataclasses.replace(base, **changes), section

    variants = {
        "title": [with_doc(title="다른 제목")],
        "url": [with_page(url="/other/")],
        "canonical": [with_page(abs_url="https://example.org/other/")],
        "description": [with_doc(summary="다른 요약")],
        "kind": [with_doc(kind="wiki")],
        "section": [(base, Link("소식", "/posts/")), (base, Link("글", "/news/")), (base, None)],
        "date": [with_doc(date=when)],
        "updated": [with_doc(updated=when)],
        "tags": [with_page(tags=(TermLink("다른", tag.url), *base.tags[1:])),
                 with_page(tags=(TermLink(tag.name, "/x/"), *base.tags[1:])),
                 with_page(tags=base.tags[1:])],
        "categories": [with_page(categories=())],
        "body": [with_page(body_html=base.body_html + "<p>더</p>")],
        "toc": [with_doc(toc=(Heading(2, "a", "가"),)), with_doc(toc=(Heading(3, "a", "가"),)),
                with_doc(toc=(Heading(2, "b", "가"),)), with_doc(toc=(Heading(2, "a", "나"),))],
        "reading_minutes": [with_doc(reading_minutes=doc.reading_minutes + 1)],
        "prev": [with_page(prev=Link("이전", "/p/")), with_page(prev=Link("이전", "/q/"))],
        "next": [with_page(next=Link("다음", "/n/"))],
        "backlinks": [with_page(backlinks=(Link("가리킴", "/b/"),))],
        "draft": [with_doc(draft=not doc.draft)],
        "source": [with_doc(source="content/posts/other.md")],
        "brief": [with_doc(brief={"cover": ("표지",)})],
        "params": [with_doc(params={"hero": "a.png"})],
        "series": [with_page(series=SeriesNav("연재", "/series/x/", 1, 2)),
                   with_page(series=SeriesNav("연재", "/series/x/", 2, 2))],
    }
    # Made from the fields above (the body, params, toc, kind), so covered by their cases:
    derived = {"show_toc", "features", "authors", "comments"}
    # Made each build from the rest of the site: with_extras digests them (tested below).
    extras = {"related", "image"}
    assert set(variants) == {f.name for f in dataclasses.fields(DocView)} - {"key"} - derived \
        - extras
    key = doc_view(base, section).key
    assert doc_view(dataclasses.replace(base), Link("글", "/posts/")).key == key
    seen = {key}
    for name, cases in variants.items():
        for changed, its_section in cases:
            other = doc_view(changed, its_section).key
            assert other not in seen, name
            seen.add(other)


def test_a_views_key_changes_with_what_is_added_each_build(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    site = build(BuildOptions(source=root)).site
    base = doc_view(next(p for p in site.pages if p.doc.title == "알파"), Link("글", "/posts/"))
    assert with_extras(base).key == base.key
    cases = [with_extras(base, body=str(base.body) + '<img width="2">'),
             with_extras(base, related=(Link("베타", "/posts/beta/"),)),
             with_extras(base, related=(Link("베타", "/posts/b/"),)),
             with_extras(base, image=ShareImage("https://example.org/a.png", 10, 10)),
             with_extras(base, image=ShareImage("https://example.org/a.png", 10, 11))]
    keys = {base.key, *(c.key for c in cases)}
    assert len(keys) == len(cases) + 1
