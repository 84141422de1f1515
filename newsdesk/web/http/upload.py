"""Reading one uploaded file from a multipart form with a byte cap applied while the body streams in.

Starlette's ``request.form()`` caps fields, not files: a 300 MB upload was read to its end and spooled. Here the
declared ``Content-Length`` is checked before anything is read, and the bytes of the body are counted as they
arrive (chunked bodies too); as soon as the count passes the cap, :class:`UploadTooLarge` is raised and the rest
of the body is never read. The parser keeps the file in a spooled temporary file (on disk past 1 MB), so memory
holds at most a chunk and the small fields.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request

from newsdesk.web.http.params import int_param

FORM_OVERHEAD = 16 * 1024  # multipart boundaries, part headers and a few small fields


class UploadTooLarge(Exception):
    """The body passed the cap (answered with 413)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload over {max_bytes:,} bytes")
        self.max_bytes = max_bytes


class UploadRefused(Exception):
    """The body is not a multipart form with the file (answered with 400); the message says why."""


@dataclass(frozen=True)
class Upload:
    """The uploaded file's bytes and the form's other (text) fields."""

    data: bytes
    filename: str
    fields: dict[str, str]


async def read_upload(request: Request, field: str, max_bytes: int) -> Upload:
    """The file of form field ``field`` (at most ``max_bytes``) and the other fields; raises
    :class:`UploadTooLarge` or :class:`UploadRefused`."""
    body_cap = max_bytes + FORM_OVERHEAD
    declared = request.headers.get("content-length")
    if declared is not None and (int_param(declared) or 0) > body_cap:
        raise UploadTooLarge(max_bytes)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise UploadRefused("the form must be sent as multipart/form-data")
    parser = MultiPartParser(request.headers, _capped(request, body_cap, max_bytes), max_files=1, max_fields=8,
                             max_part_size=4096)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UploadRefused(exc.message) from None
    except ClientDisconnect:
        raise UploadRefused("the upload was interrupted") from None
    try:
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise UploadRefused(f"no file in the form field {field!r}")
        if (upload.size or 0) > max_bytes:
            raise UploadTooLarge(max_bytes)
        data = await upload.read()
        fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        return Upload(data, upload.filename or "", fields)
    finally:
        await form.close()


async def _capped(request: Request, body_cap: int, max_bytes: int) -> AsyncGenerator[bytes, None]:
    """The body's chunks as they arrive; stops reading with :class:`UploadTooLarge` once past ``body_cap``."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > body_cap:
            raise UploadTooLarge(max_bytes)
        yield chunk
