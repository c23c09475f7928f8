"""The report of a blog import, and the error that stops one.

:mod:`digestgen.imports.blog` re-exports all of these. They live here rather than in the
package's ``__init__`` because every module of the importer needs them, and ``__init__``
imports those modules: defining them there would make each import a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass


class BlogImportError(Exception):
    """Nothing can be imported: no such folder, not a blog of that kind, or no target section."""


@dataclass(frozen=True, slots=True)
class ConvertedPost:
    """A post now in the site."""

    source: str  # in the blog: "_posts/2024-04-24-hello.md"
    target: str  # in the site: "content/posts/2024-04-24-hello.md"
    new_url: str  # "/posts/hello/", relative to the site's base path
    old_url: str | None  # its URL on the old blog; None for drafts and unknown ones
    alias: str | None  # the alias written into it, if one was
    draft: bool = False
    files: int = 0  # files copied with it (a bundle's images)
    note: str = ""  # why no alias was written; "already imported"; an encoding change
    kept_url: str | None = None  # with --keep-urls: the old URL written as its `url:`


@dataclass(frozen=True, slots=True)
class CopiedFile:
    """A file copied as it is: a bundle's image, or a site file into the static folder."""

    source: str  # in the blog
    target: str  # in the site: "static/assets/a.png", "content/posts/hello/a.png"


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something not imported. ``what`` is ``post`` or ``file`` (lost: the import is
    incomplete), ``page`` (not a post, only reported), ``translation`` (a post in another of
    the blog's languages, only reported), ``empty`` (an empty file whose URL a post with text
    took, only reported) or ``reference`` (a file a post links to that the old blog did not
    have either)."""

    source: str
    reason: str
    what: str = "post"


@dataclass(frozen=True, slots=True)
class BlogImport:
    """The report of one import: what was converted, copied and left out."""

    kind: str
    posts: tuple[ConvertedPost, ...]
    files: tuple[CopiedFile, ...]
    skipped: tuple[Skipped, ...]

    @property
    def complete(self) -> bool:
        """Every post and every file was imported (pages and dead links are only reported)."""
        return not any(s.what in ("post", "file") for s in self.skipped)
