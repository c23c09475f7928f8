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
from pathlib import Path

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
    ini.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                     help=argparse.SUPPRESS)
    new = commands.add_parser(
        "new",
        help="start a new document (post, roundup, wiki or brief)",
        description="Write a new document into its section with the right frontmatter, slug and "
        "date (posts, roundups and briefs start as drafts). A roundup without a title gets this "
        "week's (\"11월 4주차 AI 모음\"). Never overwrites a file.",
    )
    new.add_argument("kind", choices=["post", "roundup", "wiki", "brief"])
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
    srv.add_argument("--port", type=int, default=8000,
                     help="port to listen on (default: 8000; 0 picks any free port)")
    srv.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                     help="show drafts, marked as drafts (default: yes while serving)")
    srv.add_argument("--strict", action="store_true",
                     help="treat warnings as errors, as `build --strict` does")
    srv.add_argument("--open", action="store_true", help="open the site in a web browser")
    imp = commands.add_parser(
        "import",
        help="import a PDF report as a brief, or another engine's blog with --from",
        description="Extract the text of a PDF report into content/<section>/<slug>.txt, "
        "reflowed for the brief loader, and write <slug>.yaml beside it with what was detected "
        "(title, issue date, publisher). Needs the pdf extra: pip install 'digestgen[pdf]'. "
        "With --from jekyll|hexo|gatsby|hugo, DIR is a blog's folder instead: its posts "
        "and their files are copied into the site, each changed URL gets an aliases: redirect, "
        "and a report lists what was converted and what was not (exit 1 if anything was not).",
    )
    imp.add_argument("file", type=Path, metavar="FILE.pdf|DIR",
                     help="a PDF report, or with --from, the folder of the blog to import")
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
                     help="file name to use for a PDF (default: from the PDF's name)")
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
        if not isinstance(exc, ConfigError):
            print(
                f"build failed: {count} error{'s' if count != 1 else ''}; "
                f"the output folder was left unchanged",
                file=sys.stderr,
            )
        if args.debug:
            raise
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
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
    if result.state is not None and result.state.note and not args.quiet:
        print(f"note: {result.state.note}", file=sys.stderr)
    if args.quiet:
        return EXIT_OK
    if result.site is None:
        print(f"nothing changed since the last build: {_shown(result.output)} is up to date "
              f"({result.documents} documents, {result.seconds:.2f} s)")
        return EXIT_OK
    warnings = sum(1 for d in result.diagnostics if d.severity is Severity.WARNING)
    note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    print(f"built {len(result.site.pages)} documents into {_shown(result.output)} "
          f"({result.stats.files} files, {result.stats.changed} changed; "
          f"{len(result.loaded)} loaded, {len(result.rendered)} pages rendered) "
          f"in {result.seconds:.2f} s{note}")
    return EXIT_OK


def _now(tz=None):
    from datetime import datetime

    return datetime.now(tz).astimezone(tz)


def _init(args: argparse.Namespace) -> int:
    from digestgen.scaffold import ScaffoldError, init_site

    try:
        files = init_site(args.dir, title=args.title, now=_now())
    except ScaffoldError as exc:
        raise ConfigError.at(str(args.dir), 0, str(exc)) from None
    for path in files:
        if not path.name.startswith("."):
            print(f"created {path}")
    print(f"next: cd {args.dir} && digestgen serve")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.scaffold import ScaffoldError, new_document

    source = (args.source or Path.cwd()).resolve()
    config = load_config(source)
    section = config.section_for_kind(args.kind)
    if section is None:
        raise ConfigError.at("site.yaml", 0, f"no section of kind {args.kind!r} in sections")
    folder = source / config.content_dir / section.dir
    try:
        made = new_document(args.kind, args.title, folder, _now(config.tz), config.tz)
    except ScaffoldError as exc:
        print(f"digestgen new: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"created {_shown(made.path)[:-1]} ({made.title})")
    return EXIT_OK


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
        print(f"check: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
              f"in {pages} documents", file=sys.stderr)
        return EXIT_CONTENT
    print(f"check: no problems in {pages} documents"
          + (" (external links included)" if args.external else ""))
    return EXIT_OK


def _deploy(args: argparse.Namespace) -> int:
    import tempfile

    from digestgen.build import BuildOptions, build
    from digestgen.deploy import DeployError, deploy, resolve_remote, source_revision

    source = (args.source or Path.cwd()).resolve()
    if args.drafts:
        print("digestgen deploy: drafts are never deployed; preview them with "
              "digestgen serve --drafts", file=sys.stderr)
        return EXIT_USAGE
    try:
        remote = resolve_remote(source, args.remote)
    except DeployError as exc:
        print(f"digestgen deploy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="digestgen-deploy-site-") as tmp:
        # A build of its own, without drafts; if it fails nothing is pushed.
        result = build(BuildOptions(source=source, output=Path(tmp) / "site", drafts=False,
                                    strict=args.strict, base_url=args.base_url, cache=False))
        _print_diagnostics(result.diagnostics)
        revision = source_revision(source)
        message = args.message or (
            f"Deploy {result.config.title}"
            + (f" from {revision}" if revision else "")
            + f" ({len(result.site.pages)} documents, digestgen {__version__})")
        try:
            done = deploy(result.output, remote, args.branch, message)
        except DeployError as exc:
            print(f"digestgen deploy: {exc}", file=sys.stderr)
            return EXIT_CONTENT
    if done.commit is None:
        print(f"{args.branch} on {remote} already holds this site; nothing pushed")
    else:
        print(f"pushed {done.files} files to {args.branch} on {remote} ({done.commit[:10]})")
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.state import CACHE_DIR, clear_state
    from digestgen.write import MARKER

    source = (args.source or Path.cwd()).resolve()
    removed = []
    if clear_state(source):
        removed.append(f"{CACHE_DIR}/")
    if args.output:
        config = load_config(source)
        output = source / config.output_dir
        if output.is_dir():
            if not (output / MARKER).is_file():
                raise ConfigError.at(str(output), 0, "not removed: digestgen did not make this "
                                     "folder")
            shutil.rmtree(output)
            removed.append(f"{config.output_dir}/")
    print("removed " + ", ".join(removed) if removed else "nothing to clean")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from digestgen.serve import ServeOptions, serve

    if not 0 <= args.port <= 65535:
        raise ConfigError.at("--port", 0, f"expected a port between 0 and 65535, got {args.port}")
    source = args.source or Path.cwd()
    if not source.is_dir():
        raise ConfigError.at(str(source), 0, "--source: no such folder")
    # `kill` stops the preview as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    return serve(ServeOptions(source=source, host=args.host, port=args.port, drafts=args.drafts,
                              strict=args.strict, open_browser=args.open))


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
    try:
        slug = check_slug(args.slug) if args.slug else slugify(args.file.stem)
    except UnsafePathError as exc:
        raise ConfigError.at(str(args.file), 0, f"--slug: {exc}") from None
    if not slug:
        raise ConfigError.at(
            str(args.file), 0, "cannot make a file name from the PDF's name; pass --slug NAME"
        )
    folder = source / config.content_dir / section.dir
    try:
        result = import_pdf(args.file, folder, slug, force=args.force)
    except ImportFailed as exc:
        print(f"digestgen import: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    d = result.detected
    print(
        f"wrote {_shown(result.text_path)[:-1]} and {_shown(result.sidecar_path)[:-1]} "
        f"({result.pages} pages, {result.engine})"
    )
    print(f"  title: {d.title}\n  date:  {d.date or '(not found: set it in the sidecar)'}")
    print("check the text, then run `digestgen build`")
    return EXIT_OK


def _import_blog(args: argparse.Namespace) -> int:
    from digestgen.config import load_config
    from digestgen.imports.blog import BlogImportError, import_blog

    if args.slug is not None:
        print("digestgen import: --slug names a PDF's brief; a blog's posts keep their own "
              "slugs", file=sys.stderr)
        return EXIT_USAGE
    source = (args.source or Path.cwd()).resolve()
    config = load_config(source)
    try:
        result = import_blog(args.blog, args.file, source, config, section=args.section,
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
        print(f"{summary}; found no posts in {args.file}")
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
