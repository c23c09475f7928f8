"""The Jinja environment: the site's templates over the default theme, file by file.

One environment per build (templates compile once). Autoescape is on and undefined names are
errors, so a typo in a template is reported with the template's name and line instead of
rendering an empty string.

The environment records every template a render asks for (:func:`recording`): by
``extends``, ``include``, ``import``, a computed name (``"partials/" ~ page.kind``), a macro's
own include, or a name looked up and not found (``ignore missing``, a theme fallback). A page
is rendered again exactly when one of the templates its last rendering asked for changed
(:class:`TemplateDigests`): its dependencies are recorded, never predicted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path

from digestgen.dates import format_date
from digestgen.errors import TemplateError, error
from digestgen.sitefs import link_problem, named, real_path
from digestgen.theme_location import theme_dir


class SiteLoader(jinja2.BaseLoader):
    """The site's templates over the theme's, file by file.

    A site template is read only where it really is inside the site: a template that is a
    link leading out of it (``templates/404.html → /etc/passwd``), or a templates folder that
    is one, is an error naming the link, never a page.
    """

    def __init__(self, site_templates: Path | None, site_root: Path | None):
        self.folders: list[tuple[Path, Path | None]] = []
        if site_templates is not None and site_root is not None and os.path.islink(
                site_templates) and (problem := link_problem(site_templates, site_root)):
            raise TemplateError([error(named(site_templates, site_root), 0,
                                       f"{problem}; the site's templates are not read")])
        if site_templates is not None and site_templates.is_dir():
            self.folders.append((site_templates, site_root))
        self.folders.append((theme_dir() / "templates", None))

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder, root in self.folders:
            path = folder.joinpath(*pieces)
            if root is not None and os.path.lexists(path):
                problem = link_problem(path, root)
                if problem is not None:
                    raise TemplateError([error(named(path, root), 0,
                                               f"{problem}; this template is not read")])
            try:
                text = path.read_text(encoding="utf-8")
                mtime = path.stat().st_mtime_ns
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue
            except UnicodeDecodeError as exc:
                raise TemplateError([error(named(path, root or folder.parent), 0,
                                           f"template is not UTF-8 text ({exc.reason})")]
                                    ) from None

            def uptodate(path: Path = path, mtime: int = mtime) -> bool:
                try:
                    return path.stat().st_mtime_ns == mtime
                except OSError:
                    return False

            return text, str(path), uptodate
        raise jinja2.TemplateNotFound(template)


def make_environment(site_templates: Path | None, date_format: str,
                     bytecode_cache: jinja2.BytecodeCache | None = None,
                     site_root: Path | None = None) -> jinja2.Environment:
    """An environment whose loader looks in ``site_templates`` first, then the theme; with a
    ``bytecode_cache``, compiled templates are kept between builds. ``site_root`` (resolved):
    the site folder its templates must really be in (default: ``site_templates``' parent)."""
    if site_root is None and site_templates is not None:
        site_root = site_templates.parent.resolve()
    env = RecordingEnvironment(
        loader=SiteLoader(site_templates, site_root),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Edited templates are noticed once per build (begin_build), not by a stat of every
        # template a page extends or imports, on every page.
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=bytecode_cache,
    )

    def date_filter(value: datetime | None, fmt: str | None = None) -> str:
        return format_date(value, fmt or date_format) if value else ""

    def isodate(value: datetime | None) -> str:
        return value.isoformat() if value else ""

    # tojson (JSON-LD): keys sorted for identical builds, Hangul as it is (still HTML-safe).
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters["date"] = date_filter
    env.filters["isodate"] = isodate
    env.globals["memo"] = Memo()
    return env


class RecordingEnvironment(jinja2.Environment):
    """An environment that tells the active :func:`recording` each template name asked for,
    found or not (``include``, ``extends`` and ``import`` all come through these two)."""

    def get_template(self, name, parent=None, globals=None):  # noqa: A002 — Jinja's names
        _note(name, parent, self)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):  # noqa: A002
        if isinstance(names, jinja2.Undefined):
            names._fail_with_undefined_error()
        for name in names:
            if isinstance(name, str):
                _note(name, parent, self)
        return super().select_template(names, parent, globals)


def _note(name, parent, env: jinja2.Environment) -> None:
    if _RECORDING and isinstance(name, str):
        _RECORDING[-1].add(env.join_path(name, parent) if parent is not None else name)


_RECORDING: list[set[str]] = []  # one set per render in progress (a macro's nests inside)


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the names of the templates asked for inside the block (also by code called
    from it); a recording inside another adds to both."""
    names: set[str] = set()
    _RECORDING.append(names)
    try:
        yield names
    finally:
        _RECORDING.pop()
        if _RECORDING:
            _RECORDING[-1].update(names)


class Memo:
    """``memo(macro, *args)`` in a template: what ``macro(*args)`` returns, made once per build
    for the same argument objects. A document's card, say, is the same in every listing.

    Only for a macro that sees nothing but its arguments, which is what a macro imported
    without context is: the views are immutable, and a page's output is already assumed to
    depend on nothing else (the render cache reuses it when its views are unchanged).
    Arguments are told apart by identity and kept alive with the output, so an id is never
    reused for another object while its entry is here. The templates the macro asked for are
    kept too, and told to every page that uses the remembered output.
    """

    def __init__(self) -> None:
        self.outputs: dict[tuple, tuple[tuple, Any, frozenset[str]]] = {}

    def __call__(self, macro: Callable[..., Any], *args: object) -> Any:
        key = (macro, *map(id, args))
        hit = self.outputs.get(key)
        if hit is None:
            with recording() as asked:
                made = macro(*args)
            hit = self.outputs[key] = (args, made, frozenset(asked))
        elif _RECORDING:
            _RECORDING[-1].update(hit[2])
        return hit[1]

    def clear(self) -> None:
        self.outputs.clear()


def begin_build(env: jinja2.Environment) -> None:
    """Ready an environment for a build. A kept one (serve) compiles the templates edited since
    its last build again, and forgets the memoised output of that build."""
    assert env.cache is not None
    for key, template in list(env.cache.items()):
        if not template.is_up_to_date:
            del env.cache[key]
    env.globals["memo"].clear()


class TemplateDigests:
    """A digest of each template name as this build's loader resolves it: its file and text,
    or "missing". A page whose recorded templates all have the digests they had when it was
    rendered needs no rendering again."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.digests: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        digest = self.digests.get(name)
        if digest is None:
            assert self.env.loader is not None
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
                text = f"{filename}\0{source}"
            except jinja2.TemplateNotFound:
                text = "missing"
            digest = self.digests[name] = hashlib.blake2b(
                f"{name}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        return digest

    def of(self, names: frozenset[str]) -> tuple[tuple[str, str], ...]:
        """(name, digest) of each of ``names``, in a stable order."""
        return tuple((n, self(n)) for n in sorted(names))


def template_error(
    exc: BaseException, template_root: Path | None, site_root: Path
) -> TemplateError:
    """Turn a Jinja failure into a TemplateError naming the template file and line."""
    filename, line = None, 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno or 0
    else:
        tb = sys.exc_info()[2] if exc is sys.exc_info()[1] else exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.endswith(".html") or code.co_filename.endswith(".xml"):
                filename, line = code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    shown = _relative(filename, site_root) if filename else "templates"
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return TemplateError([error(shown, line, f"template error: {message}")])


def _relative(filename: str, site_root: Path) -> str:
    path = Path(filename)
    try:
        return (real_path(path) or path).relative_to(site_root.resolve()).as_posix()
    except ValueError:
        theme = theme_dir()
        try:
            return "(default theme) " + path.resolve().relative_to(theme.resolve()).as_posix()
        except ValueError:
            return filename
