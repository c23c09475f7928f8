"""Load stage: a :class:`~digestgen.model.SourceFile` → a :class:`~digestgen.model.Document`.

One loader per content shape; the loader is chosen by the document's kind (its section's, or
its frontmatter ``kind:``) and, for plain text, by the ``.txt`` extension. Loading is pure with
respect to the site: it reads one file (and its sidecar) and never looks at other documents.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

import yaml

from digestgen.config import KINDS, SiteConfig
from digestgen.errors import Diagnostic, error, warning
from digestgen.load import brief, markdown_doc, roundups
from digestgen.load.common import LoadContext, Shaped, assemble
from digestgen.load.frontmatter import YAML_LOADER, FrontmatterError, Split, normalise, split
from digestgen.markdown import MarkdownRenderer
from digestgen.model import Document, SourceFile
from digestgen.textio import DecodeError, decode, nfc

Loader = Callable[[LoadContext], Shaped]

LOADERS: dict[str, Loader] = {
    "post": markdown_doc.load,
    "page": markdown_doc.load,
    "wiki": markdown_doc.load,
    "roundup": roundups.load,
    "brief": brief.load,
}



def _code_version() -> str:
    """A digest of the code that turns a source file into a Document: the loaders, the
    Markdown renderer and the model. Cached documents are reused only while it is unchanged,
    so an edited (or upgraded) loader never serves stale pages, and nobody has to remember
    to bump a number."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted([*package.joinpath("load").glob("*.py"), package / "markdown.py",
                        package / "kramdown.py",
                        package / "model.py", package / "textio.py", package / "dates.py",
                        package / "urls.py"]):
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


LOADER_VERSION = _code_version()


def load_document(
    src: SourceFile, config: SiteConfig, renderer: MarkdownRenderer
) -> tuple[Document | None, list[Diagnostic]]:
    """Load one file. Returns the document (None if it could not be loaded) and diagnostics."""
    diags: list[Diagnostic] = []
    path = Path(src.abs_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(src.rel_path, 0, f"cannot read file: {exc.strerror or exc}")]
    try:
        # Unicode NFC for frontmatter and prose only, below: code and URLs stay as written.
        decoded = decode(data, normalise=False)
    except DecodeError as exc:
        return None, [error(src.rel_path, exc.line, str(exc))]
    if decoded.note:
        diags.append(warning(src.rel_path, 1, decoded.note))
    try:
        fm = split(decoded.text)
    except FrontmatterError as exc:
        return None, [*diags, error(src.rel_path, exc.line, str(exc))]
    fm, sidecar_diags = _merge_sidecar(src, path, fm)
    diags.extend(sidecar_diags)
    fm = Split(nfc(fm.data), fm.body, fm.offset, fm.lines, fm.format)
    meta, meta_diags = normalise(fm, src.rel_path, config.tz)
    diags.extend(meta_diags)
    if any(d.severity == "error" for d in meta_diags):
        return None, diags

    kind, section = src.kind, src.section
    if meta.kind and meta.kind != kind:
        target = config.section_for_kind(meta.kind)
        if meta.kind not in KINDS or (target is None and meta.kind != "page"):
            diags.append(
                error(
                    src.rel_path,
                    meta.lines.get("kind", 1),
                    f"frontmatter 'kind': unknown kind {meta.kind!r} "
                    f"(use one of {', '.join(KINDS)})",
                )
            )
            return None, diags
        kind, section = meta.kind, target.name if target else ""
    text_file = src.content_path.lower().endswith(".txt")
    loader = brief.load if text_file else LOADERS[kind]
    # A brief is prose throughout; Markdown's prose is normalised as it is rendered.
    body = nfc(fm.body) if text_file else fm.body
    ctx = LoadContext(src, meta, body, fm.offset, config, renderer, kind)
    shaped = loader(ctx)
    doc, more = assemble(ctx, shaped, section)
    diags.extend(more)
    return doc, diags


def _merge_sidecar(src: SourceFile, path: Path, fm: Split) -> tuple[Split, list[Diagnostic]]:
    """``name.yaml`` beside ``name.txt``/``name.md`` (at ``path``) supplies frontmatter keys
    the file lacks."""
    for ext in (".yaml", ".yml"):
        side = path.with_suffix(ext)
        if not side.is_file():
            continue
        rel = src.rel_path.rsplit(".", 1)[0] + ext
        try:
            data = yaml.load(side.read_text(encoding="utf-8-sig"), Loader=YAML_LOADER)
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            mark = getattr(exc, "problem_mark", None)
            return fm, [error(rel, mark.line + 1 if mark else 1, f"invalid sidecar YAML: {exc}")]
        if data is None:
            return fm, []
        if not isinstance(data, dict):
            return fm, [error(rel, 1, "sidecar must be a mapping of keys to values")]
        merged = {str(k): v for k, v in data.items()}
        merged.update(fm.data)
        return Split(merged, fm.body, fm.offset, fm.lines, fm.format or "yaml"), []
    return fm, []
