"""The trader's own trading as the screen shows it: fills, their news, positions and PnL."""

from decimal import Decimal as D

import msgspec

from console.model import Balance, Fill, OrderStatus, Side, Ticker
from console.trading import account
from console.trading.orders import OrderManager
from console.trading.session import TradingSession
from console.venues.binance.adapter import CAPABILITIES as BINANCE
from tests.fakes import a_buy
from tests.trading.test_views import BTC, market


class Venue:
    capabilities = BINANCE

    def __init__(self, history=()):
        self.history = list(history)

    async def fills(self, symbol, since_ms):
        return [f for f in self.history if f.symbol == symbol and f.time_ms >= since_ms]


class Session:
    """What the views read of a session: its orders, instruments, the market on screen and
    the board of every symbol's ticker (empty: only the market on screen has a price)."""

    price = TradingSession.price

    def __init__(self, manager, shown=None):
        self.orders = manager
        self.instruments = {"BTCUSDT": BTC}
        self.market = shown
        self.board = {}
        self._pairs = {("BTC", "USDT"): "BTCUSDT"}


def a_fill(trade, qty="0.5", price="100", side=Side.BUY, cid="c-1", fee="0.05", asset="USDT"):
    return Fill("BTCUSDT", f"o-{cid}", cid, trade, side, D(price), D(qty), D(fee), asset, True, 0)


def heard(manager, *fills, status=OrderStatus.PARTIALLY_FILLED):
    """Each fill with its order's update, the order held open before it."""
    for fill in fills:
        cid, oid = fill.client_order_id, fill.order_id
        manager.on_order(a_buy(cid, OrderStatus.NEW, order_id=oid), None)
        manager.on_order(a_buy(cid, status, order_id=oid, filled_qty=fill.qty), fill)


def test_an_orders_fills_are_told_in_one_line_with_their_average_price_and_fees():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1", "0.5", "100"))
    heard(manager, a_fill("2", "1.5", "104"), status=OrderStatus.FILLED)
    news = account.new_fills(Session(manager), seen=0)
    assert news.heard == 2
    assert news.lines == ("FILLED BUY 2.000 BTCUSDT @ 103.00 (2 fills) · fee 0.1 USDT",)


def test_only_the_fills_after_those_seen_are_news():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1"), a_fill("2", cid="c-2"))
    news = account.new_fills(Session(manager), seen=1)
    assert news.lines == ("FILL BUY 0.500 BTCUSDT @ 100.00 · fee 0.05 USDT",)
    assert account.new_fills(Session(manager), seen=2).lines == ()


def test_the_fills_panel_lists_the_newest_first_from_where_it_is_scrolled():
    manager = OrderManager(Venue())
    heard(manager, *(a_fill(str(n)) for n in range(5)))
    view = account.fills(Session(manager), first=1, lines=2)
    assert [row.fill.trade_id for row in view.rows] == ["3", "2"]
    assert (view.held, view.first) == (5, 1)


def test_an_orders_fees_are_a_new_mapping_after_each_fill_so_a_view_holding_one_stays_as_it_was():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1"))
    before = manager.fees["c-1"]
    heard(manager, a_fill("2"))
    assert before == {"USDT": D("0.05")}
    assert manager.fees["c-1"] == {"USDT": D("0.10")}


def test_a_position_is_valued_at_the_mid_with_a_base_fee_priced_there():
    manager = OrderManager(Venue())
    manager.on_balances([Balance("BTC", D("1.999"), D(0))])
    heard(manager, a_fill("1", "2", "95", fee="0.001", asset="BTC"))
    (row,) = account.positions(Session(manager, market())).rows  # mid 100
    assert (row.holding, row.qty, row.entry, row.mark) == (D("1.999"), D(2), D(95), D(100))
    assert row.unrealised == D(10)
    assert row.net == D(10) - D("0.1")


def test_a_fee_in_a_third_asset_leaves_the_net_unvalued_rather_than_guessed():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1", fee="0.01", asset="BNB"))
    (row,) = account.positions(Session(manager, market())).rows
    assert row.net is None
    assert row.fees == "0.01 BNB"


def test_a_symbol_not_on_screen_has_no_mark_and_no_unrealised_figure():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1"))
    (row,) = account.positions(Session(manager)).rows
    assert (row.mark, row.unrealised, row.net) == (None, None, None)


def test_a_symbol_not_on_screen_is_valued_at_its_last_price_on_the_board():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1", qty="1", price="100", fee="0"))
    session = Session(manager)
    session.board = {"BTCUSDT": Ticker("BTCUSDT", D(104), D(100))}
    (row,) = account.positions(session).rows
    assert (row.mark, row.unrealised, row.net) == (D(104), D(4), D(4))


async def test_the_venues_history_sets_the_entry_but_not_this_sessions_pnl():
    bought_yesterday = a_fill("1", "1", "90", cid="old", fee="0")
    manager = OrderManager(Venue([bought_yesterday]))
    assert await manager.load_history("BTCUSDT", since_ms=0) == 1
    heard(manager, a_fill("2", "1", "110", side=Side.SELL, fee="0"))
    session = Session(manager, market())
    (row,) = account.positions(session).rows
    assert (row.qty, row.realised) == (D(0), D(20))
    pnl = account.session_pnl(session)
    assert pnl.totals == (("USDT", D(10)),)  # sold at 110 what is worth 100 now


def test_no_session_pnl_before_the_first_fill():
    assert account.session_pnl(Session(OrderManager(Venue()), market())) is None


def test_a_symbol_traded_this_session_that_cannot_be_valued_is_named():
    manager = OrderManager(Venue())
    heard(manager, a_fill("1"))
    pnl = account.session_pnl(Session(manager))
    assert (pnl.totals, pnl.unpriced) == ((), ("BTCUSDT",))


def test_fees_are_kept_for_the_orders_held_alone():
    manager = OrderManager(Venue())
    manager.on_order(
        a_buy("theirs", OrderStatus.FILLED, order_id="o-theirs"), a_fill("1", cid="theirs")
    )
    assert manager.fees == {}
    assert len(manager.fills) == 1


def test_fees_of_an_order_let_go_are_let_go_with_it():
    manager = OrderManager(Venue(), keep_finished=1)
    heard(manager, a_fill("1", cid="a"), status=OrderStatus.FILLED)
    heard(manager, a_fill("2", cid="b"), status=OrderStatus.FILLED)
    assert list(manager.fees) == ["b"]


def test_a_fill_without_a_fee_adds_no_fee():
    manager = OrderManager(Venue())
    heard(manager, msgspec.structs.replace(a_fill("1"), fee=D(0)))
    assert manager.fees == {}


def test_the_watchlist_reads_the_board_and_the_symbol_on_screen_its_last_print():
    session = Session(OrderManager(Venue()), market())
    session.instruments["ETHUSDT"] = msgspec.structs.replace(BTC, symbol="ETHUSDT", base="ETH")
    session.board = {
        "ETHUSDT": Ticker("ETHUSDT", D(3300), D(3000)),
        "BTCUSDT": Ticker("BTCUSDT", D(100), D(80)),
    }
    eth, btc, nope = account.watchlist(session, ("ETHUSDT", "BTCUSDT", "NOPEUSDT")).rows
    assert (eth.last, eth.change, eth.on_screen) == (D(3300), D(10), False)
    assert (btc.last, btc.change, btc.on_screen) == (D(100), D(25), True)  # no print yet
    assert (nope.last, nope.change) == (None, None)
