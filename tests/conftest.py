"""Shared helpers: write a small site to a temp folder, build it, read its HTML."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digestgen.build import BuildOptions, BuildResult, build
from digestgen.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
# Files written for the tests (golden files, fixture briefs, tokenizer cases), shared by the groups.
FIXTURES = Path(__file__).resolve().parent / "fixtures"

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


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (as a path relative to it) → the SHA-256 of its bytes: two
    outputs are byte for byte the same when their trees are equal."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (as a path relative to it) → its bytes, for a test that
    looks inside them (a secret that must not be there)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


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
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # The DNS-rebinding test (commands/test_serve_network.py) needs a name of the
                 # attacker's that leads to 127.0.0.1; no other test asks for it, and a .example
                 # name resolves nowhere else.
                 "--host-resolver-rules=MAP attacker.example 127.0.0.1"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright, one for the whole run: each test opens
    its own context (or page) and closes it, so tests share the process, never a cookie, a
    cache or a page."""
    if not Path(CHROMIUM).exists():
        missing_tool("Debian chromium not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


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


DEEP = "https://someone.github.io/deep/sub/"


@pytest.fixture(scope="session")
def deep_site(tmp_path_factory):
    """The example site built for a project site two folders deep (``DEEP``) into
    ``ROOT/deep/sub``, so that ROOT can be served as the host's root; gives ROOT and the build's
    result. Read by the metadata tests and driven by the browser tests."""
    root = tmp_path_factory.mktemp("deep")
    result = build(BuildOptions(source=REPO, output=root / "deep" / "sub", base_url=DEEP))
    return root, result


def alias_bomb(levels: int, key: str = "a") -> str:
    """YAML lines of a "billion laughs": each level is nine aliases of the one before, so a
    file of a few hundred bytes expands to 9**levels values."""
    lines = [f'{key}0: &{key}0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"{key}{i}: &{key}{i} [" + ",".join([f"*{key}{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


class Running:
    """``digestgen serve`` of the site at ``root`` in a thread, on a free port, as a user would
    run it (real server, real watcher); ``messages`` is what it printed."""

    def __init__(self, root: Path, **options):
        from digestgen.serve import Preview, ServeOptions, serve

        self.root = root
        self.stop = threading.Event()
        self.preview = Preview()
        self.messages: list[str] = []
        self.error: BaseException | None = None
        opts = ServeOptions(source=root, **{"port": 0, **options})

        def run() -> None:
            try:
                serve(opts, stop=self.stop, preview=self.preview, say=self.messages.append)
            except BaseException as exc:  # noqa: BLE001 — surfaced by the test
                self.error = exc
                self.preview.ready.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.preview.ready.wait(20), self.messages
        if self.error:
            raise self.error

    @property
    def url(self) -> str:
        return self.preview.url

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def edit(self, rel: str, text: str) -> None:
        """Save the way editors do: write a temp file, rename it over the original."""
        path = self.root / rel

        def save() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".swp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)

        self.after(save, f"editing {rel}")

    def after(self, action: Callable[[], object], what: str) -> None:
        """Do ``action`` (to the site's files), then wait for the rebuild it causes."""
        builds = self.preview.builds
        errors = self.preview.errors
        self.preview.rebuilt.clear()
        action()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.preview.rebuilt.wait(0.1) and (self.preview.builds != builds
                                                   or self.preview.errors != errors):
                return
        raise AssertionError(f"no rebuild after {what}: {self.messages}")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()
