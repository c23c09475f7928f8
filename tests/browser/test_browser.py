"""The example site in a real headless Chromium: pages load whole, nothing is missing, the
layout holds at phone width, and dark mode applies."""

from __future__ import annotations

import pytest
from conftest import REPO, build_site, static_server

PAGES = ["", "posts/", "posts/agent-loop-basics/", "wiki/machine-learning/",
         "briefs/ai-brief-2025-02/", "roundups/2024-04-w4/", "tags/", "tags/llm/", "archive/",
         "about/"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example site built and served under its base path, as GitHub Pages would."""
    root = tmp_path_factory.mktemp("srv")
    build_site(REPO, output=root / "ai-digest")
    with static_server(root) as url:
        yield url


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_load_completely_and_fit_the_screen(served, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    problems: list[str] = []
    # This machine has no internet: embedded YouTube players cannot load, and are not ours to test.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served)
                  else route.abort())
    pg = context.new_page()
    pg.on("console", lambda msg: msg.type == "error" and "ERR_FAILED" not in msg.text
          and problems.append(msg.text))
    pg.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    # A request cut short by the next navigation (the favicon, often) is not a failure.
    pg.on("requestfailed", lambda r: r.url.startswith(served) and "ABORTED" not in (r.failure or "")
          and problems.append(f"failed {r.url}: {r.failure}"))
    for path in PAGES:
        response = pg.goto(served + path)
        assert response.status == 200, path
        # The stylesheet applied (the header is laid out as flex), and nothing overflows sideways.
        assert pg.evaluate("getComputedStyle(document.querySelector('.header-inner')).display") == "flex"
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} overflows by {overflow}px at {width}px"
        assert pg.title(), path
    context.close()
    assert problems == []


def test_images_render(served, browser):
    pg = browser.new_page()
    pg.goto(served + "posts/agent-loop-basics/")
    images = pg.locator(".doc-body img")
    assert images.count() > 0
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()  # they are loading="lazy"
    pg.wait_for_function("[...document.querySelectorAll('.doc-body img')]"
                         ".every(i => i.complete && i.naturalWidth > 0)", timeout=5000)
    pg.close()


def test_dark_mode_changes_the_palette(served, browser):
    colors = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        pg = context.new_page()
        pg.goto(served + "posts/agent-loop-basics/")
        colors[scheme] = pg.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colors["light"] != colors["dark"]


def test_toc_links_jump_to_headings(served, browser):
    pg = browser.new_page()
    pg.goto(served + "wiki/hugging-face/")
    link = pg.locator("nav.toc a").nth(1)
    target = link.get_attribute("href")
    link.click()
    assert pg.evaluate("decodeURIComponent(location.hash)") == target
    heading_top = pg.evaluate(
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).getBoundingClientRect().top")
    assert 0 <= heading_top < 100
    pg.close()
