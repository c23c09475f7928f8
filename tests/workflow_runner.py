"""Run a GitHub Actions job on this machine, as a runner would, for the actions a digestgen
site's workflow uses: its ``run:`` steps in bash with the job's env, ``$GITHUB_OUTPUT`` and
``${{ }}`` expressions; ``actions/cache`` with GitHub's rules (an exact key, else the newest
entry whose key starts with a restore key; saved after the job unless the key was hit); the
other actions stood in for by what they do. Anything else fails, so a workflow cannot use a
step this runner would quietly skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class CacheStore:
    """What actions/cache keeps between runs: tarballs by key, in the order they were saved."""

    folder: Path
    saved: list[str] = field(default_factory=list)

    def find(self, key: str, restore_keys: list[str]) -> tuple[str, Path] | None:
        entries = {k: self.folder / f"{i:03d}.tar" for i, k in enumerate(self.saved)}
        if key in entries:
            return key, entries[key]
        for prefix in restore_keys:  # each restore key in turn: its newest match
            for k in reversed(self.saved):
                if k.startswith(prefix):
                    return k, entries[k]
        return None

    def save(self, key: str, paths: list[Path], home: Path, workspace: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{len(self.saved):03d}.tar"
        with tarfile.open(target, "w") as tar:
            for path in paths:
                if path.exists():
                    tar.add(path, arcname=_arcname(path, home, workspace))
        self.saved.append(key)


def _arcname(path: Path, home: Path, workspace: Path) -> str:
    # As actions/cache does: paths under the workspace relative to it, the rest by ~.
    if path.is_relative_to(workspace):
        return "ws/" + path.relative_to(workspace).as_posix()
    return "home/" + path.relative_to(home).as_posix()


def _extract(tar_path: Path, home: Path, workspace: Path) -> None:
    with tarfile.open(tar_path) as tar:
        for member in tar.getmembers():
            root, _, rel = member.name.partition("/")
            member.name = rel
            tar.extract(member, workspace if root == "ws" else home, filter="tar")


@dataclass
class Runner:
    """A fresh machine: its own home and workspace (so a checkout lands at a new path, with
    new file times), the given Python environment, and the shared cache store."""

    root: Path
    env: dict[str, str]
    cache: CacheStore
    base_url: str
    log: list[str] = field(default_factory=list)

    def run_job(self, workflow: dict, job: str, repository: Path, sha: str) -> str:
        """Run ``job`` of ``workflow`` on ``repository`` at commit ``sha``; return its log."""
        home = self.root / "home"
        workspace = self.root / "work" / repository.name.removesuffix(".git")
        home.mkdir(parents=True)
        temp = self.root / "temp"
        temp.mkdir()
        outputs: dict[str, dict[str, str]] = {}
        context = {"github.sha": sha, "github.workspace": str(workspace),
                   "runner.temp": str(temp)}
        env = {**self.env, "HOME": str(home), "GITHUB_WORKSPACE": str(workspace),
               "GITHUB_SHA": sha, "RUNNER_TEMP": str(temp), "CI": "true"}
        env.update({k: str(v) for k, v in (workflow.get("env") or {}).items()})
        env.update({k: str(v) for k, v in (workflow["jobs"][job].get("env") or {}).items()})
        post: list = []

        def expand(text: str) -> str:
            def value(match: re.Match) -> str:
                expr = match.group(1)
                found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
                if found:
                    return outputs.get(found[1], {}).get(found[2], "")
                if expr.startswith("env."):
                    return env.get(expr[4:], "")
                if expr in context:
                    return context[expr]
                if expr.startswith("secrets."):
                    return env.get("SECRET_" + expr[8:], "")
                raise AssertionError(f"this runner does not know the expression {expr!r}")
            return EXPRESSION.sub(value, str(text))

        for number, step in enumerate(workflow["jobs"][job]["steps"]):
            step_id = step.get("id", f"step{number}")
            step_env = {**env, **{k: expand(v) for k, v in (step.get("env") or {}).items()}}
            out_file = temp / f"output-{number}"
            out_file.touch()
            step_env["GITHUB_OUTPUT"] = str(out_file)
            if "run" in step:
                script = expand(step["run"])
                done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                       script], cwd=workspace, env=step_env,
                                      capture_output=True, text=True)
                self.log.append(f"## {step.get('name', script)}\n{done.stdout}{done.stderr}")
                if done.returncode != 0:
                    raise AssertionError(f"step {step.get('name')!r} failed ({done.returncode}):"
                                         f"\n{done.stdout}{done.stderr}")
            else:
                action = step["uses"].split("@")[0]
                inputs = {k: expand(v) for k, v in (step.get("with") or {}).items()}
                result, given = self._action(action, inputs, repository, sha, workspace, home,
                                             post)
                self.log.append(f"## {action}: {result}")
                with out_file.open("a") as handle:
                    handle.writelines(f"{k}={v}\n" for k, v in given.items())
            outputs[step_id] = dict(
                line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line)
        for action in post:  # post-job steps (actions/cache saves here), last first
            action()
        return "\n".join(self.log)

    def _action(self, action: str, inputs: dict, repository: Path, sha: str,
                workspace: Path, home: Path, post: list) -> tuple[str, dict[str, str]]:
        """What ``action`` does here: a line for the log, and the step's outputs."""
        if action == "actions/checkout":
            workspace.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "clone", "-q", str(repository), str(workspace)], check=True)
            subprocess.run(["git", "checkout", "-q", sha], cwd=workspace, check=True)
            return f"checked out {sha[:10]} at {workspace}", {}
        if action == "actions/setup-python":
            assert isinstance(inputs.get("python-version"), str)
            return "the runner's Python", {}
        if action == "actions/configure-pages":  # the address GitHub gives the site
            return self.base_url, {"base_url": self.base_url.rstrip("/")}
        if action == "actions/cache":
            paths = [Path(p.replace("~", str(home), 1)) if p.startswith("~") else workspace / p
                     for p in inputs["path"].split()]
            restore = [k for k in (inputs.get("restore-keys") or "").splitlines() if k.strip()]
            key = inputs["key"]
            found = self.cache.find(key, restore)
            if found is not None:
                _extract(found[1], home, workspace)
            if found is None or found[0] != key:
                post.append(lambda: self.cache.save(key, paths, home, workspace))
            return (f"restored {found[0]}" if found else f"no cache for {key}"), {}
        if action == "actions/upload-pages-artifact":
            site = workspace / inputs.get("path", "_site")
            assert (site / "index.html").is_file(), f"nothing to upload in {site}"
            return f"would upload {site}", {}
        raise AssertionError(f"this runner does not know the action {action}")

def run_pages_build(workflow_text: str, repository: Path, sha: str, runner: Runner) -> str:
    """The ``build`` job of a Pages workflow, on ``runner``; returns the job's log."""
    return runner.run_job(yaml.safe_load(workflow_text), "build", repository, sha)


def clean_env() -> dict[str, str]:
    """This process's environment without what would leak the test's own digestgen."""
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "XDG_CACHE_HOME", "PYTHONHOME")}


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)
