"""Hexo: posts in ``source/_posts/``, drafts in ``source/_drafts/``, each post's files in
an asset folder beside it; the other files of ``source/`` go to the static folder, and its
pages are only reported.

Its URLs follow ``permalink:`` in ``_config.yml``, reading a post's title (and perhaps its
date) from its file name by ``new_post_name``, with hexo-util's slug rules.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from digestgen.imports.blog.plan import (
    Plan,
    Post,
    bundle_dirs,
    bundle_of,
    date_values,
    fill,
    renamed,
)
from digestgen.imports.blog.reading import (
    Blog,
    Text,
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

_HEXO_SPECIAL_RE = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")


def plan_hexo(src: Blog) -> Plan:
    """The posts and drafts of ``source/`` with their asset folders and old URLs, and its
    other files for the static folder; raise :class:`BlogImportError` if ``src`` is not a Hexo
    blog."""
    blog = src.root
    source = blog / "source"
    if not (source / "_posts").is_dir():
        raise BlogImportError(f"{blog} is not a Hexo blog: it has no source/_posts/ folder "
                              f"(expected source/_posts/ and _config.yml)")
    conf = config_file(blog / "_config.yml", blog)
    tz = zone(conf.get("timezone"))
    pattern = str(conf.get("permalink") or ":year/:month/:day/:title/")
    name_rule = _hexo_name_rule(str(conf.get("new_post_name") or ":title.md"))
    plan = Plan()
    # Hexo skips names starting with "_" or "." in source/ (except _posts and _drafts).
    hidden = (".", "_", "#")
    for folder, draft in (("_posts", False), ("_drafts", True)):
        files = list(walk(source / folder, src, plan.skipped, hidden=hidden, posts=True))
        # post_asset_folder: source/_posts/<name>/ beside <name>.md holds that post's files.
        posts = {rel[: -len(PurePosixPath(rel).suffix)]: (path, rel) for path, rel in files
                 if markup_of(rel) == "markdown"}
        owned = {d for d in posts if any(r.startswith(d + "/") for _, r in files)}
        bundles, unnamed = bundle_dirs(sorted(owned))
        extras: dict[str, list[tuple[Path, str, str]]] = {d: [] for d in owned}
        for path, rel in files:
            where, markup = f"source/{folder}/{rel}", markup_of(rel)
            owner = bundle_of(rel, owned)
            if markup == "markdown":
                continue  # a post (Hexo reads one even inside an asset folder), below
            if markup is not None:
                plan.skipped.append(not_markdown(where, markup))
            elif owner is None:
                plan.skipped.append(Skipped(where, "not a post, and not in a post's asset folder",
                                            "file"))
            elif owner in bundles:
                extras[owner].append((path, where, renamed(rel, bundles)))
        for stem, (path, rel) in sorted(posts.items()):
            where = f"source/{folder}/{rel}"
            if stem in unnamed:
                plan.skipped.append(Skipped(where, "its asset folder's name gives no usable "
                                            "folder name; rename it"))
                continue
            target = (f"{bundles[stem]}/index.md" if stem in bundles
                      else as_md(renamed(rel, bundles)))
            text = read(path)
            if draft:
                old, why = None, "a draft, never published"
            elif text.problem:
                old, why = None, ""
            else:
                old, why = _hexo_url(text, name_rule(stem), pattern, tz, conf)
            plan.posts.append(Post(path, where, target, text, old, why, draft,
                                    tuple(extras.get(stem, ()))))
    for path, rel in walk(source, src, plan.skipped, hidden=hidden):
        where = f"source/{rel}"
        markup = markup_of(rel)
        if markup in ("markdown", "EJS", "Pug", "Swig", "Nunjucks"):
            plan.skipped.append(Skipped(where, "a Hexo page, not a post; copy it into content/ "
                                        "by hand if the site needs it", "page"))
        else:
            plan.static.append((path, where, rel))
    return plan


def _hexo_name_rule(rule: str) -> Callable[[str], dict[str, str]]:
    """What Hexo's ``new_post_name`` pattern reads from a post's path (its ``title``, and a
    date if the pattern names one)."""
    groups = {"year": r"(?P<year>\d{4})", "month": r"(?P<month>\d{2})",
              "day": r"(?P<day>\d{2})", "i_month": r"(?P<i_month>\d{1,2})",
              "i_day": r"(?P<i_day>\d{1,2})", "title": r"(?P<title>.+)"}
    stem = rule[: -len(PurePosixPath(rule).suffix)] if PurePosixPath(rule).suffix else rule
    parts = re.split(r":(year|month|day|i_month|i_day|title)\b", stem)
    regex = "".join(groups[p] if i % 2 else re.escape(p) for i, p in enumerate(parts))
    compiled = re.compile(f"^{regex}$") if "(?P<title>" in regex else None

    def parse(path: str) -> dict[str, str]:
        m = compiled.match(path) if compiled else None
        # Hexo's parseFilename falls back to the slugized path.
        return {k: v for k, v in m.groupdict().items() if v} if m else \
            {"title": _hexo_slugize(path)}

    return parse


def _hexo_url(text: Text, info: dict[str, str], pattern: str, tz: tzinfo,
              conf: dict[str, Any]) -> tuple[str | None, str]:
    data = text.data
    if parse_boolean(data.get("published")) is False:
        return None, "published: false, so Hexo never published it"
    own = data.get("permalink")
    if isinstance(own, str) and own.strip():
        return "/" + own.strip().lstrip("/"), ""
    slug = info["title"]
    date = date_from(data, ("date",), tz)
    if date is None and "year" in info:
        month, day = info.get("month") or info.get("i_month"), info.get("day") or info.get("i_day")
        if month and day:
            date = date_from({"d": f"{info['year']}-{month}-{day}"}, ("d",), tz)
    # Hexo fills any other placeholder from the frontmatter key of that name (:lang, say),
    # else from `permalink_defaults` in _config.yml.
    defaults = conf.get("permalink_defaults") if isinstance(conf.get("permalink_defaults"),
                                                            dict) else {}
    values: dict[str, str | None] = {
        str(k): str(v) for k, v in {**defaults, **data}.items()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    if date is not None:
        date = date.astimezone(tz)
        values.update(date_values(date))
        values["hash"] = hashlib.sha1(f"{slug}{int(date.timestamp())}".encode()).hexdigest()[12:16]
    values.update(
        title=slug, name=PurePosixPath(slug).name,
        post_title=_hexo_slugize(str(data.get("title") or ""), 1),
        category=_hexo_category(data, conf),
    )
    values.pop("id", None)  # a database id, unknowable from the files
    return fill(pattern, values)


def _hexo_slugize(text: str, transform: int = 0) -> str:
    """hexo-util's ``slugize``: control characters dropped, punctuation and spaces → ``-``."""
    text = "".join(unicodedata.normalize("NFD", ch)[0] if "LATIN" in unicodedata.name(ch, "")
                   else ch for ch in text)
    text = re.sub(r"[\x00-\x1f]", "", text)
    text = _HEXO_SPECIAL_RE.sub("-", text).strip("-")
    return text.lower() if transform == 1 else text.upper() if transform == 2 else text


def _hexo_category(data: dict[str, Any], conf: dict[str, Any]) -> str:
    """The :category of a Hexo permalink: the path of the post's last (deepest) category."""
    value = data.get("categories", data.get("category"))
    if isinstance(value, list) and value and isinstance(value[-1], list):
        value = value[-1]
    path = [value] if isinstance(value, (str, int)) else value if isinstance(value, list) else []
    names = [str(v) for v in path if isinstance(v, (str, int)) and str(v).strip()]
    if not names:
        return str(conf.get("default_category") or "uncategorized")
    mapping = conf.get("category_map") if isinstance(conf.get("category_map"), dict) else {}
    case = conf.get("filename_case") if conf.get("filename_case") in (1, 2) else 0
    return "/".join(_hexo_slugize(str(mapping.get(n, n)), case) for n in names)
