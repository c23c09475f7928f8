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
diagnostics still point at the author's lines. Fenced and indented code is left alone (except
for the raw markers, which Jekyll strips there too).
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass

from digestgen.dates import strip_date_prefix

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
    for number, line in enumerate(lines, 1):
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            out.append(_RAW.sub("", line))
            continue
        opened = _FENCE.match(line)
        if opened and block is None:
            fence = opened.group(1)
            out.append(_RAW.sub("", line))
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
                out.append(line)  # code inside a code block tag is code
            else:
                out.append("> " + _inline(line, number, assets, warnings))
            continue
        whole = re.fullmatch(r"\s*\{%-?\s*(\w+)(.*?)-?%\}\s*", line)
        if whole and whole.group(1) in _BLOCKS:
            tag, args = whole.group(1), _split(whole.group(2))
            block = (tag, _BLOCKS[tag], args)
            out.append(_open(tag, args))
            continue
        if line.startswith(("    ", "\t")) and (not out or not out[-1].strip()):
            out.append(line)  # indented code
            continue
        out.append(_inline(line, number, assets, warnings))
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


def _inline(line: str, number: int, assets: str, warnings: list) -> str:
    line = _RAW.sub("", line)
    if "{{" in line:
        line = _SITE_URL.sub(lambda m: m.group(2) or "", line)
    if "{%" not in line:
        return line

    def replace(m: re.Match) -> str:
        tag, args = m.group(1), _split(m.group(2))
        made = _tag(tag, args, m.group(2), assets) if tag in _INLINE else None
        if made is None:
            warnings.append((number, f"unknown tag {{% {tag} %}} kept as text"))
            return "`" + m.group(0).replace("`", "'") + "`"
        return made

    return _TAG.sub(replace, line)


def _tag(tag: str, args: list[str], raw: str, assets: str) -> str | None:
    if not args:
        return None
    if tag in ("post_link", "post_path"):
        target = args[0].removesuffix(".md")
        if tag == "post_path":
            return f"{target}.md"
        # Without a title Hexo shows the target's; the best we know here is its name.
        title = " ".join(args[1:]).strip() or strip_date_prefix(target).replace("-", " ")
        return f"[[{target}|{title}]]"
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
