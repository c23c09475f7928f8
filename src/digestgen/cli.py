"""The ``digestgen`` command: argument parsing, exit codes, and all printing.

Exit codes: 0 success; 1 bad content (every problem listed as ``path:line: message``);
2 usage or site.yaml errors. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
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
        help="treat warnings (unresolved links, missing images, guessed dates) as errors, for CI",
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
        help="import a PDF report as a brief (content/<section>/<slug>.txt + sidecar)",
        description="Extract the text of a PDF report into content/<section>/<slug>.txt, "
        "reflowed for the brief loader, and write <slug>.yaml beside it with what was detected "
        "(title, issue date, publisher). Needs the pdf extra: pip install 'digestgen[pdf]'.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.pdf", help="the PDF to import")
    imp.add_argument(
        "--section",
        default=None,
        metavar="NAME",
        help="section to import into (default: the first section of kind brief)",
    )
    imp.add_argument("--slug", default=None, help="file name to use (default: from the PDF's name)")
    _common_arguments(imp)
    imp.add_argument("--force", action="store_true", help="overwrite an existing brief")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
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
    result = build(BuildOptions(source=source, output=args.output, drafts=args.drafts,
                                strict=args.strict, base_url=args.base_url, jobs=args.jobs,
                                cache=not args.no_cache))
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
