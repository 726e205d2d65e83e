"""Order book: the whole path from raw frame to book, ours against the libraries traders use.

A seeded Binance-style stream (a 5,000-level-a-side snapshot around 65,000.00 with BTCUSDT's
real tick 0.01 and lot 0.00001, then depthUpdate diffs of 1-20 level changes, about 4.3 on
average, concentrated near the touch, 15% of them deletions, prices and sizes as 8-decimal
strings, as Binance pads them, in combined-stream JSON text frames) is replayed through:

- ours: the Binance adapter's own handler (`BinanceMarket.on_frame`: msgspec decode, then
  the live book's `console.book.FeedBook.take`, which keeps the levels as text until the
  book is read and then takes them in, in integer ticks and lots);
- ccxt, twice: from the text frame as its socket client hands it over (the client's
  orjson parse, the exchange's `handle_message` and `handle_order_book`, with their
  market lookup and update-id rules), and its book handler alone (the parse, the spot
  update-id rule written out, then `handle_order_book_message`); both on its `OrderBook`
  (float keys in bisect-sorted lists);
- cryptofeed, twice: from the text frame (its Binance feed's `message_handler`, `_book`
  and `book_callback`, with no callback set), and its book update alone (its decoder,
  `yapic.json` with Decimal floats, its update-id check and its level loop, written
  out); both on its `OrderBook` (Decimal keys in the `order_book` C extension);
- msgspec-decode-only: the floor any Python path pays to read the frame (one pass, as the
  adapter decodes a depth frame).

The variants take the frames in interleaved rounds (each round, every variant its share in
turn), so a busy moment falls on all of them; each reads its top 20 a side every 50 frames
while it is being written (a screen at 20 frames a second under 1,000 messages a second),
and that read is timed apart. What a book leaves for its next read (ours: the changes it
keeps as text) is done just before the read and counted in the messages' time, never in
the read's, so µs/msg is everything a message costs. Printed: medians over the rounds, our
ratio to each peer within each round (median), and the share of the machine's CPU time its
host took meanwhile (steal). Then the same for Huobi's MBP increments (gzip frames,
numbers as JSON numbers, chained by prevSeqNum) through our `HuobiFeed` and ccxt.pro's HTX
client, from the frame and its book handler alone (cryptofeed keeps no MBP book for
Huobi); and WEEX's depth events (the same spanned diffs as `"e":"depth"` events) through
our `WeexMarket` and ccxt.pro's WEEX client, from the frame and its book handler alone.
Every variant must end on the same top 20. The peers come with the optional extra:

    pip install -e '.[bench]'
    python bench/book.py [--messages 200000] [--rounds 10] [--seed 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import msgspec
from harness import Steal

from console.model import BookSnapshot, Side
from console.net.stream import gzipped
from console.venues.binance import schemas as binance_schemas
from console.venues.binance.streams import BinanceMarket
from console.venues.feeds import BookState, LiveBook
from console.venues.huobi import convert as huobi_convert
from console.venues.huobi import schemas as huobi_schemas
from console.venues.huobi.adapter import CAPABILITIES as HUOBI
from console.venues.huobi.streams import HuobiFeed
from console.venues.market import MarketFeeds
from console.venues.weex import schemas as weex_schemas
from console.venues.weex.streams import WeexMarket

LEVELS = 5000
TICK = Decimal("0.01")
LOT = Decimal("0.00001")
"""BTCUSDT's lot on Binance: sizes come as 8-decimal text, three zeros past it."""
MID_TICKS = 6_500_000
TOP = 20
DELETE_SHARE = 0.15
READ_EVERY = 50
"""Frames between two reads of the top 20: a 20 fps screen under 1,000 messages a second."""
SNAPSHOT_BUILDS = 3


# -- the stream --------------------------------------------------------------------------


class Stream:
    """A seeded book and the diffs that move it, kept in ticks and lots as we go."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sides: dict[Side, dict[int, int]] = {Side.BUY: {}, Side.SELL: {}}
        for i in range(LEVELS):
            self.sides[Side.BUY][MID_TICKS - 1 - i] = self._lots()
            self.sides[Side.SELL][MID_TICKS + 1 + i] = self._lots()
        self.update_id = 1_000_000

    def _lots(self) -> int:
        return self.rng.randint(1, 500_000)

    def best(self, side: Side) -> int:
        levels = self.sides[side]
        return max(levels) if side is Side.BUY else min(levels)

    def changes(self) -> list[tuple[Side, int, int]]:
        count = min(20, 1 + int(self.rng.expovariate(1 / 3.8)))
        out = []
        for _ in range(count):
            side = Side.BUY if self.rng.random() < 0.5 else Side.SELL
            levels = self.sides[side]
            distance = int(self.rng.expovariate(1 / 6))
            if self.rng.random() < DELETE_SHARE and len(levels) > 100:
                best = self.best(side)
                ticks = best - distance if side is Side.BUY else best + distance
                ticks = min(levels, key=lambda t: abs(t - ticks)) if ticks not in levels else ticks
                del levels[ticks]
                out.append((side, ticks, 0))
                continue
            other = self.best(side.opposite)
            ticks = (other - 1 - distance) if side is Side.BUY else (other + 1 + distance)
            lots = self._lots()
            levels[ticks] = lots
            out.append((side, ticks, lots))
        return out

    def top(self, side: Side, n: int = TOP) -> list[tuple[Decimal, Decimal]]:
        levels = sorted(self.sides[side].items(), reverse=side is Side.BUY)[:n]
        return [(TICK * t, LOT * q) for t, q in levels]


def text(ticks: int, lots: int) -> list[str]:
    return [f"{TICK * ticks:.8f}", f"{LOT * lots:.8f}"]


def binance_frames(stream: Stream, count: int) -> tuple[bytes, list[str]]:
    """The snapshot's body, and the diffs as text frames, as the WebSocket client hands them."""
    snapshot = {
        "lastUpdateId": stream.update_id,
        "bids": [text(t, q) for t, q in sorted(stream.sides[Side.BUY].items(), reverse=True)],
        "asks": [text(t, q) for t, q in sorted(stream.sides[Side.SELL].items())],
    }
    frames = []
    for _ in range(count):
        changes = stream.changes()
        first = stream.update_id + 1
        stream.update_id += 1 + stream.rng.randint(0, 3)
        data = {
            "e": "depthUpdate",
            "E": 1_700_000_000_000,
            "s": "BTCUSDT",
            "U": first,
            "u": stream.update_id,
            "b": [text(t, q) for s, t, q in changes if s is Side.BUY],
            "a": [text(t, q) for s, t, q in changes if s is Side.SELL],
        }
        frame = {"stream": "btcusdt@depth@100ms", "data": data}
        frames.append(json.dumps(frame, separators=(",", ":")))
    return json.dumps(snapshot, separators=(",", ":")).encode(), frames


def weex_frames(stream: Stream, count: int) -> tuple[bytes, list[str]]:
    """WEEX's book: the same spanned diffs as Binance's, as `"e":"depth"` events."""
    snapshot, binance = binance_frames(stream, count)
    frames = []
    for frame in binance:
        data = json.loads(frame)["data"]
        event = {"e": "depth", "E": data["E"], "s": data["s"], "U": data["U"], "u": data["u"]}
        event |= {"b": data["b"], "a": data["a"]}
        frames.append(json.dumps(event, separators=(",", ":")))
    return snapshot, frames


def huobi_frames(stream: Stream, count: int) -> tuple[bytes, list[bytes]]:
    def numbers(ticks: int, lots: int) -> str:
        return f"[{TICK * ticks:.2f},{LOT * lots:.8f}]"

    bids = ",".join(numbers(t, q) for t, q in sorted(stream.sides[Side.BUY].items(), reverse=True))
    asks = ",".join(numbers(t, q) for t, q in sorted(stream.sides[Side.SELL].items()))
    seq = stream.update_id
    snapshot = f'{{"seqNum":{seq},"bids":[{bids}],"asks":[{asks}]}}'.encode()
    frames = []
    for _ in range(count):
        changes = stream.changes()
        prev, seq = seq, seq + 1 + stream.rng.randint(0, 3)
        b = ",".join(numbers(t, q) for s, t, q in changes if s is Side.BUY)
        a = ",".join(numbers(t, q) for s, t, q in changes if s is Side.SELL)
        body = (
            f'{{"ch":"market.btcusdt.mbp.150","ts":1573199608679,"tick":{{"seqNum":{seq},'
            f'"prevSeqNum":{prev},"bids":[{b}],"asks":[{a}]}}}}'
        )
        frames.append(gzip.compress(body.encode(), 1))
    return snapshot, frames


# -- the variants ------------------------------------------------------------------------


class Variant:
    name: str

    def build(self, snapshot: bytes) -> None: ...

    def apply(self, frame: str | bytes) -> None: ...

    def settle(self) -> None:
        """Finish what the messages so far left for the next read (most books: nothing)."""

    def read(self) -> Any:
        """The top 20 a side as the library hands it to a screen."""

    def top(self) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]: ...


def _levels(rows: list[tuple[int, int]], book: Any) -> list[tuple[Decimal, Decimal]]:
    return [(book.prices.value(t), book.sizes.value(q)) for t, q in rows]


class Ours(Variant):
    name = "ours"

    def __init__(self, venue: str) -> None:
        self.venue = venue
        dialect = {"binance": BinanceMarket, "weex": WeexMarket, "huobi": HuobiFeed}[venue]()
        self.feeds = MarketFeeds(dialect)  # type: ignore[arg-type]
        self.framing: Callable[[bytes], Any] = gzipped if venue == "huobi" else (lambda f: f)

    def build(self, snapshot: bytes) -> None:
        async def never(levels: int) -> BookSnapshot:
            raise AssertionError

        if self.venue != "huobi":  # WEEX's snapshot is read as Binance's: the same levels
            depth = msgspec.json.decode(snapshot, type=binance_schemas.Depth)
            book_snapshot = BookSnapshot("BTCUSDT", depth.lastUpdateId, depth.bids, depth.asks)
        else:
            mbp = msgspec.json.decode(snapshot, type=huobi_schemas.Mbp)
            book_snapshot = huobi_convert.snapshot("BTCUSDT", mbp)
        if self.venue != "huobi":
            book = LiveBook("BTCUSDT", TICK, LOT, never)
        else:
            step, rule = HUOBI.book_size_step, HUOBI.book_integrity
            book = LiveBook(
                "BTCUSDT", TICK, step, never, size_rounding=ROUND_HALF_EVEN, integrity=rule
            )
        book.book.load_snapshot(book_snapshot)
        book.state = BookState.LIVE
        self.feeds.books["BTCUSDT"] = book
        self.book = book

    def apply(self, frame: str | bytes) -> None:
        self.feeds.on_frame(self.framing(frame))

    def settle(self) -> None:
        self.book.book.settle()

    def read(self) -> Any:
        book = self.book.book
        return book.top(Side.BUY, TOP), book.top(Side.SELL, TOP)

    def top(self):  # type: ignore[no-untyped-def]
        book = self.book.book
        return _levels(book.top(Side.BUY, TOP), book), _levels(book.top(Side.SELL, TOP), book)


class Ccxt(Variant):
    """ccxt.pro's book handler alone: its JSON parser, then Binance's spot update-id rule
    written out and `handle_order_book_message`, or HTX's chain rule and `handle_deltas`,
    or `handle_deltas` as its WEEX handler calls them (it checks no update id), on its
    `OrderBook`."""

    name = "ccxt (book)"

    def __init__(self, venue: str) -> None:
        import ccxt.pro

        try:
            import orjson as parser  # what ccxt.pro's socket client parses with, when installed
        except ImportError:
            parser = json  # type: ignore[no-redef]
        self.loads = parser.loads
        self.venue = venue
        clients = {"binance": ccxt.pro.binance, "huobi": ccxt.pro.htx, "weex": ccxt.pro.weex}
        self.exchange = clients[venue]()

    def build(self, snapshot: bytes) -> None:
        raw = json.loads(snapshot)
        parsed = self.exchange.parse_order_book(raw, "BTC/USDT", None, "bids", "asks")
        self.book = self.exchange.order_book(parsed)  # as `watch_order_book` makes it
        self.book["nonce"] = raw.get("lastUpdateId", raw.get("seqNum"))

    def apply(self, frame: str | bytes) -> None:
        if self.venue == "binance":
            message = self.loads(frame)["data"]
            if message["u"] < self.book["nonce"]:
                return
            self.exchange.handle_order_book_message(None, message, self.book)
            return
        if self.venue == "weex":
            event = self.loads(frame)
            self.exchange.handle_deltas(self.book["asks"], event["a"])
            self.exchange.handle_deltas(self.book["bids"], event["b"])
            self.book["nonce"] = event["u"]
            return
        tick = self.loads(gzipped(frame))["tick"]
        if tick["prevSeqNum"] != self.book["nonce"]:
            raise AssertionError("ccxt: sequence broken")
        self.exchange.handle_deltas(self.book["asks"], tick.get("asks", []))
        self.exchange.handle_deltas(self.book["bids"], tick.get("bids", []))
        self.book["nonce"] = tick["seqNum"]

    def read(self) -> Any:
        return self.book["bids"][:TOP], self.book["asks"][:TOP]

    def top(self):  # type: ignore[no-untyped-def]
        def side(rows: list[list[float]]) -> list[tuple[Decimal, Decimal]]:
            return [(Decimal(repr(p)), Decimal(repr(q))) for p, q in rows[:TOP]]

        return side(self.book["bids"]), side(self.book["asks"])


class CcxtFrames(Ccxt):
    """ccxt.pro from the frame, as its socket client hands one over: the client's gunzip
    (HTX's frames) and parse, the exchange's `handle_message` (which finds the stream's
    handler), then `handle_order_book` (its market lookup and update-id rules), the book,
    and the resolution of what a `watch_order_book` would wait on."""

    name = "ccxt (frame)"

    def __init__(self, venue: str) -> None:
        super().__init__(venue)
        from ccxt.async_support.base.ws.client import Client
        from ccxt.async_support.base.ws.functions import gunzip

        market_id = "btcusdt" if venue == "huobi" else "BTCUSDT"
        self.exchange.set_markets([BTCUSDT_MARKET | {"id": market_id}])
        address = CCXT_STREAMS[venue]
        self.client = Client(address, self.exchange.handle_message, None, None, None)
        self.unzip: Callable[[Any], Any] = gunzip if venue == "huobi" else (lambda frame: frame)

    def build(self, snapshot: bytes) -> None:
        super().build(snapshot)
        self.exchange.orderbooks["BTC/USDT"] = self.book

    def apply(self, frame: str | bytes) -> None:
        self.client.handle_text_or_binary_message(self.unzip(frame))


CCXT_STREAMS = {
    "binance": "wss://stream.binance.com:9443/stream",
    "huobi": "wss://api.huobi.pro/ws",
    "weex": "wss://ws-spot.weex.com/v3/ws/public",
}
BTCUSDT_MARKET = {
    "symbol": "BTC/USDT",
    "base": "BTC",
    "quote": "USDT",
    "baseId": "BTC",
    "quoteId": "USDT",
    "type": "spot",
    "spot": True,
    "contract": False,
    "swap": False,
    "future": False,
    "option": False,
    "active": True,
    "precision": {"price": float(TICK), "amount": float(LOT)},
    "limits": {},
}
"""BTCUSDT as ccxt would have loaded it from exchangeInfo (what its handlers read of it)."""


class Cryptofeed(Variant):
    """cryptofeed's book update alone: its decoder (`yapic.json`, Decimal floats), its
    update-id check and its level loop, written out, on its `OrderBook`."""

    name = "cryptofeed (book)"

    def __init__(self) -> None:
        from cryptofeed.types import OrderBook
        from yapic import json as yapic_json

        self.OrderBook = OrderBook
        self.json = yapic_json

    def build(self, snapshot: bytes) -> None:
        raw = self.json.loads(snapshot, parse_float=Decimal)
        self.last_update_id = raw["lastUpdateId"]
        self.book = self.OrderBook(
            "BINANCE",
            "BTC-USDT",
            bids={Decimal(p): Decimal(q) for p, q in raw["bids"]},
            asks={Decimal(p): Decimal(q) for p, q in raw["asks"]},
        )

    def apply(self, frame: str | bytes) -> None:
        message = self.json.loads(frame, parse_float=Decimal)["data"]
        if message["u"] <= self.last_update_id:
            return
        if not message["U"] <= self.last_update_id + 1 <= message["u"]:
            raise AssertionError("cryptofeed: update ids broken")
        self.last_update_id = message["u"]
        book = self.book.book
        for key, side in (("b", book.bids), ("a", book.asks)):
            for update in message[key]:
                price, amount = Decimal(update[0]), Decimal(update[1])
                if amount == 0:
                    if price in side:
                        del side[price]
                else:
                    side[price] = amount

    def read(self) -> Any:
        bids, asks = self.book.book.bids, self.book.book.asks
        return [bids.index(i) for i in range(TOP)], [asks.index(i) for i in range(TOP)]

    def top(self):  # type: ignore[no-untyped-def]
        return tuple(list(side) for side in self.read())


class CryptofeedFrames(Cryptofeed):
    """cryptofeed from the text frame: its Binance feed's `message_handler` (the decode,
    the stream's pair and event), `_book` (the pair's name, the update-id check, the
    level loop and the delta it hands on) and `book_callback`, with no callback set.
    The symbol list it would fetch at start is given to it; its handler's coroutine is
    run to its end for each frame (it awaits nothing real once the book is built)."""

    name = "cryptofeed (frame)"

    def __init__(self) -> None:
        super().__init__()
        from cryptofeed.defines import L2_BOOK
        from cryptofeed.exchanges.binance import Binance
        from cryptofeed.symbols import Symbols

        listed = {"symbols": [BTCUSDT_SYMBOL]}
        Symbols.set(Binance.id, *Binance._parse_symbol_data(listed))
        self.feed = Binance(symbols=["BTC-USDT"], channels=[L2_BOOK], callbacks={})

    def build(self, snapshot: bytes) -> None:
        super().build(snapshot)
        self.feed._l2_book["BTC-USDT"] = self.book
        self.feed.last_update_id["BTC-USDT"] = self.last_update_id

    def apply(self, frame: str | bytes) -> None:
        step = self.feed.message_handler(frame, None, 0.0)
        try:
            step.send(None)
        except StopIteration:
            return
        raise AssertionError("cryptofeed: the handler waited on something")


BTCUSDT_SYMBOL = {
    "symbol": "BTCUSDT",
    "status": "TRADING",
    "baseAsset": "BTC",
    "quoteAsset": "USDT",
    "filters": [{"tickSize": str(TICK)}],
}
"""BTCUSDT as cryptofeed reads it from exchangeInfo."""


class DecodeOnly(Variant):
    name = "msgspec decode only"

    def __init__(self, venue: str) -> None:
        self.venue = venue
        self.decode_binance = msgspec.json.Decoder(binance_schemas.DepthFrame).decode
        self.decode_weex = msgspec.json.Decoder(weex_schemas.DepthEvent).decode
        self.decode_huobi = msgspec.json.Decoder(huobi_schemas.MarketFrame).decode
        self.decode_mbp = msgspec.json.Decoder(huobi_schemas.Mbp).decode

    def build(self, snapshot: bytes) -> None:
        pass

    def apply(self, frame: str | bytes) -> None:
        if self.venue == "binance":
            self.decode_binance(frame)
        elif self.venue == "weex":
            self.decode_weex(frame)
        else:
            self.decode_mbp(self.decode_huobi(gzipped(frame)).tick)

    def top(self):  # type: ignore[no-untyped-def]
        return None


# -- measuring ---------------------------------------------------------------------------


def built(variant: Variant, snapshot: bytes) -> float:
    """Milliseconds to build the book from the snapshot's bytes (the median of a few)."""
    times = []
    for _ in range(SNAPSHOT_BUILDS):
        started = time.perf_counter()
        variant.build(snapshot)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def one_round(variant: Variant, frames: list[str] | list[bytes]) -> tuple[float, float]:
    """µs a message applying `frames`, and µs a top-20 read made every `READ_EVERY` frames
    while the book is being written."""
    apply, read, reads = variant.apply, variant.read, variant.top() is not None
    applying = reading = 0.0
    count = 0
    clock = time.perf_counter
    for start in range(0, len(frames), READ_EVERY):
        began = clock()
        for frame in frames[start : start + READ_EVERY]:
            apply(frame)
        variant.settle()
        applying += clock() - began
        if reads:
            began = clock()
            read()
            reading += clock() - began
            count += 1
    return applying / len(frames) * 1e6, (reading / count * 1e6) if count else 0.0


def run(venue: str, variants: list[Variant], stream: Stream, count: int, rounds: int) -> None:
    framed = {"binance": binance_frames, "weex": weex_frames, "huobi": huobi_frames}[venue]
    snapshot, frames = framed(stream, count)
    expected = (stream.top(Side.BUY), stream.top(Side.SELL))
    print(f"\n{venue}: {count:,} frames in {rounds} interleaved rounds, {LEVELS:,} levels a side")
    steal = Steal()
    build_ms = {v.name: built(v, snapshot) for v in variants}
    per_round: dict[str, list[tuple[float, float]]] = {v.name: [] for v in variants}
    share = -(-len(frames) // rounds)
    for start in range(0, len(frames), share):
        for variant in variants:
            per_round[variant.name].append(one_round(variant, frames[start : start + share]))
    print(f"  {'variant':<22}{'µs/msg':>9}{'top-20 read µs':>16}{'snapshot ms':>13}")
    for variant in variants:
        top = variant.top()
        if top is not None and top != expected:
            raise SystemExit(f"{variant.name}: the final top {TOP} differs from the stream's")
        applying = statistics.median(a for a, _ in per_round[variant.name])
        reading = statistics.median(r for _, r in per_round[variant.name])
        read = f"{reading:.2f}" if top is not None else "-"
        build = f"{build_ms[variant.name]:.1f}" if top is not None else "-"
        print(f"  {variant.name:<22}{applying:>9.2f}{read:>16}{build:>13}")
    ours = per_round["ours"]
    for variant in variants[1:]:
        rounds = zip(ours, per_round[variant.name], strict=True)
        ratios = [theirs[0] / mine[0] for mine, theirs in rounds]
        ratio = statistics.median(ratios)
        print(f"  ours vs {variant.name}: {ratio:.2f}x {'faster' if ratio >= 1 else 'slower'}")
    print(f"  steal: {steal.share():.1f}% of the machine's CPU time, taken by its host")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    try:
        peers_binance: list[Variant] = [CcxtFrames("binance"), Ccxt("binance")]
        peers_binance += [CryptofeedFrames(), Cryptofeed()]
        peers_huobi: list[Variant] = [CcxtFrames("huobi"), Ccxt("huobi")]
        peers_weex: list[Variant] = [CcxtFrames("weex"), Ccxt("weex")]
    except ImportError as missing:
        raise SystemExit(f"the peers are missing ({missing}): pip install -e '.[bench]'") from None
    binance = [Ours("binance"), *peers_binance, DecodeOnly("binance")]
    run("binance", binance, Stream(args.seed), args.messages, args.rounds)
    huobi = [Ours("huobi"), *peers_huobi, DecodeOnly("huobi")]
    run("huobi", huobi, Stream(args.seed), args.messages, args.rounds)
    weex = [Ours("weex"), *peers_weex, DecodeOnly("weex")]
    run("weex", weex, Stream(args.seed), args.messages, args.rounds)


if __name__ == "__main__":
    main()
