"""The polite HTTP client: SSRF guard, politeness, size and time limits (see client.py)."""
