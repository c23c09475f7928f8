"""Jekyll's Liquid and Hexo's tag plugins in Markdown bodies, rewritten as the Markdown they
stand for, so posts from those blogs build as they are.

Post bodies are never run through a template engine: ``{{ … }}`` stays text, and code stays
code. What is rewritten:

- ``{% raw %}`` / ``{% endraw %}`` markers are dropped (Jekyll drops them; they only protect
  the ``{{ … }}`` they wrap, which we never evaluate anyway);
- ``{% highlight lang %}`` (Jekyll) and ``{% codeblock … %}`` / ``{% code %}`` (Hexo) blocks
  become fenced code; ``{% blockquote %}`` / ``{% pullquote %}`` quotes; ``{% note %}``
  (Hexo NexT) an alert;
- ``{% post_link %}``, ``{% asset_img %}``, ``{% asset_link %}``, ``{% asset_path %}``,
  ``{% img %}``, ``{% link %}``, ``{% youtube %}``, ``{% iframe %}``: links, images, embeds;
- ``{{ site.baseurl }}``, ``{{ site.url }}`` and ``{{ "/x" | relative_url }}`` in link targets.

Any other tag is kept visibly, as code, with a warning. Every rewrite keeps the line count, so
diagnostics still point at the author's lines. Code is left alone: fenced and indented code,
the body of a code block tag and inline code spans (`` `{{ site.baseurl }}` `` stays as
written), except for the raw markers, which Jekyll strips there too. Text between
``{% raw %}`` and ``{% endraw %}`` is kept verbatim wherever it is, over several lines too.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass

from digestgen.dates import strip_date_prefix
from digestgen.markdown import POST_LINK

_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}")
_RAW = re.compile(r"\{%-?\s*(?:raw|endraw)\s*-?%\}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SITE_URL = re.compile(
    r"\{\{\s*(?:site\.url\s*\}\}\{\{\s*)?site\.(?:baseurl|url)\s*\}\}"
    r"|\{\{\s*(['\"])([^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*\}\}")

_BLOCKS = {"highlight": "endhighlight", "codeblock": "endcodeblock", "code": "endcode",
           "blockquote": "endblockquote", "pullquote": "endpullquote", "note": "endnote"}
_ALERTS = {"info": "NOTE", "primary": "NOTE", "default": "NOTE", "success": "TIP",
           "warning": "WARNING", "danger": "CAUTION"}
_INLINE = {"post_link", "asset_img", "asset_link", "asset_path", "img", "image", "link",
           "youtube", "iframe", "post_path"}


@dataclass(frozen=True, slots=True)
class Expanded:
    body: str
    warnings: tuple[tuple[int, str], ...]  # (line in the body, 1-based; message)


def expand(body: str, *, stem: str, bundle: bool) -> Expanded:
    """Rewrite the tags in ``body`` (a post's Markdown). ``stem`` is the post's file name
    without extension; in a page bundle (``bundle``) its assets sit beside it, otherwise in a
    folder named like the post (Hexo's ``post_asset_folder``)."""
    if "{%" not in body and "{{" not in body:
        return Expanded(body, ())
    assets = "" if bundle else f"{stem}/"
    lines = body.split("\n")
    out: list[str] = []
    warnings: list[tuple[int, str]] = []
    fence: str | None = None  # the open fence's marker, inside fenced code
    block: tuple[str, str, list[str]] | None = None  # (tag, closing tag, arguments)
    raw: list[int] = []  # the line of an open {% raw %} in prose, if any
    for number, line in enumerate(lines, 1):
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            out.append(_code(line, number, raw))
            continue
        opened = _FENCE.match(line)
        if opened and block is None:
            fence = opened.group(1)
            out.append(_code(line, number, raw))
            continue
        if block is not None:
            tag, closing, args = block
            end = re.fullmatch(r"\s*\{%-?\s*" + closing + r"\s*-?%\}\s*", line)
            if end:
                closing_line = _close(tag, args)
                if closing_line.startswith("> —") and out and out[-1].startswith("> ") \
                        and out[-1].strip() != ">":
                    out[-1] += "\\"  # a hard break: the attribution on its own line
                out.append(closing_line)
                block = None
                continue
            if tag in ("highlight", "codeblock", "code"):
                out.append(_code(line, number, raw))  # code inside a code block tag is code
            else:
                out.append("> " + _inline(line, number, assets, warnings, raw))
            continue
        whole = None if raw else re.fullmatch(r"\s*\{%-?\s*(\w+)(.*?)-?%\}\s*", line)
        if whole and whole.group(1) in _BLOCKS:
            tag, args = whole.group(1), _split(whole.group(2))
            block = (tag, _BLOCKS[tag], args)
            out.append(_open(tag, args))
            continue
        if not raw and line.startswith(("    ", "\t")) and (not out or not out[-1].strip()):
            out.append(_code(line, number, raw))  # indented code
            continue
        out.append(_inline(line, number, assets, warnings, raw))
    if raw:
        warnings.append((raw[0], "{% raw %} is never closed with {% endraw %}; the rest of the "
                                 "post is kept as written"))
    if block is not None:
        warnings.append((len(lines), f"{{% {block[0]} %}} is never closed with "
                                      f"{{% {block[1]} %}}"))
        out.append(_close(block[0], block[2]))
    return Expanded("\n".join(out), tuple(warnings))


def _split(args: str) -> list[str]:
    try:
        return shlex.split(args.strip())
    except ValueError:  # an unbalanced quote: split on spaces
        return args.split()


def _open(tag: str, args: list[str]) -> str:
    if tag in ("highlight", "codeblock", "code"):
        lang = next((a.split(":", 1)[1] for a in args if a.startswith("lang:")), "")
        if not lang and tag == "highlight" and args:
            lang = args[0]
        if not lang and tag != "highlight" and len(args) == 1 and re.fullmatch(r"[\w+#-]+",
                                                                                 args[0]):
            lang = args[0]  # {% codeblock python %}: a bare word is the language
        return f"```{lang}"
    if tag == "note":
        kind = _ALERTS.get(args[0] if args else "default", "NOTE")
        return f"> [!{kind}]"
    return ">"


def _close(tag: str, args: list[str]) -> str:
    if tag in ("highlight", "codeblock", "code"):
        return "```"
    if tag == "blockquote" and args:
        # {% blockquote [author[, source]] [link] [link title] %}: the attribution, after a dash.
        link = next((a for a in args if a.startswith(("http://", "https://"))), None)
        before = args[: args.index(link)] if link else args
        after = args[args.index(link) + 1:] if link else []
        who = html.escape(" ".join(before))
        if link:
            text = _label(" ".join(after) or link)
            who = f"{who} [{text}](<{link}>)".strip()
        return f"> — {who}" if who else ""
    return ""


def _code(line: str, number: int, raw: list[int]) -> str:
    """A line of code: kept as written but for its raw markers, which still open and close
    a raw region (one may wrap a whole code block)."""
    for marker in _RAW.finditer(line):
        if "endraw" in marker.group(0):
            raw.clear()
        elif not raw:
            raw.append(number)
    return _RAW.sub("", line)


def _inline(line: str, number: int, assets: str, warnings: list, raw: list[int]) -> str:
    """One line of prose: the raw markers dropped, and the tags and site URLs rewritten, except
    in what must stay as written: a ``{% raw %}`` region (``raw`` holds the line it opened on
    while one is open, across lines) and inline code spans."""
    if "{%" not in line and "{{" not in line:
        return line
    # The line without its raw markers, and which of its characters are to be kept as they are.
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
    out: list[str] = []
    start = 0
    while start < len(joined):
        end = start
        while end < len(joined) and kept[end] == kept[start]:
            end += 1
        part = joined[start:end]
        out.append(part if kept[start] else _rewrite(part, number, assets, warnings))
        start = end
    return "".join(out)


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


def _rewrite(text: str, number: int, assets: str, warnings: list) -> str:
    if "{{" in text:
        text = _SITE_URL.sub(lambda m: m.group(2) or "", text)
    if "{%" not in text:
        return text

    def replace(m: re.Match) -> str:
        tag, args = m.group(1), _split(m.group(2))
        made = _tag(tag, args, m.group(2), assets) if tag in _INLINE else None
        if made is None:
            warnings.append((number, f"unknown tag {{% {tag} %}} kept as text"))
            return "`" + m.group(0).replace("`", "'") + "`"
        return made

    return _TAG.sub(replace, text)


def _tag(tag: str, args: list[str], raw: str, assets: str) -> str | None:
    if not args:
        return None
    if tag in ("post_link", "post_path"):
        target = args[0].removesuffix(".md")
        if tag == "post_path":
            return f"{target}.md"
        # Without a title Hexo shows the target's; the best we know here is its name.
        title = " ".join(args[1:]).strip() or strip_date_prefix(target).replace("-", " ")
        return f"[{_label(title)}](<{POST_LINK}{target}>)"
    if tag in ("asset_img", "img", "image"):
        words = [a for a in args if not re.fullmatch(r"\d+(px|%)?", a)]
        # Leading CSS class names come before the path (the first word with a dot or slash).
        while len(words) > 1 and "." not in words[0] and "/" not in words[0]:
            words = words[1:]
        path, rest = words[0], words[1:]
        if tag == "asset_img":
            path = assets + path
        if '"' in raw or "'" in raw:  # "title text" "alt text", each quoted
            title, alt = (rest + ["", ""])[:2]
        else:
            title, alt = " ".join(rest), ""
        alt = alt or title
        quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
        return f"![{_label(alt)}](<{path}>{quoted})"
    if tag == "asset_link":
        title = " ".join(args[1:]) or args[0]
        return f"[{_label(title)}](<{assets}{args[0]}>)"
    if tag == "asset_path":
        return assets + args[0]
    if tag == "link":
        urls = [a for a in args if re.match(r"(https?:)?/", a)]
        if not urls:
            return None
        text = " ".join(args[: args.index(urls[0])]) or urls[0]
        return f"[{_label(text)}](<{urls[0]}>)"
    if tag == "youtube":
        video = re.sub(r"[^\w-]", "", args[0])
        return (f'<iframe src="https://www.youtube.com/embed/{video}" title="YouTube" '
                f'allowfullscreen loading="lazy"></iframe>')
    if tag == "iframe":
        return f'<iframe src="{html.escape(args[0])}" loading="lazy"></iframe>'
    return None


def _label(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")
