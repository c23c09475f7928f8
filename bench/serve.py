"""Save-to-reload latency of `digestgen serve`, measured in headless Chromium.

    python bench/serve.py [--posts 5000] [--edits 15] [--write]

For the example site (this repository) and a generated site of --posts posts (bench/corpus.py),
starts `digestgen serve`, opens a post in Chromium, then edits that post's Markdown on disk
(write a temp file, rename it over the original, as editors do) and measures from the moment
of the rename to the browser's `load` event of the reloaded page. Also records how many pages
each one-post edit re-rendered (from serve's own report), to show unrelated posts are not.
`--write` puts the table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Serve:
    """`digestgen serve` in a subprocess, its output collected line by line."""

    def __init__(self, source: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "digestgen", "serve", "--source", str(source), "--port", "0",
             "--no-drafts"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.url = ""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 600
        while not self.url:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("serve did not start:\n" + "\n".join(self.lines))
            time.sleep(0.05)

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            m = re.search(r"serving at (\S+)", line)
            if m:
                self.url = m[1]

    def rebuilds(self) -> list[str]:
        return [line for line in self.lines if line.startswith("rebuilt in")]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def measure(source: Path, post_rel: str, page_path: str, edits: int) -> dict:
    from playwright.sync_api import sync_playwright

    post = source / post_rel
    original = post.read_text(encoding="utf-8")
    server = Serve(source)
    latencies, rendered, reloads = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.goto(server.url + page_path)
            page.wait_for_timeout(500)  # the event stream connects
            for k in range(edits):
                page.evaluate("window.__before = true")
                before = len(server.rebuilds())
                tmp = post.with_name(f".{post.name}.tmp")
                tmp.write_text(original + f"\n\n편집 {k}번째: 저장하자마자 다시 읽힙니다.\n",
                               encoding="utf-8")
                saved = time.time() * 1000
                os.replace(tmp, post)
                page.wait_for_function("window.__before === undefined && "
                                       "document.readyState === 'complete'", timeout=30000)
                origin, load = page.evaluate("[performance.timeOrigin, performance."
                                             "getEntriesByType('navigation')[0].loadEventEnd]")
                latencies.append(origin + load - saved)
                reloads.append(origin - saved)  # until the browser starts reloading
                deadline = time.monotonic() + 5
                while len(server.rebuilds()) == before and time.monotonic() < deadline:
                    time.sleep(0.02)
                m = re.search(r"(\d+) pages rendered", server.rebuilds()[-1])
                rendered.append(int(m[1]) if m else -1)
                page.wait_for_timeout(300)  # let the search index catch up before the next edit
            browser.close()
    finally:
        server.close()
        post.write_text(original, encoding="utf-8")
    return {"latency_ms": latencies, "rendered": rendered, "reload_ms": reloads}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(REPO, example, ignore=shutil.ignore_patterns(
            "_site", ".git", ".digestgen-cache", "bench", "tests", "*.egg-info"))
        rows.append(("example site (15 documents)", measure(
            example, "content/posts/agent-loop-basics.md", "posts/agent-loop-basics/",
            args.edits)))
        corpus.write(args.posts, Path(tmp) / "corpus")
        rows.append((f"generated site ({args.posts} posts)", measure(
            Path(tmp) / "corpus/digestgen", "content/posts/post-00010.md",
            "posts/post-00010/", args.edits)))
    lines = [
        "## Live reload: `digestgen serve`",
        "",
        "From renaming the edited Markdown over the original to the reloaded page's `load` "
        f"event in headless Chromium; {args.edits} edits of one post each; pages re-rendered "
        "per edit as serve reports them.",
        "",
        "| site | median (ms) | p90 (ms) | of which until the reload starts (median) | "
        "pages re-rendered per edit (median) |",
        "|---|---|---|---|---|",
    ]
    for name, r in rows:
        lat = sorted(r["latency_ms"])
        p90 = lat[min(len(lat) - 1, int(len(lat) * 0.9))]
        lines.append(f"| {name} | {statistics.median(lat):.0f} | {p90:.0f} | "
                     f"{statistics.median(r['reload_ms']):.0f} | "
                     f"{statistics.median(r['rendered']):.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else "# Benchmark results\n\n"
        old = re.sub(r"## Live reload: `digestgen serve`.*?(?=\n## |\Z)", "", old,
                     flags=re.S).rstrip() + "\n\n"
        results.write_text(old + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
