"""The default theme as a reader uses it, in a real headless Chromium at desktop (1280 px) and
phone (390 px) width: math, diagrams, copy buttons, the table of contents, the light/dark
toggle, pagination, keyboard access, and a site in English."""

from __future__ import annotations

import re

import pytest
from conftest import MINIMAL_CONFIG, build_site, static_server, write_site

WIDTHS = [1280, 390]

CODE = 'def attention(q, k, v):\n    return softmax(q @ k.T / sqrt(d)) @ v  # ' + "긴 주석 " * 20
SITE = {
    "content/posts/math.md": """\
        ---
        title: 수식이 있는 글
        date: 2024-05-10
        tags: [수학]
        ---
        인라인 $E = mc^2$ 그리고 분수 $\\frac{a}{b}$.

        $$
        \\sum_{i=1}^{n} x_i = x_1 + x_2 + x_3 + x_4 + x_5 + x_6 + x_7 + x_8 + x_9 + x_{10} + x_{11} + x_{12} + x_{13} + x_{14} + x_{15}
        $$
        """,
    "content/posts/diagram.md": """\
        ---
        title: 그림이 있는 글
        date: 2024-05-09
        ---
        ```mermaid
        flowchart LR
          A[질문] --> B{도구가 필요한가}
          B -->|예| C[도구 실행]
          B -->|아니오| D[답변]
        ```
        """,
    "content/posts/code.md": "---\ntitle: 코드가 있는 긴 글\ndate: 2024-05-08\n---\n첫 문단.\n\n"
                             + "## 첫째 절\n\n" + "본문 문장입니다. " * 80 + "\n\n"
                             + f"```python\n{CODE}\n```\n\n"
                             + "## 둘째 절\n\n" + "본문 문장입니다. " * 80 + "\n\n"
                             + "## 셋째 절\n\n" + "본문 문장입니다. " * 80 + "\n",
    **{f"content/posts/p{k}.md": f"---\ntitle: 목록용 글 {k}\ndate: 2024-04-{k:02d}\n---\n본문.\n"
       for k in range(1, 6)},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("theme")
    site = write_site(root / "site", SITE, MINIMAL_CONFIG + "paginate: 2\n")
    build_site(site, output=root / "www" / "ai-digest")
    english = write_site(root / "en", {"content/posts/code.md": SITE["content/posts/code.md"],
                                       **{f"content/posts/p{k}.md":
                                          f"---\ntitle: Post {k}\ndate: 2024-04-{k:02d}\n---\nText.\n"
                                          for k in range(1, 6)}},
                         MINIMAL_CONFIG.replace("language: ko", "language: en")
                         .replace("/ai-digest/", "/en/").replace("AI 다이제스트", "AI Digest")
                         + "paginate: 2\n")
    build_site(english, output=root / "www" / "en")
    with static_server(root / "www", "") as url:
        yield url


def _page(browser, served, width, scheme="light", **kw):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                  **kw)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    return context, context.new_page(), requests


def _background(pg) -> str:
    return pg.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize("width", WIDTHS)
def test_math_is_laid_out_as_mathml_and_a_wide_formula_scrolls_in_its_box(served, browser, width):
    context, pg, requests = _page(browser, served, width)
    pg.goto(served + "ai-digest/posts/math/")
    sizes = pg.evaluate("""[...document.querySelectorAll('.doc-body math')].map(m => {
        const r = m.getBoundingClientRect(); return [m.namespaceURI, r.width, r.height]; })""")
    assert len(sizes) == 3
    assert all(ns == "http://www.w3.org/1998/Math/MathML" and w > 0 and h > 0
               for ns, w, h in sizes), sizes
    # A fraction is drawn as one: numerator above denominator, not "a/b" on a line.
    over, under = pg.evaluate("[...document.querySelector('mfrac').children]"
                              ".map(c => c.getBoundingClientRect()).map(r => [r.top, r.bottom])")
    assert over[1] <= under[0] + 1
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    box = pg.evaluate("""(() => { const d = document.querySelector('div.math.display');
        return [d.scrollWidth > d.clientWidth, d.tabIndex]; })()""")
    assert box[1] == 0
    if width == 390:
        assert box[0], "the long sum should scroll inside its box on a phone"
    assert all(u.startswith(served) for u in requests), requests  # no web font, no script CDN
    assert not any("mermaid" in u or "diagrams.js" in u for u in requests)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_mermaid_diagram_is_drawn_from_the_site_and_follows_dark_mode(served, browser, width):
    context, pg, requests = _page(browser, served, width)
    pg.goto(served + "ai-digest/posts/diagram/")
    pg.wait_for_function("document.documentElement.dataset.diagrams === 'default'",
                         timeout=20_000)
    assert pg.locator(".mermaid-diagram svg").count() == 1
    assert not pg.locator(".mermaid-source").is_visible()
    labels = pg.locator(".mermaid-diagram svg").text_content()
    assert "도구 실행" in labels and "질문" in labels

    def node_fill() -> str:
        return pg.evaluate("getComputedStyle(document.querySelector("
                           "'.mermaid-diagram svg .node rect, .mermaid-diagram svg .node polygon'"
                           ")).fill")

    light = node_fill()
    pg.click(".theme-toggle")
    pg.wait_for_function("document.documentElement.dataset.diagrams === 'dark'", timeout=20_000)
    assert node_fill() != light
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    assert all(u.startswith(served) for u in requests), [u for u in requests
                                                         if not u.startswith(served)]
    assert any("/ai-digest/js/mermaid/mermaid.esm.min.mjs" in u for u in requests)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_copy_button_copies_the_code_as_written(served, browser, width):
    context, pg, _ = _page(browser, served, width)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg.goto(served + "ai-digest/posts/code/")
    button = pg.locator(".code-block .copy-code")
    assert button.count() == 1 and button.inner_text() == "복사"
    assert button.get_attribute("aria-label") == "코드 복사"
    button.scroll_into_view_if_needed()
    button.click()
    assert pg.evaluate("navigator.clipboard.readText()") == CODE + "\n"
    assert button.inner_text() == "복사했습니다"
    # The button stays in the block's corner when the code scrolls sideways.
    before = button.bounding_box()
    pg.evaluate("document.querySelector('pre.highlight').scrollLeft = 300")
    assert button.bounding_box() == before
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_table_of_contents_is_pinned_beside_the_text_on_wide_screens(served, browser, width):
    context, pg, _ = _page(browser, served, width)
    pg.goto(served + "ai-digest/posts/code/")
    toc, body = pg.locator("nav.toc"), pg.locator(".doc-body")
    assert toc.locator("a").all_inner_texts() == ["첫째 절", "둘째 절", "셋째 절"]
    t, b = toc.bounding_box(), body.bounding_box()
    if width == 1280:
        assert t["x"] >= b["x"] + b["width"]  # in the margin, right of the text
        pg.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        pg.wait_for_timeout(200)
        top = toc.bounding_box()["y"]
        assert 0 <= top < 100  # pinned: still in view half-way down
        # It marks the section being read.
        pg.evaluate("document.getElementById('셋째-절').scrollIntoView({block: 'start'})")
        pg.wait_for_function("document.querySelector('nav.toc a[aria-current]')?.textContent"
                             " === '셋째 절'", timeout=5000)
    else:
        assert t["y"] + t["height"] <= b["y"]  # above the text, full width
        assert t["width"] > width * 0.8
        assert pg.locator("nav.toc a[aria-current]").count() == 0
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_light_dark_toggle_switches_and_is_remembered(served, browser, width):
    context, pg, _ = _page(browser, served, width, scheme="light")
    pg.goto(served + "ai-digest/posts/code/")
    toggle = pg.locator(".theme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    light = _background(pg)
    toggle.click()
    dark = _background(pg)
    assert dark != light and toggle.get_attribute("aria-pressed") == "true"
    # Code colours follow: the highlighter's dark style.
    keyword = "getComputedStyle(document.querySelector('pre.highlight .k')).color"
    dark_keyword = pg.evaluate(keyword)
    pg.reload()
    assert _background(pg) == dark and pg.evaluate(keyword) == dark_keyword
    pg.goto(served + "ai-digest/")
    assert _background(pg) == dark
    pg.locator(".theme-toggle").click()
    assert _background(pg) == light
    pg.goto(served + "ai-digest/posts/code/")
    assert _background(pg) == light and pg.evaluate(keyword) != dark_keyword
    context.close()
    # A system in dark mode starts dark; the reader's "light" wins over it.
    context, pg, _ = _page(browser, served, width, scheme="dark")
    pg.goto(served + "ai-digest/")
    assert _background(pg) == dark
    assert pg.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    pg.locator(".theme-toggle").click()
    pg.reload()
    assert _background(pg) == light
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_korean_pagination_goes_where_its_words_say(served, browser, width):
    context, pg, _ = _page(browser, served, width)
    pg.goto(served + "ai-digest/page/2/")
    assert pg.locator(".pagination [aria-current='page']").inner_text() == "2"
    pg.get_by_role("link", name="다음 페이지").click()
    assert pg.url == served + "ai-digest/page/3/"
    assert pg.locator(".pagination [aria-current='page']").inner_text() == "3"
    pg.get_by_role("link", name="이전 페이지").click()
    pg.get_by_role("link", name="이전 페이지").click()
    assert pg.url == served + "ai-digest/"
    assert pg.locator(".pagination [aria-current='page']").inner_text() == "1"
    assert pg.get_by_role("link", name="이전 페이지").count() == 0
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_english_site_speaks_english(served, browser, width):
    context, pg, _ = _page(browser, served, width)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    pg.goto(served + "en/posts/code/")
    assert pg.locator(".site-nav a").all_inner_texts() == ["Posts", "Tags", "Archive"]
    assert pg.get_by_role("button", name="Dark mode").is_visible()
    assert pg.get_by_role("button", name="Copy code").inner_text() == "Copy"
    assert pg.locator("#toc-title").inner_text() == "Contents"
    assert pg.locator(".reading-time").inner_text().endswith("min read")
    pg.goto(served + "en/page/2/")
    pg.get_by_role("link", name="Next page").click()
    assert pg.url == served + "en/page/3/"
    assert not re.search(r"[\uac00-\ud7a3]", pg.locator("body").inner_text())
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_code_blocks_and_heading_links_are_reachable_by_keyboard(served, browser, width):
    context, pg, _ = _page(browser, served, width)
    pg.goto(served + "ai-digest/posts/code/")
    reached = []
    for _ in range(40):
        pg.keyboard.press("Tab")
        reached.append(pg.evaluate("(e => e.tagName + '.' + e.className)(document.activeElement)"))
        if reached[-1] == "PRE.highlight":
            break
    assert "A.anchor" in reached and reached[-1] == "PRE.highlight", reached
    # The focused code block scrolls with the arrow keys.
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function("document.activeElement.scrollLeft > 0", timeout=3000)
    pg.focus("a.anchor")
    assert float(pg.evaluate("getComputedStyle(document.activeElement).opacity")) == 1
    context.close()
