"""Responsiveness under a firehose: keypress latency with the venue sending 5,000 book
events a second, against the same console with a quiet venue in the same run.

The simulator runs in its own process (as a venue would be remote); the console runs
headless in this one. Each sample sends `+` or `-` to the book through the terminal driver
(a grouping change the ladder must redraw) and times (a) until the action has run and (b)
until the ladder has rendered with it. "Within one frame" means (b) under the frame
interval (50 ms at the default 20 Hz).

    python bench/keypress.py [--rate 5000] [--samples 60]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from textual import events

from console.config import Config
from console.launch import free_port
from console.trading.journal import Journal
from console.trading.session import TradingSession
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.ui.widgets.orderbook import OrderBookLadder
from console.venues.binance.adapter import BinanceCredentials, BinanceEndpoints, BinanceVenue
from console.venues.feeds import BookState


def start_simulator(
    rate: float, key: Ed25519PrivateKey, folder: Path
) -> tuple[subprocess.Popen[bytes], int]:
    public = folder / "bench.pub.pem"
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "sim",
            "--port",
            str(port),
            "--rate",
            str(rate),
            "--ed25519-public-key",
            str(public),
            "--ed25519-api-key",
            "bench",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(b"Ctrl+C"):
            break
    return process, port


async def measure(rate: float, samples: int) -> dict[str, list[float]]:
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        process, port = start_simulator(rate, key, Path(folder))
        try:
            venue = BinanceVenue(
                BinanceEndpoints.on(f"http://127.0.0.1:{port}"),
                BinanceCredentials("bench", ed25519_key=key),
            )
            session = TradingSession(
                venue, Config(), simulated=True, journal=Journal(":memory:", "bench")
            )

            async def stop() -> None:
                await session.close()

            app = TradingApp(session, session.start, stop, load_keymap("default"))
            async with app.run_test(size=(120, 40)):
                while not (
                    app.started
                    and session.market is not None
                    and session.market.book.state is BookState.LIVE
                ):
                    await asyncio.sleep(0.05)
                await asyncio.sleep(2)  # let the firehose settle in
                ladder = app.query_one(OrderBookLadder)
                driver = app._driver  # keys go in where a terminal's would
                assert driver is not None
                rendered: list[tuple[float, int]] = []
                render = ladder.render

                def timed_render() -> object:
                    result = render()
                    rendered.append((time.perf_counter(), ladder.grouping))
                    return result

                ladder.render = timed_render  # type: ignore[method-assign]
                jitter = random.Random(7)
                handled, drawn = [], []
                for i in range(samples):
                    key, char = ("plus", "+") if i % 2 == 0 else ("minus", "-")
                    before = ladder.grouping
                    started = time.perf_counter()
                    driver.send_message(events.Key(key, char))
                    while ladder.grouping == before:
                        await asyncio.sleep(0.0005)
                    handled.append(time.perf_counter() - started)
                    while not any(at > started and g == ladder.grouping for at, g in rendered):
                        await asyncio.sleep(0.0005)
                    drawn.append(
                        next(at for at, g in rendered if at > started and g == ladder.grouping)
                        - started
                    )
                    rendered.clear()
                    await asyncio.sleep(jitter.uniform(0.05, 0.15))  # no lock-step with frames
                frames = app.clock.frames
            return {"handled": handled, "drawn": drawn, "frames": [frames]}
        finally:
            process.terminate()
            process.wait(5)


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=5000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    frame_ms = 1000 / Config().frame_rate
    quiet = asyncio.run(measure(0, args.samples))
    busy = asyncio.run(measure(args.rate, args.samples))
    print(f"keypress on the book ladder, {args.samples} samples each, frame {frame_ms:.0f} ms")
    for label, result in (("quiet venue (0/s)", quiet), (f"firehose ({args.rate:,.0f}/s)", busy)):
        print(f"  {label}")
        print(f"    key handled   {summary(result['handled'])}")
        print(f"    key drawn     {summary(result['drawn'])}")
    within = sum(d * 1000 <= frame_ms for d in busy["drawn"]) / len(busy["drawn"])
    ratio = statistics.median(busy["drawn"]) / statistics.median(quiet["drawn"])
    print(
        f"  under the firehose {within:.0%} of keypresses were drawn within one frame; "
        f"median {ratio:.2f}× the quiet venue's"
    )


if __name__ == "__main__":
    main()
