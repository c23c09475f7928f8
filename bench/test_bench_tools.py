"""The search benchmark's own parts: the bare CDP client (bench/cdp.py) and the servers that
count the bytes they send (bench/search.py). Figures in bench/RESULTS.md rest on them.

Beside the tools they test, so a copy without bench/ (the sdist) has no test that needs it;
`pytest` runs them with the rest (pyproject's testpaths), `pytest bench` on their own."""

from __future__ import annotations

import contextlib
import gzip
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# One rule for a missing tool, the suite's own: skip, or fail where .ci/run promised the tools.
sys.path.insert(1, str(HERE.parent / "tests"))

import cdp  # noqa: E402
import search  # noqa: E402
from conftest import missing_tool  # noqa: E402


@pytest.fixture
def browser():
    if not Path(search.CHROMIUM).exists():
        missing_tool("Debian chromium not installed")
    with cdp.Browser(search.CHROMIUM, search.BROWSER_ARGS) as b:
        yield b


def _site(root: Path) -> Path:
    (root / "bench").mkdir(parents=True)
    (root / "bench/index.html").write_text(
        "<!doctype html><title>t</title><script>window.ready = 'yes'</script>", "utf-8"
    )
    (root / "bench/data.json").write_text('{"word": "' + "모델 " * 500 + '"}', "utf-8")
    (root / "bench/blob.json.gz").write_bytes(gzip.compress(b'{"n": 1}'))
    return root


def test_pages_run_script_and_server_counts_what_it_sent(tmp_path, browser):
    root = _site(tmp_path / "www")
    with search.serve(root, use_nginx=False) as (base, name, sent):
        assert name == "python"
        page = browser.new_page(base + "/bench/index.html")
        assert page.evaluate("window.ready") == "yes"
        mark = len(sent())
        text = page.call("async u => (await fetch(u)).text()", "/bench/data.json")
        assert text.count("모델") == 500
        raw = page.call(
            "async u => new Uint8Array(await (await fetch(u)).arrayBuffer()).length",
            "/bench/blob.json.gz",
        )
        # A .gz file is sent as it is (as GitHub Pages does): the page inflates it itself.
        assert raw == (root / "bench/blob.json.gz").stat().st_size
        logged = sent()[mark:]
        paths = [p for _, p in logged]
        assert paths.count("/bench/data.json") == 1
        size = next(n for n, p in logged if p == "/bench/data.json")
        # Text goes out gzipped, as GitHub Pages sends it: far fewer bytes than the file.
        assert 0 < size < (root / "bench/data.json").stat().st_size / 10
        page.close()


def test_a_new_page_has_its_own_cache_and_no_network_agent(tmp_path, browser):
    root = _site(tmp_path / "www")
    with search.serve(root, use_nginx=False) as (base, _, sent):
        fetch = "async u => (await fetch(u)).text()"
        first = browser.new_page(base + "/bench/index.html")
        first.call(fetch, "/bench/data.json")
        first.call(fetch, "/bench/data.json")  # max-age: the second comes from its cache
        first.close()
        second = browser.new_page(base + "/bench/index.html")
        second.call(fetch, "/bench/data.json")  # a new context: fetched again
        assert [p for _, p in sent()].count("/bench/data.json") == 2
        # The agent is off until asked for; turning it on is a command like any other.
        assert second.send("Network.enable") == {}
        assert second.call(fetch, "/bench/data.json").startswith('{"word"')
        second.close()


def test_page_errors_and_bad_commands_are_reported(tmp_path, browser):
    root = _site(tmp_path / "www")
    with search.serve(root, use_nginx=False) as (base, _, _sent):
        page = browser.new_page(base + "/bench/index.html")
        with pytest.raises(cdp.CDPError, match="in the page: .*boom"):
            page.evaluate("(() => { throw new Error('boom') })()")
        with pytest.raises(cdp.CDPError, match="No.Such.method|wasn't found"):
            page.send("No.Such.method")
        assert page.evaluate("1 + 1") == 2  # the session still works
        page.close()


def test_nginx_log_is_read_as_bytes_and_paths_as_it_grows(tmp_path):
    log = tmp_path / "sent.log"
    sent = search.SentLog(log)
    assert sent() == []  # nothing logged yet
    log.write_text("120 /bench/search/manifest.json\n0 /missing\n2048 /a b?v=1\n30", "utf-8")
    assert sent() == [
        (120, "/bench/search/manifest.json"),
        (0, "/missing"),
        (2048, "/a b?v=1"),
    ]  # "30" is a line nginx is still writing
    with log.open("a", encoding="utf-8") as more:
        more.write("0 /f/1.json.gz\n7 /f/2.json.gz\n")
    assert sent()[3:] == [(300, "/f/1.json.gz"), (7, "/f/2.json.gz")]
    assert sent()[3:] == [(300, "/f/1.json.gz"), (7, "/f/2.json.gz")]  # nothing read twice


def test_cpus_awake_holds_its_request_only_inside_the_block():
    with search.cpus_awake() as held:
        if not held:
            pytest.skip("PM QoS needs root and /dev/cpu_dma_latency")
        assert "/dev/cpu_dma_latency" in _open_files()
    assert "/dev/cpu_dma_latency" not in _open_files()


def _open_files() -> set[str]:
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, closed by now
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
    return found
