"""``newsdesk understand``: re-run story assignment over stored articles (``recluster``) and refit the evidence
weights from moderators' corrections (``refit``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsdesk.config import Settings


def cmd_recluster(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.cli_views import progress_bar
    from newsdesk.store import grouping
    from newsdesk.store.db import open_store
    from newsdesk.tasks.understanding import UnderstandingStage
    from newsdesk.understand.recluster import recluster

    engine = open_store(settings.database_url)
    stage = UnderstandingStage(engine, settings)
    with stage.holding():  # story assignment runs in one process at a time
        with engine.connect() as conn:
            total = grouping.understood_count(conn)
        with progress_bar("reclustering", total=total) as advance:
            result = recluster(engine, settings, progress=advance, guard=stage.lease.fence)
    print(f"reclustered {result.articles} articles: {result.moved} changed story, {result.stories} stories")
    return 0


def cmd_refit(args: argparse.Namespace, settings: Settings) -> int:
    from newsdesk.store.db import open_store
    from newsdesk.understand.refit import RefitError, refit_report

    try:
        lines = refit_report(open_store(settings.database_url), settings, Path(args.dev_dir) if args.dev_dir else None,
                             Path(args.write) if args.write else None)
    except RefitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def add_understand_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("understand", help="story assignment: recluster stored articles, refit weights")
    commands = group.add_subparsers(dest="understand_command", required=True)
    p = commands.add_parser("recluster", help="assign every stored article to a story again, honouring moderators' "
                            "corrections (waits for the understand lease)")
    p.set_defaults(func=cmd_recluster)
    p = commands.add_parser("refit", help="refit the evidence weights from moderators' corrections and report "
                            "BCubed F1 on labelled dev sets before and after; the shipped weights are never changed")
    p.add_argument("--dev-dir", help="folder of labelled JSON Lines sets (id, title, text, published, cluster) to "
                   "score before and after")
    p.add_argument("--write", help="write the refitted weights to this TOML settings file (opt in with --config)")
    p.set_defaults(func=cmd_refit)
