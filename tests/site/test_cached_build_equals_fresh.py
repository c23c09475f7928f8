"""A cached build always equals a build from scratch, byte for byte.

A random site is edited step by step (documents, templates reached through computed includes
and imports and from inside macros, static files, site.yaml; additions, deletions, renames),
and after every step three builds are compared: the disk-cached build (``digestgen build``),
the in-memory rebuild ``serve`` makes when told which files changed, and a ``--no-cache``
build. The same holds for each kind of edit one at a time (body, title, date, tag, a file added
or deleted, a template, a static file, site.yaml), and a kept state renders only what an edit
touches. (The disk cache's own honesty, against damage and forgery, is tests/site/test_cache.py;
the search index's updates, tests/site/test_search_incremental.py.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, tree, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestgen.build import BuildOptions, Live, build, build_search
from digestgen.pipeline.cache import BuildCache
from digestgen.theme_location import theme_dir

POST = "---\ntitle: {title}\ndate: 2024-05-{day:02d}\ntags: [{tag}]\nm: {macro}\n---\n{body}\n"

SITE = {
    "content/posts/alpha.md": POST.format(title="알파", day=1, tag="모델", macro="a",
                                          body="알파 본문. [베타](beta.md)"),
    "content/posts/beta.md": POST.format(title="베타", day=2, tag="정책", macro="b",
                                         body="베타 본문."),
    "content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n[[alpha]] 참고.\n",
    # The partial and the macro module are chosen by computed names; the macro includes a
    # template of its own. None of them can be found by reading the templates' text.
    "templates/post.html": (
        '{% extends "document.html" %}\n{% block after_body %}'
        '{% include "partials/" ~ page.kind ~ ".html" ignore missing %}'
        '{% import "macros/" ~ page.params.get("m", "a") ~ ".html" as mm %}'
        '{{ mm.sig(page.title) }}{% endblock %}\n'),
    "templates/partials/post.html": '<p class="partial">첫 조각</p>\n',
    "templates/macros/a.html": ('{% macro sig(t) %}<p class="sig">A {{ t }} '
                                '{% include "macros/inner.html" %}</p>{% endmacro %}\n'),
    "templates/macros/b.html": '{% macro sig(t) %}<p class="sig">B {{ t }}</p>{% endmacro %}\n',
    "templates/macros/inner.html": "<i>안쪽 1</i>\n",
    "static/css/extra.css": "p { color: red; }\n",
}

# Each step: (what it does to the site, whether it creates, deletes or moves a file).
STEPS = {
    "edit partial": (lambda r, n: _put(r, "templates/partials/post.html",
                                       f'<p class="partial">조각 {n}</p>\n'), False),
    "delete partial": (lambda r, n: _drop(r, "templates/partials/post.html"), True),
    "add partial": (lambda r, n: _put(r, "templates/partials/post.html",
                                      f'<p class="partial">새 조각 {n}</p>\n'), True),
    "edit inner": (lambda r, n: _put(r, "templates/macros/inner.html", f"<i>안쪽 {n}</i>\n"),
                   False),
    "edit macro b": (lambda r, n: _put(r, "templates/macros/b.html",
                                       f'{{% macro sig(t) %}}<b>B{n} {{{{ t }}}}</b>'
                                       f'{{% endmacro %}}\n'), False),
    "switch macro": (lambda r, n: _sub(r, "content/posts/alpha.md", ("m: a", "m: b"),
                                       ("m: b", "m: a")), False),
    "edit body": (lambda r, n: _sub(r, "content/posts/beta.md", ("베타 본문", f"베타 {n}"),
                                    ("베타 ", "베타 본문 ")), False),
    "edit title": (lambda r, n: _sub(r, "content/posts/beta.md", ("title: 베타", f"title: 새 {n}"),
                                     ("title: 새", "title: 베타")), False),
    "add post": (lambda r, n: _put(r, f"content/posts/new-{n}.md", POST.format(
        title=f"새 글 {n}", day=10 + n % 15, tag="모델", macro="a", body=f"새 글 {n}.")), True),
    "delete post": (lambda r, n: _drop_any(r, "content/posts/new-*.md"), True),
    "rename post": (lambda r, n: _rename_any(r, "content/posts/new-*.md",
                                             f"content/posts/moved-{n}.md"), True),
    "edit static": (lambda r, n: _put(r, "static/css/extra.css", f"p {{ margin: {n}px; }}\n"),
                    False),
    "add static": (lambda r, n: _put(r, f"static/f{n}.txt", f"파일 {n}\n"), True),
    "delete static": (lambda r, n: _drop_any(r, "static/f*.txt"), True),
    "edit site.yaml": (lambda r, n: _put(r, "site.yaml", MINIMAL_CONFIG + f"paginate: {1 + n % 3}\n"),
                       False),
    "override 404": (lambda r, n: _put(r, "templates/404.html",
                                       f"<!doctype html><title>없음 {n}</title>\n"), True),
}


def _put(root: Path, rel: str, text: str) -> set[str]:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return {rel}


def _drop(root: Path, rel: str) -> set[str]:
    (root / rel).unlink(missing_ok=True)
    return {rel}


def _drop_any(root: Path, pattern: str) -> set[str]:
    found = sorted(root.glob(pattern))
    if found:
        found[0].unlink()
        return {found[0].relative_to(root).as_posix()}
    return set()


def _rename_any(root: Path, pattern: str, to: str) -> set[str]:
    found = sorted(root.glob(pattern))
    if not found:
        return set()
    found[0].rename(root / to)
    return {found[0].relative_to(root).as_posix(), to}


def _sub(root: Path, rel: str, *pairs: tuple[str, str]) -> set[str]:
    text = (root / rel).read_text(encoding="utf-8")
    for old, new in pairs:
        if old in text:
            (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
            break
    return {rel}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(st.lists(st.sampled_from(sorted(STEPS)), min_size=3, max_size=6))
def test_a_cached_build_equals_a_build_from_scratch_after_every_step(steps):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        root = write_site(work / "site", SITE)
        live_out = work / "live"
        kept = BuildCache()
        build(BuildOptions(source=root, cache=True))
        build_search(build(BuildOptions(source=root, output=live_out), kept, live=Live()))
        for n, name in enumerate(steps, 1):
            change, structural = STEPS[name]
            changed = change(root, n)
            build(BuildOptions(source=root, cache=True))
            build_search(build(BuildOptions(source=root, output=live_out), kept,
                               live=Live(frozenset(changed), structural)))
            fresh = work / f"fresh-{n}"
            build(BuildOptions(source=root, output=fresh, cache=False))
            want = tree(fresh)
            assert tree(root / "_site") == want, (steps[:n], "build")
            assert tree(live_out) == want, (steps[:n], "serve")


def test_an_edited_partial_reached_by_a_computed_name_is_rendered_again(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    build(BuildOptions(source=root, cache=True))
    page = root / "_site/posts/alpha/index.html"
    assert "첫 조각" in page.read_text(encoding="utf-8")
    _put(root, "templates/partials/post.html", '<p class="partial">고친 조각</p>\n')
    again = build(BuildOptions(source=root, cache=True))
    assert "posts/alpha/index.html" in again.rendered
    assert "고친 조각" in page.read_text(encoding="utf-8")
    # A template no page reads is not a reason to render anything.
    _put(root, "templates/partials/unused.html", "<p>아무도 안 씀</p>\n")
    assert build(BuildOptions(source=root, cache=True)).rendered == ()


def test_a_template_included_from_inside_a_remembered_macro_counts_for_every_page(tmp_path):
    # The card macro's output is made once per build and reused in every listing; the
    # template it includes must still count as read by every page that shows the card.
    theme = (theme_dir() / "templates/_macros.html").read_text(encoding="utf-8")
    opening = '{% macro card(item, site) %}\n'
    assert opening in theme
    macros = theme.replace(opening, opening + '{% include "card-extra.html" %}\n')
    site = {**SITE, "templates/_macros.html": macros, "templates/card-extra.html": "<p>덧 1</p>\n"}
    root = write_site(tmp_path / "site", site)
    build(BuildOptions(source=root, cache=True))
    _put(root, "templates/card-extra.html", "<p>덧 2</p>\n")
    build(BuildOptions(source=root, cache=True))
    build(BuildOptions(source=root, output=tmp_path / "fresh", cache=False))
    assert tree(root / "_site") == tree(tmp_path / "fresh")
    for listing in ("index.html", "tags/모델/index.html", "posts/index.html"):
        text = (root / "_site" / listing).read_text(encoding="utf-8")
        assert "덧 2" in text and "덧 1" not in text, listing


# -- serve's kept state, told which files changed, on a site of the default theme ----------

PLAIN_SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, 정책]\n---\n"
                              "알파 본문. [베타](beta.md)\n",
    "content/posts/beta.md": "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n베타 본문.\n",
    "content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\ncategories: [연구]\n---\n감마.\n",
    "content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n[[alpha]] 참고.\n",
    "static/css/extra.css": "p { color: red; }\n",
}


def edit(root: Path, rel: str, text: str | None) -> None:
    path = root / rel
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


EDITS = {
    "body only": [("content/posts/alpha.md", "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, "
                   "정책]\n---\n알파 본문을 고쳤습니다. [베타](beta.md)\n")],
    "title": [("content/posts/beta.md", "---\ntitle: 새 베타\ndate: 2024-06-01\ntags: [모델]\n"
               "---\n베타 본문.\n")],
    "date moves a post": [("content/posts/gamma.md", "---\ntitle: 감마\ndate: 2023-01-01\n"
                           "categories: [연구]\n---\n감마.\n")],
    "tag renamed": [("content/posts/beta.md", "---\ntitle: 베타\ndate: 2024-06-01\ntags: [에이전트]\n"
                     "---\n베타 본문.\n")],
    "file added": [("content/posts/delta.md", "---\ntitle: 델타\ndate: 2024-08-01\ntags: [모델]\n"
                    "---\n새 글.\n")],
    "file deleted": [("content/posts/gamma.md", None)],
    "template": [("templates/post.html", '{% extends "document.html" %}\n'
                  '{% block after_body %}<p class="sig">끝</p>{% endblock %}\n')],
    "static": [("static/css/extra.css", "p { color: blue; }\n")],
    "site.yaml": [("site.yaml", MINIMAL_CONFIG + "paginate: 1\n")],
}


@pytest.mark.parametrize("name", list(EDITS))
def test_state_reusing_build_equals_a_fresh_build(tmp_path, name):
    root = write_site(tmp_path / "site", PLAIN_SITE)
    state = BuildCache()
    kept = tmp_path / "kept"
    options = BuildOptions(source=root, output=kept)
    build_search(build(options, state, live=Live()))
    changed = set()
    for rel, text in EDITS[name]:
        edit(root, rel, text)
        changed.add(rel)
    structural = name in ("file added", "file deleted")
    result = build(options, state, live=Live(frozenset(changed), structural))
    build_search(result)
    fresh = build(BuildOptions(source=root, output=tmp_path / "fresh"))
    assert fresh.output.is_dir()
    assert tree(kept) == tree(tmp_path / "fresh")


def test_a_body_edit_patches_the_graph_and_renders_little(tmp_path):
    root = write_site(tmp_path / "site", PLAIN_SITE)
    state = BuildCache()
    options = BuildOptions(source=root, output=tmp_path / "out")
    build(options, state, live=Live())
    before = state.graph.site
    edit(root, "content/posts/beta.md", "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n"
         "베타를 고쳤습니다.\n")
    result = build(options, state, live=Live(frozenset({"content/posts/beta.md"}), False))
    assert result.loaded == ("content/posts/beta.md",)
    assert state.graph.site is not before and state.graph.site.tags[0].pages[0].doc.text.startswith(
        "베타를 고쳤습니다")
    rendered = set(result.rendered)
    assert "posts/beta/index.html" in rendered and "posts/alpha/index.html" not in rendered
    assert "archive/index.html" not in rendered  # the archive lists titles, not bodies


def test_a_second_build_renders_nothing(tmp_path):
    root = write_site(tmp_path / "site", PLAIN_SITE)
    state = BuildCache()
    options = BuildOptions(source=root, output=tmp_path / "out")
    build(options, state)
    again = build(options, state)
    assert again.loaded == () and again.rendered == ()
