"""site.yaml → a frozen, validated :class:`SiteConfig`.

The schema is the dataclasses below; :func:`parse_config` walks them, so a new key is one
field with a default. Unknown keys and wrong types are errors that name the key, its line in
site.yaml and (for typos) the nearest valid key.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import posixpath
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from digestgen import i18n
from digestgen.errors import ConfigError
from digestgen.errors import error as make_error
from digestgen.sitefs import link_problem
from digestgen.yamlsafe import AliasBombError, check_expansion, duplicate_keys

CONFIG_FILE = "site.yaml"
KINDS = ("post", "roundup", "wiki", "brief", "page")

Kind = Literal["post", "roundup", "wiki", "brief", "page"]


@dataclass(frozen=True, slots=True)
class Author:
    name: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class SectionConfig:
    """One content section: a folder under content/ whose files share a kind and a URL scheme."""

    name: str = ""
    # Folder under content_dir; defaults to the section's name.
    dir: str = ""
    kind: Kind = "post"
    title: str = ""
    # Placeholders: {section} {slug} {year} {month} {day}. Must end with "/".
    permalink: str = "/{section}/{slug}/"
    # Whether the section's documents appear on the home page and in the site feeds.
    home: bool = True
    feed: bool = True
    # Order of the section's listing page: newest first ("date") or by title ("title").
    sort: Literal["date", "title"] = "date"
    # A series the section's documents form, unless one names its own (`series:`).
    series: str = ""
    # Whether `[[note]]` is a wiki link here (else text); unset: markdown.wikilinks, else
    # yes where the site has a section of kind wiki.
    wikilinks: bool | None = None


@dataclass(frozen=True, slots=True)
class FeedConfig:
    limit: int = 20
    full_content: bool = True
    # A brief in the site feed: one entry for the whole brief, or one per article (deep links).
    briefs: Literal["brief", "articles"] = "brief"


@dataclass(frozen=True, slots=True)
class MarkdownConfig:
    # Keep raw HTML as written instead of sanitising it: only for sites whose authors are all
    # trusted.
    unsafe_html: bool = False
    highlight: bool = True
    # accessible-pygments' styles: every token colour meets WCAG AA contrast.
    highlight_style: str = "a11y-light"
    highlight_style_dark: str = "a11y-dark"
    # Heading levels that go into a document's table of contents.
    toc_min: int = 2
    toc_max: int = 4
    math: bool = True
    # `[[note]]` as a wiki link in every section (true) or none (false); unset: wherever
    # the site has a section of kind wiki (a section's own `wikilinks:` wins).
    wikilinks: bool | None = None
    # Hosts whose <iframe> embeds survive sanitising.
    iframe_hosts: list[str] = field(
        default_factory=lambda: [
            "www.youtube.com",
            "youtube.com",
            "www.youtube-nocookie.com",
            "player.vimeo.com",
        ]
    )


def _default_sections(table: dict[str, str] | None = None) -> dict[str, SectionConfig]:
    """The sections of a site that names none, titled in the site's language (Korean when
    a SiteConfig is made without site.yaml)."""
    t = table or i18n.KO
    return {
        "posts": SectionConfig(name="posts", dir="posts", kind="post", title=t["section_posts"]),
        "roundups": SectionConfig(
            name="roundups", dir="roundups", kind="roundup", title=t["section_roundups"],
            series=t["roundup_series"]
        ),
        "briefs": SectionConfig(name="briefs", dir="briefs", kind="brief",
                                title=t["section_briefs"]),
        "wiki": SectionConfig(
            name="wiki", dir="wiki", kind="wiki", title=t["section_wiki"], home=False,
            feed=False, sort="title"
        ),
    }


@dataclass(frozen=True, slots=True)
class ShareConfig:
    """The picture a link to the site shows in chat apps and social sites (og:image)."""

    # A default picture: a site path (a file in static/) or an https URL.
    image: str = ""
    # Draw a 1200x630 PNG card (title, section, date, site name) for documents without a
    # picture of their own, and one for the site's other pages.
    cards: bool = False
    # A font file inside the site for the cards; by default one found on the machine.
    font: str = ""


@dataclass(frozen=True, slots=True)
class CommentsConfig:
    """Comments under documents, by giscus (GitHub Discussions) or utterances (GitHub
    issues). Loaded from the provider only when a reader scrolls near them."""

    provider: Literal["", "giscus", "utterances"] = ""
    repo: str = ""  # owner/name
    # giscus: the ids its configuration page (giscus.app) shows for the repository.
    repo_id: str = ""
    category: str = ""
    category_id: str = ""
    # How a page finds its thread: giscus's data-mapping, utterances' issue-term.
    mapping: str = "pathname"
    reactions: bool = True
    # utterances: a label for the issues it opens.
    label: str = ""


@dataclass(frozen=True, slots=True)
class AnalyticsConfig:
    """A visitor counter's script on every page."""

    provider: Literal["", "goatcounter", "plausible", "umami", "google"] = ""
    # goatcounter: the site code; plausible: the domain; umami: the website id;
    # google: the measurement id (G-…).
    id: str = ""
    # The script's URL, for a self-hosted plausible or umami (and goatcounter's endpoint).
    src: str = ""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    base_url: str
    language: str = "ko"
    timezone: str = "UTC"
    description: str = ""
    author: Author = field(default_factory=Author)
    content_dir: str = "content"
    output_dir: str = "_site"
    static_dir: str = "static"
    templates_dir: str = "templates"
    sections: dict[str, SectionConfig] = field(default_factory=_default_sections)
    paginate: int = 10
    feed: FeedConfig = field(default_factory=FeedConfig)
    menu: list[MenuItem] = field(default_factory=list)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    # strftime format; %-d and %-m mean "no leading zero" on every platform.
    date_format: str = ""
    # Glob patterns (relative to content_dir) of files to ignore.
    exclude: list[str] = field(default_factory=list)
    # Publish SVG, HTML and XML files of content/ as written instead of sanitised (only for
    # sites whose every author is trusted: such files run script on the site's origin).
    unsafe_files: bool = False
    # Free-form values for templates: the one place where any key is allowed.
    params: dict[str, Any] = field(default_factory=dict)
    # The theme's words, changed one by one (keys of digestgen.i18n's tables).
    labels: dict[str, str] = field(default_factory=dict)
    share: ShareConfig = field(default_factory=ShareConfig)
    comments: CommentsConfig = field(default_factory=CommentsConfig)
    analytics: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    # Related documents listed under each document (shared tags and title words); 0: none.
    related: int = 4

    # Derived, not read from site.yaml.
    @property
    def base_path(self) -> str:
        """The URL path every internal link starts with, e.g. ``/ai-digest/``."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def words(self) -> dict[str, str]:
        """The theme's words in the site's language, with ``labels:`` over them."""
        return i18n.words(self.language, self.labels)

    @property
    def effective_date_format(self) -> str:
        if self.date_format:
            return self.date_format
        return i18n.table_for(self.language)["date_format"]

    def section_for_kind(self, kind: str) -> SectionConfig | None:
        return next((s for s in self.sections.values() if s.kind == kind), None)

    def fingerprint(self) -> str:
        """A stable hash of every setting, for build caches."""
        blob = json.dumps(dataclasses.asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Loading and validation


def load_config(source: Path, *, base_url: str | None = None) -> SiteConfig:
    """Read ``source/site.yaml``; raise :class:`ConfigError` naming the key and line on problems."""
    path = source / CONFIG_FILE
    if not path.is_file():
        raise ConfigError.at(
            CONFIG_FILE,
            0,
            f"no {CONFIG_FILE} in {source}: run `digestgen build` in the folder holding it, pass "
            f"--source DIR, or create one with at least `title:` and `base_url:` "
            f"(`digestgen init DIR` writes a new site)",
        )
    problem = link_problem(path, source.resolve())
    if problem is not None:
        raise ConfigError.at(CONFIG_FILE, 0, f"{problem}; not read")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError.at(CONFIG_FILE, 0, f"not UTF-8 text ({exc.reason})") from None
    return parse_config(text, base_url=base_url, source=source)


def parse_config(text: str, *, base_url: str | None = None, name: str = CONFIG_FILE,
                 source: Path | None = None) -> SiteConfig:
    """Parse and validate the text of a site.yaml (of the site folder ``source``, when given:
    then the files it names are checked too)."""
    loader = _loader()(text)
    try:
        # Composed once: the node graph is checked for alias bombs before anything walks it,
        # gives each key's line, and is what the values are constructed from.
        node = loader.get_single_node()
        check_expansion(node)
        data = loader.construct_document(node) if node is not None else None
    except AliasBombError as exc:
        raise ConfigError.at(name, exc.line + 1, str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError.at(name, line, f"invalid YAML: {problem}") from None
    finally:
        loader.dispose()
    twice = duplicate_keys(node)
    if twice:
        # site.yaml is read strictly (unknown keys are errors): a key given twice is too.
        raise ConfigError([make_error(name, p.line + 1, p.message) for p in twice])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError.at(name, 1, "site.yaml must be a mapping of keys to values")
    lines = _key_lines(node)
    if base_url:
        data["base_url"] = base_url
    errors: list[tuple[int, str]] = []
    config = _build(SiteConfig, data, (), lines, errors)
    if config is not None and "sections" not in data and isinstance(config.language, str):
        # The default sections are named in the site's language.
        config = dataclasses.replace(
            config, sections=_default_sections(i18n.words(config.language, {
                k: v for k, v in (config.labels or {}).items() if isinstance(v, str)})))
    # Semantic checks assume the types are right; report type errors first.
    if config is not None and not errors:
        errors.extend(_check_semantics(config, lines))
        if source is not None and not errors:
            errors.extend(_check_files(config, lines, source))
    if errors:
        from digestgen.errors import error

        raise ConfigError([error(name, line, msg) for line, msg in sorted(set(errors))])
    assert isinstance(config, SiteConfig)
    return _normalise(config)


def _loader() -> type[yaml.SafeLoader]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _key_lines(node: yaml.Node | None) -> dict[tuple[str, ...], int]:
    """Map each key path (("feed", "limit")) to its 1-based line in site.yaml."""
    out: dict[tuple[str, ...], int] = {}

    def walk(n: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = (*path, str(k.value))
                out[key] = k.start_mark.line + 1
                walk(v, key)
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                key = (*path, str(i))
                out[key] = v.start_mark.line + 1
                walk(v, key)

    if node is not None:
        walk(node, ())
    return out


def _line(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path) if path else "(top level)"


_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp in _TYPE_NAMES:
        return _TYPE_NAMES[tp]
    if origin is list:
        return (
            f"a list of {_describe(typing.get_args(tp)[0]).removeprefix('a ').removeprefix('an ')}s"
        )
    if origin is dict:
        return "a mapping"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return str(tp)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _build(tp: Any, value: Any, path: tuple[str, ...], lines, errors) -> Any:  # noqa: C901
    """Convert ``value`` to ``tp``; append (line, message) to ``errors`` on mismatch."""
    where = _line(lines, path)
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if value is None else _build(args[0], value, path, lines, errors)
    if origin is Literal:
        if value not in typing.get_args(tp):
            errors.append(
                (where, f"{_dotted(path)}: expected {_describe(tp)}, got {_shown(value)}")
            )
        return value
    if tp is bool:
        if not isinstance(value, bool):
            errors.append((where, f"{_dotted(path)}: expected true or false, got {_shown(value)}"))
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append((where, f"{_dotted(path)}: expected an integer, got {_shown(value)}"))
        return value
    if tp is str:
        # YAML reads `title: 2024` as a number; a number is clearly meant as text.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            hint = (
                " (quote it: yes/no/on/off are booleans in YAML)" if isinstance(value, bool) else ""
            )
            errors.append((where, f"{_dotted(path)}: expected a string, got {_shown(value)}{hint}"))
            return ""
        return value
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            errors.append(
                (where, f"{_dotted(path)}: expected {_describe(tp)}, got {_shown(value)}")
            )
            return []
        return [_build(item_tp, v, (*path, str(i)), lines, errors) for i, v in enumerate(value)]
    if origin is dict:
        _, val_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            errors.append((where, f"{_dotted(path)}: expected a mapping, got {_shown(value)}"))
            return {}
        out = {}
        for k, v in value.items():
            out[str(k)] = _build(val_tp, v, (*path, str(k)), lines, errors)
        return out
    if dataclasses.is_dataclass(tp):
        if tp is Author and isinstance(value, str):
            return Author(name=value)
        if not isinstance(value, dict):
            errors.append((where, f"{_dotted(path)}: expected a mapping, got {_shown(value)}"))
            return None
        hints = typing.get_type_hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp)}
        kwargs: dict[str, Any] = {}
        for key, val in value.items():
            key = str(key)
            if key not in fields:
                near = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                valid = ", ".join(sorted(fields))
                errors.append(
                    (
                        _line(lines, (*path, key)),
                        f"unknown key '{_dotted((*path, key))}'{hint} (valid keys here: {valid})",
                    )
                )
                continue
            kwargs[key] = _build(hints[key], val, (*path, key), lines, errors)
        missing = [
            f.name
            for f in fields.values()
            if f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
            and f.name not in kwargs
        ]
        for name in missing:
            errors.append((where, f"missing required key '{_dotted((*path, name))}'"))
        if missing:
            return None
        if tp is SectionConfig:
            kwargs.setdefault("name", path[-1] if path else "")
        try:
            return tp(**kwargs)
        except TypeError as exc:  # a nested failure already recorded
            errors.append((where, f"{_dotted(path)}: {exc}"))
            return None
    return value


def _check_semantics(config: SiteConfig, lines) -> list[tuple[int, str]]:
    errors: list[tuple[int, str]] = []

    def err(path: tuple[str, ...], msg: str) -> None:
        errors.append((_line(lines, path), msg))

    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        err(
            ("base_url",),
            f"base_url: expected an http(s) URL like https://user.github.io/repo/, "
            f"got {config.base_url!r}",
        )
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        err(
            ("timezone",),
            f"timezone: unknown time zone {config.timezone!r} "
            f"(use an IANA name such as Asia/Seoul or UTC)",
        )
    if config.paginate < 1:
        err(("paginate",), "paginate: expected a positive integer")
    if config.feed.limit < 1:
        err(("feed", "limit"), "feed.limit: expected a positive integer")
    md = config.markdown
    if not (1 <= md.toc_min <= md.toc_max <= 6):
        err(
            ("markdown", "toc_min"),
            "markdown.toc_min/toc_max: expected 1 <= toc_min <= toc_max <= 6",
        )
    for key in ("highlight_style", "highlight_style_dark"):
        style = getattr(md, key)
        # Looking the one name up is cheap; listing every style imports all of them.
        from pygments.styles import get_all_styles, get_style_by_name
        from pygments.util import ClassNotFound

        try:
            get_style_by_name(style)
            continue
        except ClassNotFound:
            near = difflib.get_close_matches(style, list(get_all_styles()), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            err(("markdown", key), f"markdown.{key}: unknown Pygments style {style!r}{hint}")
    inside: dict[str, PurePosixPath] = {}  # the folders read from, as paths under the site
    for folder_key in ("content_dir", "output_dir", "static_dir", "templates_dir"):
        value = getattr(config, folder_key)
        # site.yaml arrives with the site, and is as untrusted: it may not send the build's
        # writes elsewhere. Building elsewhere is the command line's to ask (--output).
        elsewhere = " (pass --output DIR to build elsewhere)" if folder_key == "output_dir" else ""
        if not value or Path(value).is_absolute():
            err((folder_key,), f"{folder_key}: expected a folder relative to the site{elsewhere}")
            continue
        folder = _under_site(value)
        if folder is None:
            err((folder_key,), f"{folder_key}: must stay inside the site folder, got "
                               f"{value!r}{elsewhere}")
        elif folder_key == "output_dir":
            continue
        elif folder_key != "content_dir" and not folder.parts:
            # static_dir: . would publish site.yaml, the sources and the last build with them.
            err((folder_key,), f"{folder_key}: must be a folder inside the site, not the site "
                               f"folder itself (the default is {folder_key.split('_')[0]})")
        else:
            inside[folder_key] = folder
    # The theme's files are read from static_dir and templates_dir: never from the content, and
    # never from the output folder (a build would copy its last output into the next one).
    output_dir = None if Path(config.output_dir).is_absolute() else _under_site(config.output_dir)
    if output_dir is not None and not output_dir.parts:
        output_dir = None  # the site folder itself: the build refuses it, saying so
    for folder_key in ("static_dir", "templates_dir"):
        folder = inside.get(folder_key)
        for other_key, other in (("content_dir", inside.get("content_dir")),
                                 ("output_dir", output_dir)):
            if folder is not None and other is not None and (
                    folder == other or other in folder.parents or folder in other.parents):
                # Blame the key written in site.yaml (the other may be a default).
                blamed = folder_key if (folder_key,) in lines or (other_key,) not in lines \
                    else other_key
                err((blamed,), f"{folder_key}: {getattr(config, folder_key)!r} overlaps "
                               f"{other_key} {getattr(config, other_key)!r}; use separate "
                               f"folders")
    seen_dirs: dict[str, str] = {}
    for name, section in config.sections.items():
        path = ("sections", name)
        if not _is_safe_segment(name):
            err(path, f"sections.{name}: a section name must be a plain folder name")
        folder = (section.dir or name).strip("/")
        if ".." in Path(folder).parts or Path(folder).is_absolute():
            err((*path, "dir"), f"sections.{name}.dir: must stay inside {config.content_dir}/")
        if folder in seen_dirs:
            err(
                (*path, "dir"),
                f"sections.{name}.dir: folder {folder!r} is already used by "
                f"section {seen_dirs[folder]!r}",
            )
        seen_dirs[folder] = name
        problem = permalink_problem(section.permalink)
        if problem:
            err((*path, "permalink"), f"sections.{name}.permalink: {problem}")
        if section.kind == "page":
            err(
                (*path, "kind"),
                f"sections.{name}.kind: 'page' is for files at the top of "
                f"{config.content_dir}/; use post, roundup, wiki or brief",
            )
    for i, item in enumerate(config.menu):
        if not item.url:
            err(("menu", str(i)), f"menu.{i}.url: must not be empty")
    if config.related < 0:
        err(("related",), "related: expected 0 (none) or a positive integer")
    errors.extend(_check_labels(config, lines))
    errors.extend(_check_share(config, lines))
    errors.extend(_check_comments(config, lines))
    errors.extend(_check_analytics(config, lines))
    return errors


def _check_labels(config: SiteConfig, lines) -> list[tuple[int, str]]:
    """``labels:`` names words of the theme's tables and keeps their placeholders."""
    errors = []
    table = i18n.table_for(config.language)
    for key, value in config.labels.items():
        where = _line(lines, ("labels", key))
        if key == "date_format":
            errors.append((where, "labels.date_format: set date_format at the top level of "
                                  "site.yaml"))
            continue
        if key not in table:
            near = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            errors.append((where, f"unknown key 'labels.{key}'{hint} (the words are listed in "
                                  f"README's \"Words of the theme\")"))
            continue
        allowed = i18n.allowed_placeholders(key)
        try:
            got = i18n.placeholders(value)
        except ValueError as exc:
            errors.append((where, f"labels.{key}: {exc} (write {{{{ and }}}} for braces)"))
            continue
        if not got <= allowed:
            names = ", ".join("{" + n + "}" for n in sorted(allowed)) or "none"
            errors.append((where, f"labels.{key}: may use only the placeholders {names}, "
                                  f"got {value!r}"))
    return errors


def _is_site_path_or_https(value: str) -> bool:
    parts = urlsplit(value)
    if parts.scheme:
        return parts.scheme == "https" and bool(parts.netloc)
    return not value.startswith("//") and ".." not in PurePosixPath(value).parts


def _check_share(config: SiteConfig, lines) -> list[tuple[int, str]]:
    errors = []
    share = config.share
    if share.image and not _is_site_path_or_https(share.image):
        errors.append((_line(lines, ("share", "image")),
                       f"share.image: expected a path in the site (/img/share.png) or an "
                       f"https URL, got {share.image!r}"))
    if share.font and (Path(share.font).is_absolute() or _under_site(share.font) is None):
        errors.append((_line(lines, ("share", "font")),
                       f"share.font: expected a font file inside the site folder, got "
                       f"{share.font!r}"))
    return errors


def _check_files(config: SiteConfig, lines, source: Path) -> list[tuple[int, str]]:
    """What site.yaml names on disk: the share cards' font."""
    if not config.share.cards:
        return []
    from digestgen.render.cards import FONT_HELP, font_candidates

    if config.share.font:
        path = source / config.share.font
        if not path.is_file():
            return [(_line(lines, ("share", "font")),
                     f"share.font: no such file {config.share.font!r} in the site folder")]
        return []
    if not font_candidates(config.language):
        return [(_line(lines, ("share", "cards")), f"share.cards: {FONT_HELP}")]
    return []


_REPO_RE = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def _check_comments(config: SiteConfig, lines) -> list[tuple[int, str]]:
    c = config.comments
    if not c.provider:
        return []
    errors = []
    needed = ["repo"] + (["repo_id", "category", "category_id"] if c.provider == "giscus" else [])
    for key in needed:
        if not getattr(c, key):
            errors.append((_line(lines, ("comments", "provider")),
                           f"comments: {c.provider} needs 'comments.{key}' (see the provider's "
                           f"setup page)"))
    if c.repo and not _REPO_RE.fullmatch(c.repo):
        errors.append((_line(lines, ("comments", "repo")),
                       f"comments.repo: expected owner/name, got {c.repo!r}"))
    return errors


_ANALYTICS_ID = {
    "goatcounter": (re.compile(r"[a-z0-9-]+"),
                    "your GoatCounter code (the 'x' of x.goatcounter.com)"),
    "plausible": (re.compile(r"[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*"), "the site's domain"),
    "umami": (re.compile(r"[0-9a-fA-F-]{36}"), "the website id (a UUID)"),
    "google": (re.compile(r"G-[A-Z0-9]+"), "the measurement id (G-…)"),
}


def _check_analytics(config: SiteConfig, lines) -> list[tuple[int, str]]:
    a = config.analytics
    if not a.provider:
        return []
    errors = []
    pattern, what = _ANALYTICS_ID[a.provider]
    if not pattern.fullmatch(a.id):
        errors.append((_line(lines, ("analytics", "id") if a.id else ("analytics", "provider")),
                       f"analytics.id: expected {what} for {a.provider}, got {a.id!r}"))
    if a.src and not (urlsplit(a.src).scheme == "https" and urlsplit(a.src).netloc):
        errors.append((_line(lines, ("analytics", "src")),
                       f"analytics.src: expected an https URL, got {a.src!r}"))
    if a.provider == "umami" and not a.src:
        errors.append((_line(lines, ("analytics", "provider")),
                       "analytics: umami needs 'analytics.src', your umami script's URL"))
    return errors


PERMALINK_FIELDS = ("section", "slug", "year", "month", "day")


def permalink_problem(pattern: str) -> str | None:
    """Why a permalink pattern is unusable, or None."""
    if not pattern.startswith("/") or not pattern.endswith("/"):
        return f"must start and end with '/', got {pattern!r}"
    if "{slug}" not in pattern:
        return "must contain {slug} so that each document gets its own URL"
    try:
        pattern.format(**{k: "x" for k in PERMALINK_FIELDS})
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return (
            f"unknown placeholder {exc} (use {', '.join('{' + f + '}' for f in PERMALINK_FIELDS)})"
        )
    if any(p in ("..", ".") for p in pattern.split("/")):
        return "must not contain '.' or '..' segments"
    return None


def _under_site(value: str) -> PurePosixPath | None:
    """A folder of site.yaml as a normalised path under the site folder ("" for the site folder
    itself), or None when it leaves the site ("../x", "a/../../x")."""
    parts: list[str] = []
    for part in PurePosixPath(value.replace("\\", "/")).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return PurePosixPath(*parts)


def _is_safe_segment(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name


def _normalise(config: SiteConfig) -> SiteConfig:
    base_url = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
    sections = {
        name: dataclasses.replace(
            s, name=name, dir=(s.dir or name).strip("/"), title=s.title or name.capitalize()
        )
        for name, s in config.sections.items()
    }
    # Folders as plain paths ("./static/" → "static", "x/../content" → "content"): they are
    # joined to the site folder, where "x/.." would need an x, and name files in diagnostics.
    folders = {key: posixpath.normpath(getattr(config, key))
               for key in ("content_dir", "output_dir", "static_dir", "templates_dir")
               if not Path(getattr(config, key)).is_absolute()}
    return dataclasses.replace(config, base_url=base_url, sections=sections, **folders)
