"""``newsdesk sources packs | add-pack | remove-pack``: the starter packs of editions and topics from the CLI."""

from __future__ import annotations

import argparse
import sys

from newsdesk.config import Settings
from newsdesk.sources.packs import Catalog, UnknownPack


def cmd_packs(args: argparse.Namespace, settings: Settings) -> int:
    """List every pack: slug, kind, language, region, feed count, installed or not, localized name."""
    from newsdesk.store.db import open_store
    from newsdesk.store.packs import installed_packs

    with open_store(settings.database_url).connect() as conn:
        installed = installed_packs(conn)
    catalog = Catalog.shipped()
    shown = [p for p in catalog.packs if args.kind in (None, p.kind)]
    for pack in shown:
        mark = "*" if pack.slug in installed else " "
        print(f"{mark} {pack.slug:<40} {pack.kind:<8} {pack.language or '-':<8} {pack.region or '-':<3} "
              f"{len(pack.feeds):>4} feeds  {pack.display_name(args.locale)}")
    feeds = sum(len(p.feeds) for p in shown)
    print(f"{len(shown)} packs, {feeds} feeds; * installed ({len(installed)}). Add with `newsdesk sources add-pack "
          "SLUG...`")
    return 0


def cmd_add_pack(args: argparse.Namespace, settings: Settings) -> int:
    """Add each named pack (idempotent); exit 1 when a name is unknown (nothing is added then)."""
    from newsdesk.store.db import open_store
    from newsdesk.store.packs import add_pack

    catalog = Catalog.shipped()
    try:
        chosen = [catalog.find(name) for name in args.names]
    except UnknownPack as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    engine = open_store(settings.database_url)
    for pack in chosen:
        with engine.begin() as conn:
            result = add_pack(conn, pack)
        print(f"{pack.slug}: {pack.kind} {pack.display_name(args.locale)!r}, {result.listed} sources "
              f"({result.created} new), language {pack.language or '-'}, region {pack.region or '-'}")
        for refused in result.refused:
            print(f"  refused: {refused}", file=sys.stderr)
    print("sources are checked by `newsdesk serve` (or `newsdesk fetch`)")
    return 0


def cmd_remove_pack(args: argparse.Namespace, settings: Settings) -> int:
    """Remove each named pack and the sources only it brought; their articles stay."""
    from newsdesk.store.db import open_store
    from newsdesk.store.packs import remove_pack

    catalog = Catalog.shipped()
    engine = open_store(settings.database_url)
    status = 0
    for name in args.names:
        try:
            slug = catalog.find(name).slug
        except UnknownPack as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        with engine.begin() as conn:
            result = remove_pack(conn, slug)
        if result is None:
            print(f"{slug}: not installed", file=sys.stderr)
            status = 1
            continue
        print(f"{slug}: removed, {result.removed} of its {result.listed} sources removed "
              f"({result.articles_kept} of their articles kept)")
    return status


def add_pack_commands(sources: argparse._SubParsersAction) -> None:
    """Register the pack subcommands under ``newsdesk sources``."""
    p = sources.add_parser("packs", help="list the starter packs (editions and topics) with their feed counts")
    p.add_argument("--kind", choices=["edition", "topic"], help="only editions, or only topics")
    p.add_argument("--locale", default="en", help="show names in this language (en, fr, ar, ja, zh-Hant...)")
    p.set_defaults(func=cmd_packs)
    p = sources.add_parser("add-pack", help="add starter packs by slug or name (again: nothing changes)")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--locale", default="en", help="language of the names printed")
    p.set_defaults(func=cmd_add_pack)
    p = sources.add_parser("remove-pack", help="remove starter packs and the sources only they brought "
                                               "(articles stay)")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.set_defaults(func=cmd_remove_pack)
