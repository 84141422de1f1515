"""Settings of the core: storage, the task queue, the demo and the pipeline's scheduling."""

from newsdesk.config import Setting

SETTINGS = [
    Setting("database_url", str, "sqlite:///data/newsdesk.sqlite3",
            "SQLAlchemy URL. SQLite (a file, WAL mode) by default; postgresql+psycopg://… for scale-out."),
    Setting("queue", str, "embedded",
            "'embedded' runs pipeline tasks in-process; 'redis' sends them to Huey workers over Redis."),
    Setting("redis_url", str, "redis://127.0.0.1:6379/0", "Redis URL for the distributed task queue."),
    Setting("queue_sweep_after", int, 20,
            "Seconds an article may wait at status 'stored' before the understand worker's sweep (every 10 s) takes "
            "it: work a killed worker or a lost queue left behind. Taking one early costs nothing (its own task then "
            "finds it understood); it only bounds how soon lost work is found."),
    Setting("lease_seconds", int, 20,
            "How long story assignment (and, scaled out, a source check) stays claimed by a process that stopped "
            "renewing it: a killed process's work is taken over after this. Renewed every third of it while working."),
    Setting("worker_shutdown_grace", int, 30,
            "Seconds a worker told to stop with SIGTERM lets its running tasks finish; then it hands the unfinished "
            "source checks back (handed out again at the scheduler's next tick) and exits. SIGINT stops at once."),
    Setting("extract_processes", int, 0,
            "Processes that extract article pages during a pass (0: one per CPU core; 1: in-process). Extraction is "
            "the CPU-bound stage of ingest, so it runs beside the fetching and storing instead of between them."),
    Setting("extract_niceness", int, 5,
            "Niceness added to the extraction processes (0: same priority as the pass). The pass's own process "
            "feeds them pages; at equal priority it waited for a core while they waited for it (demo pass 4% "
            "slower), and the web server should not wait behind extraction either."),
    Setting("ingest_write_batch", int, 64,
            "Articles a pass stores in one transaction at most (one lookup, one insert, one link insert per batch: "
            "per-article transactions cost the pass's process more CPU than fetching the pages)."),
    Setting("ingest_write_delay", float, 0.25,
            "Seconds an extracted article waits for others to share its transaction; bounds how late it is stored."),
    Setting("ingest_pages_ahead", int, 64,
            "Fetched pages that may wait for extraction; beyond it the pass stops starting requests until the "
            "extraction processes catch up, which bounds its memory (fetch_max_in_flight requests may still land)."),
    Setting("schedule_min_interval", int, 300, "Shortest poll interval of a busy source, seconds (5 min)."),
    Setting("schedule_max_interval", int, 86400, "Longest poll interval of a quiet source, seconds (1 day)."),
    Setting("schedule_failing_after", int, 10, "Consecutive errors after which a source is marked failing."),
    Setting("log_format", str, "text",
            "'text': readable log lines; 'json': one JSON object per line (time, level, logger, message, exception, "
            "extra fields) for a log collector. Applies to every command, the web server's own logs included."),
    Setting("retention_days", int, 0,
            "Articles fetched longer ago than this many days are archived (0: keep everything): their body, vectors "
            "and summary sentences are dropped; title, link, outlet, story, marks, comments and story summaries "
            "stay. Applied hourly by the scheduler, or at once by `newsdesk retention`."),
    Setting("data_dir", str, "data", "Where files the app keeps (vector indexes, caches) live."),
]
