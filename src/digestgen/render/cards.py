"""Share cards: a 1200x630 PNG per document (title, section and date, site name) for the
``og:image`` of pages that have no picture of their own, drawn with Pillow.

Hangul needs a font that has it. The machine's fonts are searched by file name (Noto Sans CJK,
Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, Nanum Gothic…), or site.yaml names a font
file inside the site (``share.font``). Pillow is imported only when a card is drawn.
"""

from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
# Bumped when the drawing changes, so cached cards are drawn again.
CARD_VERSION = 2

FONT_HELP = ("no font with Hangul (or Japanese/Chinese) glyphs was found on this machine for "
             "share cards: install one (Debian/Ubuntu: apt-get install fonts-noto-cjk), or put "
             "a .ttf/.otf file in the site and name it in share.font")

# File names, most wanted first: one family for Latin and Hangul alike, bold before regular.
_CJK_FONTS = (
    r"NotoSansCJK(kr)?-Bold\.(ttc|otf)", r"NotoSansKR-Bold\.(otf|ttf)",
    r"NotoSansCJK(kr)?-(Regular|Medium)\.(ttc|otf)", r"NotoSansKR.*\.(otf|ttf)",
    r"NotoSansCJK.*\.(ttc|otf)", r"AppleSDGothicNeo\.ttc", r"malgunbd\.ttf", r"malgun\.ttf",
    r"NanumGothic(Bold|ExtraBold)\.ttf", r"NanumBarunGothicBold\.ttf", r"NanumGothic\.ttf",
    r"UnDotumBold\.ttf", r"Hiragino.*W6.*\.ttc", r"YuGothB\.ttc", r"msyhbd\.ttc",
    r"PingFang\.ttc", r"wqy-(zenhei|microhei)\.ttc", r"DroidSansFallback.*\.ttf",
)
_LATIN_FONTS = (r"DejaVuSans-Bold\.ttf", r"LiberationSans-Bold\.ttf", r"Arial Bold\.ttf",
                r"arialbd\.ttf", r"Helvetica\.ttc", r"DejaVuSans\.ttf")
_REGULAR_OF = ((r"-Bold\.", "-Regular."), (r"bd\.ttf$", ".ttf"), (r"Bold\.ttf$", ".ttf"))
# The face of a collection (.ttc) to use, by language: Noto's collections hold JP, KR, SC…
_FACE_TAGS = {"ko": "KR", "ja": "JP", "zh": "SC"}


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local/share/fonts", home / ".fonts"]
    if sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if os.name == "nt":
        dirs.append(Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=1)
def _installed() -> tuple[Path, ...]:
    found = []
    for folder in _font_dirs():
        for root, _, names in os.walk(folder):
            found.extend(Path(root) / n for n in names
                         if n.lower().endswith((".ttf", ".otf", ".ttc")))
    return tuple(sorted(found))


def _cjk(language: str) -> bool:
    return language.split("-")[0].lower() in _FACE_TAGS


@lru_cache(maxsize=8)
def font_candidates(language: str) -> tuple[Path, ...]:
    """Font files on this machine that can draw the site's language, best first (empty when a
    CJK language has none; for other languages Pillow's own font is the last resort)."""
    fonts = _installed()
    patterns = _CJK_FONTS + (() if _cjk(language) else _LATIN_FONTS)
    out: list[Path] = []
    for pattern in patterns:
        rx = re.compile(pattern, re.IGNORECASE)
        out.extend(p for p in fonts if rx.fullmatch(p.name) and p not in out)
    if not out and not _cjk(language):
        return (Path("<pillow>"),)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CardFonts:
    """The font files a card is drawn with (bold for the title, regular for the rest) and
    their identity, for the render cache: a different font is a different card."""

    bold: str
    regular: str
    language: str
    identity: str


def card_fonts(language: str, site_font: Path | None) -> CardFonts | None:
    """The fonts for ``language``: ``site_font`` (share.font) for both weights, else the best
    found on this machine; None when there is none."""
    if site_font is not None:
        bold = regular = site_font
    else:
        candidates = font_candidates(language)
        if not candidates:
            return None
        bold = candidates[0]
        regular = next((c for c in candidates
                        if c.name == _regular_name(bold.name) and c.parent == bold.parent), bold)
    ident = []
    for p in (bold, regular):
        try:
            st = p.stat()
            ident.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            ident.append(str(p))
    return CardFonts(str(bold), str(regular), language, "|".join(ident))


def _regular_name(name: str) -> str:
    for pattern, repl in _REGULAR_OF:
        if re.search(pattern, name):
            return re.sub(pattern, repl, name)
    return name


@dataclass(frozen=True, slots=True)
class Card:
    """What a card shows."""

    title: str
    kicker: str  # "포스트 · 2024년 7월 22일"
    site: str
    host: str


# Colours of the theme's light palette.
_BG, _TEXT, _MUTED, _ACCENT, _SOFT = "#fcfcfa", "#1d1f23", "#5b6270", "#2450c4", "#eaf0ff"


def draw_card(card: Card, fonts: CardFonts) -> bytes:
    """The PNG of ``card``: deterministic bytes for the same card and fonts."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (WIDTH, HEIGHT), _BG)
    draw = ImageDraw.Draw(img)
    margin = 88
    draw.rectangle((0, 0, 20, HEIGHT), fill=_ACCENT)
    draw.rectangle((20, HEIGHT - 120, WIDTH, HEIGHT), fill=_SOFT)
    site_font = _font(fonts, "regular", 34)
    draw.text((margin, 70), _fit(draw, card.site, site_font, WIDTH - 2 * margin), font=site_font,
              fill=_ACCENT)
    # The largest title size at which it fits; a long title gets a fourth line, then "…".
    width = WIDTH - 2 * margin
    for size, most in ((68, 3), (60, 3), (54, 4), (48, 4)):
        title_font = _font(fonts, "bold", size)
        lines = _wrap(draw, card.title, title_font, width)
        if len(lines) <= most:
            break
    lines = _clip(draw, lines, title_font, width, most)
    step = int(size * 1.3)
    # Centred in the band between the site's name and the footer.
    top, bottom = 130, HEIGHT - 120
    y = top + (bottom - top - step * len(lines)) // 2
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=_TEXT)
        y += step
    small = _font(fonts, "regular", 30)
    footer_y = HEIGHT - 120 + (120 - 40) // 2
    host_w = draw.textlength(card.host, font=small)
    draw.text((WIDTH - margin - host_w, footer_y), card.host, font=small, fill=_MUTED)
    kicker = _fit(draw, card.kicker, small, WIDTH - 2 * margin - host_w - 40)
    draw.text((margin, footer_y), kicker, font=small, fill=_TEXT)
    out = io.BytesIO()
    # 32 colours (text is anti-aliased in few shades) make a PNG a third the size (about 16 KB
    # instead of 50), which matters for thousands of cards; the fast octree is deterministic.
    img.quantize(colors=32, method=Image.Quantize.FASTOCTREE).save(out, "PNG", compress_level=6)
    return out.getvalue()


_FONTS: dict[tuple[str, str, int], object] = {}


def _font(fonts: CardFonts, weight: str, size: int):
    from PIL import ImageFont

    path = fonts.bold if weight == "bold" else fonts.regular
    key = (path, fonts.language, size)
    font = _FONTS.get(key)
    if font is None:
        if path == "<pillow>":
            font = ImageFont.load_default(size)
        else:
            font = ImageFont.truetype(path, size, index=_face(path, fonts.language, weight))
        _FONTS[key] = font
    return font


@lru_cache(maxsize=32)
def _face(path: str, language: str, weight: str) -> int:
    """The face of a collection for the language and weight (0 for a single font)."""
    if not path.lower().endswith(".ttc"):
        return 0
    from PIL import ImageFont

    tag = _FACE_TAGS.get(language.split("-")[0].lower(), "KR")
    best, best_score = 0, -1
    for index in range(32):
        try:
            family, style = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            break
        family, style = family or "", style or ""
        score = (2 if tag in family.split() else 0) + ("Mono" not in family) * 2 \
            + (1 if (weight == "bold") == ("Bold" in style) else 0)
        if score > best_score:
            best, best_score = index, score
    return best


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``: broken between words (Korean keeps its
    words whole), and inside a word only when the word alone is too wide."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if draw.textlength(line + ch, font=font) > width and line:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines or [""]


def _clip(draw, lines: list[str], font, width: int, most: int) -> list[str]:
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    kept[-1] = _fit(draw, kept[-1] + " " + lines[most], font, width)
    if not kept[-1].endswith("…"):
        kept[-1] = _fit(draw, kept[-1] + "…", font, width)
    return kept


def _fit(draw, text: str, font, width: int) -> str:
    """``text``, cut with an ellipsis to fit ``width``."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"
