"""``digestgen init`` and ``digestgen new``: a new site, and new documents with the right
frontmatter, slug and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from digestgen.urls import slugify

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
        run: sudo apt-get update -qq && sudo apt-get install -y -qq fonts-noto-cjk && {install}
      - name: Build
        # base_url from GitHub itself, so a fork or a renamed repository publishes correctly.
        run: digestgen build --strict --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def pages_workflow(install: str = "pip install digestgen") -> str:
    """The GitHub Actions workflow that builds and publishes a site."""
    return PAGES_WORKFLOW.format(install=install)


SITE_YAML = """\
# digestgen site settings: every key is described in digestgen's README.
title: {title}
# Where the site is published. On GitHub Pages a project site lives under /<repository>/;
# the publishing workflow passes the real address at build time.
base_url: https://example.github.io/{name}/
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

GITIGNORE = "_site/\n.digestgen-cache/\n"


class ScaffoldError(Exception):
    """The files cannot be written without overwriting something."""


def init_site(folder: Path, *, title: str | None, now: datetime,
              install: str = "pip install digestgen") -> list[Path]:
    """Write a new site into ``folder`` (which must be empty or missing); return the files."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; choose a new folder")
    name = slugify(folder.resolve().name) or "digest"
    title = title or "AI 다이제스트"
    files = {
        "site.yaml": SITE_YAML.format(title=_yaml_text(title), name=name,
                                      author=_yaml_text(f"{title} 편집부")),
        "content/posts/hello-digest.md": FIRST_POST.format(date=now.strftime("%Y-%m-%d")),
        "content/roundups/.keep": "",
        "content/wiki/.keep": "",
        "content/briefs/.keep": "",
        "static/.keep": "",
        ".gitignore": GITIGNORE,
        ".github/workflows/pages.yml": pages_workflow(install),
    }
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


@dataclass(frozen=True, slots=True)
class NewDocument:
    path: Path
    title: str


KINDS = ("post", "roundup", "wiki", "brief")


def week_title(now: datetime) -> str:
    """This week's roundup title: "11월 4주차 AI 모음" (week N covers days 7N-6 to 7N)."""
    return f"{now.month}월 {(now.day - 1) // 7 + 1}주차 AI 모음"


def new_document(kind: str, title: str | None, folder: Path, now: datetime,
                 tz: tzinfo) -> NewDocument:
    """Write a new document of ``kind`` into its section ``folder``.

    Everything is read off ``now`` in the site's time zone ``tz``: the date, and for a roundup
    the week (November 22nd 00:30 in Seoul, week 4, is still the 21st, week 3, in UTC)."""
    now = now.astimezone(tz)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S %z")
    if kind == "roundup":
        title = title or week_title(now)
        name = f"{now.year:04d}-{now.month:02d}-w{(now.day - 1) // 7 + 1}.md"
    else:
        if not title:
            raise ScaffoldError(f"a {kind} needs a title: digestgen new {kind} \"제목\"")
        slug = slugify(title) or now.strftime("%Y-%m-%d-%H%M")
        name = f"{slug}.txt" if kind == "brief" else f"{slug}.md"
    path = folder / name
    if path.exists():
        raise ScaffoldError(f"{path} already exists; not overwritten")
    quoted = _yaml_text(title)
    if kind == "post":
        text = (f"---\ntitle: {quoted}\ndescription: \"\"\ndate: {stamp}\ntags: []\n"
                f"draft: true\n---\n\n본문을 여기에 씁니다. 다 쓰면 `draft: true`를 지우세요.\n")
    elif kind == "roundup":
        text = (f"---\ntitle: {quoted}\ndate: {stamp}\ncategories:\n  - AI 뉴스\ndraft: true\n"
                f"---\n\n### 이번 주의 소식\n\n- **항목**: 설명\n")
    elif kind == "wiki":
        text = f"---\ncreated: {now:%Y-%m-%d}\n---\n# {title}\n\n내용을 적습니다.\n"
    else:  # a brief: plain text, with frontmatter for what the text cannot say
        text = (f"---\ntitle: {quoted}\ndate: {now:%Y-%m-%d}\ndraft: true\n---\n"
                f"보고서 텍스트를 여기에 붙여 넣습니다 (또는 digestgen import FILE.pdf).\n")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return NewDocument(path, title)


def _yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
