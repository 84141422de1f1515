"""Moderators' corrections as the clusterer sees them: must-link groups and cannot-link pairs over article ids.

Must-links are kept as a union-find of article ids (a group shares one story); cannot-links join two groups that
never share one. A wire copy is put in its original's group (``alias``), so a copy arriving later follows the
corrections made to the original. The clusterer asks three things: the story a must-partner already sits in (the
article joins it), the stories an article may not join, and whether two stories may merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


class Constraints:
    """Must-link groups and cannot-link pairs between groups; empty unless corrections were made."""

    def __init__(self, must: Iterable[tuple[int, int]] = (), cannot: Iterable[tuple[int, int]] = ()) -> None:
        self._parent: dict[int, int] = {}
        self._cannot_pairs = list(cannot)
        for a, b in must:
            self._union(a, b)
        self._rebuild_cannot()

    def __bool__(self) -> bool:
        return bool(self._parent)

    def root(self, article_id: int) -> int:
        parent = self._parent
        root = article_id
        while parent.get(root, root) != root:
            root = parent[root]
        while article_id != root:  # path compression
            parent[article_id], article_id = root, parent.get(article_id, root)
        return root

    def _union(self, a: int, b: int) -> None:
        self._parent.setdefault(a, a)
        self._parent.setdefault(b, b)
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def _rebuild_cannot(self) -> None:
        """Group members and the forbidden groups of each group (after unions changed the roots)."""
        for a, b in self._cannot_pairs:
            self._parent.setdefault(a, a)
            self._parent.setdefault(b, b)
        self._members: dict[int, set[int]] = {}
        for article_id in self._parent:
            self._members.setdefault(self.root(article_id), set()).add(article_id)
        self._forbidden: dict[int, set[int]] = {}
        for a, b in self._cannot_pairs:
            ra, rb = self.root(a), self.root(b)
            self._forbidden.setdefault(ra, set()).add(rb)
            self._forbidden.setdefault(rb, set()).add(ra)

    def alias(self, copy: int, original: int) -> None:
        """A wire copy of ``original`` is bound by the original's constraints (a no-op when it has none)."""
        if original in self._parent and copy not in self._parent:
            self._union(copy, original)
            self._rebuild_cannot()

    def constrained(self, article_id: int) -> bool:
        return article_id in self._parent

    def partners(self, article_id: int) -> set[int]:
        """The other articles that must share ``article_id``'s story."""
        if article_id not in self._parent:
            return set()
        return self._members.get(self.root(article_id), set()) - {article_id}

    def banned_articles(self, article_id: int) -> set[int]:
        """The articles ``article_id`` may never share a story with."""
        if article_id not in self._parent:
            return set()
        return {m for r in self._forbidden.get(self.root(article_id), ()) for m in self._members.get(r, ())}

    def banned_stories(self, article_id: int, story_of: Callable[[int], int | None]) -> set[int]:
        """The live stories ``article_id`` may not join (``story_of``: an article's live story, or None)."""
        found = {story_of(m) for m in self.banned_articles(article_id)}
        found.discard(None)
        return found  # type: ignore[return-value]

    def must_story(self, article_id: int, story_of: Callable[[int], int | None]) -> int | None:
        """The live story one of the article's must-partners sits in (the earliest partner's), or None."""
        for partner in sorted(self.partners(article_id)):
            story = story_of(partner)
            if story is not None:
                return story
        return None

    def conflict(self, members_a: Iterable[int], story_b: int, story_of: Callable[[int], int | None]) -> bool:
        """True when a member of one story may not share a story with a member of ``story_b``."""
        return any(story_b in self.banned_stories(m, story_of) for m in members_a if m in self._parent)
