"""Bytes → text (digestgen.textio.decode)."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.textio import Decoded, DecodeError, decode

KOREAN = "제목: 인공지능 뉴스\n본문입니다. 똠방각하\n"


def test_plain_utf8():
    assert decode("안녕 hello\n".encode()) == Decoded("안녕 hello\n", "utf-8", "")


def test_empty_file():
    assert decode(b"") == Decoded("", "utf-8", "")


def test_utf8_bom_is_stripped_without_a_note():
    result = decode(codecs.BOM_UTF8 + "안녕\n".encode())
    assert result.text == "안녕\n"
    assert result.encoding == "utf-8-sig"
    assert result.note == ""


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(bom, codec):
    result = decode(bom + "안녕\r\nhello\n".encode(codec))
    assert result.text == "안녕\nhello\n"
    assert result.encoding == "utf-16"
    assert "UTF-16" in result.note and "UTF-8" in result.note


def test_truncated_utf16_is_an_error():
    with pytest.raises(DecodeError, match="UTF-16") as info:
        decode(codecs.BOM_UTF16_LE + b"a")
    assert info.value.line == 1


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_legacy_korean(codec):
    text = KOREAN if codec == "cp949" else KOREAN.replace(" 똠방각하", "")  # 똠 is CP949-only
    result = decode(text.encode(codec))
    assert result.text == text
    assert result.encoding == "cp949"
    assert "CP949" in result.note and "EUC-KR" in result.note
    assert "UTF-8" in result.note


def test_legacy_korean_line_endings_are_normalised():
    assert decode("가\r\n나\r다".encode("cp949")).text == "가\n나\n다"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\rc", "a\nb\nc"),
        (b"a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
    ],
)
def test_line_endings_become_lf(data, text):
    assert decode(data).text == text


def test_nfd_hangul_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "한글 노트")
    assert nfd != "한글 노트"
    result = decode(nfd.encode())
    assert result.text == "한글 노트"
    assert unicodedata.is_normalized("NFC", result.text)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\x00", 1),
        (b"line1\nline2\x00\n", 2),
        (b"a\nb\nc\n\x00\x01\x02", 4),
        (codecs.BOM_UTF8 + b"x\n\x00", 2),
        (codecs.BOM_UTF16_LE + "a\nb\x00c".encode("utf-16-le"), 2),
    ],
)
def test_nul_bytes_are_binary_data(data, line):
    with pytest.raises(DecodeError, match="NUL") as info:
        decode(data)
    assert info.value.line == line


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"\xff", 1, "0xff"),
        (b"ok line\nsecond \xff\xfe bad\n", 2, "0xff"),
        ("ok\ncafé au lait\n".encode("latin-1"), 2, "0xe9"),
        ("a\nb\n日本語のテキスト\n".encode("shift_jis"), 3, "0x93"),
    ],
)
def test_invalid_non_korean_bytes_name_the_line(data, line, byte):
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert info.value.line == line
    assert "not valid UTF-8" in str(info.value)
    assert byte in str(info.value)


def test_invalid_utf8_after_bom_is_a_decode_error():
    with pytest.raises(DecodeError) as info:
        decode(codecs.BOM_UTF8 + b"ok\n\xff\n")
    assert info.value.line == 2


# -- properties --------------------------------------------------------------------------


@settings(deadline=None)  # charset-normalizer can be slow on odd input
@given(st.binary())
def test_any_bytes_decode_or_raise_decode_error(data):
    try:
        result = decode(data)
    except DecodeError as exc:
        assert exc.line >= 1
        return
    assert isinstance(result, Decoded)
    assert "\r" not in result.text
    assert "\x00" not in result.text
    assert unicodedata.is_normalized("NFC", result.text)


@settings(deadline=None)
@given(st.text())
def test_utf8_text_round_trips_up_to_newlines_and_nfc(text):
    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for data in (text.encode(), codecs.BOM_UTF8 + text.encode(),
                 codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        if "\x00" in text:
            with pytest.raises(DecodeError):
                decode(data)
        else:
            assert decode(data).text == expected
