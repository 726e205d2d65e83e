"""A trading session: one venue, the symbol on screen, its live state, and the orders.

What the screen reads lives here, kept current by the venue's streams; the screen never
awaits the network to draw. Switching symbol swaps the live book, tape and candles; orders
and balances are the account's and stay.
"""

from __future__ import annotations

import asyncio
import difflib
import enum
import logging
import math
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from console.config import Config, Grade
from console.errors import InvalidOrder, VenueError
from console.model import (
    Instrument,
    Interval,
    Order,
    OrderStatus,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
)
from console.net.recorder import Recorder
from console.net.replay import Player
from console.trading.alerts import Alert, Alerts, parse
from console.trading.deadman import DeadMansSwitch
from console.trading.journal import Journal
from console.trading.orders import UNRESOLVED, Moved, OrderManager, ReconcilePolicy
from console.trading.risk import Verdict, affordable, check_order, quote_amount
from console.venues.base import Fees, OrderRequest, Venue
from console.venues.feeds import BookState, LiveBook, LiveCandles, LiveTicker, LiveTrades

log = logging.getLogger(__name__)

TOP_FRESH_FOR = 3.0
"""Seconds a top-of-book update stands in for a resyncing book (the market line's quiet
threshold: older than that, it may be as stale as the book)."""
CANDLE_INTERVALS = (
    Interval.M1,
    Interval.M5,
    Interval.M15,
    Interval.H1,
    Interval.H4,
    Interval.D1,
)
"""The candle lengths the screen offers, those the venue serves."""
CLOSE_TIMEOUT = 3.0
BOARD_FIRST = 2.0
"""Seconds after the start before the first read of every symbol's ticker: the book and
the account come first (the read is the heaviest the console makes)."""
BOARD_EVERY = 15.0
"""Seconds between two reads of every symbol's ticker (Binance weighs the read at 80 of
6,000 a minute: four a minute is 5% of the budget)."""
ALERTS_EVERY = 0.2
"""Seconds between two looks of the alerts at the tape on screen (every print between
counts: the highest and the lowest since the last look)."""
FILLS_HISTORY_MS = 24 * 3600 * 1000
"""How far back a followed symbol's fills are fetched for its position's entry price: the
longest span one Binance trades request covers (Huobi keeps 48 hours)."""


@dataclass(frozen=True)
class Ticket:
    """An order as the trader filled it in, before it is checked: base size, or for a
    market order sized in the quote asset, the quote amount."""

    side: Side
    order_type: OrderType
    time_in_force: TimeInForce
    price: Decimal | None
    qty: Decimal | None
    quote_qty: Decimal | None = None
    trigger: Decimal | None = None
    """Where a stop or take-profit order waits for the last price."""
    oco_price: Decimal | None = None
    """With a stop: a post-only limit order at this price beside it, one cancelling the
    other (a sell's above the market, a buy's below)."""


class PanicResult(enum.Enum):
    """What the panic key did to one order, in words for the screen."""

    CANCELLED = "cancelled"
    ENDED_FIRST = "ended before the cancel"
    NOT_CANCELLED = "NOT cancelled"
    UNKNOWN = "outcome unknown: its symbol's cancel-all went through"
    UNCONFIRMED = "cancel sent; the venue has not confirmed it yet"


@dataclass(frozen=True)
class Outcome:
    """What the panic key did to one order, and why where it says more than its result
    (the venue's refusal, the state the order ended in)."""

    order: Order
    result: PanicResult
    detail: str = ""

    @property
    def text(self) -> str:
        if self.result is PanicResult.ENDED_FIRST:
            return f"{self.order.status.value.lower()} before the cancel"
        return f"{self.result.value}: {self.detail}" if self.detail else self.result.value


@dataclass
class Market:
    """The live state of the symbol on screen."""

    instrument: Instrument
    book: LiveBook
    trades: LiveTrades
    ticker: LiveTicker
    fees: Fees
    """The account's rates on this symbol (the venue's base tier until read)."""
    candles: dict[Interval, LiveCandles] = field(default_factory=dict)


class TradingSession:
    def __init__(
        self,
        venue: Venue,
        config: Config,
        environment: str,
        journal: Journal | None = None,
        alerts: Alerts | None = None,
    ) -> None:
        self.venue = venue
        self.config = config
        self.environment = environment
        """Where orders go, as the screen says it: SIM, TESTNET, LIVE or CUSTOM."""
        self.journal = journal
        self._folding: asyncio.Future[None] | None = None
        self.orders = OrderManager(
            venue,
            journal,
            ReconcilePolicy(lookup_window=config.lookup_seconds),
            keep_fills=config.history.fills,
            keep_finished=config.history.finished_orders,
            read_only=config.read_only,
        )
        self.deadman = DeadMansSwitch(venue, self.orders, config.deadman_seconds)
        self.instruments: dict[str, Instrument] = {}
        self.market: Market | None = None
        self.clock_offset_ms: int | None = None
        self.error: str | None = None
        self.waiting: str | None = None
        """Why the screen has no market yet (the venue is being retried), for the status bar."""
        self.player: Player | None = None
        """The recording this session replays, for the screen to say where it is in it."""
        self.recorder: Recorder | None = None
        """The flight recorder of this venue's traffic, for the screen to say how it goes
        (the launch starts and closes it)."""
        self.depth_shown = 0
        """Price ticks a side the screen shows: every book followed is kept that deep."""
        self.switch_left_armed: str | None = None
        """Set on close when the venue's own switch could not be disarmed."""
        self._recalled: set[str] = set()
        """Symbols whose recent fills were asked of the venue for their positions."""
        self.board: dict[str, Ticker] = {}
        """Every listed symbol's last price and 24 h change, read every `BOARD_EVERY` s."""
        self._board_task: asyncio.Future[None] | None = None
        self._pairs: dict[tuple[str, str], str] = {}
        """Each listed symbol by its (base, quote)."""
        self.alerts = alerts or Alerts()
        """Price alerts (kept between runs where the launch gave them a file)."""
        self._tape_seen: tuple[str, int] = ("", 0)
        """The tape the alerts last looked at (symbol, its version then)."""
        self._alerts_task: asyncio.Future[None] | None = None

    @property
    def paused(self) -> str | None:
        """Why no order can be sent now, in words for the screen, or None."""
        if self.orders.journal_failed is not None:
            return f"order entry stopped: {self.orders.journal_failed}"
        if self.deadman.blocks_orders:
            return "order entry blocked: the dead-man's switch tripped"
        if not self.orders.user_stream_live:
            return "order entry paused: the account stream is not live"
        return None

    @property
    def can_trade(self) -> bool:
        return self.paused is None

    async def start(self) -> None:
        """Connect, learn the instruments, follow the configured symbol and the account."""
        await self.venue.start()
        self.instruments = await self.venue.instruments()
        self._pairs = {(i.base, i.quote): i.symbol for i in self.instruments.values()}
        symbol = self.config.symbol
        if symbol not in self.instruments:
            raise InvalidOrder(msg=self.unlisted(symbol))
        await self.follow(symbol)
        self._board_task = asyncio.ensure_future(self._keep_board())
        self._alerts_task = asyncio.ensure_future(self._watch_alerts())
        self.orders.recover()
        if self.journal is not None:
            self._folding = asyncio.ensure_future(self.journal.fold_regularly())
        try:
            await self.venue.watch_account(self.orders)
        except VenueError as error:
            self.error = f"no account stream: {error}"

    async def _keep_board(self) -> None:
        """Read every symbol's ticker soon after the start and every `BOARD_EVERY` seconds;
        a read that fails keeps the last board and is tried again."""
        await asyncio.sleep(BOARD_FIRST)
        while True:
            try:
                self.board = await self.venue.day_tickers()
                self.alerts_off_screen()
            except VenueError as error:
                log.warning("the symbols' tickers are unavailable: %s", error)
            await asyncio.sleep(BOARD_EVERY)

    async def _watch_alerts(self) -> None:
        while True:
            self.alerts_on_screen()
            await asyncio.sleep(ALERTS_EVERY)

    def alerts_on_screen(self) -> None:
        """Fire the alerts of the symbol on screen that the prints since the last look
        reached (the highest and the lowest of them, so a spike between looks counts)."""
        market = self.market
        if market is None:
            return
        symbol, tape = market.instrument.symbol, market.trades
        seen_symbol, seen = self._tape_seen
        self._tape_seen = (symbol, tape.version)
        fresh = min(len(tape.trades), tape.version - seen if seen_symbol == symbol else 1)
        if fresh <= 0 or symbol not in self.alerts.symbols():
            return
        prices = [tape.trades[-1 - index].price for index in range(fresh)]
        self.alerts.check(symbol, min(prices), max(prices))

    def alerts_off_screen(self) -> None:
        """Fire the alerts of the symbols not on screen that the board's last prices reach."""
        on_screen = self.market.instrument.symbol if self.market else None
        for symbol in self.alerts.symbols() - {on_screen}:
            row = self.board.get(symbol)
            if row is not None and row.last:
                self.alerts.check(symbol, row.last, row.last)

    def last_price(self, symbol: str) -> Decimal | None:
        """The last print of `symbol`: the tape's where it is on screen (the mid of its
        book before any print), else the board's."""
        market = self.market
        if market is not None and market.instrument.symbol == symbol:
            if market.trades.trades:
                return market.trades.trades[-1].price
            if market.book.book.mid is not None:
                return market.book.book.mid
        row = self.board.get(symbol)
        return row.last if row is not None and row.last else None

    def add_alert(self, symbol: str, text: str) -> list[Alert]:
        """Set the alerts the trader's words ask for on `symbol` (`alerts.parse`); raises
        ValueError with what is wrong."""
        if symbol not in self.instruments:
            raise ValueError(self.unlisted(symbol))
        last = self.last_price(symbol)
        if last is not None:  # a mid may fall between two ticks: measured from the tick
            last = last.quantize(self.instruments[symbol].tick_size)
        made = parse(text, symbol, last, int(time.time() * 1000))
        self.alerts.add(made)
        return made

    def price(self, asset: str, quote: str) -> Decimal | None:
        """What one `asset` is worth in `quote`: the mid of the book on screen where it is
        that pair, else the last price of the pair (or of its inverse) on the board."""
        if asset == quote:
            return Decimal(1)
        market = self.market
        if market is not None and (market.instrument.base, market.instrument.quote) == (
            asset,
            quote,
        ):
            mid = market.book.book.mid
            if mid is not None:
                return mid
        direct = self.board.get(self._pairs.get((asset, quote), ""))
        if direct is not None and direct.last:
            return direct.last
        inverse = self.board.get(self._pairs.get((quote, asset), ""))
        if inverse is not None and inverse.last:
            return 1 / inverse.last
        return None

    def unlisted(self, symbol: str) -> str:
        """Why `symbol` cannot be opened, with the listed symbols that come closest."""
        listed = sorted(self.instruments)
        near = difflib.get_close_matches(symbol, listed, n=5, cutoff=0.5)
        near += [s for s in listed if s.startswith(symbol[:3]) and s not in near]
        said = f"symbol {symbol} is not listed on {self.venue.name}"
        return said + (f"; the closest: {', '.join(near[:5])}" if near else "")

    async def follow(self, symbol: str) -> Market:
        """Show `symbol`: its book, its tape and candles of the configured intervals."""
        instrument = self.instruments[symbol]
        self.orders.traded.add(symbol)
        previous = self.market
        if previous is not None and previous.instrument.symbol != symbol:
            self.venue.release(previous.instrument.symbol)
        venue = self.venue
        market = Market(
            instrument,
            venue.book(symbol),
            venue.trades(symbol),
            venue.ticker(symbol),
            await self.fee_rates(symbol),
        )
        self.market = market
        if self.venue.authenticated and symbol not in self._recalled:
            self._recalled.add(symbol)
            self.orders.recall(symbol, int(time.time() * 1000) - FILLS_HISTORY_MS)
        if self.depth_shown:
            market.book.show(self.depth_shown)
        for interval in self.candle_intervals():
            try:
                market.candles[interval] = series = await self.venue.candles(symbol, interval)
                series.limit(self.config.history.candles)
            except VenueError as error:
                log.warning("%s %s candles unavailable: %s", symbol, interval, error)
        return market

    async def fee_rates(self, symbol: str) -> Fees:
        """The account's rates where the venue serves them; its base tier when it cannot
        say now (the estimate is then the venue's published one, never none)."""
        try:
            return await self.venue.fee_rates(symbol)
        except VenueError as error:
            log.warning("%s fee rates unavailable, the base tier shown: %s", symbol, error)
            return self.venue.capabilities.fees

    def show_depth(self, ticks: int) -> None:
        """The screen shows `ticks` of price a side: a book built from a smaller snapshot
        fetches a larger one."""
        self.depth_shown = ticks
        if self.market is not None:
            self.market.book.show(ticks)

    def candle_intervals(self) -> list[Interval]:
        served = self.venue.capabilities.kline_intervals
        return [interval for interval in CANDLE_INTERVALS if interval in served]

    def mid(self) -> Decimal | None:
        return self.market.book.book.mid if self.market else None

    def best(self, side: Side) -> Decimal | None:
        """The best price on `side`: the book's, except while it resyncs and the venue's
        top-of-book stream has moved since (that stream needs no snapshot to be right)."""
        if self.market is None:
            return None
        live = self.market.book
        top = self.market.ticker.recent_top(TOP_FRESH_FOR)
        if live.state is not BookState.LIVE and top is not None:
            return top.bid if side is Side.BUY else top.ask
        book = live.book
        ticks = book.best_bid if side is Side.BUY else book.best_ask
        return None if ticks is None else book.prices.value(ticks)

    # -- order entry: every rule lives here; the screen only draws and asks ----------------

    def check(self, ticket: Ticket) -> Verdict:
        """Every rule the ticket breaks (the instrument's filters, the trader's limits, what
        the venue takes)."""
        assert self.market is not None
        verdict = check_order(
            self.market.instrument,
            ticket.side,
            ticket.order_type,
            ticket.price,
            ticket.qty,
            self.config.risk,
            self.mid(),
            self.best(ticket.side.opposite),
            self.fee_rate(ticket.order_type),
            ticket.trigger,
        )
        if ticket.oco_price is not None:
            limit = check_order(
                self.market.instrument,
                ticket.side,
                OrderType.POST_ONLY,
                ticket.oco_price,
                ticket.qty,
                self.config.risk,
                self.mid(),
                self.best(ticket.side.opposite),
                self.fee_rate(OrderType.POST_ONLY),
            )
            problems = [f"limit: {problem}" for problem in limit.problems]
            verdict = replace(verdict, problems=[*verdict.problems, *problems])
        if (
            ticket.order_type is OrderType.MARKET
            and ticket.side is Side.BUY
            and ticket.quote_qty is None
            and self.venue.capabilities.market_buy_in_quote
        ):
            quote = self.market.instrument.quote
            sized = f"{self.venue.name} sizes market buys in {quote}: switch the size unit"
            verdict = replace(verdict, problems=[*verdict.problems, sized])
        rests = (
            ticket.order_type is OrderType.POST_ONLY
            or ticket.order_type.triggered
            or (ticket.order_type is OrderType.LIMIT and ticket.time_in_force is TimeInForce.GTC)
        )
        if rests and not self.venue.capabilities.cancels:
            uncancellable = f"{self.venue.name} cannot cancel here: send IOC, FOK or market"
            verdict = replace(verdict, problems=[*verdict.problems, uncancellable])
        return verdict

    def fee_rate(self, order_type: OrderType) -> Decimal:
        """The rate an order of this type is estimated to pay: a maker's for a post-only
        order, a taker's for any other (a limit order may cross)."""
        assert self.market is not None
        fees = self.market.fees
        return fees.maker if order_type is OrderType.POST_ONLY else fees.taker

    def confirmations(self, ticket: Ticket, verdict: Verdict) -> tuple[Grade, list[str]]:
        """How the trader must say yes before this goes (the config's grade for a large
        notional; at least one key on a stale book), and why."""
        assert self.market is not None
        grade, reasons = Grade.NONE, []
        notional = verdict.notional or Decimal(0)
        if notional > self.config.risk.confirm_above:
            grade = self.config.confirm.send_above_notional
            if grade is not Grade.NONE:
                inst = self.market.instrument
                reasons.append(f"notional {quote_amount(notional, inst)} {inst.quote}")
        if self.market.book.state is not BookState.LIVE:
            grade = grade.at_least(Grade.KEY)
            reasons.append(f"the book is {self.market.book.state.value}: prices may be out of date")
        return grade, reasons

    def panic_scope(self) -> str:
        """What the panic key cancels, in words for the screen."""
        symbols = self.orders.watched_symbols()
        known = len(self.orders.open_orders())
        return (
            f"every open order of the account on {self.venue.name} "
            f"({', '.join(symbols) or 'no symbol'}), this console's and any other program's: "
            f"{known} known here"
        )

    async def panic(self) -> list[Outcome]:
        """Cancel every open order of the account on every watched symbol (one cancel-all
        each), then say what became of each order: cancelled, filled first, or not."""
        self.orders.refuse_if_read_only()
        before = {o.client_order_id: o for o in self.orders.open_orders()}
        failed: dict[str, str] = {}
        answered: dict[str, Order] = {}
        for symbol in self.orders.watched_symbols():
            try:
                for order in await self.orders.cancel_all(symbol):
                    answered[order.client_order_id] = order
            except VenueError as error:
                failed[symbol] = str(error)
                log.warning("panic: cancel-all on %s failed: %s", symbol, error)
        outcomes = []
        for cid in sorted(before.keys() | answered.keys()):
            order = self.orders.orders.get(cid) or answered.get(cid) or before[cid]
            if order.status is OrderStatus.CANCELED:
                outcome = Outcome(order, PanicResult.CANCELLED)
            elif not order.status.is_open:
                outcome = Outcome(order, PanicResult.ENDED_FIRST)
            elif order.symbol in failed:
                outcome = Outcome(order, PanicResult.NOT_CANCELLED, failed[order.symbol])
            elif order.status in UNRESOLVED:
                outcome = Outcome(order, PanicResult.UNKNOWN)
            else:
                outcome = Outcome(order, PanicResult.UNCONFIRMED)
            outcomes.append(outcome)
        log.warning(
            "panic: %d orders, %d cancelled",
            len(outcomes),
            sum(o.result is PanicResult.CANCELLED for o in outcomes),
        )
        return outcomes

    @property
    def read_only(self) -> bool:
        return self.orders.read_only

    async def cancel(self, client_order_id: str) -> Order:
        return await self.orders.cancel(client_order_id)

    async def cancel_all(self, symbol: str) -> list[Order]:
        return await self.orders.cancel_all(symbol)

    async def submit(self, ticket: Ticket) -> Order:
        """Check the ticket again as it goes (the book may have moved), refuse it before
        anything leaves the machine, then journal and send it once."""
        self.orders.refuse_if_read_only()
        if self.market is None:
            raise InvalidOrder(msg="no market on screen yet")
        if self.paused is not None:
            raise InvalidOrder(msg=self.paused)
        verdict = self.check(ticket)
        if not verdict.ok:
            raise InvalidOrder(msg="not sent: " + "; ".join(verdict.problems))
        if ticket.order_type not in self.venue.capabilities.order_types:
            raise InvalidOrder(msg=f"{self.venue.name} takes no {ticket.order_type} orders")
        if ticket.oco_price is not None and not self.venue.capabilities.oco:
            raise InvalidOrder(msg=f"{self.venue.name} takes no one-cancels-other pair")
        self.orders.traded.add(self.market.instrument.symbol)
        request = OrderRequest(
            self.market.instrument.symbol,
            ticket.side,
            ticket.order_type,
            self.orders.new_client_order_id(),
            qty=None if ticket.quote_qty is not None else ticket.qty,
            price=ticket.price,
            time_in_force=ticket.time_in_force,
            quote_qty=ticket.quote_qty,
            trigger=ticket.trigger,
        )
        if ticket.oco_price is not None:
            limit = OrderRequest(
                request.symbol,
                ticket.side,
                OrderType.POST_ONLY,
                self.orders.new_client_order_id(),
                qty=ticket.qty,
                price=ticket.oco_price,
            )
            return (await self.orders.submit_oco(limit, request))[0]
        return await self.orders.submit(request)

    def move_ticket(self, client_order_id: str, price: Decimal, qty: Decimal) -> Ticket:
        """The order a move would place, as a ticket to check: the old order's side, type
        and time in force at the new price and size. Refused where the order is not one
        the screen can move (another symbol's: its book is not the one checked against)."""
        order = self.orders.orders.get(client_order_id)
        if order is None or not order.status.is_open:
            raise InvalidOrder(msg=f"{client_order_id} is not open: nothing to move")
        if self.market is None or order.symbol != self.market.instrument.symbol:
            raise InvalidOrder(msg=f"show {order.symbol} to move its orders")
        return Ticket(order.side, order.type, order.time_in_force, price, qty)

    async def move(self, client_order_id: str, price: Decimal, qty: Decimal) -> Moved:
        """Check the order the move places as a new one (the book may have moved), then
        move: one request where the venue has it, a cancel then a place elsewhere."""
        self.orders.refuse_if_read_only()
        if self.paused is not None:
            raise InvalidOrder(msg=self.paused)
        verdict = self.check(self.move_ticket(client_order_id, price, qty))
        if not verdict.ok:
            raise InvalidOrder(msg="not moved: " + "; ".join(verdict.problems))
        return await self.orders.move(client_order_id, price, qty)

    def presets(self) -> list[str]:
        """Keys 1-4 on the symbol on screen: its own in the config, else the config's for
        every symbol, else two sizes from its minimum order value (twice and twenty times
        it, at the mid, on the lot) and two shares of the free balance."""
        assert self.market is not None
        inst = self.market.instrument
        config = self.config
        if inst.symbol in config.presets:
            return config.presets[inst.symbol]
        if config.size_presets is not None:
            return config.size_presets
        price = self.mid()
        least = inst.min_qty
        if price and inst.min_notional:
            lots = math.ceil(2 * inst.min_notional / price / inst.lot_size)
            least = max(least, lots * inst.lot_size)
        sizes = [least.quantize(inst.lot_size), (least * 10).quantize(inst.lot_size)]
        return [*(format(size.normalize(), "f") for size in sizes), "25%", "100%"]

    def preset_size(
        self, preset: str, side: Side, order_type: OrderType, price: Decimal | None
    ) -> Decimal:
        """A size preset as a base quantity on the lot: a fixed size, or a share of the free
        balance. Selling, a share of the free base. Buying, what that share of the free quote
        pays for with the fee: at `price` for a priced order; for a market order, walking
        the asks as the order would (its price field is not its price)."""
        assert self.market is not None
        inst = self.market.instrument
        if not preset.endswith("%"):
            return Decimal(preset)
        share = Decimal(preset[:-1]) / 100
        balances = self.orders.balances
        if side is Side.SELL:
            free = balances[inst.base].free if inst.base in balances else Decimal(0)
            return (free * share // inst.lot_size * inst.lot_size).quantize(inst.lot_size)
        free = balances[inst.quote].free if inst.quote in balances else Decimal(0)
        if not order_type.priced:
            book = self.market.book.book
            asks = (
                (book.prices.value(ticks), book.sizes.value(lots))
                for ticks, lots in book.top(Side.SELL, len(book.asks))
            )
            return affordable(free * share, asks, inst.lot_size, self.fee_rate(order_type))
        if not price:
            return Decimal(0)
        qty = free * share / (price * (1 + self.fee_rate(order_type)))
        return (qty // inst.lot_size * inst.lot_size).quantize(inst.lot_size)

    async def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Apply the quit policy, stand the switch down (the venue's own one is disarmed
        while its client is still open), stop looking orders up, close the venue and the
        journal, never waiting on the network for more than `timeout` seconds each: a venue
        that is unreachable must not hold the trader."""
        if self.config.on_quit == "cancel" and not self.read_only:
            await self.cancel_own(timeout)
        self.switch_left_armed = await self.deadman.stand_down()
        await self.orders.stop()
        try:
            await asyncio.wait_for(self.venue.close(), timeout)
        except TimeoutError:
            log.warning("the venue did not close within %.0fs; leaving it", timeout)
        for task in (self._folding, self._board_task, self._alerts_task):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if self.journal is not None:
            self.journal.close()

    async def cancel_own(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Cancel every open order this console placed (other programs' orders on the
        account are theirs to keep), waiting at most `timeout` seconds for the answers."""
        own = [o for o in self.orders.open_orders() if self.orders.placed_here(o)]
        if not own:
            return
        log.warning("cancelling the %d orders this console placed before it goes", len(own))
        cancels = [self.orders.cancel(o.client_order_id) for o in own]
        try:
            results = await asyncio.wait_for(
                asyncio.gather(*cancels, return_exceptions=True), timeout
            )
        except TimeoutError:
            log.warning("cancels unanswered after %.0fs", timeout)
            return
        for order, result in zip(own, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("%s: not cancelled: %s", order.client_order_id, result)

    def left_behind(self) -> str | None:
        """What stays on the venue when the console goes, in a line for the trader."""
        resting = [o for o in self.orders.open_orders() if o.status not in UNRESOLVED]
        unknown = self.orders.unresolved()
        parts = []
        if resting:
            parts.append(f"{len(resting)} order{'s' * (len(resting) != 1)} resting")
        if unknown:
            ids = ", ".join(o.client_order_id for o in unknown)
            parts.append(f"{len(unknown)} whose outcome is UNKNOWN ({ids})")
        said = f"left on {self.venue.name}: " + " and ".join(parts) if parts else None
        if self.switch_left_armed is not None:
            return f"{said}; {self.switch_left_armed}" if said else self.switch_left_armed
        return said
