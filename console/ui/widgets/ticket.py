"""The order ticket: side, type, price, size in base or quote, live notional, fee and checks.

Validated as you type against the instrument's filters and the trader's limits
(`console.trading.risk`); up/down step the focused field by one tick or lot (page keys by
ten); B/A copy the best bid/ask into the price. Enter asks the app to submit; the app
confirms large orders and sends without blocking the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from console.model import Order, OrderType, Side, TimeInForce
from console.trading.risk import step, typing_problem
from console.trading.views import Draft, TicketView, in_other_unit, places
from console.ui.widgets.base import LivePanel, money
from console.venues.feeds import BookState

TICKET_TYPES: tuple[tuple[str, OrderType, TimeInForce], ...] = (
    ("LIMIT", OrderType.LIMIT, TimeInForce.GTC),
    ("POST-ONLY", OrderType.POST_ONLY, TimeInForce.GTC),
    ("IOC", OrderType.LIMIT, TimeInForce.IOC),
    ("FOK", OrderType.LIMIT, TimeInForce.FOK),
    ("MARKET", OrderType.MARKET, TimeInForce.GTC),
    ("STOP-LIMIT", OrderType.STOP_LIMIT, TimeInForce.GTC),
    ("STOP-MARKET", OrderType.STOP_MARKET, TimeInForce.GTC),
    ("TP-LIMIT", OrderType.TAKE_PROFIT_LIMIT, TimeInForce.GTC),
    ("TP-MARKET", OrderType.TAKE_PROFIT_MARKET, TimeInForce.GTC),
    ("OCO", OrderType.STOP_MARKET, TimeInForce.GTC),
)
"""Every kind of order the ticket makes; a venue's capabilities say which it offers (the
stops and take-profits where the venue has them, with a trigger field; OCO, a post-only
limit at the price and a stop at market at the trigger, one cancelling the other)."""
OCO = "OCO"


@dataclass(frozen=True)
class Kept:
    """A ticket as the trader left it: its side, kind, unit and fields as typed."""

    side: Side
    kind: int
    size_in_quote: bool
    price: str
    trigger: str
    size: str


def field_text(value: Decimal) -> str:
    """A figure as a trader types it: positional digits, never an exponent (a step of a
    1e-8 tick is `0.00000005`, not `5E-8`, which the field would refuse)."""
    return format(value, "f")


class NumberInput(Input):
    """A decimal field: every printable key edits it, and the text stays as typed. Text
    that is not a number the venue takes (a letter, a comma, an exponent, more decimals
    than the step) rings the bell and marks the field invalid with the reason; the ticket
    sends nothing until it is fixed, so a typo never becomes another number. Pasted text
    is treated the same way."""

    DEFAULT_CSS = """
    NumberInput.-invalid { color: $error; text-style: bold; }
    """

    def __init__(self, what: str, *, id: str, placeholder: str) -> None:
        super().__init__(id=id, placeholder=placeholder)
        self.cursor_blink = False  # a blink is a redraw sent down the line twice a second
        self.what = what
        self.increment = Decimal("0.00000001")
        self.maximum = Decimal(0)
        self._rules: tuple[str, Decimal, Decimal, str] | None = None
        self._reading: tuple[str | None, Decimal | None] = (None, None)

    @property
    def problem(self) -> str | None:
        """Why the text as it stands cannot be sent, or None."""
        return self._read()[0]

    def replace(self, text: str, start: int, end: int) -> None:
        was = self.problem
        super().replace(text, start, end)
        problem = self.problem
        if problem is not None and problem != was:
            self.app.bell()
        self.set_class(problem is not None, "-invalid")

    @property
    def decimal(self) -> Decimal | None:
        return self._read()[1]

    def _read(self) -> tuple[str | None, Decimal | None]:
        """The problem with the text and its number, read again only when the text or the
        rules changed: every frame asks for the ticket's fields."""
        rules = (self.value, self.increment, self.maximum, self.what)
        if rules != self._rules:
            problem = typing_problem(*rules)
            self._rules, self._reading = rules, (problem, None if problem else _number(rules[0]))
        return self._reading


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


SIZED_BY_TEXT = {"#unit"}
"""The ticket's lines whose width is their text's; the others are one line of fixed room."""


class OrderTicket(LivePanel):
    """Build an order with the keyboard.

    In the price and size fields every printable key is typing; `escape` leaves the field
    for the ticket itself, where single keys are commands.

    | key | action |
    | --- | --- |
    | escape | leave the field (again: back to the book) |
    | b / s | buy / sell side |
    | t | next order type: limit, post-only, IOC, FOK, market, and where the venue has
    them stop-loss and take-profit, limit or at market (with a trigger price), and OCO
    (a limit at the price, a stop at the trigger: one cancels the other) |
    | u | size in the base or the quote asset |
    | up / down | price (or size) one tick (or lot) up / down |
    | pageup / pagedown | ten ticks (or lots) |
    | B / A | copy the best bid / ask into the price |
    | enter | submit (confirmed first above your confirm threshold) |
    """

    BINDINGS = [
        Binding("escape", "leave_field", "Leave the field", show=False, id="ticket.leave"),
        Binding("enter", "submit", "Send the order", id="ticket.send"),
        Binding("t", "cycle_type", "Order type", id="ticket.type"),
        Binding("u", "toggle_unit", "Size unit", id="ticket.unit"),
        Binding("up", "step(1)", "Step up", show=False, id="ticket.step-up"),
        Binding("down", "step(-1)", "Step down", show=False, id="ticket.step-down"),
        Binding("pageup", "step(10)", "Step up ×10", show=False, id="ticket.page-up"),
        Binding("pagedown", "step(-10)", "Step down ×10", show=False, id="ticket.page-down"),
        Binding("B", "copy_best('bid')", "Price = best bid", id="ticket.best-bid"),
        Binding("A", "copy_best('ask')", "Price = best ask", id="ticket.best-ask"),
    ]
    COMPONENT_CLASSES = {"ticket--buy", "ticket--sell"}
    DEFAULT_CSS = """
    OrderTicket { border: round $panel; border-title-color: $secondary; height: auto;
        padding: 0 1; }
    OrderTicket:focus-within { border: round $primary; }
    OrderTicket:focus #ticket-head { text-style: bold reverse; }
    OrderTicket Horizontal { height: 1; }
    OrderTicket Label { width: 7; color: $secondary; }
    OrderTicket NumberInput { border: none; height: 1; width: 18; padding: 0 1; }
    OrderTicket NumberInput:focus { border: none; background: $boost; }
    OrderTicket #ticket-head { height: 1; text-style: bold; }
    OrderTicket #ticket-head.buy { color: $bid; }
    OrderTicket #ticket-head.sell { color: $ask; }
    OrderTicket #unit { width: auto; color: $secondary; padding: 0 1; }
    OrderTicket #trigger-row { display: none; }
    OrderTicket.triggered #trigger-row { display: block; }
    OrderTicket #summary { height: 1; }
    OrderTicket #problem { height: 1; color: $error; }
    OrderTicket #problem.ok { color: $success; }
    """

    side: reactive[Side] = reactive(Side.BUY)
    kind: reactive[int] = reactive(0)
    size_in_quote: reactive[bool] = reactive(False)

    class SubmitRequested(Message):
        """The trader pressed enter: the session reads the draft, checks it and sends it."""

        def __init__(self, draft: Draft) -> None:
            self.draft = draft
            super().__init__()

    can_focus = True

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Ticket"
        self._composed = False
        self._drawn: dict[str, str] = {}
        """Each line's text (and classes) as last written."""
        self._sent: tuple[Draft | None, str] | None = None
        """The draft last sent and what came of it, said until the ticket changes."""

    def on_mount(self) -> None:
        self._composed = True  # Mount arrives once the fields composed below exist

    def compose(self) -> ComposeResult:
        yield Static(id="ticket-head", classes="buy")
        with Horizontal():
            yield Label("price")
            yield NumberInput("price", id="price", placeholder="limit price")
        with Horizontal(id="trigger-row"):
            yield Label("trigger")
            yield NumberInput("trigger", id="trigger", placeholder="when last reaches")
        with Horizontal():
            yield Label("size")
            yield NumberInput("size", id="size", placeholder="quantity")
            yield Static(id="unit")
        yield Static(id="summary")
        yield Static(id="problem")

    @property
    def price_field(self) -> NumberInput:
        return self.query_one("#price", NumberInput)

    @property
    def size_field(self) -> NumberInput:
        return self.query_one("#size", NumberInput)

    @property
    def trigger_field(self) -> NumberInput:
        return self.query_one("#trigger", NumberInput)

    @property
    def order_kind(self) -> tuple[str, OrderType, TimeInForce]:
        kinds = self.offered_kinds()
        return kinds[self.kind % len(kinds)]

    @property
    def uses_price(self) -> bool:
        """The kind on the ticket takes a price (a limit order's, or an OCO's limit)."""
        name, order_type, _ = self.order_kind
        return order_type.priced or name == OCO

    def offered_kinds(self) -> tuple[tuple[str, OrderType, TimeInForce], ...]:
        """The order types this venue takes (its capabilities), in the ticket's order."""
        view: TicketView | None = self.view
        if view is None:
            return TICKET_TYPES
        return tuple(
            kind
            for kind in TICKET_TYPES
            if kind[1] in view.order_types and (kind[0] != OCO or view.oco)
        )

    def draft(self) -> Draft | None:
        """The fields as the trader left them, for the view the frame clock builds."""
        if not self._composed:
            return None
        name, order_type, time_in_force = self.order_kind
        return Draft(
            self.side,
            order_type,
            time_in_force,
            self.price_field.decimal,
            self.size_field.decimal,
            self.size_in_quote,
            self.trigger_field.decimal if order_type.triggered else None,
            name == OCO,
        )

    # -- drawing -----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        """A keystroke redraws the ticket's own lines at once (a field's problem is the
        ticket's, not the session's); the checks follow with the next view."""
        self.redraw()

    def redraw(self) -> None:
        view: TicketView | None = self.view
        if view is None or not self._composed:
            return
        inst = view.instrument
        name, order_type, _ = self.order_kind
        self._line("#ticket-head", f"{self.side.value}  {name}  {inst.symbol}")
        self._line_classes("#ticket-head", "buy" if self.side is Side.BUY else "sell")
        self.price_field.disabled = not self.uses_price
        self.set_class(order_type.triggered, "triggered")
        for priced in (self.price_field, self.trigger_field):
            priced.increment, priced.maximum = inst.tick_size, inst.max_price
        if self.size_in_quote:
            self.size_field.increment, self.size_field.maximum = inst.tick_size, Decimal(0)
        else:
            self.size_field.increment, self.size_field.maximum = inst.lot_size, inst.max_qty
        self._line("#unit", inst.quote if self.size_in_quote else inst.base)
        verdict = view.verdict
        if verdict.notional is not None:
            self._line(
                "#summary",
                f"= {money(verdict.notional, 2)} {inst.quote} · fee ≈ "
                f"{money(verdict.fee, view.quote_places)}",
            )
        else:
            self._line("#summary", "")
        ready = False
        if (typed := self.field_problem()) is not None:
            said = "✗ " + typed
        elif view.paused is not None:
            said = view.paused
        elif view.book is not BookState.LIVE:
            said = f"⚠ book {view.book.value}: prices may be out of date"
        elif verdict.ok:
            said, ready = "✓ ready: enter to submit", True
            if self._sent is not None and self._sent[0] == self.draft():
                said = f"✓ {self._sent[1]}"
        else:
            said = "✗ " + verdict.problems[0]
        self._line("#problem", said)
        self._line_classes("#problem", "ok" if ready else "")

    def sent(self, order: Order) -> None:
        """What came of enter, on the ticket's last line while the ticket stays as sent: a
        trader sending order after order sees each answer where the next one is typed,
        and the screen is not laid out again for a notice on every order."""
        view: TicketView | None = self.view
        inst = view.instrument if view is not None else None
        price_places, size_places = (
            (places(inst.tick_size), places(inst.lot_size)) if inst else (8, 8)
        )
        at = "" if order.price is None else f" @ {money(order.price, price_places)}"
        if order.filled_qty:  # what it was filled at, not the limit it was sent with
            at = f" @ {money(order.filled_quote / order.filled_qty, price_places)} avg"
        said = f"sent: {order.status.value} {money(order.qty, size_places)}{at}"
        self._sent = (self.draft(), said)
        self.redraw()

    def _line(self, selector: str, text: str) -> None:
        """Write a line of the ticket only when its text changed, and lay the screen out
        again only for the one line whose width follows its text (the unit): a new layout
        costs a frame's worth of the screen's time, which a busy book or a trader sending
        order after order would otherwise ask for many times a second."""
        if self._drawn.get(selector) != text:
            self._drawn[selector] = text
            self.query_one(selector, Static).update(text, layout=selector in SIZED_BY_TEXT)

    def _line_classes(self, selector: str, classes: str) -> None:
        key = selector + " classes"
        if self._drawn.get(key) != classes:
            self._drawn[key] = classes
            self.query_one(selector, Static).set_classes(classes)

    def _best(self, side: Side) -> Decimal | None:
        view: TicketView | None = self.view
        if view is None:
            return None
        return view.best_bid if side is Side.BUY else view.best_ask

    # -- filling in --------------------------------------------------------------------------

    def open(self, side: Side, price: Decimal | None = None) -> None:
        """Bring the ticket up on `side`, at `price` when given, with the price focused."""
        self.side = side
        if price is not None:
            self.price_field.value = field_text(price)
        target = (
            self.size_field
            if not self.uses_price or (price is not None and not self.size_field.value)
            else self.price_field
        )
        target.focus()

    def kept(self) -> Kept:
        """The ticket as the trader left it, to bring back (`restore`)."""
        return Kept(
            self.side,
            self.kind,
            self.size_in_quote,
            self.price_field.value,
            self.trigger_field.value,
            self.size_field.value,
        )

    def restore(self, kept: Kept | None) -> None:
        """The ticket as it was kept; empty when there is nothing kept."""
        if kept is None:
            self.side, self.kind, self.size_in_quote = Side.BUY, 0, False
            self.clear()
            return
        self.side, self.kind, self.size_in_quote = kept.side, kept.kind, kept.size_in_quote
        self.price_field.value = kept.price
        self.trigger_field.value = kept.trigger
        self.size_field.value = kept.size
        self._sent = None

    def clear(self) -> None:
        """Another symbol is on screen: the last one's price and size mean nothing for it."""
        self.price_field.value = ""
        self.trigger_field.value = ""
        self.size_field.value = ""
        self._sent = None

    def set_price(self, price: Decimal) -> None:
        self.price_field.value = field_text(price)

    def set_size(self, size: Decimal) -> None:
        self.size_in_quote = False
        self.size_field.value = format(size.normalize(), "f")

    def field_problem(self) -> str | None:
        """Why a field the order uses cannot be sent as typed, or None."""
        fields = [self.size_field]
        if self._composed and self.order_kind[1].triggered:
            fields.insert(0, self.trigger_field)
        if self._composed and self.uses_price:
            fields.insert(0, self.price_field)
        return next((f.problem for f in fields if f.problem is not None), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape on the ticket itself is not ours: it goes on to the app (back to the book)."""
        return not (action == "leave_field" and self.has_focus)

    def action_leave_field(self) -> None:
        """Escape in a field: to the ticket, where single keys are commands."""
        self.focus()

    def action_cycle_type(self) -> None:
        self.kind = (self.kind + 1) % len(self.offered_kinds())

    def action_toggle_unit(self) -> None:
        """Switch the size between base and quote, converted at the limit price (or the
        best price it would trade against): the number never stays as it was in the other
        unit. With no price to convert at, the size is cleared."""
        view: TicketView | None = self.view
        size, to_quote = self.size_field.decimal, not self.size_in_quote
        price = None
        if view is not None and self.uses_price:
            price = self.price_field.decimal
        price = price or self._best(self.side.opposite)
        self.size_in_quote = to_quote
        if size is None:
            return
        if view is None or not price:
            self.size_field.value = ""
            return
        self.size_field.value = field_text(in_other_unit(size, price, view.instrument, to_quote))

    def action_step(self, steps: int) -> None:
        view: TicketView | None = self.view
        if view is None:
            return
        inst = view.instrument
        focused = self.price_field
        if self.size_field.has_focus or self.trigger_field.has_focus:
            focused = self.size_field if self.size_field.has_focus else self.trigger_field
        increment = inst.lot_size if focused is self.size_field else inst.tick_size
        if focused is self.size_field and self.size_in_quote:
            increment = Decimal(1)
        current = focused.decimal
        if current is None:
            current = self._best(self.side) if focused is not self.size_field else increment
            if current is None:
                return
            steps = 0
        focused.value = field_text(step(current, increment, steps))

    def action_copy_best(self, side: str) -> None:
        best = self._best(Side.BUY if side == "bid" else Side.SELL)
        if best is not None:
            self.price_field.value = field_text(best)

    def action_submit(self) -> None:
        """Enter on the ticket itself (after Esc) sends as enter in a field does."""
        self.submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Ask the app to send the ticket, unless a field is not a number as typed."""
        self.redraw()
        typed = self.field_problem()
        draft = self.draft()
        if typed is not None or draft is None:
            self.app.bell()
            self.notify(f"not sent: {typed or 'the ticket is not ready'}", severity="error")
            return
        self.post_message(self.SubmitRequested(draft))
