"""Nothing outside the site folder is read into the output, and nothing outside it is written.

The site folder is untrusted (it arrives through pull requests and is built next to deploy
tokens): symlinks in static/, templates/, sidecars, site.yaml and import targets are checked by
where they really lead. Each case asserts the exit code, a message naming the link, no
traceback, and that the secret is nowhere in the output. The folders site.yaml names (content,
static, templates, output) stay inside the site and apart from each other, and no path written
in content (an image, an embed, a slug, a permalink, an alias, a tag) or in an imported blog
leads a read or a write outside.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from conftest import (
    MINIMAL_CONFIG,
    build_site,
    files,
    page,
    run_cli,
    tree,
    write_files,
    write_site,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestgen.config import load_config
from digestgen.imports.blog import import_blog

SECRET = b"TOKEN=ghp_secret_value_for_tests"
GOOD = "---\ntitle: 좋은 글\ndate: 2024-04-24\n---\n본문\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a secret (a token file, the user's cache key...)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_bytes(SECRET)
    (folder / "base.html").write_bytes(b"<html>" + SECRET + b"</html>")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"content/posts/good.md": GOOD})


def _published(output: Path) -> list[str]:
    return [p.relative_to(output).as_posix() for p in output.rglob("*")
            if p.is_file() and SECRET in p.read_bytes()]


def test_a_static_file_linked_out_of_the_site_is_not_published(site, outside, capsys):
    (site / "static").mkdir()
    os.symlink(outside / "secret.txt", site / "static/p.txt")
    os.symlink("/proc/self/environ", site / "static/env.txt")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "static/p.txt: warning: symlink points outside the site folder; skipped" in err
    assert "static/env.txt: warning: symlink points outside the site folder; skipped" in err
    assert "Traceback" not in err
    assert not (site / "_site/p.txt").exists() and not (site / "_site/env.txt").exists()
    assert _published(site / "_site") == []
    # Under --strict the warning fails the build.
    code, _, err = run_cli(["build", "--source", str(site), "--strict"], capsys)
    assert code == 1 and "static/p.txt: error: symlink points outside" in err


def test_a_static_folder_that_is_a_link_out_publishes_nothing_of_it(site, outside, capsys):
    os.symlink(outside, site / "static")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "static: warning: symlink points outside the site folder; folder skipped" in err
    assert not (site / "_site/secret.txt").exists()
    assert _published(site / "_site") == []


def test_links_into_hidden_folders_of_the_site_are_not_followed(site, capsys):
    # actions/checkout keeps the job's token in .git/config: a link to it must not publish it.
    write_files(site, {".git/config": SECRET.decode(), "content/img/logo.svg": "<svg/>"})
    (site / "static").mkdir()
    os.symlink("../.git/config", site / "static/config.txt")
    os.symlink("../content/img/logo.svg", site / "static/logo.svg")  # stays inside: fine
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "static/config.txt: warning: symlink points into a hidden folder of the site" in err
    assert _published(site / "_site") == []
    assert (site / "_site/logo.svg").is_file()


def test_a_cache_key_outside_the_site_is_not_published(site, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    run_cli(["build", "--source", str(site)], capsys)  # makes the signing key
    key = tmp_path / "cache-home/digestgen/cache-key"
    assert key.is_file()
    (site / "static").mkdir()
    os.symlink(key, site / "static/key.bin")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and "static/key.bin: warning: symlink points outside" in err
    assert not (site / "_site/key.bin").exists()


def test_a_template_linked_out_of_the_site_fails_the_build_naming_it(site, outside, capsys):
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0
    before = tree(site / "_site")
    (site / "templates").mkdir()
    os.symlink(outside / "secret.txt", site / "templates/404.html")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert ("templates/404.html: error: symlink points outside the site folder; this "
            "template is not read") in err
    assert "Traceback" not in err
    assert tree(site / "_site") == before  # the previous output is untouched


def test_a_templates_folder_linked_out_of_the_site_is_not_read(site, outside, capsys):
    os.symlink(outside, site / "templates")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert ("templates: error: symlink points outside the site folder; the site's templates "
            "are not read") in err
    assert not (site / "_site").exists()


def test_a_sidecar_linked_out_of_the_site_is_not_read(site, outside, capsys):
    write_files(site, {"content/briefs/b.txt": "2024년 3월호\n\n본문 한 줄.\n"})
    os.symlink(outside / "secret.txt", site / "content/briefs/b.yaml")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "content/briefs/b.yaml: warning: symlink points outside the site folder" in err
    assert "ghp_secret" not in err  # not even quoted in a YAML error
    assert _published(site / "_site") == []


def test_a_site_yaml_linked_out_of_the_site_is_refused(tmp_path, outside, capsys):
    (outside / "site.yaml").write_text(MINIMAL_CONFIG + "params: {token: " + SECRET.decode()
                                       + "}\n", encoding="utf-8")
    site = tmp_path / "site"
    write_files(site, {"content/posts/good.md": GOOD})
    os.symlink(outside / "site.yaml", site / "site.yaml")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2
    assert "site.yaml: error: symlink points outside the site folder; not read" in err
    assert not (site / "_site").exists()


def _pdf(path: Path) -> Path:
    pytest.importorskip("reportlab")
    from makepdf import make_brief_pdf

    make_brief_pdf(path)
    return path


def test_import_does_not_write_through_a_file_link_that_leaves_the_site(site, outside, capsys):
    pdf = _pdf(outside / "report.pdf")
    (site / "content/briefs").mkdir(parents=True)
    os.symlink(outside / "secret.txt", site / "content/briefs/report.txt")
    code, _, err = run_cli(["import", str(pdf), "--source", str(site), "--force"], capsys)
    assert code == 1
    assert "is a symlink that points outside the site; not written" in err
    assert (outside / "secret.txt").read_bytes() == SECRET
    assert sorted(p.name for p in outside.iterdir()) == ["base.html", "report.pdf",
                                                          "secret.txt"]


def test_import_does_not_write_into_a_folder_link_that_leaves_the_site(site, outside, capsys):
    pdf = _pdf(outside / "report.pdf")
    (site / "content/briefs").symlink_to(outside)
    code, _, err = run_cli(["import", str(pdf), "--source", str(site)], capsys)
    assert code == 1
    assert "would be written outside the site (through a symlinked folder)" in err
    assert sorted(p.name for p in outside.iterdir()) == ["base.html", "report.pdf",
                                                          "secret.txt"]


# -- site.yaml's folders and the output folder stay inside the site, apart -------------------


@pytest.mark.parametrize(("extra", "says"), [
    ("content_dir: _site/content\n", "the output folder overlaps the content folder"),
    ("output_dir: .\n", "must not be the site folder or one of its parents"),
    ("output_dir: content/out\n", "the output folder overlaps the content folder"),
])
def test_output_and_content_overlapping_through_site_yaml_is_refused(tmp_path, capsys, extra,
                                                                      says):
    content = "_site/content" if "content_dir" in extra else "content"
    site = write_site(tmp_path / "s", {f"{content}/posts/good.md": GOOD}, MINIMAL_CONFIG + extra)
    before = tree(site)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and says in err and "Traceback" not in err
    assert tree(site) == before  # the content is still there, untouched


@pytest.mark.parametrize(("extra", "line", "says"), [
    ("static_dir: ..\n", 5, "static_dir: must stay inside the site folder, got '..'"),
    ("static_dir: static/../..\n", 5, "static_dir: must stay inside the site folder"),
    ("templates_dir: ../theme\n", 5, "templates_dir: must stay inside the site folder"),
    ("content_dir: ../elsewhere\n", 5, "content_dir: must stay inside the site folder"),
    ("static_dir: .\n", 5, "static_dir: must be a folder inside the site, not the site folder"),
    ("static_dir: _site\n", 5, "static_dir: '_site' overlaps output_dir '_site'"),
    ("templates_dir: _site/t\n", 5, "templates_dir: '_site/t' overlaps output_dir '_site'"),
    ("static_dir: content/img\n", 5, "static_dir: 'content/img' overlaps content_dir 'content'"),
    ("output_dir: static/out\n", 5, "static_dir: 'static' overlaps output_dir 'static/out'"),
])
def test_site_folders_that_leave_the_site_or_overlap_are_named_at_their_line(tmp_path, capsys,
                                                                               extra, line, says):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD,
                                       "static/robots.txt": "User-agent: *\n"},
                      MINIMAL_CONFIG + extra)
    (tmp_path / "outside.txt").write_text("바깥 파일", encoding="utf-8")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and "Traceback" not in err and "internal error" not in err, err
    assert err.startswith(f"site.yaml:{line}: error: {says}"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside.txt", "s"]


def test_site_folders_written_in_other_ways_still_work(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD, "static/a.txt": "정적\n"},
                      MINIMAL_CONFIG + "static_dir: ./static/\ncontent_dir: x/../content\n"
                                       "output_dir: ./out/../built/\n")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert (site / "built/a.txt").read_text(encoding="utf-8") == "정적\n"
    assert (site / "built/posts/good/index.html").is_file()


@pytest.mark.parametrize("output_dir, says", [
    ("/tmp/elsewhere", "output_dir: expected a folder relative to the site (pass --output DIR "
                       "to build elsewhere)"),
    ("../elsewhere", "output_dir: must stay inside the site folder, got '../elsewhere' (pass "
                     "--output DIR to build elsewhere)"),
])
def test_site_yaml_cannot_send_the_output_out_of_the_site(tmp_path, capsys, output_dir, says):
    # site.yaml comes with the site (a pull request): it must not choose where files land.
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD},
                      MINIMAL_CONFIG + f"output_dir: {output_dir}\n")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2 and err.startswith(f"site.yaml:5: error: {says}"), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    # The command line may: that is the user's own choice.
    code, _, err = run_cli(["build", "--source", str(site), "--output", str(tmp_path / "o")],
                           capsys)
    assert code == 2  # site.yaml is still wrong: fix it first
    ok = write_site(tmp_path / "t", {"content/posts/good.md": GOOD})
    code, _, err = run_cli(["build", "--source", str(ok), "--output", str(tmp_path / "o")],
                           capsys)
    assert code == 0 and (tmp_path / "o/posts/good/index.html").is_file(), err


def test_an_output_folder_that_is_a_link_out_of_the_site_is_refused(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    (tmp_path / "elsewhere").mkdir()
    (site / "_site").symlink_to(tmp_path / "elsewhere")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 2
    assert "error: output_dir leads outside the site folder (through a symlink)" in err
    assert list((tmp_path / "elsewhere").iterdir()) == []


# -- paths written in content or an imported blog lead nowhere outside ---------------------


def test_image_paths_embeds_links_and_aliases_stay_inside(tmp_path, capsys):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret bytes")
    site = write_site(tmp_path / "s", {
        "content/posts/reach.md": """\
            ---
            title: 바깥으로
            date: 2024-04-24
            aliases: ["//evil.example.com/x/", "/%2e%2e/%2e%2e/y/"]
            ---
            ![a](../../../secret.png) ![b](/../../secret.png) ![c](%2e%2e/%2e%2e/%2e%2e/secret.png)

            ![[../../../secret.png]] [글](../../../secret.png) ![d](link.png)
            """})
    (site / "content/posts/link.png").symlink_to(tmp_path / "secret.png")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "content/posts/link.png: warning: symlink points outside the site folder" in err
    assert "'../../../secret.png' points outside the content folder; not copied" in err
    out = site / "_site"
    assert not [rel for rel, data in files(out).items() if b"secret bytes" in data]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s", "secret.png"]
    # A protocol-relative or encoded alias is a folder inside the output, never a way out.
    for rel in ("evil.example.com/x/index.html", "%2e%2e/%2e%2e/y/index.html"):
        doc = page(out, rel)
        assert doc.xpath("//link[@rel='canonical']/@href") == [
            "https://example.github.io/ai-digest/posts/reach/"], rel


def test_slugs_permalinks_aliases_and_names_of_taxonomies_stay_inside(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/t.md": """\
        ---
        title: 분류 이름
        date: 2024-04-24
        tags: ["../../../탈출", "a/b", "..", ".", "%2e%2e"]
        categories: ["../..", "/"]
        series: "../../../시리즈"
        ---
        본문
        """})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == [
        "_site", "content", "site.yaml"]
    out = site / "_site"
    for folder in ("tags", "categories", "series"):
        pages = [p for p in (out / folder).iterdir() if p.is_dir()]
        assert pages, folder
        for p in pages:  # one plain folder per name, each with its page
            assert p.resolve().parent == (out / folder).resolve() and p.name not in (".", "..")
            assert (p / "index.html").is_file(), p
    for bad, says in (('slug: ".."', "not a plain name"), ('slug: "a/../../b"', "not a plain name"),
                      ('permalink: "/a/../../../b/"', "leaves the output folder"),
                      ('aliases: ["/../x/"]', "leaves the output folder")):
        (site / "content/posts/t.md").write_text(f"---\ntitle: x\ndate: 2024-04-24\n{bad}\n---\n",
                                                 encoding="utf-8")
        code, _, err = run_cli(["build", "--source", str(site)], capsys)
        assert code == 1 and "content/posts/t.md:4: error: " in err and says in err, (bad, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_an_imported_blog_cannot_lead_reads_or_writes_out(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret bytes")
    site = write_site(tmp_path / "site", {}, MINIMAL_CONFIG)
    blog = write_files(tmp_path / "blog", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2024-01-01-slug.md": "---\ntitle: a\nslug: ../../../../evil\n---\nx\n",
        "_posts/2024-01-02-perma.md": "---\ntitle: b\npermalink: /../../../evil/\n---\nx\n",
        "_posts/2024-01-03-alias.md": "---\ntitle: c\nredirect_from: [/../../../evil/]\n---\nx\n",
        "_posts/2024-01-04-images.md": "---\ntitle: d\n---\n![x](/../../secret.png) "
                                       "![y]({{ site.baseurl }}/../../secret.png)\n",
    })
    result = import_blog("jekyll", blog, site, load_config(site))
    skipped = {s.source: s.reason for s in result.skipped}
    assert "not a plain name" in skipped["_posts/2024-01-01-slug.md"]
    assert "leaves the output folder" in skipped["_posts/2024-01-02-perma.md"]
    assert "leaves the output folder" in skipped["_posts/2024-01-03-alias.md"]
    assert "leaves the site, not copied" in skipped["/../../secret.png"]
    assert [p.source for p in result.posts] == ["_posts/2024-01-04-images.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blog", "secret.png", "site"]
    assert not [rel for rel, data in files(site).items() if b"secret bytes" in data]
    build_site(site)  # and the build of what came in reads nothing outside either
    assert not [rel for rel, data in files(site / "_site").items() if b"secret bytes" in data]


# -- files beside posts that a browser would run ------------------------------------------------

EVIL_SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="40" height="40" onload="window.__pwned.push('onload')">
  <script>window.__pwned.push('script')</script>
  <rect width="40" height="40" fill="teal"/>
  <a xlink:href="javascript:window.__pwned.push('href')"><text y="20">x</text></a>
  <image href="http://127.0.0.1:9/track.png"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">
    <script>window.__pwned.push('foreign')</script></div></foreignObject>
  <set attributeName="href" to="javascript:window.__pwned.push('set')"/>
</svg>
"""
EVIL_HTML = """<!doctype html><html><head><title>데모</title>
<script>window.__pwned.push('html')</script></head>
<body onload="window.__pwned.push('body')"><p>데모 본문</p>
<img src=x onerror="window.__pwned.push('img')"></body></html>
"""


def _bundle_site(tmp_path: Path, config: str = MINIMAL_CONFIG) -> Path:
    return write_site(tmp_path / "site", {
        "content/posts/x/index.md": "---\ntitle: 그림\ndate: 2024-04-24\n---\n"
                                    "![도식](evil.svg)\n\n[데모](demo.html)\n",
        "content/posts/x/evil.svg": EVIL_SVG,
        "content/posts/x/demo.html": EVIL_HTML,
    }, config)


def test_svg_and_html_beside_a_post_are_published_sanitised(tmp_path, capsys):
    site = _bundle_site(tmp_path)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert ("content/posts/x/evil.svg: warning: removed what could run script or load from "
            "elsewhere: onload=, <script>, href=\"javascript:") in err
    assert "content/posts/x/demo.html: warning: removed what could run script" in err
    svg = (site / "_site/posts/x/evil.svg").read_text()
    for gone in ("<script", "onload", "javascript:", "foreignObject", "<set", "127.0.0.1"):
        assert gone not in svg, gone
    assert '<rect width="40" height="40" fill="teal"/>' in svg
    html = (site / "_site/posts/x/demo.html").read_text()
    assert "<script" not in html and "onload" not in html and "onerror" not in html
    assert "데모 본문" in html and "<title>데모</title>" in html


def test_unsafe_files_publishes_them_as_written(tmp_path, capsys):
    site = _bundle_site(tmp_path, MINIMAL_CONFIG + "unsafe_files: true\n")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and "warning" not in err, err
    assert (site / "_site/posts/x/evil.svg").read_text() == EVIL_SVG


def test_no_script_runs_when_a_published_svg_or_html_file_is_opened(tmp_path, capsys, browser):
    from conftest import static_server

    site = _bundle_site(tmp_path)
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    requested: list[str] = []
    with static_server(site / "_site", "") as base:
        context = browser.new_context()
        context.add_init_script("window.__pwned = [];")
        pg = context.new_page()
        pg.on("request", lambda r: requested.append(r.url))
        for rel in ("posts/x/evil.svg", "posts/x/demo.html", "posts/x/"):
            pg.goto(base + rel, wait_until="load")
            pg.wait_for_timeout(100)
            assert pg.evaluate("window.__pwned") == [], rel
        context.close()
    assert not [u for u in requested if "127.0.0.1:9" in u]


# -- any layout of links: the secret never reaches the output, nothing outside is written ------

_LINK_AT = ["static/a.txt", "static/sub", "static/css/style.css", "templates/404.html",
            "templates/base.html", "templates/post.html", "templates/_macros.html",
            "templates/partials", "content/posts/img.png", "content/posts/note.md",
            "content/posts/b.yaml", "content/wiki", "static", "templates"]
_LINK_TO = ["outside/secret.txt", "outside", "site/.git/config", "site/.git", "loop",
            "nowhere", "site/content/posts/good.md", "/proc/self/environ"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_LINK_AT), st.sampled_from(_LINK_TO)), min_size=1,
                max_size=5, unique_by=lambda pair: pair[0]))
def test_no_layout_of_links_leads_a_secret_into_the_output(links):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        outside = work / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_bytes(SECRET)
        (outside / "404.html").write_bytes(SECRET)
        (outside / "style.css").write_bytes(SECRET)
        site = write_site(work / "site", {"content/posts/good.md": GOOD,
                                          "content/briefs/b.txt": "2024년 3월호\n\n본문.\n",
                                          ".git/config": SECRET.decode()})
        before = sorted(p.name for p in outside.iterdir())
        for at, to in links:
            path = site / at
            if os.path.lexists(path) or any(
                    p.is_symlink() or (p.exists() and not p.is_dir())
                    for p in list(path.parents)[: at.count("/")]):
                continue  # something already holds this name, or a link is on its way
            path.parent.mkdir(parents=True, exist_ok=True)
            target = {"loop": str(path), "nowhere": str(work / "nowhere"),
                      "/proc/self/environ": "/proc/self/environ"}.get(to, str(work / to))
            os.symlink(target, path)
        code, out, err = _cli_in_process(["build", "--source", str(site)])
        assert code in (0, 1, 2), err
        assert "Traceback" not in err and "internal error" not in err, err
        assert "ghp_secret" not in out + err
        if (site / "_site").exists():
            assert _published(site / "_site") == []
        assert sorted(p.name for p in outside.iterdir()) == before
        assert (outside / "secret.txt").read_bytes() == SECRET


def _cli_in_process(args: list[str]) -> tuple[int, str, str]:
    import io

    from digestgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slug=st.sampled_from(["report", "../x", "a/b", "..", ".hidden", "보고서", "x" * 300]),
       layout=st.sampled_from(["plain", "file link out", "folder link out", "parent link out",
                               "link inside"]),
       force=st.booleans())
def test_import_never_writes_outside_the_site(slug, layout, force):
    pytest.importorskip("reportlab")
    from makepdf import make_brief_pdf

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        outside = work / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_bytes(SECRET)
        pdf = work / "report.pdf"
        make_brief_pdf(pdf)
        site = write_site(work / "site", {"content/posts/good.md": GOOD})
        briefs = site / "content/briefs"
        if layout == "folder link out":
            briefs.symlink_to(outside)
        elif layout == "parent link out":
            (site / "content").rename(work / "content-elsewhere")
            (site / "content").symlink_to(work / "content-elsewhere")
        else:
            briefs.mkdir()
            target = {"file link out": outside / "secret.txt",
                      "link inside": site / "content/posts/good.md"}.get(layout)
            if target is not None:
                with contextlib.suppress(OSError):  # a slug that is no file name: no link
                    (briefs / f"{slug}.txt").symlink_to(target)
        args = ["import", str(pdf), "--source", str(site), "--slug", slug]
        code, out, err = _cli_in_process([*args, "--force"] if force else args)
        assert code in (0, 1, 2), err
        assert "Traceback" not in err and "internal error" not in err, err
        assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
        assert (outside / "secret.txt").read_bytes() == SECRET
        elsewhere = work / "content-elsewhere"
        if elsewhere.exists():  # the site's own content, through its own link: still the site's
            assert not list(elsewhere.rglob("*.yaml")) or code == 0


@pytest.mark.parametrize("slug", ["a\0b", "../up", "a/b", "..", ".hidden", "x" * 300])
def test_the_importer_itself_refuses_a_name_that_is_not_a_plain_file_name(tmp_path, slug):
    # The command line checks --slug; the importer does too, for any other caller (a fuzzer
    # found a NUL getting through to the file system).
    from digestgen.imports.pdf import ImportFailed, import_pdf

    site = write_site(tmp_path / "site", {"content/posts/good.md": GOOD})
    with pytest.raises(ImportFailed):
        import_pdf(_pdf(tmp_path / "report.pdf"), site / "content/briefs", slug, root=site)
    assert not (site / "content/briefs").exists() or not any((site / "content/briefs").iterdir())
