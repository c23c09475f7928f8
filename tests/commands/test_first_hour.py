"""The author's first hour, run as README.md writes it, on a machine made fresh for it: a copy
of the checkout, a new virtual environment, a new home folder; GitHub played by a bare git
repository that `https://github.com/you/` leads to (git's url.insteadOf), and the publishing
workflow's build job run step by step by tests/workflow_runner.py, twice and more, from other
checkout paths, to show what its build cache does.

Slow (about two minutes: two virtual environments, pip installs, a wheel): marked ``slow``;
``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, tree
from workflow_runner import CacheStore, Runner, clean_env, run_pages_build

pytestmark = pytest.mark.slow
README = (REPO / "README.md").read_text(encoding="utf-8")
GIT = shutil.which("git")


def section(heading: str) -> str:
    """The README's text under ``heading`` (a line starting with #), to the next heading of the
    same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = README.index(f"\n{heading}\n") + len(heading) + 2
    ends = [m.start() for m in re.finditer(r"\n(#+) ", README[start:])
            if len(m.group(1)) <= len(level)]
    return README[start:start + ends[0]] if ends else README[start:]


def blocks(text: str, lang: str) -> list[str]:
    """The fenced ``lang`` blocks of ``text``, dedented (a block may sit in a list item)."""
    found = re.findall(rf"^( *)```{lang}\n(.*?)^\1```", text, flags=re.S | re.M)
    return ["\n".join(line[len(indent):] for line in body.splitlines())
            for indent, body in found]


def commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip()]


def transcript(block: str) -> list[tuple[str, list[str]]]:
    """A README transcript: each ``$ command`` with the lines it prints."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip():
            steps[-1][1].append(line)
    return steps


def matches(expected: str, actual: str) -> bool:
    """A transcript line against a line printed: "…" stands for anything."""
    pattern = ".*?".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


class Machine:
    """A fresh machine's user: a home folder, a shell that starts in ``cwd``, and the virtual
    environment the README's first command makes."""

    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.home.mkdir()
        github = root / "github"
        github.mkdir()
        gitconfig = self.home / ".gitconfig"
        gitconfig.write_text(
            "[user]\n\tname = You\n\temail = you@example.com\n"
            "[init]\n\tdefaultBranch = main\n"
            f'[url "{github}/"]\n\tinsteadOf = https://github.com/\n', encoding="utf-8")
        self.github = github
        self.env = {**clean_env(), "HOME": str(self.home), "GIT_CONFIG_GLOBAL": str(gitconfig),
                    "PYTHONUNBUFFERED": "1",  # stdout and stderr interleaved as on a terminal
                    # pip's download cache is the machine's own: speed only, not what installs
                    "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR")
                    or str(Path.home() / ".cache" / "pip")}
        # Only the system's tools on PATH, as on a new machine: no virtual environment.
        self.env["PATH"] = os.pathsep.join(
            p for p in os.environ["PATH"].split(os.pathsep)
            if not (Path(p).parent / "pyvenv.cfg").exists())
        self.checkout = root / "digestgen"
        self.cwd = self.checkout
        self.venv: Path | None = None

    def shell(self, lines: list[str], timeout: float = 600) -> list[tuple[str, str, int]]:
        """Run ``lines`` in one bash session, as typed; each line's output (stdout and stderr
        together) and exit code. Stops at the first line that fails."""
        marker = "@@digestgen-step@@"
        script = [f"cd {shlex_quote(self.cwd)}"]
        if self.venv is not None:
            script.append(f". {shlex_quote(self.venv / 'bin/activate')}")
        for line in lines:
            script.append(f"printf '\\n{marker}\\n'; {line}; code=$?; "
                          f"printf '\\n{marker} %s %s\\n' \"$code\" \"$PWD\"; "
                          f"[ $code -eq 0 ] || exit $code")
        script.append('printf "%s\\n" "@@venv@@ $VIRTUAL_ENV"')
        done = subprocess.run(["bash", "-c", "\n".join(script)], env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        out = done.stdout
        results = []
        for line, chunk in zip(lines, out.split(f"\n{marker}\n")[1:], strict=False):
            body, _, tail = chunk.partition(f"\n{marker} ")
            code, _, cwd = tail.split("\n", 1)[0].partition(" ")
            results.append((line, body, int(code or 1)))
            if cwd:
                self.cwd = Path(cwd)
        venv = re.search(r"^@@venv@@ (.*)$", out, flags=re.M)
        if venv and venv.group(1):
            self.venv = Path(venv.group(1))
        assert len(results) == len(lines) and all(c == 0 for _, _, c in results), out
        return results

    def start(self, line: str) -> subprocess.Popen:
        """Start a long-running line (``digestgen serve``) in the same kind of shell."""
        assert self.venv is not None
        return subprocess.Popen(
            ["bash", "-c", f"cd {shlex_quote(self.cwd)} && . "
             f"{shlex_quote(self.venv / 'bin/activate')} && exec {line}"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            stdin=subprocess.DEVNULL)


def shlex_quote(path: Path | str) -> str:
    import shlex

    return shlex.quote(str(path))


def assert_said(steps: list[tuple[str, str, int]], expected: list[tuple[str, list[str]]]):
    """What each command printed is the README's transcript, line for line."""
    said = {line: body for line, body, _ in steps}
    for command, lines in expected:
        got = [ln for ln in said[command].splitlines() if ln.strip()]
        assert len(got) == len(lines) and all(map(matches, lines, got)), (
            f"$ {command}\nREADME says:\n" + "\n".join(lines) + "\nprinted:\n" + "\n".join(got))


def read_line(proc: subprocess.Popen, pattern: str, timeout: float = 60) -> re.Match:
    """Read ``proc``'s output until a line matches ``pattern``."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(seen)}")


def stop(proc: subprocess.Popen) -> str:
    """Ctrl-C, as the README says; the rest of what it printed."""
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=30)
    return rest


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def first_hour(tmp_path_factory):
    """A fresh machine after the README's Quick start line and first hour, up to `serve`."""
    if GIT is None:
        pytest.skip("git is not installed")
    machine = Machine(tmp_path_factory.mktemp("machine"))
    # The checkout: the files git tracks (as a clone has them), as they are in this worktree.
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for rel in filter(None, tracked):
        if (REPO / rel).is_file():
            target = machine.checkout / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, target)
    quick = commands(blocks(section("## Quick start"), "sh")[0])
    assert quick[1] == "pip install -e '.[test]' && pytest"  # what .ci/run runs, verbatim
    hour = section("### Your first hour")
    lines = commands(blocks(hour, "sh")[0])
    assert lines[-1] == "digestgen serve"
    steps = machine.shell([quick[0], *lines[:-1]])
    return machine, steps, lines, transcript(blocks(hour, "text")[0])


def test_quick_start_installs_and_builds_the_example_in_a_new_venv(first_hour):
    machine, steps, _, _ = first_hour
    line, out, code = steps[0]
    assert machine.venv == machine.checkout / ".venv"
    assert (machine.venv / "bin/digestgen").is_file()
    last = out.split("\nbuilt ", 1)[1].splitlines()
    assert " documents into _site/ (" in last[0], out
    files = sum(1 for p in (machine.checkout / "_site").rglob("*") if p.is_file())
    assert f"({files} files, {files} changed;" in last[0]  # what is on disk, marker included
    assert last[-1] == ("preview: digestgen serve (rebuilds as you edit), or digestgen serve "
                        "--no-watch to serve _site/ as built")


def test_first_hour_prints_what_the_readme_shows(first_hour):
    machine, steps, lines, expected = first_hour
    assert [c for c, _ in expected] == lines  # the transcript follows the commands
    assert_said(steps[1:], expected[:-1])
    site = machine.cwd
    assert site == machine.root / "my-digest"
    assert (site / "content/posts/첫-소식.md").is_file()
    on_disk = sum(1 for p in (site / "_site").rglob("*") if p.is_file())
    assert f"({on_disk} files, " in steps[-1][1]
    assert not any("첫" in p.name for p in (site / "_site/posts").iterdir())
    workflow = (site / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert 'DIGESTGEN: "digestgen==0.1.0"' in workflow


def test_serve_shows_the_draft_marked_and_no_watch_serves_the_build(first_hour):
    machine, _, lines, expected = first_hour
    proc = machine.start(lines[-1])
    try:
        found = read_line(proc, r"serving at (http://\S+)")
        url = found.group(1)
        said = [found.string.strip()]
        page = fetch(url + urllib.parse.quote("posts/첫-소식/"))
        assert 'class="draft-badge">초안<' in page  # marked on its own page
        assert "초안" in fetch(url)  # and in the home page's list
        assert "EventSource" in page  # live reload while serving
    finally:
        rest = stop(proc)
    assert rest.strip().endswith("stopped")
    # The transcript's serve lines, the port aside (8000 may be taken on a test machine).
    readme_lines = expected[-1][1]
    assert matches(readme_lines[-1].replace(":8000/", ":…/"), said[0])

    proc = machine.start("digestgen serve --no-watch --port 0")
    try:
        found = read_line(proc, r"serving _site/ as built at (http://\S+)")
        url = found.group(1)
        home = fetch(url)
        assert home == (machine.cwd / "_site/index.html").read_text(encoding="utf-8")
        assert "EventSource" not in home and "초안" not in home
    finally:
        rest = stop(proc)
    assert "stopped" in rest


@pytest.fixture(scope="module")
def published(first_hour, tmp_path_factory):
    """The README's "Put it on GitHub" lines, run as written."""
    machine, _, _, _ = first_hour
    site = machine.cwd
    (machine.github / "you").mkdir()
    subprocess.run(["git", "init", "-q", "--bare", str(machine.github / "you/my-digest.git")],
                   check=True, env=machine.env)
    publish = section("## Publishing on GitHub Pages")
    block = next(b for b in blocks(publish, "sh") if "git remote add origin" in b)
    # Before base_url is set, deploy refuses init's placeholder.
    refused = subprocess.run(["bash", "-c", f". {machine.venv}/bin/activate && git init -q && "
                              "git remote add origin https://github.com/you/my-digest.git && "
                              "digestgen deploy"], cwd=site, env=machine.env,
                             capture_output=True, text=True)
    assert refused.returncode == 2
    assert ("base_url is still the example address https://example.github.io/my-digest/; set "
            "base_url in site.yaml to the address the site is published at "
            "(https://you.github.io/my-digest/, for origin)") in refused.stderr
    shutil.rmtree(site / ".git")
    steps = machine.shell(commands(block))
    return machine, steps


def test_deploy_after_the_readme_steps(published):
    machine, _ = published
    site = machine.cwd
    done = machine.shell(["digestgen deploy"])[0][1]
    assert re.fullmatch(r"pushed \d+ files to gh-pages on https://github.com/you/my-digest.git "
                        r"\(\w{10}\): https://you.github.io/my-digest/\n", done), done
    bare = machine.github / "you/my-digest.git"
    subject = subprocess.run(["git", "log", "-1", "--format=%s", "gh-pages"], cwd=bare,
                             capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"Deploy AI 다이제스트 from \w+ \(1 document, digestgen 0\.1\.0\)\n",
                        subject)
    # An edit not committed is not published under the last commit's name...
    post = site / "content/posts/hello-digest.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n고친 줄\n", encoding="utf-8")
    refused = subprocess.run(["bash", "-c", f". {machine.venv}/bin/activate && digestgen deploy"],
                             cwd=site, env=machine.env, capture_output=True, text=True)
    assert refused.returncode == 2
    assert ("1 file not committed (content/posts/hello-digest.md); the deploy would publish "
            "them under the last commit's name") in refused.stderr
    # ...unless asked, and then it says so.
    done = machine.shell(["digestgen deploy --allow-dirty"])[0][1]
    assert "warning: deploying 1 uncommitted file (content/posts/hello-digest.md)" in done
    subject = subprocess.run(["git", "log", "-1", "--format=%s", "gh-pages"], cwd=bare,
                             capture_output=True, text=True, check=True).stdout
    assert " with uncommitted changes (1 document," in subject
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=site, check=True)


# -- the publishing workflow, run here -------------------------------------------------------


@pytest.fixture(scope="module")
def ci(published, tmp_path_factory):
    """What the workflow's runs need: a stand-in for the package index holding this
    digestgen's wheel, the runner's Python (setup-python's), and the cache store."""
    machine, _ = published
    root = tmp_path_factory.mktemp("ci")
    index = root / "index"
    subprocess.run([str(machine.venv / "bin/pip"), "wheel", "--no-deps", "-q", "-w",
                    str(index), str(machine.checkout)], check=True, env=machine.env,
                   capture_output=True)
    python = root / "python"
    subprocess.run([sys.executable, "-m", "venv", str(python)], check=True)
    env = {**machine.env, "PATH": f"{python / 'bin'}{os.pathsep}{machine.env['PATH']}",
           "VIRTUAL_ENV": str(python), "PIP_FIND_LINKS": str(index)}
    env.pop("GIT_CONFIG_GLOBAL")
    return {"machine": machine, "root": root, "index": index, "python": python, "env": env,
            "store": CacheStore(root / "actions-cache"), "runs": 0}


def push(site: Path, env: dict, message: str) -> str:
    for args in (["add", "-A"], ["commit", "-qm", message], ["push", "-q", "origin", "main"]):
        subprocess.run(["git", *args], cwd=site, env=env, check=True, capture_output=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=site, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def run_workflow(ci: dict, sha: str, env: dict | None = None) -> tuple[str, Path]:
    """The Pages workflow's build job of ``sha``, on a new runner (its own path and home)."""
    ci["runs"] += 1
    # Each run installs digestgen as its step says (the runner's Python is reused for speed).
    subprocess.run([str(ci["python"] / "bin/pip"), "uninstall", "-q", "-y", "digestgen"],
                   capture_output=True)
    runner = Runner(ci["root"] / f"runner-{ci['runs']}", env or ci["env"], ci["store"],
                    "https://you.github.io/my-digest")
    site = ci["machine"].cwd
    workflow = subprocess.run(["git", "show", f"{sha}:.github/workflows/pages.yml"], cwd=site,
                              capture_output=True, text=True, check=True).stdout
    bare = ci["machine"].github / "you/my-digest.git"
    log = run_pages_build(workflow, bare, sha, runner)
    return log, runner.root / "work/my-digest"


def build_line(log: str) -> str:
    part = log.split("## Build\n", 1)[1]
    return next(ln for ln in part.splitlines() if ln.startswith("built "))


def clean_build(ci: dict, checkout: Path, tmp: Path) -> dict[str, str]:
    """The same commit built from scratch, without any cache: what the cached build must equal."""
    copy = tmp / "clean"
    shutil.copytree(checkout, copy, ignore=shutil.ignore_patterns("_site", ".digestgen-cache"))
    subprocess.run([str(ci["python"] / "bin/digestgen"), "build", "--no-cache", "-q",
                    "--base-url", "https://you.github.io/my-digest/"], cwd=copy, check=True,
                   env={**ci["env"], "HOME": str(tmp)})
    return tree(copy / "_site")


def test_the_workflow_installs_the_pinned_digestgen_and_its_cache_carries_over(ci, tmp_path):
    machine = ci["machine"]
    site = machine.cwd
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=site, capture_output=True,
                         text=True, check=True).stdout.strip()
    log, first = run_workflow(ci, sha)
    assert "Successfully installed" in log and "digestgen-0.1.0" in log  # from the pin
    assert "## actions/cache: no cache for digestgen-0.1.0-" in log
    line = build_line(log)
    assert line.startswith("built 1 document into _site/") and "; 2 loaded," in line, log
    assert 'href="https://you.github.io/my-digest/posts/hello-digest/"' in (
        first / "_site/posts/hello-digest/index.html").read_text(encoding="utf-8")
    assert len(ci["store"].saved) == 1 and ci["store"].saved[0].endswith(f"-{sha}")

    # One new post, pushed: the next run, on another machine (another checkout path, other
    # file times, no key of its own), restores the cache and loads only that post.
    made = subprocess.run([str(machine.venv / "bin/digestgen"), "new", "post", "두 번째 소식"],
                          cwd=site, env=machine.env, capture_output=True, text=True, check=True)
    path = site / made.stdout.split("created ", 1)[1].split(" (", 1)[0]
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""),
                    encoding="utf-8")
    sha2 = push(site, machine.env, "두 번째 소식")
    log, second = run_workflow(ci, sha2)
    assert second != first
    assert f"## actions/cache: restored {ci['store'].saved[0]}" in log
    line = build_line(log)
    assert "note:" not in log.split("## Build\n", 1)[1], log
    assert line.startswith("built 2 documents into _site/") and "; 1 loaded," in line, log
    assert tree(second / "_site") == clean_build(ci, second, tmp_path)


def test_a_cache_that_comes_with_the_repository_is_never_unpickled(ci, tmp_path):
    machine = ci["machine"]
    site = machine.cwd
    ran = tmp_path / "the-pickle-ran"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(ran),))

    # A pull request force-adds a cache built to run code, signed with its author's own key,
    # under the header this very digestgen writes (anyone can install the same release).
    header = subprocess.run([str(ci["python"] / "bin/python"), "-c",
                             "import sys, digestgen.pipeline.cache_disk as s; "
                             "sys.stdout.buffer.write(s._header())"],
                            capture_output=True, check=True).stdout
    import hmac

    payload = pickle.dumps(Payload())
    signature = hmac.new(b"the attacker's key", header + payload, hashlib.blake2b).digest()[:32]
    cache = site / ".digestgen-cache"
    cache.mkdir(exist_ok=True)
    for name in ("state.pickle", "graph.pickle", "docs-00.pickle"):
        (cache / name).write_bytes(header + signature + payload)
    subprocess.run(["git", "add", "-f", ".digestgen-cache"], cwd=site, check=True)
    sha = push(site, machine.env, "캐시를 함께 올림")
    saved = len(ci["store"].saved)
    log, checkout = run_workflow(ci, sha)
    assert "## actions/cache: restored" in log
    assert "note:" not in log.split("## Build\n", 1)[1]  # the run's own cache was used
    assert build_line(log).startswith("built 2 documents") and not ran.exists()
    assert len(ci["store"].saved) == saved + 1

    # Without the workflow's step that removes it, digestgen itself ignores it unread.
    copy = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(machine.github / "you/my-digest.git"), str(copy)],
                   check=True)
    done = subprocess.run([str(ci["python"] / "bin/digestgen"), "build"], cwd=copy,
                          env={**ci["env"], "HOME": str(tmp_path / "home")},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "note: cache not made by this user's digestgen; ignored" in done.stderr
    assert not ran.exists()
    subprocess.run(["git", "rm", "-rq", "--cached", ".digestgen-cache"], cwd=site, check=True)
    shutil.rmtree(site / ".digestgen-cache")
    push(site, machine.env, "캐시 제거")


def test_a_stale_cache_is_ignored_and_the_wheel_can_come_with_the_site(ci, tmp_path):
    """A restored entry from another digestgen (here: the newest entry, its files' header
    naming another version) is ignored with a note, and the build is what a clean one is. The
    same run installs digestgen from a wheel committed to the site, as the README offers."""
    machine = ci["machine"]
    site = machine.cwd
    store: CacheStore = ci["store"]
    newest = store.folder / f"{len(store.saved) - 1:03d}.tar"
    work = tmp_path / "entry"
    with tarfile.open(newest) as tar:
        tar.extractall(work, filter="tar")
    for path in work.rglob("*.pickle"):
        data = path.read_bytes()
        line, _, rest = data.partition(b"\n")
        path.write_bytes(line.replace(b" 0.1.0 ", b" 0.0.9 ") + b"\n" + rest)
    with tarfile.open(newest, "w") as tar:
        for part in sorted(work.iterdir()):
            tar.add(part, arcname=part.name)

    wheel = next(ci["index"].glob("digestgen-*.whl"))
    shutil.copy2(wheel, site / wheel.name)
    workflow = site / ".github/workflows/pages.yml"
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace('DIGESTGEN: "digestgen==0.1.0"',
                                     f'DIGESTGEN: "./{wheel.name}"'), encoding="utf-8")
    sha = push(site, machine.env, "휠을 함께")
    env = {k: v for k, v in ci["env"].items() if k != "PIP_FIND_LINKS"}  # no index for it
    log, checkout = run_workflow(ci, sha, env)
    assert f"Processing ./{wheel.name}" in log
    assert "## actions/cache: restored" in log
    build = log.split("## Build\n", 1)[1]
    assert "note: cache from another digestgen or Python version; ignored" in build
    assert "; 3 loaded," in build_line(log)  # every document: two posts and the draft
    assert tree(checkout / "_site") == clean_build(ci, checkout, tmp_path)

    # Another site.yaml: another key; nothing is restored.
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "description: 한 주의 AI 소식을 정리하는 다이제스트", "description: 새 설명"),
        encoding="utf-8")
    sha = push(site, machine.env, "설명")
    log, _ = run_workflow(ci, sha, env)
    assert "## actions/cache: no cache for" in log
    assert "; 3 loaded," in build_line(log)
