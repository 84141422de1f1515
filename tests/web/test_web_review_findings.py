"""Low findings of the external review of the access work (2026-12-04), each as it was reproduced."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store.sources import add_source, get_source
from newsdesk.text.display import clean_text
from newsdesk.text.urls import UrlError, checked_url
from newsdesk.web.app import create_app


def test_no_redirect_is_built_from_the_host_header(engine: sa.Engine, settings: Settings) -> None:
    """GET /sources/ with Host: evil.example answered 307 Location: http://evil.example/sources."""
    with TestClient(create_app(settings, engine), base_url="http://evil.example") as visitor:
        reply = visitor.get("/sources/", follow_redirects=False)
    assert "evil.example" not in reply.headers.get("location", "")


def test_the_opml_export_is_kept_by_no_shared_cache(engine: sa.Engine, settings: Settings) -> None:
    with TestClient(create_app(settings, engine)) as admin:
        sign_in_as(admin, engine, "admin")
        exported = admin.get("/sources/export.opml")
    assert exported.status_code == 200 and "no-store" in exported.headers["cache-control"]


def test_feed_language_and_region_must_be_codes(engine: sa.Engine) -> None:
    """`en" onmouseover="alert(1)` and `<b>` were stored as a source's language from an OPML file."""
    with engine.begin() as conn:
        refused, _ = add_source(conn, "https://codes.example/feed", language='en" onmouseover="alert(1)',
                                region="<b>")
        kept, _ = add_source(conn, "https://codes.example/other", language="PT_br", region="br")
        assert (get_source(conn, refused).language, get_source(conn, refused).region) == (None, None)
        assert (get_source(conn, kept).language, get_source(conn, kept).region) == ("pt-br", "BR")


def test_urls_with_a_user_name_are_refused() -> None:
    with pytest.raises(UrlError, match="user name"):
        checked_url("https://javascript:alert(1)@feeds4.example/rss")


def test_invisible_characters_that_disguise_text_are_removed() -> None:
    assert clean_text("Bre\u200baking\u2060 news\ufeff\U000e0041\U000e0042") == "Breaking news"
    assert clean_text("می\u200cخواهم 👩\u200d💻") == "می\u200cخواهم 👩\u200d💻"  # ZWNJ and ZWJ are needed


def test_an_empty_secret_key_file_is_made_anew(tmp_path: object, settings: Settings) -> None:
    """A crash (or a race) could leave an empty key file, which was then used as the key for good."""
    from pathlib import Path

    from newsdesk.web.secret_key import secret_key

    data = Path(str(tmp_path)) / "keydata"
    data.mkdir()
    (data / "secret_key").write_bytes(b"")
    key = secret_key(settings.replace(data_dir=str(data), web_secret_key=""))
    assert len(key) >= 32 and (data / "secret_key").read_bytes().strip() == key
