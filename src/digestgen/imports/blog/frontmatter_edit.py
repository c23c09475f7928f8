"""Adding keys to a post's frontmatter, keeping every other byte of the author's file.

The only keys ever added are ``draft: true``, an alias for the post's old URL, or (with
``--keep-urls``) that URL itself as ``url:``. An edit is
used only if the frontmatter, parsed again, says exactly what it said before plus the new key;
otherwise the caller is told it cannot be done safely.
"""

from __future__ import annotations

import json
import re
from typing import Any

from digestgen.imports.blog.reading import Text
from digestgen.load.frontmatter import FrontmatterError, split

_BOUNDARY = {"yaml": re.compile(r"-{3,}\s*"), "toml": re.compile(r"\+{3,}\s*")}
_ALIAS_KEYS = ("aliases", "redirect_from")


def add_keys(text: Text, *, draft: bool, alias: str | None,
             url: str | None = None) -> str | None:
    """``text`` with ``draft: true``, ``alias`` and/or ``url`` (an old URL kept) added to its
    frontmatter; None when that cannot be done safely. New keys are new lines (YAML: before
    the closing ``---``; TOML: after the opening ``+++``, since a key after a ``[table]``
    would belong to the table).
    An existing ``aliases``/``redirect_from`` list is extended in place. The result is parsed
    again and must say exactly what the original said, plus the new values."""
    lines = text.text.splitlines(keepends=True)
    lead: list[str] = []
    if text.format:  # blank lines before the frontmatter (Hugo allows them) stay as they are
        while lines and not lines[0].strip():
            lead.append(lines.pop(0))
    nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    quoted = json.dumps(alias, ensure_ascii=False) if alias else ""  # valid in YAML and TOML
    expected = dict(text.data)
    yaml_style = text.format != "toml"
    new: list[str] = []
    if draft:
        if "draft" in text.data:
            return None
        new.append(("draft: true" if yaml_style else "draft = true") + nl)
        expected["draft"] = True
    if url:
        if any(k in text.data for k in ("url", "permalink")):
            return None
        new.append((f"url: {json.dumps(url, ensure_ascii=False)}" if yaml_style
                    else f"url = {json.dumps(url, ensure_ascii=False)}") + nl)
        expected["url"] = url
    key = next((k for k in _ALIAS_KEYS if text.data.get(k) is not None), None)
    if alias and key is None:
        if any(k in text.data for k in _ALIAS_KEYS):  # present but empty: two keys would clash
            return None
        new.append((f"aliases: [{quoted}]" if yaml_style else f"aliases = [{quoted}]") + nl)
        expected["aliases"] = [alias]
    if not text.format:
        out = "".join([f"---{nl}", *new, f"---{nl}", text.text])
    else:
        close = next((i for i in range(1, len(lines))
                      if _BOUNDARY[text.format].fullmatch(lines[i].rstrip("\r\n"))), None)
        if close is None:
            return None
        inner = lines[1:close]
        if alias and key is not None:
            old = text.data[key]
            if not isinstance(old, (str, list)):
                return None
            extended = _extend_list(inner, key, quoted, yaml_style, nl)
            if extended is None:
                return None
            inner = extended
            expected[key] = ([old] if isinstance(old, str) else list(old)) + [alias]
        inner = [*inner, *new] if yaml_style else [*new, *inner]
        out = "".join([*lead, lines[0], *inner, *lines[close:]])
    try:
        again = split(out)
    except FrontmatterError:
        return None
    return out if _same(again.data, expected) else None


def _same(got: dict[str, Any], expected: dict[str, Any]) -> bool:
    if got.keys() != expected.keys():
        return False
    for k, v in expected.items():
        if k in _ALIAS_KEYS and isinstance(v, list) and isinstance(got[k], list):
            if sorted(map(str, got[k])) != sorted(map(str, v)):
                return False
        elif got[k] != v:
            return False
    return True


def _extend_list(inner: list[str], key: str, quoted: str, yaml_style: bool,
                 nl: str) -> list[str] | None:
    """The frontmatter lines with ``quoted`` added to the list (or single value) of ``key``."""
    sep = ":" if yaml_style else "="
    pattern = re.compile(rf"{key}[ \t]*{sep}(.*?)(\r?\n)?")
    for i, line in enumerate(inner):
        if not yaml_style and line.lstrip().startswith("["):
            return None  # TOML: past the top-level keys
        m = pattern.fullmatch(line)
        if not m:
            continue
        value, end = m[1].strip(), m[2] or ""
        if value.startswith("[") and value.endswith("]"):  # a one-line list
            j = line.rindex("]")
            items = value[1:-1].strip()
            glue = "" if not items else " " if items.endswith(",") else ", "
            return [*inner[:i], line[:j] + glue + quoted + line[j:], *inner[i + 1:]]
        if value == "[":  # a list over several lines: the new item goes first
            return [*inner[:i + 1], f"  {quoted},{nl}", *inner[i + 1:]]
        if yaml_style and value and value[0] not in "[{|>&*!#":  # one value → a list of two
            return [*inner[:i], f"{key}: [{value}, {quoted}]{end}", *inner[i + 1:]]
        if yaml_style and not value:  # a block list: a new "- item" after its last one
            last, indent = None, None
            for j in range(i + 1, len(inner)):
                stripped = inner[j].strip()
                if not stripped or stripped.startswith("#"):
                    continue
                depth = len(inner[j]) - len(inner[j].lstrip(" "))
                if indent is None:
                    if not stripped.startswith("-"):
                        break
                    indent = depth
                if depth < indent or (depth == indent and not stripped.startswith("-")):
                    break
                last = j
            if last is None or indent is None:
                return None
            item = " " * indent + f"- {quoted}{nl}"
            return [*inner[:last + 1], item, *inner[last + 1:]]
        return None
    return None
