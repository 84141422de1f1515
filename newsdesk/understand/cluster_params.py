"""The story clusterer's parameters: evidence weights, margins, windows and index sizes, built from settings.

Every field of ``ClusterParams`` without a default is a ``cluster_*`` setting (``newsdesk/understand/settings.py``,
the one place their values and the reasons for them are declared); ``cluster_params`` maps settings to fields. The
fields with defaults are fixed sizes of the indexes, not settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.config import Settings


@dataclass(frozen=True)
class ClusterParams:
    """Weights of the evidence (order of ``evidence.EVIDENCE``) and bias for articles with text and for headline-only
    articles (their evidence behaves differently: short texts have noisier cosines), margins, windows and index
    sizes; see the module docstring for which are settings."""

    text_weights: tuple[float, ...]
    text_bias: float
    headline_weights: tuple[float, ...]
    headline_bias: float
    merge_margin: float
    headline_merge_margin: float
    window_hours: float
    time_scale_hours: float
    story_neighbours: int
    article_neighbours: int
    evict_after_articles: int
    candidate_min_cosine: float
    candidate_min_terms: float
    fragment_size: int
    fragment_merge_margin: float
    refine_margin: float
    refine_neighbours: int
    split_margin: float
    split_min_size: int
    split_max_size: int
    split_min_group: int
    split_title_share: float
    split_growth: float
    split_date_gap_days: float
    lexical_terms: int = 24
    lexical_neighbours: int = 8
    rare_token_max_share: float = 0.002
    rare_token_min_documents: int = 500
    posting_limit: int = 16
    dimensions: int = 512



def cluster_params(settings: Settings) -> ClusterParams:
    """The clusterer's parameters from settings."""
    return ClusterParams(
        text_weights=tuple(float(w) for w in settings.cluster_text_weights),
        text_bias=settings.cluster_text_bias,
        headline_weights=tuple(float(w) for w in settings.cluster_headline_weights),
        headline_bias=settings.cluster_headline_bias,
        merge_margin=settings.cluster_merge_margin,
        headline_merge_margin=settings.cluster_headline_merge_margin,
        window_hours=settings.cluster_window_hours,
        time_scale_hours=settings.cluster_time_scale_hours,
        story_neighbours=settings.cluster_story_neighbours,
        article_neighbours=settings.cluster_article_neighbours,
        candidate_min_cosine=settings.cluster_candidate_min_cosine,
        candidate_min_terms=settings.cluster_candidate_min_terms,
        evict_after_articles=settings.cluster_window_evict_articles,
        fragment_size=settings.cluster_fragment_size,
        fragment_merge_margin=settings.cluster_fragment_merge_margin,
        refine_margin=settings.cluster_refine_margin,
        refine_neighbours=settings.cluster_refine_neighbours,
        split_margin=settings.cluster_split_margin,
        split_title_share=settings.cluster_split_title_share,
        split_min_size=settings.cluster_split_min_size,
        split_max_size=settings.cluster_split_max_size,
        split_min_group=settings.cluster_split_min_group,
        split_growth=settings.cluster_split_growth,
        split_date_gap_days=settings.cluster_split_date_gap_days,
    )
