"""Converting: load each post as the build will, add what it needs, write it into the site.

The new URL is computed by the build's own rule, so an alias for the old URL is written only
where the two differ. Files are written beside and renamed into place, never over a different
file unless forced, and never through a link out of the site.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from digestgen.config import SectionConfig, SiteConfig
from digestgen.errors import Severity

# The build's own URL rule (private there because only the graph and this importer need it):
# using it, not a copy, is what makes "old URL == new URL, no alias" exact.
from digestgen.graph import RESERVED, site_path
from digestgen.imports.blog.frontmatter_edit import add_keys
from digestgen.imports.blog.links import relative_links, site_links
from digestgen.imports.blog.plan import ENGINE_PLACEHOLDER_RE, Plan, Post
from digestgen.imports.blog.reading import inside, nfc
from digestgen.imports.blog.report import BlogImport, ConvertedPost, CopiedFile, Skipped
from digestgen.load import load_document
from digestgen.load.frontmatter import FrontmatterError, split
from digestgen.markdown import MarkdownRenderer
from digestgen.model import SourceFile
from digestgen.sitefs import OutsideSiteError, check_writable, write_inside
from digestgen.urls import UnsafePathError, alias_site_path, safe_site_path

# A site-absolute link with one of these suffixes (or none) is a page, not a file to copy.
_PAGE_SUFFIXES = ("", ".html", ".htm", ".xml", ".md", ".markdown", ".php")


class _Refused(Exception):
    """A file that must not be written (it exists, or the path leads out of the site)."""

    what = "post"


class _Empty(_Refused):
    """An empty file whose URL a post with text has: nothing of the author's is lost."""

    what = "empty"


class Importer:
    """Writes one plan into the site's ``section`` and static folder, and reports on it."""

    def __init__(self, kind: str, blog: Path, root: Path, config: SiteConfig,
                 section: SectionConfig, force: bool, keep_urls: bool = False):
        self.kind, self.blog, self.root, self.config = kind, blog, root, config
        self.section, self.force, self.keep_urls = section, force, keep_urls
        self.content = root / config.content_dir / section.dir
        self.static = root / config.static_dir
        self.renderer = MarkdownRenderer(config.markdown)
        self.urls: dict[str, str] = {}  # new site path → the post that took it
        self.aliases: dict[str, str] = {}  # alias site path → the post it redirects to
        self.written: dict[Path, str] = {}  # file written (or found identical) → its source

    def run(self, plan: Plan) -> BlogImport:
        """Import the plan's posts (in path order), the files beside them, the static files
        and, for Jekyll, the files the posts link to; report what was and was not imported."""
        posts: list[ConvertedPost] = []
        files: list[CopiedFile] = []
        skipped = list(plan.skipped)
        texts: list[tuple[str, str]] = []
        # An empty or frontmatter-only file never takes a URL from a post with a body.
        for post in sorted(plan.posts, key=lambda p: (_empty(p), p.rel)):
            try:
                done, copied, lost = self._post(post)
            except _Refused as exc:
                skipped.append(Skipped(post.rel, str(exc), exc.what))
                continue
            posts.append(done)
            files.extend(copied)
            skipped.extend(lost)
            texts.append((post.rel, post.text.text))
        for path, rel, target in plan.beside:
            self._copy(path, rel, self.content / target, files, skipped)
        for path, rel, target in plan.static:
            self._copy(path, rel, self.static / target, files, skipped)
        if plan.link_root is not None:
            self._linked(plan.link_root, texts, files, skipped, plan.base_url)
            self._relative(plan.link_root, [p for p in plan.posts if p.rel in dict(texts)],
                           files, skipped)
        return BlogImport(self.kind, tuple(posts), tuple(files), tuple(skipped))

    def _post(self, post: Post) -> tuple[ConvertedPost, list[CopiedFile], list[Skipped]]:
        text = post.text
        if text.problem:
            raise _Refused(text.problem)
        content_path = nfc(f"{self.section.dir}/{post.target}")
        doc, diags = load_document(
            SourceFile(rel_path=f"{self.config.content_dir}/{content_path}",
                       content_path=content_path, section=self.section.name,
                       kind=self.section.kind, abs_path=str(post.path)),
            self.config, self.renderer)
        errors = [d for d in diags if d.severity == Severity.ERROR]
        if doc is None or errors:
            first = errors[0] if errors else None
            raise _Refused(f"line {first.line}: {first.message}" if first and first.line
                           else first.message if first else "digestgen cannot load it")
        if doc.permalink and ENGINE_PLACEHOLDER_RE.search(doc.permalink):
            raise _Refused(f"its permalink {doc.permalink!r} has placeholders, which digestgen "
                           f"does not fill in; write the URL itself (or remove it) and import "
                           f"again")
        try:
            path = site_path(doc, self.config)
        except UnsafePathError as exc:
            raise _Refused(str(exc)) from None
        if not path or path.startswith(RESERVED) or path == "404.html":
            raise _Refused(f"its URL /{path} is reserved for digestgen's own pages; set `slug:`")
        if path in self.urls:
            if _empty(post):
                raise _Empty(f"it is empty (no text besides any frontmatter), and its URL "
                               f"/{path} is the URL of {self.urls[path]}, which has text and "
                               f"was kept")
            raise _Refused(f"its URL /{path} is already the URL of {self.urls[path]}; give one "
                           f"of them another `slug:`")
        alias, note = self._alias(post, doc, path)
        kept = None
        if alias and self.keep_urls:
            kept, why = self._kept(doc, alias)
            if kept is not None:
                path, alias = kept, None
            else:
                note = why
        draft = post.draft and not doc.draft
        data = text.raw
        if alias or draft or kept:
            edited = add_keys(text, draft=draft, alias=alias,
                              url=post.old_url if kept else None)
            if edited is None and kept:  # the old URL cannot be written in: an alias, then
                path, kept = site_path(doc, self.config), None
                alias, note = post.old_url, ("--keep-urls: its frontmatter cannot take a "
                                             "`url:` safely; an alias instead")
                edited = add_keys(text, draft=draft, alias=alias)
            if edited is None and draft:
                raise _Refused("cannot mark it `draft: true` safely (it has a `draft` key, or "
                               "its frontmatter is unusual); add it by hand and import again")
            if edited is None:
                alias, note = None, (f"alias not written: its aliases/redirect_from is written in "
                                     f"a way that cannot be extended safely; add {post.old_url} "
                                     f"by hand")
            else:
                bom = b"\xef\xbb\xbf" if text.encoding == "utf-8-sig" else b""
                data = bom + edited.encode("utf-8")
                if text.encoding not in ("utf-8", "utf-8-sig"):
                    note = ", ".join(filter(None, [note, f"converted from {text.encoding} to "
                                                          f"UTF-8"]))
        target = self.content / post.target
        if not self._put(target, data, post.rel):
            note = ", ".join(filter(None, ["already imported", note]))
        self.urls[path] = post.rel
        if alias:
            self.aliases[_alias_path(alias, self.config.base_path)] = post.rel
        copied: list[CopiedFile] = []
        lost: list[Skipped] = []
        for src, rel, beside in post.files:
            self._copy(src, rel, self.content / beside, copied, lost)
        return ConvertedPost(
            post.rel, self._shown(target), "/" + path, post.old_url, alias,
            post.draft or doc.draft, len(copied), note,
            post.old_url if kept else None), copied, lost

    def _kept(self, doc, old_url: str) -> tuple[str | None, str]:
        """The site path the post gets with its old URL as ``url:`` (--keep-urls), or (None,
        why it cannot have it)."""
        try:
            path = site_path(dataclasses.replace(doc, permalink=old_url), self.config)
        except UnsafePathError:
            return None, f"--keep-urls: {old_url} is not a safe URL; an alias instead"
        if not path or path.startswith(RESERVED) or path == "404.html":
            return None, (f"--keep-urls: {old_url} is reserved for digestgen's own pages; "
                          f"an alias instead")
        if path in self.urls or path.rstrip("/").casefold() in {
                u.rstrip("/").casefold() for u in self.urls}:
            return None, f"--keep-urls: {old_url} is already taken; an alias instead"
        return path, ""

    def _alias(self, post: Post, doc, path: str) -> tuple[str | None, str]:
        """The alias to write for the post's old URL, or (None, why not)."""
        if post.draft:
            return None, ""  # the report says "draft"
        if post.old_url is None or doc.draft:
            return None, post.why_no_url or "a draft, never published"
        try:
            old = _alias_path(post.old_url, self.config.base_path)
        except UnsafePathError:
            return None, f"old URL {post.old_url!r} leaves the site; no alias written"
        if old in (path, path.rstrip("/")):
            return None, "URL unchanged"
        existing = set()
        for alias in doc.aliases:
            try:
                existing.add(_alias_path(alias, self.config.base_path))
            except UnsafePathError:
                continue
        if old in existing:
            return None, f"its aliases already redirect {post.old_url}"
        if old in self.aliases:
            return None, f"{post.old_url} already redirects to {self.aliases[old]}"
        if old in self.urls:
            return None, f"{post.old_url} is now the URL of {self.urls[old]}"
        # On macOS and Windows a redirect whose path differs only in case would overwrite the
        # page, which would then redirect to itself.
        folded = old.rstrip("/").casefold()
        if any(folded == p.rstrip("/").casefold() for p in [path, *self.urls]):
            return None, (f"no alias: {post.old_url} differs from a page's URL only in letter "
                          f"case, and would overwrite it on macOS and Windows")
        return post.old_url, ""

    def _copy(self, path: Path, rel: str, target: Path, copied: list[CopiedFile],
              lost: list[Skipped]) -> None:
        try:
            data = path.read_bytes()
            self._put(target, data, rel)
        except OSError as exc:
            lost.append(Skipped(rel, f"cannot read it: {exc.strerror or exc}", "file"))
        except _Refused as exc:
            lost.append(Skipped(rel, str(exc), "file"))
        else:
            copied.append(CopiedFile(rel, self._shown(target)))

    def _linked(self, link_root: Path, texts: list[tuple[str, str]], files: list[CopiedFile],
                skipped: list[Skipped], base_url: str = "") -> None:
        """Copy the files posts link to by site-absolute path (``/assets/a.png``, or with the
        old blog's base path, ``/old-blog/assets/a.png``) into the static folder at that path,
        so the links keep working."""
        seen: set[str] = set()
        base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else ""
        for where, text in texts:
            for link in site_links(text):
                path = unquote(urlsplit(link).path)
                if base and path.startswith(base) and not (link_root / path.lstrip("/")).exists():
                    path = "/" + path[len(base):]
                if PurePosixPath(path).suffix.lower() in _PAGE_SUFFIXES:
                    continue
                try:
                    rel = nfc(safe_site_path(path))
                except UnsafePathError:
                    skipped.append(Skipped(link, f"linked from {where}; leaves the site, not "
                                           f"copied", "reference"))
                    continue
                if rel in seen:
                    continue
                seen.add(rel)
                source = link_root / rel
                if not source.is_file():
                    source = link_root / unicodedata.normalize("NFD", rel)  # saved on macOS
                real = source.resolve() if source.is_file() else None
                if real is None or not inside(real, self.blog):
                    skipped.append(Skipped("/" + rel, f"linked from {where}, but not in the blog",
                                           "reference"))
                    continue
                self._copy(source, rel, self.static / rel, files, skipped)

    def _relative(self, link_root: Path, posts: list[Post], files: list[CopiedFile],
                  skipped: list[Skipped]) -> None:
        """Copy the files posts link to by a relative path (``../../assets/images/a.png``, as
        Typora writes them) to where that path leads from the post's new place: from its
        folder in the blog, or from the blog's root (a browser stops ``..`` there)."""
        seen: set[Path] = set()
        for post in posts:
            here = posixpath.dirname(post.rel)
            there = posixpath.dirname(f"{self.section.dir}/{post.target}")
            for link in dict.fromkeys(relative_links(post.text.text)):
                path = unquote(link)
                if PurePosixPath(path).suffix.lower() in _PAGE_SUFFIXES or "\\" in path:
                    continue
                dest = posixpath.normpath(posixpath.join(there, path))
                if dest.startswith("../") or dest == "..":
                    continue  # leads out of the content folder: the build reports the link
                target = self.root / self.config.content_dir / dest
                if target in seen or target.exists():
                    continue
                seen.add(target)
                for rel in (posixpath.normpath(posixpath.join(here, path)),
                            posixpath.normpath(re.sub(r"^(?:\.\.?/)+", "", path))):
                    source = link_root / rel
                    if rel.startswith("../") or not source.is_file() \
                            or not inside(source.resolve(), self.blog):
                        continue
                    self._copy(source, nfc(rel), target, files, skipped)
                    break

    def _put(self, target: Path, data: bytes, source: str) -> bool:
        """Write ``data`` to ``target`` (True), or find it there already (False); raise
        :class:`_Refused` for a different file (without ``force``) or a path out of the site."""
        shown = self._shown(target)
        rel = Path(os.path.normpath(target)).relative_to(self.root) \
            if inside(Path(os.path.normpath(target)), self.root) else None
        if rel is None or any(
            part in ("", ".", "..") or "\\" in part
            or any(unicodedata.category(c) == "Cc" for c in part) for part in rel.parts
        ):
            raise _Refused(f"{shown}: not a safe path inside the site")
        if target in self.written:
            raise _Refused(f"{shown} is also where {self.written[target]} goes; rename one of "
                           f"them")
        try:
            check_writable(target, self.root)
        except OutsideSiteError:
            raise _Refused(f"{shown} would be written outside the site (through a symlink)"
                           ) from None
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise _Refused(f"{shown} exists and is not a plain file; not replaced")
        if target.exists():
            if target.read_bytes() == data:
                self.written[target] = source
                return False
            if not self.force:
                raise _Refused(f"{shown} already exists; pass --force to overwrite it")
        try:
            # Never a half-written file, and never a write through a link (see sitefs).
            write_inside(target, self.root, data)
        except OutsideSiteError:
            raise _Refused(f"{shown} would be written outside the site (through a symlink)"
                           ) from None
        except OSError as exc:
            raise _Refused(f"cannot write {shown}: {exc.strerror or exc}") from None
        self.written[target] = source
        return True

    def _shown(self, target: Path) -> str:
        try:
            return nfc(target.relative_to(self.root).as_posix())
        except ValueError:
            return str(target)


def _empty(post: Post) -> bool:
    """The post has no text besides its frontmatter (a 0-byte file, a stub)."""
    if not post.text.raw.strip():
        return True
    try:
        return not split(post.text.text).body.strip()
    except FrontmatterError:
        return False


def _alias_path(alias: str, base_path: str) -> str:
    """The site path the build makes of an alias (the same rule: urls.alias_site_path)."""
    return alias_site_path(alias, base_path)
