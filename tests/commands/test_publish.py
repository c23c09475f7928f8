"""Publishing and authoring as a new user runs it: init → new → build → check → deploy (to a
local bare git repository, a relative path or a file:// URL), the GitHub Pages workflow's build
step run as GitHub runs it, progress on a terminal and in CI, and the reader-facing metadata
(lang, canonical, Open Graph, Twitter, icon, JSON-LD, JSON Feed)."""

from __future__ import annotations

import io
import json
import os
import pty
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import DEEP, REPO, build_site, page, run_cli, write_site
from PIL import Image

from digestgen import __version__, cli
from digestgen.build import BuildOptions, build
from digestgen.check import check_site
from digestgen.deploy import github_pages_url
from digestgen.progress import reporter
from digestgen.scaffold import install_spec, new_document, pages_workflow, week_title

SEOUL = ZoneInfo("Asia/Seoul")
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
DIGESTGEN = shutil.which("digestgen") or "digestgen"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


# -- init and new -----------------------------------------------------------------------------


def test_init_makes_a_site_that_builds_at_once(tmp_path, capsys):
    site = tmp_path / "my-digest"
    code, out, _ = run_cli(["init", str(site), "--title", "주간 AI"], capsys)
    assert code == 0
    assert "next: cd" in out
    # Every file written is listed, but the empty .keep files that keep folders in git.
    listed = {line.removeprefix("created ") for line in out.splitlines()
              if line.startswith("created ")}
    on_disk = {str(p) for p in site.rglob("*") if p.is_file() and p.name != ".keep"}
    assert listed == on_disk and str(site / ".gitignore") in listed
    assert "title: \"주간 AI\"" in (site / "site.yaml").read_text(encoding="utf-8")
    assert "base_url: https://example.github.io/my-digest/" in (site / "site.yaml").read_text()
    for folder in ("posts", "roundups", "wiki", "briefs"):
        assert (site / "content" / folder).is_dir()
    assert (site / ".gitignore").read_text().splitlines() == [
        "_site/", ".digestgen-cache/"]

    code, out, err = run_cli(["build", "--strict", "--source", str(site)], capsys)
    assert code == 0, err
    home = page(site / "_site", "index.html")
    assert home.xpath("//html/@lang") == ["ko"]
    assert home.findtext(".//title").startswith("주간 AI")
    first = page(site / "_site", "posts/hello-digest/index.html")
    assert first.xpath("//article//time/@datetime")


def test_init_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    code, _, err = run_cli(["init", str(tmp_path)], capsys)
    assert code == 2
    assert "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_init_writes_the_same_pages_workflow_as_this_repository(tmp_path, capsys):
    code, out, _ = run_cli(["init", str(tmp_path / "s")], capsys)
    written = (tmp_path / "s/.github/workflows/pages.yml").read_text(encoding="utf-8")
    assert written == pages_workflow(install_spec()[0])
    assert f"the publishing workflow installs {install_spec()[0]}" in out
    ours = (REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    # The same workflow; only what is installed differs (here: the checkout itself).
    assert ours == pages_workflow(".")
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(ours)
    steps = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/upload-pages-artifact" in uses and "actions/configure-pages" in uses
    assert any("digestgen build --strict" in s.get("run", "") for s in steps)
    deploy = flow["jobs"]["deploy"]["steps"]
    assert deploy[0]["uses"].startswith("actions/deploy-pages@")
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


@pytest.mark.parametrize(("day", "expected"), [
    (datetime(2026, 11, 23, 9, tzinfo=SEOUL), "11월 4주차 AI 모음"),
    (datetime(2026, 11, 1, 9, tzinfo=SEOUL), "11월 1주차 AI 모음"),
    (datetime(2026, 11, 7, 9, tzinfo=SEOUL), "11월 1주차 AI 모음"),
    (datetime(2026, 11, 8, 9, tzinfo=SEOUL), "11월 2주차 AI 모음"),
    (datetime(2024, 4, 24, 0, 3, tzinfo=SEOUL), "4월 4주차 AI 모음"),
    (datetime(2026, 12, 31, 9, tzinfo=SEOUL), "12월 5주차 AI 모음"),
])
def test_week_title(day, expected):
    assert week_title(day) == expected


def test_new_writes_each_kind_and_never_overwrites(tmp_path, capsys):
    site = tmp_path / "s"
    run_cli(["init", str(site)], capsys)
    made = {}
    for kind, title in (("post", "에이전트 평가 정리"), ("roundup", None),
                        ("wiki", "Retrieval"), ("brief", "AI 브리프 2026년 11월")):
        code, out, err = run_cli(["new", kind, *([title] if title else []), "--source",
                                  str(site)], capsys)
        assert code == 0, err
        made[kind] = site / out.split("created ", 1)[1].split(" (", 1)[0]
        assert made[kind].is_file(), out
    assert made["post"].parent == site / "content/posts"
    assert made["wiki"].read_text(encoding="utf-8").splitlines()[3] == "# Retrieval"
    assert made["brief"].suffix == ".txt"
    roundup = made["roundup"].read_text(encoding="utf-8")
    now = datetime.now(SEOUL)
    assert f'title: "{week_title(now)}"' in roundup
    assert made["roundup"].name == f"{now:%Y-%m}-w{(now.day - 1) // 7 + 1}.md"
    post = made["post"].read_text(encoding="utf-8")
    assert 'title: "에이전트 평가 정리"' in post and "draft: true" in post
    assert f"date: {now:%Y-%m-%d}" in post

    # Drafts stay out of a normal build and show up with --drafts.
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    built = {p.relative_to(site / "_site").as_posix() for p in (site / "_site").rglob("*.html")}
    assert not any("에이전트" in p or made["post"].stem in p for p in built)
    assert any(made["wiki"].stem in p for p in built)
    assert run_cli(["build", "--drafts", "--source", str(site), "--output",
                    str(tmp_path / "drafts")], capsys)[0] == 0
    assert (tmp_path / "drafts/posts" / made["post"].stem / "index.html").is_file()

    # A second `new` with the same title must not touch the author's text.
    made["post"].write_text(post + "\n내가 쓴 본문\n", encoding="utf-8")
    code, _, err = run_cli(["new", "post", "에이전트 평가 정리", "--source", str(site)], capsys)
    assert code == 1
    assert "already exists" in err
    assert made["post"].read_text(encoding="utf-8").endswith("내가 쓴 본문\n")


def test_new_needs_a_title_except_for_roundups(tmp_path, capsys):
    run_cli(["init", str(tmp_path / "s")], capsys)
    code, _, err = run_cli(["new", "post", "--source", str(tmp_path / "s")], capsys)
    assert code == 1
    assert "needs a title" in err
    with pytest.raises(SystemExit) as usage:
        run_cli(["new", "essay", "x", "--source", str(tmp_path / "s")], capsys)
    assert usage.value.code == 2


def test_new_reads_date_and_week_in_the_site_time_zone(tmp_path):
    # 15:30 UTC on the 21st is 00:30 on the 22nd in Seoul: week 4 there, week 3 in UTC.
    utc = datetime(2026, 11, 21, 15, 30, tzinfo=UTC)
    made = new_document("roundup", None, tmp_path / "roundups", utc, SEOUL)
    assert made.title == "11월 4주차 AI 모음"
    assert made.path.name == "2026-11-w4.md"
    text = made.path.read_text(encoding="utf-8")
    assert "date: 2026-11-22 00:30:00 +0900" in text
    wiki = new_document("wiki", "Retrieval", tmp_path / "wiki", utc, SEOUL)
    assert "created: 2026-11-22" in wiki.path.read_text(encoding="utf-8")
    brief = new_document("brief", "AI 브리프 11월", tmp_path / "briefs", utc, SEOUL)
    assert "date: 2026-11-22" in brief.path.read_text(encoding="utf-8")


def test_every_kind_new_writes_builds_strict_and_checks_clean(tmp_path, capsys, monkeypatch):
    site = tmp_path / "blog"
    assert run_cli(["init", str(site)], capsys)[0] == 0
    # The command's clock: 2026-11-23 10:00 in Seoul.
    monkeypatch.setattr(cli, "_now", lambda tz=None: datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
                        .astimezone(tz))
    made = {}
    for kind, title in (("post", "에이전트 평가: 1부"), ("roundup", None),
                        ("wiki", "검색 증강 생성"), ("brief", "AI 브리프 2026년 11월")):
        code, out, err = run_cli(["new", kind, *([title] if title else []),
                                  "--source", str(site)], capsys)
        assert code == 0, err
        path = site / out.split("created ", 1)[1].split(" (", 1)[0]
        made[kind] = (path, title or "11월 4주차 AI 모음")
    assert made["post"][0] == site / "content/posts/에이전트-평가-1부.md"
    assert made["roundup"][0] == site / "content/roundups/2026-11-w4.md"
    assert made["wiki"][0] == site / "content/wiki/검색-증강-생성.md"
    assert made["brief"][0] == site / "content/briefs/ai-브리프-2026년-11월.txt"

    # The frontmatter each shape uses is complete: not one warning under --strict.
    code, _, err = run_cli(["build", "--strict", "--drafts", "--source", str(site)], capsys)
    assert code == 0, err
    assert "warning" not in err, err
    out = site / "_site"
    for kind, (path, title) in made.items():
        section = {"post": "posts", "roundup": "roundups", "wiki": "wiki", "brief": "briefs"}
        doc = page(out, f"{section[kind]}/{path.stem}/index.html")
        assert doc.findtext(".//h1").strip() == title, kind
        assert doc.xpath("//article//time/@datetime")[0].startswith("2026-11-23"), kind
    code, _, err = run_cli(["check", "--strict", "--drafts", "--source", str(site)], capsys)
    assert code == 0, err

    # Without --drafts only the wiki note (never a draft) is published.
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert (out / "wiki/검색-증강-생성/index.html").is_file()
    assert not (out / "posts/에이전트-평가-1부").exists()
    assert not (out / "roundups/2026-11-w4").exists()
    assert not (out / "briefs/ai-브리프-2026년-11월").exists()


# -- the GitHub Pages workflow ------------------------------------------------------------------


def _workflow(path: Path) -> dict:
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    flow["on"] = flow.pop(True, flow.get("on"))  # YAML 1.1 reads the key `on` as true
    return flow


def _run_build_step(flow: dict, site: Path, base_url: str) -> tuple[subprocess.CompletedProcess,
                                                                     Path]:
    """Run the workflow's Build step in ``site`` the way the runner would, with the address
    configure-pages reports; return the result and the folder upload-pages-artifact uploads."""
    steps = flow["jobs"]["build"]["steps"]
    [build_step] = [s for s in steps if "digestgen build" in s.get("run", "")]
    command = build_step["run"].replace("${{ steps.pages.outputs.base_url }}", base_url)
    assert "${{" not in command, command
    done = subprocess.run(["bash", "-e", "-c", command], cwd=site, capture_output=True,
                          text=True)
    [upload] = [s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact@")]
    return done, site / upload["with"]["path"]


def _copy_example(target: Path) -> Path:
    target.mkdir()
    shutil.copy2(REPO / "site.yaml", target / "site.yaml")
    for folder in ("content", "static", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.mark.parametrize("which", ["repository", "init"])
def test_the_pages_workflow_builds_and_uploads_the_site(tmp_path, capsys, which):
    if which == "repository":
        site = _copy_example(tmp_path / "checkout")
        flow = _workflow(REPO / ".github/workflows/pages.yml")
    else:
        site = tmp_path / "new-blog"
        assert run_cli(["init", str(site)], capsys)[0] == 0
        flow = _workflow(site / ".github/workflows/pages.yml")

    # Triggers, permissions and the two jobs GitHub's Pages deployment needs.
    assert flow["on"]["push"] == {"branches": ["main"]} and "workflow_dispatch" in flow["on"]
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    steps = flow["jobs"]["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/configure-pages",
                    "actions/cache", "actions/upload-pages-artifact"]
    assert [s.get("id") for s in steps if s.get("uses", "").startswith(
        "actions/configure-pages@")] == ["pages"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["steps"][0]["id"] == "deployment"

    # configure-pages gives the address without a trailing slash.
    done, uploaded = _run_build_step(flow, site, "https://someone.github.io/their-repo")
    assert done.returncode == 0, done.stderr
    assert any("digestgen build --strict" in s.get("run", "") for s in steps)
    home = page(uploaded, "index.html")
    assert home.xpath("//link[@rel='canonical']/@href") == ["https://someone.github.io/their-repo/"]
    assert home.xpath("//link[@rel='stylesheet']/@href")[0].startswith("/their-repo/")
    assert (uploaded / ".nojekyll").is_file() and (uploaded / "404.html").is_file()

    # Under --strict a warning fails the step, so nothing is uploaded or deployed.
    (site / "content/posts/broken-link.md").write_text(
        "---\ntitle: 깨진 링크\ndate: 2026-11-20\n---\n[없는 글](./nowhere.md)\n",
        encoding="utf-8")
    shutil.rmtree(uploaded)
    done, uploaded = _run_build_step(flow, site, "https://someone.github.io/their-repo")
    assert done.returncode == 1
    assert "content/posts/broken-link.md:5" in done.stderr
    assert not uploaded.exists()


# -- check ------------------------------------------------------------------------------------


def test_check_passes_on_the_example_site(capsys):
    code, out, err = run_cli(["check", "--strict", "--source", str(REPO)], capsys)
    assert code == 0, err
    assert "check: no problems" in out


def test_check_reports_broken_links_anchors_and_images_with_file_and_line(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        "content/posts/good.md": """\
            ---
            title: 좋은 글
            date: 2026-11-20
            ---
            ## 첫 절
            본문.
            """,
        "content/posts/bad.md": """\
            ---
            title: 나쁜 글
            date: 2026-11-21
            ---
            첫 줄은 괜찮습니다: [좋은 글](/posts/good.md), [절](/posts/good.md#첫-절).

            [없는 글](/posts/missing/) 을 가리킵니다.

            [없는 절](/posts/good.md#없는-절) 도 있습니다.

            ![그림](./res/nowhere.png)
            """,
    })
    code, _, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1
    lines = [ln for ln in err.splitlines()
             if ln.startswith("content/") and ": warning: " not in ln]
    assert len(lines) == 3, err
    assert any(ln.startswith("content/posts/bad.md:7: broken link '/ai-digest/posts/missing/'")
               for ln in lines), err
    assert any(ln.startswith("content/posts/bad.md:9: broken anchor") and "'없는-절'" in ln
               for ln in lines), err
    assert any(ln.startswith("content/posts/bad.md:11: broken image './res/nowhere.png'")
               for ln in lines), err
    assert "check: 3 problems" in err


def test_check_reports_the_line_of_the_element_not_the_first_mention(tmp_path, capsys):
    # "x" and "pic.png" appear early in the text; the elements that point at them are far below.
    filler = "".join(f"문단 {n}: x 와 pic.png 이야기.\n\n" for n in range(60))
    site = write_site(tmp_path / "s", {"content/posts/raw.md": (
        "---\ntitle: 원시 HTML\ndate: 2026-11-20\n---\n" + filler
        + "<img src=x alt=\"엑스\">\n\n" + "![그림](pic.png)\n")})
    code, _, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1
    img_line = 5 + 2 * 60
    assert f"content/posts/raw.md:{img_line}: broken image 'x'" in err, err
    assert f"content/posts/raw.md:{img_line + 2}: broken image" in err, err


def test_check_flags_a_broken_template_link_and_a_page_without_title(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2026-11-20\n---\n본문\n",
        "templates/base.html": """\
            <!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
            <body><a href="{{ site.url('nowhere/') }}">x</a>{% block main %}{% endblock %}</body></html>
            """,
    })
    code, _, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1
    assert "no <title>" in err
    assert "broken link '/ai-digest/nowhere/'" in err


class _Links(BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802 (http.server's naming)
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/ok", "/slow") else 404)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_external_links_with_time_out(tmp_path, capsys, link_server):
    site = write_site(tmp_path / "s", {
        "content/posts/a.md": f"""\
            ---
            title: 바깥 링크
            date: 2026-11-20
            ---
            [됨]({link_server}/ok) [HEAD 거부]({link_server}/no-head)

            [없음]({link_server}/gone)

            [느림]({link_server}/slow)
            """,
        "content/posts/b.md": """            ---
            title: 이 사이트의 절대 주소
            date: 2026-11-21
            ---
            [있음](https://example.github.io/ai-digest/posts/a/)
            """,
    })
    code, out, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 0, "external links are only checked with --external"
    (site / "content/posts/b.md").write_text(
        "---\ntitle: 절대 주소\ndate: 2026-11-21\n---\n\n"
        "[없음](https://example.github.io/ai-digest/posts/nope/)\n", encoding="utf-8")
    code, out, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1
    assert "content/posts/b.md:6: broken link '/ai-digest/posts/nope/'" in err
    code, _, err = run_cli(["check", "--external", "--timeout", "1", "--source", str(site)],
                           capsys)
    assert code == 1
    problems = [ln for ln in err.splitlines() if "external link" in ln]
    assert len(problems) == 2, err
    assert any(f"content/posts/a.md:7: external link {link_server}/gone: HTTP 404" in ln
               for ln in problems), err
    assert any("/slow: unreachable" in ln for ln in problems), err


def test_check_reports_a_document_that_shows_no_date(tmp_path, capsys):
    site = write_site(tmp_path / "s", {
        "content/posts/dated.md": "---\ntitle: 날짜 있음\ndate: 2026-11-20\n---\n본문\n",
        "content/posts/undated.md": "---\ntitle: 날짜 없음\n---\n본문\n",
        "content/about.md": "---\ntitle: 소개\n---\n페이지에는 날짜가 없어도 됩니다.\n",
    })
    code, _, err = run_cli(["check", "--source", str(site)], capsys)
    assert code == 1
    problems = [ln for ln in err.splitlines() if "shows no date" in ln]
    assert problems == ["content/posts/undated.md: posts/undated/index.html shows no date"], err


def test_check_reports_feeds_that_are_not_well_formed(tmp_path):
    site = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2026-11-20\ntags: [LLM]\n---\n본문\n",
    })
    result = build(BuildOptions(source=site, output=tmp_path / "out"))
    assert check_site(result, site) == []
    out = result.output
    (out / "feed.xml").write_bytes(b"<rss><channel><title>x</title></rss>")
    (out / "tags/llm/feed.xml").write_bytes(b"<rss>&nbsp;</rss>")
    (out / "sitemap.xml").write_bytes(b"")
    (out / "feed.json").write_text('{"title": "no version", "items": []}', encoding="utf-8")
    problems = {p.source: p.message for p in check_site(result, site)}
    assert set(problems) == {"feed.xml", "tags/llm/feed.xml", "sitemap.xml", "feed.json"}
    assert problems["feed.xml"].startswith("not well-formed XML")
    assert problems["feed.json"].startswith("not a JSON Feed")
    (out / "feed.json").write_text("[1, 2", encoding="utf-8")
    assert any(p.source == "feed.json" for p in check_site(result, site))


class _Counting(BaseHTTPRequestHandler):
    """Every request takes 0.3 s; the server notes how many were in flight at once."""

    lock = threading.Lock()
    now = 0
    most = 0

    def _answer(self) -> None:
        cls = type(self)
        with cls.lock:
            cls.now += 1
            cls.most = max(cls.most, cls.now)
        try:
            time.sleep(5 if self.path.startswith("/hang") else 0.3)
        finally:
            # Counted out before the answer leaves: once the client has it, it may start its
            # next request at once, before this thread would have run another line.
            with cls.lock:
                cls.now -= 1
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_GET = _answer  # noqa: N815 (http.server's naming)

    def log_message(self, *args):
        pass


def test_external_links_are_probed_a_bounded_number_at_a_time(tmp_path, capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        links = "\n\n".join(f"[링크 {k}]({base}/page-{k})" for k in range(24))
        site = write_site(tmp_path / "s", {
            "content/posts/many.md": f"---\ntitle: 링크 많음\ndate: 2026-11-20\n---\n{links}\n",
        })
        started = time.perf_counter()
        code, out, err = run_cli(["check", "--external", "--source", str(site)], capsys)
        assert code == 0, err
        assert "(external links included)" in out
        assert 1 < _Counting.most <= 8  # concurrent, but never more than eight at once
        assert time.perf_counter() - started < 24 * 0.3  # faster than one at a time

        # A server that never answers costs one time-out per link, in parallel.
        _Counting.most = 0
        hangs = "\n\n".join(f"[멈춤 {k}]({base}/hang-{k})" for k in range(3))
        (site / "content/posts/many.md").write_text(
            f"---\ntitle: 멈춤\ndate: 2026-11-20\n---\n{hangs}\n", encoding="utf-8")
        started = time.perf_counter()
        code, _, err = run_cli(["check", "--external", "--timeout", "0.5", "--source",
                                str(site)], capsys)
        elapsed = time.perf_counter() - started
        assert code == 1
        assert err.count("unreachable") == 3, err
        assert elapsed < 4, elapsed  # not 3 × 5 s: each link gave up after its time-out
        # The report names the source file and the line of each link.
        assert f"content/posts/many.md:7: external link {base}/hang-1: unreachable" in err
    finally:
        server.shutdown()
        server.server_close()


# -- deploy -----------------------------------------------------------------------------------


@pytest.fixture
def repo_site(tmp_path, capsys):
    """A new site in a git repository with a bare 'origin', as after `git clone`."""
    if GIT is None:
        pytest.skip("git is not installed")
    origin = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", str(origin), cwd=tmp_path)
    site = tmp_path / "site"
    run_cli(["init", str(site)], capsys)
    # The address the site is published at, in place of init's placeholder.
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://example.github.io/site/", "https://digest-owner.github.io/site/"),
        encoding="utf-8")
    git("init", "--quiet", "-b", "main", cwd=site)
    git("remote", "add", "origin", str(origin), cwd=site)
    git("add", "-A", cwd=site)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "site",
        cwd=site)
    return site, origin


def commit_all(site: Path, message: str = "edit") -> None:
    git("add", "-A", cwd=site)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message,
        cwd=site)


def _branch_files(origin: Path, branch: str = "gh-pages") -> set[str]:
    return set(git("ls-tree", "-r", "--name-only", branch, cwd=origin).split())


@needs_git
def test_deploy_pushes_the_site_as_one_commit_and_keeps_cname(repo_site, capsys, tmp_path):
    site, origin = repo_site
    status_before = git("status", "--porcelain", cwd=site)
    code, out, err = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 0, err
    assert "pushed" in out and "gh-pages" in out
    files = _branch_files(origin)
    assert {"index.html", "posts/hello-digest/index.html", "feed.xml", "atom.xml", "feed.json",
            "sitemap.xml", "404.html", ".nojekyll"} <= files
    assert ".digestgen-build.json" not in files
    log = git("log", "--format=%s", "gh-pages", cwd=origin).splitlines()
    assert len(log) == 1
    head = git("rev-parse", "--short", "HEAD", cwd=site).strip()
    assert log[0].startswith("Deploy AI 다이제스트 from " + head)
    # The author's repository: no new branch checked out, no file changed.
    assert git("status", "--porcelain", cwd=site) == status_before
    assert git("branch", "--show-current", cwd=site).strip() == "main"

    # The owner adds a custom domain on the branch (as GitHub's settings page does).
    work = tmp_path / "pages-work"
    git("clone", "-q", "-b", "gh-pages", str(origin), str(work), cwd=tmp_path)
    (work / "CNAME").write_text("digest.example.com\n")
    git("add", "CNAME", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "CNAME", cwd=work)
    git("push", "-q", "origin", "gh-pages", cwd=work)

    # Nothing changed: nothing pushed.
    code, out, _ = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 0 and "nothing pushed" in out
    # A new post: one more commit, CNAME still there, the new page in.
    (site / "content/posts/second.md").write_text(
        "---\ntitle: 두 번째 글\ndate: 2026-11-22\n---\n본문\n", encoding="utf-8")
    commit_all(site)
    code, out, err = run_cli(["deploy", "--source", str(site), "--message", "둘째 배포"], capsys)
    assert code == 0, err
    assert git("log", "--format=%s", "gh-pages", cwd=origin).splitlines() == [
        "둘째 배포", "CNAME", log[0]]
    files = _branch_files(origin)
    assert "CNAME" in files and "posts/second/index.html" in files
    assert git("show", "gh-pages:CNAME", cwd=origin) == "digest.example.com\n"
    # A deleted post disappears from the branch too.
    (site / "content/posts/second.md").unlink()
    commit_all(site)
    assert run_cli(["deploy", "--source", str(site)], capsys)[0] == 0
    assert "posts/second/index.html" not in _branch_files(origin)


@needs_git
def test_deploy_refuses_drafts_and_failed_builds(repo_site, capsys, tmp_path):
    site, origin = repo_site
    code, _, err = run_cli(["deploy", "--drafts", "--source", str(site)], capsys)
    assert code == 2 and "drafts are never deployed" in err
    assert git("branch", "--list", cwd=origin).strip() == ""

    assert run_cli(["deploy", "--source", str(site)], capsys)[0] == 0
    before = git("rev-parse", "gh-pages", cwd=origin)
    (site / "content/posts/broken.md").write_text("---\ntitle: [깨진\n---\n본문\n",
                                                  encoding="utf-8")
    commit_all(site)
    code, _, err = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 1
    assert "content/posts/broken.md:2" in err
    assert git("rev-parse", "gh-pages", cwd=origin) == before

    # --strict: a warning is enough to deploy nothing.
    (site / "content/posts/broken.md").write_text(
        "---\ntitle: 링크\ndate: 2026-11-22\n---\n[없는 위키](/docs/wiki/nowhere.md)\n",
        encoding="utf-8")
    commit_all(site)
    code, _, err = run_cli(["deploy", "--strict", "--source", str(site)], capsys)
    assert code == 1, err
    assert git("rev-parse", "gh-pages", cwd=origin) == before


@needs_git
def test_deploy_to_a_path_or_url_and_unknown_remote(repo_site, capsys, tmp_path):
    site, _ = repo_site
    other = tmp_path / "other.git"
    git("init", "--quiet", "--bare", str(other), cwd=tmp_path)
    code, _, err = run_cli(["deploy", "--source", str(site), "--remote", str(other),
                            "--branch", "site"], capsys)
    assert code == 0, err
    assert "index.html" in _branch_files(other, "site")
    code, _, err = run_cli(["deploy", "--source", str(site), "--remote", "upstream"], capsys)
    assert code == 2 and "no git remote named 'upstream'" in err


@needs_git
def _site_repo(tmp_path: Path, capsys, remote: str) -> Path:
    site = tmp_path / "site"
    run_cli(["init", str(site)], capsys)
    config = site / "site.yaml"  # its address, in place of init's placeholder
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://example.github.io/", "https://digest-owner.github.io/"), encoding="utf-8")
    git("init", "--quiet", "-b", "main", cwd=site)
    git("remote", "add", "origin", remote, cwd=site)
    git("add", "-A", cwd=site)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "site", cwd=site)
    return site


@needs_git
def test_deploy_to_a_remote_added_as_a_relative_path(tmp_path, capsys, monkeypatch):
    git("init", "--quiet", "--bare", str(tmp_path / "origin.git"), cwd=tmp_path)
    site = _site_repo(tmp_path, capsys, "../origin.git")  # as `git remote add` accepts it
    monkeypatch.chdir(tmp_path.parent)  # deploy run from somewhere else: --source names the site
    code, out, err = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 0, err
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=tmp_path / "origin.git")
                .split())
    assert "index.html" in files


@needs_git
def test_deploy_to_a_file_url_holds_the_site_and_nothing_else(tmp_path, capsys):
    other = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(other), cwd=tmp_path)
    site = _site_repo(tmp_path, capsys, "https://example.invalid/never-used.git")
    (site / "static/CNAME").write_text("digest.example.com\n", encoding="utf-8")
    git("add", "-A", cwd=site)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "CNAME", cwd=site)
    code, out, err = run_cli(["deploy", "--source", str(site), "--remote",
                              other.as_uri()], capsys)
    assert code == 0, err
    assert f"to gh-pages on {other.as_uri()}" in out
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=other).split())
    assert {"index.html", "CNAME", ".nojekyll", "feed.json", "sitemap.xml"} <= files
    # The branch is the built site only: no sources, no workflow, no build marker.
    assert not {f for f in files if f.startswith(("content/", ".github/", "static/"))}
    assert not {"site.yaml", ".gitignore", ".digestgen-build.json"} & files
    assert git("show", "gh-pages:CNAME", cwd=other) == "digest.example.com\n"
    # One commit, a root commit: the branch has no history of the sources.
    assert git("rev-list", "--count", "gh-pages", cwd=other).strip() == "1"
    assert git("log", "--format=%P", "gh-pages", cwd=other).strip() == ""
    # The site repository has no commit yet: the message says what was deployed without one.
    subject = git("log", "--format=%s", "gh-pages", cwd=other).strip()
    head = git("rev-parse", "--short", "HEAD", cwd=site).strip()
    assert subject.startswith(f"Deploy AI 다이제스트 from {head} (1 document, digestgen ")


def test_new_user_flow_end_to_end(tmp_path):
    """The README's publishing steps, run as commands in a shell would run them."""
    env_cwd = tmp_path

    def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["digestgen", *args], cwd=cwd, capture_output=True, text=True)

    assert cli("init", "blog", cwd=env_cwd).returncode == 0
    blog = tmp_path / "blog"
    assert cli("new", "roundup", cwd=blog).returncode == 0
    assert cli("new", "post", "첫 소식", cwd=blog).returncode == 0
    roundup = next((blog / "content/roundups").glob("*.md"))
    roundup.write_text(roundup.read_text(encoding="utf-8").replace("draft: true\n", ""),
                       encoding="utf-8")
    done = cli("build", "--strict", cwd=blog)
    assert done.returncode == 0, done.stderr
    done = cli("check", cwd=blog)
    assert done.returncode == 0, done.stderr
    git("init", "--quiet", "--bare", str(tmp_path / "origin.git"), cwd=tmp_path)
    git("init", "-q", "-b", "main", cwd=blog)
    git("remote", "add", "origin", str(tmp_path / "origin.git"), cwd=blog)
    # init's placeholder address is never published.
    done = cli("deploy", cwd=blog)
    assert done.returncode == 2
    assert "base_url is still the example address https://example.github.io/blog/" in done.stderr
    assert git("branch", "--list", cwd=tmp_path / "origin.git").strip() == ""
    config = blog / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://example.github.io/blog/", "https://digest-owner.github.io/blog/"),
        encoding="utf-8")
    # Nothing committed yet: deploying would publish files under no commit's name.
    done = cli("deploy", cwd=blog)
    assert done.returncode == 2 and "not committed" in done.stderr, done.stderr
    commit_all(blog, "first")
    done = cli("deploy", cwd=blog)
    assert done.returncode == 0, done.stderr
    assert "https://digest-owner.github.io/blog/" in done.stdout
    files = _branch_files(tmp_path / "origin.git")
    assert f"roundups/{roundup.stem}/index.html" in files
    assert not any("첫" in f for f in files)  # the draft post stayed home


# -- reader-facing metadata --------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "site"
    build_site(REPO, output=out)
    return out


def test_open_graph_twitter_and_canonical(example):
    post = page(example, "posts/agent-loop-basics/index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in post.xpath("//meta")}
    canonical = post.xpath("//link[@rel='canonical']/@href")[0]
    assert canonical == "https://example.github.io/ai-digest/posts/agent-loop-basics/"
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article"
    assert meta["og:title"] == post.findtext(".//h1").strip()
    assert meta["og:locale"] == "ko_KR"
    assert meta["og:site_name"] == "AI 다이제스트"
    assert meta["twitter:card"] == "summary_large_image"  # the site draws share cards
    assert meta["og:image"] == "https://example.github.io/ai-digest/og/posts/agent-loop-basics/card.png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:description"] and meta["og:description"] == meta["description"]
    assert meta["article:published_time"].startswith("20")
    home = page(example, "index.html")
    homemeta = {m.get("property") or m.get("name"): m.get("content") for m in home.xpath("//meta")}
    assert homemeta["og:type"] == "website"
    assert home.xpath("//html/@lang") == ["ko"]
    assert home.xpath("//link[@rel='icon']/@href") == ["/ai-digest/favicon.svg"]
    assert (example / "favicon.svg").is_file()


def test_json_ld_blog_posting(example):
    post = page(example, "posts/agent-loop-basics/index.html")
    [script] = post.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == post.findtext(".//h1").strip()
    assert data["url"] == "https://example.github.io/ai-digest/posts/agent-loop-basics/"
    assert data["datePublished"] == post.xpath("//article//time/@datetime")[0]
    assert data["inLanguage"] == "ko"
    assert data["author"]["name"] == "AI 다이제스트 편집부"
    assert not page(example, "index.html").xpath("//script[@type='application/ld+json']")


def test_json_feed_1_1(example):
    home = page(example, "index.html")
    assert home.xpath("//link[@type='application/feed+json']/@href") == ["/ai-digest/feed.json"]
    feed = json.loads((example / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.github.io/ai-digest/feed.json"
    assert feed["home_page_url"] == "https://example.github.io/ai-digest/"
    assert feed["language"] == "ko"
    items = feed["items"]
    assert 0 < len(items) <= 20
    assert len({i["id"] for i in items}) == len(items)
    dates = [datetime.fromisoformat(i["date_published"]) for i in items]
    assert dates == sorted(dates, reverse=True)
    for item in items:
        assert item["url"].startswith("https://example.github.io/ai-digest/")
        assert item.get("content_html") or item.get("content_text")
    # The same entries, in the same order, as the RSS feed (read by a real feed parser).
    feedparser = pytest.importorskip("feedparser")
    rss = feedparser.parse((example / "feed.xml").read_bytes())
    assert [e.link for e in rss.entries] == [i["url"] for i in items]


def test_language_comes_from_site_yaml(tmp_path):
    config = ("title: AI Digest\nbase_url: https://example.github.io/digest/\nlanguage: en\n"
              "timezone: UTC\nauthor:\n  name: The Editors\n")
    site = write_site(tmp_path / "s", {
        "content/posts/hello.md": "---\ntitle: Hello\ndate: 2026-11-20\n---\nBody.\n",
    }, config=config)
    out = build_site(site, output=tmp_path / "out").output
    for rel in ("index.html", "posts/hello/index.html", "tags/index.html", "404.html",
                "search/index.html"):
        assert page(out, rel).xpath("//html/@lang") == ["en"], rel
    post = page(out, "posts/hello/index.html")
    assert post.xpath("//meta[@property='og:locale']/@content") == ["en_US"]
    ld = json.loads(post.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["inLanguage"] == "en"
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["language"] == "en"
    feedparser = pytest.importorskip("feedparser")
    assert feedparser.parse((out / "feed.xml").read_bytes()).feed.language == "en"


def test_every_page_has_canonical_open_graph_twitter_and_icon(deep_site):
    root, result = deep_site
    out = result.output
    documents = {p.path: p.doc.kind for p in result.site.pages}
    checked = 0
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        tree = page(out, rel)
        if tree.xpath("//meta[@http-equiv='refresh']"):
            continue  # an alias's redirect page: canonical only, no meta of its own
        meta = {m.get("property") or m.get("name"): m.get("content")
                for m in tree.xpath("//meta[@property or @name]")}
        [canonical] = tree.xpath("//link[@rel='canonical']/@href")
        assert canonical.startswith(DEEP), rel
        assert meta["og:url"] == canonical, rel
        assert meta["og:title"] and meta["twitter:title"] == meta["og:title"], rel
        # The example site draws share cards: every page has a picture, a PNG of the size
        # it declares, at an address inside the published site.
        assert meta["twitter:card"] == "summary_large_image", rel
        assert meta["twitter:image"] == meta["og:image"] and meta["og:image"].startswith(DEEP), rel
        card = out / unquote(meta["og:image"].removeprefix(DEEP))
        with Image.open(card) as im:
            assert (im.format, im.size) == ("PNG", (int(meta["og:image:width"]),
                                                    int(meta["og:image:height"]))), rel
        assert meta["og:site_name"] == "AI 다이제스트", rel
        assert meta["og:locale"] == "ko_KR", rel
        assert tree.xpath("//html/@lang") == ["ko"], rel
        [icon] = tree.xpath("//link[@rel='icon']/@href")
        assert icon == "/deep/sub/favicon.svg", rel
        site_path = rel.removesuffix("index.html")
        kind = documents.get(site_path)
        blocks = tree.xpath("//script[@type='application/ld+json']/text()")
        if kind in ("post", "roundup", "wiki", "brief"):
            [block] = blocks
            ld = json.loads(block)
            assert ld["@type"] == "BlogPosting" and ld["url"] == canonical, rel
            assert ld["headline"] == tree.findtext(".//h1").strip(), rel
            assert ld["datePublished"] == tree.xpath("//article//time/@datetime")[0], rel
            assert meta["og:type"] == "article", rel
        else:
            assert blocks == [], rel
            assert meta["og:type"] == "website", rel
        checked += 1
    assert checked > 40
    assert (out / "favicon.svg").is_file()


# -- progress ---------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_a_bar_and_in_ci_a_line():
    tty = _Terminal()
    with reporter(tty) as progress:
        progress("load", 0, 600)
        progress("load", 600, 600)
        progress("render", 0, 900)
        progress("render", 900, 900)
    shown = tty.getvalue()
    assert "\x1b[" in shown  # drawn, then cleared: a transient bar
    log = io.StringIO()
    with reporter(log) as progress:
        for stage, total in (("load", 600), ("render", 40)):
            progress(stage, 0, total)
            progress(stage, total // 2, total)
            progress(stage, total, total)
    lines = log.getvalue().splitlines()
    assert len(lines) == 1  # short stages stay silent; no ANSI codes in a log
    assert lines[0].startswith("loading documents: 600 in ") and "\x1b" not in lines[0]
    with reporter(log, enabled=False) as progress:
        assert progress is None


def test_build_reports_progress_through_the_callback(tmp_path):
    files = {f"content/posts/p{k:03d}.md": f"---\ntitle: 글 {k}\ndate: 2026-11-01\n---\n본문 {k}\n"
             for k in range(80)}
    site = write_site(tmp_path / "s", files)
    heard: list[tuple[str, int, int]] = []
    build(BuildOptions(source=site, jobs=2), progress=lambda *a: heard.append(a))
    loads = [h for h in heard if h[0] == "load"]
    renders = [h for h in heard if h[0] == "render"]
    assert loads[0] == ("load", 0, 80) and loads[-1] == ("load", 80, 80)
    assert renders[0][1] == 0 and renders[-1][1] == renders[-1][2] > 80
    assert [d for _, d, _ in renders] == sorted(d for _, d, _ in renders)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("long")
    files = {f"content/posts/p{k:03d}.md": f"---\ntitle: 글 {k}\ndate: 2026-11-01\n---\n본문 {k}\n"
             for k in range(520)}
    return write_site(root / "s", files)


def test_a_build_in_ci_prints_plain_lines(long_site, tmp_path):
    done = subprocess.run([DIGESTGEN, "build", "--no-cache", "--source", str(long_site),
                           "--output", str(tmp_path / "out")], capture_output=True, text=True,
                          env={**os.environ, "TERM": "xterm-256color"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "\x1b" not in done.stderr and "\r" not in done.stderr
    assert [ln.split(":")[0] for ln in lines] == ["loading documents", "rendering pages"], lines
    assert lines[0].startswith("loading documents: 520 in ") and lines[0].endswith(" s")
    assert done.stdout.startswith("built 520 documents")
    quiet = subprocess.run([DIGESTGEN, "build", "--quiet", "--no-cache", "--source",
                            str(long_site), "--output", str(tmp_path / "out2")],
                           capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_build_on_a_terminal_draws_a_bar_and_clears_it(long_site, tmp_path):
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        done = subprocess.run([DIGESTGEN, "build", "--no-cache", "--source", str(long_site),
                               "--output", str(tmp_path / "out")], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=slave, text=True,
                              env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"})
    finally:
        os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert done.returncode == 0, shown
    assert "loading documents" in shown and "rendering pages" in shown
    assert "520/520" in shown  # the bar's count
    assert "\x1b[" in shown  # drawn with terminal control codes (and erased: transient)
    assert "loading documents: 520 in" not in shown  # not the CI line as well
    assert done.stdout.startswith("built 520 documents")


# -- base_url with a sub-path ------------------------------------------------------------------


def test_a_deep_base_path_reaches_every_output(tmp_path, capsys):
    """Pages, assets, feeds, sitemap, search index and 404 page all live under the base path."""
    import gzip
    from xml.etree import ElementTree

    from digestgen.check import check_site

    base = "https://someone.github.io/deep/sub/"
    result = build(BuildOptions(source=REPO, output=tmp_path / "out", base_url=base))
    out = result.output
    assert check_site(result, REPO) == []  # every internal link resolves under /deep/sub/
    not_found = page(out, "404.html")
    links = [link for _, _, link, _ in not_found.iterlinks()]
    assert links and all(link.startswith(("/deep/sub/", base, "#")) for link in links), links
    locs = [e.text for e in ElementTree.parse(out / "sitemap.xml").getroot().iter()
            if e.tag.endswith("loc")]
    assert locs and all(loc.startswith(base) for loc in locs)
    feedparser = pytest.importorskip("feedparser")
    for name in ("feed.xml", "atom.xml", "tags/llm/feed.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert parsed.entries and all(e.link.startswith(base) for e in parsed.entries), name
    assert all(i["url"].startswith(base)
               for i in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"])
    entries = [json.loads(gzip.decompress(f.read_bytes())) for f in (out / "search/f").iterdir()]
    assert entries and all(e["u"].startswith("/deep/sub/") for e in entries)
    search = page(out, "search/index.html")
    assert search.xpath("//input[@id='search-input']/@data-manifest") == [
        "/deep/sub/search/manifest.json"]


# -- new page, archetypes, what init pins -----------------------------------------------------


def test_new_page_lands_at_the_top_of_content_and_is_published(tmp_path, capsys):
    site = tmp_path / "s"
    run_cli(["init", str(site)], capsys)
    code, out, err = run_cli(["new", "page", "소개", "--source", str(site)], capsys)
    assert code == 0, err
    assert out.splitlines() == [f"created {site}/content/소개.md (소개)"]  # not a draft
    assert run_cli(["build", "--strict", "--source", str(site)], capsys)[0] == 0
    assert page(site / "_site", "소개/index.html").findtext(".//title").startswith("소개")


def test_new_uses_the_sites_archetypes(tmp_path, capsys):
    site = tmp_path / "s"
    run_cli(["init", str(site)], capsys)
    (site / "archetypes").mkdir()
    (site / "archetypes/post.md").write_text(
        "---\ntitle: {{ title_yaml }}\ndate: {{ date }}\nslug: {{slug}}\nseries: 연재\n"
        "draft: true\n---\n# {{ title }}에 대하여\n\n{% not a template %} {{ kind }}\n",
        encoding="utf-8")
    (site / "archetypes/default.md").write_text("---\ndate: {{ day }}\n---\n# {{ title }}\n",
                                                encoding="utf-8")
    code, out, err = run_cli(["new", "post", '인용 "부호"', "--source", str(site)], capsys)
    assert code == 0, err
    path = site / "content/posts/인용-부호.md"
    assert out.splitlines()[0] == f"created {path} (인용 \"부호\", from {site}/archetypes/post.md)"
    assert "it is a draft" in out
    text = path.read_text(encoding="utf-8")
    now = datetime.now(SEOUL)
    assert text.startswith('---\ntitle: "인용 \\"부호\\""\ndate: ' + f"{now:%Y-%m-%d} ")
    assert "slug: 인용-부호\nseries: 연재\n" in text
    assert text.endswith('# 인용 "부호"에 대하여\n\n{% not a template %} post\n')  # only {{ }}
    # A kind without its own archetype takes default.md; its extension wins, even for a brief.
    code, out, _ = run_cli(["new", "brief", "보고서", "--source", str(site)], capsys)
    assert code == 0
    brief = site / "content/briefs/보고서.md"
    assert brief.read_text(encoding="utf-8") == f"---\ndate: {now:%Y-%m-%d}\n---\n# 보고서\n"
    assert "draft" not in out
    # The archetype's {% … %} came through as written: the build reads it as a Liquid tag it
    # does not know, keeps it as text and says so (an error under --strict).
    code, _, err = run_cli(["build", "--drafts", "--source", str(site)], capsys)
    assert code == 0, err
    assert "content/posts/인용-부호.md:10: warning: unknown tag {% not %} kept as text" in err


def test_an_archetype_with_an_unknown_placeholder_or_leading_out_is_refused(tmp_path, capsys):
    site = tmp_path / "s"
    run_cli(["init", str(site)], capsys)
    (site / "archetypes").mkdir()
    (site / "archetypes/wiki.md").write_text("---\ncreated: {{ day }}\n---\n{{ .Title }}\n"
                                             "{{ author }}\n", encoding="utf-8")
    code, _, err = run_cli(["new", "wiki", "노트", "--source", str(site)], capsys)
    assert code == 1
    assert f"{site}/archetypes/wiki.md:5: unknown placeholder {{{{ author }}}}" in err
    assert not (site / "content/wiki/노트.md").exists()
    outside = tmp_path / "secret.md"
    outside.write_text("비밀\n", encoding="utf-8")
    (site / "archetypes/post.md").symlink_to(outside)
    code, _, err = run_cli(["new", "post", "글", "--source", str(site)], capsys)
    assert code == 1 and "outside the site; not read" in err
    assert not (site / "content/posts/글.md").exists()


def _dist(tmp_path: Path, direct_url: dict | None, version: str | None = None):
    from importlib import metadata

    from digestgen import __version__

    info = tmp_path / f"digestgen-{version or __version__}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: digestgen\n"
                                   f"Version: {version or __version__}\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    return metadata.PathDistribution(info)


def test_init_pins_the_digestgen_it_ran_with_where_a_runner_can_fetch_it(tmp_path):
    from digestgen import __version__

    def spec(name: str, direct: dict | None, version: str | None = None):
        (tmp_path / name).mkdir()
        return install_spec(_dist(tmp_path / name, direct, version))

    assert spec("index", None) == (f"digestgen=={__version__}", None)
    assert spec("git", {"url": "https://github.com/o/digestgen.git",
                        "vcs_info": {"vcs": "git", "commit_id": "abc123"}}) == (
        "git+https://github.com/o/digestgen.git@abc123", None)
    wheel = "https://example.net/digestgen-0.1.0-py3-none-any.whl"
    assert spec("web", {"url": wheel, "archive_info": {}}) == (wheel, None)
    pinned, note = spec("local", {"url": "file:///home/me/digestgen-0.1.0.whl",
                                  "archive_info": {}})
    assert pinned == f"digestgen=={__version__}"
    assert note.startswith("digestgen was installed from /home/me/digestgen-0.1.0.whl, which "
                           "GitHub's runners cannot reach")
    pinned, note = spec("other", None, "0.0.1")  # not the code that runs
    assert pinned == f"digestgen=={__version__}" and "a source folder" in note


@needs_git
def test_init_pins_a_pushed_clean_checkout_by_its_commit(tmp_path):
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", str(origin), cwd=tmp_path)
    checkout = tmp_path / "digestgen"
    checkout.mkdir()
    (checkout / "a.txt").write_text("x")
    git("init", "-q", "-b", "main", cwd=checkout)
    git("add", "-A", cwd=checkout)
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x",
        cwd=checkout)
    git("remote", "add", "origin", "git@github.com:o/digestgen.git", cwd=checkout)
    git("config", "url." + str(origin) + ".insteadOf", "git@github.com:o/digestgen.git",
        cwd=checkout)
    direct = {"url": checkout.as_uri(), "dir_info": {}}
    (tmp_path / "d").mkdir()
    # Not pushed yet: a runner could not fetch the commit.
    assert install_spec(_dist(tmp_path / "d", direct))[1] is not None
    git("push", "-q", "origin", "main", cwd=checkout)
    head = git("rev-parse", "HEAD", cwd=checkout).strip()
    assert install_spec(_dist(tmp_path / "d", direct)) == (
        f"git+https://github.com/o/digestgen.git@{head}", None)
    (checkout / "a.txt").write_text("changed")  # installed code that is not that commit's
    assert install_spec(_dist(tmp_path / "d", direct))[1] is not None


# -- deploy: the address and uncommitted changes ----------------------------------------------


def test_github_pages_addresses_of_remotes():
    assert github_pages_url("https://github.com/You/my-digest.git") == (
        "https://you.github.io/my-digest/")
    assert github_pages_url("git@github.com:you/you.github.io.git") == "https://you.github.io/"
    assert github_pages_url("ssh://git@github.com/you/blog") == "https://you.github.io/blog/"
    assert github_pages_url("https://gitlab.com/you/blog.git") is None
    assert github_pages_url("/srv/git/blog.git") is None


@needs_git
def test_deploy_refuses_an_address_that_is_not_the_remotes(repo_site, capsys):
    site, origin = repo_site
    git("remote", "set-url", "origin", "https://github.com/someone/site.git", cwd=site)
    git("config", f"url.{origin}.insteadOf", "https://github.com/someone/site.git", cwd=site)
    code, _, err = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 2
    assert err.strip() == (
        "digestgen deploy: base_url https://digest-owner.github.io/site/ is not where GitHub "
        "Pages serves origin; set base_url in site.yaml to the address the site is published "
        "at (https://someone.github.io/site/, for origin), or pass --base-url URL (a custom "
        "domain needs no change); nothing pushed")
    assert git("branch", "--list", cwd=origin).strip() == ""
    # The right address, given on the command line, or a custom domain: pushed.
    code, out, err = run_cli(["deploy", "--source", str(site), "--base-url",
                              "https://someone.github.io/site/"], capsys)
    assert code == 0, err
    assert out.strip().endswith(": https://someone.github.io/site/")
    code, _, err = run_cli(["deploy", "--source", str(site), "--base-url",
                            "https://digest.news.kr/"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["deploy", "--source", str(site), "--base-url",
                            "https://www.example.com/"], capsys)
    assert code == 2 and "is still the example address https://www.example.com/" in err


@needs_git
def test_deploy_refuses_uncommitted_changes_unless_allowed(repo_site, capsys):
    site, origin = repo_site
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0  # _site/, cache, lock
    (site / "content/posts/new.md").write_text("---\ntitle: 새 글\ndate: 2026-11-22\n---\n")
    (site / "content/posts/hello-digest.md").unlink()
    code, _, err = run_cli(["deploy", "--source", str(site)], capsys)
    assert code == 2
    assert err.strip() == (
        "digestgen deploy: 2 files not committed (content/posts/hello-digest.md, "
        "content/posts/new.md); the deploy would publish them under the last commit's name. "
        "Commit them, or pass --allow-dirty; nothing pushed")
    assert git("branch", "--list", cwd=origin).strip() == ""
    code, out, err = run_cli(["deploy", "--allow-dirty", "--source", str(site)], capsys)
    assert code == 0, err
    assert "warning: deploying 2 uncommitted files (content/posts/hello-digest.md, " in err
    head = git("rev-parse", "--short", "HEAD", cwd=site).strip()
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=origin).strip() == (
        f"Deploy AI 다이제스트 from {head} with uncommitted changes (1 document, digestgen "
        f"{__version__})")
    assert "posts/new/index.html" in _branch_files(origin)
