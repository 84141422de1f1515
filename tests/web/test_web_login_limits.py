"""Sign-in limits as the review attacked them: a name in another Unicode spelling is the same account, and Fever's
failures (which name no account) count per address, so a few addresses cannot lock every reader app out."""

from __future__ import annotations

from newsdesk.web.http.login_limits import SignInLimits, fever_account


def test_every_spelling_of_a_name_counts_against_that_account() -> None:
    """Found in review: after bob was refused, "ｂｏｂ", "𝐛𝐨𝐛" and "Ｂob" each got 3 more password checks."""
    limits = SignInLimits.build(failures=3, per_address=50, per_account=50, window_seconds=900)
    for spelling in ("bob", "BOB", "Bob"):
        assert limits.attempt("192.0.2.1", spelling)
    for spelling in ("ｂｏｂ", "𝐛𝐨𝐛", "Ｂob", "bob"):
        assert not limits.attempt("192.0.2.1", spelling)


def test_the_account_wide_limit_sees_every_spelling_from_every_address() -> None:
    limits = SignInLimits.build(failures=10, per_address=50, per_account=6, window_seconds=900)
    spellings = ["mod", "MOD", "ｍｏｄ", "𝐦𝐨𝐝", "Ｍod", "mOd"]
    for n, spelling in enumerate(spellings):
        assert limits.attempt(f"192.0.2.{n + 1}", spelling)
    assert not limits.attempt("192.0.2.99", "ｍＯｄ")


def test_fever_failures_lock_out_only_their_own_address() -> None:
    """Found in review: 50 bad Fever keys from 5 addresses locked every account's Fever app out for 15 minutes."""
    limits = SignInLimits.build(failures=10, per_address=50, per_account=50, window_seconds=900)
    for n in range(5):
        address = f"192.0.2.{n + 1}"
        for _ in range(10):
            limits.attempt(address, fever_account(address))
        assert not limits.attempt(address, fever_account(address))
    assert limits.attempt("198.51.100.7", fever_account("198.51.100.7"))
