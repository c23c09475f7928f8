"""Hostile and broken input: digestgen keeps working, says what is wrong (file and line, all at
once), loses nothing, and never lets content do harm."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, build_site, page, run_cli, static_server, tree, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from digestgen.config import load_config
from digestgen.errors import Severity
from digestgen.load import load_document
from digestgen.markdown import MarkdownRenderer
from digestgen.model import SourceFile
from digestgen.write import JOURNAL, exchange

GOOD = "---\ntitle: 좋은 글\ndate: 2024-04-24\n---\n좋은 본문입니다.\n"


# -- every error, at once, with its file and line ---------------------------------------------

# file → (bytes, line, what the message says)
BROKEN: dict[str, tuple[bytes, int, str]] = {
    "content/posts/bad-yaml.md": ("---\ntitle: [깨진\n---\n본문\n".encode(), 2, "invalid YAML"),
    "content/posts/bad-toml.md": ('+++\ntitle = "깨진\n+++\n본문\n'.encode(), 2, "invalid TOML"),
    "content/posts/fm-list.md": ("---\n- 가\n- 나\n---\n본문\n".encode(), 1, "must be a mapping"),
    "content/posts/fm-scalar.md": ("---\n그냥 문장\n---\n본문\n".encode(), 1, "must be a mapping"),
    "content/posts/date-number.md": ("---\ntitle: 숫자\ndate: 20240424\n---\n본문\n".encode(), 3,
                                     "frontmatter 'date'"),
    "content/posts/date-impossible.md": ("---\ntitle: 없는 날\ndate: 2024-02-30\n---\n본문\n"
                                         .encode(), 3, "impossible date"),
    "content/posts/tags-dict.md": ("---\ntitle: 태그\ndate: 2024-04-24\ntags: {가: 1}\n---\n본문\n"
                                   .encode(), 4, "frontmatter 'tags'"),
    "content/posts/nul.md": ("---\ntitle: 널\ndate: 2024-04-24\n---\n본문\x00\x01 이진\n".encode(), 5,
                             "binary data"),
    "content/posts/bad-utf8.md": (b"---\ntitle: x\ndate: 2024-04-24\n---\n\xff\xfe\xfa \xb0\n", 5,
                                  "not valid UTF-8"),
    "content/posts/evil-slug.md": ("---\ntitle: 슬러그\ndate: 2024-04-24\nslug: ../../etc/evil\n"
                                   "---\n본문\n".encode(), 4, "not a plain name"),
    "content/posts/evil-alias.md": ("---\ntitle: 별칭\ndate: 2024-04-24\n"
                                    "aliases: [../../../../tmp/pwn.html]\n---\n본문\n".encode(), 4,
                                    "leaves the output folder"),
    "content/posts/evil-permalink.md": ("---\ntitle: 주소\ndate: 2024-04-24\n"
                                        "permalink: /../../../x/\n---\n본문\n".encode(), 4,
                                        "permalink: path"),
    "content/posts/same-a.md": (b"---\ntitle: A\ndate: 2024-04-24\nslug: same\n---\na\n", 1,
                                "same URL /posts/same/"),
    "content/posts/same-b.md": (b"---\ntitle: B\ndate: 2024-04-24\nslug: same\n---\nb\n", 1,
                                "same URL /posts/same/"),
    "content/posts/Case.md": ("---\ntitle: 대문자\ndate: 2024-04-24\n---\na\n".encode(), 1,
                              "same URL /posts/case/"),
    "content/posts/case.md": ("---\ntitle: 소문자\ndate: 2024-04-24\n---\nb\n".encode(), 1,
                              "same URL /posts/case/"),
}


def test_every_content_error_is_listed_at_once_and_the_output_kept(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = tree(site / "_site")
    for rel, (data, _, _) in BROKEN.items():
        (site / rel).write_bytes(data)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "Traceback" not in err
    for rel, (_, line, what) in BROKEN.items():
        expected = f"{rel}:{line}: error: "
        found = [ln for ln in err.splitlines() if ln.startswith(expected)]
        assert found and any(what in ln for ln in found), f"{expected} … {what}\n{err}"
    assert f"build failed: {err.count(': error: ')} errors" in err
    assert tree(site / "_site") == before


def test_nfc_and_nfd_names_that_collide(tmp_path, capsys):
    site = write_site(tmp_path / "s", {})
    posts = site / "content/posts"
    posts.mkdir(parents=True)
    nfc, nfd = unicodedata.normalize("NFC", "한글.md"), unicodedata.normalize("NFD", "한글.md")
    (posts / nfc).write_text(GOOD, encoding="utf-8")
    (posts / nfd).write_text(GOOD.replace("좋은 글", "다른 글"), encoding="utf-8")
    if len(list(posts.iterdir())) < 2:
        pytest.skip("this file system normalises names itself")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "content/posts/한글.md: error: two files have this name" in unicodedata.normalize(
        "NFC", err)
    assert "NFC" in err and "NFD" in err


def test_output_folder_that_holds_the_content_is_refused(tmp_path, capsys):
    site = write_site(tmp_path / "site", {"content/posts/good.md": GOOD})
    for output in (site, tmp_path, site / "content"):
        code, _, err = run_cli(["build", "--source", str(site), "--output", str(output)], capsys)
        assert code == 2, output
        assert "Traceback" not in err
    assert (site / "content/posts/good.md").read_text(encoding="utf-8") == GOOD


def test_output_folder_inside_static_or_templates_is_refused(tmp_path, capsys):
    # Each build would copy the last output (static files are copied as they are) into itself.
    site = write_site(tmp_path / "site", {"content/posts/good.md": GOOD,
                                          "static/favicon.svg": "<svg/>"})
    for output in (site / "static/out", site / "static", site / "templates/out"):
        code, _, err = run_cli(["build", "--source", str(site), "--output", str(output)], capsys)
        assert code == 2, output
        assert "overlaps" in err and "Traceback" not in err
        assert not (site / "static/out").exists()


def test_debug_shows_the_traceback(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/bad.md": "---\ntitle: [x\n---\n"})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 1
    with pytest.raises(Exception) as raised:
        run_cli(["--debug", "build", "--source", str(site)], capsys)
    assert "bad.md" in str(raised.value) or raised.value.diagnostics


# -- what survives builds, and every good file gets its page -----------------------------------


def _big_post() -> str:
    rng = random.Random(7)
    words = ["인공지능", "모델", "에이전트", "데이터", "학습", "추론", "오픈소스", "정책", "GPU", "LLM"]
    parts, size, k = ["---\ntitle: 10MB 글\ndate: 2024-04-20\n---\n"], 0, 0
    while size < 10 * 1024 * 1024:
        k += 1
        text = (f"\n## 절 {k}\n\n" if k % 25 == 0 else
                " ".join(rng.choice(words) for _ in range(40)) + "\n\n")
        parts.append(text)
        size += len(text.encode())
    return "".join(parts)


def _long_brief() -> str:
    lines = ["AI 브리프 2024년 3월호", ""]
    for k in range(50_000):
        if k % 1000 == 0:
            lines += ["", f"{k // 1000 + 1}. 기사 제목 {k}", "", "KEY Contents"]
        elif k % 25 == 0:
            lines.append("● 소제목")
        else:
            lines.append(f" - 항목 {k}: 정부와 기업이 발표한 인공지능 관련 내용")
    return "\n".join(lines) + "\n"


def test_a_site_of_every_survivable_case_builds_every_good_file(tmp_path, capsys):
    files: dict[str, str | bytes] = {
        "content/posts/good.md": GOOD,
        "content/posts/empty.md": "",
        "content/posts/only-frontmatter.md": "---\ntitle: 앞머리뿐\ndate: 2024-04-21\n---\n",
        "content/posts/utf16.md": "---\ntitle: UTF-16 글\ndate: 2024-04-22\n---\n본문\n".encode(
            "utf-16"),
        "content/posts/cp949.md": ("---\ntitle: 완성형 글\ndate: 2024-04-23\n---\n"
                                   "옛 블로그에서 가져온 한국어 본문입니다.\n").encode("cp949"),
        "content/posts/upper.md": "---\ntitle: 대문자 태그\ndate: 2024-04-24\ntags: [LLM]\n---\n가\n",
        "content/posts/lower.md": "---\ntitle: 소문자 태그\ndate: 2024-04-24\ntags: [llm]\n---\n나\n",
        "content/posts/huge.md": _big_post(),
        "content/briefs/long.txt": _long_brief(),
    }
    site = write_site(tmp_path / "s", files)
    posts = site / "content/posts"
    os.symlink("/etc/passwd", posts / "outside.md")
    os.symlink("loop-b.md", posts / "loop-a.md")
    os.symlink("loop-a.md", posts / "loop-b.md")
    os.symlink("nowhere.md", posts / "dangling.md")
    os.symlink(str(tmp_path), posts / "up")  # a folder link out of the site
    os.mkfifo(posts / "fifo.md")  # reading it would block forever
    code, out, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    for rel, says in (("outside.md", "outside the site folder"), ("loop-a.md", "symlink loop"),
                      ("loop-b.md", "symlink loop"), ("dangling.md", "broken symlink"),
                      ("fifo.md", "not a regular file"), ("up", "outside the site folder"),
                      ("utf16.md:1", "UTF-16"), ("cp949.md:1", "CP949"),
                      ("empty.md:1", "no date found")):
        assert any(ln.startswith(f"content/posts/{rel}") and says in ln
                   for ln in err.splitlines()), f"{rel}: {says}\n{err}"
    out_dir = site / "_site"
    for slug, title in (("good", "좋은 글"), ("only-frontmatter", "앞머리뿐"),
                        ("utf16", "UTF-16 글"), ("cp949", "완성형 글"), ("huge", "10MB 글"),
                        ("empty", "empty")):
        doc = page(out_dir, f"posts/{slug}/index.html")
        assert doc.findtext(".//h1").strip() == title, slug
    cp949 = page(out_dir, "posts/cp949/index.html")
    assert "옛 블로그에서 가져온" in cp949.text_content()
    huge = (out_dir / "posts/huge/index.html").read_bytes()
    assert len(huge) > 10 * 1024 * 1024 and huge.count(b"<h2") >= 100
    brief = page(out_dir, "briefs/long/index.html")
    assert len(brief.xpath("//article//h2 | //article//h3")) >= 50
    # LLM and llm: one tag page listing both posts.
    tag = page(out_dir, "tags/llm/index.html")
    assert {"대문자 태그", "소문자 태그"} <= {a.text_content().strip() for a in tag.xpath("//a")}
    assert not (out_dir / "tags/LLM").exists()
    assert not any("passwd" in p.name for p in out_dir.rglob("*"))
    assert "root:" not in "".join(p.read_text(errors="replace") for p in out_dir.rglob("*.html"))


def test_an_unreadable_file_is_an_error_naming_it(tmp_path):
    """Root reads any file: as root, the build runs in a forked child that has become 'nobody'
    (the interpreter is already loaded, so nobody needs no access to it)."""
    import shutil

    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="digestgen-unreadable-")) if as_root else tmp_path
    try:
        site = write_site(folder / "s", {"content/posts/good.md": GOOD,
                                         "content/posts/secret.md": GOOD})
        # A first build, readable, loads every module the build needs: nobody could not
        # import them from root's site-packages.
        from digestgen.cli import main

        assert main(["build", "-q", "--no-cache", "--source", str(site)]) == 0
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        (site / "content/posts/secret.md").chmod(0)
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (runs in the child)
            code = 3
            try:
                os.close(read)
                sys.stderr = open(write, "w", encoding="utf-8")  # noqa: SIM115
                if as_root:
                    os.setgid(65534)
                    os.setuid(65534)
                code = main(["build", "--no-cache", "--source", str(site)])
                sys.stderr.flush()
            finally:
                os._exit(code)
        os.close(write)
        with os.fdopen(read, encoding="utf-8", errors="replace") as pipe:
            err = pipe.read()
        _, status = os.waitpid(child, 0)
    finally:
        if as_root:
            shutil.rmtree(folder, ignore_errors=True)
    assert os.waitstatus_to_exitcode(status) == 1, err
    assert "content/posts/secret.md: error: cannot read file: Permission denied" in err
    assert "Traceback" not in err


# -- safety ------------------------------------------------------------------------------------

XSS_CONFIG = """\
title: "<script>window.__pwned.push('site')</script> 제목"
base_url: https://example.github.io/h/
language: ko
timezone: Asia/Seoul
description: "</script><script>window.__pwned.push('desc')</script>"
"""

XSS_POST = """\
---
title: "</script><script>window.__pwned.push('title')</script><b>굵게</b> & \\"따옴표\\""
description: "\\"><img src=x onerror=window.__pwned.push('description')> </script>"
date: 2024-04-24
tags: ["<svg onload=window.__pwned.push('tag')>", "</script>"]
categories: ["\\"><script>window.__pwned.push('category')</script>"]
---
본문 <script>window.__pwned.push('body')</script> <img src=x onerror="window.__pwned.push('img')">
<a href="javascript:window.__pwned.push('href')" id="js-link">링크</a>
<iframe src="https://evil.example.com/"></iframe>
<form action="https://evil.example.com/"><input name="q"></form>
<svg><script>window.__pwned.push('svg')</script></svg>
<style>body { display: none }</style>

![x](../../../../etc/passwd) [[../../../etc/passwd]]
"""


# Math the converter would turn into markup, a diagram whose labels are markup, a picture and
# an author that are attacks.
XSS_MATH_AND_DIAGRAM = """---
title: 수식과 그림
date: 2024-01-02
image: "javascript:window.__pwned.push('image')"
author: {name: "<script>window.__pwned.push('author')</script>", url: "javascript:alert(1)"}
---
$\\text{<img src=x onerror=window.__pwned.push('math')>}$ and $\\href{javascript:alert(1)}{x}$

$$
\\text{<script>window.__pwned.push('display')</script>}
$$

```mermaid
flowchart LR
  A["<img src=x onerror=window.__pwned.push('mermaid')>"] --> B["<script>window.__pwned.push('m2')</script>"]
  click A "javascript:window.__pwned.push('click')"
```
"""


def _xss_site(tmp_path: Path) -> Path:
    site = write_site(tmp_path / "s", {"content/posts/xss.md": XSS_POST,
                                       "content/posts/math.md": XSS_MATH_AND_DIAGRAM,
                                       "content/briefs/xss.txt": (
                                           "<script>window.__pwned.push('brief')</script> 브리프\n\n"
                                           "1. <img src=x onerror=window.__pwned.push('b')>\n\n"
                                           "본문입니다.\n")}, XSS_CONFIG)
    build_site(site, output=tmp_path / "out" / "h")
    return tmp_path / "out"


# The theme's only inline script, as its base.html writes it.
THEME_SNIPPET = re.search(r"<script>(.*?)</script>",
                          (REPO / "templates/base.html").read_text(encoding="utf-8"))[1]


def test_content_cannot_inject_markup_anywhere(tmp_path):
    out = _xss_site(tmp_path) / "h"
    for file in sorted(out.rglob("*.html")):
        doc = page(out, file.relative_to(out).as_posix())
        rel = file.relative_to(out).as_posix()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            assert not [a for a in el.attrib if a.lower().startswith("on")], (rel, el.tag)
            assert not el.get("href", "").strip().lower().startswith("javascript:"), rel
            assert el.tag not in ("iframe", "form", "style", "object", "embed") or \
                el.getparent() is not None and el.tag == "form" and "search" in (
                    el.get("class") or ""), (rel, el.tag)
        for script in doc.iter("script"):
            # Only the theme's own: external files, JSON data, JSON-LD, and the one line that
            # applies the reader's light/dark choice before the page paints.
            assert script.get("src") or script.get("type") in (
                "application/json", "application/ld+json") or script.text == THEME_SNIPPET, rel
        assert "window.__pwned" not in "".join(
            s.text or "" for s in doc.iter("script") if not s.get("type"))
    for rel in ("feed.xml", "atom.xml", "tags/script/feed.xml", "sitemap.xml"):
        text = (out / rel).read_text(encoding="utf-8")
        assert "<script>" not in text and "<svg onload" not in text, rel
    for rel in ("feed.xml", "atom.xml"):
        etree.fromstring((out / rel).read_bytes())  # still well-formed XML
    assert not any("passwd" in p.name for p in out.rglob("*"))


def test_no_script_runs_in_a_browser(tmp_path, browser):
    root = _xss_site(tmp_path)
    pages = [p.relative_to(root / "h").as_posix().removesuffix("index.html")
             for p in (root / "h").rglob("*.html")]
    with static_server(root, "h/") as base:
        context = browser.new_context()
        context.add_init_script("window.__pwned = [];")
        dialogs: list[str] = []
        pg = context.new_page()
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in [*pages, "search/?q=script", "search/?q=pwned", "search/?q=브리프"]:
            pg.goto(base + rel, wait_until="load")
            if pg.locator(".mermaid-diagram").count():
                pg.wait_for_function("document.documentElement.dataset.diagrams",
                                     timeout=20_000)
                pg.locator(".mermaid-diagram svg .node").first.click()
            if rel.startswith("search/?"):
                pg.wait_for_function(
                    "document.getElementById('search-status').textContent.length > 0")
            assert pg.evaluate("window.__pwned") == [], rel
            assert pg.evaluate(
                "document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0, rel
            inline = pg.evaluate("[...document.querySelectorAll('script:not([src]):not([type])')]"
                                 ".map(s => s.textContent)")
            assert inline == [THEME_SNIPPET], rel
        context.close()
    assert dialogs == []


def _json_strings(folder: Path) -> set[str]:
    """Every string value in the JSON (or gzipped JSON) files under ``folder``."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in folder.rglob("*.json*"):
        data = path.read_bytes()
        walk(json.loads(gzip.decompress(data) if path.suffix == ".gz" else data))
    return found


TRICKY = "{{ 7*7 }} ]]> --> <!-- </script><script>alert(\"t\")</script> & <b>굵게</b> 'q'"
TRICKY_DESC = "</title><meta http-equiv=refresh content=0;url=//evil.example.com> \"설명\" &amp;"
TRICKY_TAG = "\"><svg/onload=alert(1)>"


def test_titles_descriptions_and_tags_arrive_as_exact_text_on_every_surface(tmp_path):
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    site = write_site(tmp_path / "s", {"content/posts/tricky.md": (
        f"---\ntitle: {q(TRICKY)}\ndescription: {q(TRICKY_DESC)}\ndate: 2024-04-24\n"
        f"tags: [{q(TRICKY_TAG)}]\n---\n본문 {{{{ 7*7 }}}} 그대로.\n")})
    build_site(site)
    out = site / "_site"
    doc = page(out, "posts/tricky/index.html")
    assert doc.findtext(".//h1").strip() == TRICKY  # no template ran: {{ 7*7 }}, not 49
    assert doc.findtext(".//title").startswith(TRICKY + " | ")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")
            if m.get("property") or m.get("name")}
    assert meta["og:title"] == meta["twitter:title"] == TRICKY
    assert meta["description"] == meta["og:description"] == TRICKY_DESC
    assert meta["article:tag"] == TRICKY_TAG
    assert not doc.xpath("//meta[@http-equiv='refresh']")  # the description made none
    [ld] = [s for s in doc.iter("script") if s.get("type") == "application/ld+json"]
    assert "</" not in ld.text  # nothing inside can close the script element
    data = json.loads(ld.text)
    assert (data["headline"], data["description"], data["keywords"]) == (
        TRICKY, TRICKY_DESC, [TRICKY_TAG])
    assert "본문 {{ 7*7 }} 그대로." in doc.xpath("//div[@class='doc-body']")[0].text_content()
    for listing in ("index.html", "posts/index.html"):
        assert TRICKY in [a.text_content().strip() for a in page(out, listing).iter("a")], listing
    rss = etree.fromstring((out / "feed.xml").read_bytes())
    assert rss.findtext("channel/item/title") == TRICKY
    assert rss.findtext("channel/item/category") == TRICKY_TAG
    atom = etree.fromstring((out / "atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:entry/a:title", namespaces=ns) == TRICKY
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert (feed["items"][0]["title"], feed["items"][0]["tags"]) == (TRICKY, [TRICKY_TAG])
    # The search index (whatever its layout) carries the title as a JSON string, which the
    # search page shows with textContent.
    assert TRICKY in _json_strings(out / "search")
    etree.fromstring((out / "sitemap.xml").read_bytes())


# -- atomicity: SIGKILL and two builds at once ---------------------------------------------------


def _posts(n: int, version: str) -> dict[str, str]:
    return {f"content/posts/p{k:03d}.md":
            f"---\ntitle: 글 {k} {version}\ndate: 2024-04-{1 + k % 28:02d}\ntags: [t{k % 9}]\n---\n"
            + f"## 절\n\n{version} 본문 {k}. " * 30 + "\n"
            for k in range(n)}


def _cli(site: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digestgen", "build", "-q", "--source",
                             str(site), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_a_build_killed_at_any_moment_leaves_whole_files(tmp_path):
    n = 240
    old, new = _posts(n, "옛"), _posts(n, "새")
    ref_old = write_site(tmp_path / "ref-old", old)
    ref_new = write_site(tmp_path / "ref-new", new)
    assert _cli(ref_old, "--no-cache").wait() == 0
    assert _cli(ref_new, "--no-cache").wait() == 0
    want_old, want_new = tree(ref_old / "_site"), tree(ref_new / "_site")
    assert want_old != want_new

    site = write_site(tmp_path / "site", old)
    probe = [tmp_path / "probe-a", tmp_path / "probe-b"]
    for folder in probe:
        folder.mkdir()
    swaps = exchange(*probe)  # this file system swaps folders in one rename
    assert _cli(site).wait() == 0
    start = time.perf_counter()
    assert _cli(site).wait() == 0  # nothing to do: a quick build
    rng = random.Random(20241123)
    write_site(site, new)
    full = time.perf_counter()
    assert _cli(site).wait() == 0
    full = time.perf_counter() - full
    assert tree(site / "_site") == want_new
    del start
    for trial in range(6):
        write_site(site, old)
        assert _cli(site).wait() == 0
        assert tree(site / "_site") == want_old
        write_site(site, new)
        proc = _cli(site)
        time.sleep(rng.uniform(0.05, full))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree(site / "_site")
        # Each file is whole: the old build's or the new build's, never a torn or temp file.
        for rel, digest in now.items():
            assert digest in (want_old.get(rel), want_new.get(rel)), (trial, rel)
        journaled = any((p / JOURNAL).exists() for p in site.glob("._site.tmp-*"))
        if swaps or not journaled:
            # The staged site is swapped in with one rename: killed before it, the old site;
            # after it, the new one. Never a mixture. (Where the file system cannot swap, a
            # journaled commit may be under way, and the next build finishes it.)
            assert now in (want_old, want_new), f"trial {trial}: a mixed output"
        # The next build finishes (or redoes) the work: exactly the new site.
        assert _cli(site).wait() == 0
        assert tree(site / "_site") == want_new, trial
        assert not list(site.glob("._site.*"))


def test_two_builds_at_once_do_not_corrupt_the_site(tmp_path):
    site = write_site(tmp_path / "s", _posts(240, "가"))
    ref = write_site(tmp_path / "ref", _posts(240, "가"))
    assert _cli(ref, "--no-cache").wait() == 0
    first, second = _cli(site, "--jobs", "1"), _cli(site, "--jobs", "1")
    results = [first.wait(), second.wait()]
    errors = first.stderr.read() + second.stderr.read()
    assert 0 in results
    for code in results:
        assert code in (0, 1)
    if 1 in results:  # the loser says why, and did no harm
        assert "another digestgen build is writing this output folder" in errors
    assert "Traceback" not in errors
    assert tree(site / "_site") == tree(ref / "_site")


def test_a_build_while_another_holds_the_lock_says_so_and_changes_nothing(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = tree(site / "_site")
    (site / "content/posts/new.md").write_text(GOOD.replace("좋은 글", "새 글"), encoding="utf-8")
    from digestgen.write import build_lock

    with build_lock(site / "_site"):  # what a running build holds
        code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "Traceback" not in err
    assert "another digestgen build is writing this output folder" in err
    assert tree(site / "_site") == before
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0  # free again: it builds
    assert page(site / "_site", "posts/new/index.html").findtext(".//h1").strip() == "새 글"


# -- property: any bytes in, a document or our own error out -----------------------------------

_FRAMES = st.sampled_from(["", "---\n", "+++\n", "---\ntitle: x\n---\n", "\ufeff---\n",
                           "---\ndate: 2024-13-45\n---\n", "+++\ndate = 1979-05-27\n+++\n"])
_BODIES = st.one_of(st.text(max_size=400), st.binary(max_size=400).map(
    lambda b: b.decode("latin-1")))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRAMES, _BODIES, st.sampled_from(["posts/a.md", "wiki/a.md", "briefs/a.txt",
                                          "roundups/a.md", "a.md"]),
       st.sampled_from(["utf-8", "utf-16", "cp949", "raw"]))
def test_any_input_is_a_document_or_a_content_error(frame, body, name, encoding):
    text = frame + body
    if encoding == "raw":
        data = text.encode("latin-1", errors="replace")
    else:
        data = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as tmp:
        root = write_site(Path(tmp), {})
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        config = load_config(root)
        section = name.split("/")[0] if "/" in name else ""
        kind = {"posts": "post", "wiki": "wiki", "briefs": "brief",
                "roundups": "roundup"}.get(section, "page")
        src = SourceFile(rel_path=f"content/{name}", content_path=name, section=section,
                         kind=kind, abs_path=str(path))
        doc, diags = load_document(src, config, MarkdownRenderer(config.markdown))
    assert all(d.path == f"content/{name}" for d in diags)
    if doc is None:
        assert any(d.severity is Severity.ERROR for d in diags)
    else:
        assert doc.title and isinstance(doc.body_html, str)


def test_a_document_whose_name_starts_with_a_dot_is_named_not_skipped_silently(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"content/posts/good.md": GOOD,
                                       "content/posts/..md": GOOD, "content/posts/....md": GOOD,
                                       "content/posts/.hidden.md": GOOD,
                                       "content/posts/._good.md": "macOS resource fork",
                                       "content/posts/.gitkeep": ""})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    for name in ("..md", "....md", ".hidden.md"):
        assert (f"content/posts/{name}: warning: a hidden file (its name starts with '.') is "
                f"not published; rename it to publish it") in err
    assert "._good.md" not in err and ".gitkeep" not in err  # the system's, not the author's
