"""The hourly LLM call budget, kept in the database: a rolling window, a hard limit, zero means no calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.store.llm_calls import calls_in_last_hour, reserve_call


def test_the_budget_is_a_rolling_hour(engine, settings) -> None:
    limited = settings.replace(ai_llm_max_calls_per_hour=3)
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    granted = [reserve_call(engine, limited, "summary", 1, now=start + timedelta(minutes=m)) for m in range(5)]
    assert granted == [True, True, True, False, False]
    assert calls_in_last_hour(engine, now=start + timedelta(minutes=5)) == 3  # refusals leave no trace
    assert not reserve_call(engine, limited, "ask", 1, now=start + timedelta(minutes=59, seconds=59))
    assert reserve_call(engine, limited, "ask", 1, now=start + timedelta(minutes=60, seconds=1))  # the first expired
    assert calls_in_last_hour(engine, now=start + timedelta(minutes=60, seconds=30)) == 3


def test_a_zero_budget_allows_no_call(engine, settings) -> None:
    assert not reserve_call(engine, settings.replace(ai_llm_max_calls_per_hour=0), "summary")
    assert calls_in_last_hour(engine) == 0
