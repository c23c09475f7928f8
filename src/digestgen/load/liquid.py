"""Jekyll's Liquid and Hexo's tag plugins in Markdown bodies, rewritten as the Markdown they
stand for, so posts from those blogs build as they are.

Post bodies are never run through a template engine: ``{{ … }}`` stays text, and code stays
code. What is rewritten (every form in Hexo's tag-plugin docs, and Jekyll's own):

- block tags, on lines of their own or on one line (``{% blockquote %}인용{% endblockquote %}``)
  and nested (a ``{% codeblock %}`` in a ``{% blockquote %}``): ``blockquote``/``quote`` and
  ``pullquote`` become quotes (with the attribution), ``codeblock``/``code`` and Jekyll's
  ``highlight`` fenced code (with its caption and link), ``note`` (NexT, Butterfly) an alert;
  Jekyll's ``comment`` is dropped, as Jekyll drops it;
- ``{% raw %}`` / ``{% endraw %}`` markers are dropped (what they wrap is kept verbatim);
- one-line tags: ``post_link``/``post_path`` (and Jekyll's ``post_url``), ``asset_img``,
  ``asset_link``, ``asset_path``, ``img``/``image``, ``link``/``a``, ``url_for``,
  ``full_url_for``, ``iframe``, ``youtube``, ``vimeo``, ``jsfiddle``, ``gist`` and
  ``include_code``: links, images and embeds (an embed from a host the site does not allow is
  a link, never a frame the sanitiser would silently remove);
- ``{{ site.baseurl }}``, ``{{ site.url }}`` and ``{{ "/x" | relative_url }}`` in link targets.

Any other tag is kept visibly, as code, with a warning. Code is left alone: fenced and indented
code, the body of a code block tag and inline code spans (`` `{{ site.baseurl }}` `` stays as
written), except for the raw markers, which Jekyll strips there too. A rewrite may add lines
(a one-line quote becomes a quote block): :attr:`Expanded.lines` maps each line of the result to
the author's line, so diagnostics still point there.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from digestgen.dates import strip_date_prefix
from digestgen.markdown import POST_LINK

_TAG = re.compile(r"\{%-?\s*([\w-]+)(.*?)-?%\}")
_RAW = re.compile(r"\{%-?\s*(?:raw|endraw)\s*-?%\}")
_FENCE = re.compile(r"^(\s*(?:>\s?)*)( {0,3})(`{3,}|~{3,})")
_SITE_URL = re.compile(
    r"\{\{\s*(?:site\.url\s*\}\}\{\{\s*)?site\.(?:baseurl|url)\s*\}\}"
    r"|\{\{\s*(['\"])([^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*\}\}")

# Block tags: their content runs to the matching end tag. Code blocks hold code, verbatim.
_BLOCKS = {"highlight": "endhighlight", "codeblock": "endcodeblock", "code": "endcode",
           "blockquote": "endblockquote", "quote": "endquote", "pullquote": "endpullquote",
           "note": "endnote", "comment": "endcomment"}
_CODE_BLOCKS = frozenset({"highlight", "codeblock", "code", "comment"})
_QUOTES = frozenset({"blockquote", "quote", "pullquote"})
_ALERTS = {"info": "NOTE", "primary": "NOTE", "default": "NOTE", "secondary": "NOTE",
           "light": "NOTE", "success": "TIP", "warning": "WARNING", "warn": "WARNING",
           "danger": "CAUTION", "error": "CAUTION"}
_DEFAULT_IFRAME_HOSTS = ("www.youtube.com", "youtube.com", "www.youtube-nocookie.com",
                         "player.vimeo.com")
_LEADING_FRAMES = re.compile(r"(\s*(?:<iframe [^<>]*></iframe>\s*)+)(.*)$")
_CODE_OPTIONS = re.compile(r"(?:line_number|line_threshold|highlight|first_line|mark|wrap"
                           r"|linenos|from|to):")


@dataclass(frozen=True, slots=True)
class Expanded:
    body: str
    warnings: tuple[tuple[int, str], ...]  # (line in the body as written, 1-based; message)
    # The author's line (1-based) of each line of ``body``; empty when they are the same.
    lines: tuple[int, ...] = ()

    def source_line(self, line: int) -> int:
        """The author's line of ``body``'s 1-based ``line``."""
        if not self.lines:
            return line
        return self.lines[min(max(line, 1), len(self.lines)) - 1]


# -- lexing: the body as text, verbatim text, tags and line ends, each with its line ---------


@dataclass(slots=True)
class _Item:
    kind: str  # text | verbatim | tag | nl
    text: str
    line: int
    name: str = ""
    args: str = ""


@dataclass(slots=True)
class _Node:
    """A block tag and what it holds."""

    name: str
    args: str
    line: int
    children: list = field(default_factory=list)
    end_line: int = 0  # of its end tag (or where it was cut short)


def expand(body: str, *, stem: str, bundle: bool,
           iframe_hosts: tuple[str, ...] | frozenset[str] = _DEFAULT_IFRAME_HOSTS) -> Expanded:
    """Rewrite the tags in ``body`` (a post's Markdown). ``stem`` is the post's file name
    without extension; in a page bundle (``bundle``) its assets sit beside it, otherwise in a
    folder named like the post (Hexo's ``post_asset_folder``). An embed is a frame only from
    ``iframe_hosts``."""
    if "{%" not in body and "{{" not in body:
        return Expanded(body, ())
    warnings: list[tuple[int, str]] = []
    items = _lex(body, warnings)
    root = _tree(items, warnings)
    ctx = _Context("" if bundle else f"{stem}/", frozenset(h.lower() for h in iframe_hosts),
                   warnings)
    lines = _render(root.children, ctx)
    text = "\n".join(t for t, _ in lines)
    numbers = tuple(n for _, n in lines)
    same = len(numbers) == body.count("\n") + 1 and all(
        n == k for k, n in enumerate(numbers, 1))
    return Expanded(text, tuple(sorted(warnings)), () if same else numbers)


def _lex(body: str, warnings: list[tuple[int, str]]) -> list[_Item]:
    items: list[_Item] = []
    fence: str | None = None  # the open Markdown fence's marker
    verbatim: str | None = None  # the end tag a code block tag's content runs to
    raw: list[int] = []  # the line of an open {% raw %}, if any
    previous_blank = True
    for number, line in enumerate(body.split("\n"), 1):
        if number > 1:
            items.append(_Item("nl", "", number - 1))
        if verbatim is not None:
            rest = _verbatim_until(line, number, verbatim, items, raw)
            if rest is None:
                previous_blank = not line.strip()
                continue
            verbatim = None
            line = rest
            if not line:
                continue
        if fence is not None:
            stripped = _FENCE.match(line)
            if stripped and stripped[3][0] == fence[0] and len(stripped[3]) >= len(fence) \
                    and not line[stripped.end():].strip():
                fence = None
            items.append(_Item("verbatim", _code(line, number, raw), number))
            continue
        opened = _FENCE.match(line)
        if opened and "`" not in line[opened.end():].lstrip("`") or opened and opened[3][0] == "~":
            fence = opened[3]
            items.append(_Item("verbatim", _code(line, number, raw), number))
            continue
        if not raw and line.startswith(("    ", "\t")) and previous_blank:
            items.append(_Item("verbatim", _code(line, number, raw), number))  # indented code
            continue
        previous_blank = not line.strip()
        verbatim = _prose(line, number, items, raw)
    if raw:
        warnings.append((raw[0], "{% raw %} is never closed with {% endraw %}; the rest of the "
                                 "post is kept as written"))
    return items


def _verbatim_until(line: str, number: int, end: str, items: list[_Item],
                    raw: list[int]) -> str | None:
    """Code block content up to the ``end`` tag: the rest of the line after it, or None when
    the whole line is content."""
    m = re.search(r"\{%-?\s*" + end + r"\s*-?%\}", line) if not raw else None
    if m is None:
        items.append(_Item("verbatim", _code(line, number, raw), number))
        return None
    if m.start():
        items.append(_Item("verbatim", _code(line[: m.start()], number, raw), number))
    items.append(_Item("tag", m[0], number, end, ""))
    return line[m.end():]


def _prose(line: str, number: int, items: list[_Item], raw: list[int]) -> str | None:
    """Lex one line of prose; returns the end tag a code block opened on it runs to, if one
    did (its content is verbatim, from the rest of this line on)."""
    # The line without its raw markers, and which of its characters are kept as they are.
    text: list[str] = []
    kept: list[bool] = []
    pos = 0
    for marker in _RAW.finditer(line):
        piece = line[pos:marker.start()]
        text.append(piece)
        kept.extend([bool(raw)] * len(piece))
        if "endraw" in marker.group(0):
            raw.clear()
        elif not raw:
            raw.append(number)
        pos = marker.end()
    piece = line[pos:]
    text.append(piece)
    kept.extend([bool(raw)] * len(piece))
    joined = "".join(text)
    for start, end in _code_spans(joined):
        kept[start:end] = [True] * (end - start)
    start = 0
    while start < len(joined):
        end = start
        while end < len(joined) and kept[end] == kept[start]:
            end += 1
        part = joined[start:end]
        if kept[start]:
            items.append(_Item("verbatim", part, number))
            start = end
            continue
        pos = 0
        for m in _TAG.finditer(part):
            if m.start() > pos:
                items.append(_Item("text", part[pos:m.start()], number))
            name = m[1]
            items.append(_Item("tag", m[0], number, name, m[2]))
            pos = m.end()
            if name in _CODE_BLOCKS:
                # Its content is code: verbatim to the end tag, on this line or a later one.
                rest = _verbatim_until(joined[start + pos:], number, _BLOCKS[name], items, raw)
                return _BLOCKS[name] if rest is None else _prose(rest, number, items, raw)
        if pos < len(part):
            items.append(_Item("text", part[pos:], number))
        start = end
    return None


def _code(line: str, number: int, raw: list[int]) -> str:
    """A line of code: kept as written but for its raw markers, which still open and close
    a raw region (one may wrap a whole code block)."""
    for marker in _RAW.finditer(line):
        if "endraw" in marker.group(0):
            raw.clear()
        elif not raw:
            raw.append(number)
    return _RAW.sub("", line)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline code spans of one line are (CommonMark: a run of backticks closed by
    the next run of the same length), as (start, end) ranges including the backticks."""
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        start, end = runs[k]
        closing = next((j for j in range(k + 1, len(runs))
                        if runs[j][1] - runs[j][0] == end - start), None)
        if closing is None:
            k += 1  # an unmatched run is plain text
            continue
        spans.append((start, runs[closing][1]))
        k = closing + 1
    return spans


# -- the tree of block tags ------------------------------------------------------------------


def _tree(items: list[_Item], warnings: list[tuple[int, str]]) -> _Node:
    root = _Node("", "", 0)
    stack = [root]
    ends = {v: k for k, v in _BLOCKS.items()}
    for k, item in enumerate(items):
        if item.kind == "tag" and item.name in _BLOCKS and _closes_later(items, k):
            node = _Node(item.name, item.args, item.line)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        if item.kind == "tag" and item.name in ends \
                and any(n.name == ends[item.name] for n in stack[1:]):
            while stack[-1].name != ends[item.name]:
                inner = stack.pop()  # closed by its parent's end: unclosed
                inner.end_line = item.line
                warnings.append((inner.line, f"{{% {inner.name} %}} is never closed with "
                                             f"{{% {_BLOCKS[inner.name]} %}}"))
            node = stack.pop()
            node.end_line = item.line
            continue
        stack[-1].children.append(item)
    while len(stack) > 1:
        node = stack.pop()
        node.end_line = node.children[-1].line if node.children else node.line
        last = _last_line(items)
        warnings.append((min(node.line, last), f"{{% {node.name} %}} is never closed with "
                                               f"{{% {_BLOCKS[node.name]} %}}"))
    return root


def _closes_later(items: list[_Item], k: int) -> bool:
    """A block tag is a block only if its end tag follows; an opener alone is unknown text
    (and a code block tag always is one: its content is code to its end, or to the end)."""
    name = items[k].name
    if name in _CODE_BLOCKS:
        return True
    end = _BLOCKS[name]
    return any(i.kind == "tag" and i.name == end for i in items[k + 1:])


def _last_line(items: list[_Item]) -> int:
    return items[-1].line if items else 1


# -- rendering -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    assets: str
    hosts: frozenset[str]
    warnings: list[tuple[int, str]]
    line: int = 0  # of the tag being rendered


def _render(children: list, ctx: _Context) -> list[tuple[str, int]]:
    """Lines of Markdown with the author's line of each."""
    lines: list[tuple[str, int]] = []
    current: list[str] = []
    line = children[0].line if children else 1
    gap, gap_line = False, 0  # a block just ended (there): what follows starts a paragraph

    def flush(number: int) -> None:
        nonlocal current, line
        text = "".join(current)
        # A line that starts with an <iframe> is an HTML block to Markdown, which would keep
        # the rest of the line's Markdown as text: the frames get a block of their own.
        m = _LEADING_FRAMES.match(text)
        if m and m[2].strip():
            lines.extend([(m[1].rstrip(), line), ("", line)])
            text = m[2]
        lines.append((text, line))
        current, line = [], number

    for child in children:
        if isinstance(child, _Node):
            before = "".join(current)
            indent = before if not before.strip() else ""
            if before.strip():
                flush(child.line)  # text before the block on its line stays a paragraph
            current = []
            block = _block(child, ctx, indent)
            if block:
                if lines and lines[-1][0].strip() and not indent:
                    lines.append(("", child.line))
                lines.extend((indent + t if t else indent.rstrip(), n) for t, n in block)
                gap, gap_line = True, child.end_line
            line = child.end_line
            continue
        if child.kind == "nl":
            if gap and not "".join(current).strip():
                current, line = [], child.line + 1  # the rest of the block's last line
                continue
            flush(child.line + 1)
            continue
        if gap and (child.kind != "text" or child.text.strip()):
            lines.append(("", gap_line))  # a blank line: the block does not swallow the text
            gap = False
        if child.kind == "verbatim":
            current.append(child.text)
        elif child.kind == "text":
            current.append(_site_urls(child.text))
        else:
            current.append(_inline_tag(child, ctx))
    if current or not gap:
        flush(line)
    return lines


def _trimmed(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A block's content without the empty rest of its opening line and the empty start of
    its closing line."""
    while lines and not lines[0][0].strip():
        lines = lines[1:]
    while lines and not lines[-1][0].strip():
        lines = lines[:-1]
    return lines


def _dedent(lines: list[tuple[str, int]], indent: str) -> list[tuple[str, int]]:
    """A block's lines without the indent its tag had (in a list item, say): the block's
    lines get that indent back, once."""
    if not indent:
        return lines
    return [(t[len(indent):] if t.startswith(indent) else t.lstrip(), n) for t, n in lines]


def _block(node: _Node, ctx: _Context, indent: str = "") -> list[tuple[str, int]]:
    args = _split(node.args)
    if node.name == "comment":
        return []  # Jekyll drops a comment, and so does the page
    if node.name in _CODE_BLOCKS:
        content = _dedent(_trimmed(_render(node.children, ctx)), indent) \
            if node.children else []
        lang, caption = _code_head(node.name, args)
        longest = max((len(m) for t, _ in content for m in re.findall(r"`{3,}", t)), default=2)
        fence = "`" * max(3, longest + 1)
        out = [(caption, node.line)] if caption else []
        return [*out, (fence + lang, node.line), *content, (fence, node.end_line)]
    content = _dedent(_trimmed(_render(node.children, ctx)), indent)
    if node.name == "note":
        kind = next((_ALERTS[a] for a in args if a in _ALERTS), "NOTE")
        body = [(f"> {t}" if t.strip() else ">", n) for t, n in content]
        return [(f"> [!{kind}]", node.line), *body]
    # A quote: blockquote/quote with its attribution, or a pull quote.
    body = [(f"> {t}" if t.strip() else ">", n) for t, n in content] or [(">", node.line)]
    who = _attribution(args) if node.name != "pullquote" else ""
    if who:
        text, n = body[-1]
        body[-1] = (text + "\\" if text.strip() != ">" else text, n)
        body.append((f"> — {who}", node.end_line))
    return body


def _code_head(name: str, args: list[str]) -> tuple[str, str]:
    """A code block tag's language, and its caption line (title, link) if it has one."""
    lang = next((a.split(":", 1)[1] for a in args if a.startswith("lang:")), "")
    words = [a for a in args if not a.startswith("lang:") and not _CODE_OPTIONS.match(a)]
    if name == "highlight":
        return (lang or (args[0] if args else "")), ""
    if not lang and len(words) == 1 and re.fullmatch(r"[\w+#-]+", words[0]):
        return words[0], ""  # {% codeblock python %}: a bare word is the language
    url = next((w for w in words if re.match(r"https?://", w)), None)
    title = " ".join(words[: words.index(url)] if url else words)
    link_text = " ".join(words[words.index(url) + 1:]) if url else ""
    caption = f"**{_label(title)}**" if title else ""
    if url:
        caption = f"{caption} [{_label(link_text or 'link')}](<{url}>)".strip()
    return lang, caption


def _attribution(args: list[str]) -> str:
    # {% blockquote [author[, source]] [link] [link title] %}
    if not args:
        return ""
    link = next((a for a in args if a.startswith(("http://", "https://"))), None)
    before = args[: args.index(link)] if link else args
    after = args[args.index(link) + 1:] if link else []
    who = html.escape(" ".join(before))
    if link:
        text = _label(" ".join(after) or link)
        who = f"{who} [{text}](<{link}>)".strip()
    return who


def _site_urls(text: str) -> str:
    return _SITE_URL.sub(lambda m: m.group(2) or "", text) if "{{" in text else text


def _split(args: str) -> list[str]:
    try:
        return shlex.split(args.strip())
    except ValueError:  # an unbalanced quote: split on spaces
        return args.split()


def _inline_tag(item: _Item, ctx: _Context) -> str:
    ctx.line = item.line
    made = _tag(item.name, _split(item.args), item.args, ctx)
    if made is None:
        ends = {v: k for k, v in _BLOCKS.items()}
        what = (f"{{% {item.name} %}} without {{% {ends[item.name]} %}} kept as text"
                if item.name in ends else f"unknown tag {{% {item.name} %}} kept as text")
        ctx.warnings.append((item.line, what))
        return "`" + item.text.replace("`", "'") + "`"
    return made


def _tag(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    """One line tag as Markdown; None when it is unknown (or lacks what it needs)."""
    rule = _LINE_TAGS.get(tag)
    return rule(tag, args, raw, ctx) if rule is not None else None


def _post_link(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    target = args[0].removesuffix(".md").removesuffix(".markdown")
    if tag == "post_url":  # Jekyll: the post's URL, inside a Markdown link's target
        return f"{POST_LINK}{target}"
    words = args[1:]
    if words and words[-1] in ("true", "false"):
        words = words[:-1]  # the escape option
    # Without a title Hexo shows the target's; the best we know here is its name.
    title = " ".join(words).strip() or strip_date_prefix(target).replace("-", " ")
    return f"[{_label(title)}](<{POST_LINK}{target}>)"


def _post_path(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    return f"{POST_LINK}{args[0].removesuffix('.md')}" if args else None


def _asset_link(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    words = args[1:]
    if words and words[-1] in ("true", "false"):
        words = words[:-1]
    return f"[{_label(' '.join(words) or args[0])}](<{ctx.assets}{args[0]}>)"


def _asset_path(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    return ctx.assets + args[0] if args else None


def _url_for(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if len(args) < 2:
        return None
    path = args[1] if re.match(r"(https?:)?/", args[1]) else "/" + args[1]
    return f"[{_label(args[0])}](<{path}>)"


def _youtube(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    video = re.sub(r"[^\w-]", "", args[0])
    host = "www.youtube-nocookie.com" if "false" in args[1:] else "www.youtube.com"
    src = (f"https://{host}/embed/videoseries?list={video}" if "playlist" in args[1:]
           else f"https://{host}/embed/{video}")
    return _frame(src, "YouTube", ctx, f"https://www.youtube.com/watch?v={video}")


def _vimeo(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    video = re.sub(r"\D", "", args[0])
    return _frame(f"https://player.vimeo.com/video/{video}", "Vimeo", ctx,
                  f"https://vimeo.com/{video}")


def _iframe(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    return _frame(args[0], urlsplit(args[0]).hostname or args[0], ctx, args[0])


def _jsfiddle(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    fiddle = args[0].strip("/")
    return _frame(f"https://jsfiddle.net/{fiddle}/embedded/", "jsFiddle", ctx,
                  f"https://jsfiddle.net/{fiddle}/")


def _gist(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    if not args:
        return None
    gist = re.sub(r"[^\w/-]", "", args[0])
    name = f" ({args[1]})" if len(args) > 1 else ""
    return f"[Gist {_label(gist)}{_label(name)}](<https://gist.github.com/{gist}>)"


def _include_code(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    path = next((a for a in reversed(args) if ":" not in a), None)
    if path is None:
        return None
    words = [a for a in args if ":" not in a and a != path]
    ctx.warnings.append((ctx.line, f"{{% {tag} %}}: the file's text is not embedded; the "
                                   f"page links to /downloads/code/{path} instead"))
    title = " ".join(words) or path
    return f"[{_label(title)}](</downloads/code/{path}>)"


def _image(tag: str, args: list[str], raw: str, ctx: _Context) -> str | None:
    # {% img [class names] /path [width] [height] ["title text" ["alt text"]] %} and
    # {% asset_img [class names] slug [width] [height] [title text [alt text]] %}
    if not args:
        return None
    words = list(args)
    classes: list[str] = []
    # Leading CSS class names come before the path (the first word with a dot or slash).
    while len(words) > 1 and "." not in words[0] and "/" not in words[0] \
            and not re.fullmatch(r"\d+(px|%)?", words[0]):
        classes.append(words.pop(0))
    path, rest = words[0], words[1:]
    sizes: list[str] = []
    while rest and re.fullmatch(r"\d+(px|%)?", rest[0]) and len(sizes) < 2:
        sizes.append(rest.pop(0).removesuffix("px"))
    if tag.startswith("asset_"):
        path = ctx.assets + path
    if len(rest) == 1 and (m := re.fullmatch(r'\s*"([^"]*)"\s*(?:"([^"]*)")?\s*', rest[0])):
        title, alt = m[1], m[2] or ""  # '"title text" "alt text"'
    elif len(rest) == 1 and (m := re.fullmatch(r"(.*?)\s*'([^']*)'\s*", rest[0])):
        title, alt = m[1], m[2]  # "lorem ipsum'dolor'": title, then alt in single quotes
    elif '"' in raw or "'" in raw:  # "title text" "alt text", each quoted
        title, alt = (rest + ["", ""])[:2]
    else:
        title, alt = " ".join(rest), ""
    alt = alt or title
    quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
    attrs = " ".join([*(f".{c}" for c in classes if re.fullmatch(r"[\w-]+", c)),
                      *(f'{k}="{v}"' for k, v in zip(("width", "height"), sizes, strict=False))])
    return f"![{_label(alt)}](<{path}>{quoted})" + (f"{{: {attrs} }}" if attrs else "")


def _link(args: list[str]) -> str | None:
    # Hexo: {% link text url [external] [title] %}; Jekyll: {% link _posts/2024-01-01-a.md %}
    urls = [a for a in args if re.match(r"(https?:)?/|mailto:", a)]
    if not urls:
        if len(args) == 1 and args[0].startswith("_posts/"):
            name = args[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
            return f"{POST_LINK}{name}"
        return None
    k = args.index(urls[0])
    text = " ".join(args[:k]) or urls[0]
    after = args[k + 1:]
    if after and after[0] in ("true", "false"):
        after = after[1:]
    title = " ".join(after)
    quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
    return f"[{_label(text)}](<{urls[0]}>{quoted})"


def _frame(src: str, title: str, ctx: _Context, page: str) -> str:
    """An embed from an allowed host; from any other, a link to it (a frame the sanitiser
    would remove would leave nothing)."""
    parts = urlsplit(src)
    if parts.scheme == "https" and (parts.hostname or "").lower() in ctx.hosts:
        return (f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" '
                f'allowfullscreen loading="lazy"></iframe>')
    return f"[{_label(title)}](<{page}>)"


def _label(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


# The tags that stand on one line, each a rule of its own (as markdown-it's rules are).
_LINE_TAGS = {
    "post_link": _post_link, "post_url": _post_link, "post_path": _post_path,
    "asset_img": _image, "asset_image": _image, "img": _image, "image": _image,
    "asset_link": _asset_link, "asset_path": _asset_path,
    "link": lambda tag, args, raw, ctx: _link(args), "a": lambda tag, args, raw, ctx: _link(args),
    "url_for": _url_for, "full_url_for": _url_for,
    "youtube": _youtube, "vimeo": _vimeo, "iframe": _iframe, "jsfiddle": _jsfiddle,
    "gist": _gist, "include_code": _include_code, "include-code": _include_code,
}
