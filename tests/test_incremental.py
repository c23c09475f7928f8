"""Incremental builds stay correct: after every kind of edit, a build that reuses the previous
build's state writes exactly what a build from scratch writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, tree, write_site

from digestgen.build import BuildOptions, Live, build, build_search
from digestgen.pipeline.cache import BuildCache

SITE = {
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
    root = write_site(tmp_path / "site", SITE)
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
    root = write_site(tmp_path / "site", SITE)
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
    root = write_site(tmp_path / "site", SITE)
    state = BuildCache()
    options = BuildOptions(source=root, output=tmp_path / "out")
    build(options, state)
    again = build(options, state)
    assert again.loaded == () and again.rendered == ()
