"""A bare Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

The search benchmark times queries in a browser the way a reader's browser runs them: with no
DevTools agent watching the network. Playwright enables the Network domain on every page it
drives (it needs it for its request events and routing), and with it on, Chromium reports each
request to the client as it happens: on the 2-core machines this runs on that adds about 1.5 ms
to every request, even to requests made in parallel (bench/RESULTS.md, "Search: what bounds a
warm query"). This client only sends what it is told to, so a page it drives has no agent on
unless asked (``Network.enable``).

Chromium reads commands from fd 3 and writes replies and events to fd 4, each message JSON
ending in a NUL byte. Sessions are flat (``Target.attachToTarget`` with ``flatten``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import tempfile
import threading
import time


class CDPError(RuntimeError):
    """A command Chromium answered with an error, or a browser that went away."""


class Browser:
    """One headless Chromium process and the commands sent to it."""

    def __init__(self, executable: str, args: list[str] = ()) -> None:
        self._profile = tempfile.TemporaryDirectory()
        commands_r, self._commands = os.pipe()
        self._replies, replies_w = os.pipe()
        # The child's ends go to fds 3 and 4 through bash's redirections (no preexec_fn, which
        # is unsafe with threads; dash takes no fd above 9); moved above 9 first, so that neither
        # is overwritten by the other's redirection.
        child_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
        child_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
        os.close(commands_r)
        os.close(replies_w)
        command = [
            executable,
            "--headless",
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile.name}",
            *args,
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec 3<&{child_r} 4>&{child_w} {child_r}<&- {child_w}>&- "$@"',
             "bash", *command],
            pass_fds=(child_r, child_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_r)
        os.close(child_w)
        self._next = 0
        self._lock = threading.Lock()
        self._waiting: dict[int, list] = {}
        self._done = threading.Condition(self._lock)
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" not in message:
                    continue  # an event: nothing here subscribes to any
                with self._lock:
                    slot = self._waiting.get(message["id"])
                    if slot is not None:
                        slot.append(message)
                        self._done.notify_all()
        os.close(self._replies)
        with self._lock:
            self._closed = True
            self._done.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60.0) -> dict:
        """Send one command and wait for its result."""
        with self._lock:
            self._next += 1
            ident = self._next
            slot: list = []
            self._waiting[ident] = slot
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._lock:
            while not slot and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._done.wait(left)
            del self._waiting[ident]
        if not slot:
            raise CDPError(f"{method}: no answer from Chromium")
        if "error" in slot[0]:
            raise CDPError(f"{method}: {slot[0]['error'].get('message')}")
        return slot[0].get("result", {})

    def new_page(self, url: str) -> Page:
        """A page opened on ``url`` in a new browser context (own cache, own cookies)."""
        context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", {"url": url, "browserContextId": context})
        session = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )["sessionId"]
        page = Page(self, context, session)
        # The target opens on about:blank, complete at once, before it navigates to ``url``.
        page.wait_for("location.protocol !== 'about:' && document.readyState === 'complete'")
        return page

    def close(self) -> None:
        """End the browser (and its profile folder)."""
        with contextlib.suppress(CDPError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._commands)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """A page target reached through a flat session."""

    def __init__(self, browser: Browser, context: str, session: str) -> None:
        self.browser = browser
        self.context = context
        self.session = session

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str):
        """The value of ``expression`` (awaited if it is a promise), as JSON."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"in the page: {text}")
        return result["result"].get("value")

    def call(self, function: str, *args):
        """``function`` (JavaScript source of a function) applied to JSON ``args``."""
        return self.evaluate(f"({function})(...{json.dumps(list(args))})")

    def wait_for(self, condition: str, timeout: float = 30.0) -> None:
        """Poll until the JavaScript ``condition`` is true."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.evaluate(condition):
                    return
            except CDPError:
                pass  # the page is still navigating
            if time.monotonic() > deadline:
                raise CDPError(f"timed out waiting for {condition}")
            time.sleep(0.02)

    def close(self) -> None:
        """Close the page and its browser context."""
        self.browser.send("Target.disposeBrowserContext", {"browserContextId": self.context})
