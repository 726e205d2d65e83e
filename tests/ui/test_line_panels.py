"""The ladder and the tape draw line by line: a change on the market costs the lines it
changed, and a line already drawn is not drawn again; the status bar draws only when it
reads otherwise."""

import time
from dataclasses import replace
from decimal import Decimal

from textual.geometry import Size

from console.model import Side
from console.trading.views import TapeRow, TapeView
from console.ui.widgets.orderbook import OrderBookLadder
from console.ui.widgets.status import StatusBar
from console.ui.widgets.trades import TradeTape
from tests.fakes import until
from tests.ui.conftest import make_app, ready


def drawn_rows(ladder, monkeypatch):
    """The content rows the ladder is asked to draw from now on."""
    rows = []
    draw = ladder.render_line

    def render_line(y):
        rows.append(y)
        return draw(y)

    monkeypatch.setattr(ladder, "render_line", render_line)
    return rows


async def settled_ladder(app, pilot):
    await ready(app, pilot)
    ladder = app.query_one(OrderBookLadder)
    await until(lambda: ladder.view is not None and ladder.view.bids)
    await pilot.pause()
    return ladder


async def test_a_level_whose_size_changed_redraws_its_row_alone(tmp_path, monkeypatch):
    app, _ = make_app(tmp_path, rate=0)  # a still market: nothing else moves the ladder
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await settled_ladder(app, pilot)
        view = ladder.view
        best_bid = view.bids[0]
        bigger = replace(best_bid, size=best_bid.size + Decimal("0.00001"))
        rows = drawn_rows(ladder, monkeypatch)
        ladder.show(replace(view, bids=(bigger, *view.bids[1:])))
        spread_row = 1 + ladder.depth
        await until(lambda: spread_row + 1 in rows)
        await pilot.pause()
        assert set(rows) == {spread_row + 1}  # the best bid's row, under the spread line
        line = ladder.text().splitlines()[spread_row + 1]
        assert f"{bigger.size:,.5f}" in line


async def test_the_ladder_reads_asks_over_the_spread_over_bids_with_the_cursor_on_focus(tmp_path):
    app, _ = make_app(tmp_path, rate=0)
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await settled_ladder(app, pilot)
        view = ladder.view
        lines = ladder.text().splitlines()
        spread_row = 1 + ladder.depth
        assert lines[0].split() == ["price", "size", "cum"]
        assert lines[spread_row].startswith("  ── spread")
        assert lines[spread_row - 1].split()[0] == f"{view.asks[0].price:,.2f}"
        assert lines[spread_row + 1].split()[0] == f"{view.bids[0].price:,.2f}"
        ladder.focus()
        ladder.cursor = 1
        await until(lambda: ladder.rows[spread_row + 1].cursor)
        assert not any(row.cursor for row in ladder.rows[: spread_row + 1])


def prints(*prices):
    return tuple(
        TapeRow(1_700_000_000_000 + n, Decimal(price), Decimal("0.01"), Side.BUY, False)
        for n, price in enumerate(prices)
    )


async def test_a_new_print_scrolls_the_tape_and_is_the_only_line_drawn(tmp_path, monkeypatch):
    app, _ = make_app(tmp_path, rate=0)  # no prints of the market's own
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        tape = app.query_one(TradeTape)
        await until(lambda: tape.view is not None)  # the market's own (empty), shown once
        drawn = []
        draw_row = tape.draw_row

        def recorded(row, width, base):
            drawn.append(row.price.strip())
            return draw_row(row, width, base)

        monkeypatch.setattr(tape, "draw_row", recorded)
        tape.show(TapeView(prints("65000.01", "65000.02", "65000.03"), 3, 2, 5))
        await until(lambda: {"65,000.01", "65,000.02", "65,000.03"} <= set(drawn))
        drawn.clear()
        tape.show(TapeView(prints("64999.99", "65000.01", "65000.02"), 4, 2, 5))
        await until(lambda: drawn)
        await pilot.pause()
        assert drawn == ["64,999.99"]
        assert [line.split()[1] for line in tape.text().splitlines()] == [
            "64,999.99",
            "65,000.01",
            "65,000.02",
        ]


async def ages_moved(app, monkeypatch, columns):
    """The status bar's refreshes while only the streams' heartbeat ages move."""
    now = [time.monotonic()]
    monkeypatch.setattr(StatusBar, "clock", staticmethod(lambda: now[0]))
    async with app.run_test(size=(columns, 40)) as pilot:
        await ready(app, pilot)
        status = app.query_one(StatusBar)
        await until(lambda: status.view is not None and status.view.streams)
        await pilot.pause()
        refreshes = []
        monkeypatch.setattr(status, "refresh", lambda *_a, **_k: refreshes.append(1))
        for _ in range(3):
            seen = status.view
            now[0] += 1.0
            await until(lambda seen=seen: status.view != seen)
            await pilot.pause()
        return refreshes


async def test_a_status_bar_too_narrow_for_the_ages_is_not_drawn_again_as_they_move(
    tmp_path, monkeypatch
):
    app, _ = make_app(tmp_path, rate=0)
    assert await ages_moved(app, monkeypatch, 120) == []


async def test_a_status_bar_wide_enough_for_the_ages_is_drawn_as_they_move(tmp_path, monkeypatch):
    app, _ = make_app(tmp_path, rate=0)
    assert len(await ages_moved(app, monkeypatch, 220)) >= 3


async def test_the_status_line_is_the_fullest_that_fits_whether_or_not_it_shows_the_ages(
    tmp_path, monkeypatch
):
    app, _ = make_app(tmp_path, rate=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        status = app.query_one(StatusBar)
        await until(lambda: status.view is not None and status.view.streams)
        quiet = status.view
        ages = tuple(replace(s, age=12.3, rtt_ms=45) for s in quiet.streams)
        views = (quiet, replace(quiet, streams=ages))
        fitted = {}
        for width in range(10, 261, 3):
            monkeypatch.setattr(StatusBar, "size", property(lambda _s, w=width: Size(w, 1)))
            for view in views:
                status.view = view
                every = [status._line(view, detail) for detail in (3, 2, 1, 0, -1)]
                fullest = next((line for line in every if line.cell_len <= width), every[-1])
                assert status._fitted() == fullest
                fitted[width, view is quiet] = every.index(fullest)
        assert {detail for (_, quiet), detail in fitted.items() if not quiet} >= {0, 1, 2, 3}


async def test_a_new_theme_draws_the_ladders_rows_over_its_colours(tmp_path):
    app, _ = make_app(tmp_path, rate=0)
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await settled_ladder(app, pilot)

        def row_background():  # a line below the rows: the panel's own colours
            return next(iter(ladder.render_line(len(ladder.rows)))).style.bgcolor

        dark = row_background()
        app.theme = "console-light"
        await until(lambda: row_background() != dark)
        assert row_background() == ladder.rich_style.bgcolor
