"""Settings of the ai stage (declared as data; see newsdesk.config).

The extractive summary runs locally and is on by default; every LLM feature stays off until ``ai_llm_url`` is set,
so nothing leaves the machine unless the admin configured an endpoint.
"""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("ai_summaries", bool, True,
            "Extractive story summaries (local, offline, nothing is sent anywhere) for stories of 2+ articles."),
    Setting("ai_summary_sentences", int, 4,
            "Sentences in a story summary (3-5 reads as a paragraph; fewer when the story has fewer usable ones)."),
    Setting("ai_key_points", int, 4, "Key points listed under a summary (short sentences not already in it)."),
    Setting("ai_sentences_per_article", int, 8,
            "Sentences of each article considered for summaries and answers, from the top (0: all). News puts what "
            "matters first, and embedding every sentence of every article is the main cost of summarising."),
    Setting("ai_sentence_min_chars", int, 40,
            "Shorter sentences are skipped: they are datelines, captions, bylines or fragments (~7 English words)."),
    Setting("ai_sentence_max_chars", int, 400,
            "Longer sentences are skipped: they are run-on lists or failed splits and read badly in a summary."),
    Setting("ai_redundancy_threshold", float, 0.9,
            "Two summary sentences never have embedding cosine above this (wire copies and translations score "
            "0.9-1.0; different facts of one event stay below)."),
    Setting("ai_mmr_lambda", float, 0.7,
            "MMR trade-off: weight of centrality against novelty when picking the next summary sentence."),
    Setting("ai_lead_bonus", float, 0.06,
            "Score bonus of an article's first sentence, decaying over the next ones: news puts the facts first."),
    Setting("ai_outlet_bonus", float, 0.05,
            "Score bonus of a sentence from an outlet not yet cited, so a summary covers several outlets."),
    Setting("ai_corroboration_threshold", float, 0.72,
            "A sentence of another article with cosine at or above this, the same figures, direction and negation "
            "reports the same fact, so that article is cited too (USE on MEANTIME: a sentence and its translation "
            "0.72-0.93 (5th-95th pct), different sentences of one story at most 0.71 in 99.9% of pairs)."),
    Setting("ai_disagreement_threshold", float, 0.6,
            "A sentence of another article at or above this cosine with a summary sentence that points the other "
            "way (rise/fall, guilty/cleared, hired/fired ...) makes that article differ: it is listed under "
            "outlets_differ, not cited (MEANTIME, sentence pairs of two same-kind events that the old rule cited: "
            "228 opposed, cosine 0.60-0.72; a sentence and its translation: opposed in 2 of 4,373 pairs)."),
    Setting("ai_summary_languages", tuple, (),
            "Preferred summary languages in order (e.g. en,fr) when a story's languages are tied; a summary is "
            "written in one language, citing articles in the others that report the same facts."),
    Setting("ai_llm_url", str, "",
            "Base URL of an OpenAI-compatible endpoint (http://127.0.0.1:11434 for Ollama). Empty: no LLM, nothing "
            "is sent anywhere."),
    Setting("ai_llm_model", str, "", "Model name sent to the LLM endpoint."),
    Setting("ai_llm_api_key", str, "", "Bearer key for the LLM endpoint (empty for local servers).", secret=True),
    Setting("ai_llm_timeout", float, 60.0, "Seconds to wait for an LLM answer before showing the extractive one."),
    Setting("ai_llm_max_calls_per_hour", int, 60,
            "LLM calls allowed per rolling hour across all workers (shared in the database) so a big install does "
            "not run up a bill; over budget the extractive summary is shown."),
    Setting("ai_llm_max_tokens", int, 700, "Longest LLM answer, tokens."),
    Setting("ai_llm_temperature", float, 0.1, "Sampling temperature: low, the answer must stick to the sources."),
    Setting("ai_llm_passages", int, 10, "Numbered source passages put in a summary prompt (one per article)."),
    Setting("ai_prompts_dir", str, "",
            "Folder with the admin's prompt files (summary.txt, ask.txt); empty uses the built-in ones."),
    Setting("ai_grounding_threshold", float, 0.6,
            "An LLM sentence is supported when its embedding cosine with a sentence of a cited passage reaches this "
            "(USE on MEANTIME: the same fact reworded or translated scores 0.72+ in 95% of pairs, a different "
            "sentence of the same story stays under 0.6 in 97%)."),
    Setting("ai_ask_passages", int, 6, "Passages retrieved for 'ask about this story'."),
    Setting("ai_ask_min_cosine", float, 0.3,
            "A passage that holds less than ai_ask_min_word_share of the question's content words answers it only "
            "at or above this cosine (a question over passages in another language shares no words; on the demo, "
            "questions about something else reach at most 0.20 with any passage of the story)."),
    Setting("ai_ask_min_word_share", float, 0.5,
            "IDF-weighted share of the question's content words a passage must hold to answer it by its words."),
    Setting("ai_ask_word_weight", float, 0.5,
            "Weight of the IDF-weighted share of the question's content words a passage holds, added to its cosine."),
    Setting("ai_ask_kind_bonus", float, 0.1,
            "Relevance bonus of a passage holding what the question asks for (who: a name, when: a date, how many: "
            "a figure); a passage without it never answers such a question."),
    Setting("ai_ask_related", int, 3,
            "Articles of related stories searched too when asking about a story (background the story lacks)."),
]
