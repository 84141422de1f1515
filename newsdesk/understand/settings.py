"""Settings of the understand stage (declared as data; see newsdesk.config)."""

from newsdesk.config import Setting

SETTINGS: list[Setting] = []
