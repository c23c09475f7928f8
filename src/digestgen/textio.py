"""Bytes → text, for content written on any machine in the last twenty years.

UTF-8 (with or without BOM) is the norm. UTF-16 with a BOM and the legacy Korean code page
(CP949, a superset of EUC-KR) still turn up in old blogs and exported notes; they load with a
warning so the author can convert them. Anything else is an error rather than mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    # A note for the author when the encoding is not plain UTF-8.
    note: str = ""


class DecodeError(ValueError):
    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


def decode(data: bytes, *, normalise: bool = True) -> Decoded:
    """Decode ``data``; raise :class:`DecodeError`, with the line of the problem, if not text.
    Line endings become ``\n``; with ``normalise`` the text is also put in Unicode NFC (the
    Markdown loader does that itself, to prose only: code and URLs stay as written)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(_clean(data[3:].decode("utf-8"), data, normalise), "utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start + 3) + 1
            raise DecodeError(f"not valid UTF-8 (byte 0x{data[exc.start + 3]:02x}); save the "
                              f"file as UTF-8", line) from None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid UTF-16 text ({exc.reason})") from None
            return Decoded(_clean(text, data, normalise), "utf-16",
                           "file is UTF-16; save it as UTF-8")
    try:
        return Decoded(_clean(data.decode("utf-8"), data, normalise), "utf-8")
    except UnicodeDecodeError as utf8_error:
        bad_line = data.count(b"\n", 0, utf8_error.start) + 1
        if b"\x00" in data:
            raise DecodeError("binary data (NUL bytes), not a text file", bad_line) from None
        legacy = _try_legacy_korean(data)
        if legacy is not None:
            return Decoded(
                _clean(legacy, data, normalise),
                "cp949",
                "file is in the legacy Korean encoding CP949/EUC-KR; save it as UTF-8",
            )
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}); save the file as UTF-8",
            bad_line,
        ) from None


def _try_legacy_korean(data: bytes) -> str | None:
    """CP949 if the bytes decode cleanly and look like Korean text, else None."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    if hangul:
        return text
    # No Hangul at all: ask charset-normalizer rather than guess.
    import charset_normalizer  # only for legacy encodings: it is slow to import

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in ("cp949", "euc_kr", "johab"):
        return str(best)
    return None


def _clean(text: str, data: bytes, normalise: bool = True) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DecodeError("binary data (NUL bytes), not a text file", line)
    # Normalise line endings and Unicode form once, here, so every later stage can rely on them
    # (macOS tools write NFD Hangul, which looks identical but compares and searches differently).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text) if normalise else text


def nfc(value: Any) -> Any:
    """``value`` with every string in it (through lists and mappings) in Unicode NFC: for
    frontmatter and prose, never for code (NFC turns U+F90A into U+91D1, and composes the
    decomposed Hangul a post about NFD shows on purpose)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value
