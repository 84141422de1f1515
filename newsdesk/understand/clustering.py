"""The online story-clustering core, in memory: each article joins the best candidate story or starts a new one.

Candidates never come from a scan: an ANN index (usearch) over story centroids, an ANN index over article vectors
(whose hits vote for their stories), an inverted index from rare names/numbers to the stories that used them, and
an inverted index from each article's strongest terms to the recent articles that share them (its lexical
neighbours). Each candidate is scored by a logistic model over the evidence of ``newsdesk.understand.evidence``;
weights and biases live in settings (fitted on the dev sets, see docs/clustering.md). After a join, the story is
checked against its nearest stories and merged when one now scores it as a member with a wide margin.

Only the live window is indexed: a story that has taken no article for ``window_hours`` (or, for undated streams,
for ``evict_after_articles`` arrivals) leaves every index, so the indexes, the memory and the cost per article stay
bounded by the window, not by the number of stored articles.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np

from newsdesk.understand.cluster_params import ClusterParams
from newsdesk.understand.constraints import Constraints
from newsdesk.understand.evidence import Article, Hints, Story, match_evidence, prepare
from newsdesk.understand.lexicon import DocumentFrequencies
from newsdesk.understand.splitting import SplitCandidate, date_candidates, direction_candidates, split_candidates
from newsdesk.understand.vector_index import VectorIndex


class StoryClusterer:
    """Streaming clusterer: ``add`` returns the story key an article joined (new keys count up from 1)."""

    def __init__(self, params: ClusterParams, constraints: Constraints | None = None) -> None:
        self.params = params
        self.constraints = constraints or Constraints()  # moderators' must-link / cannot-link corrections
        self.joined_by: dict[int, tuple[int, float, tuple[float, ...]]] = {}  # article -> (story, score, evidence)
        self.df = DocumentFrequencies()
        self.stories: dict[int, Story] = {}
        self.story_of: dict[int, int] = {}  # live article id -> story key
        self.merged: dict[int, int] = {}  # story key -> the story it was merged into
        self.merge_log: list[tuple[int, int]] = []  # (gone, kept) in the order merges happened
        self.postings: dict[str, list[int]] = {}  # rare name/number -> story keys
        self.term_postings: dict[str, list[int]] = {}  # strong term -> recent article ids
        self.article_terms: dict[int, dict[str, float]] = {}  # live article id -> its strongest TF-IDF weights
        self.live: dict[int, Article] = {}  # live members of text stories and fragments (to split, or to merge)
        self.move_log: list[tuple[int, int, int]] = []  # (article id, from story, to story) of splits/refinements
        self.story_index = VectorIndex(params.dimensions)
        self.article_index = VectorIndex(params.dimensions)
        self.activity: OrderedDict[int, None] = OrderedDict()  # story keys, least recently joined first
        self.arrivals = 0
        self.clock: float | None = None  # newest article time seen
        self.next_key = 1

    # -- public -----------------------------------------------------------------------------------------------------
    def add(self, article: Article, story_key: int | None = None) -> int:
        """Assign ``article`` and return its story key. With ``story_key`` the caller decides (a wire copy joins its
        original's story; a restart replays stored assignments) and no merge is tried."""
        self.arrivals += 1
        if article.time is not None:
            self.clock = article.time if self.clock is None else max(self.clock, article.time)
        self._evict()
        self.df.add(article.features.terms)
        prepare(article, self.df)
        forced = story_key is not None
        if story_key is None and self.constraints:
            story_key = self.constraints.must_story(article.article_id, self.live_story)
        if story_key is None:
            story_key = self.best_story(article)
        if story_key is None or story_key not in self.stories:
            story_key = self._open_story(story_key)
        story = self.stories[story_key]
        story.absorb(article)
        story.last_arrival = self.arrivals
        self.activity[story.key] = None
        self.activity.move_to_end(story.key)
        self._index(article, story)
        if forced:
            return story.key
        return self._maybe_merge(self._maybe_split(story, article))

    def resolve(self, story_key: int) -> int:
        """The live story a (possibly merged-away) key now points to."""
        while story_key in self.merged:
            story_key = self.merged[story_key]
        return story_key

    def live_story(self, article_id: int) -> int | None:
        """The live story an article sits in (None once its story left the window)."""
        key = self.story_of.get(article_id)
        return None if key is None else self.resolve(key)

    def best_story(self, article: Article) -> int | None:
        """The highest-scoring candidate story (none a correction forbids) if its score is positive, else None; the
        evidence that joined the article to it waits in ``joined_by`` for the caller to take."""
        banned = self.constraints.banned_stories(article.article_id, self.live_story) if self.constraints else ()
        best_key, best_score, best_hints = None, 0.0, None
        for key, hints in self.candidates(article).items():
            score = self.score(article, self.stories[key], hints) if key not in banned else 0.0
            if score > best_score:
                best_key, best_score, best_hints = key, score, hints
        if best_key is not None:
            self.joined_by[article.article_id] = (best_key, best_score, match_evidence(
                article, self.stories[best_key], self.df, self.params.time_scale_hours, best_hints))
        return best_key

    def score(self, article: Article, story: Story, hints: Hints | None = None) -> float:
        """Log-odds that ``article`` belongs to ``story`` (it joins the best story when positive)."""
        p = self.params
        evidence = match_evidence(article, story, self.df, p.time_scale_hours, hints)
        weights, bias = (p.text_weights, p.text_bias) if article.has_text else (p.headline_weights, p.headline_bias)
        return sum(w * x for w, x in zip(weights, evidence, strict=True)) + bias

    # -- candidates -------------------------------------------------------------------------------------------------
    def candidates(self, article: Article) -> dict[int, Hints]:
        """Candidate story keys, each with what the neighbour searches found about its closest member."""
        found: dict[int, Hints] = {}
        p = self.params
        for article_id, cosine in self.article_index.search(article.vector, p.article_neighbours):
            hints = found.setdefault(self.resolve(self.story_of[article_id]), Hints())
            hints.closest = max(hints.closest or -1.0, cosine)
        for key, cosine in self.story_index.search(article.vector, p.story_neighbours):
            if cosine >= p.candidate_min_cosine:
                found.setdefault(self.resolve(key), Hints())
        for token in self._rare_tokens(article):
            for key in self.postings.get(token, ()):
                found.setdefault(self.resolve(key), Hints()).shares_rare_token = True
        for article_id, cosine in self._lexical_neighbours(article):
            hints = found.setdefault(self.resolve(self.story_of[article_id]), Hints())
            hints.closest_terms = max(hints.closest_terms, cosine)
        return {k: h for k, h in found.items() if k in self.stories and self._in_window(article, self.stories[k])
                and self._plausible(article, self.stories[k], h)}

    def _plausible(self, article: Article, story: Story, hints: Hints) -> bool:
        """Worth scoring: some member or the centroid is close, or the story shares a rare name/number or terms."""
        if hints.shares_rare_token or hints.closest_terms >= self.params.candidate_min_terms:
            return True
        closest = max(hints.closest or -1.0, float(story.centroid() @ article.vector))
        return closest >= self.params.candidate_min_cosine

    def _lexical_neighbours(self, article: Article) -> list[tuple[int, float]]:
        """Recent articles sharing the article's strongest terms, with their (truncated) TF-IDF cosine."""
        scores: dict[int, float] = {}
        for term, weight in _strongest(article.tfidf, self.params.lexical_terms).items():
            for article_id in self.term_postings.get(term, ()):
                theirs = self.article_terms.get(article_id)
                if theirs is not None:
                    scores[article_id] = scores.get(article_id, 0.0) + weight * theirs[term]
        return heapq.nlargest(self.params.lexical_neighbours, scores.items(), key=lambda item: item[1])

    def _rare_tokens(self, article: Article) -> list[str]:
        p = self.params
        limit = max(p.rare_token_max_share * self.df.documents, 2)
        tokens = [f"n:{name}" for name in article.features.names] + [f"#:{n}" for n in article.features.numbers]
        if self.df.documents < p.rare_token_min_documents:
            return tokens
        return [t for t in tokens if len(self.postings.get(t, ())) <= limit]

    def _in_window(self, article: Article, story: Story) -> bool:
        if article.time is None or story.last_time is None:
            return True
        return abs(article.time - story.last_time) <= self.params.window_hours * 3600

    # -- bookkeeping ------------------------------------------------------------------------------------------------
    def _open_story(self, key: int | None = None) -> int:
        if key is None:
            key = self.next_key
        self.next_key = max(self.next_key, key + 1)
        self.stories[key] = Story(key, np.zeros(self.params.dimensions, dtype=np.float32))
        return key

    def _index(self, article: Article, story: Story) -> None:
        self.story_of[article.article_id] = story.key
        self.article_index.add(article.article_id, article.vector)
        article.idf = {}  # only needed while it was scored
        if story.text_members or story.size <= self.params.fragment_size:
            self.live[article.article_id] = article  # stories with text are split; fragments may join one later
        elif story.size == self.params.fragment_size + 1:  # a headline-only story outgrew the fragments
            for member in story.members:
                self.live.pop(member, None)
        if story.size & (story.size - 1) == 0:  # re-index the centroid at sizes 1, 2, 4, 8 …: removals leave
            self.story_index.add(story.key, story.centroid())  # tombstones; the article index covers the rest
        tokens = [f"n:{name}" for name in article.features.names] + [f"#:{n}" for n in article.features.numbers]
        for token in tokens:
            _append_bounded(self.postings.setdefault(token, []), story.key, self.params.posting_limit)
        strongest = _strongest(article.tfidf, self.params.lexical_terms)
        self.article_terms[article.article_id] = strongest
        for term in strongest:
            _append_bounded(self.term_postings.setdefault(term, []), article.article_id, self.params.posting_limit)

    def _evict(self) -> None:
        """Drop stories that left the window from every index (least recently joined first)."""
        p = self.params
        while self.activity:
            story = self.stories[next(iter(self.activity))]
            stale_by_time = (self.clock is not None and story.last_time is not None
                             and self.clock - story.last_time > p.window_hours * 3600)
            if not stale_by_time and self.arrivals - story.last_arrival <= p.evict_after_articles:
                return
            self._forget(story)

    def _forget(self, story: Story) -> None:
        del self.activity[story.key]
        del self.stories[story.key]
        self.story_index.remove(story.key)
        terms: set[str] = set()
        for member in story.members:
            self.article_index.remove(member)
            self.live.pop(member, None)
            terms.update(self.article_terms.pop(member, ()))
            self.story_of.pop(member, None)
        tokens = [f"n:{name}" for name in story.name_docs] + [f"#:{n}" for n in story.number_docs]
        _prune(self.postings, tokens, lambda key: self.resolve(key) in self.stories)
        _prune(self.term_postings, terms, lambda article_id: article_id in self.story_of)

    def _maybe_merge(self, story: Story) -> int:
        """Merge ``story`` with a neighbouring story when the bigger one scores ``story``'s centroid as a member."""
        if len(self.story_index) < 2:
            return story.key
        for key, _ in self.story_index.search(story.centroid(), 4):
            other = self.stories.get(key)
            if other is None or key == story.key or not self._same_event(story, other):
                continue
            return self._merge(story, other)
        return story.key

    def _corrected_apart(self, a: Story, b: Story) -> bool:
        """A moderator's cannot-link keeps a member of one story out of the other."""
        return bool(self.constraints) and self.constraints.conflict(a.members, b.key, self.live_story)

    def _same_event(self, a: Story, b: Story) -> bool:
        small, big = (a, b) if a.size <= b.size else (b, a)
        if self._corrected_apart(small, big):
            return False
        if (small.text_members > 0) != (big.text_members > 0):
            return False  # a headline story and a story with text: neither model was fitted on such pairs
        if small.text_members == 0:
            return self._probe_score(small, big) > self.params.headline_merge_margin
        p = self.params
        margin = p.fragment_merge_margin if small.size <= p.fragment_size else p.merge_margin
        if self._probe_score(small, big) <= margin:
            return False
        return self._division(self._live_members(small) + self._live_members(big)) is None  # else would split

    def _probe_score(self, story: Story, other: Story) -> float:
        """Log-odds that ``story``, scored as one article (majority names, summed term weights), joins ``other``."""
        norm = np.sqrt(story.tfidf_norm2) or 1.0
        probe = Article(-1, story.centroid(), story.profile_features(), story.last_time, story.text_members > 0,
                        {t: w / norm for t, w in story.tfidf_sum.items()})
        return self.score(probe, other)

    def _maybe_split(self, story: Story, article: Article) -> Story:
        """Refine a text story as it grows by ``split_growth`` (so the cost per article stays constant): members
        that now fit a neighbouring story better move there, then the story splits in two (see ``_division``) or,
        when it holds together, takes in stray fragments of itself (``_absorb_fragments``). Returns the story
        ``article`` ends in."""
        p = self.params
        if (story.size < p.split_min_size or story.size < story.split_checked * p.split_growth
                or story.size > p.split_max_size or 2 * story.text_members < story.size):
            return story
        story.split_checked = story.size
        if self.constraints and any(self.constraints.constrained(m) for m in story.members):
            return story  # a story a moderator corrected is not re-divided by the clusterer
        members = self._live_members(story)
        if len(members) < story.size:
            return story
        self._refine(story, members)
        division = self._division(self._live_members(story))
        if division is not None:
            self._split(story, division)
        else:
            self._absorb_fragments(story)
        return self.stories[self.resolve(self.story_of[article.article_id])]

    def _absorb_fragments(self, story: Story) -> None:
        """Re-check stray fragments at a story's check: fragments (``fragment_size`` articles or fewer) that use a
        name most of the story's members use are found through the name postings (a stray piece is often far from
        the story's centroid, so the nearest-centroid search after a join misses it) and merged when, scored as one
        article, they join the story (``fragment_merge_margin``, and the union would not split)."""
        p = self.params
        half = story.size / 2
        keys = {self.resolve(key) for name, count in story.name_docs.items() if count >= half
                for key in self.postings.get(f"n:{name}", ())}
        for key in sorted(keys):
            other = self.stories.get(key)
            if (other is None or key == story.key or other.size > p.fragment_size
                    or self._corrected_apart(other, story)):
                continue
            # a fragment of headlines or short texts is scored by the headline model, as when it arrived
            if (self._probe_score(other, story) > p.fragment_merge_margin
                    and self._division(self._live_members(other) + self._live_members(story)) is None):
                self._merge(other, story)

    def _division(self, members: list[Article]) -> SplitCandidate | None:
        """A group that never uses a name the rest puts in its headlines, or whose leads point the other way, or
        whose written dates lie across a long gap from the rest's, when the rest, scored as one article, does not
        join that group (log-odds below ``split_margin``); None when the members hold together."""
        p = self.params
        candidates = (split_candidates(members, self.df, p.split_title_share, p.split_min_group)
                      + direction_candidates(members, p.split_min_group)
                      + date_candidates(members, p.split_min_group, p.split_date_gap_days))
        for candidate in candidates:
            holding, lacking = self._story_of_members(candidate.holding), self._story_of_members(candidate.lacking)
            if self._probe_score(holding, lacking) < p.split_margin:
                return candidate
        return None

    def _refine(self, story: Story, members: list[Article]) -> None:
        """Move each member that, left out of its story, scores higher in a neighbouring text story than in its own
        (and above the join bar) by ``refine_margin``: an early article that joined the wrong story of two."""
        p = self.params
        neighbours = [self.stories[k] for k, _ in self.story_index.search(story.centroid(), p.refine_neighbours + 1)
                      if k != story.key and k in self.stories and self.stories[k].text_members]
        for member in members if neighbours else ():
            if story.size <= 1:
                break
            story.release(member)
            own = self.score(member, story)
            scores = [self.score(member, other) for other in neighbours]
            best = int(np.argmax(scores))
            target = neighbours[best] if scores[best] > max(own, 0.0) + p.refine_margin else story
            self._place(member, target)
        self.story_index.add(story.key, story.centroid())

    def _place(self, member: Article, story: Story) -> None:
        """Add a member that left its story (by a split or a refinement) to ``story`` and to its indexes."""
        came_from = self.story_of.get(member.article_id, story.key)
        story.absorb(member)
        self.story_of[member.article_id] = story.key
        if came_from == story.key:
            return
        self.move_log.append((member.article_id, came_from, story.key))
        self.story_index.add(story.key, story.centroid())
        for token in [f"n:{name}" for name in member.features.names] + [f"#:{n}" for n in member.features.numbers]:
            _append_bounded(self.postings.setdefault(token, []), story.key, self.params.posting_limit)

    def _live_members(self, story: Story) -> list[Article]:
        return [self.live[m] for m in story.members if m in self.live]

    def _story_of_members(self, members: list[Article]) -> Story:
        part = Story(-1, np.zeros(self.params.dimensions, dtype=np.float32))
        for member in members:
            part.absorb(member)
        return part

    def _split(self, story: Story, candidate: SplitCandidate) -> None:
        """Keep the bigger side under the story's key; the other side becomes a new story."""
        keep, leave = sorted((candidate.holding, candidate.lacking), key=len, reverse=True)
        kept = Story(story.key, np.zeros(self.params.dimensions, dtype=np.float32), split_checked=len(keep))
        self.stories[story.key] = kept
        new = self.stories[self._open_story()]
        new.split_checked = len(leave)
        for member in keep:
            kept.absorb(member)
        for member in leave:
            self._place(member, new)
        for part in (kept, new):
            part.last_arrival = self.arrivals
            self.story_index.add(part.key, part.centroid())
        self.activity[new.key] = None

    def _merge(self, a: Story, b: Story) -> int:
        keep, gone = (a, b) if a.size >= b.size else (b, a)
        for member in gone.members:
            if member in self.story_of:
                self.story_of[member] = keep.key
        keep.absorb_story(gone)
        self.story_index.remove(gone.key)
        self.story_index.add(keep.key, keep.centroid())
        del self.stories[gone.key]
        self.activity.pop(gone.key, None)
        self.activity[keep.key] = None
        self.activity.move_to_end(keep.key)
        self.merged[gone.key] = keep.key
        self.merge_log.append((gone.key, keep.key))
        return keep.key


def _strongest(weights: dict[str, float], count: int) -> dict[str, float]:
    if len(weights) <= count:
        return weights
    return dict(heapq.nlargest(count, weights.items(), key=lambda item: item[1]))


def _prune(postings: dict[str, list[int]], tokens: Iterable[str], live: Callable[[int], bool]) -> None:
    """Drop dead keys from these postings, and postings left empty, so the inverted indexes shrink with the window."""
    for token in tokens:
        posting = postings.get(token)
        if posting is None:
            continue
        posting[:] = [key for key in posting if live(key)]
        if not posting:
            del postings[token]


def _append_bounded(posting: list[int], key: int, limit: int) -> None:
    """Append ``key`` (unless just appended) and keep about the newest ``limit`` keys (trimmed in amortised steps)."""
    if posting and posting[-1] == key:
        return
    posting.append(key)
    if len(posting) > 2 * limit:
        del posting[:-limit]
