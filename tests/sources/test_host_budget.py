"""The per-host budget and fair sharing: under a burst of 300 due feeds on one host, no sliding minute ever holds
more than the budget for it, the other hosts are served in the first step, and hosts are interleaved. The
publisher's hints (TTL, Cache-Control) and jitter in the poll schedule."""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.sources.host_budget import HostBudget, host_of_url
from newsdesk.sources.schedule import next_check
from newsdesk.sources.schedule_hints import publisher_floor

BUDGET = 12


def burst() -> list[str]:
    return [f"https://news.google.com/rss/{i}" for i in range(300)] + ["https://one.example/feed",
                                                                       "https://two.example/rss"]


def test_a_burst_on_one_host_never_exceeds_its_budget_in_any_minute() -> None:
    budget, due, checked = HostBudget(BUDGET), burst(), deque()
    for second in range(0, 40 * 60, 7):  # a scheduler step every 7 s for 40 minutes
        taken = budget.take(due, float(second), host_of_url)
        due = [url for url in due if url not in set(taken)]
        checked.extend((second, host_of_url(url)) for url in taken)
        recent = [host for at, host in checked if at > second - 60]
        assert recent.count("news.google.com") <= BUDGET
    assert due == [] and len(checked) == 302


def test_other_hosts_are_served_at_once_and_hosts_are_interleaved() -> None:
    taken = HostBudget(BUDGET).take(burst(), 0.0, host_of_url)
    assert len(taken) == BUDGET + 2
    assert [host_of_url(u) for u in taken[:3]] == ["news.google.com", "one.example", "two.example"]
    assert all(host_of_url(u) == "news.google.com" for u in taken[3:])


def test_the_window_frees_after_a_minute() -> None:
    budget = HostBudget(2)
    assert len(budget.take(burst(), 0.0, host_of_url)) == 4
    assert budget.take(burst()[:10], 59.0, host_of_url) == []
    assert budget.seconds_until_room(["news.google.com"], 59.0) == pytest.approx(1.0)
    assert len(budget.take(burst()[:10], 60.0, host_of_url)) == 2


NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
BOUNDS = {"min_interval": 300, "max_interval": 86400, "error_count": 0, "retry_after": None}


def test_the_publishers_ttl_and_max_age_are_floors_capped_at_the_longest_interval() -> None:
    busy = [NOW - timedelta(minutes=m) for m in (0, 5, 10, 15)]
    assert next_check(NOW, entry_times=busy, **BOUNDS)[1] == 300
    assert next_check(NOW, entry_times=busy, floor=3600, **BOUNDS)[1] == 3600
    assert next_check(NOW, entry_times=busy, floor=10 ** 9, **BOUNDS)[1] == 86400


def test_jitter_spreads_intervals_within_its_fraction() -> None:
    rng = random.Random(7)
    seconds = {next_check(NOW, entry_times=[], jitter=0.1, rng=rng, **BOUNDS)[1] for _ in range(50)}
    base = int((300 * 86400) ** 0.5)
    assert len(seconds) > 10 and all(0.9 * base - 1 <= s <= 1.1 * base + 1 for s in seconds)


@pytest.mark.parametrize(("headers", "content", "expected"), [
    ({"cache-control": "public, max-age=1800"}, b"<rss/>", 1800.0),
    ({"cache-control": "s-maxage=600, max-age=60"}, b"<rss/>", 600.0),
    ({}, b"<rss><channel><ttl>90</ttl></channel></rss>", 5400.0),
    ({"cache-control": "no-cache, max-age=9999"}, b"<rss><channel><ttl>5</ttl></channel></rss>", 300.0),
    ({"cache-control": "private"}, b"<feed/>", None),
])
def test_what_the_publisher_says(headers, content, expected) -> None:
    assert publisher_floor(headers, content) == expected
