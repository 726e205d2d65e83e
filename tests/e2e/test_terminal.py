"""The console as a trader runs it: a real pseudo-terminal, keys typed, the screen read."""

from tests.terminal import PAGE_DOWN, Terminal


def test_console_in_a_terminal_takes_an_order_and_shows_it(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s and "user LIVE" in s)
        term.type("b")
        term.escape()
        term.type("B", PAGE_DOWN, "\t", "\t", "0.01")
        term.wait_for(lambda _: term.ticket_is_ready())
        term.type("\r")
        screen = term.wait_for(lambda s: "Open orders (1)" in s and "0.00000/0.01000" in s)
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
