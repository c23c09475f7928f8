"""`digestgen serve`'s watcher, with real files changed the ways authors and their tools change
them: folders deleted, restored and swapped by a rename, files saved by editors and `sed -i`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from conftest import Running, write_site

from digestgen.serve.watch import is_scratch

SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파 글\ndate: 2024-05-01\n---\n알파 본문입니다.\n",
    "content/posts/beta.md": "---\ntitle: 베타 글\ndate: 2024-06-01\n---\n베타 본문입니다.\n",
    "templates/wiki.html": '{% extends "document.html" %}\n',
    "content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n노트 본문.\n",
    "static/css/style.css": "body { color: rgb(1, 2, 3); }\n",
}
ALPHA = "---\ntitle: 알파 글\ndate: 2024-05-01\n---\n{}\n"


@pytest.fixture
def running(tmp_path):
    r = Running(write_site(tmp_path / "site", SITE))
    yield r
    r.close()


def shows(running: Running, path: str, text: str) -> bool:
    status, html = running.get(path)
    return status == 200 and text in html


def rebuild_lines(running: Running) -> list[str]:
    return [m for m in running.messages if m.startswith("rebuilt in")]


def test_deleting_content_empties_the_site_and_restoring_it_is_watched_again(running, tmp_path):
    backup = tmp_path / "backup"
    shutil.copytree(running.root / "content", backup)
    running.after(lambda: shutil.rmtree(running.root / "content"), "deleting content/")
    assert running.preview.last.documents == 0
    assert running.get("posts/alpha/")[0] == 404
    running.after(lambda: shutil.copytree(backup, running.root / "content"), "restoring it")
    assert shows(running, "posts/alpha/", "알파 본문입니다.")
    running.edit("content/posts/alpha.md", ALPHA.format("복원한 뒤에 고친 문장."))
    assert shows(running, "posts/alpha/", "복원한 뒤에 고친 문장.")
    running.edit("content/posts/gamma.md", ALPHA.format("복원한 뒤에 새로 쓴 글."))
    assert shows(running, "posts/gamma/", "복원한 뒤에 새로 쓴 글.")


def test_moving_content_away_and_back_is_seen(running, tmp_path):
    away = tmp_path / "away"
    running.after(lambda: os.rename(running.root / "content", away), "moving content/ away")
    assert running.get("posts/alpha/")[0] == 404
    # Edits in the folder that moved away are not the site's any more.
    (away / "posts" / "alpha.md").write_text(ALPHA.format("옮겨 간 폴더의 글."), "utf-8")
    running.after(lambda: os.rename(away, running.root / "content"), "moving it back")
    assert shows(running, "posts/alpha/", "옮겨 간 폴더의 글.")
    running.edit("content/posts/alpha.md", ALPHA.format("되돌아온 폴더에서 고친 글."))
    assert shows(running, "posts/alpha/", "되돌아온 폴더에서 고친 글.")


def test_a_folder_replaced_by_a_rename_is_watched_in_its_new_form(running, tmp_path):
    root = running.root
    fresh = root / "content.new"  # as `git checkout`, `rsync --delay-updates` or `mv` leave it
    shutil.copytree(root / "content", fresh)
    (fresh / "posts" / "beta.md").write_text(ALPHA.format("바꿔 넣은 폴더의 글."), "utf-8")

    def swap() -> None:
        os.rename(root / "content", tmp_path / "content.old")
        os.rename(fresh, root / "content")

    running.after(swap, "replacing content/")
    assert shows(running, "posts/beta/", "바꿔 넣은 폴더의 글.")
    running.edit("content/posts/alpha.md", ALPHA.format("바뀐 폴더에서 고친 글."))
    assert shows(running, "posts/alpha/", "바뀐 폴더에서 고친 글.")
    # The old folder, renamed away, is not watched under the site's name any more.
    builds = running.preview.builds
    (tmp_path / "content.old" / "posts" / "alpha.md").write_text(ALPHA.format("옛 폴더"), "utf-8")
    time.sleep(0.5)
    assert running.preview.builds == builds
    assert shows(running, "posts/alpha/", "바뀐 폴더에서 고친 글.")


def test_templates_deleted_and_restored_are_watched_again(running, tmp_path):
    backup = tmp_path / "templates"
    shutil.copytree(running.root / "templates", backup)
    running.after(lambda: shutil.rmtree(running.root / "templates"), "deleting templates/")
    running.after(lambda: shutil.copytree(backup, running.root / "templates"), "restoring it")
    running.edit("templates/wiki.html", '{% extends "document.html" %}\n'
                 '{% block before_body %}<p id="restored-wiki">되살린 틀</p>{% endblock %}\n')
    assert shows(running, "wiki/note/", 'id="restored-wiki"')


def test_static_created_while_serving_is_watched(tmp_path):
    site = {k: v for k, v in SITE.items() if not k.startswith("static/")}
    running = Running(write_site(tmp_path / "site", site))
    try:
        (running.root / "static").mkdir()
        running.edit("static/notes.txt", "처음 올린 파일\n")
        assert shows(running, "notes.txt", "처음 올린 파일")
        running.edit("static/notes.txt", "고친 파일\n")
        assert shows(running, "notes.txt", "고친 파일")
    finally:
        running.close()


def test_a_new_post_saved_by_renaming_a_temp_file_appears(running):
    # Editors that save safely create a new file the way they save an old one: write a temp
    # file, rename it onto the name. The watcher sees a rename, not a creation.
    running.edit("content/posts/gamma.md", ALPHA.format("새로 만든 글."))
    assert shows(running, "posts/gamma/", "새로 만든 글.")
    assert shows(running, "", "posts/gamma/")  # listed on the front page too


@pytest.mark.skipif(shutil.which("sed") is None, reason="sed is not installed")
def test_sed_in_place_rebuilds_the_post_it_edited_and_names_it(running):
    post = running.root / "content" / "posts" / "alpha.md"
    running.after(lambda: subprocess.run(["sed", "-i", "s/알파 본문입니다./sed로 고친 본문./",
                                          str(post)], check=True), "sed -i")
    assert shows(running, "posts/alpha/", "sed로 고친 본문.")
    assert rebuild_lines(running)[-1].endswith("(content/posts/alpha.md)")
    assert not any("/sed" in m for m in running.messages)
    assert not [p.name for p in post.parent.iterdir() if p.name.startswith("sed")]


def test_vim_style_saves_name_only_the_file_saved(running):
    post = running.root / "content" / "posts" / "beta.md"

    def save_like_vim() -> None:
        probe = post.parent / "4913"  # vim checks it may create files in the folder
        probe.write_text("")
        probe.unlink()
        swap = post.parent / ".beta.md.swp"
        swap.write_bytes(b"b0VIM 9.0")
        os.rename(post, post.with_name("beta.md~"))  # the backup
        post.write_text(ALPHA.format("vim으로 저장한 글."), "utf-8")
        post.with_name("beta.md~").unlink()
        swap.unlink()

    running.after(save_like_vim, "a vim save")
    assert shows(running, "posts/beta/", "vim으로 저장한 글.")
    assert rebuild_lines(running)[-1].endswith("(content/posts/beta.md)")


def test_emacs_style_saves_name_only_the_file_saved(running):
    post = running.root / "content" / "posts" / "beta.md"

    def save_like_emacs() -> None:
        lock = post.parent / ".#beta.md"
        lock.symlink_to("author@host.1234:1700000000")
        autosave = post.parent / "#beta.md#"
        autosave.write_text("autosave", "utf-8")
        post.write_text(ALPHA.format("emacs로 저장한 글."), "utf-8")
        autosave.unlink()
        lock.unlink()

    running.after(save_like_emacs, "an emacs save")
    assert shows(running, "posts/beta/", "emacs로 저장한 글.")
    assert rebuild_lines(running)[-1].endswith("(content/posts/beta.md)")


@pytest.mark.parametrize("name", [
    "alpha.md.swp", ".alpha.md.swp", ".alpha.md.swx", "alpha.md~", "4913", ".#alpha.md",
    "#alpha.md#", "sedy5ZJ0b", "sedAb12Cd", "sed000000", ".!12345!alpha.md",
    "alpha.md___jb_tmp___", "alpha.md___jb_old___", ".goutputstream-X1Y2Z3", ".alpha.md.tmp",
    ".alpha.md.kate-swp", ".DS_Store",
])
def test_editor_scratch_files_are_recognised(name):
    assert is_scratch(name)


@pytest.mark.parametrize("name", [
    "alpha.md", "sed.md", "sedan.md", "sed", "sed12345", "sed1234", "sedan-review.md",
    "4913.md", "notes.txt", "index.html", "post#1.md", "a~b.md",
])
def test_real_files_are_not_taken_for_scratch(name):
    assert not is_scratch(name)
