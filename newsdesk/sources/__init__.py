"""The sources stage: feed parsing, discovery, OPML, URL canonicalisation and the poll schedule."""
