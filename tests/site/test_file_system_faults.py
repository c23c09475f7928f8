"""A full disk, a read-only file system, a read-only output folder: each is said as what it is,
naming where, never as "internal error … a bug", and the previous output stays whole.

Each case runs the real command in a mount namespace of its own (``unshare``), on a small
tmpfs that can fill up or be made read-only, as an unprivileged user can.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_site

POSTS = {f"content/posts/p{k}.md": f"---\ntitle: 글 {k}\ndate: 2024-04-{k + 1:02d}\n---\n본문 {k}.\n"
         for k in range(5)}


def _namespace() -> list[str]:
    """The command prefix that runs a script in a private mount namespace, or skip."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("util-linux unshare is not installed")
    for prefix in ([unshare, "--mount"], [unshare, "--user", "--map-root-user", "--mount"]):
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    pytest.skip("no mount namespace here (unprivileged user namespaces are off)")


def _run(tmp_path: Path, script: str) -> dict[str, str]:
    """Run ``script`` (sh) in a namespace; $DG is the digestgen command, $MNT a mount point.
    Returns the files the script wrote into $LOG (exit codes and messages)."""
    log, mnt = tmp_path / "log", tmp_path / "mnt"
    log.mkdir()
    mnt.mkdir()
    env = {"DG": f"{sys.executable} -m digestgen", "MNT": str(mnt), "LOG": str(log),
           "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    done = subprocess.run([*_namespace(), "sh", "-ec", script], capture_output=True, text=True,
                          timeout=300, env={**env, "PYTHONPATH": ":".join(sys.path)})
    assert done.returncode == 0, done.stdout + done.stderr
    return {p.name: p.read_text() for p in log.iterdir()}


TREE = (f"{sys.executable} -c \"import hashlib,pathlib,sys;r=pathlib.Path(sys.argv[1]);"
        "print('\\n'.join(f'{p.relative_to(r).as_posix()} '"
        "f'{hashlib.sha256(p.read_bytes()).hexdigest()}' for p in sorted(r.rglob(chr(42))) "
        "if p.is_file()))\"")


def _assert_said_plainly(code: str, err: str, says: str) -> None:
    assert code.strip() == "1", err
    assert says in err, err
    assert "internal error" not in err and "Traceback" not in err and "bug" not in err, err
    assert "the output folder was left unchanged" in err


def test_a_full_disk_is_named_and_the_site_stays_whole(tmp_path):
    site = write_site(tmp_path / "site", POSTS)
    big = "---\ntitle: 큰 글\ndate: 2024-05-01\n---\n" + ("아주 긴 본문입니다. " * 200 + "\n\n") * 60
    (tmp_path / "big.md").write_text(big, encoding="utf-8")
    found = _run(tmp_path, f"""
        mount -t tmpfs -o size=1m tmpfs "$MNT"
        $DG build -q --no-cache --source {site} --output "$MNT/out"
        {TREE} "$MNT/out" > "$LOG/before"
        cp {tmp_path / "big.md"} {site}/content/posts/big.md
        set +e
        $DG build --no-cache --source {site} --output "$MNT/out" 2> "$LOG/err"
        echo $? > "$LOG/code"
        set -e
        {TREE} "$MNT/out" > "$LOG/after"
        ls -a "$MNT" > "$LOG/beside"
    """)
    _assert_said_plainly(found["code"], found["err"], "cannot build the site: No space left on "
                                                      "device")
    assert found["after"] == found["before"] and "index.html" in found["before"]
    assert found["beside"].split() == [".", "..", "out"]  # no staging folder left behind


def test_a_read_only_file_system_is_named_and_the_site_stays_whole(tmp_path):
    site = write_site(tmp_path / "site", POSTS)
    found = _run(tmp_path, f"""
        mount -t tmpfs -o size=8m tmpfs "$MNT"
        $DG build -q --no-cache --source {site} --output "$MNT/out"
        {TREE} "$MNT/out" > "$LOG/before"
        mount -o remount,ro "$MNT"
        echo "---\ntitle: 새 글\ndate: 2024-05-01\n---\n새.\n" > {site}/content/posts/new.md
        set +e
        $DG build --no-cache --source {site} --output "$MNT/out" 2> "$LOG/err"
        echo $? > "$LOG/code"
        set -e
        {TREE} "$MNT/out" > "$LOG/after"
    """)
    _assert_said_plainly(found["code"], found["err"], "Read-only file system")
    assert found["after"] == found["before"]


def test_a_read_only_output_folder_is_named_and_finished_once_writable(tmp_path):
    site = write_site(tmp_path / "site", POSTS)
    found = _run(tmp_path, f"""
        mount -t tmpfs -o size=8m tmpfs "$MNT"
        $DG build -q --no-cache --source {site} --output "$MNT/out"
        {TREE} "$MNT/out" > "$LOG/before"
        mount --bind "$MNT/out" "$MNT/out"
        mount -o remount,bind,ro "$MNT/out"
        echo "---\ntitle: 새 글\ndate: 2024-05-01\n---\n새.\n" > {site}/content/posts/new.md
        set +e
        $DG build --no-cache --source {site} --output "$MNT/out" 2> "$LOG/err"
        echo $? > "$LOG/code"
        set -e
        {TREE} "$MNT/out" > "$LOG/after"
        umount "$MNT/out"
        $DG build -q --no-cache --source {site} --output "$MNT/out"
        {TREE} "$MNT/out" > "$LOG/fixed"
        $DG build -q --no-cache --source {site} --output "$MNT/fresh"
        {TREE} "$MNT/fresh" > "$LOG/fresh"
    """)
    _assert_said_plainly(found["code"], found["err"], "Read-only file system")
    assert found["after"] == found["before"]
    assert found["fixed"] == found["fresh"] and "posts/new/index.html" in found["fixed"]
