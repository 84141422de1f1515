"""Settings of the extract stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("extract_extractors", tuple, ("trafilatura_fast", "trafilatura_precise", "readability", "justext"),
            "Body extractors whose candidates vote (the one most similar to the others wins). These four scored "
            "benchmark F1 0.969 on the 181-page dev set, against 0.953 for trafilatura alone; names are the keys "
            "of newsdesk.extract.body.EXTRACTORS."),
    Setting("extract_justext_max_blocks", int, 2500,
            "jusText votes only on pages with at most this many block tags: its time grows faster than linearly "
            "(8,000 paragraphs took 7 s), while article pages have a few hundred."),
    Setting("extract_max_html_chars", int, 2_000_000,
            "Longest HTML (characters) given to the extractors; the rest is cut. Real article pages are far below "
            "this, and extraction time grows with size, so a giant page cannot stall the pipeline."),
]
