"""``digestgen serve``: build, serve, watch, rebuild what changed, reload the open tabs.

It sits on top of :func:`digestgen.build.build` and never inside it: the preview is the same
pipeline, kept warm in a :class:`~digestgen.pipeline.cache.BuildCache` so a rebuild loads and
renders only what a change affects, and writes in place into a private folder (never
``_site``).
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import shutil
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digestgen.build import BuildOptions, BuildResult, Live, build, build_search
from digestgen.config import CONFIG_FILE, load_config
from digestgen.errors import ConfigError, DigestgenError, error
from digestgen.pipeline.cache import BuildCache
from digestgen.serve.server import Broadcaster, Hosts, PreviewServer, port_in_use_hint
from digestgen.serve.watch import Batch, Watcher


class ServeError(ConfigError):
    """The preview cannot start where it was asked to (exit 2); not a build failure."""


# Without --port: 8000, else the next few (a second preview of another site), else any.
DEFAULT_PORTS = (*range(8000, 8010), 0)
_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE


@dataclass(frozen=True, slots=True)
class ServeOptions:
    source: Path
    host: str = "127.0.0.1"
    port: int | None = None  # None: the first free of DEFAULT_PORTS
    drafts: bool = True
    strict: bool = False
    open_browser: bool = False
    debug: bool = False  # tracebacks of failures answering requests


@dataclass
class Preview:
    """A running preview: where it is, and what its last rebuild did (for tests and benches)."""

    url: str = ""
    output: Path | None = None
    builds: int = 0
    last: BuildResult | None = None
    last_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    events: Broadcaster | None = None
    ready: threading.Event = field(default_factory=threading.Event)
    rebuilt: threading.Event = field(default_factory=threading.Event)


def serve(options: ServeOptions, *, stop: threading.Event | None = None,
          preview: Preview | None = None, say: Callable[[str], None] | None = None) -> int:
    """Run until Ctrl-C (or ``stop``). Returns an exit code."""
    stop = stop or threading.Event()
    preview = preview or Preview()
    say = say or (lambda text: print(text, flush=True))
    source = options.source.resolve()
    config = load_config(source)  # a site.yaml error before anything starts is fatal
    output = Path(tempfile.mkdtemp(prefix="digestgen-serve-"))
    preview.output = output
    preview.events = Broadcaster()
    if not _is_loopback(options.host):
        say(f"warning: serving on {options.host}: anyone on your network can read this preview, "
            "drafts included")
    try:
        server = listen(options.host, options.port, output, config.base_path, preview.events,
                        say, debug=options.debug)
    except ServeError:
        shutil.rmtree(output, ignore_errors=True)  # the private folder, never a built site
        raise
    host, port = server.server_address[:2]
    shown_host = f"[{host}]" if ":" in str(host) else host
    preview.url = f"http://{shown_host}:{port}{config.base_path}"
    thread = threading.Thread(target=server.serve_forever, name="digestgen-http", daemon=True)
    thread.start()
    watcher = Watcher(
        source,
        [source / config.content_dir, source / config.templates_dir, source / config.static_dir],
        [CONFIG_FILE],
        ignore=(output, source / config.output_dir, source / ".digestgen-cache",
                source / ".git"),
    )
    watcher.start()
    session = _Session(options, source, config.content_dir, output, server.lock, preview, say)
    search = _SearchIndexer(server.lock, say)
    try:
        session.first_build(search)
        while not stop.is_set():
            batch = watcher.next_batch(stop, timeout=search.wait())
            if batch is None:
                break
            if batch.paths:
                search.cancel()  # a newer build supersedes an index in progress
                session.rebuild(batch)
                search.due(preview.last)
            else:
                search.start_if_due()
    except KeyboardInterrupt:
        pass
    finally:
        search.cancel()
        watcher.stop()
        preview.events.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        shutil.rmtree(output, ignore_errors=True)
        say("stopped")
    return 0


class _Session:
    """The preview's builds: the same pipeline as ``digestgen build``, kept warm in a
    :class:`BuildCache`, each rebuild told which files changed; what the terminal and the
    open tabs hear of each."""

    def __init__(self, options: ServeOptions, source: Path, content_dir: str, output: Path,
                 lock, preview: Preview, say: Callable[[str], None]):
        self.options, self.lock, self.preview, self.say = options, lock, preview, say
        self.build_options = BuildOptions(source=source, output=output, drafts=options.drafts,
                                          strict=options.strict)
        self.cache = BuildCache()
        self.known = _KnownFiles(content_dir)
        self.shown: list[str] = []  # the problems the terminal was last told of

    def first_build(self, search: _SearchIndexer) -> None:
        preview = self.preview
        self.rebuild(None)
        search.due(preview.last, delay=0)
        if preview.last is not None:
            count = preview.last.documents
            self.say(f"built {count} document{'' if count == 1 else 's'} in "
                     f"{preview.last_seconds:.2f} s")
        self.say(f"serving at {preview.url} (drafts "
                 f"{'shown' if self.options.drafts else 'hidden'}); press Ctrl-C to stop")
        preview.ready.set()
        if self.options.open_browser:
            webbrowser.open(preview.url)

    def rebuild(self, batch: Batch | None) -> None:
        """Build again (everything, or what ``batch`` changed) and tell the tabs."""
        started = time.perf_counter()
        try:
            with self.lock:
                result = build(self.build_options, self.cache, live=Live(
                    batch.paths if batch is not None else None,
                    batch is None or self.known.structural(batch, self.cache)))
        except DigestgenError as exc:
            self._failed([d.format() for d in exc.diagnostics])
            return
        preview = self.preview
        preview.last_seconds = time.perf_counter() - started
        preview.last = result
        # The kept cache is large and long-lived: out of the cyclic collector's sight, so a
        # collection between edits does not walk it (what it frees, refcounting frees).
        gc.freeze()
        preview.builds += 1
        preview.errors = []
        if batch is not None and batch.css_only((result.config.static_dir,)):
            preview.events.send("css", [result.config.base_path + p.split("/", 1)[1]
                                        for p in batch.paths])
        else:
            preview.events.send("reload")
        if self.shown:
            self.say("fixed: the build succeeds again")
            self.shown = []
        if batch is not None:
            self.say(f"rebuilt in {preview.last_seconds * 1000:.0f} ms: "
                     f"{len(result.loaded)} loaded, {len(result.rendered)} pages rendered "
                     f"({', '.join(sorted(batch.paths))[:120]})")
        preview.rebuilt.set()

    def _failed(self, problems: list[str]) -> None:
        if problems != self.shown:  # the terminal hears of an error once
            self.say("build failed (the browser shows the last good pages under an overlay):")
            for line in problems:
                self.say(f"  {line}")
            self.shown = problems
        self.preview.errors = problems
        self.preview.events.send("error", problems)
        self.preview.rebuilt.set()


class _SearchIndexer:
    """Rebuilds the search index in the background once edits pause.

    A full index of a large site takes seconds; done after every save it would delay the next
    save's reload. It waits for a quiet second, runs in a thread, and stops as soon as a newer
    edit arrives.
    """

    QUIET = 1.0

    def __init__(self, lock, say):
        self.lock = lock
        self.say = say
        self.result: BuildResult | None = None
        self.at: float | None = None
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()

    def due(self, result: BuildResult | None, delay: float = QUIET) -> None:
        if result is not None:
            self.result = result
            self.at = time.monotonic() + delay

    def wait(self) -> float | None:
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def start_if_due(self) -> None:
        if self.at is None or time.monotonic() < self.at or self.result is None:
            return
        self.at = None
        self.stop = threading.Event()
        result, stop = self.result, self.stop

        def run() -> None:
            from digestgen.search.index import Cancelled

            try:
                build_search(result, cancel=stop, lock=self.lock)
            except Cancelled:
                pass
            except (DigestgenError, OSError) as exc:
                self.say(f"search index not updated: {exc}")

        self.thread = threading.Thread(target=run, name="digestgen-search", daemon=True)
        self.thread.start()

    def cancel(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.stop.set()
            self.thread.join()
            self.at = time.monotonic()  # start again once things are quiet
        self.thread = None


class _KnownFiles:
    """The content files the last walk of the content folder found (and their sidecars'
    names), worked out once per walk."""

    def __init__(self, content_dir: str) -> None:
        self.prefix = content_dir.strip("/") + "/"
        self.inventory = None
        self.known: frozenset[str] = frozenset()

    def structural(self, batch: Batch, cache: BuildCache) -> bool:
        """Whether files may have come or gone: the watcher says so, or a file that walk did
        not find was saved (editors create a file by renaming a temp file onto its name,
        which the watcher cannot tell from an edit)."""
        inventory = cache.live.inventory if cache.live is not None else None
        if batch.structural or inventory is None:
            return True
        if inventory is not self.inventory:
            self.inventory = inventory
            known = {src.rel_path for src in self.inventory.documents}
            known.update(self.prefix + rel for rel in self.inventory.files)
            stems = [rel.rpartition(".")[0] for rel in known]
            known.update(stem + ext for stem in stems for ext in (".yaml", ".yml"))
            self.known = frozenset(known)
        return any(p.startswith(self.prefix) and p not in self.known for p in batch.paths)


def listen(host: str, port: int | None, output: Path, base_path: str, events: Broadcaster,
           say: Callable[[str], None], *, live: bool = True, debug: bool = False
           ) -> PreviewServer:
    """A server on ``port``, or without one on the first free default port; a clear
    :class:`ServeError` when it cannot listen."""
    ports = DEFAULT_PORTS if port is None else (port,)
    hosts = Hosts.for_bind(host)
    for port in ports:
        try:
            server = PreviewServer((host, port), output, base_path, events, hosts=hosts,
                                   live=live, debug=debug, report=say)
        except OSError as exc:
            if exc.errno in _IN_USE and port != ports[-1]:
                continue
            if exc.errno in _IN_USE:
                raise ServeError([error("--port", 0, port_in_use_hint(host, port))]) from None
            flag = "--port" if exc.errno == errno.EACCES else "--host"  # a privileged port
            raise ServeError([error(flag, 0, f"cannot listen on {host} port {port}: "
                                    f"{exc.strerror or exc}")]) from None
        if port != ports[0]:
            say(f"port {ports[0]} is in use; using port {server.server_address[1]} instead")
        return server
    raise AssertionError("unreachable: the last port either listens or raises")


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

