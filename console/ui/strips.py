"""A mend to Textual's `Strip.crop_extend` and `Strip.divide`, made when the screen is
imported.

Textual (8.2.8, the newest) caches each crop and each division in the strip's own caches,
and a crop to the strip's full width, or a division at its end alone, is the strip itself:
the strip then holds itself, and nearly every line of every frame (drawn at its full
width, then cut where nothing overlaps it) is left to Python's cycle collector, a dozen
objects a line, tens of thousands a second on a busy screen. Those pile up into full
collections of hundreds of milliseconds that stop every thread, the trading core's too.
Here a result that is the strip itself is handed back without being cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.style import Style
from textual.strip import Strip


def crop_extend(self: Strip, start: int, end: int, style: Style | None) -> Strip:
    """`Strip.crop_extend` as Textual has it, less the cache entry that holds the strip."""
    cache_key = (start, end, style)
    cached = self._crop_extend_cache.get(cache_key)
    if cached is not None:
        return cached
    strip = self.extend_cell_length(end, style).crop(start, end)
    if strip is not self:
        self._crop_extend_cache[cache_key] = strip
    return strip


def divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """`Strip.divide` as Textual has it, less the cache entry that holds the strip."""
    cell_length = self.cell_length
    cuts = [cut for cut in cuts if cut <= cell_length]
    if cuts == [cell_length]:
        return [self]
    return _divide(self, cuts)


_divide = Strip.divide


def mend() -> None:
    Strip.crop_extend = crop_extend  # type: ignore[method-assign]
    Strip.divide = divide  # type: ignore[method-assign]
