"""Who may do what, walked over the whole route table: every route declares its least role; every route above
ANYONE refuses a signed-out visitor and a smaller role, before its handler runs; the routes open to anyone that
accept a write are exactly the ones listed here, each with its reason."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from signed_in import sign_in_as
from starlette.routing import Mount
from starlette.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.web.app import ROUTES, create_app
from newsdesk.web.roles import ANYONE, Role, RoleRoute

# Writes open to anyone, and why each is safe to leave open.
OPEN_WRITES = {
    "story_ask": "asks a question of a story; stores nothing",
    "api_story_ask": "the same, as JSON",
    "prefs_ai": "sets the visitor's own cookie",
    "login_action": "signing in (limited per account and address)",
    "logout": "ends the visitor's own session",
    "signup_action": "creates an account only when web_signup is on (limited per address)",
    "fever": "reader-app protocol, checks its api_key",
    "fever_bare": "reader-app protocol, checks its api_key",
    "greader_login": "reader-app sign-in (limited per account and address)",
    "greader_api": "reader-app protocol, checks its ClientLogin token",
    "websub_push": "WebSub hub pushes: refused unless signed with the subscription's secret, body size bounded",
}
ROLE_NAMES = {Role.READER: "reader", Role.MODERATOR: "moderator", Role.ADMIN: "admin"}


def _concrete(path: str) -> str:
    """A path of the route with its parameters filled in."""
    return re.sub(r"\{[a-z_]+:path\}", "edit-tag", re.sub(r"\{[a-z_]+:id\}", "1", path))


def _declared() -> list[RoleRoute]:
    routes = [r for r in ROUTES if not isinstance(r, Mount)]
    assert all(isinstance(r, RoleRoute) for r in routes), "every route declares its role (RoleRoute)"
    return routes  # type: ignore[return-value]


def _guarded() -> list[tuple[RoleRoute, str]]:
    return [(r, m) for r in _declared() if r.role > ANYONE for m in sorted(r.methods or ()) if m != "HEAD"]


def test_open_writes_are_exactly_the_listed_ones() -> None:
    open_writes = {r.name for r in _declared() if r.role == ANYONE and set(r.methods or ()) - {"GET", "HEAD"}}
    assert open_writes == set(OPEN_WRITES)
    assert {r.name for r in _declared() if r.own_auth} <= set(OPEN_WRITES) | {"metrics"}


@pytest.mark.parametrize(("route", "method"), _guarded(), ids=lambda v: getattr(v, "name", v))
def test_signed_out_visitors_are_refused(sample_store: tuple[sa.Engine, Settings], route: RoleRoute,
                                         method: str) -> None:
    engine, settings = sample_store
    with TestClient(create_app(settings, engine)) as visitor:
        reply = visitor.request(method, _concrete(route.path), follow_redirects=False)
    if route.path.startswith("/api/"):
        assert reply.status_code == 401
    else:
        assert reply.status_code == 303 and reply.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("route", "method"), [(r, m) for r, m in _guarded() if r.role > Role.READER],
                         ids=lambda v: getattr(v, "name", v))
def test_smaller_roles_are_refused(sample_store: tuple[sa.Engine, Settings], route: RoleRoute, method: str) -> None:
    engine, settings = sample_store
    for role in (r for r in (Role.READER, Role.MODERATOR, Role.ADMIN) if r < route.role):
        with TestClient(create_app(settings, engine)) as member:
            sign_in_as(member, engine, ROLE_NAMES[role])
            reply = member.request(method, _concrete(route.path), follow_redirects=False)
        assert reply.status_code == 403, (role, reply.text[:200])
        assert "Not allowed" in reply.text or reply.headers["content-type"].startswith("application/json")


def test_a_refused_form_returns_to_its_page_after_sign_in(sample_store: tuple[sa.Engine, Settings]) -> None:
    engine, settings = sample_store
    with TestClient(create_app(settings, engine), base_url="http://newsdesk.test") as visitor:
        reply = visitor.post("/stories/1/follow", data={"on": "1"}, follow_redirects=False,
                             headers={"referer": "http://newsdesk.test/stories/1?by=region"})
        offsite = visitor.post("/stories/1/follow", data={"on": "1"}, follow_redirects=False,
                               headers={"referer": "http://evil.example/x"})
    assert reply.headers["location"] == "/login?next=/stories/1%3Fby%3Dregion"
    assert offsite.headers["location"] == "/login?next=/"


def test_a_fresh_install_says_how_to_create_the_first_admin(engine: sa.Engine, settings: Settings) -> None:
    with TestClient(create_app(settings, engine)) as visitor:
        assert "newsdesk users add NAME --admin" in visitor.get("/login").text
        sign_in_as(visitor, engine, "admin")
        visitor.cookies.clear()
        assert "newsdesk users add NAME --admin" not in visitor.get("/login").text


def test_client_login_takes_the_password_only_in_a_post_body(engine: sa.Engine, settings: Settings) -> None:
    """Found from outside: ClientLogin accepted the password in the query string (kept in logs and history)."""
    with TestClient(create_app(settings, engine)) as app:
        sign_in_as(app, engine, "reader", name="ana")
        reply = app.get("/accounts/ClientLogin", params={"Email": "ana", "Passwd": "ana-password"})
        assert reply.status_code == 405 and "Auth=" not in reply.text
        assert "Auth=" in app.post("/accounts/ClientLogin", data={"Email": "ANA", "Passwd": "ana-password"}).text
