"""What a PDF character really is, judged by its font as well as its code.

A report's bullets and sub-head marks are often glyphs of a symbol font (Wingdings, Symbol,
ZapfDingbats…) whose character codes are plain letters: Wingdings' ``n`` is a black square and
its ``£`` a bold circle, and a PDF maker that maps those glyphs back to Unicode by their codes
gives the letters. So a character is read through its font's own table when the font is one of
the dingbat fonts, whatever letter the PDF claims; codes shifted into the private use area
(``U+F06E`` for ``n``, as Windows symbol fonts do) are shifted back first. A private-use
character of any other font has no meaning outside that font, and is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from digestgen.imports.pdf.glyph_tables import FIRST, TABLES

_SUBSET_RE = re.compile(r"^[A-Z]{6}\+")
# Style words that follow a family name: "Wingdings-Regular", "SymbolMT", "Symbol,Bold".
_STYLE_RE = re.compile(r"[-,_ ]?(?:regular|bold|italic|oblique|mt|ps|std|pro)\b", re.IGNORECASE)
# Family names (lower case, without spaces, hyphens or style words) and the fonts that clone
# them under other names (URW's base-35 fonts, which Ghostscript and many PDF makers embed).
_FAMILIES = {
    "wingdings": "wingdings",
    "wingdings2": "wingdings 2",
    "wingdings3": "wingdings 3",
    "webdings": "webdings",
    "zapfdingbats": "zapfdingbats",
    "itczapfdingbats": "zapfdingbats",
    "dingbats": "zapfdingbats",
    "d050000l": "zapfdingbats",
    "symbol": "symbol",
    "symbolneu": "symbol",
    "standardsymbolsps": "symbol",
    "standardsymbolsl": "symbol",
    "standardsyml": "symbol",
}
_PUA = (0xE000, 0xF8FF)
# Kangxi radicals and CJK radicals look like ideographs and are what some fonts' maps give for
# them ("⼤" for "大"); NFKC turns them into the ideographs. Nothing else is normalised here:
# NFKC would also turn "①" into "1" and "™" into "TM".
_RADICALS = (0x2E80, 0x2FDF)
_SPACES = {0x00A0: " ", 0x3000: " ", 0x2002: " ", 0x2003: " ", 0x2009: " "}


@lru_cache(maxsize=256)
def dingbat_table(fontname: str) -> str | None:
    """The code table of ``fontname`` (``ABCDEF+Wingdings-Regular``…) if it is a dingbat font."""
    name = _SUBSET_RE.sub("", fontname)
    name = _STYLE_RE.sub("", name).lower().replace(" ", "").replace("-", "")
    family = _FAMILIES.get(name)
    return TABLES[family] if family else None


def char_text(code: int, table: str | None) -> str:
    """The text of one character: ``code`` as the PDF maps it, ``table`` its font's dingbat
    table (or None). Returns "" for what carries no text (controls, private-use codes of other
    fonts)."""
    if table is not None:
        raw = code - 0xF000 if 0xF000 + FIRST <= code <= 0xF0FF else code
        if FIRST <= raw <= 0xFF:
            mapped = table[raw - FIRST]
            return mapped if mapped != "\0" else ""
    if code in (0x02, 0xAD):
        return "\u00ad"  # PDFium's mark for a hyphen that broke a word at the line's end
    if code < 0x20 or code in (0xFFFD, 0xFFFE, 0xFFFF) or 0x7F <= code < 0xA0:
        return ""
    if _PUA[0] <= code <= _PUA[1]:
        return ""
    if code in _SPACES:
        return " "
    char = chr(code)
    if _RADICALS[0] <= code <= _RADICALS[1]:
        return unicodedata.normalize("NFKC", char)
    return char


def is_private_use(code: int) -> bool:
    """Whether ``code`` is in the Basic Multilingual Plane's private use area."""
    return _PUA[0] <= code <= _PUA[1]
