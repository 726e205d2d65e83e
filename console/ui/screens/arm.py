"""Arming the dead-man's switch: the trader says how many seconds of silence it waits."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from console.config import MIN_DEADMAN_SECONDS
from console.ui.screens.confirm import dialog_css

MOST_SECONDS = 3600.0


class ArmSwitch(ModalScreen[float | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="arm.back")]
    DEFAULT_CSS = dialog_css("ArmSwitch")

    def __init__(self, side: str, default: float) -> None:
        super().__init__()
        self.side, self.default = side, default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Arm the dead-man's switch ({self.side})", id="question")
            yield Static("Seconds of venue silence before every order is cancelled:")
            yield Input(value=f"{self.default:g}", id="seconds")
            yield Static("", id="problem")
            yield Static("enter: arm     esc: back")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            seconds = float(event.value)
        except ValueError:
            seconds = -1.0
        if not MIN_DEADMAN_SECONDS <= seconds <= MOST_SECONDS:
            self.query_one("#problem", Static).update(
                f"seconds from {MIN_DEADMAN_SECONDS:g} to {MOST_SECONDS:g}"
            )
            return
        self.dismiss(seconds)
