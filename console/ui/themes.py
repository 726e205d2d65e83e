"""Themes as TOML files: the shipped ones in `themes/`, the trader's in the config dir.

A theme file names Textual's base colours and the console's own variables, used in TCSS
as `$bid`, `$ask`, `$up`, `$down` and `$stale`. A file that cannot be read is skipped with a
notice naming it, and the console keeps its default theme.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

SHIPPED = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_VARIABLES = {
    "bid": "#3fbf6f",
    "ask": "#e05d5d",
    "up": "#3fbf6f",
    "down": "#e05d5d",
    "stale": "#e0a84f",
}
CONSOLE_VARIABLES = tuple(DEFAULT_VARIABLES)
BASE_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "warning",
    "error",
    "success",
    "boost",
)


def load_theme(path: Path) -> Theme:
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from None
    missing = [
        name
        for name in ("name", "primary", *CONSOLE_VARIABLES)
        if name not in raw and name not in raw.get("variables", {})
    ]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}")
    unknown = set(raw) - {"name", "dark", "ansi", "variables", *BASE_FIELDS}
    if unknown:
        raise ValueError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    base = {name: raw[name] for name in BASE_FIELDS if name in raw}
    return Theme(
        name=raw["name"],
        dark=bool(raw.get("dark", True)),
        ansi=bool(raw.get("ansi", False)),
        variables=dict(raw["variables"]),
        **base,
    )


def discover(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    """Every readable theme in `folders` (later folders win), and a notice per bad file."""
    themes: dict[str, Theme] = {}
    problems = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                theme = load_theme(path)
            except ValueError as error:
                problems.append(f"theme skipped: {error}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems
