"""Audit of issue 7 (publishing and authoring): what tests/test_publish.py left unproved.

- The Pages workflow's own build step, run as GitHub runs it (the repository's and the one
  ``digestgen init`` writes), and a warning under --strict stopping the publish.
- ``digestgen deploy`` to remotes given as a relative path or a file:// URL, and a branch
  that holds the built site and nothing of the sources.
- ``digestgen new`` reading the date and the week in the site's time zone; every kind it
  writes building under --strict and checking clean.
- ``digestgen check`` on pages without a date, on broken feeds, and with external links
  probed a bounded number at a time, each with its time-out.
- The progress bar through the real command: a pseudo-terminal gets rich's bar, a pipe gets
  plain lines.
- ``lang``, locale and feed language from site.yaml; canonical, Open Graph, Twitter and icon
  on every page; JSON-LD on every document.
- A base_url with a deep sub-path in a real browser: styles, search, feeds and the 404 page
  GitHub Pages serves for a missing path; and no page wider than a phone.
"""

from __future__ import annotations

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
from conftest import DEEP, REPO, build_site, page, run_cli, write_site
from PIL import Image

from digestgen import cli
from digestgen.build import BuildOptions, build
from digestgen.check import check_site
from digestgen.scaffold import new_document

yaml = pytest.importorskip("yaml")

SEOUL = ZoneInfo("Asia/Seoul")
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
DIGESTGEN = shutil.which("digestgen") or "digestgen"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


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


# -- deploy -------------------------------------------------------------------------------------


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


# -- new ----------------------------------------------------------------------------------------


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


# -- check --------------------------------------------------------------------------------------


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


# -- progress -----------------------------------------------------------------------------------


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


# -- lang and meta on every page ----------------------------------------------------------------


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
