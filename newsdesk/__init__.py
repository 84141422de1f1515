"""newsdesk: a self-hosted news aggregator that ingests, extracts, clusters and summarises the news."""

__version__ = "0.1.0"
