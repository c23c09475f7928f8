"""Jekyll: posts in ``_posts/`` named ``YYYY-MM-DD-title.md``, drafts in ``_drafts/``.

Its URLs follow ``permalink:`` in ``_config.yml`` (a style name or a pattern) or a post's own,
with Jekyll's slug rules, in the blog's ``timezone:``. The blog's other files are not copied
wholesale: :mod:`.convert` copies those its posts link to by site-absolute path.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from datetime import tzinfo
from pathlib import PurePosixPath
from typing import Any

from digestgen.dates import date_from_filename
from digestgen.imports.blog.plan import Plan, Post, date_values, fill
from digestgen.imports.blog.reading import (
    Blog,
    as_md,
    config_file,
    date_from,
    markup_of,
    not_markdown,
    read,
    walk,
    zone,
)
from digestgen.imports.blog.report import BlogImportError, Skipped
from digestgen.load.frontmatter import parse_boolean

_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_POST_RE = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.+)$")


def plan_jekyll(src: Blog) -> Plan:
    """The posts of ``_posts/`` with their old URLs and the drafts of ``_drafts/``; raise
    :class:`BlogImportError` if ``src`` is not a Jekyll blog."""
    blog = src.root
    if not (blog / "_posts").is_dir():
        raise BlogImportError(f"{blog} is not a Jekyll blog: it has no _posts/ folder "
                              f"(expected _posts/ and _config.yml)")
    conf = config_file(blog / "_config.yml", blog)
    tz = zone(conf.get("timezone"))
    style = str(conf.get("permalink") or "date")
    pattern = _JEKYLL_STYLES.get(style, style)
    defaults = _defaults(conf)
    plan = Plan(link_root=blog, base_url=str(conf.get("baseurl") or ""))
    hidden = (".", "_", "#")
    for path, rel in walk(blog / "_posts", src, plan.skipped, hidden=hidden, posts=True):
        where = f"_posts/{rel}"
        markup = markup_of(rel)
        if markup is None:
            plan.skipped.append(Skipped(where, "not a post (Jekyll does not publish other files "
                                        "from _posts/)", "file"))
            continue
        if markup != "markdown":
            plan.skipped.append(not_markdown(where, markup))
            continue
        m = _JEKYLL_POST_RE.match(PurePosixPath(rel).stem)
        if not m:
            plan.skipped.append(Skipped(where, "not named YYYY-MM-DD-title.md, so Jekyll never "
                                        "published it; rename it to import it"))
            continue
        text = read(path)
        data = {**_defaults_for(defaults, where, "posts"), **text.data}
        own = data.get("permalink")
        post_pattern = _JEKYLL_STYLES.get(str(own), str(own)) if own else pattern
        old, why = _jekyll_url(data, m, post_pattern, tz) if not text.problem else (None, "")
        plan.posts.append(Post(path, where, as_md(rel), text, old, why))
    for path, rel in walk(blog / "_drafts", src, plan.skipped, hidden=hidden, posts=True):
        where = f"_drafts/{rel}"
        markup = markup_of(rel)
        if markup == "markdown":
            plan.posts.append(Post(path, where, as_md(rel), read(path), None,
                                    "a draft, never published", draft=True))
        elif markup:
            plan.skipped.append(not_markdown(where, markup))
    return plan


def _defaults(conf: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """``defaults:`` of ``_config.yml``: (path, type, values) of each scope, in order."""
    out = []
    for entry in conf.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        path = str(scope.get("path") or "").strip("/")
        out.append((path, str(scope.get("type") or ""), entry["values"]))
    return out


def _defaults_for(defaults: list[tuple[str, str, dict[str, Any]]], rel: str,
                  kind: str) -> dict[str, Any]:
    """The default values Jekyll gives the file at ``rel`` of type ``kind``: every scope that
    matches it, the more specific (longer path, then a type) over the less, the later over the
    earlier; the file's own frontmatter goes over them all."""
    matching = [(len(path), bool(kind_), k, values)
                for k, (path, kind_, values) in enumerate(defaults)
                if (not path or rel == path or rel.startswith(path + "/")
                    or ("*" in path and fnmatch.fnmatch(rel, path + "*")))
                and kind_ in ("", kind)]
    merged: dict[str, Any] = {}
    for *_, values in sorted(matching, key=lambda m: m[:3]):
        merged.update(values)
    return merged


def _jekyll_url(data: dict[str, Any], name: re.Match, pattern: str,
                tz: tzinfo) -> tuple[str | None, str]:
    if parse_boolean(data.get("published")) is False:
        return None, "published: false, so Jekyll never published it"
    # Jekyll reads every date in the machine's zone (its `timezone:`, else the system's).
    date = date_from(data, ("date",), tz) or date_from_filename(name[1], tz)
    if date is None:
        return None, "old URL unknown: its date cannot be read"
    slug = str(data["slug"]) if data.get("slug") not in (None, "") else name[2]
    values = date_values(date.astimezone(tz))
    values.update(
        title=_jekyll_slugify(slug, pretty=True), slug=_jekyll_slugify(slug, pretty=False),
        name=_jekyll_slugify(f"{name[1]}-{name[2]}", pretty=False),
        categories=_jekyll_categories(data), output_ext=".html", collection="posts",
    )
    return fill(pattern, values)


def _jekyll_slugify(text: str, *, pretty: bool) -> str:
    """Jekyll's ``Utils.slugify``: ``pretty`` keeps case and ``._~!$&'()+,;=@`` (for :title);
    the default mode lower-cases (for :slug). Letters, marks and digits are kept in both."""
    keep = "._~!$&'()+,;=@" if pretty else ""
    out = "".join(
        ch if unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) == "Nd"
        or ch in keep else "-"
        for ch in text
    )
    out = re.sub(r"-{2,}", "-", out).strip("-")
    return out if pretty else out.lower()


def _jekyll_categories(data: dict[str, Any]) -> str:
    names: list[str] = []
    value = data.get("categories")
    if isinstance(value, str):
        names += value.split()
    elif isinstance(value, list):
        names += [str(v) for v in value if v is not None and not isinstance(v, (list, dict))]
    if data.get("category") not in (None, ""):
        names.append(str(data["category"]))
    return "/".join(dict.fromkeys(n.lower() for n in names if n))
