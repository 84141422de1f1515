"""The ai stage: grounded story summaries with citations, key points, "ask about this story", headline scoring.

The extractive engine runs offline on the sentence embeddings; an OpenAI-compatible LLM is used only when
``ai_llm_url`` is configured, and its answers are checked against the cited sources before they are shown.
"""
