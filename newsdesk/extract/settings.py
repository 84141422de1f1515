"""Settings of the extract stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = []
