"""`digestgen serve` on the network: whom it answers, how many at once, and what it says when
clients misbehave. Real sockets, a real `digestgen serve` process, a real headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import Running, static_server, write_site

from digestgen.serve.server import EVENTS_PATH, Hosts, host_name

SITE = {
    "content/posts/alpha.md": "---\ntitle: 알파 글\ndate: 2024-05-01\n---\n알파 본문입니다.\n",
    "content/posts/draft.md": "---\ntitle: 초안 글\ndate: 2024-05-02\ndraft: true\n---\n"
                              "아직 공개하지 않은 초안입니다.\n",
    "static/css/style.css": "body { color: rgb(1, 2, 3); }\n",
}


@pytest.fixture
def running(tmp_path):
    r = Running(write_site(tmp_path / "site", SITE))
    yield r
    r.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One preview for the tests that only read from it."""
    r = Running(write_site(tmp_path_factory.mktemp("shared") / "site", SITE))
    yield r
    r.close()


def address(running: Running) -> tuple[str, int]:
    host, port = running.url.split("//")[1].split("/")[0].rsplit(":", 1)
    return host.strip("[]"), int(port)


def request(where: tuple[str, int], target: str, headers: list[str], method: str = "GET",
            timeout: float = 10, connect: float = 10) -> tuple[int, dict[str, str], bytes]:
    """Send one request exactly as written (``headers`` may leave Host out, or repeat it);
    return the status, the headers (lowercased names) and what the body holds so far."""
    with socket.create_connection(where, timeout=connect) as s:
        s.settimeout(timeout)
        head = [f"{method} {target} HTTP/1.1", *headers, "Connection: close", "", ""]
        s.sendall("\r\n".join(head).encode("utf-8", "surrogateescape"))
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head_bytes, _, body = data.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        fields = {k.lower(): v for k, v in fields.items()}
        if method != "HEAD" and "text/event-stream" not in fields.get("content-type", ""):
            length = int(fields.get("content-length", "-1"))
            while len(body) < length or length < 0:
                chunk = s.recv(65536)
                if not chunk:
                    break
                body += chunk
    return int(lines[0].split()[1]), fields, body


# -- which Host headers are answered ---------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "LocalHost:{port}",
                                  "127.0.0.1", "127.0.0.1:{port}", "[::1]", "[::1]:{port}",
                                  "localhost.:{port}"])
def test_this_machine_by_its_loopback_names_is_answered(shared, host):
    where = address(shared)
    status, _, body = request(where, "/ai-digest/posts/alpha/",
                              [f"Host: {host.format(port=where[1])}"])
    assert status == 200 and "알파 본문입니다." in body.decode()


REFUSED = [
    ["Host: attacker.example"],  # DNS rebinding: attacker.example now resolves to 127.0.0.1
    ["Host: attacker.example:{port}"],
    ["Host: 127.0.0.1.nip.io:{port}"],
    ["Host: localhost.attacker.example:{port}"],
    ["Host: 127.0.0.2:{port}"],
    ["Host: [::2]:{port}"],
    ["Host: localhost:notaport"],
    ["Host: "],
    [],  # no Host at all
    ["Host: localhost:{port}", "Host: attacker.example"],  # two of them
]


@pytest.mark.parametrize("headers", REFUSED)
@pytest.mark.parametrize("target", ["/ai-digest/posts/draft/", "/ai-digest/", "/",
                                    "/ai-digest/css/style.css", "/ai-digest/nothing-here",
                                    EVENTS_PATH])
def test_any_other_host_is_refused_on_every_path(shared, headers, target):
    where = address(shared)
    status, fields, body = request(where, target, [h.format(port=where[1]) for h in headers])
    assert status == 421
    assert fields["content-type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"misdirected request: this preview answers only at localhost")
    assert "초안".encode() not in body and "access-control-allow-origin" not in fields


@pytest.mark.parametrize("method", ["HEAD", "POST", "OPTIONS", "PUT"])
def test_any_other_host_is_refused_whatever_the_method(shared, method):
    status, fields, _ = request(address(shared), "/ai-digest/posts/draft/",
                                ["Host: attacker.example", "Origin: http://attacker.example",
                                 "Content-Length: 0"], method=method)
    assert status == 421 and "access-control-allow-origin" not in fields


def test_a_refused_host_is_said_once_in_the_terminal(running):
    for _ in range(3):
        request(address(running), "/ai-digest/", ["Host: attacker.example"])
    said = [m for m in running.messages if "attacker.example" in m]
    assert said == ["refused requests for host 'attacker.example' (421): the preview answers "
                    "only at localhost, 127.0.0.1, [::1]"]


def test_the_event_stream_is_answered_to_this_machine(shared):
    status, fields, _ = request(address(shared), EVENTS_PATH, ["Host: localhost"])
    assert status == 200 and fields["content-type"] == "text/event-stream"
    assert "access-control-allow-origin" not in fields


def test_the_address_given_with_host_is_answered(tmp_path):
    # All of 127.0.0.0/8 is this machine on Linux; 127.0.0.2 stands for a LAN address.
    running = Running(write_site(tmp_path / "site", SITE), host="127.0.0.2")
    try:
        where = address(running)
        assert where[0] == "127.0.0.2"
        for host in ("127.0.0.2", f"127.0.0.2:{where[1]}", "localhost"):
            assert request(where, "/ai-digest/posts/alpha/", [f"Host: {host}"])[0] == 200
        assert request(where, "/ai-digest/", [f"Host: 127.0.0.3:{where[1]}"])[0] == 421
    finally:
        running.close()


def test_the_name_given_with_host_is_answered(tmp_path):
    running = Running(write_site(tmp_path / "site", SITE), host="localhost")
    try:
        where = address(running)
        assert request(where, "/ai-digest/", [f"Host: localhost:{where[1]}"])[0] == 200
        assert request(where, "/ai-digest/", ["Host: attacker.example"])[0] == 421
    finally:
        running.close()


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6 loopback here")
def test_the_ipv6_loopback_is_served_and_answered(tmp_path):
    running = Running(write_site(tmp_path / "site", SITE), host="::1")
    try:
        assert running.url.startswith("http://[::1]:")
        where = address(running)
        for host in (f"[::1]:{where[1]}", "localhost", "127.0.0.1"):
            assert request(where, "/ai-digest/posts/alpha/", [f"Host: {host}"])[0] == 200
        assert request(where, "/ai-digest/", ["Host: attacker.example"])[0] == 421
    finally:
        running.close()


def this_machines_address() -> str | None:
    """An address of this machine other than loopback (none on an isolated machine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        found = s.getsockname()[0]
    return None if found.startswith(("127.", "0.")) else found


def test_listening_everywhere_answers_the_address_reached_and_the_machines_name(tmp_path):
    running = Running(write_site(tmp_path / "site", SITE), host="0.0.0.0")
    try:
        port = address(running)[1]
        here = ("127.0.0.1", port)
        name = socket.gethostname()
        assert request(here, "/ai-digest/", [f"Host: {name}:{port}"])[0] == 200
        assert request(here, "/ai-digest/", ["Host: attacker.example"])[0] == 421
        # An address of this machine is answered only where the request arrived on it.
        lan = this_machines_address()
        if lan is not None:
            assert request((lan, port), "/ai-digest/", [f"Host: {lan}:{port}"])[0] == 200
            assert request(here, "/ai-digest/", [f"Host: {lan}:{port}"])[0] == 421
    finally:
        running.close()


@pytest.mark.parametrize(("header", "name"), [
    ("localhost:8000", "localhost"), ("LOCALHOST", "localhost"), ("localhost.", "localhost"),
    ("[::1]:8000", "::1"), ("[0:0:0:0:0:0:0:1]", "::1"), ("[::ffff:127.0.0.1]", "127.0.0.1"),
    ("127.0.0.1:1", "127.0.0.1"), ("example.org:65535", "example.org"),
    ("[::1", None), ("[localhost]", None), ("::1", None), ("localhost:", None),
    ("localhost:80:80", None), ("user@localhost", None), ("a b", None), ("", None),
    ("localhost:-1", None), ("localhost:1234567", None), ("localhost:８０", None),
])
def test_host_header_names_are_read_strictly(header, name):
    assert host_name(header) == name


def test_names_answered_for_each_kind_of_host():
    assert Hosts.for_bind("127.0.0.1").names == {"localhost", "127.0.0.1", "::1"}
    assert Hosts.for_bind("::1").names == {"localhost", "127.0.0.1", "::1"}
    assert Hosts.for_bind("192.168.1.20").allows("192.168.1.20:8000")
    assert not Hosts.for_bind("192.168.1.20").allows("192.168.1.21:8000", "192.168.1.21")
    assert Hosts.for_bind("Laptop.Lan").allows("laptop.lan:8000")
    everywhere = Hosts.for_bind("0.0.0.0")
    assert everywhere.allows("192.168.1.20:8000", "192.168.1.20")
    assert everywhere.allows("192.168.1.20", "::ffff:192.168.1.20")
    assert not everywhere.allows("192.168.1.20", "10.0.0.5")
    assert not everywhere.allows("attacker.example", "127.0.0.1")


# -- in the browser --------------------------------------------------------------------------


def test_a_rebound_name_shows_the_reader_no_draft(shared, browser):
    """What DNS rebinding gets: a name the attacker controls, resolving to 127.0.0.1 (the
    shared browser's launch arguments map attacker.example there)."""
    port = address(shared)[1]
    page = browser.new_page()
    try:
        reply = page.goto(f"http://attacker.example:{port}/ai-digest/posts/draft/")
        assert reply.status == 421
        assert "아직 공개하지 않은 초안입니다." not in page.content()
        # The page's own script (same origin as far as the browser knows) reads nothing.
        read = page.evaluate("""async () => {
            const r = await fetch('/ai-digest/posts/draft/');
            return [r.status, await r.text()];
        }""")
        assert read[0] == 421 and "초안" not in read[1]
        # The same browser at localhost sees the draft: the name is the difference.
        page.goto(f"http://localhost:{port}/ai-digest/posts/draft/")
        assert "아직 공개하지 않은 초안입니다." in page.inner_text("body")
    finally:
        page.close()


def test_another_origin_cannot_read_pages_or_the_event_stream(shared, tmp_path, browser):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text("<!doctype html><title>other</title>")
    with static_server(tmp_path / "other", prefix="") as other:
        page = browser.new_page()
        try:
            page.goto(other)  # http://127.0.0.1:OTHER/: the same host, another origin
            result = page.evaluate("""async (base) => {
                const out = {};
                try {
                    const r = await fetch(base + 'posts/draft/');
                    out.fetch = await r.text();
                } catch (e) { out.fetch = e.name; }
                const opaque = await fetch(base + 'posts/draft/', {mode: 'no-cors'});
                out.opaque = [opaque.type, (await opaque.text()).length];
                out.stream = await new Promise((resolve) => {
                    const source = new EventSource(new URL('/__digestgen/events', base));
                    source.onmessage = () => resolve('read');
                    source.addEventListener('reload', () => resolve('read'));
                    source.onerror = () => { source.close(); resolve('refused'); };
                    setTimeout(() => resolve('timeout'), 5000);
                });
                return out;
            }""", shared.url)
        finally:
            page.close()
        assert result == {"fetch": "TypeError", "opaque": ["opaque", 0], "stream": "refused"}


# -- many clients at once ----------------------------------------------------------------------


@pytest.mark.parametrize("clients", [300, 500])
def test_hundreds_of_simultaneous_connections_are_all_answered(shared, clients):
    where = address(shared)
    start = threading.Barrier(clients)
    answers: list[int] = []
    failures: list[str] = []

    def client() -> None:
        start.wait()
        try:
            # A connection the listen queue had no room for waits for its SYN to be sent
            # again, 1 s later: taken at once, it is connected well within that.
            status = request(where, "/ai-digest/css/style.css", ["Host: localhost"],
                             connect=0.9)[0]
            answers.append(status)
        except OSError as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures and answers == [200] * clients


# -- clients that go away, and names no file can have -------------------------------------


class ServeProcess:
    """`digestgen serve` as the author runs it, its terminal output kept."""

    def __init__(self, root: Path, tmp: Path):
        env = {**os.environ, "TMPDIR": str(tmp)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "digestgen", "serve", "--source", str(root), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line, deadline = "", time.monotonic() + 30
        while time.monotonic() < deadline and "serving at" not in line:
            line = self.proc.stdout.readline()
        assert "serving at http://127.0.0.1:" in line, self.stop()
        self.where = ("127.0.0.1", int(line.split("127.0.0.1:")[1].split("/")[0]))

    def get(self, target: str, timeout: float = 10) -> int:
        return request(self.where, target, ["Host: localhost"], timeout=timeout)[0]

    def stop(self) -> tuple[str, str]:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=15)
        return out, err


def reset(s: socket.socket) -> None:
    """Close with a TCP reset, as a crashed or cancelled client does."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def test_clients_that_go_away_print_nothing(tmp_path):
    site = dict(SITE)
    root = write_site(tmp_path / "site", site)
    (root / "static" / "big.bin").write_bytes(os.urandom(8 << 20))
    served = ServeProcess(root, tmp_path)
    try:
        get = b"GET /ai-digest/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n"
        for _ in range(10):  # mid-response: read a little of a large file, then reset
            s = socket.create_connection(served.where)
            s.sendall(get)
            s.recv(1024)
            reset(s)
        for _ in range(10):  # mid-response, closed politely
            s = socket.create_connection(served.where)
            s.sendall(get)
            s.recv(1024)
            s.close()
        for _ in range(10):  # before or during the request
            s = socket.create_connection(served.where)
            reset(s)
            s = socket.create_connection(served.where)
            s.sendall(b"GET /ai-digest/ HT")
            reset(s)
        s = socket.create_connection(served.where)  # a live-reload tab closed
        s.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        s.recv(1024)
        reset(s)
        time.sleep(0.5)
        assert served.get("/ai-digest/posts/alpha/") == 200  # still answering
    finally:
        out, err = served.stop()
    assert "Traceback" not in err + out and "Error" not in err + out
    assert err == ""


LOOKUPS = [
    ("/ai-digest/" + "a" * 256, 404),
    ("/ai-digest/" + "a" * 256 + "/", 404),
    ("/ai-digest/posts/" + "%EA%B0%80" * 86 + "/", 404),  # 258 bytes once decoded
    ("/ai-digest/" + "a" * 255, 404),
    ("/ai-digest/" + "ab/" * 1500, 404),  # longer than PATH_MAX, in short segments
    ("/ai-digest/" + "a" * 9000, 414),
    ("/ai-digest/" + "a" * 70000, 414),  # past the server's longest request line
    ("/ai-digest/loop/", 404),  # a link to itself
]


def test_names_no_file_can_have_get_a_quick_answer_and_no_traceback(tmp_path):
    root = write_site(tmp_path / "site", SITE)
    served = ServeProcess(root, tmp_path)
    try:
        output = next(tmp_path.glob("digestgen-serve-*"))
        (output / "loop").symlink_to(output / "loop")
        answers = [served.get(target, timeout=5) for target, _ in LOOKUPS]
        assert answers == [status for _, status in LOOKUPS]
        assert served.get("/ai-digest/posts/alpha/") == 200
    finally:
        out, err = served.stop()
    assert "Traceback" not in err + out and err == ""
