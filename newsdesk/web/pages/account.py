"""The account pages: sign in and out, sign up (when ``web_signup`` is on), and the account page (change the
password, the reader-app addresses). Sessions themselves are in :mod:`newsdesk.web.sessions`."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.store.db import Engine
from newsdesk.store.users import AccountError, account_count, check_password, create_user, set_password
from newsdesk.web.http.login_limits import client_address, limits_of, signup_limiter_of
from newsdesk.web.http.origin import local_path, same_origin
from newsdesk.web.http.params import small_form
from newsdesk.web.http.responses import render_page
from newsdesk.web.pages.reader_app_options import reader_app_context
from newsdesk.web.sessions import SESSION_COOKIE, end_session, start_session, viewer
from newsdesk.web.site import site_of


def _check(engine: Engine, username: str, password: str) -> int | None:
    with engine.connect() as conn:
        return check_password(conn, username, password)


def _create(engine: Engine, username: str, password: str) -> int:
    with engine.begin() as conn:
        return create_user(conn, username, password)


async def _signed_in(request: Request, user_id: int, target: str) -> Response:
    """Start a session for ``user_id`` and go to ``target``."""
    site = site_of(request)
    days = site.settings.web_session_days
    token = await run_in_threadpool(start_session, site.engine, user_id, days)
    response = RedirectResponse(local_path(target), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=days * 86400, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


def _form_page(request: Request, template: str, error: str = "", status: int = 200, *, next_page: str | None = None,
               **context: object) -> Response:
    """A sign-in or sign-up form; ``next_page`` (from a posted form) wins over the query's ``next``, so a failed
    attempt still returns to the page the reader came from."""
    target = next_page if next_page is not None else request.query_params.get("next", "/")
    return render_page(request, template, {"error": error, "next": local_path(target),
                                           "signup_open": site_of(request).settings.web_signup, **context}, status,
                       private=True)  # what it says depends on the accounts that exist now


def _no_accounts(engine: Engine) -> bool:
    with engine.connect() as conn:
        return account_count(conn) == 0


def login_page(request: Request) -> Response:
    """``GET /login``; on a fresh install (no account at all) it says how to create the first admin."""
    return _form_page(request, "login.html", no_accounts=_no_accounts(site_of(request).engine))


async def login_action(request: Request) -> Response:
    """``POST /login``: name and password; back to ``next`` signed in, or the form again with an error."""
    if not same_origin(request):
        return _form_page(request, "login.html", "cross_site", 403)
    form = await small_form(request)
    username, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
    back = str(form.get("next") or "/")
    limits, address = limits_of(request), client_address(request)
    if not limits.attempt(address, username):  # counted before the check, so parallel guesses cannot all slip through
        return _form_page(request, "login.html", "too_many_tries", 429, next_page=back, username=username)
    user_id = await run_in_threadpool(_check, site_of(request).engine, username, password)
    if user_id is None:
        return _form_page(request, "login.html", "bad_login", 401, next_page=back, username=username)
    limits.succeeded(address, username)
    return await _signed_in(request, user_id, back)


async def logout_action(request: Request) -> Response:
    """``POST /logout``: end this browser's session."""
    if not same_origin(request):
        return _form_page(request, "login.html", "cross_site", 403)
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        await run_in_threadpool(end_session, site_of(request).engine, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")
    return response


def signup_page(request: Request) -> Response:
    if not site_of(request).settings.web_signup:
        return _form_page(request, "login.html", "signup_closed", 403)
    return _form_page(request, "signup.html")


async def signup_action(request: Request) -> Response:
    """``POST /signup`` (when ``web_signup`` is on): a new account, signed in at once."""
    if not site_of(request).settings.web_signup:
        return _form_page(request, "login.html", "signup_closed", 403)
    if not same_origin(request):
        return _form_page(request, "signup.html", "cross_site", 403)
    form = await small_form(request)
    username, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
    if not signup_limiter_of(request).attempt(client_address(request)):  # never cleared: accounts per address
        return _form_page(request, "signup.html", "too_many_tries", 429, username=username)
    try:
        user_id = await run_in_threadpool(_create, site_of(request).engine, username, password)
    except AccountError as exc:
        return _form_page(request, "signup.html", str(exc), 422, username=username)
    return await _signed_in(request, user_id, str(form.get("next") or "/"))


def account_page(request: Request) -> Response:
    """``GET /account``: change the password; how to connect reader apps."""
    if viewer(request) is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return render_page(request, "account.html", {"message": request.query_params.get("message", ""),
                                                 "error": "", **reader_app_context(request)})


def _change_password(engine: Engine, username: str, current: str, new: str) -> str | None:
    """Change the password when ``current`` is right; returns an error code or None."""
    with engine.begin() as conn:
        if check_password(conn, username, current) is None:
            return "bad_login"
        try:
            set_password(conn, username, new)
        except AccountError as exc:
            return str(exc)
    return None


async def password_action(request: Request) -> Response:
    """``POST /account/password``: every session ends (this browser gets a new one)."""
    me = viewer(request)
    if me is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    if not same_origin(request):
        return render_page(request, "account.html", {"message": "", "error": "cross_site"}, 403)
    form = await small_form(request)
    limits, address = limits_of(request), client_address(request)
    if not limits.attempt(address, me.username):
        return render_page(request, "account.html", {"message": "", "error": "too_many_tries"}, 429)
    error = await run_in_threadpool(_change_password, site_of(request).engine, me.username,
                                    str(form.get("current") or ""), str(form.get("new") or ""))
    if error:
        return render_page(request, "account.html", {"message": "", "error": error}, 422)
    limits.succeeded(address, me.username)
    return await _signed_in(request, me.id, "/account?message=changed")
