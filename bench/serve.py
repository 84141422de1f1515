#!/usr/bin/env python3
"""Web benchmark: requests/s and p50/p99 latency of every reader page with 10,000 stories stored.

Run by `make bench`. What it does, on this machine, in one run:
  1. builds (once, cached in bench/out/) a SQLite store of >= 10,000 stories: the sample site of
     sample_site (the shared dev sets' gold stories) repeated 63 times, about 106k articles;
  2. serves it with ``newsdesk serve`` (``--workers``, default one process per core) in a second process, with the
     micro-cache on (the default setting), then off (every request queries and renders), then on again for a
     signed-in reader (a session cookie: the shared page plus that reader's parts, see web/http/stitching.py; the
     Following page is the reader's own and measured only signed in);
  3. loads each page with wrk (64 connections, 2 threads) from a third process and reads its latency histogram;
  4. saves each page's HTML as a static file, serves the files with Debian's nginx on another loopback port and
     loads them the same way: the physical ceiling for a page on this machine. The ratio is ours / nginx (req/s).
Uncached pages are also loaded over one connection ("1 conn" p50: the page's own service time, without queueing
behind the other connections). Figures go to stdout and bench/out/serve.json. The target (issue 4): every page's
median under 50 ms; issue 12: signed-in and uncached pages >= 1,000 req/s with p99 < 100 ms, cached pages >= 0.3 of
nginx.

usage: .venv/bin/python bench/serve.py [--seconds 8] [--connections 64] [--workers 0]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.sample_site: the sample store (a test fixture, not shipped)

from newsdesk.config import load_settings  # noqa: E402
from newsdesk.store.db import open_store  # noqa: E402

OUT = ROOT / "bench" / "out"
DATA = ROOT.parent / "shared" / "data" / "clustering-dev"
STORIES_WANTED = 10_000
NGINX_CONF = """worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log; daemon off;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; types {{ text/html html; }}
  client_body_temp_path {dir}/b; proxy_temp_path {dir}/p; fastcgi_temp_path {dir}/f; uwsgi_temp_path {dir}/u;
  scgi_temp_path {dir}/s;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ default_type text/html; }} }} }}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(path: Path) -> str:
    """The 10k-story SQLite store, built once and kept in bench/out/."""
    url = f"sqlite:///{path}"
    engine = open_store(url)
    with engine.connect() as conn:
        have = conn.exec_driver_sql("SELECT count(*) FROM stories").scalar_one()
    if have < STORIES_WANTED:
        from support.sample_site import load_sample

        started = time.perf_counter()
        stories = load_sample(engine, DATA, copies=-(-STORIES_WANTED // 160))
        print(f"built {stories} stories in {time.perf_counter() - started:.0f} s", flush=True)
    engine.dispose()
    return url


def serve_child(url: str, port: int, cache_seconds: float, workers: int) -> None:
    """Runs in the server process: ``newsdesk serve`` over the store, without the scheduler."""
    from newsdesk.serve import serve

    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_WEB_PAGE_CACHE_SECONDS": str(cache_seconds),
                                  "NEWSDESK_WEB_WORKERS": str(workers), "NEWSDESK_DATA_DIR": str(OUT / "data")},
                             config_file=OUT / "absent.toml")
    serve(settings, host="127.0.0.1", port=port, scheduler=False)


def reader_cookie(url: str) -> str:
    """A session of a reader account in the bench store, who follows the biggest story and commented on it."""
    from newsdesk.store import social
    from newsdesk.store.users import account_by_name, create_user
    from newsdesk.web.sessions import SESSION_COOKIE, start_session

    engine = open_store(url)
    with engine.begin() as conn:
        found = account_by_name(conn, "bench-reader")
        user_id = found.id if found else create_user(conn, "bench-reader", "bench-reader-password")
        big = conn.exec_driver_sql("SELECT id FROM stories ORDER BY article_count DESC LIMIT 1").scalar_one()
        social.follow(conn, user_id, big)
        if not social.comments_on(conn, story_id=big):
            social.add_comment(conn, user_id, "A comment of the bench reader.", story_id=big)
    token = start_session(engine, user_id, 1)
    engine.dispose()
    return f"{SESSION_COOKIE}={token}"


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def pick_pages(url: str) -> dict[str, str]:
    """The pages to load: one of each kind, with a big story and an article from it."""
    engine = open_store(url)
    with engine.connect() as conn:
        big = conn.exec_driver_sql("SELECT id FROM stories ORDER BY article_count DESC LIMIT 1").scalar_one()
        mid = conn.exec_driver_sql("SELECT id FROM stories WHERE article_count BETWEEN 4 AND 10 "
                                   "ORDER BY id DESC LIMIT 1").scalar_one()
        article = conn.exec_driver_sql("SELECT id FROM articles WHERE word_count > 200 ORDER BY id DESC LIMIT 1"
                                       ).scalar_one()
    engine.dispose()
    return {"home": "/", "home edition=ES": "/?edition=ES", "home topic=business": "/?topic=business",
            f"story {big} (biggest)": f"/stories/{big}", f"story {mid}": f"/stories/{mid}",
            f"article {article}": f"/articles/{article}", "search bitcoin": "/search?q=bitcoin",
            "sources": "/sources", f"api story {mid}": f"/api/v1/stories/{mid}"}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          *headers, url], capture_output=True, text=True, check=True).stdout
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": latency["50"],
            "p99_ms": latency["99"], "non_2xx": int(errors.group(1)) if errors else 0}


def bench_app(url: str, pages: dict[str, str], cache_seconds: float, args: argparse.Namespace,
              www: Path | None, cookie: str = "") -> dict[str, dict[str, float]]:
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--child", url, str(port), str(cache_seconds),
                               str(args.workers)])
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        for index, (name, path) in enumerate(pages.items()):
            request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
            body = urllib.request.urlopen(request, timeout=30).read()
            if www is not None:
                (www / f"page{index}.html").write_bytes(body)
            results[name] = {**wrk(base + path, args.seconds, args.connections, cookie), "bytes": len(body)}
            if www is None and not cookie:  # uncached: also one connection at a time, the page's own service time
                results[name]["p50_1conn_ms"] = wrk(base + path, max(2, args.seconds // 2), 1)["p50_ms"]
            print(f"  {name:28} {results[name]['rps']:8.0f} req/s  p50 {results[name]['p50_ms']:7.2f} ms  "
                  f"p99 {results[name]['p99_ms']:7.2f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return results


def bench_nginx(pages: dict[str, str], work: Path, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    port = free_port()
    (work / "nginx.conf").write_text(NGINX_CONF.format(dir=work, port=port), encoding="utf-8")
    work.chmod(0o755)  # nginx workers run as an unprivileged user when started by root
    nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(work / "nginx.conf"),
                              "-p", str(work), "-e", str(work / "error.log")])
    results = {}
    try:
        wait_for(f"http://127.0.0.1:{port}/page0.html")
        for index, name in enumerate(pages):
            results[name] = wrk(f"http://127.0.0.1:{port}/page{index}.html", args.seconds, args.connections)
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
    return results


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        serve_child(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=0, help="serving processes (0: one per core)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = build_store(OUT / "serve-10k.sqlite3")
    pages = pick_pages(url)
    with tempfile.TemporaryDirectory(prefix="newsdesk-nginx-") as tmp:
        work = Path(tmp)
        (work / "www").mkdir()
        print("newsdesk, micro-cache on (default):", flush=True)
        cached = bench_app(url, pages, 10.0, args, work / "www")
        print("newsdesk, micro-cache off:", flush=True)
        uncached = bench_app(url, pages, 0.0, args, None)
        print("newsdesk, signed in, micro-cache on (default):", flush=True)
        reader_pages = {name: path for name, path in pages.items() if path != "/sources"}  # admins only
        signed_in = bench_app(url, {**reader_pages, "following": "/following"}, 10.0, args, None, reader_cookie(url))
        print("nginx, the same pages as static files:", flush=True)
        ceiling = bench_nginx(pages, work, args)
    report(pages, {"cached": cached, "uncached": uncached, "signed_in": signed_in, "nginx": ceiling}, args)


def report(pages: dict[str, str], runs: dict[str, dict], args: argparse.Namespace) -> None:
    """The table: anonymous cached (with its ratio to nginx), anonymous uncached, signed in; and the targets."""
    cached, uncached, signed_in, ceiling = runs["cached"], runs["uncached"], runs["signed_in"], runs["nginx"]
    print(f"\n{'page':28} {'cached req/s':>12} {'p99':>7} {'ratio':>5} | {'uncached':>8} {'p99':>7} {'1 conn':>6} | "
          f"{'signed in':>9} {'p99':>7} | {'nginx':>7}")
    for name in [*pages, "following"]:
        c, u, s, n = cached.get(name), uncached.get(name), signed_in.get(name), ceiling.get(name)
        left = (f"{c['rps']:12.0f} {c['p99_ms']:7.1f} {c['rps'] / n['rps']:5.2f} | {u['rps']:8.0f} {u['p99_ms']:7.1f} "
                f"{u['p50_1conn_ms']:6.1f}") if c and u and n else f"{'(signed-in only)':>27} | {'':24}"
        right = f"{s['rps']:9.0f} {s['p99_ms']:7.1f}" if s else f"{'(admin)':>17}"
        print(f"{name:28} {left} | {right} | {n['rps'] if n else 0:7.0f}")
    for label, run in (("signed in", signed_in), ("uncached", uncached)):
        meeting = sum(r["rps"] >= 1000 and r["p99_ms"] < 100 for r in run.values())
        print(f"{label}: {meeting} of {len(run)} pages at >= 1,000 req/s with p99 < 100 ms")
    print(f"cached: {sum(cached[p]['rps'] >= 0.3 * ceiling[p]['rps'] for p in pages)} of {len(pages)} pages at "
          ">= 0.3 of nginx")
    (OUT / "serve.json").write_text(json.dumps({"connections": args.connections, "seconds": args.seconds,
                                                "workers": args.workers, "pages": pages, **runs}, indent=2),
                                    encoding="utf-8")

if __name__ == "__main__":
    main()
