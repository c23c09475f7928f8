"""``digestgen import --from jekyll|hexo|gatsby|hugo DIR``: another engine's blog → this site.

Posts are copied, not rewritten. digestgen already reads these engines' frontmatter, their
file-name dates and their page bundles, so the only change a post may need is one new line:
an ``aliases:`` entry for its old URL, which the build turns into a redirect page, or
``draft: true`` for a post from a drafts folder. The old URL is computed as the engine computed
it and the new one by the build's own rule, so an alias is written only where the two differ.

This module is the public API: :func:`import_blog`, the choice of the target section, and (from
:mod:`.report`) the report and the error. The work is done by

- :mod:`.reading`: reading the blog folder (its files, its settings, dates in its time zone);
- :mod:`.plan` and one module per engine (:mod:`.jekyll`, :mod:`.hexo`, :mod:`.gatsby`,
  :mod:`.hugo`): what the blog holds, where each piece goes, and each post's old URL;
- :mod:`.convert`: loading each post as the build will, writing it and its files;
- :mod:`.frontmatter_edit`: adding the new key to a post's frontmatter, byte for byte;
- :mod:`.links`: the site files a post links to, copied so the links keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from digestgen.config import SectionConfig, SiteConfig
from digestgen.imports.blog.convert import Importer
from digestgen.imports.blog.gatsby import plan_gatsby
from digestgen.imports.blog.hexo import plan_hexo
from digestgen.imports.blog.hugo import plan_hugo
from digestgen.imports.blog.jekyll import plan_jekyll
from digestgen.imports.blog.plan import Plan
from digestgen.imports.blog.reading import Blog, inside
from digestgen.imports.blog.report import (
    BlogImport,
    BlogImportError,
    ConvertedPost,
    CopiedFile,
    Skipped,
)

__all__ = [
    "BLOG_KINDS", "BlogImport", "BlogImportError", "ConvertedPost", "CopiedFile", "Skipped",
    "import_blog",
]

BLOG_KINDS = ("jekyll", "hexo", "gatsby", "hugo")

_PLANNERS: dict[str, Callable[[Blog], Plan]] = {
    "jekyll": plan_jekyll, "hexo": plan_hexo, "gatsby": plan_gatsby, "hugo": plan_hugo,
}


def import_blog(
    kind: str,
    source_dir: Path,
    site_root: Path,
    config: SiteConfig,
    *,
    section: str | None = None,
    force: bool = False,
    keep_urls: bool = False,
) -> BlogImport:
    """Copy the posts and files of the ``kind`` blog in ``source_dir`` into the site at
    ``site_root``: posts into ``section`` (default: the section of kind ``post``), site files
    into the static folder. Never overwrites a different file unless ``force``. With
    ``keep_urls`` a post whose URL would change keeps its old one (``url:``) instead of
    getting an alias."""
    if kind not in BLOG_KINDS:
        raise BlogImportError(f"unknown blog engine {kind!r} (use one of {', '.join(BLOG_KINDS)})")
    if not source_dir.is_dir():
        raise BlogImportError(f"{source_dir}: no such folder")
    blog, root = source_dir.resolve(), site_root.resolve()
    if blog == root or inside(blog, (root / config.content_dir).resolve()):
        raise BlogImportError(
            f"{source_dir}: the blog folder is the site folder or lies in its content; import "
            f"from a blog folder elsewhere")
    target = _target_section(config, section)
    # A site made inside the blog's folder is not part of the blog.
    plan = _PLANNERS[kind](Blog(blog, root))
    return Importer(kind, blog, root, config, target, force, keep_urls).run(plan)


def _target_section(config: SiteConfig, name: str | None) -> SectionConfig:
    found = config.section_for_kind("post") if name is None else config.sections.get(name)
    if found is None:
        known = ", ".join(config.sections) or "none"
        wanted = "of kind post" if name is None else repr(name)
        raise BlogImportError(f"no section {wanted} in site.yaml (sections: {known}); "
                              f"pass --section NAME")
    return found
