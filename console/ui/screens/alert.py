"""Setting a price alert: the trader's words (`65000`, `below 64000`, `+2%`), read by the
trading core, which says what is wrong with them or sets the alerts they ask for."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from console.trading.alerts import Alert
from console.ui.screens.confirm import dialog_css

HOW = "65000 · above 65000 · below 64000 · +2% · -1.5% · 3% (either way)"


class SetAlert(ModalScreen[list[Alert] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="alert.back")]
    DEFAULT_CSS = dialog_css("SetAlert", "$accent", 72)

    def __init__(
        self, symbol: str, last: str, start: str, setter: Callable[[str], list[Alert]]
    ) -> None:
        """`setter` sets the alerts the words ask for, or raises ValueError saying why."""
        super().__init__()
        self.symbol, self.last, self.start, self.setter = symbol, last, start, setter

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Price alert on {self.symbol} (last {self.last})", id="question")
            yield Static(HOW)
            yield Input(value=self.start, id="words")
            yield Static("", id="problem")
            yield Static("enter: set     esc: back", id="keys")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            made = self.setter(event.value)
        except ValueError as error:
            self.query_one("#problem", Static).update(str(error))
            return
        self.dismiss(made)
