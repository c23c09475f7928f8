"""Links to site files: the site-absolute paths a post links to (``/assets/a.png``), so that
the importer can copy those files into the static folder and the links keep working.
"""

from __future__ import annotations

import re

_LIQUID_BASE = r"(?:\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}\s*)*"
_LINK_RE = re.compile(
    r"(?:\]\(\s*<?|\b(?:src|href|poster|data-src)\s*=\s*[\"']?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)"
    + _LIQUID_BASE + r"(/(?!/)[^\s)\"'<>]*)",
    re.MULTILINE,
)
_FILTER_RE = re.compile(r"\{\{-?\s*[\"'](/[^\"'\s]+)[\"']\s*\|\s*(?:relative_url|absolute_url)")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")


def _prose(text: str) -> list[str]:
    """The lines of ``text`` outside fenced code, without their code spans. A line that
    starts with backticks and has more further on is a code span, not a fence (CommonMark)."""
    prose: list[str] = []
    fence = ""
    for line in text.splitlines():
        m = _FENCE_RE.match(line)
        if m and m[1][0] == "`" and "`" in line[m.end():]:
            m = None
        if fence:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line[m.end():].strip():
                fence = ""
            continue
        if m:
            fence = m[1]
            continue
        prose.append(re.sub(r"`+[^`]*`+", "", line))
    return prose


def site_links(text: str) -> list[str]:
    """Site-absolute paths a Markdown text links to (``/assets/a.png``, also written after
    ``{{ site.baseurl }}`` or through ``relative_url``), outside code blocks and code spans."""
    prose = _prose(text)
    body = "\n".join(prose)
    # A Windows path (\\assets\\a.png) is a site path to browsers, which read "\\" as "/".
    body = re.sub(r"(?<=\]\()\s*\\(?!\\)[^\s)]*", lambda m: m[0].replace("\\", "/"), body)
    return [m[1] for m in _LINK_RE.finditer(body)] + [m[1] for m in _FILTER_RE.finditer(body)]


_RELATIVE_RE = re.compile(
    r"(?:\]\(\s*<?|\b(?:src|href|poster)\s*=\s*[\"']?)(?!/|[a-zA-Z][\w+.-]*:|#)"
    r"([^\s)\"'<>]+)")


def relative_links(text: str) -> list[str]:
    """The relative paths a Markdown text links to (``img/a.png``, ``./b.pdf``), outside code,
    without their ``#anchor`` or ``?query``."""
    prose = _prose(text)
    return [re.split(r"[#?]", m[1], maxsplit=1)[0] for m in _RELATIVE_RE.finditer("\n".join(prose))]
