"""Reader preferences kept in cookies (until accounts exist): whether to see language-model summaries.

LLM features are opt-in twice: the admin configures an endpoint (``ai_llm_url``), and each reader may turn them off
for themselves (``POST /prefs/ai``, cookie ``ai=off``); then the story page shows the quoted summary and streams
nothing.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.web.http.origin import local_path, same_origin
from newsdesk.web.http.params import small_form

AI_COOKIE = "ai"
ONE_YEAR = 365 * 24 * 3600


def reader_allows_llm(request: Request) -> bool:
    """False when this reader turned language-model summaries off."""
    return request.cookies.get(AI_COOKIE, "") != "off"


async def set_ai_preference(request: Request) -> Response:
    """``POST /prefs/ai`` with ``llm=on|off`` and ``next=/path``: remember the choice, go back."""
    if not same_origin(request):
        return PlainTextResponse("cross-site request refused", status_code=403)
    form = await small_form(request)
    choice = "off" if form.get("llm") == "off" else "on"
    response = RedirectResponse(local_path(str(form.get("next") or "/")), status_code=303)
    response.set_cookie(AI_COOKIE, choice, max_age=ONE_YEAR, httponly=True, samesite="lax")
    return response
