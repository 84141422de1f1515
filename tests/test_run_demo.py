"""The schedule of ``newsdesk run``: the README promises new demo articles every minute, so the demo sources are
polled every minute, whatever their publishing rhythm; a schedule the user set is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.config import Settings, load_settings
from newsdesk.run_demo import DEMO_POLL_SECONDS, demo_settings
from newsdesk.sources.schedule import next_check

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def interval(settings: Settings, entry_times: list[datetime]) -> int:
    return next_check(NOW, entry_times=entry_times, error_count=0, retry_after=None,
                      min_interval=settings.schedule_min_interval, max_interval=settings.schedule_max_interval)[1]


def test_demo_sources_are_polled_every_minute_whatever_their_rhythm() -> None:
    settings = demo_settings(load_settings(env={}))
    quiet = [NOW - timedelta(hours=h) for h in (1, 5, 9, 30)]  # a demo publisher's corpus dates: hours apart
    busy = [NOW - timedelta(seconds=s) for s in (10, 20, 30)]
    assert DEMO_POLL_SECONDS == 60
    assert interval(settings, quiet) == interval(settings, busy) == interval(settings, []) == 60


def test_a_schedule_the_user_set_is_kept() -> None:
    settings = demo_settings(load_settings(env={"NEWSDESK_SCHEDULE_MAX_INTERVAL": "3600"}))
    assert settings.schedule_max_interval == 3600
    assert settings.schedule_min_interval == load_settings(env={}).schedule_min_interval


def test_run_fetches_from_loopback_without_delay() -> None:
    settings = demo_settings(load_settings(env={}))
    assert "127.0.0.0/8" in settings.fetch_allow_networks and settings.fetch_per_host_delay == 0.0
