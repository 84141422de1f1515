"""The demo newswire: simulated publishers on 127.0.0.x serving real news text behind real-looking pages and feeds.

It is what ``make run`` shows offline, and the fixture of the ingest tests and benchmark. The text is real (MEANTIME
Wikinews articles in EN/ES/IT/NL, CC BY 4.0; ECB+ articles, CC BY 3.0: see data/README.md); the outlets, bylines,
pictures and page chrome are made up.
"""
