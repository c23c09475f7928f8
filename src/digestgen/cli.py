"""The ``digestgen`` command: argument parsing, exit codes, and all printing.

Exit codes: 0 success; 1 bad content (every problem listed as ``path:line: message``);
2 usage or site.yaml errors. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from digestgen import __version__
from digestgen.errors import ConfigError, Diagnostic, DigestgenError, Severity

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with a hint, like argparse
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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
    build.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="DIR",
        help="site folder holding site.yaml (default: the current folder)",
    )
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
    build.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks (for bug reports)",
    )
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
    result = build(
        BuildOptions(
            source=source,
            output=args.output,
            drafts=args.drafts,
            strict=args.strict,
            base_url=args.base_url,
        )
    )
    _print_diagnostics(result.diagnostics)
    if not args.quiet:
        warnings = sum(1 for d in result.diagnostics if d.severity is Severity.WARNING)
        note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        print(
            f"built {len(result.site.pages)} documents into {_shown(result.output)} "
            f"({result.stats.files} files, {result.stats.changed} changed) "
            f"in {result.seconds:.2f} s{note}"
        )
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
