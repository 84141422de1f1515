"""Fixtures of the task tests: the loopback HTTP server."""

from support.http_server import http_server  # noqa: F401  (pytest fixture)
