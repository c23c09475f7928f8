"""Load stage: a :class:`~digestgen.model.SourceFile` → a :class:`~digestgen.model.Document`.

One loader per content shape; the loader is chosen by the document's kind (its section's, or
its frontmatter ``kind:``) and, for plain text, by the ``.txt`` extension. Loading is pure with
respect to the site: it reads one file (and its sidecar) and never looks at other documents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from digestgen.config import KINDS, SiteConfig
from digestgen.errors import Diagnostic, error, warning
from digestgen.load import brief, markdown_doc, roundups
from digestgen.load.common import LoadContext, Shaped, assemble
from digestgen.load.frontmatter import FrontmatterError, Split, normalise, parse_yaml_mapping, split
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
    diags.extend(warning(src.rel_path, line, message) for line, message in fm.warnings)
    fm, sidecar_diags = _merge_sidecar(src, fm)
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


def _merge_sidecar(src: SourceFile, fm: Split) -> tuple[Split, list[Diagnostic]]:
    """The sidecar ``name.yaml`` beside ``name.txt``/``name.md`` supplies frontmatter keys
    the file lacks."""
    if not src.sidecar:
        return fm, []
    side = Path(src.sidecar)
    rel = src.rel_path.rsplit(".", 1)[0] + side.suffix
    try:
        data, _, notes = parse_yaml_mapping(side.read_text(encoding="utf-8-sig"), 1, "sidecar")
    except FrontmatterError as exc:
        return fm, [error(rel, exc.line, str(exc))]
    except (UnicodeDecodeError, OSError) as exc:
        return fm, [error(rel, 1, f"cannot read the sidecar: {exc}")]
    found = [warning(rel, line, message) for line, message in notes]
    merged = {str(k): v for k, v in data.items()}
    merged.update(fm.data)
    return dataclasses.replace(fm, data=merged, format=fm.format or "yaml"), found
