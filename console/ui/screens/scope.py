"""Which venues an action reaches when the console runs several: the venue shown, or every
venue. Asked before the panic key and the dead-man's switch, whose reach must be plain."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from console.ui.screens.confirm import dialog_css

THE_SHOWN, EVERY = "shown", "every"


class PickScope(ModalScreen[str | None]):
    BINDINGS = [
        Binding("a", f"dismiss('{THE_SHOWN}')", "The venue shown", id="scope.shown"),
        Binding("e", f"dismiss('{EVERY}')", "Every venue", id="scope.every"),
        Binding("escape,n", "dismiss(None)", "Back", id="scope.back"),
    ]
    DEFAULT_CSS = dialog_css("PickScope", border="$error")

    def __init__(self, action: str, shown: str, venues: list[str]) -> None:
        super().__init__()
        self.action, self.shown, self.venues = action, shown, venues

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.action}: on which venues?", id="question")
            yield Static(f"a: {self.shown} only (the venue shown)")
            yield Static(f"e: every venue ({', '.join(self.venues)})")
            yield Static("a / e: pick     esc: back", id="keys")
