"""Binance spot wire schemas: msgspec Structs in Binance's own field names.

Decoded straight from the bytes by typed decoders, so the hot path never walks a dict.
Unknown fields are ignored (Binance adds fields); a wrong type or a missing field fails the
decode, and the stream counts and skips that frame.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from console.model import BookDelta, Level

# -- REST ---------------------------------------------------------------------------------


class ErrorBody(msgspec.Struct):
    code: int
    msg: str


class Filter(msgspec.Struct):
    filterType: str  # PRICE_FILTER, LOT_SIZE, NOTIONAL, MIN_NOTIONAL, ...
    minPrice: str | None = None
    maxPrice: str | None = None
    tickSize: str | None = None
    minQty: str | None = None
    maxQty: str | None = None
    stepSize: str | None = None
    minNotional: str | None = None
    maxNotional: str | None = None


class SymbolInfo(msgspec.Struct):
    symbol: str
    status: str  # TRADING, BREAK, ...
    baseAsset: str
    quoteAsset: str
    filters: list[Filter]
    orderTypes: list[str] = []


class RateLimit(msgspec.Struct):
    rateLimitType: str  # REQUEST_WEIGHT, ORDERS, RAW_REQUESTS
    interval: str  # SECOND, MINUTE, DAY
    intervalNum: int
    limit: int


class ExchangeInfo(msgspec.Struct):
    serverTime: int
    rateLimits: list[RateLimit]
    symbols: list[SymbolInfo]


class ServerTime(msgspec.Struct):
    serverTime: int


class Depth(msgspec.Struct):
    lastUpdateId: int  # the book's update id at this snapshot
    bids: list[Level]
    asks: list[Level]


class AggTrade(msgspec.Struct):
    """A row of GET /api/v3/aggTrades, and the body of an `aggTrade` stream event: the
    fills of one taker order at one price."""

    a: int  # aggregate trade id
    p: str  # price
    q: str  # quantity
    T: int  # time of the last fill
    m: bool  # is the buyer the maker?
    s: str = ""  # symbol (stream events only)


class KlineRow(msgspec.Struct, array_like=True):
    open_ms: int
    open: str
    high: str
    low: str
    close: str
    volume: str
    close_ms: int
    quote_volume: str
    trades: int
    taker_buy_volume: str
    taker_buy_quote: str
    ignore: str


class OrderFill(msgspec.Struct):
    price: str
    qty: str
    commission: str
    commissionAsset: str
    tradeId: int


class OrderAnswer(msgspec.Struct):
    """POST/DELETE/GET order and openOrders rows; fields vary by call, so most are optional."""

    symbol: str
    orderId: int
    clientOrderId: str
    price: str = "0"
    origQty: str = "0"
    executedQty: str = "0"
    cummulativeQuoteQty: str = "0"
    status: str = "NEW"
    timeInForce: str = "GTC"
    type: str = "LIMIT"
    side: str = "BUY"
    origClientOrderId: str | None = None  # present on cancels: the order's own id
    transactTime: int | None = None
    time: int | None = None
    updateTime: int | None = None
    fills: list[OrderFill] = []
    stopPrice: str = "0"  # a stop or take-profit order's trigger


class ReplaceAnswer(msgspec.Struct):
    """POST /api/v3/order/cancelReplace (and `order.cancelReplace`) when both sides
    succeeded; a failure on either side comes as an error (-2021, -2022) instead."""

    cancelResponse: OrderAnswer
    newOrderResponse: OrderAnswer


ORDER_ANSWER = msgspec.json.Decoder(OrderAnswer, strict=False)
REPLACE_ANSWER = msgspec.json.Decoder(ReplaceAnswer, strict=False)
ORDER_ANSWERS = msgspec.json.Decoder(list[OrderAnswer], strict=False)
"""Order answers as recorded from the venue: a number may come as a string (`"orderId":
"9780331417"`, tests/data/recorded), and is read as the number it is."""


class MyTrade(msgspec.Struct):
    """A row of GET /api/v3/myTrades."""

    symbol: str
    id: int
    orderId: int
    price: str
    qty: str
    commission: str
    commissionAsset: str
    time: int
    isBuyer: bool
    isMaker: bool


class BalanceRow(msgspec.Struct):
    asset: str
    free: str
    locked: str


class CommissionRates(msgspec.Struct):
    maker: Decimal
    taker: Decimal


class AccountInfo(msgspec.Struct):
    balances: list[BalanceRow]
    canTrade: bool = True
    commissionRates: CommissionRates | None = None


# -- market streams ------------------------------------------------------------------------


class StreamFrame(msgspec.Struct):
    """Combined-stream envelope `{"stream": ..., "data": ...}`; control replies have no stream."""

    stream: str = ""
    data: msgspec.Raw = msgspec.Raw()  # empty when absent
    id: int | None = None
    error: ErrorBody | None = None


class DepthUpdate(
    BookDelta,
    frozen=True,
    gc=False,
    rename={"symbol": "s", "first_update_id": "U", "last_update_id": "u", "bids": "b", "asks": "a"},
):
    """A `depthUpdate` event decoded straight into the console's `BookDelta`, as Binance
    spells it (`s`, `U` the first update id, `u` the last, `b`, `a`): nothing to convert."""

    symbol: str
    first_update_id: int
    last_update_id: int
    bids: list[Level]
    asks: list[Level]


class DepthFrame(msgspec.Struct, gc=False):
    """A combined-stream frame known to carry a depth update: decoded in one pass."""

    stream: str
    data: DepthUpdate


class DayTicker(msgspec.Struct):
    """The `<symbol>@ticker` stream: the rolling 24 hours, pushed every second."""

    s: str  # symbol
    c: str  # last price
    o: str  # open price
    h: str  # high
    l: str  # low  # noqa: E741
    v: str  # base volume


class DayRow(msgspec.Struct):
    """One symbol of `GET /api/v3/ticker/24hr` asked without a symbol."""

    symbol: str
    lastPrice: str
    openPrice: str
    volume: str


class BookTicker(msgspec.Struct):
    """The `<symbol>@bookTicker` stream: pushed whenever the best bid or offer changes."""

    s: str
    b: str  # best bid
    B: str  # its quantity
    a: str  # best ask
    A: str  # its quantity


class KlineData(msgspec.Struct):
    t: int  # kline open time
    T: int  # kline close time
    s: str
    i: str  # interval
    o: str
    c: str
    h: str
    l: str  # noqa: E741
    v: str  # base volume
    n: int  # number of trades
    x: bool  # is this kline closed?


class KlineEvent(msgspec.Struct):
    e: str  # "kline"
    E: int
    s: str
    k: KlineData


# -- WebSocket API -------------------------------------------------------------------------


class WsApiFrame(msgspec.Struct):
    """Any WS-API frame: an answer (id, status), a user-data event, or a server notice."""

    id: int | str | None = None
    status: int | None = None
    result: msgspec.Raw = msgspec.Raw()  # empty when absent
    error: ErrorBody | None = None
    subscriptionId: int | None = None
    event: msgspec.Raw = msgspec.Raw()  # empty when absent


class ExecutionReport(msgspec.Struct, tag_field="e", tag="executionReport"):
    E: int  # event time
    s: str  # symbol
    c: str  # client order id (a cancel's own id when x is CANCELED)
    S: str  # side
    o: str  # order type
    f: str  # time in force
    q: str  # order quantity
    p: str  # order price
    C: str  # original client order id, set on cancels
    x: str  # execution type: NEW, TRADE, CANCELED, EXPIRED, REJECTED, ...
    X: str  # order status
    i: int  # order id
    l: str  # last executed quantity  # noqa: E741
    z: str  # cumulative filled quantity
    L: str  # last executed price
    n: str  # commission amount
    N: str | None  # commission asset
    T: int  # transaction time
    t: int  # trade id (-1 when no trade)
    m: bool  # is this trade the maker side?
    O: int  # order creation time  # noqa: E741
    Z: str  # cumulative quote quantity
    P: str = "0"  # stop price: a stop or take-profit order's trigger


class AccountBalance(msgspec.Struct):
    a: str  # asset
    f: str  # free
    l: str  # locked  # noqa: E741


class OutboundAccountPosition(msgspec.Struct, tag_field="e", tag="outboundAccountPosition"):
    E: int
    u: int  # time of last account update
    B: list[AccountBalance]


class BalanceUpdate(msgspec.Struct, tag_field="e", tag="balanceUpdate"):
    E: int
    a: str  # asset
    d: str  # balance delta


class EventStreamTerminated(msgspec.Struct, tag_field="e", tag="eventStreamTerminated"):
    E: int


class ServerShutdownEvent(msgspec.Struct, tag_field="e", tag="serverShutdown"):
    E: int


class ListStatus(msgspec.Struct, tag_field="e", tag="listStatus"):
    """An order list's state (an OCO pair's); its orders' own reports say what each did."""

    E: int


class ListAnswer(msgspec.Struct):
    """POST /api/v3/orderList/oco (and `orderList.place.oco`): the list and its orders."""

    orderListId: int
    listClientOrderId: str
    orderReports: list[OrderAnswer]


UserEvent = (
    ExecutionReport
    | OutboundAccountPosition
    | BalanceUpdate
    | EventStreamTerminated
    | ServerShutdownEvent
    | ListStatus
)


LIST_ANSWER = msgspec.json.Decoder(ListAnswer, strict=False)
