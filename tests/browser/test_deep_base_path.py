"""A project site two folders deep (the example built for ``DEEP``), served as GitHub Pages
serves it (a missing path gets the site's 404.html, status 404), in a real headless Chromium:
styles, icon, feeds, search and the 404 page all work under the base path, and no page is wider
than a phone, in light or dark mode."""

from __future__ import annotations

import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


class _Pages(SimpleHTTPRequestHandler):
    """Like GitHub Pages: a missing path gets the site's 404.html, with status 404."""

    not_found: Path

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def deep_server(deep_site):
    root, result = deep_site
    handler = type("Handler", (_Pages,), {"not_found": result.output / "404.html"})
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 lambda *a: handler(*a, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _open(browser, url: str, **context):
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    failed: list[str] = []
    pg.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    pg.on("response", lambda r: failed.append(f"{r.status} {r.url}")
          if r.status >= 400 and r.url != url else None)
    response = pg.goto(url, wait_until="load")
    return ctx, pg, response, failed


def test_a_deep_base_path_works_in_a_browser(deep_server, browser):
    origin = deep_server
    # Home: the stylesheet, the icon and every asset load from under /deep/sub/.
    ctx, pg, response, failed = _open(browser, origin + "/deep/sub/")
    try:
        assert response.status == 200
        assert pg.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(252, 252, 250)"  # the theme's --bg: the stylesheet was found
        icon = pg.evaluate("document.querySelector('link[rel=icon]').href")
        assert pg.request.get(icon).status == 200
        for feed in ("feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt"):
            assert pg.request.get(origin + "/deep/sub/" + feed).status == 200, feed
        # The header's search box leads to the search page under the base path.
        pg.fill(".site-search input", "모델")
        pg.press(".site-search input", "Enter")
        pg.wait_for_selector("#search-results li a", timeout=10_000)
        assert pg.url.startswith(origin + "/deep/sub/search/?q=")
        hrefs = pg.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
        assert hrefs and all(h.startswith(origin + "/deep/sub/") for h in hrefs), hrefs
        for href in hrefs[:5]:
            assert pg.request.get(href).status == 200, href
        assert failed == [], failed
    finally:
        ctx.close()

    # A missing page: GitHub serves 404.html at that address; its links and styles still work.
    missing = origin + "/deep/sub/posts/no/such/page/"
    ctx, pg, response, failed = _open(browser, missing)
    try:
        assert response.status == 404
        assert pg.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(252, 252, 250)"
        assert failed == [], failed
        pg.click(".not-found a >> nth=0")
        pg.wait_for_load_state("load")
        assert pg.url == origin + "/deep/sub/"
    finally:
        ctx.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "posts/open-weight-llm-landscape/",
                                  "posts/eu-ai-act-enters-into-force/", "wiki/machine-learning/",
                                  "briefs/ai-brief-2025-02/", "tags/llm/", "search/?q=모델"])
def test_no_page_is_wider_than_a_phone(deep_server, browser, path, scheme):
    """Tables, code blocks, long URLs and the header scroll or wrap inside the page; the page
    itself never scrolls sideways, and the header keeps its search box on the first row."""
    ctx, pg, response, failed = _open(browser, deep_server + "/deep/sub/" + path,
                                      color_scheme=scheme, **PHONE)
    try:
        if "search/" in path:
            pg.wait_for_selector("#search-results li", timeout=10_000)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        # Anything past the right edge sits inside a box that scrolls it (a table, a code
        # block, the menu row).
        # (A phone's layout viewport grows with a page too wide for it: compare with 390.)
        loose = pg.evaluate("""(edge) => [...document.querySelectorAll('main *, header *')].filter(e => {
            if (e.getBoundingClientRect().right <= edge + 1) return false;
            for (let p = e.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
            }
            return true;
        }).map(e => e.tagName + '.' + e.className)""", 390)
        assert loose == [], loose
        header = pg.evaluate("""() => {
            const t = document.querySelector('.site-title').getBoundingClientRect();
            const s = document.querySelector('.site-search');
            const n = document.querySelector('.site-nav').getBoundingClientRect();
            // Every menu item in full sight: inside the screen, not masked or clipped.
            const hidden = [...document.querySelectorAll('.site-nav a')].filter(a => {
                const r = a.getBoundingClientRect();
                if (r.left < 0 || r.right > window.innerWidth || r.width === 0) return true;
                for (let p = a.parentElement; p; p = p.parentElement) {
                    const cs = getComputedStyle(p);
                    if (cs.maskImage !== 'none' && cs.maskImage) return true;
                    if (cs.overflowX !== 'visible') return true;
                }
                return false;
            }).map(a => a.textContent);
            return {title: t.top, search: s ? s.getBoundingClientRect().top : null,
                    nav: n.top, navHeight: n.height, hidden};
        }""")
        if header["search"] is not None:
            assert abs(header["search"] - header["title"]) < 12, header  # one row
        assert header["hidden"] == [], header
        # The menu wraps onto at most two short rows below the title.
        assert header["nav"] > header["title"] and header["navHeight"] < 80, header
    finally:
        ctx.close()
