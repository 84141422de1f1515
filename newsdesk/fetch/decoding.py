"""Content-Encoding decoding under a byte cap: a small compressed body cannot blow up into gigabytes in memory.

httpx decodes each network chunk whole, so a 64 KB gzip chunk of zeros becomes 64 MB at once. Here the raw
bytes are inflated in steps of at most ``STEP`` bytes of output, and decoding stops as soon as the total passes
the cap, so memory stays within the cap plus one step.
"""

from __future__ import annotations

import zlib

import brotli

from newsdesk.fetch.errors import FetchError, ResponseTooLarge

STEP = 64 * 1024


class CappedDecoder:
    """Decodes one response body (identity, gzip, deflate or br) and raises once the output passes ``max_bytes``."""

    def __init__(self, content_encoding: str | None, max_bytes: int, url: str) -> None:
        encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
        encodings = [e for e in encodings if e != "identity"]
        if len(encodings) > 1:
            raise FetchError(f"{url}: stacked Content-Encoding {content_encoding!r} is not supported")
        self.encoding = encodings[0] if encodings else "identity"
        self.max_bytes = max_bytes
        self.url = url
        self.size = 0
        self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16) if self.encoding in ("gzip", "x-gzip") else None
        self._deflate_first = self.encoding == "deflate"
        if self._deflate_first:
            self._zlib = zlib.decompressobj()
        self._brotli = brotli.Decompressor() if self.encoding == "br" else None

    def decode(self, raw: bytes) -> bytes:
        """Decoded bytes of the next raw chunk; raises ResponseTooLarge past the cap, FetchError on corrupt data."""
        try:
            if self._zlib is not None:
                return self._inflate(raw)
            if self._brotli is not None:
                return self._unbrotli(raw)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"{self.url}: corrupt {self.encoding} body ({exc})") from None
        return self._count(raw)

    def _inflate(self, raw: bytes) -> bytes:
        assert self._zlib is not None
        if self._deflate_first:  # 'deflate' is zlib-wrapped by the spec, raw deflate by some servers
            self._deflate_first = False
            try:
                return self._inflate_steps(raw)
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate_steps(raw)

    def _inflate_steps(self, raw: bytes) -> bytes:
        assert self._zlib is not None
        out = []
        pending = raw
        while pending and not self._zlib.eof:
            out.append(self._count(self._zlib.decompress(pending, STEP)))
            pending = self._zlib.unconsumed_tail
        return b"".join(out)

    def _unbrotli(self, raw: bytes) -> bytes:
        assert self._brotli is not None
        out = [self._count(self._brotli.process(raw, output_buffer_limit=STEP))]
        while not self._brotli.can_accept_more_data() and not self._brotli.is_finished():
            out.append(self._count(self._brotli.process(b"", output_buffer_limit=STEP)))
        return b"".join(out)

    def _count(self, chunk: bytes) -> bytes:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise ResponseTooLarge(
                f"{self.url}: body passed the {self.max_bytes:,}-byte cap (fetch_max_bytes); aborted"
            )
        return chunk
