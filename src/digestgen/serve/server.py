"""The preview server: the built site under its base path, plus live reload.

Standard-library HTTP server, one thread per connection. HTML responses get a small script
(only here, never in ``digestgen build`` output) that listens to Server-Sent Events on
``/__digestgen/events``: ``reload``, ``css`` (swap stylesheets in place), ``error`` (show the
build error overlay over the last good page) and ``ok``. Files outside the output folder are
never served: ``..``, encoded ``%2e%2e``, backslashes and symlinks leading out are refused.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

EVENTS_PATH = "/__digestgen/events"
OVERLAY_ID = "digestgen-error-overlay"

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
    """The file a request path names under ``root``, or None if it would leave it."""
    path = urlsplit(request_path).path
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path):])
    if "\\" in rel or "\0" in rel or any(part == ".." for part in rel.split("/")):
        return None
    target = (root / rel).resolve() if rel else root.resolve()
    real_root = root.resolve()
    if target != real_root and real_root not in target.parents:
        return None  # a symlink leading out
    if target.is_dir():
        target = target / "index.html"
    return target


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, root: Path, base_path: str, events: Broadcaster,
                 live: bool = True):
        self.root = root
        self.base_path = base_path
        self.events = events
        self.live = live  # add the live-reload script to pages (False: serve files as built)
        self.lock = threading.RLock()  # held while a rebuild writes files
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the terminal is for build messages
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
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

    def _send(self, status, data: bytes, ctype: str, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
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
            f"try --port {port + 1}, or --port 0 for any free port")

