"""Shared helpers: write a small site to a temp folder, build it, read its HTML."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digestgen.build import BuildOptions, BuildResult, build
from digestgen.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"

MINIMAL_CONFIG = """\
title: AI 다이제스트
base_url: https://example.github.io/ai-digest/
language: ko
timezone: Asia/Seoul
"""


def write_site(root: Path, files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
    """Create ``root/site.yaml`` and each file (text is dedented; bytes written as they are)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(config, encoding="utf-8")
    return write_files(root, files)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write each file under ``root`` (text is dedented; bytes written as they are)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def build_site(root: Path, **options) -> BuildResult:
    return build(BuildOptions(source=root, **options))


def page(output: Path, rel: str):
    """Parse an output HTML file with lxml."""
    return lxml_html.fromstring((output / rel).read_bytes())


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


def missing_tool(reason: str):
    """Skip, except where the tools are promised (.ci/run sets DIGESTGEN_REQUIRE_TOOLS)."""
    if os.environ.get("DIGESTGEN_REQUIRE_TOOLS"):
        pytest.fail(f"{reason} (DIGESTGEN_REQUIRE_TOOLS is set)")
    pytest.skip(reason)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a browser that closes a connection early is not a test failure


@contextlib.contextmanager
def static_server(root: Path, prefix: str = "ai-digest/") -> Iterator[str]:
    """Serve ``root`` over real HTTP (as GitHub Pages would); yield the URL of ``prefix``."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's headless Chromium, driven by Playwright."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def alias_bomb(levels: int, key: str = "a") -> str:
    """YAML lines of a "billion laughs": each level is nine aliases of the one before, so a
    file of a few hundred bytes expands to 9**levels values."""
    lines = [f'{key}0: &{key}0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"{key}{i}: &{key}{i} [" + ",".join([f"*{key}{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"
