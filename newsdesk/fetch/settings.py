"""Settings of the fetch stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = []
