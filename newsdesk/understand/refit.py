"""``newsdesk understand refit``: refit the evidence weights from moderators' corrections, and say what the refit
would do to labelled dev sets (BCubed F1 before and after). The shipped weights never change: the refit is printed,
and written only to a TOML settings file the operator names (``--write``) and opts into (``--config``).

Every link of a correction not undone is a labelled example: the evidence (``evidence.EVIDENCE``) of the article
against the other side's story as it is stored now (the article left out), label 1 for a must-link and 0 for a
cannot-link. The logistic model of the article's kind (text or headline) is refitted by gradient descent from the
current weights with an L2 pull towards them (``PULL``), so a few corrections nudge the weights instead of
replacing a fit made on thousands of labelled pairs.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from newsdesk.config import Settings
from newsdesk.store import grouping
from newsdesk.store.db import Engine
from newsdesk.store.grouping import ArticleToReplay
from newsdesk.understand.cluster_params import cluster_params
from newsdesk.understand.clustering import StoryClusterer
from newsdesk.understand.embed import article_text_for_embedding, embed_texts
from newsdesk.understand.evidence import Article, Story, match_evidence, prepare
from newsdesk.understand.features import text_features
from newsdesk.understand.lexicon import DocumentFrequencies
from newsdesk.understand.pipeline import clusterer_article

PULL = 1.0  # L2 strength towards the current weights
STEPS = 500
RATE = 0.1
STORY_SAMPLE = 50  # members of the other side's story used to build its profile


class RefitError(ValueError):
    """Nothing to refit from, or a dev set that cannot be read."""


@dataclass
class Example:
    evidence: np.ndarray
    label: float
    has_text: bool


def correction_examples(engine: Engine, settings: Settings) -> list[Example]:
    """One example per link of every correction not undone (see the module docstring)."""
    out: list[Example | None] = []
    with engine.connect() as conn:
        must, cannot = grouping.active_links(conn)
        for (a, b), label in [*((pair, 1.0) for pair in must), *((pair, 0.0) for pair in cannot)]:
            story_id = grouping.stories_of(conn, [b]).get(b)
            if story_id is None:
                continue
            members = [m for m in grouping.members(conn, story_id) if m != a][-STORY_SAMPLE:] or [b]
            rows = {r.id: r for r in grouping.articles_to_replay(conn, [a, *members])}
            if a not in rows:
                continue
            out.append(_example(rows, a, [m for m in members if m in rows and m != a], label, settings))
    return [e for e in out if e is not None]


def _example(rows: dict[int, ArticleToReplay], article_id: int, members: list[int], label: float,
             settings: Settings) -> Example | None:
    if not members:
        return None
    df = DocumentFrequencies()
    built = {i: clusterer_article(rows[i], np.frombuffer(rows[i].vector, dtype=np.float32), settings)
             for i in [*members, article_id]}
    for article in built.values():
        df.add(article.features.terms)
    story = Story(-1, np.zeros(len(built[article_id].vector), dtype=np.float32))
    for member in members:
        prepare(built[member], df)
        story.absorb(built[member])
    prepare(built[article_id], df)
    evidence = match_evidence(built[article_id], story, df, settings.cluster_time_scale_hours)
    return Example(np.array(evidence, dtype=np.float64), label, built[article_id].has_text)


def fit(weights: tuple[float, ...], bias: float, examples: list[Example]) -> tuple[tuple[float, ...], float]:
    """Logistic regression from ``weights``/``bias`` with an L2 pull towards them."""
    if not examples:
        return weights, bias
    x = np.array([e.evidence for e in examples])
    y = np.array([e.label for e in examples])
    start = np.array([*weights, bias], dtype=np.float64)
    theta = start.copy()
    design = np.hstack([x, np.ones((len(x), 1))])
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-np.clip(design @ theta, -30, 30)))
        gradient = design.T @ (p - y) / len(y) + PULL * (theta - start) / len(y)
        theta -= RATE * gradient
    return tuple(round(float(w), 3) for w in theta[:-1]), round(float(theta[-1]), 3)


def refitted(settings: Settings, examples: list[Example]) -> Settings:
    """The settings with both models refitted on their examples."""
    text = [e for e in examples if e.has_text]
    headline = [e for e in examples if not e.has_text]
    text_weights, text_bias = fit(tuple(float(w) for w in settings.cluster_text_weights),
                                  settings.cluster_text_bias, text)
    headline_weights, headline_bias = fit(tuple(float(w) for w in settings.cluster_headline_weights),
                                          settings.cluster_headline_bias, headline)
    return settings.replace(cluster_text_weights=tuple(str(w) for w in text_weights), cluster_text_bias=text_bias,
                            cluster_headline_weights=tuple(str(w) for w in headline_weights),
                            cluster_headline_bias=headline_bias)


def bcubed_f1(gold: dict[str, str], predicted: dict[str, object]) -> float:
    """BCubed F1 of a clustering (``predicted``) against gold labels, over the gold items."""
    gold_sizes = Counter(gold.values())
    predicted_sizes = Counter(predicted[i] for i in gold)
    both = Counter((gold[i], predicted[i]) for i in gold)
    precision = sum(both[(gold[i], predicted[i])] / predicted_sizes[predicted[i]] for i in gold) / len(gold)
    recall = sum(both[(gold[i], predicted[i])] / gold_sizes[gold[i]] for i in gold) / len(gold)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def dev_set_f1(settings: Settings, rows: list[dict], vectors: np.ndarray) -> float:
    """Stream a labelled set (in time order) through a fresh clusterer with these settings; BCubed F1."""
    clusterer = StoryClusterer(cluster_params(settings))
    order = sorted(range(len(rows)), key=lambda i: (rows[i].get("published") is None, rows[i].get("published") or ""))
    predicted: dict[str, object] = {}
    keys: dict[str, int] = {}
    for n, i in enumerate(order):
        row = rows[i]
        text = row.get("text") or ""
        article = Article(n, vectors[i], text_features(row.get("title") or "", text), _posix(row.get("published")),
                          len(text) >= settings.understand_headline_max_chars)
        keys[str(row["id"])] = clusterer.add(article)
    for n, i in enumerate(order):
        predicted[str(rows[i]["id"])] = clusterer.resolve(clusterer.story_of.get(n, keys[str(rows[i]["id"])]))
    return bcubed_f1({str(r["id"]): str(r["cluster"]) for r in rows}, predicted)


def _posix(published: object) -> float | None:
    """A dev row's ISO publication time as POSIX seconds (None when absent or unreadable)."""
    try:
        when = datetime.fromisoformat(str(published).replace("Z", "+00:00")) if published else None
    except ValueError:
        return None
    return None if when is None else (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _dev_sets(folder: Path, settings: Settings) -> list[tuple[str, list[dict], np.ndarray]]:
    sets = []
    for path in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if "cluster" in r and "id" in r]
        if rows:
            texts = [article_text_for_embedding(r.get("title") or "", r.get("text") or "",
                                                settings.understand_embed_lead_chars) for r in rows]
            sets.append((path.stem, rows, embed_texts(texts)))
    if not sets:
        raise RefitError(f"no labelled JSON Lines sets in {folder}")
    return sets


def refit_report(engine: Engine, settings: Settings, dev_dir: Path | None, write: Path | None) -> list[str]:
    """Refit, report, and write the refitted weights when asked; returns the report's lines."""
    examples = correction_examples(engine, settings)
    if not examples:
        raise RefitError("no corrections to learn from: the weights stay as they are")
    after = refitted(settings, examples)
    lines = [f"examples: {sum(e.has_text for e in examples)} with text, "
             f"{sum(not e.has_text for e in examples)} headlines (from corrections not undone)"]
    for name in ("cluster_text_weights", "cluster_text_bias", "cluster_headline_weights", "cluster_headline_bias"):
        lines.append(f"{name}: {_shown(settings.values[name])} -> {_shown(after.values[name])}")
    if dev_dir is not None:
        for name, rows, vectors in _dev_sets(dev_dir, settings):
            lines.append(f"{name}: BCubed F1 {dev_set_f1(settings, rows, vectors):.3f} before, "
                         f"{dev_set_f1(after, rows, vectors):.3f} after")
    if write is not None:
        write.write_text("# refitted by `newsdesk understand refit`; use with --config or NEWSDESK_CONFIG\n" + "".join(
            f"{name} = {json.dumps(_toml_value(after.values[name]))}\n"
            for name in ("cluster_text_weights", "cluster_text_bias", "cluster_headline_weights",
                         "cluster_headline_bias")), encoding="utf-8")
        lines.append(f"written to {write} (the shipped weights are unchanged)")
    else:
        lines.append("nothing written: pass --write FILE to keep the refitted weights")
    return lines


def _shown(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)


def _toml_value(value: object) -> object:
    return [str(v) for v in value] if isinstance(value, tuple) else value
