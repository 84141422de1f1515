"""Settings of sources at scale: WebSub push subscriptions and the per-host polling budget (declared as data; see
newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("websub_callback_url", str, "",
            "Public base URL of this install as hubs reach it (e.g. https://news.example.org). Set, newsdesk "
            "subscribes to the WebSub hubs feeds advertise and takes their pushes at <url>/websub/<token>; empty: "
            "no push, polling only (a hub cannot reach an address on a private network)."),
    Setting("websub_lease_seconds", int, 10 * 86400,
            "Lease asked of a hub, seconds (10 days); the hub may grant another."),
    Setting("websub_renew_before", int, 86400,
            "Seconds before a lease ends at which it is renewed (at half the lease when that is shorter)."),
    Setting("websub_retry_seconds", int, 3600,
            "Seconds after which a subscribe or unsubscribe request the hub never verified is sent again."),
    Setting("websub_max_body", int, 2 * 1024 * 1024,
            "Largest push body taken, bytes (a feed with its latest entries is far smaller); larger ones get 413."),
    Setting("websub_poll_interval", int, 6 * 3600,
            "Poll interval of a source whose hub pushed within this many seconds: polling stays as the fallback, "
            "slowed while pushes arrive."),
    Setting("schedule_host_per_minute", int, 12,
            "Feed checks one host gets per minute at most (a scheduler pass hands a host no more; the rest wait "
            "their turn): 300 feeds on one host never arrive as a burst."),
    Setting("schedule_jitter", float, 0.1,
            "Fraction of a poll interval added or taken at random, so sources added together drift apart."),
]
