"""The ``digestgen`` command: argument parsing, exit codes, and all printing.

Exit codes: 0 success; 1 bad content (every problem listed as ``path:line: message``);
2 usage or site.yaml errors. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from pathlib import Path, PurePosixPath

from digestgen import __version__
from digestgen.errors import ConfigError, Diagnostic, DigestgenError, Severity

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with a hint, like argparse
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _common_arguments(command: argparse.ArgumentParser) -> None:
    """--source and --debug, which every command takes."""
    command.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="DIR",
        help="site folder holding site.yaml (default: the current folder)",
    )
    command.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks (for bug reports)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="digestgen",
        description="Build a static AI-news digest site from roundups, posts, wiki notes "
        "and briefs.",
    )
    parser.add_argument("--version", action="version", version=f"digestgen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for bug reports)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site. Output replaces the output folder only when the whole "
        "build succeeds.",
    )
    _common_arguments(build)
    build.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: <source>/_site, or output_dir in site.yaml)",
    )
    build.add_argument("--drafts", action="store_true", help="include documents marked as drafts")
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning as an error (unresolved links, missing images, …), for CI",
    )
    build.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="override base_url from site.yaml (e.g. for a preview deployment)",
    )
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    build.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="processes that load and render in parallel (default: one per core)")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore the build cache in <source>/.digestgen-cache/ and leave it as "
                       "it is (a build from scratch)")
    ini = commands.add_parser(
        "init",
        help="create a new site (site.yaml, content folders, a first post, a Pages workflow)",
        description="Create a new site in DIR: site.yaml, content/ with a first post, and "
        ".github/workflows/pages.yml that publishes it on GitHub Pages. DIR must be empty or "
        "missing. The site builds at once: cd DIR && digestgen build.",
    )
    ini.add_argument("dir", type=Path, metavar="DIR")
    ini.add_argument("--title", default=None, help="the site's title (default: AI 다이제스트)")
    ini.add_argument("--install", default=None, metavar="SPEC",
                     help="what the publishing workflow installs: digestgen==VERSION, a git URL "
                     "or a wheel's path (default: the digestgen running init, pinned)")
    ini.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                     help=argparse.SUPPRESS)
    new = commands.add_parser(
        "new",
        help="start a new document (post, roundup, wiki, brief or page)",
        description="Write a new document into its section (a page: at the top of content/) "
        "with the right frontmatter, slug and date (posts, roundups and briefs start as "
        "drafts), from the site's archetypes/<kind>.md if it has one. A roundup without a "
        "title gets this week's (\"11월 4주차 AI 모음\"). Never overwrites a file.",
    )
    new.add_argument("kind", choices=["post", "roundup", "wiki", "brief", "page"])
    new.add_argument("title", nargs="?", default=None)
    _common_arguments(new)
    chk = commands.add_parser(
        "check",
        help="build, then check links, anchors, images, feeds, titles and dates",
        description="Build the site (into a temporary folder), then check every internal link, "
        "anchor and image, that feeds are well-formed, and that every page has a title and "
        "every document a date. Each problem is printed with its source file. Exit 1 if any.",
    )
    _common_arguments(chk)
    chk.add_argument("--external", action="store_true",
                     help="also check links to other sites (a few at a time, with a time-out)")
    chk.add_argument("--timeout", type=float, default=10.0, metavar="S",
                     help="seconds to wait for each external link (default: 10)")
    chk.add_argument("--strict", action="store_true",
                     help="treat build warnings as errors, as build --strict does")
    chk.add_argument("--drafts", action="store_true", help="check drafts too")
    dep = commands.add_parser(
        "deploy",
        help="build, then push the site to a gh-pages branch as one commit",
        description="Build the site (never with drafts; a failed build deploys nothing), then "
        "make the --branch of --remote hold exactly that site, in one commit. CNAME and "
        ".nojekyll on the branch are kept. Your working tree is not touched.",
    )
    _common_arguments(dep)
    dep.add_argument("--remote", default="origin",
                     help="git remote name, URL or path (default: origin)")
    dep.add_argument("--branch", default="gh-pages", help="branch to push (default: gh-pages)")
    dep.add_argument("--message", default=None, help="commit message")
    dep.add_argument("--strict", action="store_true",
                     help="treat warnings as errors: deploy nothing if there are any")
    dep.add_argument("--base-url", default=None, metavar="URL",
                     help="build with this base_url instead of site.yaml's")
    dep.add_argument("--allow-dirty", action="store_true",
                     help="deploy even when the site has changes that are not committed (the "
                     "commit message says so)")
    # Accepted only to be refused with a reason: drafts are never published.
    dep.add_argument("--drafts", action="store_true", help=argparse.SUPPRESS)
    cln = commands.add_parser(
        "clean",
        help="remove the build cache (and, with --output, the built site)",
        description="Remove <source>/.digestgen-cache/. With --output, also remove the output "
        "folder, if digestgen made it.",
    )
    _common_arguments(cln)
    cln.add_argument("--output", action="store_true",
                     help="also remove the output folder (default: <source>/_site)")
    srv = commands.add_parser(
        "serve",
        help="build, serve and rebuild on every change, reloading open browser tabs",
        description="Build the site into a private folder, serve it under base_url's path, "
        "watch content/, templates/, static/ and site.yaml, rebuild only what a change "
        "affects and reload the open tabs (stylesheets are swapped in place). A bad edit "
        "shows an overlay in the browser and keeps the last good pages.",
    )
    _common_arguments(srv)
    srv.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default: 127.0.0.1, this machine only)")
    srv.add_argument("--port", type=int, default=None,
                     help="port to listen on (default: 8000, or the next free one; 0 picks "
                     "any free port)")
    srv.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                     help="show drafts, marked as drafts (default: yes while serving)")
    srv.add_argument("--strict", action="store_true",
                     help="treat warnings as errors, as `build --strict` does")
    srv.add_argument("--open", action="store_true", help="open the site in a web browser")
    srv.add_argument("--no-watch", dest="watch", action="store_false",
                     help="serve the output folder as `digestgen build` left it: no build, no "
                     "watching, no live reload")
    imp = commands.add_parser(
        "import",
        help="import a PDF report as a brief, or another engine's blog with --from",
        description="Extract the text of PDF reports into content/<section>/<slug>.txt, "
        "reflowed for the brief loader, and write <slug>.yaml beside each with what was detected "
        "(title, issue date, publisher). Importing a PDF again changes nothing; a file edited "
        "since its import is kept unless --force. Needs the pdf extra: "
        "pip install 'digestgen[pdf]'. "
        "With --from jekyll|hexo|gatsby|hugo, DIR is a blog's folder instead: its posts "
        "and their files are copied into the site, each changed URL gets an aliases: redirect, "
        "and a report lists what was converted and what was not (exit 1 if anything was not).",
    )
    imp.add_argument("file", type=Path, nargs="+", metavar="FILE.pdf|DIR",
                     help="PDF reports, or folders of them (each PDF directly inside is "
                     "imported); with --from, the one folder of the blog to import")
    # Spelled out, not imported: the parser is built on every run, the importer only for this.
    imp.add_argument("--from", dest="blog", choices=("jekyll", "hexo", "gatsby", "hugo"),
                     default=None, help="import the blog in DIR, made with this engine")
    imp.add_argument(
        "--section",
        default=None,
        metavar="NAME",
        help="section to import into (default: the first section of kind brief for a PDF, "
        "of kind post for a blog)",
    )
    imp.add_argument("--slug", default=None,
                     help="file name to use for a single PDF (default: from the PDF's name)")
    _common_arguments(imp)
    imp.add_argument("--force", action="store_true",
                     help="overwrite files that already exist (a brief, or a blog's posts and "
                     "files)")
    imp.add_argument("--keep-urls", action="store_true",
                     help="with --from: imported posts keep their exact old URLs (a `url:` "
                     "in each) instead of getting clean URLs and redirect pages")
    return parser


def run() -> None:
    """The ``digestgen`` console script: :func:`main` on the command line, then exit.

    A build leaves a heap of hundreds of thousands of small objects (documents, pages,
    views) that Python would free one by one on the way out, ~0.1 s on a 5,000-post site
    for nothing: once a build has returned, its output and cache are on disk and its
    worker pools are shut down, so the process ends at once."""
    parser = make_parser()
    args = parser.parse_args()
    code = _run(parser, args)
    if args.command == "build":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = make_parser()
    return _run(parser, parser.parse_args(argv))


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "import":
            return _import(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "clean":
            return _clean(args)
        if args.command == "init":
            return _init(args)
        if args.command == "new":
            return _new(args)
        if args.command == "check":
            return _check(args)
        if args.command == "deploy":
            return _deploy(args)
    except DigestgenError as exc:
        _print_diagnostics(exc.diagnostics)
        count = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        if not isinstance(exc, ConfigError) and args.command in ("build", "check", "deploy"):
            print(
                f"build failed: {plural(count, 'error')}; "
                f"the output folder was left unchanged",
                file=sys.stderr,
            )
        if args.debug:
            raise
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the file system said no (disk full, read-only, permissions)
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename is not None else ""
        print(f"digestgen: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug in digestgen, not in the input
        if args.debug:
            raise
        print(
            f"digestgen: internal error: {type(exc).__name__}: {exc}\n"
            f"This is a bug in digestgen; rerun with --debug and report the traceback.",
            file=sys.stderr,
        )
        return 3
    parser.error(f"unknown command {args.command!r}")
    return EXIT_USAGE


def _build(args: argparse.Namespace) -> int:
    from digestgen.build import BuildOptions, build

    source = args.source or Path.cwd()
    if not source.is_dir():
        raise ConfigError.at(str(source), 0, "--source: no such folder")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError.at("--jobs", 0, f"expected a positive number, got {args.jobs}")
    from digestgen.progress import reporter

    with reporter(enabled=not args.quiet) as progress:
        result = build(BuildOptions(source=source, output=args.output, drafts=args.drafts,
                                    strict=args.strict, base_url=args.base_url, jobs=args.jobs,
                                    cache=not args.no_cache), progress=progress)
    _print_diagnostics(result.diagnostics)
    if result.cache is not None and result.cache.note and not args.quiet:
        print(f"note: {result.cache.note}", file=sys.stderr)
    if args.quiet:
        return EXIT_OK
    if result.site is None:
        print(f"nothing changed since the last build: {_shown(result.output)} is up to date "
              f"({result.seconds:.2f} s)")
    else:
        warnings = sum(1 for d in result.diagnostics if d.severity is Severity.WARNING)
        note = f", {plural(warnings, 'warning')}" if warnings else ""
        print(f"built {plural(len(result.site.pages), 'document')} into "
              f"{_shown(result.output)} ({plural(result.stats.files, 'file')}, "
              f"{result.stats.changed} "
              f"changed; {len(result.loaded)} loaded, "
              f"{plural(len(result.rendered), 'page')} rendered) in {result.seconds:.2f} s"
              f"{note}")
        if not args.drafts:
            drafts = _drafts(result)
            if drafts:
                shown = ", ".join(drafts[:3]) + (f" and {len(drafts) - 3} more"
                                                 if len(drafts) > 3 else "")
                print(f"{plural(len(drafts), 'draft')} not published (use --drafts): {shown}")
    print(_preview_hint(args, result))
    return EXIT_OK


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1: "1 document", "2 documents"."""
    return f"{n} {word}{'' if n == 1 else 'es' if word.endswith(('s', 'sh', 'ch')) else 's'}"


def _drafts(result) -> list[str]:
    """The drafts a build left out, as paths relative to the site."""
    if result.cache is None:
        return []
    return sorted(rel for rel, entry in result.cache.documents.items()
                  if entry.document is not None and entry.document.draft)


def _preview_hint(args: argparse.Namespace, result) -> str:
    """How to look at the site: its links are absolute under base_url's path, so opening
    _site/index.html as a file, or a plain file server inside _site/, shows it unstyled."""
    import shlex

    source = f" --source {shlex.quote(str(args.source))}" if args.source else ""
    default = (result.output.resolve() == ((args.source or Path.cwd()).resolve()
                                           / result.config.output_dir).resolve())
    built = (f", or digestgen serve --no-watch{source} to serve {_shown(result.output)} as "
             "built" if default and not args.base_url else "")
    return f"preview: digestgen serve{source} (rebuilds as you edit){built}"


def _now(tz=None):
    from datetime import datetime

    return datetime.now(tz).astimezone(tz)


def _init(args: argparse.Namespace) -> int:
    from digestgen.scaffold import ScaffoldError, init_site, install_spec

    install, note = (args.install, None) if args.install else install_spec()
    try:
        files = init_site(args.dir, title=args.title, now=_now(), install=install)
    except ScaffoldError as exc:
        raise ConfigError.at(str(args.dir), 0, str(exc)) from None
    for path in files:
        if path.name != ".keep":  # empty files that keep the section folders in git
            print(f"created {path}")
    print(f"the publishing workflow installs {install}")
    if note:
        print(f"note: {note}", file=sys.stderr)
    print(f"next: cd {args.dir} && digestgen new post \"제목\", then digestgen serve")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.scaffold import ScaffoldError, find_archetype, new_document

    source = (args.source or Path.cwd()).resolve()
    config = load_config(source)
    if args.kind == "page":  # pages sit at the top of the content folder
        folder = source / config.content_dir
    else:
        section = config.section_for_kind(args.kind)
        if section is None:
            raise ConfigError.at("site.yaml", 0, f"no section of kind {args.kind!r} in sections")
        folder = source / config.content_dir / section.dir
    try:
        archetype = find_archetype(source, args.kind)
        made = new_document(args.kind, args.title, folder, _now(config.tz), config.tz,
                            archetype)
    except ScaffoldError as exc:
        print(f"digestgen new: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    made_from = f", from {_shown(archetype)[:-1]}" if archetype is not None else ""
    print(f"created {_shown(made.path)[:-1]} ({made.title}{made_from})")
    if _is_draft(made.path):
        print("it is a draft: digestgen serve shows it; remove `draft: true` to publish it")
    return EXIT_OK


def _is_draft(path: Path) -> bool:
    """Whether a new document's frontmatter (built-in or the site's archetype) marks a draft."""
    from digestgen.load.frontmatter import split

    try:
        meta = split(path.read_text(encoding="utf-8")).data
    except Exception:  # noqa: BLE001 — a broken archetype: the build will name its line
        return False
    return isinstance(meta, dict) and (meta.get("draft") is True or meta.get("published") is False)


def _check(args: argparse.Namespace) -> int:
    import tempfile

    from digestgen.build import BuildOptions, build
    from digestgen.check import check_site

    source = args.source or Path.cwd()
    with tempfile.TemporaryDirectory(prefix="digestgen-check-") as tmp:
        result = build(BuildOptions(source=source, output=Path(tmp) / "site", cache=False,
                                    strict=args.strict, drafts=args.drafts))
        _print_diagnostics(result.diagnostics)
        problems = check_site(result, source.resolve(), external=args.external,
                              timeout=args.timeout)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    pages = len(result.site.pages) if result.site else 0
    if problems:
        print(f"check: {plural(len(problems), 'problem')} in {plural(pages, 'document')}",
              file=sys.stderr)
        return EXIT_CONTENT
    print(f"check: no problems in {plural(pages, 'document')}"
          + (" (external links included)" if args.external else ""))
    return EXIT_OK


def _deploy(args: argparse.Namespace) -> int:
    import tempfile

    from digestgen.build import BuildOptions, build
    from digestgen.config import load_config
    from digestgen.deploy import (
        DeployError,
        base_url_problem,
        deploy,
        remote_address,
        resolve_remote,
        source_revision,
        uncommitted,
    )
    from digestgen.pipeline.cache_disk import CACHE_DIR

    source = (args.source or Path.cwd()).resolve()
    if args.drafts:
        print("digestgen deploy: drafts are never deployed; preview them with "
              "digestgen serve --drafts", file=sys.stderr)
        return EXIT_USAGE
    config = load_config(source)
    try:
        remote = resolve_remote(source, args.remote)
    except DeployError as exc:
        print(f"digestgen deploy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    shown = remote_address(source, args.remote) if remote != args.remote else remote
    problem = base_url_problem(args.base_url or config.base_url, shown, args.remote)
    if problem:
        print(f"digestgen deploy: {problem}; nothing pushed", file=sys.stderr)
        return EXIT_USAGE
    output = PurePosixPath(config.output_dir)  # and the lock a build holds beside it
    dirty = uncommitted(source, (str(output), CACHE_DIR,
                                 str(output.parent / f".{output.name}.lock")))
    if dirty:
        listed = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        if not args.allow_dirty:
            print(f"digestgen deploy: {plural(len(dirty), 'file')} not committed ({listed}); "
                  "the deploy would publish them under the last commit's name. Commit them, "
                  "or pass --allow-dirty; nothing pushed", file=sys.stderr)
            return EXIT_USAGE
        print(f"warning: deploying {plural(len(dirty), 'uncommitted file')} ({listed})",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="digestgen-deploy-site-") as tmp:
        # A build of its own, without drafts; if it fails nothing is pushed.
        result = build(BuildOptions(source=source, output=Path(tmp) / "site", drafts=False,
                                    strict=args.strict, base_url=args.base_url, cache=False))
        _print_diagnostics(result.diagnostics)
        revision = source_revision(source)
        label = (f" from {revision}" + (" with uncommitted changes" if dirty else "")
                 if revision else "")
        message = args.message or (
            f"Deploy {result.config.title}{label} "
            f"({plural(len(result.site.pages), 'document')}, digestgen {__version__})")
        try:
            done = deploy(result.output, remote, args.branch, message)
        except DeployError as exc:
            print(f"digestgen deploy: {exc}", file=sys.stderr)
            return EXIT_CONTENT
    if done.commit is None:
        print(f"{args.branch} on {shown} already holds this site; nothing pushed")
    else:
        print(f"pushed {plural(done.files, 'file')} to {args.branch} on {shown} "
              f"({done.commit[:10]}): {result.config.base_url}")
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.pipeline.cache_disk import CACHE_DIR, clear_cache
    from digestgen.write import is_ours

    source = (args.source or Path.cwd()).resolve()
    removed = []
    if clear_cache(source):
        removed.append(f"{CACHE_DIR}/")
    if args.output:
        config = load_config(source)
        output = source / config.output_dir
        if output.is_dir():
            if not is_ours(output):
                raise ConfigError.at(str(output), 0, "not removed: digestgen did not make this "
                                     "folder")
            shutil.rmtree(output)
            removed.append(f"{config.output_dir}/")
    print("removed " + ", ".join(removed) if removed else "nothing to clean")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from digestgen.serve import ServeOptions, serve

    if args.port is not None and not 0 <= args.port <= 65535:
        raise ConfigError.at("--port", 0, f"expected a port between 0 and 65535, got {args.port}")
    source = args.source or Path.cwd()
    if not source.is_dir():
        raise ConfigError.at(str(source), 0, "--source: no such folder")
    # `kill` stops the preview as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    if not args.watch:
        from digestgen.serve.built import serve_built

        return serve_built(source, args.host, args.port, open_browser=args.open)
    return serve(ServeOptions(source=source, host=args.host, port=args.port, drafts=args.drafts,
                              strict=args.strict, open_browser=args.open, debug=args.debug))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _import(args: argparse.Namespace) -> int:
    if args.blog is not None:
        return _import_blog(args)
    from digestgen.config import load_config
    from digestgen.imports.pdf import ImportFailed, import_pdf
    from digestgen.urls import UnsafePathError, check_slug, slugify

    source = (args.source or Path.cwd()).resolve()
    config = load_config(source)
    if args.section is None:
        section = config.section_for_kind("brief") or next(iter(config.sections.values()), None)
    else:
        section = config.sections.get(args.section)
    if section is None:
        known = ", ".join(config.sections) or "none"
        raise ConfigError.at(
            "site.yaml", 0, f"--section: no section {args.section!r} (sections: {known})"
        )
    pdfs = _pdfs(args.file)
    if not pdfs:
        print(f"digestgen import: no PDF files in {', '.join(map(str, args.file))}",
              file=sys.stderr)
        return EXIT_CONTENT
    if args.slug and len(pdfs) != 1:
        raise ConfigError.at(str(args.file[0]), 0, "--slug names one PDF; several were given")
    folder = source / config.content_dir / section.dir
    failed = 0
    slugs: dict[str, Path] = {}
    for pdf in pdfs:
        try:
            slug = check_slug(args.slug) if args.slug else slugify(pdf.stem)
        except UnsafePathError as exc:
            raise ConfigError.at(str(pdf), 0, f"--slug: {exc}") from None
        if not slug:
            raise ConfigError.at(
                str(pdf), 0, "cannot make a file name from the PDF's name; pass --slug NAME"
            )
        if slug in slugs:
            print(f"digestgen import: {pdf}: its file name {slug}.txt is already taken by "
                  f"{slugs[slug]} in this import; import it alone with --slug", file=sys.stderr)
            failed += 1
            continue
        slugs[slug] = pdf
        try:
            result = import_pdf(pdf, folder, slug, root=source, force=args.force)
        except ImportFailed as exc:
            print(f"digestgen import: {exc}", file=sys.stderr)
            failed += 1
            continue
        cover = result.cover
        if not result.changed:
            print(f"{_shown(result.text_path)[:-1]} and {_shown(result.sidecar_path)[:-1]} "
                  f"already hold this import of {pdf.name}; nothing to do")
            continue
        date = cover.issue.date.isoformat() if cover.issue else None
        print(
            f"wrote {_shown(result.text_path)[:-1]} and {_shown(result.sidecar_path)[:-1]} "
            f"({result.pages} pages, {result.engine})"
        )
        print(f"  title: {cover.title or slug}\n  date:  "
              f"{date or '(not found: set it in the sidecar)'}")
        if result.listed:
            found = result.listed - len(result.unmatched)
            print(f"  contents: {found} of {result.listed} entries found in the text"
                  + ("" if not result.unmatched else "; check these titles: "
                     + "; ".join(repr(t) for t in result.unmatched)))
    if failed:
        return EXIT_CONTENT
    print("check the text, then run `digestgen build`")
    return EXIT_OK


def _pdfs(paths: list[Path]) -> list[Path]:
    """The PDFs named, with a folder standing for the PDFs directly inside it, by name."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir()
                              if p.suffix.lower() == ".pdf" and p.is_file()))
        else:
            out.append(path)
    return out


def _import_blog(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.imports.blog import BlogImportError, import_blog

    if args.slug is not None:
        print("digestgen import: --slug names a PDF's brief; a blog's posts keep their own "
              "slugs", file=sys.stderr)
        return EXIT_USAGE
    if len(args.file) != 1:
        print("digestgen import: --from imports one blog: give its one folder", file=sys.stderr)
        return EXIT_USAGE
    blog_dir = args.file[0]
    source = (args.source or Path.cwd()).resolve()
    config = load_config(source)
    try:
        result = import_blog(args.blog, blog_dir, source, config, section=args.section,
                             force=args.force, keep_urls=args.keep_urls)
    except BlogImportError as exc:
        print(f"digestgen import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for post in result.posts:
        notes = [f"alias {post.alias}" if post.alias else "",
                 f"url {post.kept_url}" if post.kept_url else "", "draft" if post.draft else "",
                 f"{post.files} file{'s' if post.files != 1 else ''}" if post.files else "",
                 post.note]
        shown = ", ".join(n for n in notes if n)
        print(f"{post.source} → {post.target}" + (f" ({shown})" if shown else ""))
    labels = {"post": "skipped", "file": "skipped", "page": "not imported",
              "translation": "not imported", "empty": "not imported", "reference": "missing"}
    for item in result.skipped:
        print(f"{labels[item.what]} {item.source}: {item.reason}")
    lost_posts = sum(1 for s in result.skipped if s.what == "post")
    lost_files = sum(1 for s in result.skipped if s.what == "file")
    posts, files = len(result.posts), len(result.files)
    aliases = sum(1 for p in result.posts if p.alias)
    kept = sum(1 for p in result.posts if p.kept_url)
    drafts = sum(1 for p in result.posts if p.draft)
    translations = sum(1 for s in result.skipped if s.what == "translation")

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 'es' if word.endswith('s') else 's'}"

    summary = (f"{result.kind}: imported {count(posts, 'post')}"
               + (f" ({drafts} draft{'s' if drafts != 1 else ''})" if drafts else "")
               + f" and {count(files, 'file')}, wrote {count(aliases, 'alias')}"
               + (f", kept {count(kept, 'old URL')}" if kept else "")
               + (f", left {count(translations, 'translation')} out (listed above)"
                  if translations else ""))
    if lost_posts or lost_files:
        lost = " and ".join(count(n, w) for n, w in ((lost_posts, "post"), (lost_files, "file"))
                            if n)
        print(f"{summary}; could not import {lost} (listed above)")
        return EXIT_CONTENT
    if not posts:
        print(f"{summary}; found no posts in {blog_dir}")
        return EXIT_CONTENT
    print(f"{summary}; next: digestgen build")
    return EXIT_OK


def _print_diagnostics(diags: tuple[Diagnostic, ...]) -> None:
    for d in diags:
        print(d.format(), file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(path) + "/"


if __name__ == "__main__":
    raise SystemExit(main())
