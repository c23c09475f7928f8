"""Inputs built to exhaust the build (alias bombs, thousands of tags, names no file system
holds) end in a clear error at their file and line, quickly, with the previous output kept."""

from __future__ import annotations

import time

from conftest import alias_bomb, run_cli, tree, write_files, write_site

GOOD = "---\ntitle: 좋은 글\ndate: 2024-04-24\ntags: [모델]\n---\n본문\n"


def _built(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    return site, tree(site / "_site")


def test_an_alias_bomb_in_a_post_fails_fast_at_its_line(tmp_path, capsys):
    site, before = _built(tmp_path, capsys)
    write_files(site, {"content/posts/bomb.md":
                       "---\ntitle: 폭탄\n" + alias_bomb(10, "x") + "---\n본문\n"})
    started = time.perf_counter()
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert time.perf_counter() - started < 20  # expanded, it would take minutes
    assert code == 1
    assert ("content/posts/bomb.md:8: error: frontmatter: YAML aliases (*name) here expand to "
            "more than 100,000 values") in err
    assert "Traceback" not in err and "internal error" not in err
    assert tree(site / "_site") == before


def test_an_alias_bomb_in_a_sidecar_fails_fast_at_its_line(tmp_path, capsys):
    site, before = _built(tmp_path, capsys)
    write_files(site, {"content/briefs/b.txt": "2024년 3월호\n\n본문 한 줄.\n",
                       "content/briefs/b.yaml": "title: 브리프\n" + alias_bomb(10)})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "content/briefs/b.yaml:7: error: sidecar: YAML aliases (*name) here expand" in err
    assert tree(site / "_site") == before


def test_a_key_written_twice_in_frontmatter_is_a_warning_at_its_line(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        "content/posts/twice.md": "---\ntitle: 처음\ndate: 2024-04-24\ntitle: 나중\n---\n본문\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0
    assert ("content/posts/twice.md:4: warning: frontmatter: key 'title' is written twice (also "
            "on line 2); the last one is used") in err
    assert "<h1" in (site / "_site/posts/twice/index.html").read_text() and \
        "나중" in (site / "_site/posts/twice/index.html").read_text()


def test_thousands_of_tags_on_one_post_are_an_error_not_a_quadratic_site(tmp_path, capsys):
    site, before = _built(tmp_path, capsys)
    tags = ", ".join(f"태그{k}" for k in range(1000))
    write_files(site, {"content/posts/many.md":
                       f"---\ntitle: 태그 폭탄\ndate: 2024-04-25\ntags: [{tags}]\n---\n본문\n"})
    started = time.perf_counter()
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert time.perf_counter() - started < 20  # expanded, it would take minutes
    assert code == 1
    assert ("content/posts/many.md:4: error: frontmatter 'tags': 1,000 names; at most 100 per "
            "document") in err
    assert tree(site / "_site") == before


def test_a_hundred_tags_build_with_a_page_each(tmp_path, capsys):
    tags = ", ".join(f"태그{k}" for k in range(100))
    site = write_site(tmp_path / "s", {"content/posts/many.md":
                                       f"---\ntitle: 많은 태그\ndate: 2024-04-25\n"
                                       f"tags: [{tags}]\n---\n본문\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert len(list((site / "_site/tags").glob("*/index.html"))) == 100


def test_long_tag_names_get_a_shortened_folder_with_a_stable_hash(tmp_path, capsys):
    long = "가" * 100  # 300 bytes in UTF-8: more than any file system's name limit
    site = write_site(tmp_path / "s", {"content/posts/a.md":
                                       f"---\ntitle: 긴 이름\ndate: 2024-04-25\n"
                                       f"tags: [{long}, {long}나]\nseries: {long}\n---\n본문\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    folders = sorted(p.name for p in (site / "_site/tags").iterdir() if p.is_dir())
    assert len(folders) == 2 and len(set(folders)) == 2
    assert all(len(name.encode()) <= 255 for name in folders)
    # The same name gives the same folder on every build.
    run_cli(["build", "--source", str(site), "--no-cache", "--output",
             str(tmp_path / "again")], capsys)
    assert sorted(p.name for p in (tmp_path / "again/tags").iterdir() if p.is_dir()) == folders
    page = (site / "_site/posts/a/index.html").read_text()
    assert long in page  # the name itself is shown as written


def test_an_explicit_slug_or_alias_too_long_for_a_file_name_is_an_error_at_its_line(
        tmp_path, capsys):
    long = "가" * 100
    site, before = _built(tmp_path, capsys)
    write_files(site, {
        "content/posts/slug.md": f"---\ntitle: a\ndate: 2024-04-25\nslug: {long}\n---\nx\n",
        "content/posts/alias.md": f"---\ntitle: b\ndate: 2024-04-25\naliases: [/old/{long}/]\n"
                                  f"---\nx\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "content/posts/slug.md:4: error: slug" in err
    assert "content/posts/alias.md:4: error: alias" in err
    assert err.count("is 300 bytes long; a file or folder name may have at most 255") == 2
    assert "Traceback" not in err and "internal error" not in err
    assert tree(site / "_site") == before
