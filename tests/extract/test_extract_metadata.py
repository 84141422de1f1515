"""Metadata on a JSON-LD fixture and on real dev pages (expected values read by hand from each page's source)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.extract import decode_page, extract_article
from newsdesk.extract.metadata import language_code, parse_datetime

FIXTURES = Path(__file__).parent / "fixtures"


def _dev_page(shared_dir: Path, page_id_prefix: str) -> tuple[str, str]:
    folder = shared_dir / "data" / "extraction-dev"
    path = next((folder / "html").glob(page_id_prefix + "*.html.gz"))
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    url = truth[path.name.removesuffix(".html.gz")]["url"]
    return decode_page(gzip.decompress(path.read_bytes())), url


def test_json_ld_fixture() -> None:
    html = (FIXTURES / "metadata_page.html").read_text(encoding="utf-8")
    article = extract_article(html, "https://quotidien.example/actu/2024/budget.html")
    assert article.title == "Le budget adopté en première lecture"
    assert article.byline == "Claire Martin, Paul Dubois"
    assert article.published == datetime(2024, 10, 22, 19, 15, tzinfo=UTC)
    assert article.updated == datetime(2024, 10, 23, 6, 0, tzinfo=UTC)
    assert article.published.utcoffset().total_seconds() == 0
    assert article.language == "fr"
    assert article.image == "https://quotidien.example/img/hemicycle.jpg"
    assert article.canonical_url == "https://quotidien.example/actu/politique/budget-adopte.html"
    assert article.description == "Les députés ont adopté le budget mardi soir."
    assert article.site_name == "Le Quotidien"
    assert article.tags == ["Budget", "Assemblée", "finances"]
    assert "Le texte part désormais au Sénat" in article.text
    as_dict = article.as_dict()
    assert as_dict["published"] == "2024-10-22T19:15:00+00:00"
    json.dumps(as_dict)


def test_the_verge_page(shared_dir: Path) -> None:
    article = extract_article(*_dev_page(shared_dir, "785affa2c3"))
    assert article.title == "Star Trek 4 eyes Fargo, Legion creator Noah Hawley to direct"
    assert article.byline == "Chaim Gartenberg"
    assert article.published == datetime(2019, 11, 20, 0, 53, 52, tzinfo=UTC)
    assert article.site_name == "The Verge"
    assert article.language == "en"
    assert article.image.startswith("https://cdn.vox-cdn.com/")
    assert article.canonical_url.startswith("https://www.theverge.com/2019/11/19/20973355/")


def test_russian_page_language_and_tags(shared_dir: Path) -> None:
    article = extract_article(*_dev_page(shared_dir, "3c6d3381ef"))
    assert article.language == "ru"
    assert "кулинария" in article.tags
    assert article.published == datetime(2018, 9, 24, 13, 45, tzinfo=UTC)


def test_comment_anchor_url_gets_canonical_without_fragment(shared_dir: Path) -> None:
    html, url = _dev_page(shared_dir, "ac3c035520")
    assert "#comment" in url
    article = extract_article(html, url)
    assert article.canonical_url == "https://blog.givewell.org/2018/09/10/september-2018-open-thread/"
    assert article.site_name == "The GiveWell Blog"


def test_language_detected_from_text_when_page_does_not_say() -> None:
    body = "".join(f"<p>{s}</p>" for s in [
        "Die Bundesregierung hat am Dienstag einen neuen Haushaltsentwurf vorgelegt.",
        "Kritiker aus der Opposition bemängelten, dass vor allem soziale Programme von den Kürzungen betroffen seien.",
        "Der Finanzminister verteidigte den Entwurf und sprach von einem notwendigen Schritt zur Konsolidierung."])
    page = f"<html><head><title>Haushalt</title></head><body><article>{body}</article></body></html>"
    article = extract_article(page)
    assert article.language == "de"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2019-11-19T10:00:00Z", datetime(2019, 11, 19, 10, tzinfo=UTC)),
    ("2019-11-19T10:00:00.000+0100", datetime(2019, 11, 19, 9, tzinfo=UTC)),
    ("2019-11-19", datetime(2019, 11, 19, tzinfo=UTC)),
    ("Tue, 19 Nov 2019 10:00:00 -0500", datetime(2019, 11, 19, 15, tzinfo=UTC)),
    ("November 19, 2019 10:00 AM", datetime(2019, 11, 19, 10, tzinfo=UTC)),
    ("2019-11-19 10:00 IST", datetime(2019, 11, 19, 10, tzinfo=UTC)),
    ("0001-01-01T00:00:00Z", None),
    ("yesterday", None),
    ("", None),
])
def test_parse_datetime(raw: str, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("en-GB", "en"), ("pt_BR", "pt"), ("FR", "fr"), ("", None),
                                               ("english", None), ("zh-Hant-TW", "zh")])
def test_language_code(raw: str, expected: str | None) -> None:
    assert language_code(raw) == expected
