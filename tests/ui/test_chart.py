"""The candle chart in text: candles where their prices are, volume under them, the axes."""

import time
from decimal import Decimal

from console.model import Candle
from console.ui import chart

MINUTE = 60_000


def candle(index, open_, high, low, close, volume="1"):
    return Candle(
        "BTCUSDT",
        "1m",
        1_700_000_000_000 + index * MINUTE,
        Decimal(open_),
        Decimal(high),
        Decimal(low),
        Decimal(close),
        Decimal(volume),
    )


def as_text(lines):
    return ["".join(run.text for run in line) for line in lines]


def kinds_in_column(lines, column):
    """What colours each line's cell at `column`, top to bottom."""
    found = []
    for line in lines:
        at = 0
        for run in line:
            if at <= column < at + len(run.text):
                found.append((run.text[column - at], run.kind))
                break
            at += len(run.text)
    return found


def test_a_rising_candle_has_its_wick_from_high_to_low_and_its_body_from_open_to_close():
    bars = [candle(0, 100, 110, 90, 100), candle(1, 95, 110, 90, 105)]
    lines = chart.draw(bars, width=20, height=11, price_places=0)
    column = 20 - chart.axis_width(bars, 0) - 1  # the newest, by the axis
    cells = kinds_in_column(lines[:8], column)  # 11 rows: 2 of volume, 1 of time
    assert [cell for cell, _ in cells] == ["│", "│", "█", "█", "█", "█", "│", "│"]
    assert {kind for _, kind in cells} == {chart.UP}


def test_a_falling_candle_is_coloured_down_and_a_flat_one_is_a_line():
    bars = [candle(0, 105, 110, 90, 95), candle(1, 100, 110, 90, 100)]
    lines = chart.draw(bars, width=20, height=11, price_places=0)
    newest = 20 - chart.axis_width(bars, 0) - 1
    assert {kind for cell, kind in kinds_in_column(lines[:8], newest - 1) if cell != " "} == {
        chart.DOWN
    }
    assert [cell for cell, _ in kinds_in_column(lines[:8], newest) if cell != "│"] == ["─"]


def test_the_price_axis_names_the_highest_high_and_the_lowest_low():
    bars = [candle(0, 100, 120, 95, 110), candle(1, 110, 115, 80, 90)]
    text = as_text(chart.draw(bars, width=30, height=14, price_places=2))
    assert text[0].rstrip().endswith("120.00")
    price_rows = 14 - 14 // 5 - 1
    assert text[price_rows - 1].rstrip().endswith("80.00")


def test_the_largest_volume_fills_the_volume_rows_and_a_small_one_a_part():
    bars = [candle(0, 100, 101, 99, 100, "8"), candle(1, 100, 101, 99, 101, "1")]
    lines = chart.draw(bars, width=20, height=10, price_places=0)
    volume = as_text(lines[-3:-1])  # two rows of volume over the time axis
    column = 20 - chart.axis_width(bars, 0) - 2
    assert [row[column] for row in volume] == ["█", "█"]
    assert [row[column + 1] for row in volume] == [" ", "▂"]  # 1/8 of 2 rows: 2 eighths


def test_the_time_axis_labels_every_twelfth_candle_from_the_newest():
    bars = [candle(index, 100, 101, 99, 100) for index in range(30)]
    axis = as_text(chart.draw(bars, width=40, height=10, price_places=0))[-1]
    newest = 40 - chart.axis_width(bars, 0) - 1  # the newest stands by the axis
    shown = bars
    label = time.strftime("%H:%M", time.localtime(shown[-1].open_ms / 1000))
    assert axis[newest - len(label) + 1 : newest + 1] == label
    earlier = time.strftime("%H:%M", time.localtime(shown[-13].open_ms / 1000))
    assert axis[newest - 12 - len(label) + 1 : newest - 12 + 1] == earlier


def test_fewer_candles_than_columns_stand_by_the_axis():
    bars = [candle(0, 100, 101, 99, 100)]
    text = as_text(chart.draw(bars, width=30, height=10, price_places=0))
    column = 30 - chart.axis_width(bars, 0) - 1
    assert all(len(line) == 30 for line in text)
    assert text[0][:column].strip() == ""


def test_no_room_or_no_candles_draws_nothing():
    assert chart.draw([], width=30, height=10, price_places=0) == []
    assert chart.draw([candle(0, 1, 1, 1, 1)], width=30, height=3, price_places=0) == []
