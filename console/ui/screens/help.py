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
        lines = [f"{'keys':<22}{'action':<30}id", ""]
        lines += [
            f"{keys:<22}{description:<30}{binding_id}"
            for keys, description, binding_id in self.rows
        ]
        lines += ["", "Esc backs out and never trades. Rebind any id in config.toml [keys]."]
        with VerticalScroll():
            yield Static("\n".join(lines))


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
