"""Build speed and memory: digestgen against Hugo (and MkDocs) on the same generated corpus.

    python bench/run.py [--posts 5000] [--runs 3] [--scale 1000,5000,20000,50000] [--write]

Makes the corpus with bench/corpus.py (digestgen's layout, Hugo's, and MkDocs'), installs the
peers if it can (Debian `hugo` with apt; `mkdocs` with pip into bench/.tools/venv) and skips
any it cannot, with a note. Then, alternating tools run by run:

- cold: a full build from nothing (no output, no cache);
- warm: the same build again with nothing changed;
- one post edited: a line added to one post, then a build.

Each measured as wall time, CPU time (user + system, children included) and peak memory (the
largest sum of proportional set size over the tool's process tree, sampled every 20 ms, so
forked workers are not counted twice). Medians over --runs. Hugo and MkDocs have no build
cache: their warm and edited builds are full builds, which is what the targets compare with.
`--scale` also times digestgen's cold build at each size. `--write` puts the tables in
bench/RESULTS.md, with the machine and the versions.
"""

from __future__ import annotations

import argparse
import os
import platform
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
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

TOOLS = HERE / ".tools"
EDITED = "content/posts/post-00010.md"


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return out


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Measure:
    """Runs a command; records wall time, CPU time and peak PSS of its process tree."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict | None = None):
        self.cmd, self.cwd, self.env = cmd, cwd, env

    def run(self) -> dict:
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                tree, todo = [], [proc.pid]
                while todo:
                    pid = todo.pop()
                    tree.append(pid)
                    todo += _children(pid)
                peak = max(peak, sum(_pss(p) for p in tree))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, _ = proc.communicate()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        after = os.times()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(self.cmd)} failed:\n{out[-2000:]}")
        cpu = (after.children_user - before.children_user
               + after.children_system - before.children_system)
        return {"wall": wall, "cpu": cpu, "mem": peak, "out": out}


# -- the tools -------------------------------------------------------------------------------


class Tool:
    name = ""
    version = ""

    def __init__(self, root: Path):
        self.root = root

    def cold(self) -> dict:
        raise NotImplementedError

    def again(self) -> dict:
        raise NotImplementedError


class Digestgen(Tool):
    name = "digestgen"

    def __init__(self, root: Path):
        super().__init__(root / "digestgen")
        from digestgen import __version__

        self.version = __version__

    def _build(self) -> dict:
        # Not quiet: the summary line says how many documents were loaded and pages rendered.
        result = Measure([sys.executable, "-m", "digestgen", "build"], self.root).run()
        found = re.search(r"(\d+) loaded, (\d+) pages? rendered", result["out"])
        if found:
            result["loaded"], result["rendered"] = int(found[1]), int(found[2])
        elif "nothing changed" in result["out"]:
            result["loaded"] = result["rendered"] = 0
        else:
            result["loaded"] = result["rendered"] = -1  # not reported
        return result

    def cold(self) -> dict:
        shutil.rmtree(self.root / "_site", ignore_errors=True)
        shutil.rmtree(self.root / ".digestgen-cache", ignore_errors=True)
        return self._build()

    def again(self) -> dict:
        return self._build()


class Hugo(Tool):
    name = "hugo"

    def __init__(self, root: Path, binary: str):
        super().__init__(root / "hugo")
        self.binary = binary
        self.version = subprocess.run([binary, "version"], capture_output=True,
                                      text=True).stdout.split()[1]

    def _build(self) -> dict:
        return Measure([self.binary, "--quiet"], self.root).run()

    def cold(self) -> dict:
        for folder in ("public", "resources"):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        return self._build()

    def again(self) -> dict:
        return self._build()


class MkDocs(Tool):
    name = "mkdocs"

    def __init__(self, root: Path, python: Path):
        super().__init__(root / "mkdocs")
        self.python = python
        out = subprocess.run([str(python), "-m", "mkdocs", "--version"], capture_output=True,
                             text=True).stdout
        self.version = (re.search(r"version (\S+)", out) or re.search("(.*)", out))[1]

    def _build(self) -> dict:
        return Measure([str(self.python), "-m", "mkdocs", "build", "--quiet"], self.root).run()

    def cold(self) -> dict:
        shutil.rmtree(self.root / "site", ignore_errors=True)
        return self._build()

    def again(self) -> dict:
        return self._build()


def find_hugo() -> str | None:
    binary = shutil.which("hugo")
    if binary is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        binary = shutil.which("hugo")
    return binary


def find_mkdocs() -> Path | None:
    venv = TOOLS / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                           capture_output=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "mkdocs"], check=True,
                           capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            return None
    return python


def make_mkdocs_layout(root: Path) -> None:
    """MkDocs' layout of the same posts: docs/posts/*.md and a minimal mkdocs.yml."""
    src, docs = root / "digestgen/content/posts", root / "mkdocs/docs/posts"
    docs.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        shutil.copy(path, docs / path.name)
    (root / "mkdocs/docs/index.md").write_text("# 벤치마크 다이제스트\n", encoding="utf-8")
    # An explicit nav: by default every page would list all 5,000 pages in its sidebar, which
    # no blog does and which makes MkDocs' output (and time) grow with the square of the posts.
    (root / "mkdocs/mkdocs.yml").write_text(
        "site_name: 벤치마크 다이제스트\nsite_url: https://example.github.io/bench/\n"
        "nav:\n  - index.md\nmarkdown_extensions: [tables, fenced_code, codehilite]\n",
        encoding="utf-8")


# -- runs ------------------------------------------------------------------------------------


def edit(tool: Tool, k: int) -> None:
    rel = EDITED if tool.name != "mkdocs" else "docs/posts/post-00010.md"
    with open(tool.root / rel, "a", encoding="utf-8") as handle:
        handle.write(f"\n고친 문장 {k}번째.\n")


def compare(tools: list[Tool], runs: int) -> dict:
    results = {t.name: {"cold": [], "warm": [], "edit": []} for t in tools}
    for k in range(runs):
        for tool in tools:  # tools alternate within each round
            results[tool.name]["cold"].append(tool.cold())
            results[tool.name]["warm"].append(tool.again())
            edit(tool, k)
            results[tool.name]["edit"].append(tool.again())
            print(f"round {k + 1}: {tool.name} done", file=sys.stderr, flush=True)
    return results


def med(values: list[dict], field: str) -> float:
    return statistics.median(v[field] for v in values)


def _spin(n: int) -> float:
    start = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - start


def parallel_capacity() -> float:
    """How much faster two CPU-bound processes finish than one after the other, on this
    machine now: 2.0 on two free cores, less when the two vCPUs share a physical core or the
    host is busy. Build times on 2 cores depend on it, so the results record it."""
    import multiprocessing

    n = 20_000_000
    one = min(_spin(n) for _ in range(2))
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [n, n])
    return 2 * one / (time.perf_counter() - start)


def comparison_table(tools: list[Tool], results: dict, posts: int, notes: list[str]) -> str:
    lines = [
        "## Build speed and memory: digestgen vs Hugo",
        "",
        f"{posts} generated Korean posts (bench/corpus.py: ~4 KB of Markdown each with headings, "
        "lists, a table, a code block, 1–3 tags, a category), built by each tool in turn, "
        f"{len(next(iter(results.values()))['cold'])} rounds, medians. Machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; two processes ran {parallel_capacity():.2f}× as fast as one "
        "(2.00 on two free cores). Versions: "
        + ", ".join(f"{t.name} {t.version}" for t in tools) + ".",
        "",
        "| tool | build | wall (s) | CPU (s) | peak memory (MB) | wall vs Hugo's full build "
        "| documents loaded, pages rendered |",
        "|---|---|---|---|---|---|---|",
    ]
    hugo = results.get("hugo")
    hugo_cold = med(hugo["cold"], "wall") if hugo else None
    hugo_mem = med(hugo["cold"], "mem") if hugo else None
    for tool in tools:
        r = results[tool.name]
        for label, key in (("cold (full)", "cold"), ("warm, nothing changed", "warm"),
                           ("one post edited", "edit")):
            wall = med(r[key], "wall")
            ratio = f"{wall / hugo_cold:.2f}×" if hugo_cold else "n/a"
            work = ("n/a" if "rendered" not in r[key][0] else
                    f"{med(r[key], 'loaded'):.0f}, {med(r[key], 'rendered'):.0f}")
            lines.append(f"| {tool.name} | {label} | {wall:.2f} | {med(r[key], 'cpu'):.2f} | "
                         f"{med(r[key], 'mem') / 1e6:.0f} | {ratio} | {work} |")
    if hugo_mem:
        dg = med(results["digestgen"]["cold"], "mem")
        lines += ["", f"Peak memory of digestgen's cold build: {dg / hugo_mem:.2f}× Hugo's."]
    lines += ["", *notes]
    return "\n".join(lines) + "\n"


def scale(sizes: list[int], work: Path) -> str:
    lines = ["## Scale: digestgen's cold build by corpus size", "",
             "| posts | wall (s) | CPU (s) | peak memory (MB) | wall ms per post | "
             "CPU ms per post |",
             "|---|---|---|---|---|---|"]
    capacity = []
    for n in sizes:
        root = work / f"scale-{n}"
        corpus.write(n, root)
        tool = Digestgen(root)
        capacity.append(parallel_capacity())  # the VM's cores are shared: say how free they were
        m = tool.cold()
        lines.append(f"| {n} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['mem'] / 1e6:.0f} | "
                     f"{m['wall'] / n * 1000:.2f} | {m['cpu'] / n * 1000:.2f} |")
        print(lines[-1], file=sys.stderr, flush=True)
        shutil.rmtree(root, ignore_errors=True)
    lines += ["", f"One cold build each (`python bench/run.py --posts 0 --scale "
              f"{','.join(map(str, sizes))} --write`); before each, two processes ran "
              f"{', '.join(f'{c:.2f}' for c in capacity)}× as fast as one (2.00 on two free "
              f"cores). Python {platform.python_version()}, {platform.platform()}."]
    return "\n".join(lines) + "\n"


def write_results(text: str, heading: str) -> None:
    results = HERE / "RESULTS.md"
    old = results.read_text() if results.exists() else "# Benchmark results\n\n"
    # Replace the section where it stands, so hand-written sections around it keep their order.
    section = re.compile(rf"{re.escape(heading)}.*?(?=\n## |\Z)", re.S)
    if section.search(old):
        results.write_text(section.sub(lambda _: text.rstrip() + "\n", old, count=1))
    else:
        results.write_text(old.rstrip() + "\n\n" + text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="", help="comma-separated corpus sizes")
    parser.add_argument("--no-mkdocs", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.posts:
            corpus.write(args.posts, work)
            tools: list[Tool] = [Digestgen(work)]
            hugo = find_hugo()
            if hugo:
                tools.append(Hugo(work, hugo))
            else:
                notes.append("Hugo: not available here (apt-get install hugo failed); skipped.")
            if not args.no_mkdocs:
                python = find_mkdocs()
                if python:
                    make_mkdocs_layout(work)
                    tools.append(MkDocs(work, python))
                else:
                    notes.append("MkDocs: could not be installed here; skipped.")
            notes.append("Pelican: not set up (its Markdown reader wants `Key: value` "
                         "metadata, not YAML frontmatter, so the corpus would not be the same "
                         "input); skipped.")
            results = compare(tools, args.runs)
            text = comparison_table(tools, results, args.posts, notes)
            print(text)
            if args.write:
                write_results(text, "## Build speed and memory: digestgen vs Hugo")
        if args.scale:
            text = scale([int(n) for n in args.scale.split(",")], work)
            print(text)
            if args.write:
                write_results(text, "## Scale: digestgen's cold build by corpus size")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
