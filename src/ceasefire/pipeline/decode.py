"""Bytes to text, with a specific reason when that is impossible."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ceasefire.domain import DropReason
from ceasefire.errors import IngestError

_SNIFF = 8192
# a text file has few control characters besides tab, newline, carriage return, form feed
_CONTROL = bytes(range(0, 32)).translate(None, b"\t\n\r\x0c\x1b")
_MAX_CHAOS = 0.25


def looks_binary(raw: bytes) -> bool:
    head = raw[:_SNIFF]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return controls / len(head) > 0.05


def _mostly_utf8(lenient: str) -> bool:
    """True when UTF-8 reads most non-ASCII characters and only a few bytes are broken."""
    broken = lenient.count("\ufffd")
    non_ascii = sum(1 for ch in lenient if ord(ch) > 127) - broken
    return non_ascii >= 3 and broken <= max(1, non_ascii // 10)


def decode_text(raw: bytes, declared: str | None = None) -> str:
    """Decode ``raw``: UTF-8 (with or without BOM), then the declared charset, then a detected one.

    Raises :class:`IngestError` with reason ``empty``, ``binary`` or ``undecodable``.
    """
    if not raw.strip():
        raise IngestError(DropReason.EMPTY, "the item is empty")
    if looks_binary(raw):
        raise IngestError(DropReason.BINARY, "the item is binary data, not text")
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc, errors="strict")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    lenient = raw.decode("utf-8-sig", errors="replace")
    if _mostly_utf8(lenient):
        return lenient  # a few broken bytes in UTF-8 text: keep the text, mark the damage
    if declared:
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(raw).best()
    if best is None or best.encoding in ("utf_8", "utf_8_sig") or best.chaos > _MAX_CHAOS:
        raise IngestError(
            DropReason.UNDECODABLE,
            f"the text is not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other encoding fits it",
        )
    return str(best)
