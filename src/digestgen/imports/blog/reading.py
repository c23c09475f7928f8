"""Reading the blog folder: its files as written, its settings, and dates in its time zone.

Nothing here knows an engine's layout; the planners (:mod:`.plan` and the engine modules) say
which folders to read.
"""

from __future__ import annotations

import json
import os
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from digestgen.dates import DateError, parse_date
from digestgen.imports.blog.report import BlogImportError, Skipped
from digestgen.load.frontmatter import FrontmatterError, split
from digestgen.textio import DecodeError, decode
from digestgen.yamlsafe import safe_load

# Markdown under names digestgen does not read; imported as .md.
_MARKDOWN = (".md", ".markdown", ".mkd", ".mkdn", ".mkdown", ".mdown", ".mdwn", ".mdtxt",
             ".mdtext", ".markdn")
# Markup the engines publish that digestgen cannot read, named in the report.
_OTHER_MARKUP = {
    ".html": "HTML", ".htm": "HTML", ".textile": "Textile", ".mdx": "MDX (Markdown with JSX)",
    ".org": "Org", ".adoc": "AsciiDoc", ".asciidoc": "AsciiDoc", ".rst": "reStructuredText",
    ".pdc": "Pandoc", ".ipynb": "a Jupyter notebook", ".ejs": "EJS", ".pug": "Pug",
    ".swig": "Swig", ".njk": "Nunjucks",
}


@dataclass(frozen=True, slots=True)
class Text:
    """A file of the blog as read: its bytes, its text and its parsed frontmatter."""

    raw: bytes
    text: str  # as written: line endings and Unicode form kept (unlike the build's decode)
    encoding: str
    data: dict[str, Any]
    format: str  # "yaml", "toml" or "" (no frontmatter)
    problem: str = ""  # why it cannot be read; "" when it can


def read(path: Path) -> Text:
    """The file at ``path``: its encoding found as the build finds it, its text kept as written,
    its frontmatter parsed; when that fails, a :class:`Text` whose ``problem`` says why."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Text(b"", "", "", {}, "", f"cannot read it: {exc.strerror or exc}")
    try:
        encoding = decode(raw).encoding
    except DecodeError as exc:
        return Text(raw, "", "", {}, "", f"line {exc.line}: {exc}")
    if encoding == "utf-8-sig":
        text = raw[3:].decode("utf-8")
    else:
        text = raw.decode("utf-16" if encoding == "utf-16" else encoding)
    try:
        fm = split(text)
    except FrontmatterError as exc:
        return Text(raw, text, encoding, {}, "", f"line {exc.line}: {exc}")
    return Text(raw, text, encoding, fm.data, fm.format)


@dataclass(frozen=True, slots=True)
class Blog:
    """The blog folder to import and the site's folder, both resolved."""

    root: Path
    site: Path  # never walked into, should the site have been made inside the blog


def walk(top: Path, blog: Blog, skipped: list[Skipped], *, hidden: tuple[str, ...] = (".",),
          posts: bool = False) -> Iterator[tuple[Path, str]]:
    """Regular files under ``top``, sorted, as (path, POSIX path relative to ``top``, NFC).

    Names starting with ``hidden`` are ignored, as the engine ignores them. A link that leaves
    the blog folder, loops or leads nowhere is skipped with its reason, never followed; in a
    folder of ``posts``, one with a post's name is reported as a post that was not imported.
    """

    def what(name: str) -> str:
        return "post" if posts and markup_of(name) else "file"

    if not top.is_dir():
        return
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        here = Path(dirpath)
        st = here.stat()
        if here.resolve() == blog.site:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen or not inside(here.resolve(), blog.root):
            why = "a symlink loop" if (st.st_dev, st.st_ino) in seen else \
                "a symlinked folder that points outside the blog"
            skipped.append(Skipped(_rel(here, blog.root), f"{why}; not followed", "file"))
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(hidden))
        for name in sorted(filenames):
            if name.startswith(hidden) or name.endswith("~"):
                continue
            path = here / name
            if path.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    skipped.append(Skipped(_rel(path, blog.root), "a broken symlink or a "
                                           "symlink loop", what(name)))
                    continue
                if not inside(real, blog.root):
                    skipped.append(Skipped(_rel(path, blog.root), "a symlink that points outside "
                                           "the blog; not copied", what(name)))
                    continue
            if not path.is_file():
                skipped.append(Skipped(_rel(path, blog.root), "not a regular file",
                                       what(name)))
                continue
            yield path, nfc(path.relative_to(top).as_posix())


def inside(path: Path, root: Path) -> bool:
    """``path`` is ``root`` or lies below it (compared as given: resolve links first)."""
    return path == root or root in path.parents


def _rel(path: Path, blog: Path) -> str:
    try:
        return nfc(path.relative_to(blog).as_posix())
    except ValueError:
        return str(path)


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form every path in the plan and the report is in."""
    return unicodedata.normalize("NFC", text)


def markup_of(path: Path | str) -> str | None:
    """``"markdown"``, the name of another markup, or None for a plain file."""
    suffix = PurePosixPath(str(path)).suffix.lower()
    return "markdown" if suffix in _MARKDOWN else _OTHER_MARKUP.get(suffix)


def not_markdown(where: str, markup: str) -> Skipped:
    """The report's entry for a post at ``where`` written in ``markup``, which is not Markdown."""
    return Skipped(where, f"{markup}, not Markdown: digestgen reads Markdown posts only; "
                   f"convert it and import again")


def as_md(rel: str) -> str:
    """``rel`` with a Markdown extension digestgen reads (``.mkd`` → ``.md``)."""
    suffix = PurePosixPath(rel).suffix
    return rel if suffix.lower() in (".md", ".markdown") else rel[: -len(suffix)] + ".md"


def config_file(path: Path, blog: Path) -> dict[str, Any]:
    """A blog's own settings (YAML, TOML or JSON by extension); {} if the file is absent.
    A settings file (or a folder on its way) that is a link leading out of the ``blog`` folder
    is refused, naming the link: the blog is untrusted, and what is outside is not its own."""
    probe = path
    while probe != blog and blog in probe.parents:
        if probe.is_symlink():
            try:
                real = probe.resolve(strict=True)
            except (OSError, RuntimeError):
                raise BlogImportError(f"{probe}: a broken symlink or a symlink loop; the "
                                      f"blog's settings are not read through it") from None
            if not inside(real, blog):
                raise BlogImportError(f"{probe}: a symlink that leads out of the blog folder "
                                      f"(to {real}); the blog's settings are not read "
                                      f"through it") from None
        probe = probe.parent
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = safe_load(text)  # bounded: a blog's file is untrusted too
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError,
            json.JSONDecodeError) as exc:
        raise BlogImportError(f"{path}: cannot read the blog's settings: "
                              f"{str(exc).splitlines()[0]}") from None
    return data if isinstance(data, dict) else {}


def zone(name: Any) -> tzinfo:
    """The blog's time zone; its build machine's is unknown, so UTC (as GitHub's runners)."""
    try:
        return ZoneInfo(str(name)) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def date_from(data: dict[str, Any], keys: tuple[str, ...], tz: tzinfo) -> datetime | None:
    """The date under the first of ``keys`` set in ``data`` (a date without a zone is in
    ``tz``); None if none is set or that one cannot be read."""
    for key in keys:
        if data.get(key) not in (None, ""):
            try:
                return parse_date(data[key], tz)
            except DateError:
                return None
    return None
