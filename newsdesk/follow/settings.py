"""Settings of following stories and of alerts (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = [
    Setting("follow_delta_sentences", int, 6,
            "Most quoted sentences in a story's \"since you last read\": the new facts, one per new article first."),
    Setting("follow_repeat_share", float, 0.5,
            "A sentence with this share of its word trigrams in the earlier coverage repeats it (a lightly edited "
            "wire sentence has 0.6-1.0 there; an outlet's own wording of a new fact far less)."),
    Setting("follow_timeline_entries", int, 20,
            "Most dated developments on a story's timeline: the first report and the latest materially new facts."),
    Setting("follow_visit_gap_minutes", float, 30.0,
            "A visit to a followed story this long after the previous one starts a new \"since you last read\" "
            "window; a reload within it keeps the delta on screen."),
    Setting("alerts_per_hour", int, 4,
            "Most times one alert fires in an hour; later material news waits in the alert's feed of the next hour."),
    Setting("alerts_webhook_attempts", int, 5,
            "Tries of one webhook or mail delivery before it is given up (each failure waits twice as long)."),
    Setting("alerts_retry_seconds", float, 30.0,
            "Wait after the first failed delivery; it doubles with each further failure (30 s, 1 min, 2 min...)."),
    Setting("alerts_webhook_timeout", float, 10.0, "Seconds a webhook receiver has to answer one POST."),
    Setting("alerts_smtp_host", str, "", "Mail server for e-mail alerts (empty: e-mail alerts cannot be chosen)."),
    Setting("alerts_smtp_port", int, 587, "Port of the mail server (587 submission with STARTTLS, 25 plain)."),
    Setting("alerts_smtp_starttls", bool, True, "Upgrade the mail connection with STARTTLS before sending."),
    Setting("alerts_smtp_username", str, "", "Account on the mail server (empty: send without signing in)."),
    Setting("alerts_smtp_password", str, "", "Password of that account.", secret=True),
    Setting("alerts_mail_from", str, "newsdesk@localhost", "Sender address of e-mail alerts."),
]
