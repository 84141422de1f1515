"""The ``newsdesk`` command line: sources, fetching, import/export, extraction, serving, the demo and accounts."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from newsdesk.cli_ops import add_ops_commands
from newsdesk.cli_packs import add_pack_commands
from newsdesk.cli_understand import add_understand_commands
from newsdesk.cli_users import add_users_commands
from newsdesk.config import Settings, SettingsError, load_settings
from newsdesk.logs import LOG_FORMATS, configure_logging
from newsdesk.run_demo import PortBusy
from newsdesk.store.db import DatabaseError

Handler = Callable[[argparse.Namespace, Settings], int]


def _engine(settings: Settings):
    from newsdesk.store.db import open_store

    return open_store(settings.database_url)


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table("setting", "value", "from", title="effective settings")
    for name, value, origin in settings.describe():
        table.add_row(name, value, origin)
    Console().print(table)
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    _engine(settings)
    print(f"database at {settings.database_url} is up to date")
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.tasks.status import read_status, status_lines

    print("\n".join(status_lines(read_status(_engine(settings), settings))))
    return 0


def cmd_sources_add(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.fetch.client import FetchError
    from newsdesk.tasks.commands import SourceError, add_source

    try:
        added = add_source(_engine(settings), settings, args.url, name=args.name, language=args.language,
                           region=args.region, topics=args.topic or ())
    except (SourceError, FetchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    verb = "added" if added.created else "already known"
    print(f"{verb}: source {added.id} {added.feed_url} ({added.kind})")
    for other in added.alternatives:
        print(f"  also found: {other}")
    return 0


def cmd_sources_list(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import print_sources

    print_sources(_engine(settings))
    return 0


def cmd_sources_import(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import progress_bar
    from newsdesk.sources.opml import OpmlError, parse_opml
    from newsdesk.tasks.commands import import_opml

    engine = _engine(settings)
    try:
        total = len(parse_opml(Path(args.file).read_bytes()))  # ~12 ms per 1,000 outlines: worth a real bar
        with progress_bar("importing OPML", total=total) as advance:
            result = import_opml(engine, Path(args.file), progress=advance)
    except (OpmlError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for refused in result.refused:
        print(f"refused: {refused.title!r}: {refused.reason}", file=sys.stderr)
    print(f"{result.outlines} feeds in the file: {result.created} added, {result.known} already known, "
          f"{len(result.refused)} refused")
    return 1 if result.refused else 0


def cmd_sources_export(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.tasks.commands import export_opml

    text = export_opml(_engine(settings))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import pass_progress
    from newsdesk.tasks.ingest import fetch_pass
    from newsdesk.tasks.scheduler import run_forever

    engine = _engine(settings)
    if not args.once:
        run_forever(engine, settings)
        return 0
    with pass_progress() as progress:
        summary = fetch_pass(engine, settings, progress=progress)
    for error in summary.errors[:20]:
        print(f"  failed: {error}", file=sys.stderr)
    print(summary.line())
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import progress_bar
    from newsdesk.tasks.importer import ImportFileError, import_jsonl

    engine = _engine(settings)
    try:
        with progress_bar("importing", transient=True) as advance:
            summary = import_jsonl(engine, settings, Path(args.file), progress=advance)
    except (ImportFileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.store.articles import export_rows, story_export_rows

    rows = export_rows if args.what == "articles" else story_export_rows
    engine = _engine(settings)
    out = sys.stdout
    with engine.connect() as conn:
        for row in rows(conn):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import extract_target

    try:
        result = extract_target(settings, args.target, args.url)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.text)
    return 0


def first_admin_hint(settings: Settings) -> str | None:
    """On an install with no admin yet: how to create one (printed when the web app starts)."""
    from newsdesk.store.db import open_store
    from newsdesk.store.users import account_count

    with open_store(settings.database_url).connect() as conn:
        if account_count(conn, "admin"):
            return None
    return ("no admin account yet: create one with `newsdesk users add NAME --admin` "
            "(admins add sources and manage accounts; visitors only read)")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.run_demo import SERVE_PORT, claim_port
    from newsdesk.serve import serve

    web = claim_port(args.host, args.port, SERVE_PORT)
    if hint := first_admin_hint(settings):
        print(hint, flush=True)
    if args.workers is not None:
        settings = settings.replace(web_workers=args.workers)
    serve(settings, host=args.host, port=args.port, scheduler=not args.no_scheduler, sock=web)
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.demo.server import serve_forever

    serve_forever(host=args.host, port=args.port, release_every=args.release_every, release_all=args.all)
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.run_demo import claim_port, run_with_demo, start_demo_wire

    web = claim_port(args.host, args.port)  # both ports first: a busy one is said before any work starts
    wire = start_demo_wire(args.demo_port)
    if hint := first_admin_hint(settings):
        print(hint, flush=True)
    run_with_demo(settings, web=web, wire=wire, host=args.host, port=args.port)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.tasks.worker import run_worker

    run_worker(settings, role=args.role, workers=args.workers)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    parser.add_argument("--db", help="database URL (overrides NEWSDESK_DATABASE_URL)")
    parser.add_argument("--config", help="TOML settings file (default: NEWSDESK_CONFIG or ./newsdesk.toml)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log what happens, with the traceback of any error the web app answers with a 500")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("config", help="print the effective settings").set_defaults(func=cmd_config)
    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(func=cmd_migrate)
    sub.add_parser("status", help="the pipeline: live workers, queues, failed tasks, lag, sources by state"
                   ).set_defaults(func=cmd_status)
    _add_sources_commands(sub)
    p = sub.add_parser("fetch", help="check due sources and ingest new articles")
    p.add_argument("--once", action="store_true", help="one pass, then exit (otherwise keep polling)")
    p.set_defaults(func=cmd_fetch)
    p = sub.add_parser("import", help="bulk-load articles from a JSON Lines file, then understand them")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="print articles or story assignments as JSON Lines")
    p.add_argument("what", choices=["articles", "stories"])
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("extract", help="print what extraction makes of one page (a file or a URL)")
    p.add_argument("target", help="an HTML file, or an http(s) URL to fetch")
    p.add_argument("--url", help="the page's URL when TARGET is a file (resolves links, helps metadata)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_extract)
    _add_server_commands(sub)
    add_users_commands(sub)
    add_ops_commands(sub)
    add_understand_commands(sub)
    return parser


def _add_sources_commands(sub: argparse._SubParsersAction) -> None:
    sources = sub.add_parser("sources", help="manage sources").add_subparsers(dest="sources_command", required=True)
    p = sources.add_parser("add", help="add a source by feed URL or site URL (feeds are discovered)")
    p.add_argument("url")
    p.add_argument("--name")
    p.add_argument("--language", help="ISO 639-1 code, e.g. en, fr, ar")
    p.add_argument("--region", help="ISO 3166 country code for editions, e.g. LB, FR")
    p.add_argument("--topic", action="append", help="a topic (repeatable)")
    p.set_defaults(func=cmd_sources_add)
    sources.add_parser("list", help="list sources with their health").set_defaults(func=cmd_sources_list)
    p = sources.add_parser("import-opml", help="add the feeds of an OPML file (folders become topics); outlines "
                                                "whose URL is not http(s) are refused and listed (exit status 1)")
    p.add_argument("file")
    p.set_defaults(func=cmd_sources_import)
    p = sources.add_parser("export-opml", help="print all sources as OPML")
    p.add_argument("-o", "--output")
    p.set_defaults(func=cmd_sources_export)
    add_pack_commands(sources)


def _add_server_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web app (and poll sources in the background)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8080, help="port of the web app (default: %(default)s)")
    p.add_argument("--no-scheduler", action="store_true", help="serve only; do not poll sources")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="serving processes (default: the web_workers setting; 0 = one per CPU core)")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("demo", help="serve the bundled demo newswire (simulated publishers) on 127.0.0.1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--release-every", type=float, default=60.0, help="seconds between new demo articles")
    p.add_argument("--all", action="store_true", help="every article out at once (tests, benchmarks)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("run", help="the demo newswire, its sources and the web app, which is up at once while the "
                       "first pass runs: `make run PORT=8080 DEMO_PORT=8090`")
    p.add_argument("--host", default="127.0.0.1", help="address of the web app (default: %(default)s)")
    p.add_argument("--port", type=int, default=8080, help="port of the web app (default: %(default)s)")
    p.add_argument("--demo-port", type=int, default=8090,
                   help="port of the demo newswire on 127.0.0.11-18 (default: %(default)s)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("worker", help="run pipeline tasks from the queue (scale-out mode); SIGTERM finishes or "
                       "hands back running tasks, then exits")
    p.add_argument("--role", choices=["ingest", "understand"], default="ingest",
                   help="ingest: check sources (run many); understand: cluster and summarise (one works at a time)")
    p.add_argument("--workers", type=int, default=2, help="consumer threads (ingest role)")
    p.set_defaults(func=cmd_worker)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    try:
        settings = load_settings(config_file=args.config)
        if settings.log_format not in LOG_FORMATS:
            raise SettingsError(f"setting log_format: {settings.log_format!r} is not one of {', '.join(LOG_FORMATS)}")
        configure_logging(args.verbose, settings.log_format)
        if args.db:
            settings = settings.replace(database_url=args.db)
        return args.func(args, settings)
    except (SettingsError, PortBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except (OSError, DatabaseError) as exc:  # expected trouble (a file, the database): one line; -v shows where
        print(f"error: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
