"""RSS 2.0 and Atom feeds (feedgen), and JSON Feed: the site's, and one RSS feed per tag and
category.

Every timestamp comes from the documents, never from the clock (feedgen defaults
``lastBuildDate``/``updated`` to now, which would make two builds differ). A summary is plain
text in every format (RSS readers show ``<description>`` as HTML, so there it is escaped for
HTML); content is the page's sanitised HTML with every link and image made absolute, since a
feed reader has no page to resolve ``/ai-digest/posts/x/`` or ``#section`` against.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from digestgen import __version__
from digestgen.config import SiteConfig
from digestgen.model import ArticleRef, Document, Page, Site
from digestgen.outputs import Output
from digestgen.urls import absolute_url

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Drop the control characters XML 1.0 cannot carry (they do turn up in pasted text)."""
    return _XML_INVALID_RE.sub("", text)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry: a document, or one article of a brief (a deep link to its anchor)."""

    url: str
    title: str
    published: datetime
    updated: datetime
    summary: str  # plain text
    html: str  # as the page has it: links relative to ``url``
    categories: tuple[str, ...]
    authors: tuple[tuple[str, str], ...] = ()  # (name, email); none: the site's author


def _page_item(page: Page) -> FeedItem:
    doc = page.doc
    assert doc.date is not None
    return FeedItem(
        page.abs_url,
        doc.title,
        doc.date,
        doc.updated or doc.date,
        doc.summary,
        page.body_html,
        tuple(t.name for t in page.tags),
        document_authors(doc),
    )


def _article_item(ref: ArticleRef) -> FeedItem:
    doc = ref.page.doc
    assert doc.date is not None
    return FeedItem(
        ref.abs_url,
        ref.title,
        doc.date,
        doc.updated or doc.date,
        ref.summary,
        ref.html,
        (ref.category,),
        document_authors(doc),
    )


def document_authors(doc: Document) -> tuple[tuple[str, str], ...]:
    """A document's own authors as (name, email), from frontmatter ``author:`` (Jekyll, Hexo,
    Hugo: a name, a mapping with ``name`` and ``email``, or a list of either) or ``authors:``
    (Hugo, Gatsby). Empty when it names none: the site's author stands in."""
    params: Mapping[str, Any] = doc.params or {}
    value = params.get("author")
    if value is None:
        value = params.get("authors")
    out: list[tuple[str, str]] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            out.append((item.strip(), ""))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str) and \
                item["name"].strip():
            email = item.get("email")
            out.append((item["name"].strip(), email.strip() if isinstance(email, str) else ""))
    return tuple(dict.fromkeys(out))


def _authors(item: FeedItem, config: SiteConfig) -> tuple[tuple[str, str], ...]:
    if item.authors:
        return item.authors
    return ((config.author.name, config.author.email),) if config.author.name else ()


_SRCSET_SPLIT_RE = re.compile(r",\s+")


@lru_cache(maxsize=4096)
def absolute_html(fragment: str, base: str) -> str:
    """``fragment`` with every link and image URL absolute, resolved against ``base`` (the
    page's own URL): ``/ai-digest/x/`` gets the site's origin, ``#part`` the page's URL."""
    if not fragment.strip():
        return fragment
    from lxml import etree
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    for el in root.iter("img", "source"):
        srcset = el.get("srcset")
        if srcset:  # lxml leaves srcset alone: "a.png 1x, b.png 2x"
            candidates = []
            for candidate in _SRCSET_SPLIT_RE.split(srcset.strip()):
                ref, _, size = candidate.strip().partition(" ")
                candidates.append(f"{urljoin(base, ref)} {size}".strip())
            el.set("srcset", ", ".join(candidates))
    head = html.escape(root.text or "", quote=False)
    return head + "".join(etree.tostring(child, encoding="unicode", method="html")
                          for child in root)


def render_feeds(site: Site, config: SiteConfig, memo=None) -> Iterator[Output]:
    """``feed.xml`` and ``atom.xml`` for the site, ``<term>/feed.xml`` for each tag/category."""
    items: list[FeedItem] = []
    for page in site.pages:
        if not _in_feeds(page, config):
            continue
        articles = page.doc.brief.articles if page.doc.brief else ()
        if config.feed.briefs == "articles" and articles:
            items.extend(
                _article_item(ArticleRef(page, a.title, a.anchor, a.category, a.summary, a.html))
                for a in articles
            )
        else:
            items.append(_page_item(page))
    yield from _feed_pair(config, config.title, config.description, "", items, memo)
    yield _json_feed(config, items, memo)
    for term in (*site.tags, *site.categories):
        # Both lists are newest first: the feed's entries are among the first `limit` of each.
        limit = config.feed.limit
        dated = [p for p in term.pages if p.doc.date is not None and p.doc.kind != "page"]
        term_items = [_page_item(p) for p in dated[:limit]]
        term_items += [_article_item(a) for a in term.articles
                       if a.page.doc.date is not None][:limit]
        term_items.sort(key=lambda item: item.published, reverse=True)  # stable: keeps order
        title = f"{config.title} — {term.name}"
        yield _rss(
            config, title, config.description, term.path, term_items, f"{term.path}feed.xml", memo
        )


def _in_feeds(page: Page, config: SiteConfig) -> bool:
    section = config.sections.get(page.doc.section)
    return section is not None and section.feed and page.doc.date is not None


def _feed_pair(config, title, description, path, items, memo) -> Iterator[Output]:
    yield _rss(config, title, description, path, items, f"{path}feed.xml", memo)
    yield _atom(config, title, description, path, items, f"{path}atom.xml", memo)


def _content(item: FeedItem, config: SiteConfig) -> str:
    """The entry's HTML for a feed: sanitised (a site that keeps its raw HTML on its own pages,
    ``unsafe_html``, still does not hand scripts to feed readers) and with absolute URLs."""
    fragment = item.html
    if config.markdown.unsafe_html:
        fragment = _sanitiser(config)(fragment)
    return absolute_html(fragment, item.url)


_SANITISERS: dict[str, Any] = {}


def _sanitiser(config: SiteConfig):
    """The Markdown renderer's sanitiser for these settings (made once: it builds a cleaner)."""
    key = repr(config.markdown)
    if key not in _SANITISERS:
        from digestgen.markdown import MarkdownRenderer

        _SANITISERS[key] = MarkdownRenderer(config.markdown).sanitize
    return _SANITISERS[key]


def _generator(
    config: SiteConfig,
    title: str,
    description: str,
    path: str,
    items: list[FeedItem],
    self_path: str,
    rss: bool,
) -> FeedGenerator:
    abs_url = lambda p: absolute_url(config.base_url, config.base_path, p)  # noqa: E731
    # Imported when a feed is rendered: a build whose feeds are all unchanged never needs
    # feedgen (and the lxml it brings).
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    if rss:
        # RSS <author> must hold an email; names alone go in dc:creator, which readers show.
        fg.load_extension("dc", atom=False, rss=True)
    fg.id(abs_url(path))
    fg.title(_xml_safe(title))
    fg.subtitle(_xml_safe(description or title))
    # feedgen's RSS <link> is the last link given: the site's page, not the feed itself.
    fg.link(href=abs_url(self_path), rel="self")
    fg.link(href=abs_url(path), rel="alternate")
    fg.language(config.language)
    fg.generator("digestgen", __version__, "https://pypi.org/project/digestgen/")
    if config.author.name:
        author = {"name": config.author.name}
        if config.author.email:
            author["email"] = config.author.email
        fg.author(author)
    chosen = items[: config.feed.limit]
    newest = max((item.updated for item in chosen), default=_EPOCH)
    fg.lastBuildDate(newest)
    fg.updated(newest)
    for item in chosen:
        _add_entry(fg.add_entry(order="append"), item, config, rss)
    return fg


def _add_entry(entry, item: FeedItem, config: SiteConfig, rss: bool) -> None:
    """One feed entry: its text as text, its content as sanitised HTML, its authors."""
    entry.id(item.url)
    entry.guid(item.url, permalink=True)
    entry.title(_xml_safe(item.title))
    entry.link(href=item.url)
    entry.published(item.published)
    entry.updated(item.updated)
    if item.summary:
        summary = _xml_safe(item.summary)
        # RSS readers render <description> as HTML; Atom's summary is type="text".
        entry.summary(html.escape(summary, quote=False) if rss else summary)
    if config.feed.full_content:
        # Escaped HTML is valid in both RSS content:encoded and Atom (type="html"); CDATA is
        # not an Atom content type and breaks on a literal "]]>".
        entry.content(_xml_safe(_content(item, config)), type="html")
    authors = _authors(item, config)
    if rss:
        names = [_xml_safe(name) for name, _ in authors]
        if names:
            entry.dc.dc_creator(names)
        entry.author([{"name": _xml_safe(n), "email": _xml_safe(e)}
                      for n, e in authors if e] or None)
    elif authors:
        entry.author([{"name": _xml_safe(n), **({"email": _xml_safe(e)} if e else {})}
                      for n, e in authors])
    for name in item.categories:
        entry.category(term=_xml_safe(name), label=_xml_safe(name))


def _key(config, title, description, path, items, self_path) -> str:
    chosen = items[: config.feed.limit]
    parts = [repr((config.fingerprint(), title, description, path, self_path))]
    for item in chosen:
        parts.append(repr((item.url, item.title, item.published, item.updated, item.summary,
                           item.categories, item.authors)))
        parts.append(hashlib.blake2b(item.html.encode(), digest_size=16).hexdigest())
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _json_feed(config: SiteConfig, items: list[FeedItem], memo=None) -> Output:
    """``feed.json``: JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    abs_url = lambda p: absolute_url(config.base_url, config.base_path, p)  # noqa: E731

    def produce() -> bytes:
        feed: dict = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": config.title,
            "home_page_url": abs_url(""),
            "feed_url": abs_url("feed.json"),
            "language": config.language,
            "items": [],
        }
        if config.description:
            feed["description"] = config.description
        if config.author.name:
            feed["authors"] = [{"name": config.author.name}]
        for item in items[: config.feed.limit]:
            entry = {"id": item.url, "url": item.url, "title": item.title,
                     "date_published": item.published.isoformat(),
                     "date_modified": item.updated.isoformat()}
            if item.summary:
                entry["summary"] = item.summary
            # JSON Feed requires one of the two.
            if config.feed.full_content:
                entry["content_html"] = _content(item, config)
            else:
                entry["content_text"] = item.summary or item.title
            if item.categories:
                entry["tags"] = list(item.categories)
            if item.authors:
                entry["authors"] = [{"name": name} for name, _ in item.authors]
            feed["items"].append(entry)
        return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode()

    if memo is None:
        return Output("feed.json", produce())
    key = _key(config, config.title, config.description, "", items, "feed.json")
    return memo.output("feed.json", key, produce)


def _rss(config, title, description, path, items, self_path, memo=None) -> Output:
    def produce() -> bytes:
        return _generator(config, title, description, path, items, self_path,
                          rss=True).rss_str(pretty=True)

    if memo is None:
        return Output(self_path, produce())
    return memo.output(self_path, _key(config, title, description, path, items, self_path),
                       produce)


def _atom(config, title, description, path, items, self_path, memo=None) -> Output:
    def produce() -> bytes:
        return _generator(config, title, description, path, items, self_path,
                          rss=False).atom_str(pretty=True)

    if memo is None:
        return Output(self_path, produce())
    return memo.output(self_path, _key(config, title, description, path, items, self_path),
                       produce)
