"""Tables of the ai stage (owned by newsdesk/ai): cached summaries, cached sentence vectors, the LLM call budget."""

import sqlalchemy as sa

from newsdesk.store.metadata import TZ, BigId, metadata

# One cached summary per story and engine ("extractive" | "llm"); ``fingerprint`` hashes the story's article ids
# and the summariser's version, so a story that grows (or a new algorithm) is summarised again.
ai_summaries = sa.Table(
    "ai_summaries", metadata,
    sa.Column("story_id", BigId, primary_key=True),
    sa.Column("engine", sa.String(16), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("generated_at", TZ, nullable=False),
)

# Sentences of one article with their embeddings (float16, row-major, 512 per sentence); ``content_key`` hashes the
# text, language and encoder so an edited article is split and embedded again.
ai_article_sentences = sa.Table(
    "ai_article_sentences", metadata,
    sa.Column("article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("content_key", sa.String(64), nullable=False),
    sa.Column("sentences", sa.JSON, nullable=False),  # [[text, position, prose], ...]
    sa.Column("vectors", sa.LargeBinary, nullable=False),
    sa.Column("computed_at", TZ, nullable=False),
)

# One row per LLM call, shared by every worker: the rolling hourly budget counts these.
ai_llm_calls = sa.Table(
    "ai_llm_calls", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("called_at", TZ, nullable=False, index=True),
    sa.Column("purpose", sa.String(32), nullable=False),
    sa.Column("story_id", BigId),
)
