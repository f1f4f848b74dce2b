import pytest

from ceasefire.domain import DropReason
from ceasefire.errors import IngestError
from ceasefire.pipeline.decode import decode_text


def _reason(raw: bytes) -> str:
    with pytest.raises(IngestError) as info:
        decode_text(raw)
    return info.value.reason


def test_utf8_with_and_without_bom() -> None:
    assert decode_text("Misrata — Tripoli".encode()) == "Misrata — Tripoli"
    assert decode_text(b"\xef\xbb\xbfSirte") == "Sirte"


def test_utf16_with_bom() -> None:
    assert decode_text("Ghadames talks".encode("utf-16")) == "Ghadames talks"


def test_legacy_single_byte_encoding_is_detected() -> None:
    text = "Ghassan Salamé a déclaré que les pourparlers de Genève reprendront jeudi à l'ONU."
    assert decode_text(text.encode("cp1252")) == text


def test_empty_and_whitespace() -> None:
    assert _reason(b"") == DropReason.EMPTY
    assert _reason(b"  \n\t \n") == DropReason.EMPTY


def test_binary() -> None:
    assert _reason(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))) == DropReason.BINARY


def test_utf8_with_a_few_broken_bytes_keeps_its_text() -> None:
    raw = "Salamé met the delegations in Genève on Thursday — “progress”, he said. ".encode()
    text = decode_text(raw + b"\xc3\x28" + raw)
    assert text.count("Genève") == 2
    assert "\ufffd" in text


def test_bytes_no_encoding_reads() -> None:
    with pytest.raises(IngestError) as info:
        decode_text(bytes(range(0x80, 0x100)) * 4)
    assert info.value.reason == DropReason.UNDECODABLE
    assert "not valid UTF-8" in str(info.value)
