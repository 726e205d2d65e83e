"""The trading screen: book, tape, candles, ticket, open orders, balances, status.

All six panels show at 120x40; below 120 columns or 34 rows the right-hand panels take
turns (`p` cycles them) beside the book and the ticket, so nothing overlaps at 80x24.
Keys come from the keymap (`keymaps/*.toml` plus the config's `[keys]`), colours from the
theme. Every network call runs in a worker: a key handler never waits for the venue.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from decimal import Decimal
from functools import partial
from importlib.resources.abc import Traversable
from typing import Any, TypeVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from console.errors import AuthError, InvalidOrder, VenueError
from console.kept import Kept
from console.model import Order, OrderStatus, Side
from console.net.backoff import Backoff
from console.net.replay import SKIP_NS, STEP_NS
from console.trading import account, views
from console.trading.alerts import Alert
from console.trading.core import Core, InlineCore
from console.trading.deadman import DeadMansSwitch, SwitchState
from console.trading.ready import move_readiness, readiness, send_if_ready
from console.trading.session import Ticket, TradingSession
from console.ui import themes
from console.ui.desks import Desk, Running
from console.ui.express import Expressed, ExpressLane, carrying
from console.ui.feed import FrameClock
from console.ui.notices import Notices
from console.ui.output import ConsoleDriver, TerminalGone
from console.ui.screens.alert import SetAlert
from console.ui.screens.arm import ArmSwitch
from console.ui.screens.confirm import ask
from console.ui.screens.help import Help, keymap_rows, typed
from console.ui.screens.move import MoveOrder
from console.ui.screens.outcomes import PanicOutcomes, VenueOutcomes
from console.ui.screens.reconcile import Reconcile
from console.ui.screens.scope import THE_SHOWN, PickScope
from console.ui.screens.symbols import ActionProvider, SymbolProvider
from console.ui.screens.venues import CompareScreen, MergedLadder, Picked, VenueDetails
from console.ui.widgets.alerts import AlertsPanel
from console.ui.widgets.balances import Balances
from console.ui.widgets.base import LivePanel, places
from console.ui.widgets.candles import SHOWN, CandleSparklines
from console.ui.widgets.fills import FillsPanel
from console.ui.widgets.kept import KeptContainer, KeptLines
from console.ui.widgets.orderbook import OrderBookLadder
from console.ui.widgets.orders import OpenOrders
from console.ui.widgets.positions import PositionsPanel
from console.ui.widgets.status import Banner, StatusBar
from console.ui.widgets.ticket import OrderTicket
from console.ui.widgets.trades import TradeTape
from console.ui.widgets.watchlist import WatchlistPanel

log = logging.getLogger(__name__)
W = TypeVar("W", bound=Widget)

PANELS_WITH_KEYS = (
    OrderBookLadder,
    OrderTicket,
    OpenOrders,
    FillsPanel,
    WatchlistPanel,
    AlertsPanel,
)
"""The panels whose keys the keymap sets, beside the app's own."""

WIDE_COLUMNS, WIDE_ROWS = 120, 34
QUIT_WAIT = 5.0
"""The longest quitting waits on the venue."""
TERMINAL_GONE_AFTER = 3.0
"""Seconds the screen may take to restore the terminal once the session is closed. A
terminal that is gone (the SSH link dropped, the pty closed) can never be restored, and
Textual would wait on it forever: the process then leaves without it."""
SIDE_PANELS = (
    "trades",
    "candles",
    "orders",
    "balances",
    "fills",
    "positions",
    "watchlist",
    "alerts",
)
"""The panels beside the book and the ticket that take turns on a small terminal (`p`)."""
ACCOUNT_PANELS = ("orders", "fills", "positions", "watchlist", "alerts")
"""The panels that take turns under the book on a large one (`o`, `f`, `P`, `w`, `n`)."""
DEFAULT_SWITCH_SECONDS = 15.0
"""What the arming question offers when the config turned the switch off."""
TAPE_EVERY = 0.2
"""Seconds between two draws of the tape at most: a firehose of prints scrolls it five
times a second, not twenty (each scroll resends every row to the terminal)."""
CANDLES_EVERY = 0.5
"""Seconds between two draws of the candles at most: the open bar moves with every print."""
FIGURES_EVERY = 0.25
"""Seconds between two draws at most of the banner's last price and the balances' worth at
the mid, which move with every print and every change at the touch."""


SEEKS_BACK = {"back": STEP_NS, "rewind": SKIP_NS}
"""How far back each replay key seeks: a second, a minute."""


class TradingApp(App[None]):
    """The console. `start`/`stop` bring the session (and any simulator) up and down."""

    TITLE = "trading-console"
    COMMANDS = App.COMMANDS | {SymbolProvider, ActionProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("slash", "command_palette", "Symbols & actions", id="app.palette"),
        Binding("b", "ticket('BUY')", "Buy", id="app.buy"),
        Binding("s", "ticket('SELL')", "Sell", id="app.sell"),
        Binding("1", "preset(0)", "Size preset 1", show=False, id="app.preset-1"),
        Binding("2", "preset(1)", "Size preset 2", show=False, id="app.preset-2"),
        Binding("3", "preset(2)", "Size preset 3", show=False, id="app.preset-3"),
        Binding("4", "preset(3)", "Size preset 4", show=False, id="app.preset-4"),
        Binding("p", "next_panel", "Next panel", show=False, id="app.next-panel"),
        Binding("o", "focus_panel('orders')", "Open orders", show=False, id="app.orders"),
        Binding("f", "focus_panel('fills')", "Fills", show=False, id="app.fills"),
        Binding(
            "P", "focus_panel('positions')", "Positions and PnL", show=False, id="app.positions"
        ),
        Binding("w", "focus_panel('watchlist')", "Watchlist", show=False, id="app.watchlist"),
        Binding("n", "focus_panel('alerts')", "Price alerts", show=False, id="app.alerts"),
        Binding("left_square_bracket", "candles(-1)", "Shorter candles", id="candles.shorter"),
        Binding("right_square_bracket", "candles(1)", "Longer candles", id="candles.longer"),
        Binding("escape", "to_book", "Back to the book", show=False, id="app.back"),
        Binding("r", "reconcile", "Reconcile with the venue", show=False, id="app.reconcile"),
        Binding(
            "exclamation_mark",
            "panic",
            "PANIC: cancel every open order on the venue",
            show=False,
            id="app.panic",
        ),
        Binding("d", "switch", "Arm / disarm the dead-man's switch", show=False, id="app.switch"),
        Binding("v", "next_venue", "Next venue", show=False, id="app.venue"),
        Binding("V", "venue_details", "Every venue's health", show=False, id="app.venues"),
        Binding("c", "compare", "Compare the pair across venues", show=False, id="app.compare"),
        Binding("L", "merged", "Every venue's book in one ladder", show=False, id="app.merged"),
        Binding(
            "space", "replay('toggle')", "Replay: pause / go on", show=False, id="replay.pause"
        ),
        Binding("period", "replay('step')", "Replay: a second on", show=False, id="replay.step"),
        Binding(
            "right_curly_bracket",
            "replay('skip')",
            "Replay: a minute on",
            show=False,
            id="replay.skip",
        ),
        Binding("comma", "replay('back')", "Replay: a second back", show=False, id="replay.back"),
        Binding(
            "left_curly_bracket",
            "replay('rewind')",
            "Replay: a minute back",
            show=False,
            id="replay.rewind",
        ),
        Binding(
            "greater_than_sign",
            "replay('faster')",
            "Replay: faster",
            show=False,
            id="replay.faster",
        ),
        Binding(
            "less_than_sign", "replay('slower')", "Replay: slower", show=False, id="replay.slower"
        ),
    ]
    CSS = """
    Screen { layout: vertical; }
    #main { height: 1fr; layout: grid; grid-size: 3 3; grid-columns: 42 34 1fr;
        grid-rows: 1fr 8 12; }
    #book { row-span: 2; }
    #trades { row-span: 2; }
    #orders, #fills, #positions, #watchlist, #alerts { column-span: 2; }
    .account { display: none; }
    .account.front { display: block; }
    #panel-tabs { display: none; height: 1; color: $secondary; }
    .narrow #main { grid-size: 2 2; grid-columns: 42 1fr; grid-rows: 8 1fr; }
    .narrow #book { row-span: 2; }
    .narrow #trades { row-span: 1; }
    .narrow #orders, .narrow #fills, .narrow #positions, .narrow #watchlist,
    .narrow #alerts { column-span: 1; }
    .narrow .side { display: none; }
    .narrow .side.shown { display: block; }
    .narrow #panel-tabs { display: block; }
    """

    def __init__(
        self,
        session: TradingSession,
        start: Callable[[], Coroutine[Any, Any, None]],
        stop: Callable[[], Coroutine[Any, Any, None]],
        keymap: dict[str, str],
        theme: str = "console-dark",
        theme_folders: list[Traversable] | None = None,
        core: Core | None = None,
        memory: Kept | None = None,
        rewind: Callable[[int], Running] | None = None,
        more: Sequence[Running] = (),
    ) -> None:
        """`core` is where the session runs (`ThreadCore` in the product: its own loop and
        thread); by default the screen's own loop. `memory` keeps the theme the trader
        picks and the symbols pinned for the next run (by default, for this one only).
        `rewind` replays a replay afresh up to a wall-clock time: the seek back. `more`:
        the other venues of the run, each at a desk of its own (`v` shows the next)."""
        super().__init__(driver_class=ConsoleDriver)
        self.session = session
        self.core: Core = core or InlineCore()
        self.desk = Desk(session, start, stop, rewind)
        """The venue shown, which the ticket sends to."""
        self.desks = [self.desk, *(Desk.of(run) for run in more)]
        self.keymap = keymap
        self.wanted_theme = theme
        self.theme_folders = theme_folders or [themes.SHIPPED]
        self.memory = memory or Kept(None)
        pinned = self.memory.get("watchlist")
        self.watched: tuple[str, ...] = tuple(
            pinned if isinstance(pinned, list) else session.config.watchlist
        )
        """The symbols pinned to the watchlist."""
        self.clock = FrameClock(self, session.config.frame_rate, self.core, self._ready_enter)
        self._found: dict[type[Widget], tuple[Screen[Any], Widget]] = {}
        self.express = ExpressLane()
        """Enter on a ready ticket, sent from the keyboard's thread (`ConsoleDriver`)."""
        self.side_panel = 0
        self.account_panel = 0
        self.notices = Notices(
            session.config.notify,
            lambda line: self.notify(line, title="fill", timeout=8),
            self.bell,
            self.terminal_write,
        )
        self.alert_notices = Notices(
            session.config.notify,
            lambda line: self.notify(line, title="alert", severity="warning", timeout=12),
            self.bell,
            self.terminal_write,
        )
        self.quitting = False
        self.seeking = False
        self.farewell: str | None = None
        """What stayed on the venue, printed when the screen closes."""
        self.terminal_gone = False
        """Nobody can see the screen (SIGHUP, the output closed): what it would print at the
        end goes to the log alone, as printing to a dead terminal fails the exit."""

    @property
    def started(self) -> bool:
        """The venue shown has started."""
        return self.desk.started

    @property
    def ladder(self) -> OrderBookLadder:
        """The book on the trading screen, also while a dialog is open over it (a worker
        that finishes then must not look for it on the dialog)."""
        return self.on_trading_screen(OrderBookLadder)

    def on_trading_screen(self, kind: type[W]) -> W:
        """The trading screen's one `kind`. That screen is composed once, so each is looked
        up once: a query walks every widget, and every frame asks for the ticket."""
        screen = self.screen_stack[0]
        found = self._found.get(kind)
        if found is None or found[0] is not screen:
            found = self._found[kind] = (screen, screen.query_one(kind))
        return cast(W, found[1])

    def get_default_screen(self) -> Screen[Any]:
        return TradingScreen(id="_default")

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The console's own colours for any theme that does not set them."""
        return dict(themes.DEFAULT_VARIABLES)

    def compose(self) -> ComposeResult:
        yield Banner(id="banner")
        yield Static(id="panel-tabs")
        with KeptContainer(id="main"):
            yield OrderBookLadder(id="book")
            yield TradeTape(id="trades", classes="side")
            yield CandleSparklines(id="candles", classes="side")
            yield OrderTicket(id="ticket")
            yield OpenOrders(id="orders", classes="side account front")
            yield FillsPanel(id="fills", classes="side account")
            yield PositionsPanel(id="positions", classes="side account")
            yield WatchlistPanel(id="watchlist", classes="side account")
            yield AlertsPanel(id="alerts", classes="side account")
            yield Balances(id="balances", classes="side")
        yield StatusBar(id="status")

    def on_mount(self) -> None:
        found, problems = themes.discover(self.theme_folders)
        for theme in found:
            self.register_theme(theme)
        names = set(self.available_themes)
        if self.wanted_theme in names:
            self.theme = self.wanted_theme
        else:
            problems.append(f"no theme {self.wanted_theme!r}; using console-dark")
            self.theme = "console-dark" if "console-dark" in names else self.theme
        self._theme_shown = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_picked)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=8)
        self.set_keymap(self.keymap)
        self._layout_for(self.size.width, self.size.height)
        self.query_one(OrderBookLadder).focus()
        self._feed_panels()
        self.clock.start()
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self._on_signal, sig)
        for desk in self.desks:
            self.start_desk(desk)

    def _theme_picked(self, theme: Any) -> None:
        """A theme other than the one shown was picked (the palette): keep it for next time."""
        if theme.name != self._theme_shown:
            self._theme_shown = theme.name
            self.memory.keep("theme", theme.name)

    def _feed_panels(self) -> None:
        """What each panel is shown, built below the screen (`console.trading.views`) from
        the session and the panel's own room (rows, grouping, window)."""
        session, clock = self.session, self.clock
        ladder, tape = self.query_one(OrderBookLadder), self.query_one(TradeTape)
        candles, ticket = self.query_one(CandleSparklines), self.query_one(OrderTicket)
        orders = self.query_one(OpenOrders)
        orders.history = not session.venue.capabilities.cancels

        def ticket_view(draft: views.Draft | None) -> views.TicketView | None:
            return None if draft is None else views.ticket(session, draft)

        clock.feed(self.query_one(Banner), lambda: views.banner(session), every=FIGURES_EVERY)
        clock.feed(
            self.query_one(StatusBar),
            lambda: views.status(
                session, StatusBar.clock(), account.session_pnl(session), self.sessions()
            ),
        )
        clock.feed(
            ladder, views.Ladders(session), lambda: (*ladder.wanted_levels, ladder.step_ticks)
        )
        clock.feed(
            tape, lambda lines: views.tape(session, lines), lambda: (tape.lines,), TAPE_EVERY
        )
        clock.feed(
            candles,
            lambda first, width, chart: views.candles(session, first, SHOWN, width, chart),
            lambda: (candles.first, candles.width, candles.charted),
            CANDLES_EVERY,
        )
        clock.feed(ticket, ticket_view, lambda: (ticket.draft(),))
        clock.feed(
            orders,
            lambda history: views.orders(session, history, time.time()),
            lambda: (orders.history,),
        )
        clock.feed(self.query_one(Balances), lambda: views.balances(session), every=FIGURES_EVERY)
        fills = self.query_one(FillsPanel)
        clock.feed(
            fills,
            lambda first, lines: account.fills(session, first, lines),
            lambda: (fills.first, fills.lines),
        )
        clock.feed(
            self.query_one(PositionsPanel),
            lambda: account.positions(session),
            every=FIGURES_EVERY,
        )
        clock.feed(self.notices, lambda seen: account.new_fills(session, seen), self.notices.room)
        alert_notices = self.alert_notices
        clock.feed(
            alert_notices, lambda seen: account.new_alerts(session, seen), alert_notices.room
        )
        clock.feed(
            self.query_one(AlertsPanel), lambda: account.alerts(session), every=FIGURES_EVERY
        )
        clock.feed(
            self.query_one(WatchlistPanel),
            lambda symbols: account.watchlist(session, symbols),
            lambda: (self.watched,),
            every=FIGURES_EVERY,
        )

    def start_desk(self, desk: Desk) -> None:
        """Bring a venue up on its own: one that cannot be reached never holds another."""
        self.run_worker(self._start_desk(desk), group=f"start {id(desk)}", exclusive=True)

    async def _start_desk(self, desk: Desk) -> None:
        """Connect, retrying with backoff while the venue cannot be reached, and say why
        the screen is waiting (a configuration or key problem is said once, not retried)."""
        backoff = Backoff(base=1.0, cap=30.0)
        session = desk.session
        named = f"{desk.venue}: " if len(self.desks) > 1 else ""
        while True:
            try:
                await self.core.run(desk.start())
                break
            except (AuthError, InvalidOrder) as error:
                session.waiting = f"cannot start: {error}"
                self.notify(named + session.waiting, severity="error", timeout=30)
                return
            except (VenueError, OSError) as error:
                delay = backoff.next_delay() + 0.5
                session.waiting = f"waiting for the venue ({error}); retrying in {delay:.0f}s"
                log.warning("start-up: %s%s", named, session.waiting)
                await asyncio.sleep(delay)
        session.waiting = None
        desk.started = True
        if not self._running:
            return  # the screen closed while the venue was being reached
        self.core.spawn(session.deadman.run())
        if session.error:
            self.notify(named + session.error, severity="warning", timeout=10)

    async def action_quit(self) -> None:
        """Close the session in the background, then leave, saying what stays on the venue;
        a second `q` leaves at once. The screen keeps answering keys meanwhile."""
        if self.quitting:
            self.farewell = self._left_behind()
            self._leave()
            return
        policy = self.session.config.on_quit
        self.notify(
            "closing the session: "
            + ("cancelling this console's orders…" if policy == "cancel" else "orders stay…"),
            timeout=5,
        )
        self._close_and_exit()

    def _close_and_exit(self) -> None:
        """From here on, enter sends nothing from the keyboard's thread: the session closes."""
        self.quitting = True
        self.express.disarm()
        self._close_session_and_leave()

    @work(group="quit")
    async def _close_session_and_leave(self) -> None:
        said = await asyncio.gather(*(self._close(desk) for desk in self.desks))
        self.farewell = "; ".join(part for part in said if part) or None
        log.warning("leaving: %s", self.farewell or "nothing left on the venue")
        if not self.is_headless:
            leave_anyway = threading.Timer(TERMINAL_GONE_AFTER, os._exit, args=(0,))
            leave_anyway.daemon = True
            leave_anyway.start()
        self._leave()

    def _leave(self) -> None:
        """Exit, printing the farewell where someone can read it."""
        self.exit(message=None if self.terminal_gone else self.farewell)

    async def _close(self, desk: Desk) -> str | None:
        """Close a venue by its quit policy; what stays on it, and what went wrong."""
        late = None
        if desk.started:
            try:
                await asyncio.wait_for(self.core.run(desk.stop()), QUIT_WAIT)
            except TimeoutError:
                late = "the venue did not answer the close"
        left = desk.session.left_behind()
        recorder = desk.session.recorder
        recording = recorder.state().trouble() if recorder is not None else None
        said = "; ".join(part for part in (left, late, recording) if part)
        return (f"{desk.venue}: {said}" if len(self.desks) > 1 else said) if said else None

    def _left_behind(self) -> str | None:
        """What stays on the venues, said as the screen leaves at once."""
        if len(self.desks) == 1:
            return self.session.left_behind()
        said = [(desk.venue, desk.session.left_behind()) for desk in self.desks]
        return "; ".join(f"{venue}: {left}" for venue, left in said if left) or None

    def _on_signal(self, sig: signal.Signals) -> None:
        self._hang_up(sig.name, terminal_gone=sig is signal.SIGHUP)

    def _hang_up(self, why: str, *, terminal_gone: bool) -> None:
        """SIGHUP (the SSH session is gone), SIGTERM, SIGINT, or the terminal's output gone:
        quit as `q` does, by the policy. A terminal that is gone answers every read with
        end-of-file at once: the keyboard's thread stops reading it rather than spin."""
        if terminal_gone:
            self.terminal_gone = True
            if isinstance(self._driver, ConsoleDriver):
                self._driver.stop_reading()
        log.warning("%s: closing the session (on_quit = %s)", why, self.session.config.on_quit)
        if not self.quitting:
            self._close_and_exit()

    def terminal_write(self, text: str) -> None:
        """Send `text` (an escape sequence the screen does not draw) to the terminal."""
        if self._driver is not None and not self.is_headless:
            self._driver.write(text)

    def on_terminal_gone(self, event: TerminalGone) -> None:
        """The terminal's output closed (its pty or pipe): nobody can see the screen."""
        error = event.error.strerror or event.error
        self._hang_up(f"the terminal's output is gone ({error})", terminal_gone=True)

    # -- layout ------------------------------------------------------------------------------

    def on_resize(self, event: Any) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self, width: int, height: int) -> None:
        narrow = width < WIDE_COLUMNS or height < WIDE_ROWS
        self.screen.set_class(narrow, "narrow")
        self._show_side_panel()

    def _show_side_panel(self) -> None:
        for index, name in enumerate(SIDE_PANELS):
            self.query_one(f"#{name}").set_class(index == self.side_panel, "shown")
        for index, name in enumerate(ACCOUNT_PANELS):
            self.query_one(f"#{name}").set_class(index == self.account_panel, "front")
        tabs = Text(" p: ")
        for index, name in enumerate(SIDE_PANELS):
            tabs.append(f" {name} ", "reverse bold" if index == self.side_panel else "")
        self.query_one("#panel-tabs", Static).update(tabs)

    def action_next_panel(self) -> None:
        self.side_panel = (self.side_panel + 1) % len(SIDE_PANELS)
        self._show_side_panel()

    def action_focus_panel(self, name: str) -> None:
        self.side_panel = SIDE_PANELS.index(name)
        if name in ACCOUNT_PANELS:
            self.account_panel = ACCOUNT_PANELS.index(name)
        self._show_side_panel()
        panel = self.query_one(f"#{name}", Widget)
        focusable = [panel, *panel.walk_children(Widget)]
        target = next((w for w in focusable if w.can_focus), None)
        if target is not None:
            target.focus()

    # -- keys --------------------------------------------------------------------------------

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        names = ", ".join(sorted(b.id or b.action for b in clashed_bindings))
        self.notify(
            f"keymap clash: {names} share a key; one of them will not fire",
            severity="warning",
            timeout=10,
        )

    def all_bindings(self) -> list[Binding]:
        """Every rebindable binding with the keys the active keymap gives it."""
        bindings = []
        for cls in (TradingApp, *PANELS_WITH_KEYS):
            for binding in cls.BINDINGS:
                assert isinstance(binding, Binding)
                keys = self.keymap.get(binding.id or "", binding.key)
                bindings.append(Binding(keys, binding.action, binding.description, id=binding.id))
        return bindings

    def action_help(self) -> None:
        self.push_screen(Help(keymap_rows(self.all_bindings())))

    def palette_actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        actions: list[tuple[str, str, Callable[[], object]]] = []
        own = {binding.id for binding in self.BINDINGS if isinstance(binding, Binding)}
        for binding in self.all_bindings():
            target = self if binding.id in own else self._owner_of(binding.id or "")
            if target is None:
                continue

            def run(target: Any = target, action: str = binding.action) -> object:
                return target.run_action(action)

            actions.append((binding.description, typed(binding.key), run))
        if len(self.desks) > 1:
            actions += [
                (
                    f"Venue: {desk.venue} ({desk.session.environment})",
                    typed("v"),
                    partial(self.show_desk, desk),
                )
                for desk in self.desks
            ]
        return actions

    def _owner_of(self, binding_id: str) -> Any:
        prefix = binding_id.split(".")[0]
        selectors = {
            "book": OrderBookLadder,
            "ticket": OrderTicket,
            "orders": OpenOrders,
            "fills": FillsPanel,
            "watch": WatchlistPanel,
            "alerts": AlertsPanel,
        }
        cls = selectors.get(prefix)
        return None if cls is None else self.query_one(cls)

    def action_to_book(self) -> None:
        """Esc: leave whatever field or panel has focus for the book. Never trades."""
        self.query_one(OrderBookLadder).focus()

    def action_candles(self, step: int) -> None:
        """`[`/`]` from anywhere: the candles' lengths, whichever panel has the focus."""
        self.query_one(CandleSparklines).action_shift(step)

    def action_ticket(self, side: str) -> None:
        self.query_one(OrderTicket).open(Side(side))
        self._ticket_now()

    def _ticket_now(self) -> OrderTicket:
        """The ticket, its view brought up to date at once: the keys that follow (the best
        price, a step) read it."""
        ticket = self.query_one(OrderTicket)
        self.clock.push(ticket)
        return ticket

    def action_preset(self, index: int) -> None:
        if self.session.market is None:
            return
        presets = self.core.call_now(self.session.presets)
        if index >= len(presets):
            return
        ticket = self.query_one(OrderTicket)
        _, order_type, _ = ticket.order_kind
        price = ticket.price_field.decimal
        size = self.core.call_now(
            self.session.preset_size, presets[index], ticket.side, order_type, price
        )
        ticket.set_size(size)

    # -- what panels ask for -----------------------------------------------------------------

    @on(OrderBookLadder.Clicked)
    def price_from_click(self, event: OrderBookLadder.Clicked) -> None:
        self.query_one(OrderTicket).set_price(event.price)

    @on(OrderBookLadder.Picked)
    def ticket_at_level(self, event: OrderBookLadder.Picked) -> None:
        self.query_one(OrderTicket).open(event.side, event.price)

    @on(WatchlistPanel.Chosen)
    def watchlist_chose(self, event: WatchlistPanel.Chosen) -> None:
        """Show a pinned symbol, pin the one on screen, or unpin one; the list is kept."""
        if event.pin is None and event.symbol is not None:
            self.switch_symbol(event.symbol)
            return
        market = self.session.market
        if event.pin and market is not None:
            symbol = market.instrument.symbol
            if symbol not in self.watched:
                self.watched = (*self.watched, symbol)
        elif event.pin is False:
            self.watched = tuple(s for s in self.watched if s != event.symbol)
        self.memory.keep("watchlist", list(self.watched))
        self.clock.push(self.query_one(WatchlistPanel))

    @on(AlertsPanel.Wanted)
    def alert_wanted(self, event: AlertsPanel.Wanted) -> None:
        if event.alert is None:
            self.ask_alert("")
            return
        self.core.call_now(self.session.alerts.remove, event.alert)
        self.clock.push(self.query_one(AlertsPanel))

    @on(OrderBookLadder.AlertAt)
    def alert_at_level(self, event: OrderBookLadder.AlertAt) -> None:
        self.ask_alert(f"{event.price:f}")

    def ask_alert(self, start: str) -> None:
        """The dialog for an alert on the symbol on screen, its words started as `start`."""
        market = self.session.market
        if market is None:
            return
        symbol = market.instrument.symbol
        last = self.core.call_now(self.session.last_price, symbol)
        shown = "unknown" if last is None else f"{last:,.{places(market.instrument.tick_size)}f}"

        def setter(words: str) -> list[Alert]:
            return self.core.call_now(self.session.add_alert, symbol, words)

        def set_(made: list[Alert] | None) -> None:
            if made:
                self.notify("alert set: " + " · ".join(f"{symbol} {a.said}" for a in made))
                self.clock.push(self.query_one(AlertsPanel))

        self.push_screen(SetAlert(symbol, shown, start, setter), set_)

    @on(LivePanel.ViewWanted)
    def draw_now(self, event: LivePanel.ViewWanted) -> None:
        self.clock.push(event.panel)

    @on(OrderBookLadder.DepthWanted)
    def show_depth(self, event: OrderBookLadder.DepthWanted) -> None:
        self.core.call_now(self.session.show_depth, event.ticks)

    @on(OrderTicket.SubmitRequested)
    def submit_ticket(self, event: OrderTicket.SubmitRequested) -> None:
        """Refusals and confirmations come from the session; the screen only asks."""
        market = self.session.market
        ready = self.core.call_now(readiness, self.session, event.draft)
        if market is None or ready is None:
            return
        if ready.refusal is not None:
            self.notify(ready.refusal, severity="error")
            return
        ticket = ready.ticket
        at = "market" if not ticket.order_type.priced else str(ticket.price)
        size = ticket.quote_qty if ticket.quote_qty is not None else ticket.qty
        when = "" if ticket.trigger is None else f" when the last price reaches {ticket.trigger}"
        if ticket.oco_price is not None:
            at = f"{ticket.oco_price}, or at market"
        question = f"{ticket.side.value} {size} {market.instrument.symbol} at {at}{when}?"
        ask(
            self,
            ready.grade,
            question,
            "SEND",
            partial(self._send, self.session, ticket),
            " · ".join(ready.reasons),
        )

    @work(group="orders")
    async def _send(self, session: TradingSession, ticket: Ticket) -> None:
        await self._tell(self.core.run(session.submit(ticket), urgent=True))

    async def _tell(self, sent: Awaitable[Order | None]) -> bool:
        """Say what came of an order sent: as the venue took it, or its refusal; False if
        nothing was sent."""
        try:
            order = await sent
        except VenueError as error:
            self.notify(f"refused: {error.msg or error}", severity="error", timeout=8)
            return True
        if order is None:
            return False
        self.screen_stack[0].query_one(OrderTicket).sent(order)
        return True

    # -- enter, sent from the keyboard's thread (console.ui.express) ---------------------------

    async def on_event(self, event: events.Event) -> None:
        self.express.took(event)
        await super().on_event(event)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """A dialog opening takes enter for itself: the ticket's enter is spent first."""
        self.express.disarm()
        return super().push_screen(*args, **kwargs)

    def _ready_enter(self) -> None:
        """Before each frame: arm enter for the keyboard's thread while the ticket is what it
        would send, the focus on one of its fields, no dialog open and nothing the trader did
        still on its way through the screen."""
        lane, taken = self.express, self.express.taken
        if not self.screen_stack:
            return  # the app is closing: nothing to arm
        screen = self.screen_stack[0]
        ticket = self.on_trading_screen(OrderTicket)
        if (
            self.quitting
            or len(self.screen_stack) != 1
            or self.focused not in (ticket.price_field, ticket.trigger_field, ticket.size_field)
        ):
            lane.disarm()
            return
        # Where what the trader did may still be on its way: a key goes to the focused field
        # and up through the ticket and the screen to the app; the one click that moves the
        # ticket lands on the ladder.
        on_its_way = (self, screen, self.ladder, ticket, *ticket.walk_children())
        draft = ticket.draft()
        if any(map(carrying, on_its_way)) or ticket.field_problem() is not None or draft is None:
            lane.disarm()
            return
        session, core = self.session, self.core
        lane.arm(lambda: core.hand(send_if_ready(session, draft)), taken)

    @on(Expressed)
    def expressed(self, event: Expressed) -> None:
        """The ticket stays as it was sent: enter is armed again at once for the next one."""
        self._report_expressed(event)
        self._ready_enter()

    @work(group="orders")
    async def _report_expressed(self, event: Expressed) -> None:
        """What came of an enter sent from the keyboard's thread; where the core sent
        nothing, the screen's own enter, which says why or asks first."""
        if not await self._tell(asyncio.wrap_future(event.sent)):
            self.screen_stack[0].query_one(OrderTicket).submit()

    # -- moving a resting order -----------------------------------------------------------------

    @on(OpenOrders.MoveRequested)
    def move_from_orders(self, event: OpenOrders.MoveRequested) -> None:
        order = self.session.orders.orders.get(event.client_order_id)
        if order is None or order.price is None:
            return
        self._ask_where(event.client_order_id, order.price)

    @on(OrderBookLadder.MoveFrom)
    def pick_up(self, event: OrderBookLadder.MoveFrom) -> None:
        """The ladder's `m` on a level of the trader's: the newest order there is carried,
        or with a drag, moved at once where it was dropped."""
        found = self.core.call_now(views.own_at, self.session, event.side, event.price, event.step)
        if not found:
            self.notify("no order of yours rests at this level", severity="warning")
            return
        order = found[0]
        left = order.qty - order.filled_qty
        if event.to is not None:
            self._confirm_move(order.client_order_id, event.to, left)
            return
        self.ladder.carry(
            (order.client_order_id, f"{order.side.value} {left.normalize():f} @ {order.price}")
        )

    @on(OrderBookLadder.MoveTo)
    def put_down(self, event: OrderBookLadder.MoveTo) -> None:
        order = self.session.orders.orders.get(event.client_order_id)
        if order is not None:
            self._confirm_move(order.client_order_id, event.price, order.qty - order.filled_qty)

    def _ask_where(self, client_order_id: str, price: Decimal) -> None:
        """The dialog for a move's new price and size, saying how the venue will do it."""
        order = self.session.orders.orders[client_order_id]
        instrument = self.session.instruments.get(order.symbol)
        if instrument is None:
            return
        one_step = self.session.venue.capabilities.replaces and order.status is OrderStatus.NEW
        how = (
            "one request: cancelled and replaced together, only if none of it traded"
            if one_step
            else "a cancel, then the new order once the venue confirms the cancel"
        )

        def chosen(answer: tuple[Decimal, Decimal] | None) -> None:
            if answer is not None:
                self._confirm_move(client_order_id, *answer)

        self.push_screen(MoveOrder(order, instrument.tick_size, price, how), chosen)

    def _confirm_move(self, client_order_id: str, price: Decimal, qty: Decimal) -> None:
        """Refused with its reason, or asked as the config grades the order it places."""
        try:
            ready = self.core.call_now(move_readiness, self.session, client_order_id, price, qty)
        except InvalidOrder as error:
            self.notify(f"not moved: {error.msg or error}", severity="error", timeout=8)
            return
        if ready.refusal is not None:
            self.notify(ready.refusal.replace("not sent", "not moved"), severity="error")
            return
        ask(
            self,
            ready.grade,
            f"Move {client_order_id} to {qty.normalize():f} at {price}?",
            "MOVE",
            partial(self._move, self.session, client_order_id, price, qty),
            " · ".join(ready.reasons),
        )

    @work(group="orders")
    async def _move(
        self, session: TradingSession, client_order_id: str, price: Decimal, qty: Decimal
    ) -> None:
        try:
            moved = await self.core.run(session.move(client_order_id, price, qty), urgent=True)
        except VenueError as error:
            self.notify(f"not moved: {error.msg or error}", severity="error", timeout=8)
            return
        done = moved.new is not None and not moved.problem
        self.notify(moved.text, severity="information" if done else "warning", timeout=8)

    @on(OpenOrders.CancelRequested)
    def cancel_orders(self, event: OpenOrders.CancelRequested) -> None:
        grades = self.session.config.confirm
        cid = event.client_order_id
        if cid is not None:
            ask(
                self,
                grades.cancel_one,
                f"Cancel {cid}?",
                "CANCEL",
                partial(self._cancel, self.session, cid),
            )
            return
        market = self.session.market
        if market is None:
            return
        symbol = market.instrument.symbol
        count = len(self.core.call_now(self.session.orders.open_orders, symbol))
        if not count:
            return
        ask(
            self,
            grades.cancel_all,
            f"Cancel all {count} orders on {symbol}?",
            "CANCEL",
            partial(self._cancel_all, self.session, symbol),
            "every order of the account on the symbol, this console's or not",
        )

    @work(group="orders")
    async def _cancel(self, session: TradingSession, client_order_id: str) -> None:
        try:
            order = await self.core.run(session.cancel(client_order_id), urgent=True)
        except VenueError as error:
            self.notify(f"cancel failed: {error.msg or error}", severity="error")
            return
        self.notify(f"{client_order_id}: {order.status.value}")

    @work(group="orders")
    async def _cancel_all(self, session: TradingSession, symbol: str) -> None:
        try:
            cancelled = await self.core.run(session.cancel_all(symbol), urgent=True)
        except VenueError as error:
            self.notify(f"cancel all failed: {error.msg or error}", severity="error")
            return
        self.notify(f"cancelled {len(cancelled)} orders on {symbol}")

    # -- after a bad minute: reconcile, panic, the switch ---------------------------------------

    def action_reconcile(self) -> None:
        if self.started:
            self.push_screen(Reconcile(self.session, self.core))

    def action_panic(self) -> None:
        """Cancel every open order on the venue (or, asked which, on every venue), after
        the configured confirmation."""
        if not self.started:
            return
        self._on_scope("PANIC", self._ask_panic)

    def _on_scope(self, action: str, then: Callable[[list[Desk]], None]) -> None:
        """`then` on the venue shown, or, on a run of several, on the venues the trader
        picks: the one shown or every one."""
        if len(self.desks) == 1:
            then([self.desk])
            return

        def picked(scope: str | None) -> None:
            if scope is not None:
                then([self.desk] if scope == THE_SHOWN else list(self.desks))

        venues = [desk.venue for desk in self.desks]
        self.push_screen(PickScope(action, self.desk.venue, venues), picked)

    def _ask_panic(self, desks: list[Desk]) -> None:
        scope = "; ".join(
            self.core.call_now(desk.session.panic_scope)
            if desk.started
            else f"{desk.venue}: not connected, nothing can be cancelled there"
            for desk in desks
        )
        ask(
            self,
            self.session.config.confirm.panic,
            "PANIC: cancel every open order" + (" on every venue?" if len(desks) > 1 else "?"),
            "PANIC",
            lambda: self._panic(scope, desks),
            scope,
        )

    @work(group="orders")
    async def _panic(self, scope: str, desks: list[Desk]) -> None:
        done = await asyncio.gather(*(self._panic_on(desk) for desk in desks))
        if len(done) == 1 and done[0].refused is not None:
            self.notify(f"panic refused: {done[0].refused}", severity="error", timeout=10)
            return
        self.push_screen(PanicOutcomes(scope, list(done)))

    async def _panic_on(self, desk: Desk) -> VenueOutcomes:
        session = desk.session
        if not desk.started:
            refused = session.waiting or "not connected"
            return VenueOutcomes(desk.venue, [], session.instruments, refused)
        try:
            outcomes = await self.core.run(session.panic(), urgent=True)
        except VenueError as error:
            return VenueOutcomes(desk.venue, [], session.instruments, error.msg or str(error))
        return VenueOutcomes(desk.venue, outcomes, session.instruments)

    def action_replay(self, move: str) -> None:
        """Pause, step, skip ahead, seek back or change the speed of a replay (the keys do
        nothing on a venue)."""
        player = self.session.player
        if player is None:
            return
        if move in SEEKS_BACK:
            self._seek_back(SEEKS_BACK[move])
        else:
            self.core.call_now(getattr(player.clock, move))

    @work(group="rewind")
    async def _seek_back(self, by_ns: int) -> None:
        """Replay the run afresh up to `by_ns` before the moment shown (a book cannot
        unlearn), then show that replay in place of this one; a seek while one is under
        way is ignored."""
        desk = self.desk
        player, rewind = desk.session.player, desk.rewind
        if player is None or rewind is None or self.seeking or self.quitting:
            return
        self.seeking = True
        try:
            to_ms = self.core.call_now(player.wall_ms) - by_ns // 1_000_000
            again = await self.core.call(rewind, to_ms)
            await self.core.run(desk.stop())
            desk.take(again)
            desk.started = False
            self.use(again.session)
        finally:
            self.seeking = False
        self.start_desk(desk)

    def use(self, session: TradingSession) -> None:
        """Show `session` from the next frame on, every panel fed from it afresh; enter
        armed for the last one's ticket is not armed for this one."""
        self.express.disarm()
        self.session = session
        self.clock.clear()
        self._feed_panels()

    def sessions(self) -> list[TradingSession]:
        """Every venue's session, the order of the run."""
        return [desk.session for desk in self.desks]

    def action_next_venue(self) -> None:
        """Show the next venue of the run, its ticket and focus as they were left."""
        if len(self.desks) > 1:
            self.show_desk(self.desks[(self.desks.index(self.desk) + 1) % len(self.desks)])

    def _pair(self) -> tuple[str, str] | None:
        """The pair on screen, for the views across venues (which need several)."""
        market = self.session.market
        if len(self.desks) < 2 or market is None:
            if len(self.desks) < 2:
                self.notify("one venue in this run: `venues` in the config, or --venue twice")
            return None
        return market.instrument.base, market.instrument.quote

    def action_compare(self) -> None:
        """The pair on screen across every venue of the run."""
        if (pair := self._pair()) is None:
            return
        presets = self.core.call_now(self.session.presets)
        fixed = [Decimal(p) for p in presets if not p.endswith("%")]
        size = fixed[-1] if fixed else Decimal(1)
        self.push_screen(CompareScreen(self.core, self.sessions(), *pair, size))

    def action_merged(self) -> None:
        """Every venue's book of the pair on screen in one ladder; enter opens the ticket on
        a level's venue at its price."""
        if (pair := self._pair()) is None:
            return
        self.push_screen(MergedLadder(self.core, self.sessions(), *pair), self._picked_merged)

    def action_venue_details(self) -> None:
        self.push_screen(VenueDetails(self.core, self.sessions(), StatusBar.clock))

    def _picked_merged(self, picked: Picked | None) -> None:
        if picked is not None:
            self._ticket_on(*picked)

    @work(exclusive=True, group="symbol")
    async def _ticket_on(self, venue: str, symbol: str, side: Side, price: Decimal) -> None:
        """The ticket on `venue`, showing `symbol`, at `price`."""
        desk = next(desk for desk in self.desks if desk.venue == venue)
        self.show_desk(desk, refocus=False)
        market = self.session.market
        ticket = self.screen_stack[0].query_one(OrderTicket)
        if market is None or market.instrument.symbol != symbol:
            try:
                await self.core.run(self.session.follow(symbol))
            except VenueError as error:
                self.notify(f"cannot show {symbol} on {venue}: {error}", severity="error")
                return
            self.ladder.watch_grouping()
            ticket.clear()
        ticket.open(side, price)

    def show_desk(self, desk: Desk, refocus: bool = True) -> None:
        """Show `desk`'s venue: the ticket sends there from now on, as the banner says."""
        if desk is self.desk or self.quitting:
            return
        if len(self.screen_stack) > 1:  # its answer would act on the venue shown by then
            self.notify(f"close the dialog to show {desk.venue}", severity="warning")
            return
        screen = self.screen_stack[0]
        ticket = screen.query_one(OrderTicket)
        self.desk.ticket = ticket.kept()
        focused = self.focused
        self.desk.focus = focused if focused is not None and focused.screen is screen else None
        self.desk = desk
        self.use(desk.session)
        ticket.restore(desk.ticket)
        for panel in (self.query_one(Banner), self.query_one(StatusBar), ticket):
            self.clock.push(panel)
        if refocus:
            self.call_after_refresh(self._refocus, desk.focus)

    def _refocus(self, widget: Widget | None) -> None:
        """What had the keyboard when the venue was last shown, else the book."""
        if widget is not None and widget.is_attached and widget.focusable:
            widget.focus()
        else:
            self.ladder.focus()

    def action_switch(self) -> None:
        """Arm (asking for the timeout) or disarm (as the config grades it) the switch: of
        the venue shown, or, asked which, of every venue."""
        self._on_scope("DEAD-MAN'S SWITCH", self._switch)

    def _switch(self, desks: list[Desk]) -> None:
        """Arm the switches of `desks` if the venue shown has it off, else disarm them."""
        switches = [desk.session.deadman for desk in desks if not desk.session.deadman.read_only]
        if not switches:
            self.notify("read-only: the dead-man's switch cannot cancel, so it stays off")
            return
        switch = self.session.deadman
        side = "venue-side" if switch.venue_side else "client-side"
        if len(desks) > 1:
            side = "each venue's own"
        if switch.state is SwitchState.OFF:
            default = self.session.config.deadman_seconds or DEFAULT_SWITCH_SECONDS
            off = [s for s in switches if s.state is SwitchState.OFF]
            self.push_screen(ArmSwitch(side, default), lambda seconds: self._arm(off, seconds))
            return
        armed = [s for s in switches if s.state is not SwitchState.OFF]
        ask(
            self,
            self.session.config.confirm.disarm_switch,
            f"Disarm the dead-man's switch ({side})?",
            "DISARM",
            lambda: self._disarm(armed),
            "resting orders will outlive this console's view of the venue",
        )

    def _arm(self, switches: list[DeadMansSwitch], seconds: float | None) -> None:
        if seconds is None:
            return
        for switch in switches:
            self.core.call_now(switch.arm, seconds)
            self.core.spawn(switch.run())
        venues = "" if len(switches) == 1 else f" on {len(switches)} venues"
        self.notify(f"dead-man's switch ARMED: {seconds:g}s{venues}")

    def _disarm(self, switches: list[DeadMansSwitch]) -> None:
        for switch in switches:
            self.core.call_now(switch.disarm)
        venues = "" if len(switches) == 1 else f" on {len(switches)} venues"
        self.notify(f"dead-man's switch disarmed{venues}", severity="warning")

    def symbols(self) -> list[str]:
        """Every symbol the venue lists, for the palette."""
        return sorted(self.session.instruments)

    def symbol_line(self, symbol: str) -> str:
        """`last 3,399.92 · 24h -2.12%` from the board of every symbol's ticker."""
        row = self.session.board.get(symbol)
        instrument = self.session.instruments.get(symbol)
        if row is None or instrument is None:
            return "show this market"
        line = f"last {row.last:,.{places(instrument.tick_size)}f}"
        change = row.change_percent
        return line + ("" if change is None else f" · 24h {change:+.2f}%")

    def switch_symbol(self, symbol: str) -> None:
        self._follow(symbol)

    @work(exclusive=True, group="symbol")
    async def _follow(self, symbol: str) -> None:
        try:
            await self.core.run(self.session.follow(symbol))
        except VenueError as error:
            self.notify(f"cannot show {symbol}: {error}", severity="error")
            return
        if not self._running:
            return
        self.ladder.watch_grouping()
        self.screen_stack[0].query_one(OrderTicket).clear()
        self.notify(f"now showing {symbol}")


class TradingScreen(KeptLines, Screen[Any]):
    """The trading screen; the focus moving spends enter armed for the keyboard's thread."""

    def set_focus(self, widget: Widget | None, *args: Any, **kwargs: Any) -> Any:
        if widget is not self.focused:
            self.app.express.disarm()  # type: ignore[attr-defined]
        return super().set_focus(widget, *args, **kwargs)
