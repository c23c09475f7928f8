"""``digestgen init`` and ``digestgen new``: a new site, and new documents with the right
frontmatter, slug and date (from the site's own ``archetypes/`` when it has them)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

from digestgen import __version__
from digestgen.urls import slugify

# The publishing workflow. INSTALL is replaced by what pip installs (a quoted YAML string).
PAGES_WORKFLOW = """\
# Builds the site with digestgen and publishes it with GitHub Pages' own actions.
# In the repository's settings, set Pages → Source to "GitHub Actions".
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # The digestgen this site is built with, as pip takes it: a release on the package index
  # (digestgen==0.1.0), a git URL (git+https://github.com/OWNER/digestgen@v0.1.0) or a
  # wheel committed to this repository (./digestgen-0.1.0-py3-none-any.whl).
  DIGESTGEN: INSTALL

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install digestgen
        # and a font with Hangul, which share cards (share.cards in site.yaml) are drawn with
        run: |
          sudo apt-get update -qq && sudo apt-get install -y -qq fonts-noto-cjk
          pip install "$DIGESTGEN"
      - name: Key the build cache by digestgen's version and site.yaml
        id: cache
        # Only a cache that this workflow saved on main is used: a .digestgen-cache/ that came
        # with the repository is removed unread (digestgen's README: "The build cache in CI").
        run: |
          rm -rf .digestgen-cache
          version=$(python -c 'import digestgen; print(digestgen.__version__)')
          echo "key=digestgen-$version-$(sha256sum site.yaml | cut -c1-16)" >> "$GITHUB_OUTPUT"
      - name: Restore the build cache (saved again after the build)
        uses: actions/cache@v4
        with:
          # The cache, and the key in ~/.cache/digestgen that signs it.
          path: |
            .digestgen-cache
            ~/.cache/digestgen
          key: ${{ steps.cache.outputs.key }}-${{ github.sha }}
          restore-keys: ${{ steps.cache.outputs.key }}-
      - name: Build
        # base_url from GitHub itself, so a fork or a renamed repository publishes correctly.
        run: digestgen build --strict --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def pages_workflow(install: str) -> str:
    """The GitHub Actions workflow that builds and publishes a site with digestgen ``install``
    (a pip requirement: ``digestgen==0.1.0``, a git URL, a wheel's path, or ``.``)."""
    return PAGES_WORKFLOW.replace("INSTALL", _yaml_text(install), 1)


def install_spec(dist: metadata.Distribution | None = None) -> tuple[str, str | None]:
    """What the publishing workflow should install: the digestgen running now (or ``dist``),
    pinned, as pip can fetch it on a fresh CI runner. Read off how it was installed (PEP 610's
    ``direct_url.json``); also a note when that cannot be known to work."""
    pinned = f"digestgen=={__version__}"
    try:
        dist = dist or metadata.distribution("digestgen")
        direct = json.loads(dist.read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        dist, direct = None, None
    if dist is None or dist.version != __version__:
        origin = "a source folder that pip did not install"
    elif direct is None:
        return pinned, None  # from a package index, which has this release
    else:
        url, vcs = direct.get("url", ""), direct.get("vcs_info") or {}
        local = url.startswith("file:")
        if not local and vcs.get("vcs") == "git" and vcs.get("commit_id"):
            return f"git+{url}@{vcs['commit_id']}", None
        if not local and "archive_info" in direct:
            return url, None
        origin = unquote(url.removeprefix("file://")) or "this machine"
        if "dir_info" in direct:
            pushed = _pushed_commit(Path(origin))
            if pushed:
                return pushed, None
    return pinned, (
        f"digestgen was installed from {origin}, which GitHub's runners cannot reach: "
        f"the workflow installs {pinned} from the package index. If that release is not "
        "there, set DIGESTGEN in .github/workflows/pages.yml to a git URL or to a wheel you "
        "commit (see \"Which digestgen the workflow installs\" in digestgen's README)")


def _pushed_commit(checkout: Path) -> str | None:
    """``git+URL@COMMIT`` for a clean git checkout whose commit its ``origin`` already has
    (a clone of digestgen's repository, installed with ``pip install .``), else None."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True,
                                  text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    url, commit = git("config", "--get", "remote.origin.url"), git("rev-parse", "HEAD")
    if not url or not commit or git("status", "--porcelain") != "":
        return None  # no remote, or the installed code is not that commit's
    if not git("branch", "-r", "--contains", commit):
        return None  # not pushed: a runner could not fetch it
    ssh = re.fullmatch(r"[\w.-]+@([\w.-]+):(.+)", url)  # git@github.com:owner/repo.git
    if ssh:
        url = f"https://{ssh[1]}/{ssh[2]}"
    if not url.startswith(("https://", "http://")):
        return None  # a path on this machine
    return f"git+{url}@{commit}"


SITE_YAML = """\
# digestgen site settings: every key is described in digestgen's README.
title: {title}
# Where the site is published. On GitHub Pages a project site lives at
# https://<account>.github.io/<repository>/: put yours here before `digestgen deploy` (which
# refuses this placeholder). The publishing workflow passes GitHub's own address at build time.
base_url: {base_url}
language: ko
timezone: Asia/Seoul
description: 한 주의 AI 소식을 정리하는 다이제스트
author:
  name: {author}
# Link previews (KakaoTalk, Slack, X) with a drawn card for posts without a picture; needs a
# Korean font on the building machine (Debian/Ubuntu: fonts-noto-cjk).
# share:
#   cards: true
"""

FIRST_POST = """\
---
title: "첫 글: 다이제스트를 시작합니다"
description: "이 블로그에서 다룰 내용과 글의 종류를 소개합니다."
date: {date}
tags:
  - 공지
---

이 블로그는 한 주의 AI 소식을 모아 정리합니다. 글은 네 가지 모양으로 올라옵니다.

- **포스트**: 한 가지 주제를 깊게 다루는 글 (`content/posts/`)
- **주간 모음**: 한 주의 소식을 짧게 묶은 글 (`content/roundups/`)
- **위키**: 계속 고쳐 쓰는 개념 노트 (`content/wiki/`)
- **브리프**: PDF 보고서를 옮긴 글 (`content/briefs/`)

새 글은 `digestgen new post "제목"`으로 만들고, `digestgen serve`로 쓰면서 확인합니다.
"""

# The build's output and cache, and the lock file a build holds beside its output folder.
GITIGNORE = "_site/\n.digestgen-cache/\n"

# The site's own "folder is kept" files: written, but not worth listing.
_KEEP = ".keep"


class ScaffoldError(Exception):
    """The files cannot be written without overwriting something."""


def init_site(folder: Path, *, title: str | None, now: datetime,
              install: str | None = None) -> list[Path]:
    """Write a new site into ``folder`` (which must be empty or missing); return the files.
    ``install`` is what its publishing workflow installs (default: :func:`install_spec`)."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; choose a new folder")
    name = slugify(folder.resolve().name) or "digest"
    title = title or "AI 다이제스트"
    files = {
        "site.yaml": SITE_YAML.format(title=_yaml_text(title),
                                      base_url=f"https://example.github.io/{name}/",
                                      author=_yaml_text(f"{title} 편집부")),
        "content/posts/hello-digest.md": FIRST_POST.format(date=now.strftime("%Y-%m-%d")),
        f"content/roundups/{_KEEP}": "",
        f"content/wiki/{_KEEP}": "",
        f"content/briefs/{_KEEP}": "",
        f"static/{_KEEP}": "",
        ".gitignore": GITIGNORE,
        ".github/workflows/pages.yml": pages_workflow(install or install_spec()[0]),
    }
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def placeholder_host(base_url: str) -> bool:
    """Whether ``base_url`` still points at an example address (``init``'s placeholder
    ``https://example.github.io/…``, or a domain reserved for examples, RFC 2606)."""
    from urllib.parse import urlsplit

    host = (urlsplit(base_url).hostname or "").lower().rstrip(".")
    reserved = ("example.com", "example.net", "example.org", "example.github.io")
    return (host in reserved or host.endswith(tuple("." + r for r in reserved))
            or host.endswith(".example") or host in ("", "localhost"))


@dataclass(frozen=True, slots=True)
class NewDocument:
    path: Path
    title: str
    archetype: Path | None = None  # the site's template it was made from, if any


KINDS = ("post", "roundup", "wiki", "brief", "page")
ARCHETYPES = "archetypes"

# The built-in archetypes: what a document of each kind starts as, unless the site keeps its
# own in archetypes/<kind>.md (or .txt). {{ name }} placeholders: see ARCHETYPE_FIELDS.
BUILTIN = {
    "post": ("---\ntitle: {{ title_yaml }}\ndescription: \"\"\ndate: {{ date }}\ntags: []\n"
             "draft: true\n---\n\n본문을 여기에 씁니다. 다 쓰면 `draft: true`를 지우세요.\n"),
    "roundup": ("---\ntitle: {{ title_yaml }}\ndate: {{ date }}\ncategories:\n  - AI 뉴스\n"
                "draft: true\n---\n\n### 이번 주의 소식\n\n- **항목**: 설명\n"),
    "wiki": "---\ncreated: {{ day }}\n---\n# {{ title }}\n\n내용을 적습니다.\n",
    # A brief is plain text, with frontmatter for what the text cannot say.
    "brief": ("---\ntitle: {{ title_yaml }}\ndate: {{ day }}\ndraft: true\n---\n"
              "보고서 텍스트를 여기에 붙여 넣습니다 (또는 digestgen import FILE.pdf).\n"),
    "page": "---\ntitle: {{ title_yaml }}\ndate: {{ day }}\n---\n\n내용을 적습니다.\n",
}
ARCHETYPE_FIELDS = ("title", "title_yaml", "date", "day", "slug", "kind")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")


def week_title(now: datetime) -> str:
    """This week's roundup title: "11월 4주차 AI 모음" (week N covers days 7N-6 to 7N)."""
    return f"{now.month}월 {(now.day - 1) // 7 + 1}주차 AI 모음"


def find_archetype(source: Path, kind: str) -> Path | None:
    """The site's own template for a new ``kind`` document: ``archetypes/<kind>.md`` (or
    ``.txt``), else ``archetypes/default.md``, as Hugo looks them up. None: the built-in one.
    A template that is a link leading out of the site is refused (the site is untrusted)."""
    folder = source / ARCHETYPES
    for name in (f"{kind}.md", f"{kind}.txt", "default.md"):
        path = folder / name
        if path.is_symlink() or path.is_file():
            real, root = path.resolve(), source.resolve()
            if root not in real.parents or not real.is_file():
                raise ScaffoldError(f"{path}: a link to {real}, outside the site; not read")
            return path
    return None


def new_document(kind: str, title: str | None, folder: Path, now: datetime,
                 tz: tzinfo, archetype: Path | None = None) -> NewDocument:
    """Write a new document of ``kind`` into ``folder`` (its section, or the content folder
    for a page), from ``archetype`` (a site's template) or the built-in one.

    Everything is read off ``now`` in the site's time zone ``tz``: the date, and for a roundup
    the week (November 22nd 00:30 in Seoul, week 4, is still the 21st, week 3, in UTC)."""
    now = now.astimezone(tz)
    suffix = archetype.suffix if archetype is not None else None
    if kind == "roundup":
        title = title or week_title(now)
        slug = f"{now.year:04d}-{now.month:02d}-w{(now.day - 1) // 7 + 1}"
    else:
        if not title:
            raise ScaffoldError(f"a {kind} needs a title: digestgen new {kind} \"제목\"")
        slug = slugify(title) or now.strftime("%Y-%m-%d-%H%M")
    if suffix not in (".md", ".txt"):
        suffix = ".txt" if kind == "brief" else ".md"
    path = folder / f"{slug}{suffix}"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} already exists; not overwritten")
    template = (archetype.read_text(encoding="utf-8-sig") if archetype is not None
                else BUILTIN[kind])
    values = {"title": title, "title_yaml": _yaml_text(title),
              "date": now.strftime("%Y-%m-%d %H:%M:%S %z"), "day": f"{now:%Y-%m-%d}",
              "slug": slug, "kind": kind}
    text = fill(template, values, archetype)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return NewDocument(path, title, archetype)


def fill(template: str, values: dict[str, str], where: Path | None = None) -> str:
    """``template`` with each ``{{ name }}`` replaced by its value. Nothing else in it is
    interpreted (an archetype is text, not code); an unknown name is an error at its line."""
    for number, line in enumerate(template.splitlines(), 1):
        for match in _PLACEHOLDER.finditer(line):
            if match.group(1) not in values:
                known = ", ".join(f"{{{{ {n} }}}}" for n in values)
                raise ScaffoldError(f"{where or 'archetype'}:{number}: unknown placeholder "
                                    f"{match.group(0)} (known: {known})")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def _yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
