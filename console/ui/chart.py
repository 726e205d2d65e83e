"""A candle chart in text: one column per candle (wick `│`, body `█`, a flat one `─`),
volume under the candles in eighth blocks, a price axis on the right and a time axis
below. Drawn from the candles alone into lines of runs (text and what colours it), so the
widget only paints them and a test reads them as text."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from console.model import Candle
from console.ui.widgets.base import money

EIGHTHS = " ▁▂▃▄▅▆▇█"
WICK, BODY, FLAT = "│", "█", "─"
TIME_EVERY = 12
"""Columns between two labels of the time axis."""
UP, DOWN, AXIS, PLAIN = "up", "down", "axis", ""


class Run(NamedTuple):
    text: str
    kind: str
    """UP, DOWN, AXIS or PLAIN: how the widget colours it."""


Line = tuple[Run, ...]


def axis_width(candles: Sequence[Candle], price_places: int) -> int:
    """Cells the price axis takes: its widest label and a space before it."""
    high = max(c.high for c in candles)
    return len(money(high, price_places)) + 2


def draw(
    candles: Sequence[Candle], width: int, height: int, price_places: int, clock: str = "%H:%M"
) -> list[Line]:
    """`height` lines of `width` cells: the last candles that fit, their volume, the axes."""
    if not candles or height < 4:
        return []
    axis = axis_width(candles, price_places)
    shown = list(candles)[-max(1, width - axis) :]
    volume_rows = 0 if height < 8 else max(1, height // 5)
    price_rows = height - volume_rows - 1
    low = min(c.low for c in shown)
    high = max(c.high for c in shown)
    span = high - low

    def row_of(price: Decimal) -> int:
        if not span:
            return price_rows // 2
        return round((high - price) / span * (price_rows - 1))

    grid = [[Run(" ", PLAIN)] * len(shown) for _ in range(price_rows)]
    for column, candle in enumerate(shown):
        kind = UP if candle.close >= candle.open else DOWN
        for row in range(row_of(candle.high), row_of(candle.low) + 1):
            grid[row][column] = Run(WICK, kind)
        top, bottom = row_of(max(candle.open, candle.close)), row_of(min(candle.open, candle.close))
        for row in range(top, bottom + 1):
            grid[row][column] = Run(FLAT if candle.open == candle.close else BODY, kind)
    labels = _price_labels(high, low, price_rows, price_places)
    lines = [
        (*_joined(cells), Run(labels.get(row, "").rjust(axis), AXIS))
        for row, cells in enumerate(grid)
    ]
    lines += _volume(shown, volume_rows, axis)
    lines.append(_time_axis(shown, axis, clock))
    room = width - axis - len(shown)
    if room > 0:  # fewer candles than columns: the newest stay by the axis
        lines = [(Run(" " * room, PLAIN), *line) for line in lines]
    return lines


def _price_labels(high: Decimal, low: Decimal, rows: int, price_places: int) -> dict[int, str]:
    """The highest and the lowest price at their rows, and a few between."""
    marks = 4 if rows >= 12 else 2
    labels = {}
    for step in range(marks + 1):
        row = round(step * (rows - 1) / marks)
        price = high - (high - low) * Decimal(row) / Decimal(max(1, rows - 1))
        labels[row] = money(price, price_places) + " "
    return labels


def _volume(shown: Sequence[Candle], rows: int, axis: int) -> list[Line]:
    if not rows:
        return []
    most = max((c.volume for c in shown), default=Decimal(0))
    eighths = [int(c.volume / most * rows * 8) if most else 0 for c in shown]
    lines = []
    for row in range(rows):
        floor = (rows - 1 - row) * 8
        cells = [
            Run(EIGHTHS[max(0, min(8, e - floor))], UP if c.close >= c.open else DOWN)
            for c, e in zip(shown, eighths, strict=True)
        ]
        label = "vol " if row == 0 else ""
        lines.append((*_joined(cells), Run(label.rjust(axis), AXIS)))
    return lines


def _time_axis(shown: Sequence[Candle], axis: int, clock: str) -> Line:
    """The open time of every `TIME_EVERY`th candle from the newest back, under it."""
    cells = [" "] * len(shown)
    for column in range(len(shown) - 1, -1, -TIME_EVERY):
        label = time.strftime(clock, time.localtime(shown[column].open_ms / 1000))
        start = column - len(label) + 1
        if start >= 0 and all(cell == " " for cell in cells[start : column + 2]):
            cells[start : column + 1] = list(label)
    return (Run("".join(cells) + " " * axis, AXIS),)


def _joined(cells: list[Run]) -> Line:
    """Neighbouring cells of one kind as one run: a line is a few runs, not a run a cell."""
    runs: list[Run] = []
    for cell in cells:
        if runs and runs[-1].kind == cell.kind:
            runs[-1] = Run(runs[-1].text + cell.text, cell.kind)
        else:
            runs.append(cell)
    return tuple(runs)
