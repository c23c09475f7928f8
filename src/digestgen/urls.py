"""Slugs, URLs and output paths: the one place that decides where a page lives.

A *site path* is a URL path relative to the site root with no leading slash and a trailing
slash for pages (``posts/hello/``) or a file name (``feed.xml``). :func:`url` prefixes the base
path and percent-encodes; :func:`output_file` maps a site path to a file in the output folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from posixpath import normpath
from urllib.parse import quote

# Apostrophes join a word ("don't" → "dont"); any other mark between words separates them.
_DROP_RE = re.compile(r"['’‘`]")
_SEPARATOR_RE = re.compile(r"[^\w\s-]", re.UNICODE)
_DASH_RE = re.compile(r"[\s_-]+", re.UNICODE)


# Bytes in one file or folder name (NAME_MAX on Linux, macOS and Windows' NTFS in UTF-16
# units): a URL segment becomes a folder of the output.
NAME_MAX = 255


class UnsafePathError(ValueError):
    """A slug, permalink or path that would escape its folder, or that no file system can
    hold."""


def fit_segment(segment: str) -> str:
    """A generated URL segment short enough to be a folder name: one over :data:`NAME_MAX`
    bytes (a tag that is a whole sentence) is cut and given a stable hash of the whole, so
    two long names that share a beginning stay apart."""
    data = segment.encode("utf-8")
    if len(data) <= NAME_MAX:
        return segment
    digest = hashlib.blake2b(data, digest_size=4).hexdigest()
    head = data[:NAME_MAX - len(digest) - 1].decode("utf-8", "ignore").rstrip("-")
    return f"{head}-{digest}"


def _too_long(segment: str) -> str | None:
    size = len(segment.encode("utf-8", "surrogatepass"))
    if size <= NAME_MAX:
        return None
    return (f"{segment[:24]!r}… is {size} bytes long; a file or folder name may have at "
            f"most {NAME_MAX}")


def slugify(text: str) -> str:
    """A URL segment: NFC, Hangul and other letters kept, Latin lower-cased, spaces and
    punctuation between words (``.``, ``/``, ``:``, …) to one ``-``.

    ``"OpenAI의 신뢰 구축!"`` → ``"openai의-신뢰-구축"``; ``"LLM"`` and ``"llm"`` share a slug.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DROP_RE.sub("", text)
    # "정책/법제" → "정책-법제" and "42.JavaBean 규약" → "42-javabean-규약", not "42javabean-…"
    text = _SEPARATOR_RE.sub(" ", text)
    return _DASH_RE.sub("-", text).strip("-")


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """A tag/category URL segment; ``C++`` and ``C#`` stay apart, ``LLM`` and ``llm`` merge."""
    name = name.replace("#", "-sharp").replace("+", "-plus")
    return fit_segment(slugify(name) or "term-" + "-".join(f"{ord(c):x}" for c in name[:8]))


def check_slug(slug: str) -> str:
    """Validate an author's slug; raise :class:`UnsafePathError` if it would leave its folder."""
    slug = unicodedata.normalize("NFC", slug).strip()
    if (
        not slug
        or slug in (".", "..")
        or any(c in slug for c in "/\\\x00?#%")
        or slug.startswith(".")
    ):
        raise UnsafePathError(
            f"slug {slug!r} is not a plain name (no '/', '\\', '?', '#', '%', leading '.' or '..')"
        )
    if any(unicodedata.category(c) == "Cc" for c in slug):
        raise UnsafePathError(f"slug {slug!r} contains control characters")
    if problem := _too_long(slug):
        raise UnsafePathError(f"slug {problem}")
    return slug.replace(" ", "-")


@lru_cache(maxsize=262144)
def safe_site_path(path: str) -> str:
    """Normalise a site path; raise :class:`UnsafePathError` if it climbs out of the site root."""
    if "\x00" in path or "\\" in path:
        raise UnsafePathError(f"path {path!r} contains a backslash or NUL")
    trailing = path.endswith("/")
    norm = normpath("/" + path.lstrip("/"))
    if norm.startswith("//"):
        norm = norm[1:]
    if ".." in path.split("/") or norm == "/" and path.strip("/") not in ("", "."):
        raise UnsafePathError(f"path {path!r} leaves the output folder")
    for part in norm.split("/"):
        if problem := _too_long(part):
            raise UnsafePathError(f"path segment {problem}")
    out = norm.lstrip("/")
    if trailing and out:
        out += "/"
    return out


_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")


def alias_site_path(alias: str, base_path: str = "/") -> str:
    """The site path an ``aliases:`` entry is published at. A trailing slash makes a folder
    (``/2024/04/24/gpt-4.5/`` → ``…/gpt-4.5/index.html``); without one, a name with a file
    extension is a file (``/old/post.html``) and anything else a folder. The site's base path
    is taken off. Raises :class:`UnsafePathError` for a path that leaves the site."""
    last = alias.rstrip("/").rsplit("/", 1)[-1]
    is_file = not alias.endswith("/") and bool(_FILE_SUFFIX.search(last))
    path = safe_site_path(alias.strip("/") + ("" if is_file else "/"))
    if prefix := base_path.strip("/"):
        path = path.removeprefix(prefix + "/")
    return path


def expand_permalink(pattern: str, *, section: str, slug: str, date) -> str:
    """Fill a permalink pattern and return a safe site path (``posts/hello/``)."""
    values = {
        "section": section,
        "slug": slug,
        "year": f"{date.year:04d}" if date else "undated",
        "month": f"{date.month:02d}" if date else "00",
        "day": f"{date.day:02d}" if date else "00",
    }
    return safe_site_path(pattern.format(**values))


@lru_cache(maxsize=262144)
def url(base_path: str, site_path: str) -> str:
    """The href of a site path: base path prefixed, non-ASCII percent-encoded."""
    return quote(base_path + site_path, safe="/-_.~!$&'()*+,;=:@")


def absolute_url(base_url: str, base_path: str, site_path: str) -> str:
    """A full URL (for feeds, sitemap, canonical links)."""
    root = base_url[: len(base_url) - len(base_path)] if base_url.endswith(base_path) else base_url
    return root.rstrip("/") + url(base_path, site_path)


def output_file(site_path: str) -> str:
    """The output file (relative to the output folder) that serves ``site_path``."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path
