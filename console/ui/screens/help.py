"""Help generated from the live keymap: every binding with its current keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static


class Help(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    Help { align: center middle; }
    Help > VerticalScroll { width: 80; height: 80%; border: round $primary; padding: 0 1;
        background: $surface; }
    """

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows
        """(keys, description, binding id), in the keymap as it is now."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(help_lines(self.rows)))


FIXED = (
    ("enter", "in a ticket field: send the order (the same as on the ticket)"),
    ("tab, shift+tab", "the next, the previous field or panel"),
    ("ctrl+p", "the palette, as / does"),
    ("q q", "quit at once, without waiting for the venue to answer the close"),
    ("esc", "back out of a field, a panel or a dialog; it never trades"),
)
"""Keys that are always what they are, whatever the keymap says."""


def help_lines(rows: list[tuple[str, str, str]]) -> list[str]:
    """The keymap's rows as columns sized to what they hold (an action never runs into its
    id), then the keys no keymap changes."""
    keys_width = max([len("keys"), *(len(keys) for keys, _, _ in rows)]) + 2
    id_width = max([len("id"), *(len(binding_id) for _, _, binding_id in rows)]) + 2
    lines = [f"{'keys':<{keys_width}}{'id':<{id_width}}action", ""]
    lines += [
        f"{keys:<{keys_width}}{binding_id:<{id_width}}{description}"
        for keys, description, binding_id in rows
    ]
    lines += ["", "Always:", ""]
    lines += [f"{keys:<{keys_width}}{'':<{id_width}}{what}" for keys, what in FIXED]
    lines += ["", "Rebind any id in config.toml [keys]."]
    return lines


def typed(keys: str) -> str:
    """Keys as a person types them (`?`, `/`, `]`, `ctrl+p`), not Textual's key names."""
    return " ".join(format_key(key.strip()) for key in keys.split(","))


def keymap_rows(bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """One row per rebindable binding: its keys, what it does, its id."""
    rows = {}
    for binding in bindings:
        if binding.id and binding.id not in rows:
            rows[binding.id] = (typed(binding.key), binding.description, binding.id)
    return sorted(rows.values(), key=lambda row: row[2])
