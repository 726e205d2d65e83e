"""Keymaps: binding ids to keys, from `keymaps/<name>.toml` and the trader's overrides.

Every rebindable binding has a stable dotted id (`book.group-more`, `ticket.submit`); a
keymap file maps ids to comma-separated keys, and the config's `[keys]` table overrides
single actions on top of it.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

SHIPPED = resources.files("console") / "keymaps"
"""The shipped keymaps, wherever the package is installed."""


def _folders(user: Path | None) -> list[Traversable]:
    return [SHIPPED] if user is None else [SHIPPED, user]


def available(user: Path | None = None) -> list[str]:
    """Keymap names: the shipped ones and the trader's own (`keymaps/` in the config dir)."""
    found = {
        f.name.removesuffix(".toml")
        for folder in _folders(user)
        if folder.is_dir()
        for f in folder.iterdir()
        if f.name.endswith(".toml")
    }
    return sorted(found)


def load_keymap(
    name: str, overrides: dict[str, str] | None = None, user: Path | None = None
) -> dict[str, str]:
    """The default keymap, then keymap `name` over it (the trader's file of that name wins
    over a shipped one), then the trader's single-key overrides."""
    keymap = _read(SHIPPED / "default.toml")
    if name != "default":
        candidates = [folder / f"{name}.toml" for folder in reversed(_folders(user))]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            raise ValueError(f"no keymap {name!r}; choose from {', '.join(available(user))}")
        keymap.update(_read(path))
    unknown = sorted(set(overrides or {}) - set(keymap))
    if unknown:
        raise ValueError(
            f"[keys] {', '.join(unknown)}: no such action; the actions are the ids in "
            "keymaps/default.toml, such as app.quit or ticket.type"
        )
    keymap.update(overrides or {})
    return keymap


def _read(path: Traversable) -> dict[str, str]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from None
    bad = [key for key, value in raw.items() if not isinstance(value, str)]
    if bad:
        raise ValueError(f"{path}: keys must be strings, not for {', '.join(bad)}")
    return raw
