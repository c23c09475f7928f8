"""RSS 2.0 and Atom feeds (feedgen): the site's, and one per tag and category.

Every timestamp comes from the documents, never from the clock (feedgen defaults
``lastBuildDate``/``updated`` to now, which would make two builds differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from digestgen import __version__
from digestgen.config import SiteConfig
from digestgen.model import Page, Site
from digestgen.render.pages import Output
from digestgen.urls import absolute_url

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Drop the control characters XML 1.0 cannot carry (they do turn up in pasted text)."""
    return _XML_INVALID_RE.sub("", text)


def render_feeds(site: Site, config: SiteConfig) -> Iterator[Output]:
    """``feed.xml`` and ``atom.xml`` for the site, ``<term>/feed.xml`` for each tag/category."""
    in_feed = [p for p in site.pages if _in_feeds(p, config)]
    yield from _feed_pair(config, config.title, config.description, "", in_feed)
    for term in (*site.tags, *site.categories):
        pages = [p for p in term.pages if p.doc.date is not None and p.doc.kind != "page"]
        title = f"{config.title} — {term.name}"
        yield _rss(config, title, config.description, term.path, pages, f"{term.path}feed.xml")


def _in_feeds(page: Page, config: SiteConfig) -> bool:
    section = config.sections.get(page.doc.section)
    return section is not None and section.feed and page.doc.date is not None


def _feed_pair(config, title, description, path, pages) -> Iterator[Output]:
    yield _rss(config, title, description, path, pages, f"{path}feed.xml")
    yield _atom(config, title, description, path, pages, f"{path}atom.xml")


def _generator(
    config: SiteConfig, title: str, description: str, path: str, pages: list[Page], self_path: str
) -> FeedGenerator:
    abs_url = lambda p: absolute_url(config.base_url, config.base_path, p)  # noqa: E731
    fg = FeedGenerator()
    fg.id(abs_url(path))
    fg.title(_xml_safe(title))
    fg.subtitle(_xml_safe(description or title))
    fg.link(href=abs_url(path), rel="alternate")
    fg.link(href=abs_url(self_path), rel="self")
    fg.language(config.language)
    fg.generator("digestgen", __version__, "https://pypi.org/project/digestgen/")
    if config.author.name:
        author = {"name": config.author.name}
        if config.author.email:
            author["email"] = config.author.email
        fg.author(author)
    chosen = pages[: config.feed.limit]
    newest = max((p.doc.updated or p.doc.date for p in chosen), default=_EPOCH)
    fg.lastBuildDate(newest)
    fg.updated(newest)
    for page in chosen:
        doc = page.doc
        entry = fg.add_entry(order="append")
        entry.id(page.abs_url)
        entry.guid(page.abs_url, permalink=True)
        entry.title(_xml_safe(doc.title))
        entry.link(href=page.abs_url)
        entry.published(doc.date)
        entry.updated(doc.updated or doc.date)
        if doc.summary:
            entry.summary(_xml_safe(doc.summary))
        if config.feed.full_content:
            # Escaped HTML is valid in both RSS content:encoded and Atom (type="html"); CDATA is
            # not an Atom content type and breaks on a literal "]]>".
            entry.content(_xml_safe(page.body_html), type="html")
        for tag in page.tags:
            entry.category(term=_xml_safe(tag.name), label=_xml_safe(tag.name))
    return fg


def _rss(config, title, description, path, pages, self_path) -> Output:
    fg = _generator(config, title, description, path, pages, self_path)
    return Output(self_path, fg.rss_str(pretty=True))


def _atom(config, title, description, path, pages, self_path) -> Output:
    fg = _generator(config, title, description, path, pages, self_path)
    return Output(self_path, fg.atom_str(pretty=True))
