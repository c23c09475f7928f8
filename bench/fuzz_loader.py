"""Coverage-guided fuzzing (atheris) of the frontmatter + Markdown loader, for a bounded time.

    pip install atheris
    python bench/fuzz_loader.py [--seconds 300] [--corpus DIR] [libFuzzer flags]

Each input is written as a content file (its shape picked by the first byte: post, wiki note,
roundup, brief, page) and loaded with ``load_document``, which must return a document or our
own diagnostics. Any other exception is a crash: the input is saved as ``crash-*`` and the run
stops. Not part of the test suite (it runs for minutes); findings become regression tests in
tests/site/test_hostile.py. libFuzzer prints its figures at the end (stat::number_of_executed_units,
stat::average_exec_per_sec, …).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from digestgen.config import load_config
    from digestgen.load import load_document
    from digestgen.markdown import MarkdownRenderer
    from digestgen.model import SourceFile

SHAPES = [("posts", "post", ".md"), ("wiki", "wiki", ".md"), ("roundups", "roundup", ".md"),
          ("briefs", "brief", ".txt"), ("", "page", ".md")]

# Seeds in each shape (our own text), so the fuzzer starts from inputs that reach deep code.
SEEDS = [
    b"\x00---\ntitle: \xea\xb8\x80\ndate: 2024-04-24 00:03:00\ntags: [LLM, a]\n---\n# H\n\n- [x] a\n",
    b"\x01---\ncreated: 2023-03-02\n---\n# Note\n[[other#h|label]] ![[img.png]] $x^2$\n```py\nx=1\n```\n",
    b"\x02+++\ntitle = \"t\"\ndate = 2024-05-01\n+++\n### \xec\xa3\xbc\n- **a**: b\n",
    b"\x03AI Brief 2024\xeb\x85\x84 3\xec\x9b\x94\xed\x98\xb8\n\nCONTENTS\n1. A .......... 1\n\n"
    b"1. A\nKEY Contents\n\xe2\x97\x8f s\n - b\n\xe2\x98\x9e \xec\xb6\x9c\xec\xb2\x98: http://x\n",
    b"\x04<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    # Jekyll Liquid and Hexo tag plugins, which the loader rewrites before Markdown.
    b"\x00---\nlayout: post\n---\n# T\n{% raw %}`{{ site.baseurl }}`\n{% endraw %}\n"
    b"{% highlight ruby linenos %}\n{% raw %}{{ x }}{% endraw %}\n{% endhighlight %}\n"
    b"![a]({{ site.baseurl }}/a.png) `{% include x %}` {% post_link a \xea\xb8\x80 %}\n",
    b"\x00---\ntitle: h\n---\n{% codeblock t lang:py %}\nx\n{% endcodeblock %}\n"
    b"{% blockquote A, B http://x.org t %}\nq\n{% endblockquote %}\n{% note warning %}\nn\n"
    b"{% endnote %}\n{% asset_img c.png \"t\" \"a\" %} {% youtube abc %} {% tabs %}\n",
]


class Target:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = load_config(root)
        self.renderer = MarkdownRenderer(self.config.markdown)
        self.runs = 0

    def __call__(self, data: bytes) -> None:
        self.runs += 1
        if not data:
            return
        section, kind, ext = SHAPES[data[0] % len(SHAPES)]
        name = f"{section}/fuzz{ext}" if section else f"fuzz{ext}"
        path = self.root / "content" / name
        path.write_bytes(data[1:])
        src = SourceFile(rel_path=f"content/{name}", content_path=name, section=section,
                         kind=kind, abs_path=str(path))
        doc, diags = load_document(src, self.config, self.renderer)
        if doc is None and not diags:
            raise AssertionError("no document and no diagnostic")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder of seeds, grown by the fuzzer (default: a temp folder)")
    # Anything else goes to libFuzzer as it is (e.g. -len_control=0 -max_len=4096).
    args, extra = parser.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="digestgen-fuzz-") as tmp:
        root = Path(tmp) / "site"
        for section, _, _ in SHAPES:
            (root / "content" / section).mkdir(parents=True, exist_ok=True)
        (root / "site.yaml").write_text(
            "title: fuzz\nbase_url: https://example.github.io/f/\nlanguage: ko\n"
            "timezone: Asia/Seoul\n", encoding="utf-8")
        corpus = args.corpus or Path(tmp) / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for k, seed in enumerate(SEEDS):
            (corpus / f"seed-{k}").write_bytes(seed)
        target = Target(root)
        os.environ.setdefault("PYTHONHASHSEED", "0")
        argv = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-max_len=20000",
                "-rss_limit_mb=4096", "-timeout=30", "-print_final_stats=1",
                f"-artifact_prefix={Path.cwd()}/crash-", *extra]
        atheris.Setup(argv, target)
        atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
