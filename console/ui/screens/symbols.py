"""Command palette providers: every tradable symbol, and every action the console has."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider


class Palette(Protocol):
    """What the palette asks of the console: its symbols, a switch, its actions."""

    def symbols(self) -> list[str]: ...

    def symbol_line(self, symbol: str) -> str:
        """What the palette says beside a symbol: its last price and 24 h change."""

    def switch_symbol(self, symbol: str) -> None: ...

    def palette_actions(self) -> list[tuple[str, str, Callable[[], object]]]: ...


def palette(provider: Provider) -> Palette:
    return cast(Palette, provider.app)


class SymbolProvider(Provider):
    """`Symbol: BTCUSDT` switches the screen to that market."""

    def _symbols(self) -> list[str]:
        return palette(self).symbols()

    async def discover(self) -> Hits:
        console = palette(self)
        for symbol in self._symbols()[:20]:
            yield DiscoveryHit(
                f"Symbol: {symbol}", partial(self._switch, symbol), help=console.symbol_line(symbol)
            )

    async def search(self, query: str) -> Hits:
        matcher, console = self.matcher(query), palette(self)
        for symbol in self._symbols():
            text = f"Symbol: {symbol}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._switch, symbol),
                    help=console.symbol_line(symbol),
                )

    def _switch(self, symbol: str) -> None:
        palette(self).switch_symbol(symbol)


class ActionProvider(Provider):
    """Every keymap action by its description, so nothing needs its key remembered."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        return palette(self).palette_actions()

    async def discover(self) -> Hits:
        for title, keys, run in self._actions():
            yield DiscoveryHit(title, run, help=keys)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, keys, run in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=keys)
