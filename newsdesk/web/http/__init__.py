"""HTTP plumbing shared by every room of the web app: responses and ETags, bounded parameters and uploads, the
origin check, security headers, error pages, trusted proxies, connection limits, sign-in limits, the micro-cache
and request metrics. Nothing here knows a page."""
