"""Accounts in the store: names are unique case-insensitively and sign in in any case; migration 0008 turns the old
moderator flag into a role and keeps an older install's same-name-different-case accounts apart."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsdesk.store.db import connect, migrate
from newsdesk.store.users import AccountError, account_by_name, check_password, create_user, set_role


def test_names_are_unique_in_any_case_and_sign_in_in_any_case(db_url: str) -> None:
    engine = connect(db_url)
    migrate(engine)
    with engine.begin() as conn:
        alice = create_user(conn, "Alice", "a long password")
        with pytest.raises(AccountError, match="exists already"):
            create_user(conn, "aLiCe", "a long password")
        assert check_password(conn, "ALICE", "a long password") == alice
        assert account_by_name(conn, "alice").username == "Alice"
        with pytest.raises(AccountError, match="role"):
            set_role(conn, "alice", "owner")


def test_migration_0008_keeps_moderators_and_old_case_twins(db_url: str) -> None:
    engine = connect(db_url)
    migrate(engine, "0007")
    with engine.begin() as conn:
        for n, (name, moderator) in enumerate((("sam", True), ("Sam", False), ("kim", False))):
            conn.execute(sa.text("INSERT INTO users (id, username, password_hash, created_at, is_moderator) "
                                 "VALUES (:id, :name, 'x', CURRENT_TIMESTAMP, :mod)"),
                         {"id": n + 1, "name": name, "mod": moderator})
    migrate(engine, "0008")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT username, username_key, role FROM users ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("sam", "sam", "moderator"), ("Sam", "sam#2", "reader"),
                                        ("kim", "kim", "reader")]
