"""The ladder draws row by row: a change on the market costs the rows it changed."""

from dataclasses import replace
from decimal import Decimal

from console.ui.widgets.orderbook import OrderBookLadder
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
