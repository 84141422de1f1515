"""decode_page: charset from BOM, header and <meta>, a wrong declared charset, and detection when nothing is said."""

from __future__ import annotations

import codecs

import pytest

from newsdesk.extract import decode_page, extract_article

FRENCH = "Le café de l'été coûte déjà 3 € à Noël — « très cher », dit-on."
JAPANESE = "東京の天気は晴れです。今日は気温が高く、熱中症に注意が必要です。"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_cp1252_declared_in_header() -> None:
    raw = _page(FRENCH).encode("cp1252")
    assert FRENCH in decode_page(raw, "text/html; charset=windows-1252")


def test_latin1_label_means_windows_1252() -> None:
    raw = _page(FRENCH).encode("cp1252")  # the euro sign and dashes only exist in cp1252
    assert FRENCH in decode_page(raw, "text/html; charset=ISO-8859-1")


def test_latin1_declared_in_meta() -> None:
    text = "Über die Brücke gingen Müller und Schäfer."
    raw = _page(text, '<meta charset="iso-8859-1">').encode("latin-1")
    assert text in decode_page(raw)


def test_shift_jis_declared_in_http_equiv_meta() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    raw = _page(JAPANESE, head).encode("shift_jis")
    assert JAPANESE in decode_page(raw)


def test_shift_jis_undeclared_is_detected() -> None:
    raw = _page(JAPANESE * 3).encode("shift_jis")
    assert JAPANESE in decode_page(raw)


@pytest.mark.parametrize("bom_codec", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_wins_over_a_wrong_declaration(bom_codec: str) -> None:
    raw = _page(FRENCH, '<meta charset="shift_jis">').encode(bom_codec)
    text = decode_page(raw, "text/html; charset=iso-8859-1")
    assert FRENCH in text
    assert not text.startswith(codecs.BOM_UTF8.decode("utf-8"))


def test_utf8_page_wrongly_declared_latin1() -> None:
    raw = _page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8")
    assert FRENCH in decode_page(raw, "text/html; charset=ISO-8859-1")


def test_cp1252_page_wrongly_declared_utf8() -> None:
    raw = _page(FRENCH * 4, '<meta charset="utf-8">').encode("cp1252")
    text = decode_page(raw, "text/html; charset=utf-8")
    assert "café" in text and "Noël" in text


def test_unknown_charset_label_is_ignored() -> None:
    raw = _page(FRENCH, '<meta charset="x-no-such-charset">').encode("utf-8")
    assert FRENCH in decode_page(raw, "text/html; charset=bogus")


@pytest.mark.parametrize("raw", [b"", b"\x00", b"\xff\xfe", b"\x81\x8d\x8f\x90\x9d" * 10, bytes(range(256)) * 20])
def test_never_raises_on_odd_bytes(raw: bytes) -> None:
    assert isinstance(decode_page(raw, "text/html; charset=utf-8"), str)


def test_decoded_page_extracts_cleanly() -> None:
    paragraph = " ".join([FRENCH] * 6)
    raw = f"<html><body><article><p>{paragraph}</p><p>{paragraph}</p></article></body></html>".encode("cp1252")
    article = extract_article(decode_page(raw, "text/html; charset=windows-1252"))
    assert "Noël" in article.text
