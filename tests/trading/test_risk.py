"""Pre-trade checks: each rule refuses with a reason the trader can act on."""

from decimal import Decimal as D

from console.config import RiskLimits
from console.model import Instrument, OrderType, Side
from console.trading.risk import affordable, check_order, step, typing_problem

BTC = Instrument(
    "BTCUSDT",
    "BTC",
    "USDT",
    D("0.01"),
    D("0.00001"),
    D("0.00001"),
    D(9000),
    D(5),
    D("0.01"),
    D(1_000_000),
)
LIMITS = RiskLimits(max_notional=D(50_000), price_band_pct=D(5))


FEE = D("0.001")


def check(
    price="65000.00",
    qty="0.01",
    order_type=OrderType.LIMIT,
    side=Side.BUY,
    best_opposite=None,
    fee_rate=FEE,
):
    return check_order(
        BTC,
        side,
        order_type,
        None if price is None else D(price),
        None if qty is None else D(qty),
        LIMITS,
        D(65000),
        best_opposite,
        fee_rate,
    )


def test_good_order_passes_with_notional_and_fee():
    verdict = check()
    assert verdict.ok
    assert (verdict.notional, verdict.fee) == (D("650.0000000"), D("0.65000000"))


def test_price_off_tick():
    assert check(price="65000.005").problems == ["price must be a multiple of the tick 0.01"]


def test_size_off_lot():
    assert check(qty="0.010005").problems == ["size must be a multiple of the lot 0.00001"]


def test_notional_below_minimum():
    assert check(qty="0.00001").problems == ["notional 0.65 under the minimum 5.00"]


def test_notional_above_the_traders_limit():
    assert check(qty="1").problems == ["notional 65,000.00 over your limit 50,000"]


def test_fat_finger_price_far_from_the_mid():
    assert check(price="75000.00").problems == ["price is 15.4% from the mid (limit 5%)"]


def test_post_only_that_would_take():
    problems = check(order_type=OrderType.POST_ONLY, best_opposite=D("64999.00")).problems
    assert problems == ["post-only would take liquidity: the venue refuses it"]


def test_market_order_is_valued_at_the_opposite_touch():
    verdict = check(price=None, order_type=OrderType.MARKET, best_opposite=D("65010.00"))
    assert verdict.ok and verdict.notional == D("650.1000000")


def test_missing_fields_are_named():
    assert check(price=None, qty=None).problems == ["price is required", "size is required"]


def test_step_moves_by_increments_and_snaps_to_the_grid():
    assert step(D("100.00"), D("0.01"), 1) == D("100.01")
    assert step(D("100.005"), D("0.01"), 1) == D("100.01")
    assert step(D("100.005"), D("0.01"), -1) == D("99.99")
    assert step(D("0.01"), D("0.01"), -5) == D("0.01")


def test_typing_takes_digits_and_one_point_within_the_instruments_precision():
    assert typing_problem("65012.34", D("0.01"), D(1_000_000), "price") is None
    assert typing_problem("", D("0.01"), D(1_000_000), "price") is None
    assert typing_problem(".5", D("0.1"), D(0), "size") is None


def test_typing_refuses_what_is_not_a_plain_decimal():
    assert typing_problem("1e-3", D("0.001"), D(0), "size") == (
        "size '1e-3': 'e' is not taken, digits and one '.' only"
    )
    assert typing_problem("-5", D("1"), D(0), "size").startswith("size '-5': '-' is not taken")
    assert typing_problem("1.2.", D("0.01"), D(0), "price") == "a price has one decimal point"


def test_a_comma_is_neither_a_decimal_point_nor_a_thousands_separator():
    for text in ("0,5", "1,000"):
        assert typing_problem(text, D("0.001"), D(0), "size") == (
            f"size {text!r}: the decimal point is '.', and no ',' between thousands"
        )


def test_typing_refuses_more_precision_or_digits_than_the_venue_allows():
    assert typing_problem("65012.345", D("0.01"), D(1_000_000), "price") == (
        "a price has at most 2 decimals here (step 0.01)"
    )
    assert typing_problem("1" * 8, D("0.01"), D(1_000_000), "price") == (
        "a price has at most 7 digits before the point here"
    )
    assert typing_problem("9" * 27, D("0.01"), D(0), "price") == (
        "a price has at most 12 digits before the point here"
    )


def test_an_absurd_size_is_refused_not_raised():
    verdict = check(price="65000.00", qty="9" * 30)
    assert not verdict.ok


def test_what_a_budget_buys_walks_the_asks_and_pays_the_fee():
    asks = [(D(100), D(1)), (D(110), D(2))]
    assert affordable(D("100.1"), asks, D("0.01"), FEE) == D("1.00")  # the first level, fee paid
    assert affordable(D("199.199"), asks, D("0.01"), FEE) == D("1.90")  # 100.1 + 0.9 × 110.11
    assert affordable(D(10_000), asks, D("0.01"), FEE) == D("3.00")  # no more than the book has
    assert affordable(D(50), [], D("0.01"), FEE) == D("0.00")


def test_the_fee_estimate_is_the_rate_given():
    assert check(fee_rate=D("0.002")).fee == D("1.30000000")  # Huobi's base tier on 650


def test_a_notional_over_the_limit_is_worded_to_the_tick_and_never_as_the_limit_itself():
    market = check(price=None, qty="0.4", order_type=OrderType.MARKET, best_opposite=D("125000.01"))
    assert market.problems == ["notional 50,000.01 over your limit 50,000"]  # 50,000.004


def stop(order_type, side, trigger, price="64000.00", qty="0.01"):
    return check_order(
        BTC,
        side,
        order_type,
        None if price is None else D(price),
        D(qty),
        LIMITS,
        D(65000),
        None,
        FEE,
        None if trigger is None else D(trigger),
    )


def test_a_stop_sell_waits_below_the_market_and_a_take_profit_sell_above():
    assert stop(OrderType.STOP_LIMIT, Side.SELL, "64500.00").ok
    assert stop(OrderType.TAKE_PROFIT_LIMIT, Side.SELL, "65500.00", "65400.00").ok
    assert stop(OrderType.STOP_LIMIT, Side.SELL, "65100.00").problems == [
        "the trigger 65100.00 must be below the mid 65000: it would fire at once"
    ]
    assert stop(OrderType.TAKE_PROFIT_MARKET, Side.BUY, "65100.00", None).problems == [
        "the trigger 65100.00 must be below the mid 65000: it would fire at once"
    ]
    assert stop(OrderType.STOP_MARKET, Side.BUY, "65100.00", None).ok


def test_a_trigger_is_required_and_on_the_tick():
    assert stop(OrderType.STOP_LIMIT, Side.SELL, None).problems == ["trigger price is required"]
    assert stop(OrderType.STOP_LIMIT, Side.SELL, "64500.005").problems == [
        "trigger must be a multiple of the tick 0.01"
    ]


def test_a_stop_at_market_is_reckoned_at_its_trigger():
    verdict = stop(OrderType.STOP_MARKET, Side.SELL, "60000.00", None, "0.5")
    assert verdict.ok and verdict.notional == D("30000.0000000")
