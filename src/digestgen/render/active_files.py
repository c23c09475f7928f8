"""Files beside documents that a browser would run: SVG, HTML and XML, made safe to publish.

An image beside a post is published at the site's origin. Opened directly, ``evil.svg`` with
``<script>`` or ``onload=`` runs with the site's cookies and storage, and so does an ``.html``
file. Content arrives through pull requests, so these files are sanitised as raw HTML in
Markdown is: SVG through an allow-list of SVG elements (DOMPurify's) with event handlers,
``javascript:`` and every reference outside the file removed; HTML through the same nh3
cleaner as Markdown's raw HTML; XML (which can carry XHTML script or an XSLT stylesheet) is
not published. ``unsafe_files: true`` in site.yaml copies them as written, for sites whose
every author is trusted. Whatever is removed is named in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from digestgen.errors import Diagnostic, error, warning
from digestgen.sitefs import named

SVG_SUFFIXES = (".svg",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml")
XML_SUFFIXES = (".xml", ".xsl", ".xslt")
ACTIVE_SUFFIXES = SVG_SUFFIXES + HTML_SUFFIXES + XML_SUFFIXES

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# DOMPurify's SVG and SVG-filter element lists (the widely reviewed allow-list), without the
# animation elements (<set>, <animate…>: they can rewrite an href to javascript:).
SVG_ELEMENTS = frozenset((
    "svg", "a", "altglyph", "altglyphdef", "altglyphitem", "circle", "clippath", "defs", "desc",
    "ellipse", "filter", "font", "g", "glyph", "glyphref", "hkern", "image", "line",
    "lineargradient", "marker", "mask", "metadata", "mpath", "path", "pattern", "polygon",
    "polyline", "radialgradient", "rect", "stop", "style", "switch", "symbol", "text", "textpath",
    "title", "tref", "tspan", "view", "vkern", "feblend", "fecolormatrix", "fecomponenttransfer",
    "fecomposite", "feconvolvematrix", "fediffuselighting", "fedisplacementmap", "fedistantlight",
    "fedropshadow", "feflood", "fefunca", "fefuncb", "fefuncg", "fefuncr", "fegaussianblur",
    "feimage", "femerge", "femergenode", "femorphology", "feoffset", "fepointlight",
    "fespecularlighting", "fespotlight", "fetile", "feturbulence", "use",
))

# Attributes whose value is a reference: only a fragment of this file, or an inline image
# (a link, <a href>, may also lead to another page).
_REFERENCES = frozenset({"href", "src", "base"})
_SAFE_REFERENCE = re.compile(r"^(#|data:image/(png|gif|jpe?g|webp);)", re.IGNORECASE)
_SAFE_LINK = re.compile(r"^(https?://|mailto:|/|\./|\.\./|[\w.-]+(/|$|#))", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!#)[^)]*\1\s*\)", re.IGNORECASE)
_CSS_DANGER = re.compile(r"@import[^;]*;?|expression\s*\(|javascript:|behavior\s*:",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cleaned:
    data: bytes | None  # what to publish; None: nothing (the reason is in ``removed``)
    removed: tuple[str, ...]  # what was taken out, for the warning


def active(name: str) -> bool:
    """Whether a file of this name could run script when opened from the site."""
    return name.lower().endswith(ACTIVE_SUFFIXES)


def clean_file(name: str, data: bytes, html_cleaner) -> Cleaned:
    """``data``, a file named ``name`` (an SVG, HTML or XML file), made safe to publish."""
    lower = name.lower()
    if lower.endswith(SVG_SUFFIXES):
        return clean_svg(data)
    if lower.endswith(HTML_SUFFIXES):
        return clean_html(data, html_cleaner)
    return Cleaned(None, ("an XML file, which can run script when opened; not published",))


def clean_svg(data: bytes) -> Cleaned:
    """An SVG document with only SVG elements, no script, no event handlers, and no
    reference outside itself (links, external images, stylesheets, fonts)."""
    parser = etree.XMLParser(resolve_entities="internal", no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return Cleaned(None, (f"not well-formed SVG ({exc.msg}); not published",))
    removed: list[str] = []
    if _local(root.tag) != "svg" or etree.QName(root).namespace not in (SVG_NS, None):
        return Cleaned(None, ("not an SVG document; not published",))
    _clean_element(root, removed)
    body = etree.tostring(root, encoding="utf-8")
    return Cleaned(b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n",
                   tuple(dict.fromkeys(removed)))


def _clean_element(el, removed: list[str]) -> None:
    """Clean ``el``'s attributes, then its children (each dropped or cleaned in turn)."""
    local = _local(el.tag)
    for attr in list(el.attrib):
        attr_local = _local(attr).lower()
        value = el.attrib[attr]
        if attr_local.startswith("on"):
            removed.append(f"{_local(attr)}=")
            del el.attrib[attr]
        elif attr_local in _REFERENCES and not _SAFE_REFERENCE.match(value.strip()) and not (
                local.lower() == "a" and attr_local == "href"
                and _SAFE_LINK.match(value.strip())):
            removed.append(f'{_local(attr)}="{value.strip()[:40]}"')
            del el.attrib[attr]
        elif attr_local == "style":
            safe = _clean_css(value)
            if safe != value:
                removed.append("style with an external reference")
                el.attrib[attr] = safe
    if local.lower() == "style" and el.text:
        safe = _clean_css(el.text)
        if safe != el.text:
            removed.append("<style> with an external reference")
            el.text = safe
    for child in list(el):
        if not isinstance(child.tag, str):  # an entity the parser left unresolved
            _drop(child)
            continue
        ns, name = etree.QName(child).namespace, _local(child.tag)
        # SVG elements must be on the allow-list; XHTML ones (<script>, <iframe>) never stay.
        # Elements of other namespaces (an editor's metadata) are inert: browsers ignore them.
        if ns == XHTML_NS or (ns in (SVG_NS, None) and name.lower() not in SVG_ELEMENTS):
            removed.append(f"<{name}>")
            _drop(child)
        else:
            _clean_element(child, removed)


def clean_html(data: bytes, cleaner) -> Cleaned:
    """An HTML file as raw HTML in Markdown is published: sanitised with ``cleaner`` (nh3)."""
    text = data.decode("utf-8", "replace")
    removed = [f"<{tag}>" for tag in ("script", "style", "iframe", "object", "embed", "form")
               if re.search(rf"<{tag}\b", text, re.IGNORECASE)]
    if re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE):
        removed.append("event handlers (on…=)")
    if "javascript:" in text.lower():
        removed.append("javascript: links")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    head = "<!doctype html>\n<meta charset=\"utf-8\">\n"
    if title:
        head += f"<title>{cleaner.clean(title.group(1))}</title>\n"
    return Cleaned((head + cleaner.clean(text)).encode("utf-8"), tuple(removed))


def _clean_css(css: str) -> str:
    return _CSS_DANGER.sub("", _CSS_URL.sub("none", css))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    # Keep the text that follows the element (it belongs to the parent).
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def clean_assets(assets, site_root: Path, cleaner) -> tuple[dict[str, bytes | None],
                                                             list[Diagnostic]]:
    """The cleaned bytes of each active file among ``assets`` (:class:`AssetCopy`), by output
    path (None: not published), and a warning for each file something was taken out of."""
    out: dict[str, bytes | None] = {}
    diags: list[Diagnostic] = []
    for asset in assets:
        if not active(asset.output):
            continue
        shown = named(Path(asset.source_abs), site_root)
        try:
            data = Path(asset.source_abs).read_bytes()
        except OSError as exc:
            diags.append(error(shown, 0, f"cannot read it: {exc.strerror or exc}"))
            out[asset.output] = None
            continue
        cleaned = clean_file(asset.output, data, cleaner)
        out[asset.output] = cleaned.data
        if cleaned.removed:
            what = ", ".join(cleaned.removed)
            if cleaned.data is not None:
                what = f"removed what could run script or load from elsewhere: {what}"
            diags.append(warning(shown, 0, f"{what} (unsafe_files: true in site.yaml publishes "
                                           f"such files as written)"))
    return out, diags


