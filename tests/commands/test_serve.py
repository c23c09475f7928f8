"""`digestgen serve`: a real HTTP server, real file edits, a real headless Chromium."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from conftest import Running, write_site

from digestgen.serve import Preview, ServeError, ServeOptions, serve

SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파 글\ndate: 2024-05-01\ntags: [모델]\n---\n처음 문장입니다.\n",
    "content/posts/beta.md": "---\ntitle: 베타 글\ndate: 2024-06-01\ntags: [정책]\n---\n베타 본문입니다.\n",
    "content/posts/soon.md": "---\ntitle: 곧 나올 글\ndate: 2024-06-02\ndraft: true\n---\n초안 본문.\n",
    "content/wiki/note.md": "---\ncreated: 2024-01-01\n---\n# 노트\n\n노트 본문.\n",
    "static/css/style.css": "body { background: rgb(1, 2, 3); }\n",
    "content/secret.md": "---\ntitle: 비밀\ndate: 2024-01-01\n---\n본문\n",
}


@pytest.fixture
def running(tmp_path):
    r = Running(write_site(tmp_path / "site", SITE))
    yield r
    r.close()
    assert not r.preview.output.exists()  # the private output folder is gone


def test_serves_the_site_under_the_base_path_with_drafts(running):
    assert running.url.endswith("/ai-digest/")
    status, html = running.get("posts/alpha/")
    assert status == 200 and "처음 문장입니다." in html
    assert "EventSource" in html  # the live-reload client, only while serving
    status, html = running.get("posts/soon/")
    assert status == 200 and 'class="draft-badge"' in html
    root = running.url.split("/ai-digest/")[0]
    with urllib.request.urlopen(root + "/") as r:  # the site root redirects to the base path
        assert r.url == running.url


def test_build_output_never_carries_the_live_reload_client(tmp_path):
    from conftest import build_site

    root = write_site(tmp_path / "s", SITE)
    build_site(root)
    for page in (root / "_site").rglob("*.html"):
        assert "EventSource" not in page.read_text(encoding="utf-8")


def raw_get(url: str, path: str) -> int:
    host, port = url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.parametrize("path", [
    "/ai-digest/../site.yaml",
    "/ai-digest/%2e%2e/site.yaml",
    "/ai-digest/%2E%2E/%2E%2E/etc/passwd",
    "/ai-digest/..%2fsite.yaml",
    "/ai-digest/posts\\..\\..\\site.yaml",
    "/site.yaml",
])
def test_never_serves_outside_the_output_folder(running, path):
    assert raw_get(running.url, path) == 404


def test_symlinks_leading_out_are_refused(running, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("비밀 파일")
    (running.preview.output / "leak.txt").symlink_to(outside)
    assert raw_get(running.url, "/ai-digest/leak.txt") == 404


def test_one_post_edit_rerenders_that_post_and_its_lists_only(running):
    running.edit("content/posts/alpha.md",
                 "---\ntitle: 알파 글\ndate: 2024-05-01\ntags: [모델]\n---\n고친 문장입니다.\n")
    result = running.preview.last
    assert result.loaded == ("content/posts/alpha.md",)
    rendered = set(result.rendered)
    assert "posts/alpha/index.html" in rendered
    assert "posts/beta/index.html" not in rendered and "wiki/note/index.html" not in rendered
    assert {"index.html", "posts/index.html", "tags/모델/index.html"} <= rendered
    assert "tags/정책/index.html" not in rendered
    assert "고친 문장입니다." in running.get("posts/alpha/")[1]
    assert any("rebuilt in" in m for m in running.messages)


def test_template_edit_rerenders_the_pages_that_use_it(running):
    running.edit("templates/wiki.html", '{% extends "document.html" %}\n'
                 '{% block before_body %}<p id="custom-wiki">맞춤 위키</p>{% endblock %}\n')
    rendered = set(running.preview.last.rendered)
    assert rendered == {"wiki/note/index.html"}
    assert 'id="custom-wiki"' in running.get("wiki/note/")[1]


def test_a_burst_of_saves_is_one_rebuild(running):
    builds = running.preview.builds
    path = running.root / "content/posts/beta.md"
    for k in range(5):
        tmp = path.with_name(f".beta.md.{k}.tmp")
        tmp.write_text(f"---\ntitle: 베타 글\ndate: 2024-06-01\n---\n{k}번째 저장\n", "utf-8")
        os.replace(tmp, path)
    time.sleep(1.0)
    assert running.preview.builds == builds + 1
    assert "4번째 저장" in running.get("posts/beta/")[1]


def test_a_bad_edit_keeps_the_last_good_pages_and_reports_once(running):
    running.edit("content/posts/beta.md", "---\ntitle: [깨진\ndate: 2024-06-01\n---\n본문\n")
    assert running.preview.errors and running.preview.errors[0].startswith(
        "content/posts/beta.md:2: error: invalid YAML")
    assert running.get("posts/beta/")[0] == 200  # the previous page is still served
    assert sum("build failed" in m for m in running.messages) == 1
    assert not any("Traceback" in m for m in running.messages)
    running.edit("content/posts/beta.md", "---\ntitle: 베타 글\ndate: 2024-06-01\n---\n고침\n")
    assert running.preview.errors == []
    assert any("fixed" in m for m in running.messages)


def test_a_port_given_and_taken_is_refused_with_what_to_do(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError) as info:
            serve(ServeOptions(source=root, port=port), stop=threading.Event(),
                  say=lambda _: None)
    assert info.value.exit_code == 2
    message = info.value.diagnostics[0].format()
    assert message.startswith(f"--port: error: port {port} on 127.0.0.1 is already in use")
    assert "leave out --port" in message
    assert not list(tmp_path.glob("digestgen-serve-*"))


def test_the_command_line_says_only_that_the_port_is_taken(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "digestgen", "serve", "--source", str(root),
                               "--port", str(port)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"--port: error: port {port} on 127.0.0.1 is already in use")
    assert "build failed" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def hold(port: int) -> socket.socket | None:
    """A listening socket on ``port`` (None if something else holds it already)."""
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        return None
    s.listen()
    return s


def test_without_a_port_the_next_free_one_is_taken_and_named(tmp_path):
    held = hold(8000)  # if another program holds 8000, that is the same test
    try:
        running = Running(write_site(tmp_path / "site", SITE), port=None)
        try:
            port = int(running.url.split(":")[2].split("/")[0])
            assert port != 8000
            assert f"port 8000 is in use; using port {port} instead" in running.messages
            assert running.get("posts/alpha/")[0] == 200
        finally:
            running.close()
    finally:
        if held:
            held.close()


def test_without_a_port_any_free_one_is_taken_when_the_usual_ones_are(tmp_path, monkeypatch):
    import digestgen.serve

    held = [socket.socket(), socket.socket()]
    for s in held:
        s.bind(("127.0.0.1", 0))
        s.listen()
    ports = tuple(s.getsockname()[1] for s in held)
    monkeypatch.setattr(digestgen.serve, "DEFAULT_PORTS", (*ports, 0))
    try:
        running = Running(write_site(tmp_path / "site", SITE), port=None)
        try:
            port = int(running.url.split(":")[2].split("/")[0])
            assert port not in ports
            assert f"port {ports[0]} is in use; using port {port} instead" in running.messages
            assert running.get("posts/alpha/")[0] == 200
        finally:
            running.close()
    finally:
        for s in held:
            s.close()


def test_ctrl_c_stops_cleanly(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "digestgen", "serve", "--source", str(root),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.monotonic() + 20
    line = ""
    while time.monotonic() < deadline and "serving at" not in line:
        line = proc.stdout.readline()
    assert "serving at http://127.0.0.1:" in line
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "stopped" in out and "Traceback" not in err
    assert not list(tmp_path.glob("digestgen-serve-*"))


def test_warns_when_listening_beyond_this_machine(tmp_path):
    messages: list[str] = []
    stop = threading.Event()
    preview = Preview()
    root = write_site(tmp_path / "site", SITE)
    thread = threading.Thread(target=serve, args=(ServeOptions(source=root, host="0.0.0.0",
                                                               port=0),),
                              kwargs={"stop": stop, "preview": preview,
                                      "say": messages.append}, daemon=True)
    thread.start()
    assert preview.ready.wait(20)
    stop.set()
    thread.join(10)
    assert any(m.startswith("warning: serving on 0.0.0.0") for m in messages)


# -- in the browser --------------------------------------------------------------------------


def wait_for_stream(running: Running, clients: int = 1) -> None:
    """The page's live-reload stream is connected (so no edit slips in before it listens)."""
    deadline = time.monotonic() + 5
    while running.preview.events.clients < clients:
        assert time.monotonic() < deadline, "the page never opened its event stream"
        time.sleep(0.02)


def test_edit_shows_without_a_manual_reload(running, browser):
    page = browser.new_page()
    page.goto(running.url + "posts/alpha/")
    wait_for_stream(running)
    running.edit("content/posts/alpha.md",
                 "---\ntitle: 알파 글\ndate: 2024-05-01\n---\n브라우저가 알아서 새로 읽었습니다.\n")
    page.wait_for_function("document.body.innerText.includes('브라우저가 알아서 새로 읽었습니다.')",
                           timeout=5000)
    page.close()


def test_bad_edit_shows_an_overlay_over_the_last_good_page_and_fixing_clears_it(running, browser):
    page = browser.new_page()
    page.goto(running.url + "posts/alpha/")
    wait_for_stream(running)
    running.edit("content/posts/alpha.md", "---\ntitle: [깨진\n---\n본문\n")
    overlay = page.locator("#digestgen-error-overlay")
    overlay.wait_for(timeout=5000)
    assert overlay.get_attribute("role") == "alert"
    assert "content/posts/alpha.md:2: error: invalid YAML" in overlay.inner_text()
    assert "처음 문장입니다." in page.inner_text("main")  # the last good page is underneath
    assert page.evaluate("!document.getElementById('digestgen-error-overlay').shadowRoot")
    assert running.get("posts/beta/")[0] == 200  # the server still answers
    # A tab opened while the build is broken shows the overlay too.
    other = browser.new_page()
    other.goto(running.url + "posts/beta/")
    other.locator("#digestgen-error-overlay").wait_for(timeout=5000)
    other.close()
    running.edit("content/posts/alpha.md",
                 "---\ntitle: 알파 글\ndate: 2024-05-01\n---\n다시 고쳤습니다.\n")
    page.wait_for_function("document.body.innerText.includes('다시 고쳤습니다.')", timeout=5000)
    assert page.locator("#digestgen-error-overlay").count() == 0
    page.close()


def test_css_edit_swaps_the_stylesheet_without_navigating(running, browser):
    page = browser.new_page()
    page.goto(running.url + "posts/alpha/")
    wait_for_stream(running)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(1, 2, 3)"
    page.evaluate("window.__stillHere = true")
    running.edit("static/css/style.css", "body { background: rgb(4, 5, 6); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'",
                           timeout=5000)
    assert page.evaluate("window.__stillHere === true")  # no navigation happened
    page.close()
