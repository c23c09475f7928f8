"""Hugo: each folder of ``content/`` is a section of posts and page bundles; site files in
``static/``.

Its URLs follow a post's ``url:``, else the section's ``permalinks`` pattern, else the path,
sanitised and lower-cased as Hugo does.
"""

from __future__ import annotations

import unicodedata
from datetime import tzinfo
from typing import Any

from digestgen.imports.blog.plan import INDEX_NAMES, Plan, date_values, fill, plan_bundled
from digestgen.imports.blog.reading import (
    Blog,
    config_file,
    date_from,
    inside,
    markup_of,
    nfc,
    walk,
    zone,
)
from digestgen.imports.blog.report import BlogImportError, Skipped
from digestgen.load.frontmatter import parse_boolean

_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                 "config.yml", "config.json")


def plan_hugo(src: Blog) -> Plan:
    """The posts and bundles of each section of ``content/`` with their old URLs, and the
    static folder's files; raise :class:`BlogImportError` if ``src`` is not a Hugo blog."""
    blog = src.root
    found = next((blog / d / n for d in (".", "config/_default") for n in _HUGO_CONFIGS
                  if (blog / d / n).is_file()), None)
    conf = {str(k).lower(): v for k, v in config_file(found).items()} if found else {}
    content = (blog / str(conf.get("contentdir") or "content")).resolve()
    if found is None or not content.is_dir() or not inside(content, blog):
        raise BlogImportError(f"{blog} is not a Hugo blog: it has no hugo.toml or config.toml "
                              f"(or .yaml, .json) beside a content/ folder")
    tz = zone(conf.get("timezone"))
    plan = Plan()
    content_rel = content.relative_to(blog).as_posix()
    for entry in sorted(content.iterdir()):
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        where = nfc(f"{content_rel}/{entry.name}")
        if entry.is_dir() and not any((entry / n).is_file() for n in INDEX_NAMES):
            section = nfc(entry.name)
            files = list(walk(entry, src, plan.skipped, posts=True))
            plan_bundled(plan, files, where, lambda text, stem, s=section: _hugo_url(
                text.data, s, stem, conf, tz), hugo=True)
        elif entry.is_dir() or markup_of(entry.name):
            plan.skipped.append(Skipped(where, "a page at the top of the site, not a post; copy "
                                        "it into content/ by hand if the site needs it", "page"))
        else:
            plan.skipped.append(Skipped(where, "a file at the top of content/, not part of a "
                                        "post", "file"))
    static = conf.get("staticdir") if isinstance(conf.get("staticdir"), str) else "static"
    if inside((blog / static).resolve(), blog):
        for path, rel in walk(blog / static, src, plan.skipped):
            plan.static.append((path, nfc(f"{static}/{rel}"), rel))
    return plan


def _hugo_url(data: dict[str, Any], section: str, stem: str, conf: dict[str, Any],
              tz: tzinfo) -> str | None:
    """A Hugo page's URL: ``url:``, else the section's ``permalinks`` pattern, else
    ``/<section>/<folders>/<slug or name>/``; sanitised and lower-cased as Hugo does."""
    data = {str(k).lower(): v for k, v in data.items()}
    lower = not parse_boolean(conf.get("disablepathtolower"))
    if isinstance(data.get("url"), str) and data["url"].strip():
        return "/" + data["url"].strip().lstrip("/")
    folders, _, name = stem.rpartition("/")
    slug = str(data["slug"]) if data.get("slug") not in (None, "") else None
    title = str(data.get("title") or "")
    permalinks = conf.get("permalinks") if isinstance(conf.get("permalinks"), dict) else {}
    permalinks = {str(k).lower(): v for k, v in permalinks.items()}
    page = permalinks.get("page") if isinstance(permalinks.get("page"), dict) else permalinks
    pattern = next((v for k, v in page.items() if str(k).lower() == section.lower()), None)
    if isinstance(pattern, str):
        date = date_from(data, ("date", "publishdate", "pubdate", "published"), tz)
        values: dict[str, str | None] = date_values(date) if date else {}
        urlized = _hugo_path(title, True)
        values.update(
            section=section, sections="/".join([section, *filter(None, folders.split("/"))]),
            title=urlized, slug=slug or urlized, filename=name, contentbasename=name,
            slugorfilename=slug or name, slugorcontentbasename=slug or name,
        )
        url, _ = fill(pattern, values)
        return _hugo_path(url, lower) if url else None
    parts = [section, *filter(None, folders.split("/")), slug or name]
    path = "/" + "/".join(parts)
    path = path + ".html" if parse_boolean(conf.get("uglyurls")) else path + "/"
    return _hugo_path(path, lower)


def _hugo_path(text: str, lower: bool) -> str:
    """Hugo's ``MakePathSanitized``: letters, digits, marks and ``./_#+~-@`` kept, spaces →
    ``-``, anything else dropped; lower-cased unless ``disablePathToLower``."""
    out: list[str] = []
    for ch in text:
        if ch in "./\\_#+~-@" or unicodedata.category(ch)[0] in "LM" \
                or unicodedata.category(ch) == "Nd":
            out.append(ch)
        elif ch.isspace() and out and out[-1] != "-":
            out.append("-")
    path = "".join(out)
    return path.lower() if lower else path
