"""Hugo: each folder of ``content/`` is a section of posts and page bundles; site files in
``static/``.

Its URLs follow a post's ``url:``, else the section's ``permalinks`` pattern, else the path,
sanitised and lower-cased as Hugo does.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import unicodedata
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from digestgen.imports.blog.links import relative_links
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
_CONFIG_EXTS = (".toml", ".yaml", ".yml", ".json")


def hugo_config(src: Blog) -> tuple[dict[str, Any], Path | None]:
    """The blog's settings: its root config file, and Hugo's split ones under
    ``config/_default/`` (``hugo.toml`` there, and one file per key: ``permalinks.toml``,
    ``languages.toml``, …), keys lower-cased as Hugo reads them; and the main file found."""
    blog = src.root
    found = next((blog / n for n in _HUGO_CONFIGS if (blog / n).is_file()), None)
    conf: dict[str, Any] = _lower(config_file(found, blog)) if found else {}
    split = blog / "config" / "_default"
    if split.is_dir() and not split.is_symlink():
        for path in sorted(split.iterdir()):
            if path.suffix not in _CONFIG_EXTS or path.name.startswith("."):
                continue
            data = _lower(config_file(path, blog))
            key = path.stem.lower()
            if key in ("hugo", "config"):
                conf = {**data, **conf}
            elif "." not in key:  # menus.en.toml and the like: a language's, not needed here
                conf.setdefault(key, data)
            found = found or path
    return conf, found


def _lower(data: Any) -> Any:
    """Hugo's keys are case-insensitive: every key lower-cased (values kept)."""
    if isinstance(data, dict):
        return {str(k).lower(): _lower(v) for k, v in data.items()}
    return data


def plan_hugo(src: Blog) -> Plan:
    """The posts and bundles of each section of the default language's content folder with
    their old URLs, and the static folder's files; the other languages' posts are reported as
    translations not imported. Raise :class:`BlogImportError` if ``src`` is not a Hugo blog."""
    blog = src.root
    conf, found = hugo_config(src)
    languages = conf.get("languages") if isinstance(conf.get("languages"), dict) else {}
    languages = {k: v for k, v in languages.items() if isinstance(v, dict)}
    default = str(conf.get("defaultcontentlanguage") or "en").lower()
    own_dir = languages.get(default, {}).get("contentdir")
    content = (blog / str(own_dir or conf.get("contentdir") or "content")).resolve()
    if found is None or not content.is_dir() or not inside(content, blog):
        raise BlogImportError(f"{blog} is not a Hugo blog: it has no hugo.toml or config.toml "
                              f"(or .yaml, .json) beside a content/ folder")
    tz = zone(conf.get("timezone"))
    # With defaultContentLanguageInSubdir the default language too lives under /<lang>/.
    prefix = f"/{default}" if parse_boolean(conf.get("defaultcontentlanguageinsubdir")) else ""
    others = {lang for lang in languages if lang != default}
    plan = Plan()
    for lang, settings in sorted(languages.items()):
        folder = settings.get("contentdir")
        if lang == default or not folder:
            continue
        path = (blog / str(folder)).resolve()
        if path.is_dir() and inside(path, blog) and path != content:
            for _, rel in walk(path, src, [], posts=True):
                if markup_of(rel) == "markdown" and not PurePosixPath(rel).name.startswith("_"):
                    plan.skipped.append(Skipped(
                        nfc(f"{folder}/{rel}"), f"the {lang} translation (the site's language "
                        f"is {default}); translations are not imported", "translation"))
    content_rel = content.relative_to(blog).as_posix()
    for entry in sorted(content.iterdir()):
        if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
            continue
        where = nfc(f"{content_rel}/{entry.name}")
        if entry.is_dir() and not any((entry / n).is_file() for n in INDEX_NAMES) \
                and entry.resolve() not in _language_dirs(blog, languages):
            section = nfc(entry.name)
            files = []
            for path, rel in walk(entry, src, plan.skipped, posts=True):
                lang = _language_of(rel, languages)
                if lang in others:
                    plan.skipped.append(Skipped(
                        f"{where}/{rel}", f"the {lang} translation (the site's language is "
                        f"{default}); translations are not imported", "translation"))
                    continue
                files.append((path, _without_language(rel, default)))
            plan_bundled(plan, files, where, lambda text, stem, s=section: _prefixed(
                prefix, _hugo_url(text.data, s, stem, conf, tz)), hugo=True,
                not_a_post=_theme_page)
        elif entry.is_dir() or markup_of(entry.name):
            plan.skipped.append(Skipped(where, "a page at the top of the site, not a post; copy "
                                        "it into content/ by hand if the site needs it", "page"))
        else:
            plan.skipped.append(Skipped(where, "a file at the top of content/, not part of a "
                                        "post", "file"))
    static = conf.get("staticdir") if isinstance(conf.get("staticdir"), str) else "static"
    if inside((blog / static).resolve(), blog):
        statics = list(walk(blog / static, src, plan.skipped))
        for path, rel in statics:
            plan.static.append((path, nfc(f"{static}/{rel}"), rel))
        _static_beside(plan, {rel: path for path, rel in statics}, static)
    return plan


def _static_beside(plan: Plan, statics: dict[str, Path], static: str) -> None:
    """A bundle's relative link to a file that is not in the bundle but in ``static/`` at
    that path (``img/post/a.png``): Hugo's themes resolve it against the site's root
    (``relURL``), so the file is also copied beside the post, where digestgen looks."""
    for k, post in enumerate(plan.posts):
        if PurePosixPath(post.target).name.lower() not in INDEX_NAMES:
            continue
        folder = posixpath.dirname(post.target)
        have = {t for _, _, t in post.files}
        extra = []
        for link in dict.fromkeys(relative_links(post.text.text)):
            rel = posixpath.normpath(unquote(link))
            if rel.startswith("../") or rel == ".." or rel not in statics:
                continue
            target = f"{folder}/{rel}"
            if target not in have:
                have.add(target)
                extra.append((statics[rel], nfc(f"{static}/{rel}"), target))
        if extra:
            plan.posts[k] = dataclasses.replace(post, files=(*post.files, *extra))


def _theme_page(text: Any) -> str:
    """Why a content file is a theme's page, not a post: an undated file with its own
    ``layout:`` (the about, archives and search pages of themes such as Stack); else ""."""
    data = {str(k).lower(): v for k, v in text.data.items()}
    dated = any(data.get(k) not in (None, "") for k in ("date", "publishdate", "pubdate",
                                                         "published", "lastmod"))
    layout = data.get("layout")
    if not dated and isinstance(layout, str) and layout.strip():
        return (f"a page of the theme (layout: {layout.strip()}, no date), not a post; copy it "
                f"into content/ by hand if the site needs it")
    return ""


def _language_dirs(blog: Path, languages: dict[str, Any]) -> set[Path]:
    return {(blog / str(v["contentdir"])).resolve() for v in languages.values()
            if v.get("contentdir")}


def _language_of(rel: str, languages: dict[str, Any]) -> str | None:
    """The language a file name says (``index.en.md``, ``post.ko.md``), if a configured one."""
    parts = PurePosixPath(rel).name.split(".")
    return parts[-2].lower() if len(parts) >= 3 and parts[-2].lower() in languages else None


def _without_language(rel: str, default: str) -> str:
    """``index.ko.md`` (the default language's) as ``index.md``."""
    path = PurePosixPath(rel)
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[-2].lower() == default:
        return str(path.with_name(".".join([*parts[:-2], parts[-1]])))
    return rel


def _prefixed(prefix: str, url: str | None) -> str | None:
    return prefix + url if url and prefix else url


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
        if date is not None:
            # Hugo reads any other token as a Go time layout: /:2006/:01/:02/:filename.
            pattern = _GO_TOKEN_RE.sub(lambda m: _go_date(m[1], date.astimezone(tz)), pattern)
        elif _GO_TOKEN_RE.search(pattern):
            return None
        url, _ = fill(pattern, values)
        return _hugo_path(url, lower) if url else None
    parts = [section, *filter(None, folders.split("/")), slug or name]
    path = "/" + "/".join(parts)
    path = path + ".html" if parse_boolean(conf.get("uglyurls")) else path + "/"
    return _hugo_path(path, lower)


# Go's reference time, piece by piece (longest first), as strftime would write each.
_GO_PIECES = (("January", "%B"), ("Monday", "%A"), ("2006", "%Y"), ("Jan", "%b"), ("Mon", "%a"),
              ("MST", "%Z"), ("002", "%j"), ("06", "%y"), ("01", "%m"), ("02", "%d"),
              ("15", "%H"), ("03", "%I"), ("04", "%M"), ("05", "%S"), ("PM", "%p"))
_GO_TOKEN_RE = re.compile(r":((?:January|Monday|2006|Jan|Mon|MST|002|06|01|02|15|03|04|05|PM"
                          r"|_2|1|2|3|4|5)+)(?![\w])")


def _go_date(layout: str, date: datetime) -> str:
    """``date`` written by a Go time layout made of reference pieces (``2006``, ``01``, …)."""
    out = []
    k = 0
    while k < len(layout):
        for piece, fmt in _GO_PIECES:
            if layout.startswith(piece, k):
                out.append(date.strftime(fmt))
                k += len(piece)
                break
        else:
            single = {"1": str(date.month), "2": str(date.day), "_2": f"{date.day:>2}",
                      "3": str(date.hour % 12 or 12), "4": str(date.minute),
                      "5": str(date.second)}
            piece = "_2" if layout.startswith("_2", k) else layout[k]
            out.append(single.get(piece, piece))
            k += len(piece)
    return "".join(out)


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
