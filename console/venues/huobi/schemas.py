"""Huobi wire shapes as msgspec structs, names as the document spells them.

Market numbers arrive as JSON numbers and decode straight to `Decimal` (exactly as sent),
the book's levels kept as the text sent; account figures arrive as strings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Generic, TypeVar

import msgspec

T = TypeVar("T")
NOTHING = msgspec.Raw(b"null")
"""An absent field kept raw (a `Raw | None` union does not decode)."""


def present(raw: msgspec.Raw) -> bool:
    return bytes(raw) != b"null"


class Ok(msgspec.Struct, Generic[T]):
    """v1 success: `{"status": "ok", "data": ...}`."""

    data: T
    status: str = "ok"


class TickAnswer(msgspec.Struct, Generic[T]):
    """v1 market data with a `tick`: `{"status": "ok", "ch": ..., "ts": ..., "tick": ...}`."""

    tick: T
    ch: str = ""
    ts: int = 0


class V2(msgspec.Struct, Generic[T]):
    """v2 success: `{"code": 200, "data": ...}`."""

    code: int
    data: T


class ErrorBody(msgspec.Struct):
    """v1 `{"status":"error","err-code","err-msg"}` or v2 `{"code","message"}`."""

    status: str | None = None
    err_code: str | None = msgspec.field(default=None, name="err-code")
    err_msg: str | None = msgspec.field(default=None, name="err-msg")
    code: int | str | None = None
    message: str | None = None


class Symbol(msgspec.Struct, rename="kebab"):
    symbol: str
    base_currency: str
    quote_currency: str
    price_precision: int
    amount_precision: int
    state: str = "online"
    min_order_amt: Decimal = Decimal(0)
    max_order_amt: Decimal = Decimal(0)
    min_order_value: Decimal = Decimal(0)
    max_order_value: Decimal = Decimal(0)


class Account(msgspec.Struct):
    id: int
    type: str
    state: str = "working"


class FeeRateRow(msgspec.Struct):
    """GET /v2/reference/transact-fee-rate: the `actual` rates are what the account pays
    after deductions."""

    symbol: str
    actualMakerRate: Decimal
    actualTakerRate: Decimal


class BalanceRow(msgspec.Struct):
    currency: str
    type: str
    balance: str


class AccountBalance(msgspec.Struct):
    id: int
    rows: list[BalanceRow] = msgspec.field(name="list")


class TradeRow(msgspec.Struct):
    price: Decimal
    amount: Decimal
    direction: str
    ts: int
    trade_id: int | None = msgspec.field(default=None, name="trade-id")
    tradeId: int | None = None
    id: int | None = None

    @property
    def number(self) -> int:
        return self.trade_id or self.tradeId or self.id or 0


class TradeGroup(msgspec.Struct):
    data: list[TradeRow]
    ts: int = 0


class TickerRow(msgspec.Struct):
    """One symbol of `GET /market/tickers`: the last 24 hours, numbers as JSON numbers."""

    symbol: str
    open: Decimal
    close: Decimal
    amount: Decimal  # base volume


class Bar(msgspec.Struct):
    id: int  # open time, epoch seconds
    open: Decimal
    close: Decimal
    low: Decimal
    high: Decimal
    amount: Decimal  # base volume
    vol: Decimal = Decimal(0)  # quote volume


class OrderRow(msgspec.Struct, rename="kebab"):
    id: int
    symbol: str
    amount: str
    type: str
    state: str
    price: str = "0"
    created_at: int = 0
    client_order_id: str = ""
    filled_amount: str | None = None
    filled_cash_amount: str | None = None
    field_amount: str | None = None
    field_cash_amount: str | None = None
    finished_at: int = 0
    canceled_at: int = 0
    stop_price: str | None = None
    operator: str | None = None
    """`gte` or `lte`: which way a stop-limit order's price must move to its stop price."""


class MatchRow(msgspec.Struct, rename="kebab"):
    """A row of GET /v1/order/matchresults: one fill of the account."""

    id: int
    """The record's own id (a fill's key with `order-id` and `trade-id`)."""
    symbol: str
    order_id: int
    trade_id: int
    type: str
    price: str
    filled_amount: str
    filled_fees: str
    role: str
    created_at: int
    fee_currency: str = ""
    """Absent from the document's own examples: then the fee is in the asset received (the
    base for a buy, the quote for a sell), as the document's field table says."""


class Detail(msgspec.Struct):
    open: Decimal
    close: Decimal
    high: Decimal
    low: Decimal
    amount: Decimal


class Bbo(msgspec.Struct):
    bid: Decimal
    bidSize: Decimal
    ask: Decimal
    askSize: Decimal
    symbol: str = ""


class Mbp(msgspec.Struct):
    """An MBP refresh or increment with each number kept as the text the venue sent, so
    the book reads its digits exactly, with no Decimal in between."""

    seqNum: int
    bids: list[tuple[msgspec.Raw, msgspec.Raw]] = []
    asks: list[tuple[msgspec.Raw, msgspec.Raw]] = []
    prevSeqNum: int | None = None


class MarketFrame(msgspec.Struct):
    """Anything on `/ws` or `/feed`: a ping, an answer (`subbed`, `rep`, an error) or a push."""

    ping: int | None = None
    ch: str | None = None
    tick: msgspec.Raw = NOTHING
    id: str | int | None = None
    status: str | None = None
    rep: str | None = None
    data: msgspec.Raw = NOTHING
    err_code: str | None = msgspec.field(default=None, name="err-code")
    err_msg: str | None = msgspec.field(default=None, name="err-msg")


class FeedFrame(MarketFrame):
    """Anything on `/feed`, where nearly every frame is an MBP increment: its tick is read
    in the same pass as the frame."""

    tick: Mbp | None = None  # type: ignore[assignment]


class AccountFrame(msgspec.Struct):
    """Anything on `/ws/v2`: a ping, an answer to auth or sub, or a push."""

    action: str
    ch: str | None = None
    code: int | None = None
    message: str | None = None
    data: msgspec.Raw = NOTHING


class Ping(msgspec.Struct):
    ts: int


class OrderEvent(msgspec.Struct):
    """A push of `orders#symbol`: creation, trade or cancellation; for a stop order not yet
    triggered, deletion (cancelled) or trigger (it failed), which carry no order id."""

    eventType: str
    symbol: str
    orderId: int = 0
    clientOrderId: str = ""
    orderSide: str = ""
    type: str = ""
    orderStatus: str = ""
    orderPrice: str | None = None
    orderSize: str | None = None
    orderValue: str | None = None
    tradePrice: str | None = None
    tradeVolume: str | None = None
    execAmt: str | None = None
    """What has executed so far: an amount, or for a buy-market order a value."""
    orderCreateTime: int | None = None
    tradeTime: int | None = None
    lastActTime: int | None = None
    errMessage: str = ""
    """Why a stop order failed as it triggered (a `trigger` event)."""


class ClearingEvent(msgspec.Struct):
    """A push of `trade.clearing#symbol#mode`: one fill with its fee."""

    eventType: str
    symbol: str
    orderId: int
    orderSide: str
    clientOrderId: str = ""
    orderType: str = ""
    orderStatus: str = ""
    tradePrice: str = "0"
    tradeVolume: str = "0"
    tradeId: int = 0
    tradeTime: int = 0
    aggressor: bool = False
    transactFee: str = "0"
    feeCurrency: str = ""
    orderPrice: str | None = None
    orderSize: str | None = None
    orderValue: str | None = None
    orderCreateTime: int = 0
    stopPrice: str | None = None
    operator: str | None = None


class AccountUpdate(msgspec.Struct):
    """A push of `accounts.update#2`: a currency's total and available balance."""

    currency: str
    balance: str | None = None
    available: str | None = None
