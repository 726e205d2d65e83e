"""Themes: the shipped TOML files inside the package, the trader's in the config dir, and
Textual's own (dracula, nord, ...), which the palette offers too: one list everywhere.

A theme file names Textual's base colours and the console's own variables, used in TCSS
as `$bid`, `$ask`, `$up`, `$down` and `$stale` (a theme that does not set them gets the
console's). A file that cannot be read is skipped with a notice naming it, and the console
keeps its default theme. A theme picked in the palette is remembered
(`console.kept`) and opens the next run, unless `--theme` names another.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

SHIPPED = resources.files("console") / "themes"
"""The shipped themes, wherever the package is installed (a checkout, a wheel, a zip)."""
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


def load_theme(path: Traversable) -> Theme:
    """A theme from its file; every way a file can be wrong is a `ValueError` naming it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from None
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"{path}: variables must be a table of colours, not {variables!r}")
    missing = [
        name
        for name in ("name", "primary", *CONSOLE_VARIABLES)
        if name not in raw and name not in variables
    ]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}")
    unknown = set(raw) - {"name", "dark", "ansi", "variables", *BASE_FIELDS}
    if unknown:
        raise ValueError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    if not isinstance(raw["name"], str) or not raw["name"]:
        raise ValueError(f"{path}: name must be a non-empty string")
    for flag in ("dark", "ansi"):
        if not isinstance(raw.get(flag, False), bool):
            raise ValueError(f"{path}: {flag} must be true or false, not {raw[flag]!r}")
    base = {name: raw[name] for name in BASE_FIELDS if name in raw}
    ours = {name: variables[name] for name in CONSOLE_VARIABLES if name in variables}
    for name, value in [*base.items(), *ours.items()]:
        _check_colour(path, name, value)
    for name, value in variables.items():
        if not isinstance(value, str):
            raise ValueError(f"{path}: variable {name} must be a string, not {value!r}")
    return Theme(
        name=raw["name"],
        dark=raw.get("dark", True),
        ansi=raw.get("ansi", False),
        variables=dict(variables),
        **base,
    )


def _check_colour(path: Traversable, name: str, value: object) -> None:
    try:
        Color.parse(value)
    except (ColorParseError, TypeError, ValueError):
        raise ValueError(
            f"{path}: {name} = {value!r} is not a colour (use #rrggbb, rgb(...) or a name)"
        ) from None


def discover(folders: list[Traversable]) -> tuple[list[Theme], list[str]]:
    """Every readable theme in `folders` (later folders win), and a notice per bad file."""
    themes: dict[str, Theme] = {}
    problems = []
    for folder in folders:
        for path in toml_files(folder):
            try:
                theme = load_theme(path)
            except ValueError as error:
                problems.append(f"theme skipped: {error}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


def toml_files(folder: Traversable) -> list[Traversable]:
    """The `.toml` files of a folder, by name; none when the folder does not exist."""
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def names(folders: list[Traversable]) -> list[str]:
    """The names of every theme there is: the readable files' and Textual's own."""
    return sorted({theme.name for theme in discover(folders)[0]} | set(BUILTIN_THEMES))
