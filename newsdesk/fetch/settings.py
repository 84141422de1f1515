"""Settings of the fetch stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("fetch_allow_networks", tuple, (),
            "Comma-separated CIDRs the SSRF guard lets through although they are private/loopback (e.g. "
            "127.0.0.0/8 for tests and the demo). Empty: only public addresses are fetched."),
    Setting("fetch_user_agent", str, "",
            "User-Agent header; empty means the honest default 'newsdesk/<version> (+project url)'."),
    Setting("fetch_connect_timeout", float, 10.0, "Seconds to open a TCP/TLS connection before giving up."),
    Setting("fetch_read_timeout", float, 20.0, "Seconds to wait for the next bytes of a response."),
    Setting("fetch_total_timeout", float, 60.0,
            "Seconds one fetch may take in all, redirects included: stops slow-drip servers that never trip the "
            "read timeout."),
    Setting("fetch_max_bytes", int, 10 * 1024 * 1024,
            "Largest (decompressed) response body kept, bytes; larger bodies abort early (real feeds and "
            "article pages are well under 10 MB)."),
    Setting("fetch_max_redirects", int, 5, "Redirect hops followed before giving up (loops end here)."),
    Setting("fetch_per_host_concurrency", int, 2, "Requests in flight to one host at a time (politeness)."),
    Setting("fetch_per_host_delay", float, 0.5,
            "Seconds between the starts of two requests to one host (politeness; 0 disables)."),
    Setting("fetch_max_in_flight", int, 16,
            "Requests in flight at once in one process, over all hosts (a request waiting for its host's turn "
            "does not hold one of them)."),
    Setting("fetch_keep_alive_hosts", int, 64,
            "Hosts whose idle connections are kept open for the next request (least recently used ones beyond "
            "this are closed; each host keeps at most fetch_per_host_concurrency connections)."),
    Setting("fetch_respect_robots", bool, True, "Honour robots.txt for article pages (feeds are always fetched)."),
    Setting("fetch_robots_max_bytes", int, 512 * 1024,
            "Largest robots.txt read, bytes (Google reads 500 KiB; the rest is ignored)."),
]
