"""Bytes → text, for any encoding a news page may come in.

UTF-8 first; a file that is UTF-8 with a few broken bytes keeps its UTF-8 reading (the bytes
replaced, and said so); legacy encodings (Windows-1256 Arabic, Latin-1/Windows-1252 French, UTF-16)
are identified by charset-normalizer among the encodings such news actually uses, so that a short
Arabic page is not read as Cyrillic or Greek.
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

# Encodings the news of the region comes in, in order of preference when equally plausible.
LEGACY_ENCODINGS = ["cp1256", "iso8859_6", "cp1252", "latin_1", "iso8859_15", "utf_16", "cp720"]


class DecodeError(ValueError):
    """The bytes are not a text furat can read (empty, binary, undecodable)."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a BOM
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.05 * len(sample)


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, or raise `DecodeError` with a one-line reason."""
    if not data.strip():
        raise DecodeError("empty file")
    if _looks_binary(data):
        raise DecodeError("binary data, not text")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if bad <= max(3, 0.01 * len(lenient)) and multibyte > 2 * bad:
        return Decoded(lenient, "utf-8", f"invalid UTF-8: {bad} byte sequence(s) replaced by U+FFFD")
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise DecodeError("cannot determine the text encoding")
    text = str(best)
    if not text.strip():
        raise DecodeError("empty file")
    return Decoded(text, best.encoding)
