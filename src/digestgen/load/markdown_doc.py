"""Markdown documents: digest posts (Gatsby/Jekyll/Hugo frontmatter), wiki notes (title from
the first H1, date from ``created:``) and pages. Their differences are all in frontmatter,
which :mod:`digestgen.load.frontmatter` normalises, and in links, which the graph resolves."""

from __future__ import annotations

from digestgen.load.common import LoadContext, Shaped, render_markdown


def load(ctx: LoadContext) -> Shaped:
    return render_markdown(ctx)
