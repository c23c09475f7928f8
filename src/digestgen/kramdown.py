"""Kramdown's attribute lists (Jekyll's Markdown), applied to the tokens they follow.

``![a](/x.png){: width="700" }`` and ``[a](https://x){:target="_blank"}`` right after an image
or a link; ``{: .prompt-tip }`` on the line after a paragraph or a quote (Chirpy's callouts),
after a code block (``{: file="a.sh" }``), a heading (``{: data-toc-skip='' }``) or a list;
``## Title {#custom-id}`` on a heading's line. What is safe and meaningful here is applied:
classes, ids, image sizes (Chirpy's ``w``/``h`` too), titles, a link's ``target`` and
``data-*`` attributes; anything else is dropped with a note naming it. An attribute list is
never shown as text.
"""

from __future__ import annotations

import re
import shlex

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The whole of one attribute list: "{:" … "}" (kramdown also allows "{::" extensions, which
# are not attribute lists and are left alone).
_IAL = r"\{:(?!:)([^{}\n]*)\}"
_IAL_RE = re.compile(_IAL)
_TRAILING_IAL_RE = re.compile(r"[ \t]*" + _IAL + r"[ \t]*$")
_LEADING_IAL_RE = re.compile(r"^" + _IAL)
_HEADER_ID_RE = re.compile(r"[ \t]+\{#([\w-]+)\}[ \t]*$")
_NAME_RE = re.compile(r"[A-Za-z_][\w-]*$")
_SIZE_RE = re.compile(r"\d{1,5}(?:px|%)?$")
_SIZES = {"width": "width", "height": "height", "w": "width", "h": "height"}
# Blocks an attribute list on the next line may belong to, by their closing token.
_BLOCK_CLOSERS = {"paragraph_close", "heading_close", "blockquote_close", "bullet_list_close",
                  "ordered_list_close", "table_close"}


def apply_attribute_lists(state: StateCore) -> None:
    """A markdown-it core rule: find every attribute list, apply it, remove its text. Notes
    on what was dropped go to ``state.env["notes"]`` as (0-based line in the text, message)."""
    notes: list[tuple[int, str]] = state.env.setdefault("notes", [])
    tokens = state.tokens
    _table_lists(tokens, notes)
    remove: list[int] = []
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or "{" not in token.content:
            continue
        line = token.map[0] if token.map else 0
        _inline_lists(token, line, notes)
        opener = tokens[i - 1] if i else None
        if opener is not None and opener.type == "heading_open":
            _header_id(token, opener)
            continue
        if opener is None or opener.type != "paragraph_open":
            continue
        only = _LEADING_IAL_RE.fullmatch(token.content.strip())
        if only:  # a paragraph of its own: the list is for the block right before it, or
            # (kramdown) for the one right after it when nothing is right before
            where = (token.map[0] if token.map else line)
            target = _previous_block(tokens, i - 1)
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            before_end = _end_line(tokens, i - 1)
            if (target is None or before_end != where) and after is not None \
                    and after.map and after.map[0] == where + 1 and after.nesting >= 0:
                target = after
            if target is None:
                notes.append((where, f"attribute list {only[0]} follows no block; dropped"))
            else:
                _apply(target, only[1], where, notes)
            remove.extend((i - 1, i, i + 1))
            continue
        last = token.children[-1]
        trailing = _TRAILING_IAL_RE.search(last.content) if last.type == "text" else None
        if trailing is not None and "\\" + trailing[0].strip() in token.content:
            trailing = None  # escaped: the author shows the syntax
        if trailing is None or "\n" not in token.content or \
                not token.content.rstrip().endswith(trailing[0].strip()):
            continue
        # The paragraph's last line: Chirpy's "> quote" + "{: .prompt-tip }", a lazy line of
        # the quote's paragraph to markdown-it but the quote's attribute list to kramdown.
        before = last.content[: trailing.start()]
        last.content = before
        while token.children and token.children[-1].type == "text" \
                and not token.children[-1].content:
            token.children.pop()
        if token.children and token.children[-1].type in ("softbreak", "hardbreak"):
            token.children.pop()
        token.content = token.content[: token.content.rstrip().rfind("{:")].rstrip()
        where = (token.map[1] - 1) if token.map else line
        quote = _enclosing_quote(tokens, i)
        _apply(quote if quote is not None else opener, trailing[1], where, notes)
    for k in sorted(set(remove), reverse=True):
        del tokens[k]
    for token in tokens:  # a list that applies to nothing here is still never shown
        if token.type == "html_block" and "{:" in token.content:
            _html_lists(token, notes)
        if token.type == "inline" and "{:" in token.content:
            for child in token.children or ():
                if child.type == "text" and _IAL_RE.search(child.content):
                    child.content = _IAL_RE.sub(
                        lambda m, t=token: _leftover(m, t, notes), child.content)


_IAL_LINE_RE = re.compile(r"^[ \t]*" + _IAL + r"[ \t]*\n?", re.MULTILINE)


def _leftover(m: re.Match, token: Token, notes: list[tuple[int, str]]) -> str:
    """A list that applies to nothing: dropped with a note, unless the author escaped it
    (``\\{:target="_blank"}`` shows the syntax itself, in kramdown as here)."""
    if "\\" + m[0] in token.content:
        return m[0]
    notes.append((token.map[0] if token.map else 0,
                  f"attribute list {m[0]} applies to nothing here; dropped"))
    return ""


def _html_lists(token: Token, notes: list[tuple[int, str]]) -> None:
    """A list on a line of its own inside raw HTML (``<details markdown="block">``, which
    kramdown reads as Markdown): it cannot be applied to HTML written as text; dropped."""
    first = token.map[0] if token.map else 0

    def drop(m: re.Match) -> str:
        line = first + token.content.count("\n", 0, m.start())
        notes.append((line, f"attribute list {m[0].strip()} inside raw HTML cannot be applied; "
                            f"dropped"))
        return ""

    token.content = _IAL_LINE_RE.sub(drop, token.content)


def _table_lists(tokens: list[Token], notes: list[tuple[int, str]]) -> None:
    """A table's attribute list on the line after it, which GFM reads as one more row."""
    k = 0
    while k < len(tokens):
        if tokens[k].type != "tbody_close":
            k += 1
            continue
        end = k - 1  # the last row's tr_close
        start = end
        while start >= 0 and tokens[start].type != "tr_open":
            start -= 1
        cells = [t for t in tokens[start:end] if t.type == "inline"]
        m = _LEADING_IAL_RE.fullmatch(cells[0].content.strip()) if cells else None
        if m is None or any(c.content.strip() for c in cells[1:]):
            k += 1
            continue
        table = next((t for t in reversed(tokens[:start]) if t.type == "table_open"), None)
        if table is not None:
            _apply(table, m[1], cells[0].map[0] if cells[0].map else 0, notes)
        del tokens[start:end + 1]
        k = start
        # An empty tbody is left: harmless, and GFM writes one for a table with no rows.


def _inline_lists(token: Token, line: int, notes: list[tuple[int, str]]) -> None:
    """Attribute lists right after an image or a link, in one inline."""
    children = token.children or []
    for k, child in enumerate(children):
        if child.type != "text" or "{:" not in child.content or k == 0:
            continue
        before = children[k - 1]
        # A span's list: an image's, a code span's (Chirpy: `/etc/x`{: .filepath}), a link's
        # or an emphasis's (on its opening tag).
        target = before if before.type in ("image", "code_inline") else \
            _opener(children, k - 1) if before.type.endswith("_close") else None
        m = _LEADING_IAL_RE.match(child.content)
        if target is None or m is None or "\\" + m[0] in token.content:
            continue
        _apply(target, m[1], line, notes)
        child.content = child.content[m.end():]


def _opener(children: list[Token], close: int) -> Token | None:
    kind = children[close].type
    depth = 0
    for k in range(close, -1, -1):
        if children[k].type == kind:
            depth += 1
        elif children[k].type == kind.replace("_close", "_open"):
            depth -= 1
            if depth == 0:
                return children[k]
    return None


def _header_id(inline: Token, heading: Token) -> None:
    """``## Title {#custom-id}``: the heading's id, as kramdown gives it."""
    last = inline.children[-1] if inline.children else None
    if last is None or last.type != "text":
        return
    m = _HEADER_ID_RE.search(last.content) or _TRAILING_IAL_RE.search(last.content)
    if m is None:
        return
    last.content = last.content[: m.start()]
    inline.content = inline.content[: inline.content.rfind("{")].rstrip()
    if m.re is _HEADER_ID_RE:
        heading.attrSet("id", m[1])
    else:
        _apply(heading, m[1], inline.map[0] if inline.map else 0, [])


def _end_line(tokens: list[Token], opener: int) -> int | None:
    """The line after the block that ends right before ``tokens[opener]`` (0-based)."""
    block = _previous_block(tokens, opener)
    return block.map[1] if block is not None and block.map else None


def _previous_block(tokens: list[Token], opener: int) -> Token | None:
    """The opening token of the block that ends right before ``tokens[opener]``."""
    if opener == 0:
        return None
    before = tokens[opener - 1]
    if before.type in ("fence", "code_block", "html_block", "hr"):
        return before
    if before.type not in _BLOCK_CLOSERS:
        return None
    open_type = before.type.replace("_close", "_open")
    depth = 0
    for k in range(opener - 1, -1, -1):
        if tokens[k].type == before.type:
            depth += 1
        elif tokens[k].type == open_type:
            depth -= 1
            if depth == 0:
                return tokens[k]
    return None


def _enclosing_quote(tokens: list[Token], inline: int) -> Token | None:
    """The quote or list that ``tokens[inline]``'s paragraph ends (its last line is the
    container's attribute list, to kramdown), if any."""
    close = inline + 2  # inline, paragraph_close, then the containers' closes
    while close < len(tokens) and tokens[close].type == "list_item_close":
        close += 1
    if close >= len(tokens) or tokens[close].type not in (
            "blockquote_close", "bullet_list_close", "ordered_list_close"):
        return None
    kind, depth = tokens[close].type, 0
    for k in range(close, -1, -1):
        if tokens[k].type == kind:
            depth += 1
        elif tokens[k].type == kind.replace("_close", "_open"):
            depth -= 1
            if depth == 0:
                return tokens[k]
    return None


def _apply(token: Token, text: str, line: int, notes: list[tuple[int, str]]) -> None:
    """Set the attributes of one list (``.cls #id key="v" key='v' key=v``) on ``token``."""
    try:
        words = shlex.split(text.replace("\\", "\\\\"), posix=True)
    except ValueError:
        notes.append((line, f"attribute list {{:{text}}} cannot be read; dropped"))
        return
    dropped: list[str] = []
    image = token.type == "image"
    for word in words:
        if word.startswith("."):
            name = word[1:]
            if _NAME_RE.match(name):
                token.attrJoin("class", name)
            else:
                dropped.append(word)
            continue
        if word.startswith("#"):
            if _NAME_RE.match(word[1:]):
                token.attrSet("id", word[1:])
            else:
                dropped.append(word)
            continue
        key, eq, value = word.partition("=")
        key = key.lower()
        if not eq and key.startswith("data-") and _NAME_RE.match(key):
            token.attrSet(key, "")
        elif key in _SIZES and image and _SIZE_RE.match(value):
            token.attrSet(_SIZES[key], value.removesuffix("px"))
        elif key == "title" and eq:
            token.attrSet("title", value)
        elif key == "target" and token.type == "link_open" and _NAME_RE.match(value):
            token.attrSet("target", value)  # "_blank", or a window's name ("blank")
            if value not in ("_self", "_parent", "_top"):
                token.attrSet("rel", "noopener noreferrer")
        elif key == "file" and eq and token.type in ("fence", "code_block"):
            token.attrSet("data-file", value)  # Chirpy: the file a code block shows
        elif key.startswith("data-") and _NAME_RE.match(key):
            token.attrSet(key, value)
        elif key == "lang" and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
            token.attrSet("lang", value)
        else:
            dropped.append(word)
    if dropped:
        notes.append((line, f"attribute list {{:{text}}}: {' '.join(dropped)} dropped "
                            f"(digestgen applies classes, ids, width/height, title, target, "
                            f"file and data-* attributes)"))
