"""Planning, shared by the engines: what a blog holds, where each piece goes, and its old URL.

An engine's planner (:mod:`.jekyll`, :mod:`.hexo`, :mod:`.gatsby`, :mod:`.hugo`) turns the blog
folder into a :class:`Plan`. The old URL is computed the way each engine computes it: permalink
styles and placeholders, its time zone, its slug rules. This module holds what the engines
share: the plan's types, permalink placeholder filling, and page bundles.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from digestgen.imports.blog.reading import Text, as_md, markup_of, nfc, not_markdown, read
from digestgen.imports.blog.report import Skipped
from digestgen.urls import slugify

# The placeholders of Jekyll's, Hexo's and Hugo's permalinks. Any other ":word" in a URL is
# text; one of these left unfilled means the URL cannot be known (or, in a post's own
# `permalink:`, that the engine filled it in, which digestgen does not do).
ENGINE_PLACEHOLDER_RE = re.compile(
    r":(?:year|month|day|i_month|i_day|hour|minute|second|title|slug|categories|category|name"
    r"|post_title|output_ext|short_year|y_day|short_month|long_month|week|short_day|long_day"
    r"|id|hash|section|sections|filename|slugorfilename|contentbasename)(?![a-z_])")


def fill(pattern: str, values: dict[str, str | None]) -> tuple[str | None, str]:
    """A permalink pattern with its ``:name`` placeholders filled: (URL, "") or (None, why)."""
    missing = ""

    def repl(m: re.Match) -> str:
        nonlocal missing
        value = values.get(m[1])
        if value is None:
            missing = missing or m[1]
            return m[0]
        return value

    names = sorted(values, key=len, reverse=True)
    known = re.compile(":(" + "|".join(map(re.escape, names)) + ")(?![a-z_])") if names else None
    url = known.sub(repl, pattern) if known else pattern
    # Another ":word" is text to Jekyll; a placeholder the engine knows cannot be guessed.
    if missing or (m := ENGINE_PLACEHOLDER_RE.search(url)):
        name = missing or m[0][1:]
        return None, f"old URL unknown: permalink {pattern!r} uses :{name}, which cannot be " \
            f"filled in for this post"
    url = "/" + url.lstrip("/")
    return re.sub(r"/{2,}", "/", url.replace("/./", "/")), ""


def date_values(date: datetime) -> dict[str, str | None]:
    """The values of a permalink's date placeholders (``:year``, ``:month``, …) for ``date``."""
    return {
        "year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}",
        "hour": f"{date:%H}", "minute": f"{date:%M}", "second": f"{date:%S}",
        "i_month": str(date.month), "i_day": str(date.day), "short_year": f"{date:%y}",
        "y_day": f"{date:%j}", "short_month": f"{date:%b}", "long_month": f"{date:%B}",
        "week": f"{date:%V}", "w_year": f"{date:%G}", "w_day": f"{date:%u}",
        "short_day": f"{date:%a}", "long_day": f"{date:%A}",
    }


@dataclass(frozen=True, slots=True)
class Post:
    """A post found in the blog: where it goes in the section, and its URL on the old blog."""

    path: Path
    rel: str  # in the blog, for the report
    target: str  # under the section folder: "2024-04-24-hello.md", "its-a-post/index.md"
    text: Text
    old_url: str | None
    why_no_url: str = ""
    draft: bool = False  # from a drafts folder: gets `draft: true`
    files: tuple[tuple[Path, str, str], ...] = ()  # (path, rel in blog, target under section)


@dataclass
class Plan:
    """What an engine's blog holds and where each piece goes; nothing is written yet."""

    posts: list[Post] = field(default_factory=list)
    # Files copied as they are: (path, rel in blog, target under the section folder).
    beside: list[tuple[Path, str, str]] = field(default_factory=list)
    # Files for the static folder: (path, rel in blog, target under static/).
    static: list[tuple[Path, str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Jekyll: a site-absolute link in a post names a file at that path under this folder.
    link_root: Path | None = None
    # The old blog's base path (Jekyll's baseurl): a link written with it names the same file.
    base_url: str = ""


def bundle_dirs(dirs: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each page-bundle folder (old relative path) → its new one, named by a safe slug;
    and the folders that cannot be named."""
    new_dirs: dict[str, str] = {}
    unnamed = []
    for old in sorted(dirs, key=lambda d: d.count("/")):
        name = slugify(PurePosixPath(old).name)
        if not name:
            unnamed.append(old)
            continue
        parent = posixpath.dirname(old)
        new_dirs[old] = posixpath.join(renamed(parent, new_dirs), name) if parent else name
    return new_dirs, unnamed


def renamed(rel: str, bundles: dict[str, str]) -> str:
    """``rel`` with its innermost enclosing bundle folder (or itself) renamed."""
    parts = PurePosixPath(rel).parts
    for k in range(len(parts), 0, -1):
        head = "/".join(parts[:k])
        if head in bundles:
            return posixpath.join(bundles[head], *parts[k:]) if k < len(parts) else bundles[head]
    return rel


def bundle_of(rel: str, bundles: Container[str]) -> str | None:
    """The bundle folder ``rel`` lies in, if any."""
    for parent in PurePosixPath(rel).parents:
        if str(parent) in bundles:
            return str(parent)
    return None


INDEX_NAMES = ("index.md", "index.markdown")


def plan_bundled(plan: Plan, files: list[tuple[Path, str]], root: str,
                  old_url: Callable[[Text, str], str | None], *, hugo: bool = False,
                  not_a_post: Callable[[Text], str] | None = None) -> None:
    """Posts of a folder of page bundles (``<name>/index.md`` and its files) and loose Markdown
    files; other files are copied to the same place under the section. ``old_url(text, stem)``
    is a post's URL on the old blog (``stem``: its path without ``/index.md`` or extension)."""
    dirs = sorted({posixpath.dirname(rel) for _, rel in files
                   if PurePosixPath(rel).name.lower() in INDEX_NAMES and "/" in rel})
    bundles, unnamed = bundle_dirs(dirs)
    resources: dict[str, list[tuple[Path, str, str]]] = {d: [] for d in dirs}
    posts: list[tuple[str | None, Post]] = []
    for path, rel in files:
        where, name, markup = f"{root}/{rel}", PurePosixPath(rel).name, markup_of(rel)
        is_index = name.lower() in INDEX_NAMES and posixpath.dirname(rel) in resources
        owner = posixpath.dirname(rel) if is_index else bundle_of(rel, set(dirs))
        if owner in unnamed:
            if is_index:
                plan.skipped.append(Skipped(where, "its folder's name gives no usable folder "
                                            "name; rename the folder and import again"))
            continue
        if hugo and name.lower().startswith("_index."):
            plan.skipped.append(Skipped(where, "a list page (_index.md), not a post", "page"))
            continue
        if not is_index and owner is not None and (markup is None or hugo):
            if markup is None:
                resources[owner].append((path, where, renamed(rel, bundles)))
            else:  # in a Hugo leaf bundle, any other content file is a resource, not a page
                plan.skipped.append(Skipped(where, f"a resource of the bundle {root}/{owner}/; "
                                            f"not copied (digestgen would publish it as a page)",
                                            "file"))
            continue
        if markup is None:
            plan.beside.append((path, where, renamed(rel, bundles)))
            continue
        if markup != "markdown":
            plan.skipped.append(not_markdown(where, markup))
            continue
        text = read(path)
        if hugo and not text.format and re.match(r"\s*\{\s*\"", text.text):
            plan.skipped.append(Skipped(where, "JSON frontmatter, which digestgen does not read; "
                                        "rewrite it as YAML or TOML and import again"))
            continue
        why_page = not_a_post(text) if not_a_post is not None and not text.problem else ""
        if why_page:
            plan.skipped.append(Skipped(where, why_page, "page"))
            if is_index:
                resources.pop(posixpath.dirname(rel), None)
            continue
        if is_index:
            stem = posixpath.dirname(rel)
            target = f"{bundles[stem]}/{as_md(name)}"
        else:
            stem = rel[: -len(PurePosixPath(rel).suffix)]
            target = as_md(renamed(rel, bundles))
        old = None if text.problem else old_url(text, stem)
        why = "" if old or text.problem else "old URL unknown"
        posts.append((stem if is_index else None,
                      Post(path, where, target, text, old and nfc(old), why)))
    for bundle, post in posts:
        if bundle is not None:
            post = dataclasses.replace(post, files=tuple(resources.pop(bundle, ())))
        plan.posts.append(post)
