"""``newsdesk users``: accounts for reader apps (Fever API) and, later, the web app's people features."""

from __future__ import annotations

import argparse
import getpass
import sys

from newsdesk.config import Settings


def _password(args: argparse.Namespace) -> str:
    """The new password: one line of stdin with ``--password-stdin``, else asked twice on the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    return _change(args, settings, create=True)


def cmd_users_passwd(args: argparse.Namespace, settings: Settings) -> int:
    return _change(args, settings, create=False)


def _change(args: argparse.Namespace, settings: Settings, create: bool) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import AccountError, create_user, set_password

    try:
        password = _password(args)
        with open_store(settings.database_url).begin() as conn:
            (create_user if create else set_password)(conn, args.name, password)
    except (AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'created' if create else 'changed the password of'} {args.name}; Fever API: /fever/ with this user "
          "name and password")
    return 0


def cmd_users_list(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import list_users

    with open_store(settings.database_url).connect() as conn:
        for name, created, moderator in list_users(conn):
            print(f"{name}\t{created:%Y-%m-%d %H:%M} UTC{chr(9) + 'moderator' if moderator else ''}")
    return 0


def cmd_users_moderator(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import AccountError, set_moderator

    try:
        with open_store(settings.database_url).begin() as conn:
            set_moderator(conn, args.name, not args.off)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.name} is {'no longer ' if args.off else ''}a moderator")
    return 0


def add_users_commands(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="manage accounts (reader apps sign in with them)").add_subparsers(
        dest="users_command", required=True)
    for name, func, text in (("add", cmd_users_add, "create an account"),
                             ("passwd", cmd_users_passwd, "change an account's password")):
        p = users.add_parser(name, help=text)
        p.add_argument("name")
        p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        p.set_defaults(func=func)
    users.add_parser("list", help="list accounts").set_defaults(func=cmd_users_list)
    p = users.add_parser("moderator", help="let an account remove anyone's comment (--off: no longer)")
    p.add_argument("name")
    p.add_argument("--off", action="store_true")
    p.set_defaults(func=cmd_users_moderator)
