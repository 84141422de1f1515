"""Cue reading (newsdesk.understand.polarity): directions in the demo's languages, negation that flips a cue,
subject-relative contests, figures compared without separators or scale, written-out dates."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.understand.polarity import mentioned_dates, negation_flip, numbers_in, opposed_cues, read_cues


@pytest.mark.parametrize(("text", "language", "sign"), [
    ("Stock markets around the world have fallen dramatically today.", "en", -1),
    ("Stock markets around the world have increased dramatically today.", "en", 1),
    ("I mercati azionari di tutto il mondo crollano drasticamente", "it", -1),
    ("Le azioni di tutto il mondo si lanciano in impennata", "it", 1),
    ("Las bolsas de todo el mundo caen drásticamente", "es", -1),
    ("Las acciones de todo el mundo suben repentinamente", "es", 1),
    ("Aandelenbeurzen vertonen wereldwijd dramatische daling", "nl", -1),
    ("Aandelen stijgen internationaal door Amerikaans overheidsplan", "nl", 1),
    ("Les marchés ont chuté de 3 %", "fr", -1),
    ("Der DAX stieg um 2 Prozent", "de", 1),
    ("The Dow Jones was down 2.62% at 16:08 UTC", "en", -1),
])
def test_the_level_direction_is_read_in_each_language(text: str, language: str, sign: int) -> None:
    assert read_cues(text, language).directions == {("level", sign)}


def test_a_negation_before_a_cue_flips_it() -> None:
    plea = read_cues("An Oklahoma man has pleaded not guilty to two first-degree murder charges", "en")
    verdict = read_cues("A jury has convicted a Spiro man of two counts of first-degree murder", "en")
    assert plea.directions == {("verdict", -1)} and verdict.directions == {("verdict", 1)}
    assert opposed_cues(plea, verdict, same_language=True) == ["verdict"]


def test_a_contest_is_read_from_the_side_of_its_subject() -> None:
    lost = read_cues("The Kansas City Chiefs lost to the Indianapolis Colts, 20-13", "en")
    won = read_cues("The Indianapolis Colts won 20-13 at Kansas City", "en")
    assert opposed_cues(lost, won, same_language=True) == []
    assert opposed_cues(read_cues("The Colts lost at home", "en"), won, same_language=True) == ["contest:colts"]


def test_across_languages_an_opposition_must_hold_under_every_lexicon() -> None:
    crash = read_cues("Facing its worst financial crisis since 1989, the government fights to stem off a crash", "en")
    restore = read_cues("De staat doet alles om een crash te voorkomen en het vertrouwen te herstellen", "nl")
    assert opposed_cues(crash, restore, same_language=False) == []


def test_a_negated_word_the_other_asserts_is_a_flip_within_one_language() -> None:
    attends = read_cues("The minister will attend the summit in Rome.", "en")
    skips = read_cues("The minister will not attend the summit in Rome.", "en")
    both = read_cues("The results were not yet known.", "en")
    assert negation_flip(attends, skips) and not negation_flip(both, read_cues("The results won't be known.", "en"))
    assert not read_cues("The Colts secured the No. 5 seed.", "en").negated


def test_figures_compare_without_separators_trailing_zeros_or_scale_words() -> None:
    assert numbers_in("down 2.62% to 11350.58") == numbers_in("bajó un 2,62% hasta 11.350,58")
    assert numbers_in("a $38 billion agreement") == numbers_in("un acuerdo de 38.000 millones de $")
    assert numbers_in("7 people") == frozenset()  # one-digit figures are too common to compare


def test_written_out_dates_in_several_languages() -> None:
    may_3 = date(2013, 5, 3).toordinal()
    assert mentioned_dates("Posted May 3rd, 2013 at noon") == (may_3,)
    assert mentioned_dates("el 3 de mayo de 2013") == (may_3,)
    assert mentioned_dates("Updated 2013-05-03, and 27 September 2013") == (may_3, date(2013, 9, 27).toordinal())
    assert mentioned_dates("on February 30, 2012") == ()


def test_a_hypothetical_or_a_win_of_nobody_named_is_no_direction() -> None:
    assert read_cues("However, a Chiefs win would've likely cost them the first pick.", "en").directions == frozenset()
    assert read_cues("Markets could fall further next week.", "en").directions == frozenset()
    assert read_cues("They took it back down the field and won the game.", "en").directions == frozenset()
