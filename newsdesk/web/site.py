"""What every handler needs, built once by ``create_app`` and kept on ``app.state.site`` (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from newsdesk.config import Settings
from newsdesk.search import SearchBackend
from newsdesk.store.db import Engine
from newsdesk.web.pages.headlines import HeadlineJudge
from newsdesk.web.read_model_cache import ReadModelCache
from newsdesk.web.templating import Renderer


@dataclass(frozen=True)
class Site:
    engine: Engine
    settings: Settings
    renderer: Renderer
    locales: list[str]
    search: SearchBackend
    headlines: HeadlineJudge
    read_models: ReadModelCache


def site_of(request: Request) -> Site:
    return request.app.state.site
