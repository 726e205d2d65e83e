"""The console as a trader runs it: a real pseudo-terminal, keys typed, the screen read."""

from decimal import Decimal

from tests.terminal import DOWN, PAGE_DOWN, Terminal


def rest_a_buy(term):
    """Once the console is live, a limit buy of 0.01 ten ticks under the best bid, sent by
    keys; the screen that shows it open."""
    term.wait_for(lambda s: "SIM" in s and "book LIVE" in s and "user LIVE" in s)
    term.type("b")
    term.escape()
    term.type("B", PAGE_DOWN, "\t", "\t", "0.01")
    term.wait_for(lambda _: term.ticket_is_ready())
    term.type("\r")
    return term.wait_for(lambda s: "Open orders (1)" in s and "0.00000/0.01000" in s)


def test_console_in_a_terminal_takes_an_order_and_shows_it(tmp_path):
    term = Terminal(tmp_path)
    try:
        screen = rest_a_buy(term)
        row = next(line for line in screen.splitlines() if "0.00000/0.01000" in line)
        assert "BUY" in row and "NEW" in row
        # Esc twice: out of the size field, then out of the ticket, back to the book; then
        # 10-tick buckets so the order is in view.
        term.escape()
        term.escape()
        term.type("+", "+", "+")
        term.wait_for(lambda s: "step 0.10" in s and "◆" in s)  # ◆: the order on the ladder
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_a_fill_is_told_on_screen_by_the_bell_and_as_a_desktop_notice(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s and "user LIVE" in s)
        term.type("b")
        term.escape()
        term.type("A", "\t", "\t", "0.002")  # at the best ask: it takes at once
        term.wait_for(lambda _: term.ticket_is_ready())
        term.type("\r")
        term.wait_for(lambda s: "FILLED BUY " in s and " BTCUSDT @ " in s)  # the notice
        assert b"\x1b]9;FILL" in term.heard  # the desktop notice (an order in parts: each)
        # and the bell: a BEL beyond the one that ends each operating system command
        assert term.heard.count(b"\x07") > term.heard.count(b"\x1b]")
        term.escape()
        term.escape()
        term.type("f")
        term.wait_for(lambda s: "─ Fills (1)" in s or "─ Fills (2)" in s)
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_an_order_moved_from_the_orders_panel_rests_at_its_new_price(tmp_path):
    term = Terminal(tmp_path)
    try:
        rest_a_buy(term)
        term.escape()
        term.escape()
        term.type("o", "m")
        screen = term.wait_for(lambda s: "Move BUY BTCUSDT 0.01 @ " in s)
        before = screen.split("Move BUY BTCUSDT 0.01 @ ")[1].split()[0]
        term.type(DOWN, DOWN, "\r")
        screen = term.wait_for(lambda s: "moved to " in s and "Open orders (1)" in s)
        after = screen.split("moved to ")[1].split(":")[0]
        assert Decimal(after) == Decimal(before) - Decimal("0.02")
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_an_alert_set_by_keys_fires_with_a_notice_and_a_desktop_notification(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s)
        term.type("n", "a")
        term.wait_for(lambda s: "Price alert on BTCUSDT" in s)
        term.type("0.001%", "\r")  # either way: the market soon moves that far
        term.wait_for(lambda s: "alert set: BTCUSDT +0.001% from " in s)
        term.wait_for(lambda s: "ALERT BTCUSDT " in s and "Alerts (1)" in s)
        assert b"\x1b]9;ALERT BTCUSDT " in term.heard
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_a_symbol_chosen_in_the_watchlist_takes_the_screen_at_80x24(tmp_path):
    term = Terminal(tmp_path, size=(80, 24))
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s)
        term.type("w")
        term.wait_for(lambda s: "Watchlist (3)" in s and "ETHUSDT" in s)
        term.type("j", "\r")  # the second pin: ETHUSDT
        term.wait_for(lambda s: "now showing ETHUSDT" in s and "· ETHUSDT" in s)
        term.wait_for(lambda s: "book LIVE" in s)
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()


def test_a_stop_limit_sell_set_by_keys_rests_with_its_trigger(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s and "user LIVE" in s)
        term.type("s")
        term.escape()
        term.type(*"ttttt")  # limit, post-only, IOC, FOK, market, stop-limit
        term.wait_for(lambda s: "SELL  STOP-LIMIT  BTCUSDT" in s)
        term.type("B", PAGE_DOWN, PAGE_DOWN, "\t", "\t")  # the price, then the trigger field
        term.type(*[PAGE_DOWN] * 21)  # from the best ask down under the mid
        term.type("\t", "0.01")
        term.wait_for(lambda _: term.ticket_is_ready())
        term.type("\r")
        screen = term.wait_for(lambda s: "Open orders (1)" in s and " stop " in s)
        row = next(line for line in screen.splitlines() if " stop " in line)
        assert "SELL" in row and "≤" in row and "NEW" in row
        term.escape()
        term.escape()
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()
