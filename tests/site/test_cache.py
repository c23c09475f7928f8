"""The build cache on disk is honest: a cached build writes exactly what a build from scratch
writes, after every kind of edit; a damaged, foreign or forged cache is ignored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, run_cli, tree, write_site

from digestgen.build import BuildOptions, build
from digestgen.pipeline.cache_disk import CACHE_DIR, CACHE_FILE, CACHE_FORMAT

SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, 정책]\n---\n"
                              "알파 본문. [베타](beta.md)\n",
    "content/posts/beta.md": "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n베타 본문.\n",
    "content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\ncategories: [연구]\n---\n감마.\n",
    "content/posts/img/a.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    "content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n[[alpha]] 참고.\n",
    "static/css/extra.css": "p { color: red; }\n",
}


def cached_build(root: Path, **kw):
    return build(BuildOptions(source=root, cache=True, **kw))


def fresh_build(root: Path, output: Path):
    return build(BuildOptions(source=root, output=output, cache=False))


EDITS = {
    "content": {"content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, 정책]\n"
                "---\n고친 본문. [베타](beta.md)\n"},
    "title": {"content/posts/beta.md": "---\ntitle: 새 베타\ndate: 2024-06-01\ntags: [모델]\n---\n"
              "베타 본문.\n"},
    "template": {"templates/post.html": '{% extends "document.html" %}\n'
                 '{% block after_body %}<p class="sig">끝</p>{% endblock %}\n'},
    "static": {"static/css/extra.css": "p { color: blue; }\n"},
    "asset": {"content/posts/img/a.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='2'/>\n"},
    "site.yaml": {"site.yaml": MINIMAL_CONFIG + "paginate: 1\n"},
    "deleted file": {"content/posts/gamma.md": None},
    "tag renamed": {"content/posts/beta.md": "---\ntitle: 베타\ndate: 2024-06-01\ntags: [에이전트]\n"
                    "---\n베타 본문.\n"},
    "file added": {"content/posts/delta.md": "---\ntitle: 델타\ndate: 2024-08-01\n---\n델타.\n"},
}


@pytest.mark.parametrize("name", list(EDITS))
def test_cached_build_equals_a_build_from_scratch(tmp_path, name):
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    for rel, text in EDITS[name].items():
        path = root / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A later mtime, so that an edit within the same clock tick is still an edit.
            path.write_text(text, encoding="utf-8")
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    result = cached_build(root)
    assert result.site is not None  # something changed: the build did run
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def test_nothing_changed_means_nothing_done_and_files_untouched(tmp_path, capsys):
    root = write_site(tmp_path / "site", SITE)
    code, out, _ = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0
    page = root / "_site/posts/alpha/index.html"
    before = page.stat().st_mtime_ns
    code, out, _ = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0 and "nothing changed since the last build" in out
    assert page.stat().st_mtime_ns == before


def test_one_edit_loads_and_renders_only_what_it_affects(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    (root / "content/posts/beta.md").write_text(
        "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n베타를 고쳤다.\n", encoding="utf-8")
    untouched = root / "_site/posts/alpha/index.html"
    before = untouched.stat().st_mtime_ns
    result = cached_build(root)
    assert result.loaded == ("content/posts/beta.md",)
    assert "posts/beta/index.html" in result.rendered
    assert "posts/alpha/index.html" not in result.rendered
    assert untouched.stat().st_mtime_ns == before


def test_a_changed_output_file_is_rendered_again(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    page = root / "_site/posts/beta/index.html"
    page.write_text("누군가 손댄 파일", encoding="utf-8")
    (root / "content/posts/alpha.md").write_text(
        "---\ntitle: 알파\ndate: 2024-05-01\n---\n바뀐 알파.\n", encoding="utf-8")
    cached_build(root)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other version", "forged"])
def test_a_bad_cache_is_ignored(tmp_path, damage):
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    cache = root / CACHE_DIR / CACHE_FILE
    blob = cache.read_bytes()
    if damage == "garbage":
        cache.write_bytes(os.urandom(500))
    elif damage == "truncated":
        cache.write_bytes(blob[: len(blob) // 2])
    elif damage == "other version":
        mark = f"digestgen-cache {CACHE_FORMAT} ".encode()
        assert blob.startswith(mark)
        cache.write_bytes(blob.replace(mark, b"digestgen-cache 999 ", 1))
    else:  # the same payload signed with someone else's key
        header, _, rest = blob.partition(b"\n")
        cache.write_bytes(header + b"\n" + bytes(32) + rest[32:])
    (root / "content/posts/alpha.md").write_text(
        "---\ntitle: 알파\ndate: 2024-05-01\n---\n바뀐 알파.\n", encoding="utf-8")
    result = cached_build(root)
    assert result.cache.note.endswith("ignored")
    assert len(result.loaded) == 4  # every document loaded afresh
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def test_no_cache_and_clean(tmp_path, capsys):
    root = write_site(tmp_path / "site", SITE)
    code, _, _ = run_cli(["build", "--source", str(root), "--no-cache"], capsys)
    assert code == 0 and not (root / CACHE_DIR).exists()
    run_cli(["build", "--source", str(root)], capsys)
    assert (root / CACHE_DIR / CACHE_FILE).is_file()
    assert (root / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")
    code, out, _ = run_cli(["clean", "--source", str(root)], capsys)
    assert code == 0 and f"removed {CACHE_DIR}/" in out and not (root / CACHE_DIR).exists()
    code, out, _ = run_cli(["clean", "--source", str(root), "--output"], capsys)
    assert code == 0 and "_site/" in out and not (root / "_site").exists()


def test_jobs_do_not_change_the_output(tmp_path):
    files = dict(SITE)
    for i in range(300):  # enough for the work to be split between processes
        files[f"content/posts/p{i:03d}.md"] = (f"---\ntitle: 글 {i}\ndate: 2023-01-{i % 28 + 1:02d}"
                                               f"\ntags: [태그{i % 7}]\n---\n본문 {i}.\n\n```python\n"
                                               f"print({i})\n```\n")
    root = write_site(tmp_path / "site", files)
    build(BuildOptions(source=root, output=tmp_path / "one", jobs=1))
    build(BuildOptions(source=root, output=tmp_path / "two", jobs=2))
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_loader_processes_write_the_cache_of_a_first_build(tmp_path, monkeypatch):
    import digestgen.pipeline.cache_disk as state_module

    files = dict(SITE)
    for i in range(200):
        files[f"content/posts/p{i:03d}.md"] = (f"---\ntitle: 글 {i}\ndate: 2023-02-{i % 28 + 1:02d}"
                                               f"\n---\n본문 {i}. [알파](alpha.md)\n")
    root = write_site(tmp_path / "site", files)
    parent = os.getpid()
    log = tmp_path / "writers.txt"  # a file: the loader processes are forked
    real = state_module._write_signed

    def spy(path, *args):
        if path.name.startswith("docs-"):
            with open(log, "a") as handle:
                handle.write(f"{os.getpid()}\n")
        return real(path, *args)

    monkeypatch.setattr(state_module, "_write_signed", spy)
    first = build(BuildOptions(source=root, cache=True, jobs=2))
    assert len(first.loaded) == 204
    buckets = sorted((root / CACHE_DIR).glob("docs-*.pickle"))
    writers = [int(line) for line in log.read_text().split()]
    assert len(buckets) == len(writers) > 32  # each bucket written once,
    assert parent not in writers  # by the processes that loaded it
    assert (root / CACHE_DIR / ".gitignore").is_file()
    # The next build takes every document from those buckets.
    (root / "content/posts/p007.md").write_text("---\ntitle: 글 7\ndate: 2023-02-08\n---\n고침.\n",
                                               encoding="utf-8")
    again = build(BuildOptions(source=root, cache=True, jobs=2))
    assert again.loaded == ("content/posts/p007.md",)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def test_a_killed_commit_is_finished_by_the_next_build(tmp_path):
    from digestgen.write import JOURNAL, recover

    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    out = root / "_site"
    # What a build that fell back to the journal and was killed during its commit leaves.
    staging = root / "._site.tmp-999"
    (staging / "posts/beta").mkdir(parents=True)
    (staging / "posts/beta/index.html").write_text("새 페이지", encoding="utf-8")
    (staging / JOURNAL).write_text(json.dumps({"move": ["posts/beta/index.html"],
                                               "delete": ["posts/gamma/index.html"]}))
    abandoned = root / "._site.tmp-998"  # one killed while rendering: thrown away
    (abandoned / "posts/alpha").mkdir(parents=True)
    (abandoned / "posts/alpha/index.html").write_text("반쯤", encoding="utf-8")
    recover(out)
    assert (out / "posts/beta/index.html").read_text(encoding="utf-8") == "새 페이지"
    assert not (out / "posts/gamma").exists()
    assert "반쯤" not in (out / "posts/alpha/index.html").read_text(encoding="utf-8")
    assert not staging.exists() and not abandoned.exists()


def _age(root: Path, seconds: float = 3600) -> None:
    """Make every file look long untouched, as files of a real site are between builds."""
    past = os.stat(root / "site.yaml").st_mtime - seconds
    for path in root.rglob("*"):
        if path.is_file() and ".digestgen-cache" not in path.parts:
            os.utime(path, (past, past))


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    from digestgen.pipeline import cache as state

    root = write_site(tmp_path / "site", SITE)
    _age(root)
    cached_build(root)
    read: list[str] = []
    real = state._content_digest
    monkeypatch.setattr(state, "_content_digest",
                        lambda src: read.append(Path(src.abs_path).name) or real(src))
    (root / "content/posts/beta.md").write_text(
        "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n---\n고친 베타.\n", encoding="utf-8")
    result = cached_build(root)
    assert read == ["beta.md"]  # the others are known by their stat signature
    assert result.loaded == ("content/posts/beta.md",)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    # Editors and tools can restore a file's mtime; its ctime still moves, so the stat
    # signature changes and the file is read again.
    root = write_site(tmp_path / "site", SITE)
    _age(root)
    cached_build(root)
    path = root / "content/posts/beta.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("베타 본문.", "바뀐 본문."), encoding="utf-8")
    assert path.stat().st_size == st.st_size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = cached_build(root)
    assert result.loaded == ("content/posts/beta.md",)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def test_compiled_templates_are_kept_signed_and_never_taken_from_others(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    kept = sorted((root / CACHE_DIR / "templates").glob("*.pickle"))
    assert kept, "no compiled template was kept"
    # Someone else's file in its place (say, shipped with a repository): a payload with our
    # header but no valid signature. It is ignored, not run.
    for path in kept:
        header = path.read_bytes().partition(b"\n")[0]
        path.write_bytes(header + b"\n" + bytes(32) + b"not a template")
    (root / "content/posts/alpha.md").write_text(
        "---\ntitle: 알파\ndate: 2024-05-01\n---\n바뀐 알파.\n", encoding="utf-8")
    cached_build(root)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def _edit(root: Path, rel: str, text: str | None) -> None:
    path = root / rel
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


# One edit after another, each built by a process of its own (a state read from disk): the
# graph kept on disk is patched for a body edit and built again for the others.
GRAPH_EDITS = [
    ("linking body", {"content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, "
                      "정책]\n---\n알파를 고쳤다. [베타](beta.md)\n"}, True),
    ("a new link", {"content/posts/alpha.md": "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, "
                    "정책]\n---\n알파를 고쳤다. [베타](beta.md) ![](img/a.svg)\n"}, False),
    ("linked body", {"content/posts/beta.md": "---\ntitle: 베타\ndate: 2024-06-01\ntags: [모델]\n"
                     "---\n베타를 고쳤다.\n"}, True),
    ("title", {"content/posts/beta.md": "---\ntitle: 새 베타\ndate: 2024-06-01\ntags: [모델]\n---\n"
               "베타를 고쳤다.\n"}, False),
    ("body after a rebuild", {"content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\n"
                              "categories: [연구]\n---\n감마를 고쳤다.\n"}, True),
    ("tags", {"content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\ntags: [정책]\n"
              "categories: [연구]\n---\n감마를 고쳤다.\n"}, False),
    ("file added", {"content/posts/delta.md": "---\ntitle: 델타\ndate: 2024-08-01\n---\n델타.\n"},
     False),
    ("file deleted", {"content/posts/gamma.md": None}, False),
    ("site.yaml", {"site.yaml": MINIMAL_CONFIG + "paginate: 1\n"}, False),
    ("template", {"templates/post.html": '{% extends "document.html" %}\n'
                  '{% block after_body %}<p class="sig">끝</p>{% endblock %}\n'}, True),
    ("body at last", {"content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n"
                      "[[alpha]] 다시 참고.\n"}, True),
]


def test_the_graph_kept_on_disk_never_changes_the_output(tmp_path, monkeypatch):
    from digestgen.render import views

    built, keyed = [], []
    import digestgen.graph as graph

    real_build, real_key = graph.build_site, views._doc_key
    monkeypatch.setattr(graph, "build_site", lambda *a, **k: built.append(1) or real_build(*a, **k))
    monkeypatch.setattr(views, "_doc_key", lambda *a: keyed.append(1) or real_key(*a))
    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    pages = len(keyed)
    for k, (name, files, patched) in enumerate(GRAPH_EDITS):
        for rel, text in files.items():
            _edit(root, rel, text)
        built.clear()
        keyed.clear()
        result = cached_build(root)
        assert result.site is not None and result.cache.note == "", name
        assert (not built) is patched, name
        if patched:  # only the edited documents' views are made afresh
            assert len(keyed) == len(result.loaded) < pages, name
        fresh_build(root, tmp_path / f"fresh-{k}")
        assert tree(root / "_site") == tree(tmp_path / f"fresh-{k}"), name


@pytest.mark.parametrize("damage", ["graph missing", "views missing", "graph of another build",
                                    "views of another build", "bucket lost"])
def test_a_lost_or_stale_graph_is_built_again(tmp_path, damage):
    from digestgen.pipeline.cache_disk import GRAPH_FILE, VIEWS_FILE, bucket_of

    root = write_site(tmp_path / "site", SITE)
    cached_build(root)
    folder = root / CACHE_DIR
    old = {name: (folder / name).read_bytes() for name in (GRAPH_FILE, VIEWS_FILE)}
    # A title edit: a new graph and new views, which an older file must not pass for.
    _edit(root, "content/posts/beta.md", "---\ntitle: 새 베타\ndate: 2024-06-01\ntags: [모델]\n"
          "---\n베타 본문.\n")
    cached_build(root)
    if damage == "graph missing":
        (folder / GRAPH_FILE).unlink()
    elif damage == "views missing":
        (folder / VIEWS_FILE).unlink()
    elif damage == "graph of another build":
        (folder / GRAPH_FILE).write_bytes(old[GRAPH_FILE])
    elif damage == "views of another build":
        (folder / VIEWS_FILE).write_bytes(old[VIEWS_FILE])
    else:
        (folder / f"docs-{bucket_of('content/posts/beta.md'):02d}.pickle").unlink()
    _edit(root, "content/posts/alpha.md", "---\ntitle: 알파\ndate: 2024-05-01\ntags: [모델, 정책]\n"
          "---\n고친 본문. [새 베타](beta.md)\n")
    cached_build(root)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")
    # Back to the first title: a stale key kept for beta would now match its old page.
    _edit(root, "content/posts/beta.md", SITE["content/posts/beta.md"])
    cached_build(root)
    fresh_build(root, tmp_path / "fresh-again")
    assert tree(root / "_site") == tree(tmp_path / "fresh-again")


DATED_URLS = """sections:
  posts: {dir: posts, kind: post, title: 글, permalink: "/{year}/{month}/{slug}/"}
  wiki: {dir: wiki, kind: wiki, title: 위키, home: false}
"""


@pytest.mark.parametrize("before, after, config", [
    # The same instant: the page shows another date.
    ("date: 2024-05-01T10:00:00+09:00", "date: 2024-05-01T01:00:00Z", ""),
    # The same instant, in April in UTC: the page moves (the graph must be built again).
    ("date: 2024-05-01T00:30:00+09:00", "date: 2024-04-30T15:30:00Z", DATED_URLS),
    ("flag: 1", "flag: true", ""),  # equal values, written differently
], ids=["same instant", "same instant, another month", "equal value"])
def test_an_edit_to_an_equal_value_is_still_an_edit(tmp_path, before, after, config):
    site = {**SITE, "templates/post.html": '{% extends "document.html" %}\n{% block after_body %}'
            '<p class="flag">{{ page.params.get("flag") }}</p>{% endblock %}\n'}
    site["content/posts/alpha.md"] = site["content/posts/alpha.md"].replace(
        "date: 2024-05-01", f"{before if before.startswith('date') else 'date: 2024-05-01'}\n"
        "flag: 1")
    root = write_site(tmp_path / "site", site, MINIMAL_CONFIG + config)
    cached_build(root)
    text = (root / "content/posts/alpha.md").read_text(encoding="utf-8")
    assert before in text
    _edit(root, "content/posts/alpha.md", text.replace(before, after))
    assert cached_build(root).loaded == ("content/posts/alpha.md",)
    fresh_build(root, tmp_path / "fresh")
    assert tree(root / "_site") == tree(tmp_path / "fresh")


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, "PNG")
    return out.getvalue()


# A site whose pages also show what is made from files and the rest of the site: image sizes,
# related documents, share cards.
THEMED = {
    "content/posts/alpha.md": "---\ntitle: 오픈 모델 알파\ndate: 2024-05-01\ntags: [모델]\n---\n"
                              "![그림](img/a.png)\n",
    "content/posts/beta.md": "---\ntitle: 오픈 모델 베타\ndate: 2024-06-01\ntags: [모델]\n---\n베타.\n",
    "content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\ntags: [모델]\n---\n감마.\n",
    "content/posts/img/a.png": _png(40, 30),
    "static/img/s.png": _png(10, 10),
}
THEMED_EDITS = {
    "image resized": {"content/posts/img/a.png": _png(80, 20)},
    "related title": {"content/posts/beta.md": "---\ntitle: 새 베타\ndate: 2024-06-01\n"
                                               "tags: [모델]\n---\n베타.\n"},
    "tag removed": {"content/posts/gamma.md": "---\ntitle: 감마\ndate: 2024-07-01\n---\n감마.\n"},
    "card text": {"content/posts/gamma.md": "---\ntitle: 감마 둘\ndate: 2024-07-02\ntags: [모델]\n"
                                            "---\n감마.\n"},
    "static image": {"static/img/s.png": _png(12, 10)},
}


@pytest.mark.parametrize("name", list(THEMED_EDITS))
def test_cached_build_equals_a_build_from_scratch_for_theme_extras(tmp_path, name):
    config = MINIMAL_CONFIG + "share:\n  cards: true\n  image: /img/s.png\n"
    root = write_site(tmp_path / "site", THEMED, config)
    (root / "content/posts/beta.md").write_text(
        THEMED["content/posts/beta.md"] + "\n![정적](/img/s.png)\n", encoding="utf-8")
    cached_build(root)
    before = tree(root / "_site")
    for rel, data in THEMED_EDITS[name].items():
        path = root / rel
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data + ("\n![정적](/img/s.png)\n" if "beta" in rel else ""),
                            encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    result = cached_build(root)
    assert result.site is not None
    fresh_build(root, tmp_path / "fresh")
    after = tree(root / "_site")
    assert after == tree(tmp_path / "fresh")
    assert after != before
