"""Briefs: long reports converted from PDF, and plain-text digests, as structured pages.

The text has no markup, so its structure is read off the lines the way an editor would. A
PDF-converted report has:
- a cover, and a CONTENTS block (used to cross-check article titles and find each article's
  category, then dropped: dot leaders and page numbers mean nothing on the web);
- section tab lines repeated on every page (dropped), and page numbers (dropped);
- part lines (``Ⅰ. …``), and articles: a title line, then "KEY Contents" key points, then
  ``●``/``○`` subheads with ``-``/`` -`` bullets, ``*``/``**``/``※`` notes, captions and
  boxes, tab-separated tables, and ``☞ 출처`` sources.

A plain-text digest has one-line section titles, paragraphs and a trailing copyright line.

PDF debris is repaired: ``$oxedsymbol{…}$``, and ``Al`` misread for ``AI``. Whatever cannot
be classified stays a paragraph, with a warning: a brief never fails the build for its layout.

The jobs, one module each: :mod:`.lines` (repair, and what each kind of line looks like),
:mod:`.front` (cover and CONTENTS), :mod:`.classify` (body lines → blocks, rule by rule),
:mod:`.assemble` (blocks → sections and articles, matched with CONTENTS), :mod:`.parse` (all
of that → the typed :class:`~digestgen.model.Brief`) and :mod:`.render` (HTML). :func:`load`
is the loader the build calls.
"""

from __future__ import annotations

from datetime import datetime

from digestgen.errors import warning
from digestgen.load.brief.lines import reads_as_prose, repair
from digestgen.load.brief.parse import parse_brief
from digestgen.load.brief.render import plain_text, render_brief
from digestgen.load.common import LoadContext, Shaped
from digestgen.model import Article, Block, Brief, BriefSection, ContentsEntry

__all__ = [
    "Article",
    "Block",
    "Brief",
    "BriefSection",
    "ContentsEntry",
    "load",
    "parse_brief",
    "plain_text",
    "render_brief",
    "repair",
]


def load(ctx: LoadContext) -> Shaped:
    """Load a brief (``.txt``): repair, parse into a :class:`Brief`, render."""
    acronym_ok = ctx.body.count("AI") >= 3
    lines = [repair(line, acronym_ok=acronym_ok) for line in ctx.body.split("\n")]
    brief, notes = parse_brief(lines, ctx.offset + 1)
    body_html, toc, refs, brief = render_brief(
        brief, ctx.config.markdown.toc_min, ctx.config.markdown.toc_max
    )
    diags = [warning(ctx.source.rel_path, line, message) for line, message in notes]
    # A paragraph inside a report's article is usually a line the parser could not place;
    # one that plainly reads as prose is just prose.
    unclassified = [b for a in brief.articles for b in a.blocks
                    if b.kind == "paragraph" and not reads_as_prose(b.text)]
    for b in unclassified:
        diags.append(
            warning(
                ctx.source.rel_path,
                b.line,
                f"brief: line not recognised as part "
                f"of an article's structure; kept as a paragraph: {b.text[:40]!r}",
            )
        )
    issue = (
        datetime(brief.issue_date.year, brief.issue_date.month, 1, tzinfo=ctx.config.tz)
        if brief.issue_date
        else None
    )
    return Shaped(
        html=body_html,
        toc=toc,
        refs=refs,
        text=plain_text(brief),
        title=brief.title or None,
        first_paragraph=_first_paragraph(brief),
        date=issue,
        date_source="cover" if issue else "",
        brief=brief,
        diagnostics=tuple(diags),
    )


def _first_paragraph(brief: Brief) -> str:
    """What sums the brief up: the first article titles, else the first long paragraph."""
    if brief.articles:
        titles = [a.title for a in brief.articles]
        more = len(titles) - 3
        return " · ".join(titles[:3]) + (f" 외 {more}건" if more > 0 else "")
    paragraphs = [b for b in brief.front if b.kind == "paragraph"]
    paragraphs += [
        b for s in brief.sections for b in s.body if isinstance(b, Block) and b.kind == "paragraph"
    ]
    return next((b.text for b in paragraphs if len(b.text) > 40), "")
