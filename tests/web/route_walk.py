"""The app's route table as concrete requests: every route and method, path parameters filled in.

Tests that must hold on every route (security headers, no 500 on hostile input, 404 for ids past BIGINT) walk the
table of the app itself, so a route added later is covered without anyone remembering to list it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.routing import Mount, Route

PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class Call:
    """One request the table allows: the route's name, a method and a path with its parameters filled."""

    name: str
    method: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def route_calls(app: Starlette, values: Mapping[str, str]) -> Iterator[Call]:
    """Every (route, method) of ``app``; parameters take ``values[name]``; a mount gives one GET of a file in it."""
    for route in app.routes:
        if isinstance(route, Mount):
            yield Call(route.name or route.path, "GET", f"{route.path}/app.css")
        elif isinstance(route, Route):
            path = PARAMETER.sub(lambda match: _value(match, values), route.path)
            for method in sorted(route.methods or {"GET"}):
                yield Call(route.name, method, path)


def _value(match: re.Match[str], values: Mapping[str, str]) -> str:
    """The value given for a parameter; an id nobody named is 1 (a route added later is still walked)."""
    return values.get(match.group(1)) or ("1" if match.group(2) == "id" else values[match.group(1)])


def id_routes(app: Starlette) -> Iterator[tuple[Route, str]]:
    """Routes with a ``{name:id}`` parameter, with the path template."""
    for route in app.routes:
        if isinstance(route, Route) and any(kind == "id" for _, kind in PARAMETER.findall(route.path)):
            yield route, route.path


def fill_ids(template: str, number: str, values: Mapping[str, str]) -> str:
    """``template`` with every id parameter set to ``number`` (others from ``values``)."""
    return PARAMETER.sub(lambda m: number if m.group(2) == "id" else values[m.group(1)], template)
