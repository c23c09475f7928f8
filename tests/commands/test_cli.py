"""The `digestgen` command as users and CI scripts run it: flags, messages, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, REPO, run_cli, write_site

from digestgen import __version__

GOOD = {"content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n본문\n"}


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as info:
        run_cli(["--version"], capsys)
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"digestgen {__version__}"
    with pytest.raises(SystemExit):
        run_cli(["--help"], capsys)
    assert "build" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run_cli(["build", "--help"], capsys)
    help_text = capsys.readouterr().out
    for flag in ("--source", "--output", "--drafts", "--strict", "--base-url"):
        assert flag in help_text


def test_console_script_is_installed():
    out = subprocess.run(["digestgen", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"digestgen {__version__}"


def test_build_from_the_current_folder(tmp_path, monkeypatch, capsys):
    root = write_site(tmp_path / "s", GOOD)
    monkeypatch.chdir(root)
    code, out, err = run_cli(["build"], capsys)
    assert code == 0, err
    assert (root / "_site/posts/a/index.html").is_file()
    assert out.startswith("built 1 document into _site/ (")


def test_output_and_base_url_flags(tmp_path, capsys):
    root = write_site(tmp_path / "s", GOOD)
    code, _, err = run_cli(["build", "--source", str(root), "--output", str(tmp_path / "out"),
                            "--base-url", "https://preview.example.com/pr-7/"], capsys)
    assert code == 0, err
    html = (tmp_path / "out/posts/a/index.html").read_text()
    assert 'href="/pr-7/css/style.css"' in html
    assert 'rel="canonical" href="https://preview.example.com/pr-7/posts/a/"' in html


def test_bad_content_lists_every_problem_and_exits_1(tmp_path, capsys):
    root = write_site(tmp_path / "s", {
        **GOOD,
        "content/posts/bad-yaml.md": "---\ntitle: 좋음\ndate: [2024\n---\n본문\n",
        "content/posts/bad-date.md": "---\ntitle: 날짜\ndate: 2024-02-30\n---\n본문\n",
        "content/posts/bad-tags.md": "---\ntitle: 태그\ndate: 2024-01-01\ntags:\n  a: 1\n---\n본문\n",
    })
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert any(line.startswith("content/posts/bad-yaml.md:3: error:") for line in lines), err
    assert any(line.startswith("content/posts/bad-date.md:3: error:") and "2024-02-30" in line
               for line in lines), err
    assert any(line.startswith("content/posts/bad-tags.md:4: error:") and "'tags'" in line
               for line in lines), err
    assert "Traceback" not in err
    assert not (root / "_site").exists()


def test_strict_turns_warnings_into_errors(tmp_path, capsys):
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n[없는 노트](../wiki/missing.md)\n"})
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0
    assert "content/posts/a.md:5: warning: unresolved link to '../wiki/missing.md'" in err
    code, _, err = run_cli(["build", "--source", str(root), "--strict"], capsys)
    assert code == 1
    assert "content/posts/a.md:5: error: unresolved link" in err


@pytest.mark.parametrize("command", ["build", "check"])
def test_strict_fails_on_every_warning_not_only_link_ones(tmp_path, capsys, command):
    # An unknown tag is a plain warning (nothing a link checker would find): under --strict it
    # fails the build and the check all the same.
    root = write_site(tmp_path / "s", {
        "content/posts/a.md": "---\ntitle: 글\ndate: 2024-01-01\n---\n본문 {% fancy x %}\n"})
    code, _, err = run_cli([command, "--source", str(root)], capsys)
    assert code == 0, err
    assert "content/posts/a.md:5: warning: unknown tag {% fancy %}" in err
    code, _, err = run_cli([command, "--source", str(root), "--strict"], capsys)
    assert code == 1
    assert "content/posts/a.md:5: error: unknown tag {% fancy %}" in err


def test_site_yaml_errors_exit_2_naming_the_key(tmp_path, capsys):
    root = write_site(tmp_path / "s", GOOD, MINIMAL_CONFIG + "paginat: 5\n")
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 2
    assert "site.yaml:5: error: unknown key 'paginat'; did you mean 'paginate'?" in err


def test_missing_site_yaml_says_how_to_fix_it(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, _, err = run_cli(["build", "--source", str(tmp_path / "empty")], capsys)
    assert code == 2
    assert "no site.yaml" in err and "title:" in err and "base_url:" in err


def _digestgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digestgen", *args], capture_output=True,
                          text=True, timeout=300)


def test_a_real_process_lists_every_error_and_only_debug_shows_a_traceback(tmp_path):
    site = write_site(tmp_path / "s", {
        **GOOD,
        "content/posts/bad-yaml.md": "---\ntitle: [깨진\n---\n본문\n",
        "content/posts/date-number.md": "---\ntitle: 숫자\ndate: 20240424\n---\n본문\n",
        "content/wiki/bad-toml.md": '+++\ntitle = "닫히지 않은\n+++\n본문\n',
    })
    plain = _digestgen("build", "--source", str(site))
    assert plain.returncode == 1
    assert "Traceback" not in plain.stderr
    lines = plain.stderr.splitlines()
    for where, what in (("content/posts/bad-yaml.md:2: error: ", "invalid YAML"),
                        ("content/posts/date-number.md:3: error: ", "got 20240424"),
                        ("content/wiki/bad-toml.md:2: error: ", "invalid TOML")):
        assert any(ln.startswith(where) and what in ln for ln in lines), (where, plain.stderr)
    assert "build failed: 3 errors; the output folder was left unchanged" in lines
    assert not (site / "_site").exists()
    for debug in (["--debug", "build"], ["build", "--debug"]):
        shown = _digestgen(*debug, "--source", str(site))
        assert shown.returncode == 1, debug
        # The same list first, then the traceback of where the build gave up.
        assert shown.stderr.index("content/posts/bad-yaml.md:2: error:") < shown.stderr.index(
            "Traceback (most recent call last):"), debug
        assert "digestgen.errors.ContentError" in shown.stderr, debug


def test_site_yaml_problems_name_the_key_and_type_and_a_missing_one_says_how_to_start(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = _digestgen("build", "--source", str(empty))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith(f"site.yaml: error: no site.yaml in {empty}")
    assert "`digestgen init DIR`" in missing.stderr and "`title:` and `base_url:`" in missing.stderr
    bad = write_site(tmp_path / "bad", GOOD,
                     MINIMAL_CONFIG + 'paginate: "열"\nfeed:\n  limit: [1]\nmarkdown:\n'
                                      "  unsafe_html: 예\n")
    wrong = _digestgen("build", "--source", str(bad))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    lines = wrong.stderr.splitlines()
    # Every wrong key at once, at its line, with the type it wants.
    assert lines == [
        "site.yaml:5: error: paginate: expected an integer, got '열'",
        "site.yaml:7: error: feed.limit: expected an integer, got [1]",
        "site.yaml:9: error: markdown.unsafe_html: expected true or false, got '예'",
    ], wrong.stderr
    assert not (bad / "_site").exists()


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        run_cli(["build", "--no-such-flag"], capsys)
    assert info.value.code == 2


def test_output_equal_to_source_is_refused(tmp_path, capsys):
    root = write_site(tmp_path / "s", GOOD)
    code, _, err = run_cli(["build", "--source", str(root), "--output", str(root)], capsys)
    assert code == 2
    assert "must not be the site folder" in err
    assert (root / "content/posts/a.md").is_file()


def test_template_error_names_template_and_line(tmp_path, capsys):
    root = write_site(tmp_path / "s", {**GOOD, "templates/post.html":
                                       "<h1>{{ page.title }}</h1>\n<p>{{ page.no_such_field }}</p>\n"})
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 1
    assert "templates/post.html:2: error: template error:" in err and "no_such_field" in err
    assert "Traceback" not in err


def test_template_syntax_error(tmp_path, capsys):
    root = write_site(tmp_path / "s", {**GOOD, "templates/post.html": "{% if %}\n"})
    code, _, err = run_cli(["build", "--source", str(root)], capsys)
    assert code == 1
    assert "templates/post.html:1: error: template error:" in err


def test_python_dash_m_runs_the_cli(tmp_path):
    root = write_site(tmp_path / "s", GOOD)
    proc = subprocess.run([sys.executable, "-m", "digestgen", "build", "--source", str(root), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


def test_console_script_build_output_and_exit_codes_survive_its_fast_exit(tmp_path):
    # After a build the console script ends with os._exit: what it printed into a pipe
    # must still come out, and the exit code must still say whether the build failed.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    root = write_site(tmp_path / "s", GOOD)
    proc = subprocess.run(["digestgen", "build", "--source", str(root)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("built 1 document into ")
    assert (root / "_site/posts/a/index.html").is_file()
    (root / "content/posts/a.md").write_text("---\ntitle: [깨진\n---\n", encoding="utf-8")
    proc = subprocess.run(["digestgen", "build", "--source", str(root)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "content/posts/a.md:2: error:" in proc.stderr
    assert "the output folder was left unchanged" in proc.stderr


def test_readme_quick_start_has_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip()]
    assert len(commands) == 2
    assert "digestgen build" in commands[0] and "pytest" in commands[1]
    assert "python3 -m venv" in commands[0]  # Debian's Python is externally managed
    ci = (REPO / ".ci/run").read_text().splitlines()
    # CI runs both lines as they are written, one after the other, in the same shell.
    at = ci.index(commands[0].strip())
    assert ci[at + 1] == commands[1].strip()


def test_ci_script_is_executable():
    assert Path(REPO / ".ci/run").stat().st_mode & 0o111


def test_the_wheel_carries_the_theme(tmp_path):
    """`pip install .` (not editable) must work away from the checkout: the theme is inside."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(wheels)], check=True, capture_output=True)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), *map(str, wheels.glob("*.whl"))], check=True, capture_output=True)
    root = write_site(tmp_path / "site", GOOD)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", "import digestgen.render.env as e, sys;"
                           "print(e.theme_dir()); sys.exit(__import__('digestgen.cli').cli.main("
                           f"['build', '--source', {str(root)!r}, '-q']))"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(target / "digestgen" / "theme")
    assert "<h1 class=\"doc-title\">글</h1>" in (root / "_site/posts/a/index.html").read_text()


# -- what a build says ------------------------------------------------------------------------


def _files_on_disk(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def test_build_counts_in_words_and_files_as_on_disk(tmp_path, capsys):
    root = write_site(tmp_path / "s", {
        **GOOD,
        "content/posts/b.md": "---\ntitle: 둘\ndate: 2024-01-02\n---\n본문\n",
    })
    code, out, _ = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0
    first = out.splitlines()[0]
    files = _files_on_disk(root / "_site")  # the marker file included
    assert first.startswith(f"built 2 documents into {root}/_site/ ({files} files, {files} "
                            "changed; 2 loaded, "), first
    (root / "content/posts/b.md").unlink()
    code, out, _ = run_cli(["build", "--source", str(root)], capsys)
    first = out.splitlines()[0]
    assert first.startswith(f"built 1 document into {root}/_site/ "
                            f"({_files_on_disk(root / '_site')} files, "), first
    assert " 1 document," not in first.replace("built 1 document into", "")
    # The marker is not rewritten by later builds: not counted as changed.
    changed = int(first.split(" files, ")[1].split(" changed")[0])
    assert changed < _files_on_disk(root / "_site") - 1


def test_build_names_the_drafts_it_left_out_and_how_to_preview(tmp_path, capsys):
    root = write_site(tmp_path / "s", {
        **GOOD,
        "content/posts/d1.md": "---\ntitle: 초안 하나\ndate: 2024-01-03\ndraft: true\n---\n본문\n",
        "content/posts/d2.md": "---\ntitle: 초안 둘\ndate: 2024-01-04\npublished: false\n---\n",
    })
    code, out, _ = run_cli(["build", "--source", str(root)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == ("2 drafts not published (use --drafts): content/posts/d1.md, "
                        "content/posts/d2.md")
    assert lines[2] == (f"preview: digestgen serve --source {root} (rebuilds as you edit), or "
                        f"digestgen serve --no-watch --source {root} to serve {root}/_site/ "
                        "as built")
    code, out, _ = run_cli(["build", "--drafts", "--source", str(root)], capsys)
    assert code == 0 and "not published" not in out
    assert out.splitlines()[0].startswith("built 3 documents")
    # Nothing changed: nothing more to say than that, and how to look at it.
    code, out, _ = run_cli(["build", "--drafts", "--source", str(root)], capsys)
    assert out.splitlines()[0].startswith(f"nothing changed since the last build: {root}/_site/")
    assert out.splitlines()[1].startswith("preview: digestgen serve")


def test_check_speaks_of_one_document_in_the_singular(tmp_path, capsys):
    root = write_site(tmp_path / "s", GOOD)
    code, out, _ = run_cli(["check", "--source", str(root)], capsys)
    assert code == 0 and out.strip() == "check: no problems in 1 document"


# -- serve --no-watch --------------------------------------------------------------------------


def _serve_built(root: Path):
    """Start `digestgen serve --no-watch --port 0` on ``root``; (process, url)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "digestgen", "serve", "--no-watch",
                             "--port", "0", "--source", str(root)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    line = proc.stdout.readline()
    return proc, line


def test_serve_no_watch_serves_the_built_folder_as_it_is(tmp_path, capsys):
    import urllib.request

    root = write_site(tmp_path / "s", GOOD)
    assert run_cli(["build", "--source", str(root)], capsys)[0] == 0
    proc, line = _serve_built(root)
    try:
        assert line.startswith("serving _site/ as built at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        assert url.endswith("/ai-digest/")
        with urllib.request.urlopen(url + "posts/a/") as response:
            body = response.read()
        # The bytes the build wrote: no live-reload script added.
        assert body == (root / "_site/posts/a/index.html").read_bytes()
        # A later edit is not picked up: nothing is watched or rebuilt.
        (root / "content/posts/a.md").write_text("---\ntitle: 바뀐 글\ndate: 2024-01-01\n---\n")
        with urllib.request.urlopen(url + "posts/a/") as response:
            assert response.read() == body
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "../../site.yaml")
        assert missing.value.code in (400, 404)
    finally:
        proc.send_signal(2)
        rest, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "stopped" in rest


def test_serve_no_watch_refuses_a_folder_it_did_not_build(tmp_path, capsys):
    root = write_site(tmp_path / "s", GOOD)
    code, _, err = run_cli(["serve", "--no-watch", "--source", str(root)], capsys)
    assert code == 2
    assert err.strip() == (f"{root / '_site'}: error: nothing built here yet: run "
                           "`digestgen build` first, or `digestgen serve` to build and watch")
