"""Nothing outside the site folder is read into the output, and nothing outside it is written.

The site folder is untrusted (it arrives through pull requests and is built next to deploy
tokens): symlinks in static/, templates/, sidecars, site.yaml and import targets are checked by
where they really lead. Each case asserts the exit code, a message naming the link, no
traceback, and that the secret is nowhere in the output.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, run_cli, write_files, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "templates").mkdir()
    os.symlink(outside / "secret.txt", site / "templates/404.html")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert ("templates/404.html: error: symlink points outside the site folder; this "
            "template is not read") in err
    assert "Traceback" not in err
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before  # the previous output is untouched


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
