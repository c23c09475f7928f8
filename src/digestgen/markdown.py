"""Markdown → HTML, a table of contents, and the references that the site graph resolves.

One :class:`MarkdownRenderer` per build (markdown-it-py parser, Pygments lexers and the HTML
sanitiser are built once). Rendering is pure: internal links and images are emitted as
``dgref:N`` placeholders and returned as :class:`~digestgen.model.Ref` values, because their
final URLs depend on the whole site (see :mod:`digestgen.graph`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.gfm import gfm_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from digestgen import i18n
from digestgen.config import MarkdownConfig
from digestgen.kramdown import apply_attribute_lists
from digestgen.model import Heading, Ref

PLACEHOLDER = "dgref:"
PLACEHOLDER_RE = re.compile(r"dgref:(\d+)")
# A link to a post by its name, whatever the section's wiki-link setting (Hexo's post_link).
POST_LINK = "dgpost:"
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_DOC_EXTENSIONS = (".md", ".markdown", ".txt")
_ANCHOR_DROP_RE = re.compile(r"[^\w\- ]")


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    headings: tuple[Heading, ...]
    refs: tuple[Ref, ...]
    # Plain text of the prose (for summaries, reading time and search).
    text: str
    # The first H1, when the caller asked for it to be taken out as the title.
    title: str | None
    # Plain text of the first paragraph (a summary when the author gave none).
    first_paragraph: str
    has_raw_html: bool
    # (line in the file, message) of what the author wrote that was dropped, or kept as
    # written because it could not be rendered (math the converter does not understand).
    warnings: tuple[tuple[int, str], ...] = ()


def heading_id(text: str) -> str:
    """GitHub-compatible anchor: ``"## 모델 허브"`` → ``모델-허브`` (Hangul kept)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _ANCHOR_DROP_RE.sub("", text)
    return text.replace(" ", "-") or "section"


class MarkdownRenderer:
    """Renders Markdown documents with the site's settings; build one and reuse it.

    ``words`` are the site's words (:func:`digestgen.i18n.words`), for the titles of alerts
    (``> [!NOTE]`` is "참고" on a Korean site); English when not given.
    """

    def __init__(self, config: MarkdownConfig, words: Mapping[str, str] | None = None):
        self.config = config
        table = words or i18n.EN
        self._alert_titles = {kind: table.get(f"alert_{kind.lower()}", kind.title())
                              for kind in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")}
        self._diagram = html.escape(table.get("diagram", "Diagram"), quote=True)
        md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
        md.use(gfm_plugin, dollarmath=False)
        if config.math:
            # Pandoc's rules: no space inside the dollars and no digit after the closing one,
            # so "$5 에서 $10" stays prices. $$…$$ may sit inside a paragraph (Hexo, Jekyll).
            md.use(dollarmath_plugin, allow_blank_lines=False, allow_space=False,
                   allow_digits=False, double_inline=True)
            for rule in ("math_inline", "math_inline_double", "math_block", "math_block_label"):
                md.add_render_rule(rule, _render_math)
        md.inline.ruler.before("link", "wikilink", _wikilink_rule)
        md.core.ruler.push("nfc_prose", _nfc_prose)
        md.core.ruler.push("kramdown_attributes", apply_attribute_lists)

        def render_fence(renderer, tokens, idx, options, env) -> str:
            token = tokens[idx]
            out = self.highlight(token.content, token.info if token.type == "fence" else "")
            if token.attrs:  # a kramdown attribute list: {: .nolineno file="a.sh" }
                extra = " ".join(f'{k}="{html.escape(str(v))}"' for k, v in token.attrs.items()
                                 if k != "class")
                classes = str(token.attrs.get("class", ""))
                out = out.replace('<pre class="highlight"', f'<pre class="highlight'
                                  f'{" " + html.escape(classes) if classes else ""}"'
                                  f'{" " + extra if extra else ""}', 1)
            return out

        md.add_render_rule("fence", render_fence)
        md.add_render_rule("code_block", render_fence)
        md.add_render_rule("wikilink_open", _render_wikilink_open)
        md.add_render_rule("wikilink_close", lambda *a: "</a>")
        md.add_render_rule("list_item_open", _render_list_item_open)
        md.add_render_rule("wikiembed", _render_wikiembed)
        self.md = md
        self._iframe_hosts = frozenset(h.lower() for h in config.iframe_hosts)
        self._cleaner = _make_cleaner(self._iframe_hosts)

    # -- public ------------------------------------------------------------------------------

    def render(self, text: str, *, line_offset: int = 0, title: str | None = None,
               wikilinks: bool = True) -> Rendered:
        """Render ``text``. ``line_offset`` is the number of lines before it in the file.

        With ``title=None`` the first H1 becomes the title and leaves the body; with a title,
        a leading H1 that repeats it is dropped so it is not shown twice. ``[[note]]`` is a
        wiki link only with ``wikilinks`` (where the site uses them); elsewhere it is text.
        """
        env: dict = {"wikilinks": wikilinks, "notes": []}
        tokens = self.md.parse(text, env)
        found_title = _take_title(tokens, title)
        scanned = _scan(tokens, line_offset)
        warnings: list[tuple[int, str]] = []
        if scanned.special:
            warnings = _prepare_special(tokens, line_offset, self._alert_titles)
        toc = tuple(h for h in scanned.headings
                    if self.config.toc_min <= h.level <= self.config.toc_max
                    and h.id not in scanned.toc_skip)
        body = self.md.renderer.render(tokens, self.md.options, env)
        if scanned.has_raw and not self.config.unsafe_html:
            body = self.sanitize(body)
        return Rendered(
            html=body,
            toc=toc,
            headings=scanned.headings,
            refs=scanned.refs,
            text=scanned.text,
            title=found_title,
            first_paragraph=scanned.first_paragraph,
            has_raw_html=scanned.has_raw,
            warnings=tuple((line_offset + line + 1, message) for line, message in env["notes"])
            + tuple(warnings),
        )

    def sanitize(self, fragment: str) -> str:
        """Drop scripts, event handlers, ``javascript:`` URLs and foreign iframes."""
        cleaned = self._cleaner.clean(fragment)
        return _IFRAME_RE.sub(_tidy_iframe, cleaned) if "<iframe" in cleaned else cleaned

    def highlight(self, code: str, lang: str) -> str:
        """A ``<pre>`` block, Pygments-highlighted when the language is known. It takes the
        keyboard focus (tabindex), so a reader without a mouse can scroll a long line.
        A ``mermaid`` block is a diagram: its source, which the theme's script draws."""
        lang = (lang or "").strip().split()[0] if lang and lang.strip() else ""
        if lang.lower() == "mermaid":
            return (f'<div class="mermaid-diagram" data-label="{self._diagram}">'
                    '<pre class="mermaid-source" tabindex="0">'
                    '<code class="language-mermaid">'
                    f'{html.escape(code, quote=False)}</code></pre></div>\n')
        lexer = _lexer(lang.lower()) if (lang and self.config.highlight) else None
        cls = f' class="language-{html.escape(lang, quote=True)}"' if lang else ""
        if lexer is None:
            return (f'<pre class="highlight" tabindex="0"><code{cls}>'
                    f'{html.escape(code, quote=False)}</code></pre>\n')
        body = pygments_highlight(code, lexer, _formatter())
        return f'<pre class="highlight" tabindex="0"><code{cls}>{body}</code></pre>\n'

# nh3 quotes every attribute value and escapes '"' inside it, so ' src="' can only start a real
# attribute. An iframe's content is raw text that browsers never show: drop it, and drop the
# whole iframe when its src was refused.
_IFRAME_RE = re.compile(r"<iframe(\s[^>]*)?>.*?</iframe>", re.DOTALL)


def _tidy_iframe(m: re.Match) -> str:
    attrs = m.group(1) or ""
    if ' src="' not in attrs:
        return ""
    if ' title="' not in attrs:
        # A frame needs an accessible name (WCAG 4.1.2); the embedding site's host is honest.
        host = urlsplit(html.unescape(attrs.split(' src="', 1)[1].split('"', 1)[0])).hostname
        attrs += f' title="{html.escape(host or "embed")}"'
    return f"<iframe{attrs}></iframe>"


def _render_list_item_open(renderer, tokens, idx, options, env) -> str:
    """A task-list item's checkbox gets the item's text as its accessible name: a bare
    checkbox is unlabelled to a screen reader (axe: "label", critical)."""
    out = renderer.list_item_open(tokens, idx, options, env)
    if not (tokens[idx].meta and "checked" in tokens[idx].meta):
        return out
    name = ""
    for token in tokens[idx + 1:]:
        if token.type == "inline":
            name = "".join(c.content for c in token.children or ()
                           if c.type in ("text", "code_inline")).strip()
            break
        if token.type == "list_item_close":
            break
    label = f' aria-label="{html.escape(name[:120])}"' if name else ""
    return out.replace('<input class="task-list-item-checkbox"',
                       f'<input class="task-list-item-checkbox"{label}', 1)


def _nfc_prose(state) -> None:
    """Prose in Unicode NFC (macOS writes Hangul decomposed: it looks the same but matches
    and searches differently); code spans and blocks, math, raw HTML and URLs as written."""
    def walk(children: list[Token]) -> None:
        for child in children:
            if child.type == "text" or child.type == "image":
                child.content = unicodedata.normalize("NFC", child.content)
            if child.children:
                walk(child.children)

    for token in state.tokens:
        if token.type == "inline" and token.children:
            walk(token.children)


# -- math and alerts -------------------------------------------------------------------------

_SPECIAL_BLOCKS = frozenset({"math_block", "math_block_label", "alert_open"})
_MATH_INLINE = frozenset({"math_inline", "math_inline_double"})


def _prepare_special(tokens: list[Token], offset: int,
                     alert_titles: Mapping[str, str]) -> list[tuple[int, str]]:
    """Convert each formula to MathML (kept on its token for the render rule) and title
    each alert in the site's language. Returns warnings for formulas kept as written."""
    warnings: list[tuple[int, str]] = []
    block: Token | None = None
    alert: str | None = None
    for i, token in enumerate(tokens):
        if token.map:
            block = token
        kind = token.type
        if kind == "alert_open":
            alert = str(token.meta.get("kind", "")).upper()
        elif kind == "alert_title_open" and alert in alert_titles and i + 1 < len(tokens):
            title = tokens[i + 1]
            title.content = alert_titles[alert]
            title.children = [Token("text", "", 0, content=alert_titles[alert])]
            alert = None
        elif kind in ("math_block", "math_block_label"):
            line = offset + (token.map[0] if token.map else 0) + 1
            _convert(token, True, line, warnings)
        elif kind == "inline" and token.children and "$" in token.content:
            finder = None
            for child in token.children:
                if child.type in _MATH_INLINE:
                    if finder is None:
                        finder = _LineFinder(block, token, offset)
                    line = finder.line(child.content, 0)
                    _convert(child, child.type == "math_inline_double", line, warnings)
    return warnings


def _convert(token: Token, display: bool, line: int, warnings: list[tuple[int, str]]) -> None:
    result = mathml(token.content.strip(), display)
    if result.startswith("<math"):
        token.meta = {**(token.meta or {}), "mathml": result}
    else:
        source = " ".join(token.content.split())
        shown = source if len(source) <= 60 else source[:57] + "..."
        warnings.append((line, f"math `{shown}` kept as text: {result}"))


def _render_math(renderer, tokens, idx, options, env) -> str:
    """A formula as MathML (no script, no web font); one the converter refused as its text."""
    token = tokens[idx]
    display = token.type != "math_inline"
    converted = (token.meta or {}).get("mathml")
    if token.type == "math_inline":
        return converted or f'<span class="math inline">{html.escape(token.content)}</span>'
    label = ""
    if token.type == "math_block_label":
        label = f'<span class="math-label">({html.escape(token.info)})</span>'
    body = converted or html.escape(token.content.strip())
    if token.type == "math_inline_double":
        # Inside a paragraph, which a <div> cannot sit in.
        return f'<span class="math display" tabindex="0">{body}</span>'
    assert display
    # tabindex: a formula wider than a phone scrolls, and must be reachable by keyboard.
    return f'<div class="math display" tabindex="0">{body}{label}</div>\n'


@lru_cache(maxsize=4096)
def mathml(latex: str, display: bool) -> str:
    """``latex`` as a MathML ``<math>`` element, or why it cannot be: a message that does not
    start with ``<math``. The converter's output is rebuilt from an allow-list of MathML
    elements and attributes, and a formula using a command it does not know is refused rather
    than shown as that command's name."""
    from latex2mathml.converter import convert
    from lxml import etree

    if not latex:
        return "empty formula"
    try:
        out = convert(latex, display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 — the converter's own error types
        name = type(exc).__name__
        return f"the converter could not read it ({name}{': ' + str(exc) if str(exc) else ''})"
    try:
        root = etree.fromstring(out)
    except etree.XMLSyntaxError:
        return "the converter made invalid MathML"
    for el in root.iter():
        if not isinstance(el.tag, str):
            return "the converter made invalid MathML"
        tag = etree.QName(el).localname
        if tag not in _MATHML_TAGS:
            return f"the converter made <{tag}>, which is not MathML"
        for attr in el.attrib:
            if etree.QName(attr).localname not in _MATHML_ATTRS:
                return f"unsupported attribute {etree.QName(attr).localname!r}"
        if tag in ("mi", "mo") and el.text and _UNKNOWN_COMMAND_RE.fullmatch(el.text):
            return f"unsupported command {el.text}"
    return etree.tostring(root, encoding="unicode")


_UNKNOWN_COMMAND_RE = re.compile(r"\\[A-Za-z]+")
# MathML Core and what latex2mathml writes.
_MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose", "mover",
    "munder", "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd",
    "mlabeledtr", "semantics", "annotation", "mfenced",
})
_MATHML_ATTRS = frozenset({
    "display", "xmlns", "mathvariant", "mathcolor", "mathbackground", "mathsize", "stretchy",
    "fence", "separator", "separators", "lspace", "rspace", "minsize", "maxsize", "symmetric",
    "largeop", "movablelimits", "accent", "accentunder", "form", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "framespacing",
    "displaystyle", "scriptlevel", "linethickness", "width", "height", "depth", "voffset",
    "notation", "open", "close", "encoding", "columnspan", "rowspan", "equalrows",
    "equalcolumns", "side", "bevelled", "numalign", "denomalign", "align",
})


# -- wiki links ------------------------------------------------------------------------------

_WIKILINK_RE = re.compile(r"(!?)\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
_EMBED_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico",
                             "pdf", "mp4", "webm", "mp3", "ogg", "wav", "m4a"})
# Obsidian's ``![[image.png|300]]`` and ``|300x200``: a size, not alt text.
_EMBED_SIZE_RE = re.compile(r"^(\d{1,5})(?:x(\d{1,5}))?$")


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """``[[note]]``, ``[[note#heading]]``, ``[[note|label]]`` and ``![[image.png]]``, where
    the document's section uses wiki links. Never ``[[1]](#note)`` (a bracketed link text),
    a bare number (``[[1]]``, a footnote mark) or shell's ``[[ "$v" == 1.* ]]``."""
    start = state.pos
    src = state.src
    # Inline rules are tried wherever the text scanner stops: decide on one character first.
    first = src[start]
    if first != "[" and first != "!":
        return False
    if not src.startswith("[[" if first == "[" else "![[", start):
        return False
    if not state.env.get("wikilinks", True):
        return False
    match = _WIKILINK_RE.match(src, start)
    if not match or src.startswith("(", match.end()):
        return False
    if match.group(2)[:1].isspace() or match.group(2).strip().isdigit():
        return False
    if not silent:
        embed, target, label = match.group(1), match.group(2).strip(), match.group(3)
        name = target.split("#", 1)[0].rstrip("/").rpartition("/")[2]
        # ``![[note]]`` embeds a note in Obsidian; here it links to it. Files are embedded.
        if embed and name.rpartition(".")[2].lower() in _EMBED_SUFFIXES:
            token = state.push("wikiembed", "img", 0)
            size = _EMBED_SIZE_RE.match((label or "").strip())
            token.meta = {"target": target,
                          "alt": name.rsplit(".", 1)[0] if size else (label or target).strip(),
                          "size": size.groups() if size else None}
        else:
            token = state.push("wikilink_open", "a", 1)
            token.meta = {"target": target}
            text = state.push("text", "", 0)
            text.content = (label or target.split("#", 1)[0] or target).strip()
            state.push("wikilink_close", "a", -1)
    state.pos = match.end()
    return True


def _render_wikilink_open(renderer, tokens, idx, options, env) -> str:
    href = tokens[idx].attrGet("href") or ""
    return f'<a href="{html.escape(str(href))}" class="wikilink">'


def _render_wikiembed(renderer, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = token.meta.get("alt", "")
    width, height = token.meta.get("size") or (None, None)
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")
    return f'<img src="{html.escape(str(src))}" alt="{html.escape(alt)}"{size} loading="lazy">'


# -- token passes ----------------------------------------------------------------------------


# Inline children whose content is prose: alt text (an image's content) reads as text too.
_TEXT_CHILDREN = frozenset({"text", "code_inline", "math_inline", "math_inline_double", "image"})
_BREAK_CHILDREN = frozenset({"softbreak", "hardbreak"})
# Blocks that end a line of the plain text.
_LINE_ENDS = frozenset({"paragraph_close", "heading_close", "list_item_close", "td_close",
                        "th_close"})
_RAW_HTML = frozenset({"html_block", "html_inline"})
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def _inline_text(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in _TEXT_CHILDREN:
            parts.append(child.content)
        elif child.type in _BREAK_CHILDREN:
            parts.append(" ")
    return "".join(parts).strip()


@dataclass(frozen=True, slots=True)
class _Scanned:
    headings: tuple[Heading, ...]
    refs: tuple[Ref, ...]
    text: str
    first_paragraph: str
    has_raw: bool
    toc_skip: frozenset[str] = frozenset()  # ids of headings marked data-toc-skip (Chirpy)
    # Math or an alert occurs: the second pass (_prepare_special) has work to do.
    special: bool = False


def _scan(tokens: list[Token], offset: int) -> _Scanned:
    """Everything :meth:`MarkdownRenderer.render` reads off the tokens, in one pass: heading
    ids (set on the tokens), references (pointed at placeholders), the plain text, the first
    paragraph and whether raw HTML occurs. Each inline's text is extracted once and shared."""
    used: set[str] = set()
    toc_skip: set[str] = set()
    headings: list[Heading] = []
    refs: list[Ref] = []
    parts: list[str] = []
    first_paragraph = ""
    has_raw = special = False
    block: Token | None = None  # the latest token with a source line
    previous: Token | None = None
    for token in tokens:
        kind = token.type
        if token.map:
            block = token
        if kind in _SPECIAL_BLOCKS:
            special = True
        if kind == "inline":
            text = _inline_text(token)
            parts.append(text)
            # Headings and paragraphs are always open, inline, close.
            opener = previous.type if previous is not None else ""
            if opener == "heading_open":
                headings.append(_heading(previous, text, used))
                if previous.attrGet("data-toc-skip") is not None:
                    toc_skip.add(headings[-1].id)
            elif opener == "paragraph_open" and not first_paragraph and _summarises(text):
                first_paragraph = text
        elif kind in _LINE_ENDS:
            parts.append("\n")
        elif kind == "html_block":
            has_raw = True
            _raw_refs(token, offset + (token.map[0] if token.map else 0) + 1, refs)
        if token.children:
            if kind == "inline":
                has_raw = _collect_refs(block, token, offset, refs) or has_raw
                special = special or "$" in token.content
            elif any(c.type in _RAW_HTML for c in token.children):
                has_raw = True
        previous = token
    text = _BLANK_LINES_RE.sub("\n", "".join(parts)).strip()
    return _Scanned(tuple(headings), tuple(refs), text, first_paragraph, has_raw,
                    frozenset(toc_skip), special)


def _heading(token: Token, text: str, used: set[str]) -> Heading:
    """Give a heading its anchor id, unique in the document (GitHub's x, x-1, x-2, ...)."""
    # An id the author gave (kramdown's {#id}) is kept; else GitHub's, from the text.
    base = ident = str(token.attrGet("id") or "") or heading_id(text)
    n = 0
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    token.attrSet("id", ident)
    return Heading(int(token.tag[1]), ident, text)


def _summarises(text: str) -> bool:
    # Skip a paragraph that is only a link or an image (common at the top of roundups).
    return len(text) > 20 and not text.startswith(("http://", "https://"))


def _take_title(tokens: list[Token], title: str | None) -> str | None:
    """Take the first H1 out of the stream (see :meth:`MarkdownRenderer.render`)."""
    first_block = next((i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0), None)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and token.level == 0:
            text = _inline_text(tokens[i + 1])
            if title is None or (i == first_block and _same(text, title)):
                del tokens[i : i + 3]
                return text
            return None
        if title is not None and token.level == 0 and token.nesting == 1:
            return None  # a title was given and the body does not start with an H1
    return None


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s)).strip().casefold()  # noqa: E731
    return norm(a) == norm(b)


class _LineFinder:
    """Lines of links inside one inline block.

    Tokens carry only their block's first line, so each link is found again in the block's
    source text, in order; counting soft breaks instead would miss newlines inside code spans
    and inline HTML.
    """

    def __init__(self, block: Token | None, inline: Token, offset: int):
        self.raw = inline.content
        self.first = offset + (block.map[0] if block is not None and block.map else 0) + 1
        self.cursor = 0
        self.inline = inline

    def line(self, written: str, index: int) -> int:
        pos = self.raw.find(written, self.cursor) if written else -1
        if pos < 0:
            children = self.inline.children or []
            breaks = sum(1 for c in children[:index] if c.type in ("softbreak", "hardbreak"))
            return self.first + breaks
        self.cursor = pos + len(written)
        return self.first + self.raw.count("\n", 0, pos)


def _collect_refs(block: Token | None, inline: Token, offset: int, refs: list[Ref]) -> bool:
    """Record every internal link and image of ``inline`` in ``refs`` and point it at a
    placeholder. Returns whether the inline holds raw HTML (found in the same loop)."""
    finder: _LineFinder | None = None  # only inlines with links need one
    has_raw = False
    for i, child in enumerate(inline.children or ()):
        kind = child.type
        if kind == "html_inline":
            has_raw = True
            if _RAW_REF_RE.search(child.content):
                if finder is None:
                    finder = _LineFinder(block, inline, offset)
                _raw_refs(child, finder.line(child.content, i), refs)
            continue
        if kind == "wikilink_open" or kind == "wikiembed":
            if finder is None:
                finder = _LineFinder(block, inline, offset)
            target = child.meta["target"]
            wiki = kind == "wikilink_open"
            refs.append(Ref(target, "wiki" if wiki else "asset", finder.line(target, i),
                            embed=not wiki))
            child.attrSet("href" if wiki else "src", f"{PLACEHOLDER}{len(refs) - 1}")
            continue
        if kind == "link_open":
            attr = "href"
        elif kind == "image":
            attr = "src"
            child.attrSet("loading", "lazy")
        else:
            continue
        if finder is None:
            finder = _LineFinder(block, inline, offset)
        written = unquote(str(child.attrGet(attr) or ""))
        line = finder.line(written, i)  # advances past external links too
        ref = classify_link(written, image=kind == "image")
        if ref is None:
            continue
        refs.append(Ref(ref[1], ref[0], line, embed=attr == "src"))
        child.attrSet(attr, f"{PLACEHOLDER}{len(refs) - 1}")
    return has_raw


# What raw HTML links to: an <img>'s or <source>'s src, a <video>'s src or poster, an <a>'s href.
_RAW_REF_RE = re.compile(r"<(?:img|source|video|audio|a)\b[^<>]*>", re.IGNORECASE)
_RAW_ATTR_RE = re.compile(r"""(\s(src|href|poster)\s*=\s*)(["'])([^"'<>]*)\3""", re.IGNORECASE)
_PAGE_LIKE_RE = re.compile(r"(?:^|/)(?:[^/.]*|[^/]*\.html?)$", re.IGNORECASE)


def _raw_refs(token: Token, line: int, refs: list[Ref]) -> None:
    """Record the internal links of a raw HTML token (``<img src="./diagram.jpeg">`` in a
    page bundle) as references, as Markdown's are, and point them at placeholders: the file
    is then published with the page and the link gets the site's base path. An ``<a>`` to a
    page by its folder or .html name stays as written (only files and documents are known)."""
    def attribute(m: re.Match, at: int) -> str:
        written = html.unescape(m[4])
        image = m[2].lower() != "href"
        ref = classify_link(written, image=image)
        if ref is None or written.startswith(PLACEHOLDER) or (
                not image and ref[0] == "asset" and _PAGE_LIKE_RE.search(urlsplit(written).path)):
            return m[0]
        refs.append(Ref(ref[1], ref[0], at, embed=image))
        return f"{m[1]}{m[3]}{PLACEHOLDER}{len(refs) - 1}{m[3]}"

    def tag(m: re.Match) -> str:
        at = line + token.content.count("\n", 0, m.start())
        return _RAW_ATTR_RE.sub(lambda a: attribute(a, at), m[0])

    token.content = _RAW_REF_RE.sub(tag, token.content)


def classify_link(target: str, *, image: bool = False) -> tuple[str, str] | None:
    """The kind of internal reference a link is (``doc``, ``asset``, ``path``) and its target;
    None for external links and in-page anchors."""
    if target.startswith(POST_LINK):  # Hexo's {% post_link name %}: a post named so
        return "wiki", target[len(POST_LINK):]
    if "\\" in target and not _SCHEME_RE.match(target):
        target = target.replace("\\", "/")  # a Windows path: browsers read "\" as "/"
    if not target or target.startswith("#") or target.startswith("//") or _SCHEME_RE.match(target):
        return None
    path = urlsplit(target).path
    if not image and path.lower().endswith(_DOC_EXTENSIONS):
        return "doc", target
    if target.startswith("/"):
        return "path", target
    return "asset", target


# -- shared, cached resources ----------------------------------------------------------------


@lru_cache(maxsize=256)
def _lexer(lang: str):
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


def pygments_css(style: str, dark_style: str) -> str:
    """Stylesheet for highlighted code: ``style`` by default, ``dark_style`` in dark mode,
    which is the reader's choice (``data-theme`` on ``<html>``, set by the theme's toggle)
    or, without one, the system's."""
    light = HtmlFormatter(style=style).get_style_defs(".highlight")
    chosen = HtmlFormatter(style=dark_style).get_style_defs(':root[data-theme="dark"] .highlight')
    system = HtmlFormatter(style=dark_style).get_style_defs(
        ':root:not([data-theme="light"]) .highlight')
    system_rules = "\n".join("  " + line for line in system.splitlines())
    return (f"{light}\n{chosen}\n"
            f"@media (prefers-color-scheme: dark) {{\n{system_rules}\n}}\n")


_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "video",
    "audio",
    "wbr",
    "aside",
    "center",
    "font",
    *_MATHML_TAGS,
}
_ALLOWED_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir", "align", "aria-label", "aria-hidden", "role",
          "tabindex"},
    "a": {"href", "name", "target", "rel"},
    "div": {"data-label"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "math": set(_MATHML_ATTRS),
    **{tag: set(_MATHML_ATTRS) - {"xmlns", "display"} for tag in _MATHML_TAGS - {"math"}},
    "iframe": {
        "src",
        "width",
        "height",
        "title",
        "allow",
        "allowfullscreen",
        "loading",
        "referrerpolicy",
    },
    "input": {"type", "checked", "disabled"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "source": {"src", "srcset", "type", "media"},
    "video": {"src", "controls", "width", "height", "poster", "loop", "muted"},
    "audio": {"src", "controls", "loop"},
    "details": {"open"},
    "font": {"color"},
}


def html_cleaner(config: MarkdownConfig) -> nh3.Cleaner:
    """The sanitiser raw HTML in Markdown goes through (HTML files in content/ too)."""
    return _make_cleaner(frozenset(h.lower() for h in config.iframe_hosts))


def _make_cleaner(iframe_hosts: frozenset[str]) -> nh3.Cleaner:
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "iframe" and attr == "src":
            parts = urlsplit(value)
            if parts.scheme == "https" and (parts.hostname or "").lower() in iframe_hosts:
                return value
            return None
        if attr == "tabindex":
            # Focusable in order (0) or not at all (-1): a positive index reorders the page.
            return value if value.strip() in ("0", "-1") else None
        if attr == "style":
            # Only table cell alignment, as Markdown tables write it.
            return (
                value
                if re.fullmatch(r"\s*text-align:\s*(left|right|center)\s*;?\s*", value)
                else None
            )
        return value

    return nh3.Cleaner(
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style", "object", "embed", "noscript", "template"},
        attributes=_ALLOWED_ATTRS,
        generic_attribute_prefixes={"data-"},
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto", "dgref", "tel"},
        link_rel=None,
        strip_comments=True,
    )
