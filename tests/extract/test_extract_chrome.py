"""Site chrome in the shape of the seed scrape (logo, nav, cookie banner, app box, related, comments) never survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.extract import extract_article

FIXTURE = Path(__file__).parent / "fixtures" / "chrome_page.html"
URL = "https://news.example/world/today/story.html"
CHROME = ["logo", "Orange background", "time37 minutes ago", "Download the app", "app-store", "play-store",
          "Accept all cookies", "Manage preferences", "Try Our AI Features", "No comments yet", "Related Articles",
          "Massive protest in Saida", "Business", "All rights reserved", "Privacy", "tracking pixel", "background:"]
BODY = ["Ceasefire talks between the two sides are expected to resume next week",
        "Previous rounds of negotiations had been held",
        "guarantees to keep negotiating towards a permanent agreement",
        "a main sticking point is the redeployment of troops after any ceasefire takes place."]


@pytest.fixture(scope="module")
def article():
    return extract_article(FIXTURE.read_text(encoding="utf-8"), URL)


@pytest.mark.parametrize("junk", CHROME)
def test_chrome_does_not_survive(article, junk: str) -> None:
    assert junk.lower() not in article.text.lower()
    assert junk.lower() not in article.html.lower()


def test_whole_body_survives_as_paragraphs(article) -> None:
    for sentence in BODY:
        assert sentence in article.text
    assert article.text.count("\n\n") == 4  # five paragraphs
    assert article.html.count("<p>") == 5


def test_metadata_of_chrome_page(article) -> None:
    assert article.title == "Ceasefire talks expected to resume next week"
    assert article.site_name == "Daily Wire Desk"
    assert article.byline == "Naharnet Newsdesk"
    assert article.published is not None and article.published.isoformat() == "2025-07-26T06:30:00+00:00"
    assert article.image == "https://news.example/images/talks.jpg"
    assert article.canonical_url == "https://news.example/world/ceasefire-talks-resume"
    assert article.language == "en"
