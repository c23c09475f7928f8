"""digestgen search vs Pagefind, side by side on the same generated Korean site.

    python bench/search.py [--posts 5000] [--runs 3] [--conditions awake,idle] [--write]

Builds the bench corpus (bench/corpus.py) with digestgen, indexes the same HTML with Pagefind
(npm `pagefind`, installed into bench/.tools), serves both, and drives headless Chromium
(Debian `chromium`) through each query class of corpus/queries.json. Reports index build time,
total index size, bytes fetched and latency for a cold query (new browser context, empty cache,
library loading included) and a warm one (next query, same page), and recall@10 per query
class. `--write` puts the table in bench/RESULTS.md.

Both engines are timed the same way: from the moment the query is issued (before the search
library is loaded, for a cold query) until the top 10 results' titles and URLs are in hand.
Each new browser context is first left idle for `--settle` ms (default 1500): Chromium starts
its own omnibox-popup WebUI renderers with every context, about half a second of a whole core,
and a query measured meanwhile measures them.

Chromium is driven by bare CDP (bench/cdp.py), not Playwright: Playwright turns on DevTools'
network agent in every page it drives, which reports each request to the driver as it happens
and adds about 1.5 ms to every request here, a cost a reader's browser does not pay. So the
browser counts nothing: a cold query's bytes are the response bodies the server logged from the
query's start until it has sent nothing for 200 ms (workers' requests included).

Each query runs under two conditions, in turn within each run: "awake", with the CPUs held out of
idle states (PM QoS, as latency benchmarks do; needs root), and "idle", the machine as it is.
On the VMs this runs on, an idle vCPU halts and takes milliseconds to wake, and each request
hops between five processes; the "idle" rows show what that costs.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

TOOLS = HERE / ".tools"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

HARNESS = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>bench</title></head>
<body><script>
function loadScript(src) {
  return new Promise((ok, fail) => { const s = document.createElement("script"); s.src = src;
    s.onload = ok; s.onerror = fail; document.head.appendChild(s); });
}
window.digestgenQuery = async (q) => {
  const t0 = performance.now();
  if (!window.digestgenSearch) await loadScript("/bench/js/search.js");
  window.idx = window.idx || new digestgenSearch.Index("/bench/search/manifest.json");
  const found = await idx.search(q, 10);  // as the search page does
  const top = found.results.map(r => r.fragment);
  return { ms: performance.now() - t0, urls: top.map(f => f.u), titles: top.map(f => f.t) };
};
window.pagefindQuery = async (q) => {
  const t0 = performance.now();
  window.pf = window.pf || await import("/bench/pagefind/pagefind.js");
  const search = await pf.search(q);
  const top = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  return { ms: performance.now() - t0, urls: top.map(d => d.url), titles: top.map(d => d.meta.title) };
};
</script></body></html>
"""


class Server(BaseHTTPRequestHandler):
    """A static server from memory: text gzipped as GitHub Pages and CDNs serve it, each
    response in one write (so the server adds as little as it can to what is measured)."""

    TEXT = (".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml")
    TYPES = {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".gz": "application/gzip",
    }
    files: dict[str, tuple[bytes, bytes | None, str]] = {}
    sent: list[tuple[int, str]] = []  # (body bytes, path) of every response, in order
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    @classmethod
    def load(cls, root: Path) -> None:
        cls.files = {}
        cls.sent = []
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                rel = "/" + path.relative_to(root).as_posix()
                packed = gzip.compress(data, 6) if path.suffix in cls.TEXT else None
                cls.files[rel] = (
                    data,
                    packed,
                    cls.TYPES.get(path.suffix, "application/octet-stream"),
                )

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        if path.endswith("/"):
            path += "index.html"
        found = self.files.get(path)
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            self.sent.append((0, path))
            return
        data, packed, ctype = found
        gz = packed is not None and "gzip" in self.headers.get("Accept-Encoding", "")
        body = packed if gz else data
        head = [
            "HTTP/1.1 200 OK",
            f"Content-Type: {ctype}",
            f"Content-Length: {len(body)}",
            "Cache-Control: max-age=3600",
        ]
        if gz:
            head.append("Content-Encoding: gzip")
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        self.sent.append((len(body), path))


NGINX_CONF = """
daemon off; worker_processes 2; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
  log_format bench '$body_bytes_sent $request_uri';
  access_log {tmp}/sent.log bench; sendfile on; tcp_nodelay on; keepalive_timeout 30;
  types {{ text/html html; text/javascript js mjs; text/css css; application/json json;
          application/wasm wasm; application/gzip gz; }}
  default_type application/octet-stream;
  gzip on; gzip_comp_level 6; gzip_min_length 0;
  gzip_types text/javascript text/css application/json;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{port} ssl http2; root {root};
            ssl_certificate {tmp}/cert.pem; ssl_certificate_key {tmp}/key.pem; }}
}}
"""


@contextlib.contextmanager
def serve(root: Path, use_nginx: bool = True) -> Iterator[tuple]:
    """Serve ``root`` with nginx (gzip for text, as GitHub Pages does), or, without nginx,
    with the in-memory Python server above. Yields the base URL, the server's name and a
    function giving the (body bytes, path) of every response sent so far, in order: bytes
    are counted where they are sent, so the browser needs no network agent to count them."""
    nginx = use_nginx and (
        shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    )
    if nginx:
        with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
            probe.close()
            conf = Path(tmp) / "nginx.conf"
            conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root))
            # HTTP/2 needs TLS in browsers; a throwaway self-signed certificate will do.
            subprocess.run(
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-keyout",
                    f"{tmp}/key.pem",
                    "-out",
                    f"{tmp}/cert.pem",
                ],
                check=True,
                capture_output=True,
            )
            proc = subprocess.Popen([nginx, "-c", str(conf), "-p", tmp])
            for _ in range(100):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            try:
                yield (
                    f"https://127.0.0.1:{port}",
                    "nginx over HTTP/2 (as GitHub Pages serves)",
                    SentLog(Path(tmp) / "sent.log"),
                )
            finally:
                proc.terminate()
                proc.wait()
        return
    Server.load(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", "python", lambda: Server.sent
    finally:
        server.shutdown()


class SentLog:
    """nginx's log of what it sent (a line per response, written as each one ends), as
    (body bytes, path) in order; each call reads only what was added since the last."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[tuple[int, str]] = []
        self._offset = 0
        self._partial = b""  # a line nginx has not finished writing

    def __call__(self) -> list[tuple[int, str]]:
        try:
            with self.path.open("rb") as log:
                log.seek(self._offset)
                chunk = log.read()
        except FileNotFoundError:
            return self.entries
        self._offset += len(chunk)
        *lines, self._partial = (self._partial + chunk).split(b"\n")
        for line in lines:
            n, _, uri = line.decode("utf-8", "replace").partition(" ")
            if n.isdigit():
                self.entries.append((int(n), uri))
        return self.entries


def pagefind_binary() -> Path | None:
    binary = TOOLS / "node_modules/.bin/pagefind"
    if not binary.exists():
        TOOLS.mkdir(exist_ok=True)
        try:
            subprocess.run(
                ["npm", "install", "--silent", "--prefix", str(TOOLS), "pagefind@1"],
                check=True,
                capture_output=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"pagefind unavailable ({exc}); measuring digestgen alone", file=sys.stderr)
            return None
    return binary


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


SITE_YAML = ("title: 벤치마크\nbase_url: https://example.github.io/bench/\nlanguage: ko\n"
             "timezone: Asia/Seoul\npaginate: 10\n")


@dataclass
class Corpus:
    """What is measured: the site folder to build, its queries, and how to describe it."""

    source: Path
    label: str  # e.g. "5000 generated Korean posts (bench/corpus.py)"
    title: str  # the RESULTS.md section it goes to
    queries: list[dict] | None = None  # None: judged on the built pages


def make_corpus(work: Path, kind: str, posts: int, blog: Path | None, engine: str) -> Corpus:
    """The generated corpus (planted targets), the realistic one (bench/corpus.py's long-form
    Korean blog text, queries judged on the text), or a real blog imported with
    `digestgen import --from ENGINE` (measured where it lies; nothing of it is kept)."""
    if blog is not None:
        from digestgen.cli import main as cli

        source = work / "blog"
        source.mkdir()
        (source / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        code = cli(["import", "--from", engine, str(blog), "--source", str(source)])
        if code not in (0, 1):  # 1: some posts could not be imported (listed above)
            raise SystemExit(f"bench/search.py: importing {blog} failed (exit {code})")
        name = blog.resolve().name
        return Corpus(source, f"the real {engine} blog `{name}`, imported with "
                      f"`digestgen import --from {engine}`", f"Search on real text: {name}")
    if kind == "realistic":
        corpus.write_realistic(posts, work / "corpus")
        return Corpus(work / "corpus/digestgen",
                      f"{posts} realistic Korean blog posts (bench/corpus.py `write_realistic`)",
                      "Search on real text: realistic generated corpus")
    corpus.write(posts, work / "corpus")
    planted = json.loads((work / "corpus/queries.json").read_text("utf-8"))["queries"]
    for q in planted:
        q["relevant"] = [f"/posts/{slug}/" for slug in q["relevant"]]
    return Corpus(work / "corpus/digestgen", f"{posts} generated Korean posts (bench/corpus.py)",
                  "Search: digestgen vs Pagefind", planted)


def build(work: Path, chosen: Corpus) -> dict:
    from digestgen.build import BuildOptions, build
    from digestgen.config import load_config
    from digestgen.graph import build_site
    from digestgen.load import load_document
    from digestgen.markdown import MarkdownRenderer
    from digestgen.outputs import Output
    from digestgen.search.index import plan_search
    from digestgen.sources import discover

    source = chosen.source
    site_dir = work / "www/bench"
    build(BuildOptions(source=source, output=site_dir))
    if chosen.queries is None:
        chosen.queries = corpus.real_queries(corpus.page_texts(site_dir))
    # The index build alone, on the loaded site (best of three).
    config = load_config(source)
    inventory = discover(source, config)
    renderer = MarkdownRenderer(config.markdown)
    docs = [load_document(s, config, renderer)[0] for s in inventory.documents]
    site, _ = build_site([d for d in docs if d], inventory.files, config)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        # Every file of the index built afresh and rendered, as a first build does.
        for item in plan_search(site, config).outputs:
            if isinstance(item, Output):
                item.bytes()
            else:
                item.run()
        times.append(time.perf_counter() - t0)
    result = {"digestgen": {"index_s": min(times), "index_bytes": folder_size(site_dir / "search")},
              "documents": len(site.pages)}
    (site_dir / "harness.html").write_text(HARNESS, encoding="utf-8")
    binary = pagefind_binary()
    if binary:
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(binary),
                "--site",
                str(site_dir),
                "--glob",
                "posts/*/index.html",
                "--root-selector",
                "article",
                "--exclude-selectors",
                ".prev-next, .backlinks, .doc-meta",
                "--silent",
            ],
            check=True,
        )
        result["pagefind"] = {
            "index_s": time.perf_counter() - t0,
            "index_bytes": folder_size(site_dir / "pagefind"),
            "version": subprocess.run(
                [str(binary), "--version"], capture_output=True, text=True
            ).stdout.strip(),
        }
    return result


def page_of(url: str) -> str:
    """A result's page, as queries name it: its path under the site, without the fragment."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    path = re.sub(r"^(https?://[^/]+)?/bench", "", path)
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def kind_of(path: str) -> str:
    """What a response of a cold query was: the engine's code, its index, or result text."""
    path = unquote(path.split("?", 1)[0])
    if "/search/f/" in path or "/pagefind/fragment/" in path:
        return "results"
    if ("/search/" in path and re.search(r"/[hwu]\d+\.json", path)) or "/pagefind/index/" in path:
        return "postings"
    if path.endswith((".js", ".mjs", ".wasm")) or "wasm" in path:
        return "code"
    return "index"


# A new browser context starts Chromium's own omnibox-popup WebUI renderers, which take about
# half a second of CPU (a whole core, on the 2-core machines this runs on) right after the page
# opens: queries measured then measure that. Each context is left this long to settle first.
SETTLE_MS = 1500
QUIET = 10  # polls (20 ms) with no new response after a cold query: it is done


def measure(work: Path, engines: list[str], queries: list[dict], runs: int,
            settle_ms: int = SETTLE_MS, conditions: tuple[str, ...] = ("awake", "idle")) -> dict:
    with serve(work / "www") as (root_url, server_name, sent):
        return _measure(root_url + "/bench/harness.html", server_name, sent, engines, queries,
                        runs, settle_ms, conditions)


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--ignore-certificate-errors",
]


@contextlib.contextmanager
def cpus_awake() -> Iterator[bool]:
    """Ask the kernel for no idle-state exit latency while the block runs (PM QoS: 0 µs
    written to /dev/cpu_dma_latency and held open, as tuned's latency-performance profile
    does). On the VMs this runs on an idle vCPU halts and takes milliseconds to be woken, and a
    query's requests hop between five processes (page, browser, network service, nginx
    workers): with every hop paying a wake-up, the VM's idle states, not either engine, would
    be timed. Yields whether it could (it needs root)."""
    try:
        fd = os.open("/dev/cpu_dma_latency", os.O_WRONLY)
    except OSError:
        yield False
        return
    try:
        os.write(fd, struct.pack("i", 0))
        yield True
    finally:
        os.close(fd)


def _measure(url: str, server_name: str, sent, engines, queries, runs,
             settle_ms=SETTLE_MS, conditions=("awake", "idle")) -> dict:
    """Cold and warm timings, cold bytes and recall per engine, in a browser driven by bare
    CDP (no network agent: bytes are counted by the server), under each of ``conditions``:
    "awake" (CPUs held out of idle states, see cpus_awake) and "idle" (the machine as it is).
    A condition that cannot be set up here is left out."""
    import cdp

    out: dict = {e: {"recall": {}} for e in engines}
    with cdp.Browser(CHROMIUM, BROWSER_ARGS) as browser:
        for _ in range(runs):
            for condition in conditions:
                hold = cpus_awake() if condition == "awake" else contextlib.nullcontext(True)
                with hold as held:
                    if not held:
                        continue
                    for k, q in enumerate(queries):
                        next_q = queries[(k + 1) % len(queries)]["query"]
                        for engine in engines:  # alternate engines query by query
                            cold, warm, size = _pair(browser, url, engine, q["query"], next_q,
                                                     sent, settle_ms)
                            _record(out[engine], condition, q, cold, warm, size)
    measured = [c for c in conditions if c in out[engines[0]]]
    if not measured:
        raise SystemExit(
            "bench/search.py: nothing measured: holding the CPUs awake needs root and "
            "/dev/cpu_dma_latency (try --conditions idle)"
        )
    out["server"] = server_name
    out["settle_ms"] = settle_ms
    out["conditions"] = measured
    return out


def _record(into: dict, condition: str, q: dict, cold: dict, warm: dict, size: int) -> None:
    times = into.setdefault(condition, {
        "cold_ms": [], "warm_ms": [], "cold_hit_ms": [], "warm_hit_ms": [], "cold_bytes": [],
    })
    times["cold_ms"].append(cold["ms"])
    times["cold_bytes"].append(sum(size.values()))
    for kind, n in size.items():
        times.setdefault("cold_bytes_" + kind, []).append(n)
    into.setdefault("bytes", {}).setdefault(q["query"], []).append(sum(size.values()))
    times["warm_ms"].append(warm["ms"])
    if cold["urls"]:
        times["cold_hit_ms"].append(cold["ms"])
    if warm["urls"]:
        times["warm_hit_ms"].append(warm["ms"])
    found = {page_of(u) for u in cold["urls"]}
    into["recall"].setdefault(q["class"], {})[q["query"]] = (
        len(found & set(q["relevant"])) / len(q["relevant"])
    )


def _pair(browser, url: str, engine: str, cold_q: str, warm_q: str, sent, settle_ms: int):
    """A cold query in a new browser context, its bytes, and the next query on that page."""
    page = browser.new_page(url)
    try:
        time.sleep(settle_ms / 1000)
        query = f"q => window.{engine}Query(q)"
        mark = len(sent())
        cold = page.call(query, cold_q)
        # Some responses (a worker's, a prefetch) end after the query has returned: wait
        # until the server has sent nothing new for QUIET polls.
        last, quiet = -1, 0
        while quiet < QUIET:
            now = len(sent())
            quiet = quiet + 1 if now == last else 0
            last = now
            time.sleep(0.02)
        size = {k: 0 for k in ("code", "index", "postings", "results")}
        for n, path in sent()[mark:]:
            size[kind_of(path)] += n
        warm = page.call(query, warm_q)
        return cold, warm, size
    finally:
        page.close()


def table(built: dict, measured: dict, queries: list[dict], chosen: Corpus) -> str:
    server = measured.pop("server")
    settle_ms = measured.pop("settle_ms", SETTLE_MS)
    conditions = measured.pop("conditions")
    engines = list(measured)
    classes = list(dict.fromkeys(q["class"] for q in queries))
    head = "| | " + " | ".join(engines) + " |"
    rule = "|---|" + "---|" * len(engines)
    rows = [head, rule]

    def row(label, fn):
        rows.append(f"| {label} | " + " | ".join(fn(e) for e in engines) + " |")

    def median(engine, condition, key, scale=1.0, digits=0):
        values = measured[engine][condition].get(key) or [0]
        return f"{statistics.median(values) / scale:.{digits}f}"

    def worst(engine, condition, key, scale=1.0):
        return f"{max(measured[engine][condition].get(key) or [0]) / scale:.0f}"

    row("index build (s)", lambda e: f"{built[e]['index_s']:.2f}")
    row("index size (MB, all files)", lambda e: f"{built[e]['index_bytes'] / 1e6:.1f}")
    first = conditions[0]
    row("bytes fetched, cold query (KB, median)", lambda e: median(e, first, "cold_bytes", 1e3))
    row("bytes fetched, cold query (KB, worst)", lambda e: worst(e, first, "cold_bytes", 1e3))
    for kind, what in (("code", "search code (JS, WASM)"), ("index", "manifest and metadata"),
                       ("postings", "postings"), ("results", "result files")):
        row(f"&nbsp;&nbsp;of which {what} (KB, median)",
            lambda e, k=kind: median(e, first, "cold_bytes_" + k, 1e3, 1))
    label = {"awake": "", "idle": ", CPUs free to idle"}
    for condition in conditions:
        for key, what in (
            ("cold_ms", "cold query"),
            ("warm_ms", "warm query"),
            ("cold_hit_ms", "cold query with results"),
            ("warm_hit_ms", "warm query with results"),
        ):
            row(f"{what}{label[condition]} (ms, median)",
                lambda e, c=condition, k=key: median(e, c, k))
    for cls in classes:
        row(
            f"recall@10: {cls}",
            lambda e, c=cls: f"{statistics.mean(measured[e]['recall'][c].values()):.2f}",
        )
    def overall(engine):
        values = [v for c in measured[engine]["recall"].values() for v in c.values()]
        return f"{statistics.mean(values):.2f}"

    row("recall@10: all queries", overall)
    detail = [
        "",
        "| query | class | relevant | " + " | ".join(f"{e}: recall, KB" for e in engines) + " |",
        "|---|---|---|" + "---|" * len(engines),
    ]
    for q in queries:
        detail.append(
            f"| `{q['query']}` | {q['class']} | {len(q['relevant'])} | "
            + " | ".join(f"{measured[e]['recall'][q['class']][q['query']]:.2f}, "
                         f"{statistics.median(measured[e]['bytes'][q['query']]) / 1e3:.0f}" for e in engines)
            + " |"
        )
    version = built.get("pagefind", {}).get("version", "not available")
    judged = ("Recall@10: share of each query's planted posts in the top 10."
              if chosen.title.startswith("Search:") else
              "Queries are drawn from the built pages' text by `corpus.real_queries` (seed 7), in "
              "six classes; a query's relevant documents are those whose text holds it (a Korean "
              "piece anywhere, a Latin word at a word's start; for `particle`, the noun without "
              "the particle, which no page writes with it), and only queries that at most "
              f"{corpus.MAX_RELEVANT} documents hold are kept. Recall@10: share of those in the "
              "top 10.")
    return "\n".join(
        [
            f"## {chosen.title}",
            "",
            f"{chosen.label}: {built['documents']} documents, the same HTML for both; Pagefind "
            f"{version} (extended) indexes `posts/*/index.html` with `--root-selector article`. "
            f"Headless Chromium driven by bare CDP (no DevTools network agent, which a "
            f"reader's browser does not run either) on localhost served by {server}, a new "
            f"context per cold query, left {settle_ms / 1000:g} s to settle first (Chromium's own "
            "start-up work in a new context, not either engine's, would be timed otherwise); "
            "the warm query is the next query on the same page. "
            + _conditions_text(conditions)
            + " Bytes are response bodies as the server sent them (every request of the cold "
            "query, workers' included, from the search code to the top 10 results' files), text "
            "(HTML, JS, JSON, CSS) gzipped as GitHub Pages does; both engines' index files are "
            "pre-compressed. " + judged,
            "",
            *rows,
            *detail,
            "",
        ]
    )


def _conditions_text(conditions: list[str]) -> str:
    if conditions == ["idle"]:
        return ("Only the condition \"CPUs free to idle\" was measured (`--conditions`; "
                "holding the CPUs awake needs root, see `cpus_awake`).")
    text = ("Timings without a qualifier were taken with the CPUs held out of idle states "
            "(PM QoS, /dev/cpu_dma_latency = 0: this VM's idle vCPUs take milliseconds to "
            "wake, on every hop of every request)")
    if "idle" in conditions:
        text += "; the rows \"CPUs free to idle\" are the same queries with the machine as it is"
    return text + "."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--corpus", choices=("generated", "realistic"), default="generated",
                        help="generated: planted query targets; realistic: long-form Korean "
                             "blog text, queries judged on the text")
    parser.add_argument("--blog", type=Path, metavar="DIR",
                        help="measure a real blog instead (imported, never kept)")
    parser.add_argument("--engine", default="jekyll", choices=("jekyll", "hexo", "gatsby", "hugo"),
                        help="the engine of --blog")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--settle", type=int, default=SETTLE_MS, metavar="MS",
                        help="idle time for each new browser context before its cold query")
    parser.add_argument("--conditions", default="awake,idle",
                        help="comma-separated: awake (CPUs held out of idle states), idle (as is)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's workers run as another user
        chosen = make_corpus(work, args.corpus, args.posts, args.blog, args.engine)
        built = build(work, chosen)
        queries = chosen.queries
        engines = [e for e in ("digestgen", "pagefind") if e in built]
        conditions = tuple(c for c in args.conditions.split(",") if c in ("awake", "idle"))
        measured = measure(work, engines, queries, args.runs, args.settle, conditions or ("idle",))
    text = table(built, measured, queries, chosen)
    print(text)
    if args.write:
        results = HERE / "RESULTS.md"
        old = results.read_text() if results.exists() else "# Benchmark results\n\n"
        section = re.compile("## " + re.escape(chosen.title) + r"\n.*?(?=\n## |\Z)", re.S)
        if section.search(old):  # in its place
            results.write_text(section.sub(lambda _: text.rstrip() + "\n", old, count=1))
        else:
            results.write_text(old.rstrip() + "\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
