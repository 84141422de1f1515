"""Scale-out source checks: a due source is handed out once; a check whose worker died (heartbeat stopped) or that a
lost queue dropped is handed out again, and the old hand-out is void; ending a check clears its claim; a running
check's heartbeat keeps it claimed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from newsdesk.store import leases as lease_store
from newsdesk.store import sources as source_store
from newsdesk.store.tables_core import sources
from newsdesk.tasks.dispatch import claimed_check, hand_out_due_sources

T0 = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TTL, LOST_AFTER = 20.0, 5.0


def _add(engine: sa.Engine, count: int) -> list[int]:
    with engine.begin() as conn:
        return [source_store.add_source(conn, f"https://news{i}.example/feed.xml")[0] for i in range(count)]


def _hand_out(engine: sa.Engine, at: float, queue_empty: bool = False) -> dict[int, str]:
    with engine.begin() as conn:
        return dict(lease_store.hand_out_due(conn, T0 + timedelta(seconds=at), TTL, queue_empty, LOST_AFTER))


def _claim(engine: sa.Engine, source_id: int, token: str, at: float, worker: str = "w1") -> bool:
    with engine.begin() as conn:
        return lease_store.claim_check(conn, source_id, token, worker, TTL, T0 + timedelta(seconds=at))


def test_a_due_source_is_handed_out_once_while_in_flight(engine: sa.Engine) -> None:
    ids = _add(engine, 3)
    first = _hand_out(engine, 0)
    assert sorted(first) == ids
    assert _hand_out(engine, 1) == {}  # queued: not again
    assert _claim(engine, ids[0], first[ids[0]], 2)
    assert _hand_out(engine, 15) == {}  # running, heartbeat alive (claimed at 2 s, until 22 s)


def test_a_dead_workers_check_is_handed_out_again_and_the_old_task_is_void(engine: sa.Engine) -> None:
    [source_id] = _add(engine, 1)
    token = _hand_out(engine, 0)[source_id]
    assert _claim(engine, source_id, token, 1)
    again = _hand_out(engine, 22)  # no heartbeat since 1 s: the worker died
    assert list(again) == [source_id] and again[source_id] != token
    assert not _claim(engine, source_id, token, 23)  # a retry of the dead worker's task does nothing
    assert _claim(engine, source_id, again[source_id], 23, worker="w2")


def test_a_check_the_queue_lost_is_handed_out_again_only_when_the_queue_is_empty(engine: sa.Engine) -> None:
    [source_id] = _add(engine, 1)
    token = _hand_out(engine, 0)[source_id]
    assert _hand_out(engine, 60, queue_empty=False) == {}  # still waiting in a long queue
    assert _hand_out(engine, 3, queue_empty=True) == {}  # handed out this tick: a worker may be taking it
    again = _hand_out(engine, 6, queue_empty=True)  # an earlier tick's check, never claimed, queue empty: lost
    assert list(again) == [source_id] and again[source_id] != token


def test_ending_a_check_clears_its_claim(engine: sa.Engine) -> None:
    [source_id] = _add(engine, 1)
    token = _hand_out(engine, 0)[source_id]
    assert _claim(engine, source_id, token, 1)
    with engine.begin() as conn:
        source_store.record_success(conn, source_id, now=T0, next_check_at=T0 + timedelta(hours=1), interval=3600,
                                    etag=None, last_modified=None)
        assert not lease_store.renew_check(conn, source_id, token, "w1", TTL, T0)
        row = conn.execute(sa.select(sources.c.lease_token, sources.c.leased_by, sources.c.leased_until)).one()
    assert tuple(row) == (None, None, None)
    assert _hand_out(engine, 2) == {}  # checked: due again in an hour


def test_a_running_check_is_kept_claimed_by_its_heartbeat(engine: sa.Engine) -> None:
    [source_id] = _add(engine, 1)
    handed = hand_out_due_sources(engine, 1.5, lambda: 1, lambda *_: None)
    assert handed == 1
    with engine.connect() as conn:
        token = conn.execute(sa.select(sources.c.lease_token)).scalar_one()
    with claimed_check(engine, source_id, token, "w1", ttl=1.5) as claimed:
        assert claimed
        with engine.connect() as conn:
            first = conn.execute(sa.select(sources.c.leased_until)).scalar_one()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.execute(sa.select(sources.c.leased_until)).scalar_one() > first:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the heartbeat did not renew the claim")
    with claimed_check(engine, source_id, "another token", "w2", ttl=1.5) as claimed:
        assert not claimed
