"""Price alerts waiting: symbol, what was asked, the level, the last price and how far it
has still to go, nearest first. j/k move, `a` sets one, x removes the selected one."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from console.trading.account import AlertRow, AlertsView
from console.trading.alerts import Alert
from console.ui.widgets.base import NARROW, money
from console.ui.widgets.rows import PickListPanel

HEADER = f"  {'symbol':<12}{'when':<26}{'level':>14}{'last':>14}{'to go':>9}"
NARROW_HEADER = f"  {'symbol':<11}{'level':>14}{'to go':>9}"
EMPTY = "no alert set: a sets one here, or a on a level of the book"
NARROW_EMPTY = "no alert set: a sets one"


class Line(NamedTuple):
    text: str
    cursor: bool = False
    header: bool = False


class AlertsPanel(PickListPanel[Line], can_focus=True):
    """| key | action |
    | --- | --- |
    | j / down, k / up | move |
    | a | set an alert on the symbol on screen |
    | x / delete | remove the selected alert |
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Next alert", show=False, id="alerts.down"),
        Binding("up,k", "move(-1)", "Previous alert", show=False, id="alerts.up"),
        Binding("a", "add", "Set a price alert", id="alerts.add"),
        Binding("x,delete", "remove", "Remove the alert", id="alerts.remove"),
    ]
    COMPONENT_CLASSES = {"alerts--header", "alerts--cursor"}
    DEFAULT_CSS = """
    AlertsPanel { border: round $panel; border-title-color: $secondary; }
    AlertsPanel:focus { border: round $primary; }
    AlertsPanel > .alerts--header { color: $secondary; }
    AlertsPanel > .alerts--cursor { text-style: reverse; }
    """

    class Wanted(Message):
        """The trader asked to set an alert (`alert` None) or to remove `alert`."""

        def __init__(self, alert: Alert | None) -> None:
            self.alert = alert
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Alerts"

    def items(self) -> tuple[AlertRow, ...]:
        view: AlertsView | None = self.view
        return () if view is None else view.rows

    def _paint(self) -> None:
        rows = self.items()
        narrow = self.content_size.width < NARROW
        lines = [Line(NARROW_HEADER if narrow else HEADER, header=True)]
        for index, row in enumerate(rows):
            alert = row.alert
            away = "—" if row.away is None else f"{row.away:.2f}%"
            level = money(alert.price, row.price_places)
            if narrow:
                way = "▲" if alert.above else "▼"
                text = f"  {alert.symbol:<11}{f'{way} {level}':>14}{away:>9}"
            else:
                text = (
                    f"  {alert.symbol:<12}{alert.said[:25]:<26}{level:>14}"
                    f"{money(row.last, row.price_places):>14}{away:>9}"
                )
            lines.append(Line(text, self.has_focus and index == self.cursor))
        if not rows:
            lines.append(Line(f"  {NARROW_EMPTY if narrow else EMPTY}"))
        self.paint(lines, f"Alerts ({len(rows)})")

    def text(self) -> str:
        return "\n".join(line.text for line in self.rows)

    def draw_row(self, row: Line, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        look = Style()
        if row.header:
            look = style("alerts--header")
        elif row.cursor:
            look = style("alerts--cursor")
        return Strip([Segment(row.text, base + look)]).crop(0, width)

    def action_add(self) -> None:
        self.post_message(self.Wanted(None))

    def action_remove(self) -> None:
        row: AlertRow | None = self.picked()
        if row is not None:
            self.post_message(self.Wanted(row.alert))
