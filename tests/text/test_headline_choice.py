"""The headline a reader sees (issue 13): the reader's language, else English, else the first; never a cut sentence,
never a lower-case start; the demo's real cut titles repaired from their article's opening sentence."""

from __future__ import annotations

from newsdesk.text.headline_choice import choose_headline, is_proper, repaired

CUT = ('Microsoft has released a temporary patch to fix a "zero-day", or previously unknown, vulnerability in its…')
CUT_TEXT = ('Microsoft has released a temporary patch to fix a "zero-day", or previously unknown, vulnerability in its '
            'Internet Explorer browser. The flaw affects every version.')


def _item(article_id: int, title: str, language: str, text: str = "") -> dict:
    return {"id": article_id, "title": title, "language": language, "excerpt": text}


def test_the_readers_language_then_english_then_the_first() -> None:
    items = [_item(1, "Apple abbasserà i prezzi di iTunes", "it"), _item(2, "Apple cuts iTunes prices in the UK", "en"),
             _item(3, "Apple verlaagt prijzen van iTunes", "nl")]
    assert choose_headline(items, "nl", representative_id=1)[0]["id"] == 3
    assert choose_headline(items, "fr", representative_id=1)[0]["id"] == 2  # no French: English, not Italian
    assert choose_headline(items, "ar", representative_id=1)[1] == "Apple cuts iTunes prices in the UK"
    assert choose_headline(items[:1] + items[2:], "fr", representative_id=1)[0]["id"] == 1  # else the first
    assert choose_headline([], "en") is None


def test_a_cut_sentence_or_lower_case_start_yields_to_a_proper_headline() -> None:
    items = [_item(1, CUT, "en"), _item(2, "fast-moving fire destroys a warehouse", "en"),
             _item(3, "Microsoft patches an Internet Explorer zero-day", "en")]
    assert choose_headline(items, "en", representative_id=1)[0]["id"] == 3
    assert is_proper("iTunes overtakes Wal-Mart") and not is_proper(CUT) and not is_proper("fast fire")


def test_when_none_is_proper_the_first_is_repaired() -> None:
    _, headline = choose_headline([_item(1, CUT, "en", CUT_TEXT)], "en")
    assert headline == CUT_TEXT.split(". ")[0] + "." and not headline.endswith("…")
    assert repaired(CUT) == 'Microsoft has released a temporary patch to fix a "zero-day", or previously unknown'
    assert repaired("fast-moving fire destroyed the historic warehouse.") == (
        "Fast-moving fire destroyed the historic warehouse.")
    assert repaired("“the mayor resigns”") == "“The mayor resigns”"
