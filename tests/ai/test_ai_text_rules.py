"""Sentence splitting across scripts, citation parsing of LLM replies, and the headline scorer's rules."""

from __future__ import annotations

import pytest

from newsdesk.ai.grounding import Claim, parse_claims
from newsdesk.ai.headlines import best_headline, headline_flags, headline_score
from newsdesk.ai.sentences import looks_like_prose, split_sentences


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "Mr. Smith paid $3.5 million on Monday. The U.S. Army said no.\nA new paragraph.",
     ["Mr. Smith paid $3.5 million on Monday.", "The U.S. Army said no.", "A new paragraph."]),
    ("ar", "قال الرئيس إن الوضع مستقر. هل ستستمر المفاوضات؟ نعم، قال المتحدث.",
     ["قال الرئيس إن الوضع مستقر.", "هل ستستمر المفاوضات؟", "نعم، قال المتحدث."]),
    ("ur", "یہ ایک جملہ ہے۔ یہ دوسرا جملہ ہے۔", ["یہ ایک جملہ ہے۔", "یہ دوسرا جملہ ہے۔"]),
    ("zh", "今天天气很好。我们去公园吧！你觉得怎么样？", ["今天天气很好。", "我们去公园吧！", "你觉得怎么样？"]),
    ("xx-unknown", "One sentence here. Another one there.", ["One sentence here.", "Another one there."]),
])
def test_sentences_split_on_each_scripts_terminators(language, text, expected) -> None:
    sentences = split_sentences(text, language)
    assert [s.text for s in sentences] == expected
    assert [s.position for s in sentences] == list(range(len(expected)))
    assert all(s.text in text for s in sentences)  # verbatim


def test_page_furniture_is_not_prose() -> None:
    keep = "The central bank raised its main interest rate by half a point on Thursday."
    assert looks_like_prose(keep) and split_sentences(keep, "en")[0].prose
    for junk in ["Photo: Reuters | all rights reserved and more words here", "Read more at https://example.com/x",
                 "By John Smith", "BREAKING NEWS FROM THE WIRE SERVICE TODAY AND MORE",
                 "12 : 30 , 45 - 10 - 2024 , 33 / 44 ."]:
        assert not looks_like_prose(junk), junk


def test_citations_are_parsed_in_every_usual_form() -> None:
    reply = "SUMMARY:\n- Apple made a phone [1][2].\nPrices rose. [3]\nShares fell [2, 4]. Nobody knows why.\n"
    assert parse_claims(reply, "en") == [Claim("Apple made a phone.", (1, 2)), Claim("Prices rose.", (3,)),
                                         Claim("Shares fell.", (2, 4)), Claim("Nobody knows why.", ())]


@pytest.mark.parametrize(("title", "language", "flag"), [
    ("You won't believe what Apple just did", "en", "teaser"),
    ("10 things you need to know about the election", "en", "listicle"),
    ("Is this the end of the euro?", "en", "question"),
    ("هل تنهار البورصة اليوم بعد قرار البنك المركزي؟", "ar", "question"),
    ("Esto es lo que pasó en Madrid anoche", "es", "teaser"),
    ("Why it matters", "en", "vague"),
    ("SHOCKING VIDEO from the police chase", "en", "shouting"),
])
def test_clickbait_rules_fire_with_their_names(title, language, flag) -> None:
    assert flag in headline_flags(title, language)


def test_informative_headlines_beat_clickbait() -> None:
    plain = headline_score("Apple unveils iPod with video playback for $299 in the United States", "en")
    bait = headline_score("You won't believe what Apple just did", "en")
    assert not plain.flags and not plain.clickbait and bait.clickbait and plain.score > bait.score
    assert "listicle" not in headline_flags("2009 earthquake kills 300 in central Italy", "en")
    titles = [(7, "You won't believe this", "en"), (3, "Apple unveils iPod with video for $299", "en"),
              (5, "Apple unveils iPod with video for $299", "en")]
    assert best_headline(titles) == 3
    with pytest.raises(ValueError):
        best_headline([])
