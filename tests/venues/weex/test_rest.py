"""The WEEX REST layer against the simulator's WEEX dialect over loopback: signing, the
envelope, refusals mapped to the console's errors, and the FAQ's order budget."""

from decimal import Decimal

import pytest

from console.errors import AuthError, InvalidOrder, RateLimited
from console.net.clock import TimeSync
from console.net.limiter import Limiter
from console.net.rest import RestClient
from console.sim.exchange import TRADER_ACCOUNT
from console.venues.weex.rest import WeexCredentials, WeexDialect, WeexRest, buckets


def below_the_bid(sim, ticks):
    l2 = sim.exchange.engine.books["BTCUSDT"].l2
    return str(l2.prices.value(l2.best_bid - ticks))


def order(sim, client_id, ticks=100):
    return {
        "symbol": "BTCUSDT_SPBL",
        "side": "buy",
        "orderType": "limit",
        "force": "normal",
        "price": below_the_bid(sim, ticks),
        "quantity": "0.001",
        "clientOrderId": client_id,
    }


async def test_products_and_time_come_out_of_the_envelope(rest):
    products = {p.symbol: p for p in await rest.products()}
    assert products["BTCUSDT_SPBL"].baseCoin == "BTC"
    assert await rest.server_time() > 1_600_000_000_000


async def test_a_refusal_in_the_envelope_is_the_consoles_error(rest):
    with pytest.raises(InvalidOrder) as refused:
        await rest.market_fills("NOPE_SPBL", 1)
    assert refused.value.code == "40102"


async def test_a_wrong_passphrase_is_an_authentication_error(sim):
    wrong = WeexCredentials("weex-key", "weex-secret", "notIt")
    client = RestClient(sim.base_url, WeexDialect(wrong, TimeSync()), Limiter(buckets()))
    with pytest.raises(AuthError) as refused:
        await WeexRest(client).assets()
    await client.close()
    assert refused.value.code == "40012"


async def test_an_order_is_placed_found_listed_and_cancelled(sim, rest):
    placed = await rest.place(order(sim, "tc-rest-1"))
    (row,) = await rest.order("BTCUSDT_SPBL", "tc-rest-1")
    assert (row.orderId, row.status, row.quantity) == (placed.orderId, "new", "0.001")
    assert [r.orderId for r in await rest.open_orders("BTCUSDT_SPBL")] == [placed.orderId]
    assert await rest.cancel("BTCUSDT_SPBL", placed.orderId) == placed.orderId
    assert await rest.open_orders("BTCUSDT_SPBL") == []


async def test_assets_show_the_locked_quote_of_a_resting_buy(sim, rest):
    await rest.place(order(sim, "tc-rest-2"))
    usdt = next(a for a in await rest.assets() if a.coinName == "usdt")
    assert Decimal(usdt.frozen) == Decimal(below_the_bid(sim, 100)) * Decimal("0.001")


async def test_a_listen_key_is_created_kept_alive_and_closed(rest):
    key = await rest.create_listen_key()
    await rest.keep_listen_key(key)
    await rest.close_listen_key(key)
    with pytest.raises(InvalidOrder):
        await rest.keep_listen_key(key)


async def test_past_the_faqs_hundred_orders_a_minute_the_next_is_refused_unsent(sim, rest):
    limiter = rest.client.limiter
    places = limiter.buckets["places"]
    places.tokens, places.updated = 0, limiter.clock()  # a hundred orders just went
    with pytest.raises(RateLimited):
        await rest.place(order(sim, "tc-rest-3"))
    assert sim.exchange.engine.open_orders(TRADER_ACCOUNT) == []
