"""``digestgen deploy``: the built site, pushed as one commit to a ``gh-pages`` branch.

Like ``mkdocs gh-deploy``: the branch holds nothing but the site. The work happens in a
temporary clone, so the author's working tree and branches are never touched. Works with any
git remote: a name from the site's repository (``origin``), a URL or a local path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Files a Pages branch keeps even when the build does not produce them.
KEEP = ("CNAME", ".nojekyll")


class DeployError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Deployed:
    remote: str
    branch: str
    commit: str | None  # None: the branch already held exactly this site
    files: int


def _git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise DeployError("git is not installed") from None
    if check and done.returncode != 0:
        raise DeployError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout}")
    return done


def resolve_remote(source: Path, remote: str) -> str:
    """A remote name of the site's repository becomes its URL; URLs and paths stay as given."""
    if "/" in remote or ":" in remote or Path(remote).exists():
        path = Path(remote)
        return str(path.resolve()) if path.exists() else remote
    found = _git("remote", "get-url", remote, cwd=source, check=False)
    if found.returncode != 0:
        raise DeployError(f"no git remote named {remote!r} in {source} (pass --remote URL)")
    url = found.stdout.strip()
    # A remote added as a relative path (git remote add origin ../site.git) is relative to the
    # repository; the push runs from a temporary clone elsewhere, so it must be made absolute.
    if "://" not in url and not Path(url).is_absolute() and (source / url).exists():
        return str((source / url).resolve())
    return url


def remote_address(source: Path, remote: str) -> str:
    """The remote's URL as written in the repository's configuration, before git rewrites it
    with ``url.<base>.insteadOf`` (:func:`resolve_remote` gives the rewritten one, to push
    to from a clone elsewhere): the address to compare base_url with, and to show."""
    found = _git("config", "--get", f"remote.{remote}.url", cwd=source, check=False)
    return found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else remote


def deploy(site: Path, remote_url: str, branch: str, message: str) -> Deployed:
    """Make ``branch`` of ``remote_url`` hold exactly ``site`` (plus kept files), in a commit."""
    with tempfile.TemporaryDirectory(prefix="digestgen-deploy-") as tmp:
        work = Path(tmp) / "pages"
        exists = _git("ls-remote", "--exit-code", "--heads", remote_url, branch, cwd=Path(tmp),
                      check=False)
        if exists.returncode == 0:
            _git("clone", "--quiet", "--depth", "1", "--branch", branch, "--single-branch",
                 remote_url, str(work), cwd=Path(tmp))
        elif exists.returncode == 2:  # reachable, no such branch yet
            work.mkdir()
            _git("init", "--quiet", cwd=work)
            _git("checkout", "--quiet", "--orphan", branch, cwd=work)
        else:
            raise DeployError(f"cannot reach {remote_url}: {exists.stderr.strip()}")
        kept = {name: (work / name).read_bytes() for name in KEEP if (work / name).is_file()}
        for entry in work.iterdir():
            if entry.name == ".git":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        files = 0
        for path in site.rglob("*"):
            if path.is_file():
                target = work / path.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                files += 1
        for name, data in kept.items():
            if not (work / name).exists():
                (work / name).write_bytes(data)
        _git("add", "--all", cwd=work)
        if not _git("status", "--porcelain", cwd=work).stdout.strip():
            return Deployed(remote_url, branch, None, files)
        identity = []
        if not _git("config", "user.email", cwd=work, check=False).stdout.strip():
            identity = ["-c", "user.name=digestgen", "-c", "user.email=digestgen@localhost"]
        _git(*identity, "commit", "--quiet", "-m", message, cwd=work)
        commit = _git("rev-parse", "HEAD", cwd=work).stdout.strip()
        _git("push", "--quiet", remote_url, f"HEAD:refs/heads/{branch}", cwd=work)
        return Deployed(remote_url, branch, commit, files)


def source_revision(source: Path) -> str | None:
    """The site repository's current commit, for the deploy message."""
    done = _git("rev-parse", "--short", "HEAD", cwd=source, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


_GITHUB_REMOTE = re.compile(
    r"^(?:https?://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$")


def github_pages_url(remote_url: str) -> str | None:
    """The address GitHub Pages serves the repository at ``remote_url`` at, if it is on
    github.com: ``https://OWNER.github.io/REPO/``, or ``https://OWNER.github.io/`` for the
    repository named ``OWNER.github.io``."""
    match = _GITHUB_REMOTE.match(remote_url.strip())
    if match is None:
        return None
    owner, repo = match["owner"].lower(), match["repo"]
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def base_url_problem(base_url: str, remote_url: str, remote: str) -> str | None:
    """Why the site must not be pushed to ``remote_url`` with this ``base_url`` (every
    canonical URL, feed entry and sitemap entry would name a wrong address), or None."""
    from digestgen.scaffold import placeholder_host

    expected = github_pages_url(remote_url)
    fix = ("set base_url in site.yaml to the address the site is published at"
           + (f" ({expected}, for {remote})" if expected else "")
           + ", or pass --base-url URL")
    if placeholder_host(base_url):
        return f"base_url is still the example address {base_url}; {fix}"
    host = (urlsplit(base_url).hostname or "").lower()
    if expected is None or not host.endswith(".github.io"):
        return None  # another host, or a custom domain: nothing to compare with
    if _normal(base_url) != _normal(expected):
        return (f"base_url {base_url} is not where GitHub Pages serves {remote}; {fix} "
                "(a custom domain needs no change)")
    return None


def _normal(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/').lower()}/"


def uncommitted(source: Path, ignore: tuple[str, ...]) -> list[str] | None:
    """The site's files that differ from its repository's last commit (edited, added, deleted
    or not yet committed), except ``ignore`` (digestgen's own output, cache and lock); None
    when the site is not in a git repository."""
    excludes = [f":(exclude){name}" for name in ignore]
    done = _git("status", "--porcelain", "-z", "--untracked-files=all", "--", ".", *excludes,
                cwd=source, check=False)
    if done.returncode != 0:
        return None
    entries, fields = [], iter(done.stdout.split("\0"))
    for entry in fields:
        if len(entry) > 3:
            entries.append(entry[3:])
            if entry[0] in "RC":
                next(fields, None)  # a rename's or copy's old name follows
    return entries
