"""Keymaps: binding ids to keys, from `keymaps/<name>.toml` and the trader's overrides.

Every rebindable binding has a stable dotted id (`book.group-more`, `ticket.submit`); a
keymap file maps ids to comma-separated keys, and the config's `[keys]` table overrides
single actions on top of it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "keymaps"


def available() -> list[str]:
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def load_keymap(name: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The default keymap, then keymap `name` over it, then the trader's overrides."""
    keymap = _read(SHIPPED / "default.toml")
    if name != "default":
        path = SHIPPED / f"{name}.toml"
        if not path.exists():
            raise ValueError(f"no keymap {name!r}; choose from {', '.join(available())}")
        keymap.update(_read(path))
    keymap.update(overrides or {})
    return keymap


def _read(path: Path) -> dict[str, str]:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from None
    bad = [key for key, value in raw.items() if not isinstance(value, str)]
    if bad:
        raise ValueError(f"{path}: keys must be strings, not for {', '.join(bad)}")
    return raw
