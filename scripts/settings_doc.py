#!/usr/bin/env python3
"""Write docs/configuration.md and newsdesk/settings_fields.py from the settings declarations (run after adding or
changing a setting)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsdesk.config import declared_settings, render_settings_fields, render_settings_markdown  # noqa: E402


def main() -> int:
    for out, render in ((ROOT / "docs" / "configuration.md", render_settings_markdown),
                        (ROOT / "newsdesk" / "settings_fields.py", render_settings_fields)):
        out.write_text(render(declared_settings()), encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
