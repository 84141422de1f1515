"""The lease row: one holder at a time, taken over when it runs out, renewed by a heartbeat, a fence on commits; on
SQLite and PostgreSQL, and across real processes (the holder killed with SIGKILL)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsdesk.store import leases as lease_store
from newsdesk.store.db import open_store
from newsdesk.tasks.leases import Lease, LeaseLost, known_dead

T0 = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, db_url: str) -> str:
    return request.getfixturevalue("pg_url") if request.param == "postgres" else db_url


@pytest.fixture
def store(store_url: str) -> sa.Engine:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


def _take(engine: sa.Engine, holder: str, now: datetime, ttl: float = 30) -> int | None:
    with engine.begin() as conn:
        return lease_store.try_acquire(conn, "work", holder, ttl, now)


def test_one_holder_at_a_time_until_the_lease_runs_out(store: sa.Engine) -> None:
    first = _take(store, "a", T0)
    assert first is not None
    assert _take(store, "b", T0 + timedelta(seconds=29)) is None  # a's lease still runs
    assert _take(store, "a", T0 + timedelta(seconds=29)) == first  # a takes it again: same generation
    taken_over = _take(store, "b", T0 + timedelta(seconds=60))  # a stopped renewing: b takes over
    assert taken_over == first + 1
    with store.begin() as conn:
        assert not lease_store.renew(conn, "work", "a", 30, T0 + timedelta(seconds=61))
        assert lease_store.read(conn, "work").holder == "b"


def test_a_released_lease_is_free_and_its_generation_tells_who_held_it(store: sa.Engine) -> None:
    first = _take(store, "a", T0)
    with store.begin() as conn:
        lease_store.release(conn, "work", "a", T0 + timedelta(seconds=1))
    assert _take(store, "a", T0 + timedelta(seconds=2)) == first  # nobody came in between
    with store.begin() as conn:
        lease_store.release(conn, "work", "a", T0 + timedelta(seconds=3))
    assert _take(store, "b", T0 + timedelta(seconds=4)) == first + 1
    with store.begin() as conn:
        lease_store.release(conn, "work", "b", T0 + timedelta(seconds=5))
    assert _take(store, "a", T0 + timedelta(seconds=6)) == first + 2  # a knows b worked in between


def test_the_fence_refuses_a_commit_after_a_takeover(store: sa.Engine) -> None:
    lease = Lease(store, "work", ttl=30)
    lease.acquire()
    assert _take(store, "other", datetime.now(UTC) + timedelta(seconds=120)) is not None  # as if a ran out
    with pytest.raises(LeaseLost), store.begin() as conn:
        lease.fence(conn)
        conn.execute(sa.text("CREATE TABLE never_committed (x INTEGER)"))
    with store.connect() as conn:
        assert "never_committed" not in sa.inspect(conn).get_table_names()


HOLDER = textwrap.dedent("""
    import sys, time
    from newsdesk.store.db import connect
    from newsdesk.tasks.leases import Lease
    lease = Lease(connect(sys.argv[1]), "work", ttl=float(sys.argv[2]))
    with lease.held():
        print("held", flush=True)
        time.sleep(600)
""")


def _holder(store_url: str, ttl: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, store_url, str(ttl)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.slow
def test_a_live_holder_keeps_the_lease_by_its_heartbeat(store: sa.Engine, store_url: str) -> None:
    ttl = 2.0
    with _holder(store_url, ttl) as holder:
        try:
            waiter = Lease(store, "work", ttl=ttl)
            for _ in range(int(2 * ttl / waiter.poll)):  # twice the lease's length: the heartbeat kept renewing it
                assert waiter.try_acquire() is None
                time.sleep(waiter.poll)
        finally:
            holder.kill()


@pytest.mark.slow
def test_a_killed_holder_on_this_host_is_taken_over_before_its_lease_runs_out(store: sa.Engine,
                                                                             store_url: str) -> None:
    with _holder(store_url, 600) as holder:
        holder.kill()
    with store.connect() as conn:
        before = lease_store.read(conn, "work")
    waiter = Lease(store, "work", ttl=600)
    waiter.acquire()
    with store.connect() as conn:
        after = lease_store.read(conn, "work")
    assert after.holder == waiter.holder and after.generation == before.generation + 1
    assert datetime.now(UTC) < before.expires_at  # the dead holder's lease had ten minutes left


def test_only_processes_of_this_host_that_are_gone_are_known_dead() -> None:
    host = socket.gethostname()
    with subprocess.Popen([sys.executable, "-c", "pass"]) as gone:
        pass
    assert known_dead(f"{host}:{gone.pid}:abcd1234")
    assert not known_dead(f"{host}:{os.getpid()}:abcd1234")
    assert not known_dead(f"elsewhere.example:{gone.pid}:abcd1234")  # another host: wait for its lease to run out
    assert not known_dead(None) and not known_dead("garbage")
