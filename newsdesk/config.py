"""Settings declared once as data.

Each stage declares its own settings in ``<stage>/settings.py`` as a list of :class:`Setting`. This module
gathers them, reads values from (lowest to highest priority) the defaults, an optional TOML file, and
``NEWSDESK_*`` environment variables, and hands out one immutable :class:`Settings` object that callers pass
down. Nothing reads the environment anywhere else. ``newsdesk config`` prints the result and ``docs`` and a
test are driven by the same declarations.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the type of each setting, generated from the declarations (newsdesk/settings_fields.py)
    from newsdesk.settings_fields import SettingsFields as _TypedFields
else:
    _TypedFields = object

STAGE_MODULES = (
    "newsdesk.core_settings",
    "newsdesk.fetch.settings",
    "newsdesk.sources.settings",
    "newsdesk.extract.settings",
    "newsdesk.understand.settings",
    "newsdesk.ai.settings",
    "newsdesk.web.settings",
    "newsdesk.follow.settings",
)


class SettingsError(ValueError):
    """A setting has a value that cannot be parsed or is unknown."""


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name, type, default and a one-line help text (why it has that default)."""

    name: str
    type: type
    default: Any
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return "NEWSDESK_" + self.name.upper()

    def parse(self, raw: Any) -> Any:
        """Turn a raw value (env string or TOML value) into this setting's type."""
        try:
            return _PARSERS.get(self.type, self.type)(raw)
        except (TypeError, ValueError) as exc:
            kind = self.type.__name__
            raise SettingsError(f"setting {self.name} ({self.env}): cannot read {raw!r} as {kind} ({exc})") from exc


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)


def _parse_list(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        return tuple(str(x).strip() for x in raw if str(x).strip())
    return tuple(x.strip() for x in str(raw).split(",") if x.strip())


_PARSERS: dict[type, Callable[[Any], Any]] = {bool: _parse_bool, tuple: _parse_list}


def declared_settings() -> list[Setting]:
    """Every setting of every stage, in declaration order; names are unique."""
    out: list[Setting] = []
    seen: set[str] = set()
    for module_name in STAGE_MODULES:
        for setting in importlib.import_module(module_name).SETTINGS:
            if setting.name in seen:
                raise SettingsError(f"setting {setting.name} is declared twice")
            seen.add(setting.name)
            out.append(setting)
    return out


@dataclass(frozen=True)
class Settings(_TypedFields):
    """The effective settings: attribute access by setting name (``settings.database_url``), each typed as declared
    (for the type checker, through the generated :mod:`newsdesk.settings_fields`)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)

    if not TYPE_CHECKING:  # the checker knows the names from SettingsFields: a misspelt one is an error there

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") or name in {"values", "sources"}:  # not yet set while unpickling
                raise AttributeError(name)
            try:
                return self.values[name]
            except KeyError:
                raise AttributeError(f"no setting named {name!r}") from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (used by the CLI's --db and by tests)."""
        unknown = set(changes) - set(self.values)
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        return Settings({**self.values, **changes}, {**self.sources, **dict.fromkeys(changes, "override")})

    def describe(self) -> Iterable[tuple[str, str, str]]:
        """(name, shown value, where it came from) for each setting; secrets are masked."""
        by_name = {s.name: s for s in declared_settings()}
        for name, value in self.values.items():
            shown = "***" if by_name[name].secret and value else _show(value)
            yield name, shown, self.sources.get(name, "default")


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def load_settings(env: Mapping[str, str] | None = None, config_file: str | Path | None = None) -> Settings:
    """Read the settings: defaults, then the TOML file (``NEWSDESK_CONFIG`` or ``./newsdesk.toml``), then env."""
    env = os.environ if env is None else env
    declared = declared_settings()
    values = {s.name: s.default for s in declared}
    sources: dict[str, str] = {}
    path = Path(config_file or env.get("NEWSDESK_CONFIG") or "newsdesk.toml")
    if path.is_file():
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        known = {s.name: s for s in declared}
        for key, raw in _flatten(table).items():
            if key not in known:
                raise SettingsError(f"{path}: unknown setting {key!r}")
            values[key] = known[key].parse(raw)
            sources[key] = str(path)
    for setting in declared:
        if setting.env in env:
            values[setting.name] = setting.parse(env[setting.env])
            sources[setting.name] = "env " + setting.env
    return Settings(values, sources)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """TOML sections become name prefixes: ``[fetch] timeout = 3`` is the setting ``fetch_timeout``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}_{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flatten(value, name))
        else:
            out[name] = value
    return out


def render_settings_markdown(declared: Iterable[Setting]) -> str:
    """docs/configuration.md: one row per setting, from the declarations (``scripts/settings_doc.py`` writes it)."""
    lines = ["# Configuration", "",
             "Generated from the settings declarations by `python scripts/settings_doc.py`; a test fails when a",
             "setting is missing here. Set each by environment variable or in `newsdesk.toml` (see README).", "",
             "| setting | environment variable | type | default | why |", "|---|---|---|---|---|"]
    for s in declared:
        default = "***" if s.secret and s.default else _show(s.default)
        help_text = s.help.replace("|", "\\|")
        lines.append(f"| `{s.name}` | `{s.env}` | {s.type.__name__} | `{default}` | {help_text} |")
    return "\n".join(lines) + "\n"


def render_settings_fields(declared: Iterable[Setting]) -> str:
    """newsdesk/settings_fields.py: each setting's name with its type, so ``settings.name`` is type-checked."""
    lines = ['"""The type of every setting, for the type checker (generated by ``python scripts/settings_doc.py`` from',
             'the declarations; a test fails when it is stale). At run time :class:`newsdesk.config.Settings` reads',
             'values by name; this class only tells mypy what each name holds."""', "", "",
             "class SettingsFields:", '    """Every declared setting and its type."""', ""]
    for s in declared:
        lines.append(f"    {s.name}: {_type_name(s.type)}")
    return "\n".join(lines) + "\n"


def _type_name(kind: type) -> str:
    if kind is tuple:
        return "tuple[str, ...]"
    for plain in (bool, int, float, str):
        if issubclass(kind, plain):
            return plain.__name__
    raise SettingsError(f"no type name for settings of type {kind.__name__}")

