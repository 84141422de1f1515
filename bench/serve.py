#!/usr/bin/env python3
"""Web benchmark: requests/s and p50/p99 latency of every reader page with 10,000 stories stored.

Run by `make bench`. What it does, on this machine, in one run:
  1. builds (once, cached in bench/out/) a SQLite store of >= 10,000 stories: the sample site of
     sample_site (the shared dev sets' gold stories) repeated 63 times, about 106k articles;
  2. serves it with uvicorn (one process) in a second process, with the micro-cache on (the default setting)
     and then off (every request queries and renders);
  3. loads each page with wrk (64 connections, 2 threads) from a third process and reads its latency histogram;
  4. saves each page's HTML as a static file, serves the files with Debian's nginx on another loopback port and
     loads them the same way: the physical ceiling for a page on this machine. The ratio is ours / nginx (req/s).
Uncached pages are also loaded over one connection ("1 conn" p50: the page's own service time, without queueing
behind the other connections). Figures go to stdout and bench/out/serve.json. The target (issue 4): every page's
median under 50 ms.

usage: .venv/bin/python bench/serve.py [--seconds 8] [--connections 64]
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


def serve_child(url: str, port: int, cache_seconds: float) -> None:
    """Runs in the server process: uvicorn with the app over the store."""
    import uvicorn

    from newsdesk.web.app import create_app

    settings = load_settings(env={"NEWSDESK_DATABASE_URL": url, "NEWSDESK_WEB_PAGE_CACHE_SECONDS": str(cache_seconds)},
                             config_file=OUT / "absent.toml")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)


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


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": latency["50"],
            "p99_ms": latency["99"], "non_2xx": int(errors.group(1)) if errors else 0}


def bench_app(url: str, pages: dict[str, str], cache_seconds: float, args: argparse.Namespace,
              www: Path | None) -> dict[str, dict[str, float]]:
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--child", url, str(port), str(cache_seconds)])
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        for index, (name, path) in enumerate(pages.items()):
            body = urllib.request.urlopen(base + path, timeout=30).read()
            if www is not None:
                (www / f"page{index}.html").write_bytes(body)
            results[name] = {**wrk(base + path, args.seconds, args.connections), "bytes": len(body)}
            if www is None:  # uncached: also one connection at a time, the page's own service time
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
        serve_child(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
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
        print("nginx, the same pages as static files:", flush=True)
        ceiling = bench_nginx(pages, work, args)
    report(pages, cached, uncached, ceiling, args)


def report(pages: dict[str, str], cached: dict, uncached: dict, ceiling: dict, args: argparse.Namespace) -> None:
    print(f"\n{'page':28} {'cached req/s':>12} {'p50':>8} {'p99':>8} | {'uncached':>9} {'p50':>8} {'p99':>8} "
          f"{'1 conn':>7} | {'nginx':>8} {'ratio':>6}")
    for name in pages:
        c, u, n = cached[name], uncached[name], ceiling[name]
        print(f"{name:28} {c['rps']:12.0f} {c['p50_ms']:8.2f} {c['p99_ms']:8.2f} | {u['rps']:9.0f} {u['p50_ms']:8.2f} "
              f"{u['p99_ms']:8.2f} {u.get('p50_1conn_ms', 0):7.2f} | {n['rps']:8.0f} {c['rps'] / n['rps']:6.2f}")
    for label, runs in (("micro-cache on", cached), ("micro-cache off", uncached)):
        worst = max(r["p50_ms"] for r in runs.values())
        meeting = sum(r["p50_ms"] < 50 for r in runs.values())
        print(f"worst median ({label}): {worst:.1f} ms; {meeting} of {len(runs)} pages under the 50 ms target")
    (OUT / "serve.json").write_text(json.dumps({"connections": args.connections, "seconds": args.seconds,
                                                "pages": pages, "cached": cached, "uncached": uncached,
                                                "nginx": ceiling}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
