"""What every loader shares: the input a shape loader gets, what it returns, and the assembly
of a :class:`~digestgen.model.Document` from frontmatter plus shape output."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from digestgen.config import SiteConfig
from digestgen.dates import date_from_filename, date_from_text, strip_date_prefix
from digestgen.errors import Diagnostic, error, warning
from digestgen.load import liquid
from digestgen.load.frontmatter import Meta
from digestgen.markdown import MarkdownRenderer, classify_link
from digestgen.model import Brief, Document, Heading, Ref, SourceFile, frontmatter_image
from digestgen.urls import UnsafePathError, check_slug, fit_segment, slugify


@dataclass(frozen=True, slots=True)
class LoadContext:
    """Everything a shape loader may look at."""

    source: SourceFile
    meta: Meta
    body: str
    offset: int  # lines before the body
    config: SiteConfig
    renderer: MarkdownRenderer
    kind: str


@dataclass(frozen=True, slots=True)
class Shaped:
    """What a shape loader makes of a body."""

    html: str
    toc: tuple[Heading, ...]
    refs: tuple[Ref, ...]
    text: str
    title: str | None = None  # found in the body (first H1, cover) when frontmatter has none
    headings: tuple[Heading, ...] = ()  # every heading, for search; defaults to the toc
    first_paragraph: str = ""
    # A date the shape itself vouches for (a brief's cover, a roundup's week), with its origin.
    date: datetime | None = None
    date_source: str = ""
    brief: Brief | None = None
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


def render_markdown(ctx: LoadContext) -> Shaped:
    """The Markdown shapes' common path: Jekyll/Hexo tags rewritten, then render, taking the
    H1 as title when there is none. Lines are the author's, where the rewrite moved them."""
    path = PurePosixPath(ctx.source.content_path)
    expanded = liquid.expand(ctx.body, stem=path.stem,
                             bundle=path.stem.lower() in ("index", "_index", "readme"),
                             iframe_hosts=tuple(ctx.config.markdown.iframe_hosts))
    rendered = ctx.renderer.render(expanded.body, line_offset=ctx.offset,
                                   title=ctx.meta.title, wikilinks=uses_wikilinks(ctx))

    def line(n: int) -> int:  # a line of the rendered text → the author's
        return ctx.offset + expanded.source_line(n - ctx.offset) if expanded.lines else n

    refs = rendered.refs if not expanded.lines else tuple(
        dataclasses.replace(r, line=line(r.line)) for r in rendered.refs)
    diagnostics = tuple(warning(ctx.source.rel_path, ctx.offset + n, message)
                        for n, message in expanded.warnings) + tuple(
        warning(ctx.source.rel_path, line(n), message) for n, message in rendered.warnings)
    return Shaped(
        html=rendered.html,
        toc=rendered.toc,
        headings=rendered.headings,
        refs=refs,
        text=rendered.text,
        title=rendered.title,
        first_paragraph=rendered.first_paragraph,
        diagnostics=diagnostics,
    )


def uses_wikilinks(ctx: LoadContext) -> bool:
    """Whether ``[[note]]`` is a wiki link in this document: its section's ``wikilinks:``,
    else the site's ``markdown.wikilinks``, else where the site has wiki notes (a section of
    kind wiki). Elsewhere ``[[x]]`` is text."""
    section = ctx.config.sections.get(ctx.source.section)
    if section is not None and section.wikilinks is not None:
        return section.wikilinks
    if ctx.config.markdown.wikilinks is not None:
        return ctx.config.markdown.wikilinks
    return ctx.kind == "wiki" or any(s.kind == "wiki" for s in ctx.config.sections.values())


def assemble(
    ctx: LoadContext, shaped: Shaped, section: str
) -> tuple[Document | None, list[Diagnostic]]:
    """Combine frontmatter and shape output into a Document (or errors)."""
    src, meta = ctx.source, ctx.meta
    diags: list[Diagnostic] = list(shaped.diagnostics)
    path = PurePosixPath(src.content_path)
    stem, folder = path.stem, path.parent.name
    # Page bundles (Gatsby's posts/<slug>/index.md) are named by their folder.
    name = folder if stem.lower() in ("index", "_index", "readme") and folder else stem
    title = meta.title or shaped.title or strip_date_prefix(name).replace("-", " ").strip() or name
    date, date_source = _date(ctx, shaped, path.name, diags)
    try:
        slug = _slug(ctx, name, title, diags)
    except UnsafePathError as exc:
        diags.append(error(src.rel_path, meta.lines.get("slug", 1), str(exc)))
        return None, diags
    refs = shaped.refs
    picture = frontmatter_image(meta.params)
    if picture is not None and (kind := classify_link(picture[1], image=True)) is not None:
        # The frontmatter's picture is published and resolved like an image in the body,
        # as the last reference (the body's placeholders number the others).
        refs += (Ref(kind[1], kind[0], meta.lines.get(picture[0], 1), embed=True),)
    return Document(
        source=src.rel_path, content_path=src.content_path, kind=ctx.kind, section=section,
        slug=slug, title=title, date=date,
        updated=meta.updated if meta.updated and (date is None or meta.updated > date) else None,
        tags=meta.tags, categories=meta.categories,
        summary=meta.summary or summarize(shaped.first_paragraph or shaped.text),
        draft=meta.draft, aliases=meta.aliases, body_html=shaped.html, toc=shaped.toc,
        headings=shaped.headings or shaped.toc, refs=refs, text=shaped.text,
        reading_minutes=reading_minutes(shaped.text), date_source=date_source,
        permalink=meta.permalink, series=meta.series, brief=shaped.brief, params=meta.params,
    ), diags


def _date(ctx: LoadContext, shaped: Shaped, file_name: str, diags: list[Diagnostic]
          ) -> tuple[datetime | None, str]:
    """The document's date and where it came from: frontmatter, the shape (a brief's cover),
    the file name, or (with a warning) the text; else none, with a warning."""
    src, tz = ctx.source, ctx.config.tz
    if ctx.meta.date is not None:
        return ctx.meta.date, "frontmatter"
    if shaped.date is not None:
        return shaped.date, shaped.date_source
    if (date := date_from_filename(file_name, tz)) is not None:
        return date, "filename"
    found = date_from_text(unicodedata.normalize("NFC", ctx.body), tz)
    if found:
        diags.append(warning(src.rel_path, ctx.offset + found[1],
                             f"no date in frontmatter or file name; guessed {found[0]:%Y-%m-%d} "
                             f"from the text (add `date:` to confirm)", strict=True))
        return found[0], "text"
    if ctx.kind != "page":
        diags.append(warning(src.rel_path, 1,
                             "no date found (frontmatter `date:`, file name or text); the page "
                             "is built but left out of feeds and archives — add "
                             "`date: YYYY-MM-DD`", strict=True))
    return None, "none"


def _slug(ctx: LoadContext, name: str, title: str, diags: list[Diagnostic]) -> str:
    """The author's ``slug:`` (checked: raises UnsafePathError), else one made of the file
    name, else of the title (with a warning)."""
    meta = ctx.meta
    if meta.slug is not None:
        slug = check_slug(meta.slug)
    else:
        slug = fit_segment(slugify(strip_date_prefix(name)))
    if slug:
        return slug
    slug = (fit_segment(slugify(title))
            or "untitled-" + hashlib.sha1(ctx.source.rel_path.encode()).hexdigest()[:8])
    diags.append(warning(ctx.source.rel_path, 1, f"file name gives no usable slug; using "
                                                  f"{slug!r} (set `slug:` to choose one)"))
    return slug


_OTHER_NON_ASCII_RE = re.compile(r"[^\x00-\x7f\uac00-\ud7a3]+")
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SPACES_RE = re.compile(r"\s+")


def reading_minutes(text: str) -> int:
    """Minutes to read: Hangul at ~500 syllables a minute, other words at ~220 a minute."""
    # Hangul syllables are the non-ASCII characters that are not something else: counted in C
    # by encoding and by one regex that rarely matches, rather than one match per syllable.
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    hangul = non_ascii - sum(map(len, _OTHER_NON_ASCII_RE.findall(text)))
    words = len(_WORD_RE.findall(text))
    return max(1, math.ceil(hangul / 500 + words / 220))


def summarize(text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of ``text``, cut at a word boundary, with an ellipsis."""
    text = _SPACES_RE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:·") + "…"
