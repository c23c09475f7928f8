"""The preview server: the built site under its base path, plus live reload.

Standard-library HTTP server, one thread per connection. HTML responses get a small script
(only here, never in ``digestgen build`` output) that listens to Server-Sent Events on
``/__digestgen/events``: ``reload``, ``css`` (swap stylesheets in place), ``error`` (show the
build error overlay over the last good page) and ``ok``. Files outside the output folder are
never served: ``..``, encoded ``%2e%2e``, backslashes and symlinks leading out are refused.

Only requests addressed to this machine by a name the user chose are answered (see
:class:`Hosts`): a web page whose own name resolves to 127.0.0.1 (DNS rebinding) would
otherwise read the drafts through the author's browser. No response carries CORS headers, so
other origins cannot read pages or the event stream either.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import queue
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

EVENTS_PATH = "/__digestgen/events"
OVERLAY_ID = "digestgen-error-overlay"
NAME_MAX = 255  # bytes in one path segment (Linux, macOS): no longer name can exist on disk
LONGEST_TARGET = 8192  # a request target past this is refused (414) before any lookup

# Plain DOM (no shadow root) so that screen readers and tests can read the overlay.
LIVE_RELOAD = """<script>
(function () {
  "use strict";
  var source = new EventSource("__EVENTS__");
  function overlay(problems) {
    var box = document.getElementById("__OVERLAY__");
    if (!box) {
      box = document.createElement("div");
      box.id = "__OVERLAY__";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
        "max-height:60vh;overflow:auto;background:#2b0d0d;color:#fff;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:16px 20px;" +
        "border-bottom:4px solid #ff5c5c;box-shadow:0 4px 24px #0008";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    var title = document.createElement("strong");
    title.textContent = "digestgen: the build failed. The page below is the last good build.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:8px 0 0;padding-left:20px";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("error", function (event) {
    if (event.data) overlay(JSON.parse(event.data));
  });
  source.addEventListener("ok", function () {
    var box = document.getElementById("__OVERLAY__");
    if (box) box.remove();
  });
  source.addEventListener("css", function (event) {
    var changed = JSON.parse(event.data);
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var path = new URL(link.href).pathname;
      if (changed.indexOf(path) !== -1) {
        var fresh = link.cloneNode();
        fresh.href = path + "?v=" + Date.now();
        fresh.onload = function () { link.remove(); };
        link.after(fresh);
      }
    });
  });
})();
</script>
""".replace("__EVENTS__", EVENTS_PATH).replace("__OVERLAY__", OVERLAY_ID)


NOTHING_YET = (b"<!doctype html><html><head><meta charset='utf-8'><title>digestgen</title></head>"
               b"<body><p>Nothing has been built yet.</p></body></html>")


class Broadcaster:
    """Fans events out to every open event stream; remembers the current error, if any."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self.error: list[str] | None = None

    def subscribe(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self._lock:
            self._clients.add(q)
            if self.error is not None:
                q.put(("error", json.dumps(self.error, ensure_ascii=False)))
        return q

    def unsubscribe(self, q: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(q)

    def send(self, event: str, data: object = "") -> None:
        payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        with self._lock:
            if event == "error":
                self.error = data if isinstance(data, list) else [str(data)]
            elif event in ("ok", "reload"):
                self.error = None
            for q in self._clients:
                q.put((event, payload))

    def close(self) -> None:
        with self._lock:
            for q in self._clients:
                q.put(None)
            self._clients.clear()

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)


def resolve(root: Path, base_path: str, request_path: str) -> Path | None:
    """The file a request path names under ``root``, or None if it would leave it or cannot
    name a file (a segment longer than a file name can be, a symlink loop, any lookup error)."""
    path = urlsplit(request_path).path
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path):])
    parts = rel.split("/")
    if "\\" in rel or "\0" in rel or any(part == ".." for part in parts):
        return None
    if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in parts):
        return None
    try:
        real_root = root.resolve()
        target = (root / rel).resolve() if rel else real_root
        if target != real_root and real_root not in target.parents:
            return None  # a symlink leading out
        if target.is_dir():
            target = target / "index.html"
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None
    return target


@dataclass(frozen=True, slots=True)
class Hosts:
    """The names a request's Host header may give: this machine's loopback names, the name or
    address the server was told to listen on, and (listening on every address) the address a
    connection arrived at and the machine's own name. Any port is accepted."""

    names: frozenset[str]
    any_address: bool = False

    @classmethod
    def for_bind(cls, host: str) -> Hosts:
        """The names to answer to when listening on ``host`` (the value of ``--host``)."""
        bound = _canonical(host.strip("[]")) if host else ""
        names = {"localhost", "127.0.0.1", "::1"}
        wildcard = bound in ("", "0.0.0.0", "::")
        if wildcard:
            machine = socket.gethostname().lower().rstrip(".")
            names |= {machine, machine.split(".")[0], machine.split(".")[0] + ".local"}
        else:
            names.add(bound)
        return cls(frozenset(n for n in names if n), wildcard)

    def allows(self, header: str | None, local_address: str = "") -> bool:
        """Whether a request with this Host header, received on ``local_address``, is ours."""
        name = host_name(header) if header is not None else None
        if name is None:
            return False
        if name in self.names:
            return True
        return self.any_address and bool(local_address) and name == _canonical(local_address)


def host_name(header: str) -> str | None:
    """The name or address in a Host header, lowercased, without its port (IPv6 without its
    brackets, IP addresses in canonical form); None when the header is malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        name, port = header[1:end], header[end + 1:]
        if end == -1 or ":" not in name:
            return None
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    else:
        name, colon, port = header.partition(":")
        port = colon + port
    digits = port[1:]
    if port and not (port[0] == ":" and digits.isascii() and digits.isdigit() and len(digits) <= 5):
        return None
    name = name[:-1] if name.endswith(".") else name
    if not name or any(c in name for c in "/\\@ \t"):
        return None
    return _canonical(name)


def _canonical(name: str) -> str:
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return name.lower()
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is 127.0.0.1
    return str(mapped or address)


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server. ``report`` hears what the terminal should (a refused Host,
    a failure answering a request); with ``debug``, a failure comes with its traceback."""

    daemon_threads = True
    allow_reuse_address = True
    allow_reuse_port = False  # a second preview on the same port must fail, not share it
    # The kernel caps this (net.core.somaxconn). socketserver's 5 refused connections when a
    # page with many assets and several live-reload tabs connected at once.
    request_queue_size = 1024

    def __init__(self, address, root: Path, base_path: str, events: Broadcaster, *,
                 live: bool = True, hosts: Hosts | None = None, debug: bool = False,
                 report: Callable[[str], None] | None = None):
        self.root = root
        self.base_path = base_path
        self.events = events
        self.live = live  # add the live-reload script to pages (False: serve files as built)
        self.hosts = hosts or Hosts.for_bind(address[0])
        self.debug = debug
        self.report = report or (lambda text: print(text, file=sys.stderr, flush=True))
        self.lock = threading.RLock()  # held while a rebuild writes files
        self._refused: set[str] = set()
        self._refused_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # --host ::1, or :: for every address
        super().__init__(address, _Handler)

    def refused(self, header: str | None) -> None:
        """Say once per name (at most ten) that requests for it were refused."""
        shown = (header or "(none)")[:80]
        with self._refused_lock:
            if shown in self._refused or len(self._refused) >= 10:
                return
            self._refused.add(shown)
        self.report(f"refused requests for host {shown!r} (421): the preview answers only at "
                    f"{', '.join(self.host_names())}")

    def host_names(self) -> list[str]:
        names = sorted(self.hosts.names, key=lambda n: (n != "localhost", n))
        return [f"[{n}]" if ":" in n else n for n in names]

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        # A browser closing a tab, cancelling a load or dropping a kept-alive connection is
        # not a fault: nothing to report.
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if self.debug:
            super().handle_error(request, client_address)  # the traceback, for a bug report
        else:
            self.report(f"error answering a request: {type(error).__name__}: {error} "
                        "(rerun with --debug for the traceback)")


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass

    def parse_request(self) -> bool:
        """Every request, whatever its method or path, is refused unless addressed to us."""
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        local = self.connection.getsockname()[0]
        if len(hosts) == 1 and self.server.hosts.allows(hosts[0], local):
            return True
        self.server.refused(hosts[0] if hosts else None)
        names = ", ".join(self.server.host_names())
        self.close_connection = True
        self._send(HTTPStatus.MISDIRECTED_REQUEST,
                   f"misdirected request: this preview answers only at {names}\n".encode(),
                   "text/plain; charset=utf-8", self.command == "HEAD", close=True)
        return False

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if len(self.path) > LONGEST_TARGET:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, b"request target too long\n",
                       "text/plain; charset=utf-8", head)
            return
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._events()
            return
        base = self.server.base_path
        if path in ("/", "") and base != "/":
            self._redirect(base)
            return
        if path + "/" == base:
            self._redirect(base)
            return
        target = resolve(self.server.root, base, self.path)
        if target is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head)
            return
        if target.name == "index.html" and not path.endswith("/") and not path.endswith(".html"):
            self._redirect(path + "/")  # /posts/a → /posts/a/, so relative links work
            return
        with self.server.lock:
            try:
                data = target.read_bytes()
                status = HTTPStatus.OK
            except OSError:
                not_found = self.server.root / "404.html"
                # Nothing built yet (the first build failed): a page to carry the overlay.
                data = not_found.read_bytes() if not_found.is_file() else NOTHING_YET
                status = HTTPStatus.NOT_FOUND
                target = not_found
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html" and self.server.live:
            data = inject(data)
        if ctype == "text/html":
            ctype = "text/html; charset=utf-8"
        elif ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self._send(status, data, ctype, head)

    def _send(self, status, data: bytes, ctype: str, head: bool = False,
              close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.close_connection = True
        q = self.server.events.subscribe()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    item = q.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")  # notices closed tabs
                    self.wfile.flush()
                    continue
                if item is None:
                    return
                event, payload = item
                lines = "".join(f"data: {line}\n" for line in (payload or "").split("\n"))
                self.wfile.write(f"event: {event}\n{lines}\n".encode())
                self.wfile.flush()
        except OSError:
            pass
        finally:
            self.server.events.unsubscribe(q)


def inject(html: bytes) -> bytes:
    """Add the live-reload client before ``</body>`` (or at the end)."""
    script = LIVE_RELOAD.encode()
    at = html.rfind(b"</body>")
    return html[:at] + script + html[at:] if at != -1 else html + script


def port_in_use_hint(host: str, port: int) -> str:
    return (f"port {port} on {host} is already in use (another `digestgen serve`?); "
            f"leave out --port to take the next free one, or try --port {port + 1}")

