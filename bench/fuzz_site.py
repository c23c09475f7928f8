"""Coverage-guided fuzzing (atheris) of what a whole site folder can hold: files and symlinks
in static/, templates/ and content/, and where `digestgen import` is asked to write.

    pip install atheris
    python bench/fuzz_site.py [--seconds 300] [--corpus DIR] [libFuzzer flags]

Each input is read as a list of entries (a place in the site, a name, a file's bytes or a
link to one of: a secret outside the site, a folder outside it, the site's .git, the link
itself, nothing, a file inside the site). The site is built, and a small PDF is imported into
it under a name taken from the input. Whatever the input, the run must end in a document or
our own error (DigestgenError, ImportFailed), the secret must appear in no output file, and
nothing outside the site may change. Anything else is a crash: the input is saved as
``crash-*`` and the run stops. Not part of the test suite (it runs for minutes); findings
become regression tests in tests/. A build takes a few tenths of a second, so expect a few
runs per second; libFuzzer prints its figures at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from digestgen.build import BuildOptions, build
    from digestgen.errors import DigestgenError
    from digestgen.imports.pdf import ImportFailed, import_pdf

SECRET = b"FUZZ-SECRET-0123456789"
PLACES = ["static", "static/css", "static/sub", "templates", "templates/partials",
          "content", "content/posts", "content/posts/b", "content/briefs", "content/wiki"]
TEMPLATE_NAMES = ["base.html", "404.html", "post.html", "_macros.html", "list.html"]
KINDS = ["file", "link", "file", "link"]
TARGETS = ["outside/secret.txt", "outside", "site/.git/config", "self", "nowhere",
           "site/content/posts/good.md", "/proc/self/environ"]
GOOD = "---\ntitle: 좋은 글\ndate: 2024-04-24\ntags: [모델]\n---\n본문 ![그림](b/a.svg)\n"

SEEDS = [
    b"\x00\x01static\x00p.txt\x00",
    b"\x03\x00templates\x00404.html\x00",
    b"\x06\x03content/posts\x00b.yaml\x00",
    b"\x00\x01static\x02css\x00\x01\x04templates\x03post.html\x02",
]


class Target:
    def __init__(self, work: Path, pdf: Path) -> None:
        self.work, self.pdf = work, pdf
        self.runs = 0

    def _site(self) -> Path:
        site = self.work / "site"
        shutil.rmtree(site, ignore_errors=True)
        (site / "content/posts/b").mkdir(parents=True)
        (site / ".git").mkdir()
        (site / ".git/config").write_bytes(SECRET)
        (site / "site.yaml").write_text("title: fuzz\nbase_url: https://example.github.io/f/\n",
                                        encoding="utf-8")
        (site / "content/posts/good.md").write_text(GOOD, encoding="utf-8")
        return site

    def __call__(self, data: bytes) -> None:
        self.runs += 1
        fdp = atheris.FuzzedDataProvider(data)
        site = self._site()
        for _ in range(fdp.ConsumeIntInRange(0, 6)):
            self._entry(site, fdp)
        slug = fdp.ConsumeUnicodeNoSurrogates(40) or "report"
        outside = {p: p.read_bytes() for p in (self.work / "outside").rglob("*") if p.is_file()}
        with contextlib.suppress(DigestgenError):  # our own, named error: fine
            build(BuildOptions(source=site, output=self.work / "out"))
        with contextlib.suppress(ImportFailed, DigestgenError):
            import_pdf(self.pdf, site / "content/briefs", slug, root=site, force=fdp.ConsumeBool())
        for path in (self.work / "out").rglob("*") if (self.work / "out").exists() else ():
            if path.is_file() and SECRET in path.read_bytes():
                raise AssertionError(f"the secret reached the output: {path}")
        now = {p: p.read_bytes() for p in (self.work / "outside").rglob("*") if p.is_file()}
        if now != outside:
            raise AssertionError("a file outside the site was written")
        shutil.rmtree(self.work / "out", ignore_errors=True)

    def _entry(self, site: Path, fdp) -> None:
        place = PLACES[fdp.ConsumeIntInRange(0, len(PLACES) - 1)]
        if place.startswith("templates") and fdp.ConsumeBool():
            name = TEMPLATE_NAMES[fdp.ConsumeIntInRange(0, len(TEMPLATE_NAMES) - 1)]
        else:
            name = fdp.ConsumeUnicodeNoSurrogates(24).replace("/", "_").replace("\0", "") or "x"
        path = site / place / name
        kind = KINDS[fdp.ConsumeIntInRange(0, len(KINDS) - 1)]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(path):
                return
            if kind == "file":
                path.write_bytes(fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 400)))
            else:
                target = TARGETS[fdp.ConsumeIntInRange(0, len(TARGETS) - 1)]
                where = {"self": str(path), "nowhere": str(self.work / "nowhere"),
                         "/proc/self/environ": "/proc/self/environ"}.get(
                    target, str(self.work / target))
                os.symlink(where, path)
        except OSError:
            return  # a name the file system refuses: not an entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder of seeds, grown by the fuzzer (default: a temp folder)")
    args, extra = parser.parse_known_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from makepdf import make_brief_pdf  # the test suite's own small brief PDF

    with tempfile.TemporaryDirectory(prefix="digestgen-fuzz-site-") as tmp:
        work = Path(tmp)
        (work / "outside").mkdir()
        (work / "outside/secret.txt").write_bytes(SECRET)
        pdf = work / "report.pdf"
        make_brief_pdf(pdf)
        corpus = args.corpus or work / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for k, seed in enumerate(SEEDS):
            (corpus / f"seed-{k}").write_bytes(seed)
        target = Target(work, pdf)
        argv = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-max_len=2000",
                "-rss_limit_mb=4096", "-timeout=60", "-print_final_stats=1",
                f"-artifact_prefix={Path.cwd()}/crash-", *extra]
        atheris.Setup(argv, target)
        atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
