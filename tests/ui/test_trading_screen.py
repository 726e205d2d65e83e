"""The trading screen driven by keys only, against the embedded simulator."""

import itertools
import re
from collections import Counter
from decimal import Decimal

from textual import events
from textual.command import CommandPalette
from textual.widgets import OptionList

from console.config import Config, Locations, RiskLimits
from console.launch import build
from console.model import OrderStatus, Side
from console.net.stream import StreamState
from console.ui.app import QUIT_WAIT, TradingApp
from console.ui.keymaps import load_keymap
from console.ui.screens.confirm import Confirm, TypedConfirm
from console.ui.screens.help import Help
from console.ui.widgets.orderbook import OrderBookLadder
from console.ui.widgets.orders import OpenOrders
from console.ui.widgets.ticket import OrderTicket
from console.venues.feeds import BookState
from tests.fakes import until
from tests.ui.conftest import make_app, ready


def best(session, side):
    book = session.market.book.book
    ticks = book.best_bid if side is Side.BUY else book.best_ask
    return book.prices.value(ticks)


async def type_text(pilot, text):
    for char in text:
        await pilot.press({".": "full_stop", "-": "minus"}.get(char, char))


async def send_when_ready(app, pilot):
    """Enter once the ticket says it sends: a book gone STALE on a busy machine asks first."""
    await until(lambda: str(app.query_one("#problem").render()).startswith("✓"))
    await pilot.press("enter")


async def ticket_at_best(pilot, side="b", best="B", *steps):
    """Open a ticket, leave its price field for its commands, take the best price, step it,
    and move on to the size field."""
    await pilot.press(side, "escape", best, *steps, "tab", "tab")


async def test_order_by_keys_shows_in_orders_and_ladder_then_cancels(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        session = app.session
        await ticket_at_best(pilot, "b", "B", *["pagedown"] * 10, "down")
        await type_text(pilot, "0.01")
        shown_price = app.query_one(OrderTicket).price_field.decimal
        await pilot.press("enter")
        await until(lambda: session.orders.open_orders())
        (order,) = session.orders.open_orders()
        assert (order.side, order.qty, order.status) == (Side.BUY, Decimal("0.01"), OrderStatus.NEW)
        assert order.price == shown_price
        assert order.price < best(session, Side.BUY)
        ladder = app.query_one(OrderBookLadder)
        await pilot.press("escape", "escape", *["plus"] * 4)  # 25-tick levels: the order in view
        await until(lambda: ladder.view.step == 25 * session.market.instrument.tick_size)
        await until(lambda: any(level.own for level in ladder.view.bids))
        table = app.query_one(OpenOrders).query_one("DataTable")
        await until(lambda: table.row_count == 1)
        await pilot.press("escape", "o", "x")
        await until(lambda: not session.orders.open_orders())
        assert session.orders.orders[order.client_order_id].status is OrderStatus.CANCELED


async def test_what_came_of_enter_is_said_on_the_ticket_until_the_ticket_changes(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await ticket_at_best(pilot, "b", "B", *["pagedown"] * 10)
        await type_text(pilot, "0.01")
        await send_when_ready(app, pilot)
        line = app.query_one("#problem")
        price = app.query_one(OrderTicket).price_field.decimal
        await until(lambda: f"✓ sent: NEW 0.01000 @ {price:,}" in str(line.render()))
        assert not [n for n in app._notifications if "BTCUSDT NEW" in n.message]
        await type_text(pilot, "2")
        await until(lambda: "✓ ready: enter to submit" in str(line.render()))


async def test_fill_moves_the_balances(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        orders = app.session.orders
        btc_before = orders.balances["BTC"].free
        await ticket_at_best(pilot, "b", "A")
        await type_text(pilot, "0.002")
        await send_when_ready(app, pilot)
        await until(
            lambda: (
                orders.balances["BTC"].free - btc_before
                == Decimal("0.002") - sum(f.fee for f in orders.fills)
            )
        )
        assert sum(f.qty for f in orders.fills) == Decimal("0.002")


def palette_has_a_match(app):
    """The palette (or the symbol picker) lists a match, highlighted for enter."""
    if not isinstance(app.screen, CommandPalette):
        return False
    results = app.screen.query_one(OptionList)
    return results.option_count > 0 and results.highlighted is not None


async def test_symbol_picker_switches_the_market(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "ethusdt")
        await until(lambda: palette_has_a_match(app))
        await pilot.press("enter")
        await until(lambda: app.session.market.instrument.symbol == "ETHUSDT")
        await until(lambda: app.session.market.book.state is BookState.LIVE)


async def test_a_silent_venue_shows_the_book_stale_while_connected_and_the_ticket_warns(
    app_and_launch,
):
    app, launch = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ladder = app.query_one(OrderBookLadder)
        book = app.session.market.book
        chaos = launch.server.exchange.chaos
        chaos.go_dark()
        await until(lambda: "STALE · venue silent · not live" in ladder.text())
        market = next(s for s in app.session.venue.streams if s.name == "market")
        assert market.state is StreamState.STALE  # the quiet detector, not a reconnect
        await until(lambda: "book STALE" in str(app.query_one("#status").render()))
        await ticket_at_best(pilot)
        await type_text(pilot, "0.01")
        await until(lambda: "⚠ book STALE" in str(app.query_one("#problem").render()))
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, Confirm))
        assert "the book is STALE" in str(app.screen.query("Static")[1].render())
        await pilot.press("n")
        chaos.come_back()
        await until(lambda: book.state is BookState.LIVE)
        assert app.session.orders.orders == {}


async def test_refused_ticket_sends_nothing(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await ticket_at_best(pilot)
        await type_text(pilot, "0.00001")
        await until(lambda: "under the minimum" in str(app.query_one("#problem").render()))
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.orders.orders == {}


async def test_escape_leaves_the_field_then_the_ticket_and_never_trades(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await ticket_at_best(pilot)
        await type_text(pilot, "0.01")
        await pilot.press("escape")
        assert app.focused is ticket
        await pilot.press("escape")
        assert app.focused is app.query_one(OrderBookLadder)
        assert app.session.orders.orders == {}


async def test_keys_typed_in_a_field_edit_it_and_never_act_as_commands(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await pilot.press("b")
        assert app.focused is ticket.price_field
        await type_text(pilot, "stuq")
        assert (ticket.side, ticket.kind, ticket.size_in_quote) == (Side.BUY, 0, False)
        assert ticket.price_field.value == "stuq" and app.return_code is None
        await until(lambda: "'s' is not taken" in str(app.query_one("#problem").render()))


def problem_shown(app):
    return str(app.query_one("#problem").render())


async def test_a_typo_stays_as_typed_marked_invalid_and_nothing_is_sent(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        for typed, why in (
            ("1e-3", "'e' is not taken"),
            ("0,5", "the decimal point is '.'"),
            ("1,000", "no ',' between thousands"),
        ):
            ticket.size_field.value = ""
            await ticket_at_best(pilot)
            await type_text(pilot, typed)
            await until(lambda why=why: why in problem_shown(app))
            assert ticket.size_field.value == typed and ticket.size_field.decimal is None
            assert ticket.size_field.has_class("-invalid")
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.orders.orders == {}


async def test_a_held_down_digit_is_kept_and_marked_past_the_instruments_precision(
    app_and_launch,
):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await pilot.press("b", *["9"] * 27)
        await until(lambda: "at most 7 digits before the point" in problem_shown(app))
        assert ticket.price_field.value == "9" * 27  # BTCUSDT's maximum price has 7 digits
        await pilot.press("tab", *["1"] * 17, "enter")
        await pilot.pause()
        assert app.session.orders.orders == {} and app.return_code is None


async def test_large_order_waits_for_confirmation(tmp_path):
    app, _ = make_app(tmp_path, Config(risk=RiskLimits(confirm_above=Decimal(100))))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await ticket_at_best(pilot, "b", "B", "pagedown", "pagedown")
        await type_text(pilot, "0.01")
        await send_when_ready(app, pilot)
        await until(lambda: isinstance(app.screen, Confirm))
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, Confirm))
        assert app.session.orders.orders == {}
        app.query_one(OrderTicket).size_field.focus()
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(lambda: app.session.orders.orders)


async def test_enter_on_an_ask_level_opens_a_buy_ticket_at_that_price(tmp_path):
    app, _ = make_app(tmp_path, rate=0)  # a still market: the best ask cannot move away
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("g", "enter")
        ticket = app.query_one(OrderTicket)
        assert ticket.side is Side.BUY
        assert ticket.price_field.decimal == best(app.session, Side.SELL)


async def test_size_preset_uses_a_share_of_the_free_balance(tmp_path):
    app, _ = make_app(
        tmp_path, Config(size_presets=["0.5", "50%"], risk=RiskLimits(confirm_above=10**9))
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("s", "escape", "2")
        ticket = app.query_one(OrderTicket)
        assert ticket.side is Side.SELL
        assert ticket.size_field.decimal == Decimal("0.5")  # half of the 1 BTC held
        await pilot.press("1")
        assert ticket.size_field.decimal == Decimal("0.5")


async def test_help_is_generated_from_the_active_keymap(tmp_path):
    app, _ = make_app(tmp_path, keys={"app.next-panel": "n"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, Help))
        lines = str(app.screen.query_one("Static").render()).splitlines()
        assert any(line.startswith("n ") and "app.next-panel" in line for line in lines)


async def test_help_shows_keys_as_a_person_types_them(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, Help))
        text = str(app.screen.query_one("Static").render())
        header, _, *rows = text.splitlines()
        column = header.index("id")  # the keys come before the id, which comes before the action
        keys = {row[column:].split()[0]: row[:column].split() for row in rows if row[column:]}
        assert keys["app.help"] == ["?"]
        assert keys["app.palette"] == ["/"]
        assert keys["candles.longer"] == ["]"]
        assert keys["book.group-more"] == ["+", "="]
        assert "question_mark" not in text and "right_square_bracket" not in text


async def test_rebound_key_fires_and_the_old_key_is_dead(tmp_path):
    app, _ = make_app(tmp_path, keys={"app.next-panel": "n"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert app.side_panel == 0
        await pilot.press("n")
        assert app.side_panel == 1


async def test_narrow_terminal_shows_one_side_panel_at_a_time(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("narrow")
        shown = [
            name
            for name in ("trades", "candles", "orders", "balances")
            if app.query_one(f"#{name}").display
        ]
        assert shown == ["trades"]
        await pilot.press("p")
        shown = [
            name
            for name in ("trades", "candles", "orders", "balances")
            if app.query_one(f"#{name}").display
        ]
        assert shown == ["candles"]
        assert app.query_one(OrderBookLadder).display and app.query_one(OrderTicket).display


async def test_wide_terminal_shows_all_six_panels(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.has_class("narrow")
        for name in ("book", "trades", "candles", "ticket", "orders", "balances"):
            widget = app.query_one(f"#{name}")
            assert widget.display and widget.region.area > 0, name


async def test_cancel_all_asks_for_the_typed_word_then_cancels_every_order(tmp_path):
    app, _ = make_app(tmp_path, rate=0)  # a still market: no order rests and then fills
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        orders = app.session.orders
        for count in (1, 2):
            await ticket_at_best(pilot, "b", "B", "pagedown", "pagedown")
            await type_text(pilot, "0.01")
            await send_when_ready(app, pilot)
            await until(lambda count=count: len(orders.open_orders()) == count)
        await pilot.press("escape", "escape", "o", "X")
        await until(lambda: isinstance(app.screen, TypedConfirm))
        await pilot.press("y", "enter")  # one key is not enough for a cancel-all
        await pilot.pause()
        assert isinstance(app.screen, TypedConfirm) and len(orders.open_orders()) == 2
        await type_text(pilot, "CANCEL")
        await pilot.press("enter")
        await until(lambda: not orders.open_orders())


async def test_palette_reaches_an_action_by_name(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "next panel")
        await until(lambda: palette_has_a_match(app))
        await pilot.press("enter")
        await until(lambda: app.side_panel == 1)


async def test_the_status_bar_keeps_its_parts_apart_and_the_switch_up_front(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        shown = lambda: str(app.query_one("#status").render())  # noqa: E731
        await until(lambda: "user LIVE" in shown() and "book LIVE" in shown())  # a deeper
        # view of the book may resynchronise it once after the start
        status = shown()
        parts = r" SIM  binance BTCUSDT · DMS ARMED client-side\b[^·]*trips in \d+s · book LIVE · "
        assert re.match(parts, status)
        assert " · market LIVE · user LIVE" in status
        assert len(status) <= app.query_one("#status").size.width  # details go, none is cut


async def test_quit_with_an_unknown_order_and_the_venue_silent_leaves_within_seconds(
    app_and_launch,
):
    app, launch = app_and_launch
    chaos = launch.server.exchange.chaos
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        chaos.accept_delay = 3600.0
        chaos.trigger("late_accept")
        await ticket_at_best(pilot, "b", "B", "pagedown", "pagedown")
        await type_text(pilot, "0.01")
        await send_when_ready(app, pilot)
        await until(lambda: app.session.orders.unresolved())
        chaos.go_dark()
        shown = []
        push_screen = app.push_screen
        app.push_screen = lambda screen, *a, **k: (
            shown.append(screen) or push_screen(screen, *a, **k)
        )
        await pilot.press("escape", "escape", "q", "question_mark")
        # the venue would answer in an hour: leaving at all proves quitting does not wait for it
        await until(lambda: app.return_code is not None, timeout=QUIT_WAIT * 6)
    assert any(isinstance(screen, Help) for screen in shown)  # keys still worked meanwhile
    chaos.come_back()
    assert app.farewell.startswith("left on binance: 1 whose outcome is UNKNOWN (tc-")


async def test_start_up_waits_for_an_unreachable_venue_and_says_why(tmp_path):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=3, rate=50)
    server = launch.server
    app = TradingApp(launch.session, launch.session.start, launch.stop, load_keymap("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.query_one("#status")
        await until(lambda: "waiting for the venue" in str(status.render()), timeout=20)
        assert "retrying in" in str(status.render()) and not app.started
        await server.start()
        await ready(app, pilot)
        assert app.session.waiting is None


async def test_clicking_a_level_puts_its_price_in_the_ticket_and_the_wheel_walks_the_ladder(
    tmp_path,
):
    app, _ = make_app(tmp_path, rate=0)  # a still market: the clicked level stays put
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ladder = app.query_one(OrderBookLadder)
        top = ladder.content_region.y - ladder.region.y
        depth = (ladder.content_size.height - 2) // 2
        await pilot.click(OrderBookLadder, offset=(5, top + depth + 2))  # the best bid's line
        assert app.query_one(OrderTicket).price_field.decimal == best(app.session, Side.BUY)
        assert ladder.cursor == 1
        await pilot.click(OrderBookLadder, offset=(5, top + depth))  # the best ask's line
        assert app.query_one(OrderTicket).price_field.decimal == best(app.session, Side.SELL)
        for _ in range(2):
            ladder.post_message(events.MouseScrollDown(ladder, 5, 5, 0, 1, 0, False, False, False))
        await until(lambda: ladder.cursor == 2)  # from the best ask (-1), past the spread


async def test_pasted_text_is_checked_like_typed_text(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await ticket_at_best(pilot)
        ticket.size_field.post_message(events.Paste("1e-3"))
        await until(lambda: "'e' is not taken" in problem_shown(app))
        assert ticket.size_field.value == "1e-3"
        ticket.size_field.value = ""
        ticket.size_field.post_message(events.Paste("0.01"))
        await until(lambda: ticket.size_field.value == "0.01")
        assert ticket.size_field.decimal == Decimal("0.01")


async def test_at_80_columns_the_status_bar_keeps_every_part_whole(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        status = app.query_one("#status")
        await until(lambda: "user LIVE" in str(status.render()))
        shown = str(status.render())
        # where orders go, the switch and its countdown, the book, the streams; the venue
        # and the symbol are the banner's, the stream details gone rather than cut
        assert re.fullmatch(
            r" SIM  · DMS ARMED client-side\b[^·]*trips in \d+s · book LIVE · market\+user LIVE",
            shown,
        )
        assert len(shown) <= status.size.width


async def test_at_80_columns_the_banner_drops_the_range_before_it_cuts_the_volume(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        banner = app.query_one("#banner")
        await until(lambda: " vol " in str(banner.render()))
        shown = str(banner.render())
        assert re.fullmatch(
            r" SIM  binance · BTCUSDT  last [\d,.]+ [▲▼][\d.]+%  vol [\d.]+k", shown
        )
        assert len(shown) <= banner.size.width


async def test_the_ticket_offers_only_the_order_types_the_venue_takes(tmp_path):
    from dataclasses import replace

    from console.model import OrderType

    app, launch = make_app(tmp_path)
    venue = launch.session.venue
    venue.capabilities = replace(
        venue.capabilities, order_types=frozenset({OrderType.LIMIT, OrderType.MARKET})
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await pilot.press("b", "escape")
        seen = [ticket.order_kind[0]]
        for _ in range(3):
            await pilot.press("t")
            seen.append(ticket.order_kind[0])
        assert seen == ["LIMIT", "IOC", "FOK", "MARKET"]


async def test_a_still_market_draws_nothing_again(app_and_launch):
    """Once the panels show a market that holds still, frames come and go and nothing is
    rendered again: a panel redraws when its view changes, and only then."""
    app, launch = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        launch.server.exchange.market.rate = 0
        await until(lambda: app.session.board)  # every asset priced: the balances' worth set
        renders = Counter()
        for panel in (
            app.query_one(OrderBookLadder),
            app.query_one("#trades"),
            app.query_one("#balances"),
        ):
            drawn = panel.render

            def counted(panel=panel, drawn=drawn):
                renders[panel.id] += 1
                return drawn()

            panel.render = counted
        clock = app.clock
        begun = clock.frames
        await until(lambda: clock.frames > begun + 40)  # the last changes drawn
        settled, frames = dict(renders), clock.frames
        await until(lambda: clock.frames > frames + 40)
        assert dict(renders) == settled


async def test_a_firehose_of_prints_draws_the_tape_a_few_times_a_second(tmp_path):
    """Prints on every frame, and the tape is drawn on at most one frame in four (five
    times a second at the default twenty): each draw scrolls it, and sends every row."""
    app, _ = make_app(tmp_path, rate=2000.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        tape, clock = app.query_one("#trades"), app.clock
        drawn = []
        shown = tape.show
        tape.show = lambda view: (drawn.append(clock.frames), shown(view))
        start = clock.frames
        await until(lambda: clock.frames > start + 80)
        gaps = [later - earlier for earlier, later in itertools.pairwise(drawn)]
        assert len(drawn) >= 5 and min(gaps) >= 4


async def test_switching_the_size_unit_converts_the_size_at_the_tickets_price(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("b")
        await type_text(pilot, "65000")
        await pilot.press("tab")
        await type_text(pilot, "0.001")
        await pilot.press("escape", "u")
        ticket = app.query_one(OrderTicket)
        assert (ticket.size_in_quote, ticket.size_field.value) == (True, "65.00")
        await pilot.press("u")
        assert (ticket.size_in_quote, ticket.size_field.value) == (False, "0.00100")


async def test_enter_on_the_ticket_after_escape_sends_as_in_a_field(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await ticket_at_best(pilot, "b", "B", *["pagedown"] * 10)
        await type_text(pilot, "0.01")
        await pilot.press("escape")
        assert app.focused is app.query_one(OrderTicket)
        await pilot.press("enter")
        await until(lambda: app.session.orders.open_orders())
        (order,) = app.session.orders.open_orders()
        assert order.qty == Decimal("0.01")


async def test_the_candle_lengths_change_from_anywhere(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        candles = app.query_one("#candles")
        await until(lambda: candles.view is not None and candles.view.served > 3)
        assert app.focused is app.query_one(OrderBookLadder) and candles.first == 0
        await pilot.press("right_square_bracket")
        await until(lambda: candles.first == 1 and candles.view.rows[0].interval.value == "5m")
        await until(lambda: candles.border_title.startswith("Candles 5m"))
        await pilot.press("left_square_bracket")
        await until(lambda: candles.first == 0)


async def test_a_large_screen_charts_the_candles_and_a_small_one_shows_sparklines(
    app_and_launch,
):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        candles = app.query_one("#candles")
        await until(lambda: candles.view is not None and candles.view.bars)
        assert candles.charted == candles.content_size.width
        drawn = candles.text()
        assert "vol" in drawn and "█" in drawn and "│" in drawn
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape", "p")  # the candles' turn beside the book
        await until(lambda: candles.charted == 0 and not candles.view.bars)
        assert candles.border_title == "Candles"
