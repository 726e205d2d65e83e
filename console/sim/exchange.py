"""The simulated venue as one object: engine, flow, candles, tape, keys, chaos and clock.

Every wire dialect in `sim/fronts/` serves this one object, so a trader who switches the
console from the Binance dialect to another sees the same market and the same account.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from console.model import Side
from console.sim.candles import CandleStore
from console.sim.chaos import Chaos
from console.sim.engine import Engine
from console.sim.market import MAJORS, TAKE_SHARE, Listing, SyntheticMarket
from console.sim.state import Event, TradePrinted

DEMO_API_KEY = "simDemoKey0000000000000000000000000000000000000000000000000000001"
DEMO_API_SECRET = "simDemoSecret000000000000000000000000000000000000000000000000001"
DEMO_API_PASSPHRASE = "simDemoPassphrase1"
"""Checked by dialects whose venue asks for a passphrase (WEEX); alphanumeric, as WEEX's
FAQ asks."""
TRADER_ACCOUNT = "trader"
TRADER_DEPOSITS = {
    "USDT": Decimal(100_000),
    "BTC": Decimal(1),
    "ETH": Decimal(10),
    "SOL": Decimal(100),
}
TAPE_LENGTH = 1000


@dataclass(slots=True)
class AggTrade:
    """Binance's aggregate trade: the fills of one taker order at one price."""

    agg_id: int
    price: Decimal
    qty: Decimal
    first_id: int
    last_id: int
    time_ms: int
    buyer_maker: bool
    taker_order_id: int


@dataclass(frozen=True)
class Credential:
    """An API key the simulator accepts, with whatever verifies its signatures."""

    api_key: str
    account: str
    secret: bytes | None = None
    ed25519: Ed25519PublicKey | None = None
    passphrase: str | None = None
    """A third secret some venues check with each request (WEEX's ACCESS-PASSPHRASE)."""

    def verify_hmac_hex(self, payload: bytes, signature: str) -> bool:
        if self.secret is None:
            return False
        expected = hmac.new(self.secret, payload, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature.lower())

    def verify_hmac_base64(self, payload: bytes, signature: str) -> bool:
        """HMAC-SHA256 in base64, as Huobi signs (case-sensitive)."""
        if self.secret is None:
            return False
        digest = hmac.new(self.secret, payload, hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), signature)

    def verify_ed25519(self, payload: bytes, signature: bytes) -> bool:
        if self.ed25519 is None:
            return False
        try:
            self.ed25519.verify(signature, payload)
        except InvalidSignature:
            return False
        return True


class SimExchange:
    def __init__(
        self,
        listings: list[Listing] | None = None,
        seed: int = 1,
        rate: float = 50.0,
        chaos: Chaos | None = None,
        clock: Callable[[], int] | None = None,
        take_share: float = TAKE_SHARE,
        depth: int = 0,
        lot_parts: int = 1,
        candle_history: bool = True,
        deposits: dict[str, Decimal] | None = None,
    ) -> None:
        """`depth`: resting orders a side laid beyond the touch out to several percent of
        the price (`DEEP_LEVELS` for a venue's depth, as the console's simulator runs);
        0 keeps the book to the flow's quotes near the touch, as protocol tests want.
        `lot_parts`: the engine's units to a lot, as the dialect served needs
        (`console.sim.server.lot_parts`). `candle_history`: a walked history of candles
        before the start; without it (a market mirrored from a recording) the candles are
        its trades' alone. `deposits`: the trader's balances (the demo deposits when
        None)."""
        self.listings = listings or MAJORS
        self.chaos = chaos or Chaos()
        true_time = clock or (lambda: int(time.time() * 1000))
        self.clock = lambda: true_time() + int(self.chaos.skew)
        self.engine = Engine(
            [listing.instrument for listing in self.listings],
            clock=self.clock,
            lot_parts=lot_parts,
        )
        self.candles = CandleStore()
        self.tapes: dict[str, deque[TradePrinted]] = {
            listing.instrument.symbol: deque(maxlen=TAPE_LENGTH) for listing in self.listings
        }
        self.aggs: dict[str, deque[AggTrade]] = {
            listing.instrument.symbol: deque(maxlen=TAPE_LENGTH) for listing in self.listings
        }
        self.engine.subscribe(self._record)
        self.market = SyntheticMarket(
            self.engine, self.listings, seed=seed, rate=rate, take_share=take_share, depth=depth
        )
        now = self.clock()
        for listing in self.listings if candle_history else []:
            symbol = listing.instrument.symbol
            mid = self.engine.books[symbol].l2.mid or listing.opening_price
            self.candles.backfill(
                symbol,
                now,
                mid.quantize(listing.instrument.tick_size),
                listing.instrument.tick_size,
                random.Random(f"{seed}:{symbol}"),  # its own: walked when first asked for
            )
        self.credentials: dict[str, Credential] = {}
        self.engine.open_account(TRADER_ACCOUNT, dict(deposits or TRADER_DEPOSITS))
        self._tasks: list[asyncio.Task[None]] = []

    def add_credential(self, credential: Credential) -> None:
        self.credentials[credential.api_key] = credential

    def _record(self, event: Event) -> None:
        if isinstance(event, TradePrinted):
            self.tapes[event.symbol].append(event)
            self._aggregate(event)
        self.candles.on_event(event)

    def _aggregate(self, trade: TradePrinted) -> None:
        aggs = self.aggs[trade.symbol]
        last = aggs[-1] if aggs else None
        if (
            last is not None
            and last.taker_order_id == trade.taker_order_id
            and last.price == trade.price
            and last.last_id == trade.trade_id - 1
        ):
            last.qty += trade.qty
            last.last_id = trade.trade_id
            return
        aggs.append(
            AggTrade(
                agg_id=last.agg_id + 1 if last else 1,
                price=trade.price,
                qty=trade.qty,
                first_id=trade.trade_id,
                last_id=trade.trade_id,
                time_ms=trade.time_ms,
                buyer_maker=trade.taker_side is Side.SELL,
                taker_order_id=trade.taker_order_id,
            )
        )

    async def start(self, flow: bool = True) -> None:
        """Start the flow, the dead-man's-switch timer and the candles' warming on the
        running loop."""
        if flow:
            self._tasks.append(asyncio.create_task(self.market.run()))
        self._tasks.append(asyncio.create_task(self._fire_deadlines()))
        self._tasks.append(asyncio.create_task(self._warm_candles()))

    async def _warm_candles(self) -> None:
        """Once a client asks for candles, make every symbol's a slice at a time."""
        await self.candles.asked.wait()
        for _ in self.candles.warming():
            await asyncio.sleep(0)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def _fire_deadlines(self) -> None:
        while True:
            await asyncio.sleep(0.1)
            self.engine.fire_deadlines()
