"""Settings of the web stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting
from newsdesk.web.http.base_url import BaseUrl

SETTINGS: list[Setting] = [
    Setting("web_base_url", BaseUrl, "",
            "The site's public address, e.g. https://news.example.org (a path after the host for a site under a "
            "prefix): feeds link their entries and themselves from it. Empty: those links are paths resolved "
            "against the feed's own address; never built from the request's Host header, which the client chooses."),
    Setting("web_default_locale", str, "en",
            "Interface language when the browser asks for none we have (en, fr, ar, he ship with newsdesk)."),
    Setting("web_editions", tuple, ("US", "GB", "FR", "DE", "ES", "IT", "NL", "LB", "IL", "EG", "IN", "BR"),
            "Region codes offered as editions beside World; the story page's blindspot view lists those silent."),
    Setting("web_topics", tuple,
            ("world", "politics", "business", "tech", "science", "health", "sport", "culture"),
            "Topics in the home page's tab bar and the search filter, from the vocabulary articles are tagged with "
            "(world, politics, business, tech, science, sport, health, culture, disaster, crime; 'sports', "
            "'technology' and 'entertainment' are read as sport, tech and culture)."),
    Setting("web_page_size", int, 20, "Story cards on the home page and hits per search page: one screenful or two."),
    Setting("web_home_candidates", int, 400,
            "Most recently active stories the home page ranks: bounds its cost whatever the number stored."),
    Setting("web_rank_half_life_hours", float, 12.0,
            "Top stories rank by coverage (outlets, articles, trend) times freshness: a story's weight halves every "
            "this many hours since its newest article, so yesterday's big story yields to this hour's."),
    Setting("web_story_articles", int, 500, "Most articles listed on one story page (the biggest stories exceed it)."),
    Setting("web_related_limit", int, 6, "Related articles under an article, as on the product's article page."),
    Setting("web_page_cache_seconds", float, 10.0,
            "Seconds a rendered page or API answer is served again to every reader (micro-cache); 0 turns it off. "
            "News changes by the minute, and under load this keeps the median page far under 50 ms."),
    Setting("web_read_model_seconds", float, 60.0,
            "Most seconds the home page's trending strip, top stories and language list are reused while the store "
            "is unchanged (they are computed again at once when an article is stored or a story grows); 0: "
            "computed on every request."),
    Setting("web_workers", int, 0,
            "Processes serving the web app (newsdesk serve --workers N); 0: one per CPU core. Each keeps its own "
            "micro-cache, connection caps and sign-in failure counters."),
    Setting("web_static_max_age", int, 86400,
            "Cache lifetime of static files, seconds; their URLs carry a content hash so a change is seen at once."),
    Setting("web_metrics", bool, True, "Serve Prometheus metrics at /metrics (store health and web requests)."),
    Setting("web_metrics_token", str, "",
            "The bearer token Prometheus sends for /metrics ('Authorization: Bearer <token>'); /metrics is private: "
            "without the token only a signed-in admin may read it."),
    Setting("web_metrics_cache_seconds", float, 15.0,
            "Seconds the store's figures in /metrics are reused: counting a big store on every scrape costs."),
    Setting("reading_window_days", int, 14,
            "Days of articles in reader apps' unread lists (Fever API); older news counts as read, which keeps the "
            "lists short on a store of millions of articles."),
    Setting("web_signup", bool, False,
            "Let visitors create their own accounts (a community site); off, accounts come from "
            "'newsdesk users add' (a newsroom, a family)."),
    Setting("web_session_days", int, 30, "Days a browser stays signed in."),
    Setting("web_comments_per_hour", int, 30, "Comments one account may post per hour (slows down spam and floods)."),
    Setting("web_login_failures", int, 10,
            "Failed sign-ins allowed for one account from one address within web_login_window_seconds, counted "
            "across every door (web form, password change, Google Reader and Fever APIs); then that pair waits. "
            "Also the number of accounts one address may create by sign-up in the window."),
    Setting("web_login_failures_per_address", int, 50,
            "Failed sign-ins allowed from one address whatever the accounts (one password sprayed over many names)."),
    Setting("web_login_failures_per_account", int, 50,
            "Failed sign-ins allowed for one account whatever the addresses (many machines guessing one password)."),
    Setting("web_login_window_seconds", int, 900, "The window of web_login_failures, seconds."),
    Setting("web_secret_key", str, "",
            "Key that signs reader-app tokens; empty: a random one kept in <data_dir>/secret_key. Give every web "
            "process of a scaled-out install the same value."),
    Setting("web_trusted_proxies", tuple, (),
            "Addresses or CIDR networks of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed "
            "(e.g. 127.0.0.1/32 for nginx on the same machine). Empty: trust none, the client is the TCP peer."),
    Setting("web_hsts_seconds", int, 31536000,
            "max-age of Strict-Transport-Security, sent only on requests that arrived over TLS (directly or from a "
            "trusted proxy saying https); 0 sends none."),
    Setting("web_body_timeout_seconds", float, 30.0,
            "Seconds a request may take to deliver its whole body once its headers are in; a slower one is closed "
            "(a body trickled a byte at a time would otherwise hold a connection for as long as it likes)."),
    Setting("web_header_timeout_seconds", float, 10.0,
            "Seconds a connection has to send complete request headers; slower ones are closed (slowloris)."),
    Setting("web_keep_alive_seconds", int, 5, "Seconds an idle keep-alive connection is kept open between requests."),
    Setting("web_max_connections", int, 1000,
            "Open connections served at once; beyond it a new one gets 503 and is closed. Capped further below the "
            "process's open-file limit (raised to its hard limit at start) so accept() never runs out of files."),
    Setting("web_max_connections_per_client", int, 100,
            "Open connections one client address may hold (trusted proxies exempt): one client cannot fill "
            "web_max_connections alone."),
]
