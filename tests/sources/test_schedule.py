"""The adaptive poll schedule: rate-based intervals, backoff with jitter, Retry-After as a floor."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.sources.schedule import next_check

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
BOUNDS = {"min_interval": 300, "max_interval": 86400}


def every(minutes: float, count: int = 10, last_ago: float = 0) -> list[datetime]:
    newest = NOW - timedelta(minutes=last_ago)
    return [newest - timedelta(minutes=minutes * i) for i in range(count)]


def interval(**kwargs) -> int:
    defaults = {"entry_times": [], "error_count": 0, "retry_after": None, "rng": random.Random(1)}
    at, seconds = next_check(NOW, **{**defaults, **BOUNDS, **kwargs})
    assert at == NOW + timedelta(seconds=seconds)
    return seconds


def test_busy_publisher_is_polled_at_half_its_gap():
    assert interval(entry_times=every(60)) == 1800


def test_very_busy_publisher_is_clamped_to_the_minimum():
    assert interval(entry_times=every(1)) == 300


def test_quiet_publisher_is_polled_rarely_and_clamped_to_the_maximum():
    assert interval(entry_times=every(60 * 24 * 7)) == 86400


def test_a_publisher_gone_silent_is_stretched_to_its_silence():
    assert interval(entry_times=every(60, last_ago=600)) == 600 * 60 // 2


def test_unknown_rate_uses_the_geometric_mean_of_the_bounds():
    assert interval(entry_times=[]) == interval(entry_times=[NOW]) == int((300 * 86400) ** 0.5)


def test_order_of_entry_times_and_future_times_do_not_matter():
    times = every(60)
    assert interval(entry_times=[*reversed(times), NOW + timedelta(days=3)]) == interval(entry_times=times)


@pytest.mark.parametrize("errors", [1, 2, 3, 4, 5])
def test_errors_back_off_exponentially_with_jitter(errors):
    seconds = interval(error_count=errors, entry_times=every(1))
    base = 300 * 2 ** (errors - 1)
    assert 0.8 * base <= seconds <= 1.2 * base


def test_backoff_is_capped_and_jitter_varies():
    assert interval(error_count=60) <= 86400
    spread = {interval(error_count=3, rng=random.Random(seed)) for seed in range(20)}
    assert len(spread) > 5


def test_retry_after_is_never_undercut():
    assert interval(entry_times=every(1), retry_after=7200.5) == 7201
    assert interval(error_count=1, retry_after=10_000) == 10_000
    assert interval(entry_times=every(60), retry_after=5) == 1800


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError, match="min_interval"):
        next_check(NOW, entry_times=[], error_count=0, retry_after=None, min_interval=600, max_interval=60)
