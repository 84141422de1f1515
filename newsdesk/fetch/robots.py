"""robots.txt rules, read once per host and pass, for article pages (RFC 9309 semantics)."""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class RobotsRules:
    """The parsed robots.txt of one host; ``allows(url)`` answers for our User-Agent."""

    def __init__(self, parser: RobotFileParser | None, allow_all: bool, user_agent: str) -> None:
        self._parser = parser
        self._allow_all = allow_all
        self._agent = user_agent.split("/", 1)[0] or "*"

    @classmethod
    def from_text(cls, text: str, user_agent: str) -> RobotsRules:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return cls(parser, allow_all=False, user_agent=user_agent)

    @classmethod
    def from_status(cls, status: int, user_agent: str) -> RobotsRules:
        """RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (5xx) forbids everything."""
        return cls(None, allow_all=400 <= status < 500, user_agent=user_agent)

    def allows(self, url: str) -> bool:
        if self._parser is None:
            return self._allow_all
        return self._parser.can_fetch(self._agent, url)

    @property
    def sitemaps(self) -> list[str]:
        """``Sitemap:`` lines of the file (used by feed discovery)."""
        if self._parser is None:
            return []
        return list(self._parser.site_maps() or [])
