"""Gatsby: Markdown posts and page bundles in the starter's content folder, site files in
``static/``. A post's URL is its path in that folder (gatsby-starter-hoodie: its folder's name).
"""

from __future__ import annotations

from digestgen.imports.blog.plan import Plan, plan_bundled
from digestgen.imports.blog.reading import Blog, walk
from digestgen.imports.blog.report import BlogImportError

# gatsby-starter-hoodie keeps posts in contents/posts/ and serves each at /<folder>/;
# gatsby-starter-blog keeps them in content/blog/ and serves them at /<path>/.
_GATSBY_ROOTS = ("contents/posts", "content/blog", "content/posts")


def plan_gatsby(src: Blog) -> Plan:
    """The posts and bundles of the content folders with their old URLs, and ``static/``
    for the static folder; raise :class:`BlogImportError` if ``src`` is not a Gatsby blog."""
    blog = src.root
    roots = [r for r in _GATSBY_ROOTS if (blog / r).is_dir()]
    if not roots:
        raise BlogImportError(f"{blog} is not a Gatsby blog: it has no contents/posts/, "
                              f"content/blog/ or content/posts/ folder")
    plan = Plan()
    for root in roots:
        flat = root == "contents/posts"
        files = list(walk(blog / root, src, plan.skipped, posts=True))
        plan_bundled(plan, files, root, lambda text, stem, f=flat: "/" + (
            stem.rpartition("/")[2] if f else stem) + "/")
    for path, rel in walk(blog / "static", src, plan.skipped):
        plan.static.append((path, f"static/{rel}", rel))
    return plan
