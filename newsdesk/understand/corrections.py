"""Moderators' corrections of story grouping: move an article to another story, split a story, merge two; each
logged (who, when, what changed) and undoable.

A correction changes the stored assignment at once (comments and followers move with a merged story, as they do for
the clusterer's own merges) and leaves constraints for the clusterer from then on (``newsdesk.store.grouping``):

- move A from S to T: A must share T's first article's story, and can never share S's remaining articles';
- split G off S: G's articles must stay together, the rest of S must stay together, and the two never meet;
- merge S and T: S's first article must share T's first article's story.

Wire copies of a moved article move with it (and later copies follow it: the clusterer binds a copy by its
original's constraints). Undo puts articles, merged stories, comments and followers back and lifts the constraints.
"""

from __future__ import annotations

from typing import Any

from newsdesk.config import Settings
from newsdesk.store import grouping, social
from newsdesk.store.db import Connection
from newsdesk.understand.story_values import refresh_stories

CANNOT_LINKS = 20  # articles of the old story a moved article is kept apart from


class CorrectionRefused(ValueError):
    """A correction that cannot be made; the message says why (shown to the moderator)."""


def _live_story(conn: Connection, story_id: int) -> dict[str, Any]:
    story = grouping.story_state(conn, story_id)
    if story is None or story["merged_into"] is not None:
        raise CorrectionRefused(f"story {story_id} does not exist (or was merged into another)")
    return story


def _with_copies(conn: Connection, article_ids: list[int], story_id: int) -> list[int]:
    """The articles and their wire copies in the same story."""
    copies = grouping.stories_of(conn, grouping.copies_of(conn, article_ids))
    return list(dict.fromkeys([*article_ids, *(c for c, s in copies.items() if s == story_id)]))


def _reasons_before(conn: Connection, article_ids: list[int]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "recorded_at"}
            for r in grouping.reasons_of(conn, article_ids).values()]


def _placed(conn: Connection, correction_id: int, placement: dict[int, int]) -> None:
    """Record why the corrected articles are where they are: a moderator put them there."""
    grouping.record_reasons(conn, [{"article_id": a, "story_id": s, "kind": "corrected", "score": None,
                                    "evidence": {"correction": correction_id}, "shared_names": [],
                                    "shared_terms": [], "copy_of": None} for a, s in placement.items()])


def move_article(conn: Connection, settings: Settings, user_id: int, article_id: int, to_story: int) -> int:
    """Move an article (and its wire copies) to another story; returns the correction id."""
    from_story = grouping.stories_of(conn, [article_id]).get(article_id)
    if from_story is None:
        raise CorrectionRefused(f"article {article_id} is in no story")
    _live_story(conn, to_story)
    if to_story == from_story:
        raise CorrectionRefused("the article is already in that story")
    moving = _with_copies(conn, [article_id], from_story)
    rest = [a for a in grouping.members(conn, from_story) if a not in moving]
    target = grouping.members(conn, to_story)
    gone: dict[str, int | None] = {str(from_story): None} if not rest else {}
    before: dict[str, Any] = {"articles": {str(a): from_story for a in moving}, "stories": gone,
                              "reasons": _reasons_before(conn, moving)}
    if not rest:
        before["social"] = {str(from_story): grouping.social_of(conn, from_story)}
        before["kept_followers"] = [f[0] for f in grouping.social_of(conn, to_story)["followers"]]
    links = [("must", article_id, target[0])] + [("cannot", article_id, other) for other in rest[:CANNOT_LINKS]]
    correction_id = grouping.log_correction(conn, user_id, "move", from_story, to_story, moving, before, links)
    grouping.set_stories(conn, dict.fromkeys(moving, to_story))
    if not rest:
        social.move_to_story(conn, from_story, to_story)
        grouping.set_merged_into(conn, from_story, to_story)
    _placed(conn, correction_id, dict.fromkeys(moving, to_story))
    refresh_stories(conn, {from_story, to_story} if rest else {to_story}, None, settings)
    return correction_id


def split_story(conn: Connection, settings: Settings, user_id: int, story_id: int, article_ids: list[int]) -> int:
    """Split the given articles (and their wire copies) off into a new story; returns the correction id."""
    _live_story(conn, story_id)
    in_story = grouping.members(conn, story_id)
    chosen = [a for a in dict.fromkeys(article_ids) if a in set(in_story)]
    if not chosen:
        raise CorrectionRefused("choose articles of this story to split off")
    group = _with_copies(conn, chosen, story_id)
    rest = [a for a in in_story if a not in set(group)]
    if not rest:
        raise CorrectionRefused("a split must leave some articles in the story")
    new_story = grouping.new_story(conn)
    links = ([("must", group[0], a) for a in group[1:]] + [("must", rest[0], a) for a in rest[1:]]
             + [("cannot", group[0], rest[0])])
    before = {"articles": {str(a): story_id for a in group}, "stories": {}, "created": new_story,
              "reasons": _reasons_before(conn, group)}
    correction_id = grouping.log_correction(conn, user_id, "split", story_id, new_story, group, before, links)
    grouping.set_stories(conn, dict.fromkeys(group, new_story))
    _placed(conn, correction_id, dict.fromkeys(group, new_story))
    refresh_stories(conn, {story_id, new_story}, None, settings)
    return correction_id


def merge_stories(conn: Connection, settings: Settings, user_id: int, story_id: int, other_id: int) -> int:
    """Merge two stories (the one with more articles keeps its id); returns the correction id."""
    if story_id == other_id:
        raise CorrectionRefused("a story cannot be merged with itself")
    _live_story(conn, story_id)
    _live_story(conn, other_id)
    first, second = grouping.members(conn, story_id), grouping.members(conn, other_id)
    if not first or not second:
        raise CorrectionRefused("both stories need articles to merge")
    (kept, kept_members), (gone, gone_members) = sorted(
        ((story_id, first), (other_id, second)), key=lambda pair: (-len(pair[1]), pair[0]))
    before = {"articles": {str(a): gone for a in gone_members}, "stories": {str(gone): None},
              "social": {str(gone): grouping.social_of(conn, gone)},
              "kept_followers": [f[0] for f in grouping.social_of(conn, kept)["followers"]]}
    links = [("must", kept_members[0], gone_members[0])]
    correction_id = grouping.log_correction(conn, user_id, "merge", kept, gone, gone_members, before, links)
    grouping.set_stories(conn, dict.fromkeys(gone_members, kept))
    social.move_to_story(conn, gone, kept)
    grouping.set_merged_into(conn, gone, kept)
    refresh_stories(conn, {kept}, None, settings)
    return correction_id


def undo(conn: Connection, settings: Settings, user_id: int, correction_id: int) -> dict[str, Any]:
    """Undo a correction: articles, merged stories, comments and followers go back; its constraints lapse."""
    done = grouping.correction(conn, correction_id)
    if done is None:
        raise CorrectionRefused(f"correction {correction_id} does not exist")
    if done["undone_at"] is not None:
        raise CorrectionRefused(f"correction {correction_id} was undone already")
    before = done["before"]
    involved = {done["story_id"], done["other_story_id"], before.get("created")}
    involved |= {int(s) for s in before["articles"].values() if s is not None}
    involved.discard(None)
    if later := grouping.later_corrections(conn, correction_id, involved):
        raise CorrectionRefused(f"correction {correction_id} has later corrections of the same stories; undo those "
                                f"first: {', '.join(str(c) for c in later)}")
    now_in = grouping.stories_of(conn, [int(a) for a in before["articles"]])
    grouping.set_stories(conn, {int(a): s for a, s in before["articles"].items()})
    for story, merged_into in before.get("stories", {}).items():
        grouping.set_merged_into(conn, int(story), merged_into)
    for story, earlier in before.get("social", {}).items():
        grouping.restore_social(conn, int(story), _other(done, int(story)), earlier, before.get("kept_followers", []))
    if before.get("created") is not None:
        grouping.set_merged_into(conn, int(before["created"]), done["story_id"])
    if before.get("reasons"):
        grouping.record_reasons(conn, before["reasons"])
    grouping.mark_undone(conn, correction_id, user_id)
    touched = {s for s in now_in.values() if s is not None} | {int(s) for s in before["articles"].values()}
    touched.discard(before.get("created"))
    refresh_stories(conn, touched, None, settings)
    return done


def _other(done: dict[str, Any], story_id: int) -> int:
    """The correction's story that is not ``story_id`` (where a merge sent comments and followers)."""
    return done["other_story_id"] if done["story_id"] == story_id else done["story_id"]
