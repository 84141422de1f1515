"""Tables of story grouping that people can see into and correct: why each article joined its story, the
corrections moderators made (each logged and undoable), the must-link / cannot-link constraints they left for the
clusterer, and each account's choice to fold wire copies in reader apps."""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

# Why an article sits in its story, recorded when the clusterer placed it. ``kind``: "first" (it started the
# story), "joined" (scored into it), "copy" (a wire copy of ``copy_of``), "moved" (a split or refinement moved it)
# or "corrected" (a moderator put it there). ``evidence`` holds the named evidence values; ``story_id`` is the story
# it was placed in (a later merge may have carried that story into another).
grouping_reasons = sa.Table(
    "grouping_reasons", metadata,
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", BigId),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("evidence", sa.JSON, nullable=False, default=dict),
    sa.Column("shared_names", sa.JSON, nullable=False, default=list),
    sa.Column("shared_terms", sa.JSON, nullable=False, default=list),
    sa.Column("copy_of", BigId),
    sa.Column("recorded_at", TZ, nullable=False),
)

# One row per moderator correction ("move", "split", "merge"): who, when, what, and what it changed (``before``:
# each touched article's earlier story, stories' earlier merged_into, comments and follows that moved), so that an
# undo can put everything back.
grouping_corrections = sa.Table(
    "grouping_corrections", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("story_id", BigId, nullable=False, index=True),
    sa.Column("other_story_id", BigId),
    sa.Column("article_ids", sa.JSON, nullable=False, default=list),
    sa.Column("before", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("undone_at", TZ),
    sa.Column("undone_by", BigId, sa.ForeignKey("users.id", ondelete="SET NULL")),
)

# The constraints a correction leaves: "must" (the two articles share a story) or "cannot" (they never do). They
# hold while their correction is not undone.
grouping_links = sa.Table(
    "grouping_links", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("correction_id", BigId, sa.ForeignKey("grouping_corrections.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("other_article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
)

# Reader-app options of an account: fold each story's wire copies into one item (Google Reader and Fever APIs).
reader_app_options = sa.Table(
    "reader_app_options", metadata,
    sa.Column("user_id", BigId, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("fold_copies", sa.Boolean, nullable=False, server_default=sa.false()),
)
