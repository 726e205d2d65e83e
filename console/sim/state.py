"""What the embedded exchange's engine holds: orders and order lists, accounts and their
holdings, each symbol's book with its queues, and the events it publishes. Amounts are
exact `Decimal`; prices and sizes on the book are integer ticks and lots."""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from console.book import OrderBook
from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce

FEE_PRECISION = Decimal("0.00000001")
FILLS_KEPT = 10_000
"""Trade history per account: the newest fills, enough for a client's myTrades paging."""
FINISHED_KEPT = 10_000
"""Finished orders (and order lists) remembered per account for queries; older ones are
forgotten, as a venue archives them, so days of synthetic flow hold memory flat."""


class RejectReason(enum.Enum):
    UNKNOWN_SYMBOL = "unknown symbol"
    PRICE_FILTER = "price off the tick grid or outside the price band"
    LOT_SIZE = "quantity off the lot grid or outside the size band"
    NOTIONAL = "notional below the minimum"
    INSUFFICIENT_BALANCE = "insufficient balance"
    WOULD_TAKE = "post-only order would take liquidity"
    DUPLICATE_ORDER = "client order id already in use by an open order"
    UNKNOWN_ORDER = "no such order"
    BAD_REQUEST = "malformed order"
    WOULD_TRIGGER = "stop order would trigger immediately"
    PRICE_RELATIONSHIP = "the legs' prices are on the wrong sides of the last price"
    NOT_AMENDABLE = "the new quantity must be below the current one and above the filled part"


class Reject(Exception):
    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        self.reason = reason
        super().__init__(detail or reason.value)


class ExecType(enum.StrEnum):
    NEW = "NEW"
    TRADE = "TRADE"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    REPLACED = "REPLACED"
    """The order's quantity was amended in place (it keeps its queue position)."""


@dataclass(slots=True, eq=False)
class EngineOrder:
    order_id: int
    client_order_id: str
    account: str
    symbol: str
    side: Side
    type: OrderType
    time_in_force: TimeInForce
    price_ticks: int | None
    qty_lots: int
    quote_qty: Decimal | None
    created_ms: int
    price: Decimal | None = None
    filled_lots: int = 0
    filled_quote: Decimal = Decimal(0)
    status: OrderStatus = OrderStatus.NEW
    updated_ms: int = 0
    locked: Decimal = Decimal(0)
    """What this order still holds locked: quote for a buy, base for a sell."""
    trigger: Trigger | None = None
    """A stop or take-profit order waits off the book until the last price reaches this."""
    list_id: int = -1
    pending: bool = False
    """A leg of an order list waiting for its working order to fill before it is placed."""
    working_ms: int | None = None
    """When the order started to work: at once, on its trigger, or when its list let it."""

    @property
    def remaining_lots(self) -> int:
        return self.qty_lots - self.filled_lots

    @property
    def is_open(self) -> bool:
        return self.status in (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED)

    @property
    def waiting(self) -> bool:
        """Open but not working: a stop not yet triggered, or a pending list leg."""
        return self.is_open and (self.pending or self.working_ms is None)


@dataclass(slots=True, frozen=True)
class Trigger:
    ticks: int
    price: Decimal
    above: bool
    """Fires when the last price rises to the trigger (else when it falls to it)."""

    def fired(self, last_ticks: int) -> bool:
        return last_ticks >= self.ticks if self.above else last_ticks <= self.ticks


class ListKind(enum.StrEnum):
    OCO = "OCO"
    """Two legs at once; when either trades or triggers, the other expires."""
    OTO = "OTO"
    """A working order whose fill places the pending leg (or an OCO pair: OTOCO)."""


@dataclass(slots=True, eq=False)
class OrderList:
    list_id: int
    client_id: str
    kind: ListKind
    symbol: str
    account: str
    working: EngineOrder | None
    """The order the pending legs wait on (OTO); None for an OCO."""
    legs: list[EngineOrder]
    """The contingent legs: one for OTO, two one-cancels-other legs for OCO and OTOCO."""
    created_ms: int
    updated_ms: int
    done: bool = False

    @property
    def orders(self) -> list[EngineOrder]:
        return [self.working, *self.legs] if self.working is not None else list(self.legs)

    @property
    def is_open(self) -> bool:
        return any(o.is_open for o in self.orders)


@dataclass(slots=True, frozen=True)
class Leg:
    """One order of a list as requested: what `Engine.place` takes, for an order not yet made."""

    side: Side
    type: OrderType
    qty: Decimal
    price: Decimal | None = None
    stop_price: Decimal | None = None
    trigger_above: bool = False
    time_in_force: TimeInForce = TimeInForce.GTC
    client_order_id: str | None = None


@dataclass(slots=True)
class Holding:
    free: Decimal = Decimal(0)
    locked: Decimal = Decimal(0)


@dataclass(slots=True)
class Account:
    name: str
    maker_fee: Decimal
    taker_fee: Decimal
    holdings: dict[str, Holding] = field(default_factory=dict)
    open_orders: dict[int, EngineOrder] = field(default_factory=dict)
    cancel_deadline_ms: int | None = None
    cancel_at_most: int | None = None
    fills: deque[Fill] = field(default_factory=lambda: deque(maxlen=FILLS_KEPT))
    finished: deque[int] = field(default_factory=deque)
    """Ids of this account's finished orders, oldest first."""
    finished_lists: deque[int] = field(default_factory=deque)
    number: int = 0
    """The account's id as a number, as venues write it (WEEX's `accountId`)."""

    def holding(self, asset: str) -> Holding:
        holding = self.holdings.get(asset)
        if holding is None:
            holding = self.holdings[asset] = Holding()
        return holding


@dataclass(slots=True, frozen=True)
class Execution:
    trade_id: int
    price: Decimal
    qty: Decimal
    fee: Decimal
    fee_asset: str
    is_maker: bool


@dataclass(slots=True, frozen=True)
class BookChanged:
    symbol: str
    update_id: int
    changes: list[tuple[Side, int, int]]
    """(side, ticks, lots) with absolute sizes; 0 lots means the level is gone."""


@dataclass(slots=True, frozen=True)
class TradePrinted:
    symbol: str
    trade_id: int
    price: Decimal
    qty: Decimal
    taker_side: Side
    time_ms: int
    taker_order_id: int = 0
    """Fills of one taker order at one price make one aggregate trade."""


@dataclass(slots=True, frozen=True)
class OrderChanged:
    order: EngineOrder
    exec_type: ExecType
    time_ms: int
    fill: Execution | None = None
    reject_reason: str = "NONE"


@dataclass(slots=True, frozen=True)
class BalancesChanged:
    account: str
    balances: dict[str, tuple[Decimal, Decimal]]
    """asset -> (free, locked) after the change."""
    time_ms: int


@dataclass(slots=True, frozen=True)
class ListChanged:
    order_list: OrderList
    time_ms: int


@dataclass(slots=True, frozen=True)
class Fill:
    """One side of a trade as its account sees it, for the account's trade history."""

    symbol: str
    order_id: int
    list_id: int
    side: Side
    execution: Execution
    time_ms: int


Event = BookChanged | TradePrinted | OrderChanged | BalancesChanged | ListChanged


class SymbolBook:
    """One symbol's resting orders: the L2 view plus a FIFO queue per level."""

    def __init__(self, instrument: Instrument, lot_parts: int = 1) -> None:
        """`lot_parts`: how many units the engine divides a lot into. An order is sized in
        whole lots, but a venue that spends a quote-sized market buy to the last cent
        (Huobi) trades below its lot, so its books count in parts of one."""
        self.instrument = instrument
        self.l2 = OrderBook(
            instrument.symbol, instrument.tick_size, instrument.lot_size / lot_parts
        )
        self.lot_parts = lot_parts
        self.l2.last_update_id = 0
        self.queues: dict[tuple[Side, int], deque[EngineOrder]] = {}
        self.last_price: Decimal | None = None
        self.triggers: list[EngineOrder] = []
        """Stop and take-profit orders waiting for the last price."""

    @property
    def unit(self) -> Decimal:
        """What one of the engine's lots holds: the instrument's lot, or a part of it."""
        return self.l2.sizes.increment

    def units(self, qty: Decimal) -> int:
        """`qty` in the engine's units; ValueError unless it is a whole number of lots."""
        if qty % self.instrument.lot_size:
            raise ValueError(f"{qty} is not a multiple of {self.instrument.lot_size}")
        return self.l2.sizes.of(qty)
