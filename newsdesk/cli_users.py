"""``newsdesk users``: accounts and their roles (reader, moderator, admin) for the web app and the reader apps."""

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


def _role_of_args(args: argparse.Namespace) -> str:
    return "admin" if args.admin else "moderator" if args.moderator else "reader"


def cmd_users_passwd(args: argparse.Namespace, settings: Settings) -> int:
    return _change(args, settings, create=False)


def _change(args: argparse.Namespace, settings: Settings, create: bool) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import AccountError, create_user, set_password

    try:
        password = _password(args)
        with open_store(settings.database_url).begin() as conn:
            if create:
                create_user(conn, args.name, password, _role_of_args(args))
            else:
                set_password(conn, args.name, password)
    except (AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    what = f"created {args.name} ({_role_of_args(args)})" if create else f"changed the password of {args.name}"
    print(f"{what}; sign in at /login; reader apps: /fever/ or the Google Reader API with this name and password")
    return 0


def cmd_users_list(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import list_users

    with open_store(settings.database_url).connect() as conn:
        for name, created, role in list_users(conn):
            print(f"{name}\t{created:%Y-%m-%d %H:%M} UTC\t{role}")
    return 0


def _set_role(name: str, role: str, settings: Settings) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.store.users import AccountError, set_role

    try:
        with open_store(settings.database_url).begin() as conn:
            set_role(conn, name, role)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{name} is now {'an' if role == 'admin' else 'a'} {role}")
    return 0


def cmd_users_role(args: argparse.Namespace, settings: Settings) -> int:
    return _set_role(args.name, args.role, settings)


def cmd_users_moderator(args: argparse.Namespace, settings: Settings) -> int:
    return _set_role(args.name, "reader" if args.off else "moderator", settings)


def add_users_commands(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="manage accounts (reader apps sign in with them)").add_subparsers(
        dest="users_command", required=True)
    for name, func, text in (("add", cmd_users_add, "create an account (a reader unless --admin or --moderator)"),
                             ("passwd", cmd_users_passwd, "change an account's password")):
        p = users.add_parser(name, help=text)
        p.add_argument("name", help="user name: 1-64 letters, digits, '.', '_', '@' or '-' (case does not matter)")
        p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        if name == "add":
            role = p.add_mutually_exclusive_group()
            role.add_argument("--admin", action="store_true", help="may manage sources and accounts, moderate")
            role.add_argument("--moderator", action="store_true", help="may remove anyone's comment")
        p.set_defaults(func=func)
    users.add_parser("list", help="list accounts with their roles").set_defaults(func=cmd_users_list)
    p = users.add_parser("role", help="set an account's role: reader, moderator or admin")
    p.add_argument("name")
    p.add_argument("role", choices=("reader", "moderator", "admin"))
    p.set_defaults(func=cmd_users_role)
    p = users.add_parser("moderator", help="make an account a moderator (--off: a reader again)")
    p.add_argument("name")
    p.add_argument("--off", action="store_true")
    p.set_defaults(func=cmd_users_moderator)
