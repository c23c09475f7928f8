"""Publishing and authoring as a new user runs it: init → new → build → check → deploy (to a
local bare git repository), and the reader-facing metadata (Open Graph, JSON-LD, JSON Feed)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO, build_site, page, run_cli, write_site

from digestgen import __version__
from digestgen.build import BuildOptions, build
from digestgen.deploy import github_pages_url
from digestgen.progress import reporter
from digestgen.scaffold import install_spec, pages_workflow, week_title

SEOUL = ZoneInfo("Asia/Seoul")
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


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
