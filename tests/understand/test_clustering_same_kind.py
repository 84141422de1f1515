"""Same-kind events kept apart, and stray pieces re-checked (issue 13), on the bundled demo as a reader gets it: every
original article of the demo newswire, dated by its release schedule (events of one kind arrive hours apart, not on
their real days), streamed through the clustering core. The demo corpus carries each article's gold event."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest

from newsdesk.config import Settings, load_settings
from newsdesk.demo.publishers import load_corpus, schedule
from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.embed import article_text_for_embedding, embed_texts
from newsdesk.understand.evidence import Article
from newsdesk.understand.features import text_features

START = 1.8e9  # any fixed clock: the schedule gives offsets from it
PLEA_TITLE = "pleads not guilty"
SHORT_FIRE_PIECE = "Historic Mat Maid warehouse burns"  # 196 characters of text: scored as a headline on arrival


@pytest.fixture(scope="module")
def demo_stories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[dict], dict[int, int]]]:
    """(the demo's original articles with their gold event, article index -> story) after streaming all of them."""
    tmp = tmp_path_factory.mktemp("demo-stream")
    settings = load_settings(env={"NEWSDESK_DATA_DIR": str(tmp)}, config_file=tmp / "absent.toml")
    event = {row["id"].split("-")[-1][:12]: row["event"] for row in load_corpus()}
    rows = [{"title": a.title, "text": a.text, "language": a.language, "time": START + a.offset,
             "event": event[a.key]} for a in schedule() if not a.wire_of]
    yield rows, _stream(rows, settings)


def _stream(rows: list[dict], settings: Settings) -> dict[int, int]:
    vectors = embed_texts([article_text_for_embedding(r["title"], r["text"], 600) for r in rows])
    clusterer = StoryClusterer(cluster_params(settings))
    joined = {}
    for i, (row, vector) in enumerate(zip(rows, vectors, strict=True)):
        features = text_features(row["title"], row["text"], language=row["language"])
        has_text = len(row["text"]) >= settings.understand_headline_max_chars
        joined[i] = clusterer.add(Article(i, vector, features, row["time"], has_text))
    return {i: clusterer.resolve(clusterer.story_of.get(i, key)) for i, key in joined.items()}


def _stories(rows: list[dict], story_of: dict[int, int], keep) -> set[int]:
    return {story_of[i] for i, row in enumerate(rows) if keep(row)}


@pytest.mark.slow
@pytest.mark.parametrize(("first", "second"), [
    ("meantime-stock-113219", "meantime-stock-113330"),  # markets fall dramatically / shares surge two days later
    ("meantime-apple-23973", "meantime-apple-43503"),  # the video iPod ($299) / movies on iTunes ($9.99)
])
def test_same_kind_events_stay_apart(demo_stories, first, second) -> None:
    rows, story_of = demo_stories
    one, other = (_stories(rows, story_of, lambda r, e=e: r["event"] == e) for e in (first, second))
    assert one and other and not one & other, (one, other)


@pytest.mark.slow
def test_a_plea_and_the_later_verdict_are_two_stories(demo_stories) -> None:
    rows, story_of = demo_stories
    pleas = _stories(rows, story_of, lambda r: r["event"] == "45_ecbplus" and PLEA_TITLE in r["title"])
    verdicts = Counter(story_of[i] for i, r in enumerate(rows) if r["event"] == "45_ecbplus"
                       and ("guilty" in r["title"].lower() or "convicts" in r["title"].lower())
                       and PLEA_TITLE not in r["title"])
    assert len(pleas) == 1 and verdicts, (pleas, verdicts)
    assert pleas.isdisjoint({verdicts.most_common(1)[0][0]}), (pleas, verdicts)  # most verdicts: another story


@pytest.mark.slow
def test_a_short_stray_piece_joins_its_story(demo_stories) -> None:
    rows, story_of = demo_stories
    fire = [i for i, r in enumerate(rows) if r["event"] == "13_ecbplus"]
    sizes: dict[int, int] = defaultdict(int)
    for i in fire:
        sizes[story_of[i]] += 1
    main = max(sizes, key=sizes.get)
    short = next(i for i in fire if rows[i]["title"] == SHORT_FIRE_PIECE)
    assert story_of[short] == main and sizes[main] >= 9, dict(sizes)
