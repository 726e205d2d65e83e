"""Keypress to order at the engine, over loopback: the ticket filled once, then `enter`
pressed for each order, timed from the key to the engine taking the order. Two paths:
REST (an HMAC key) and the WebSocket API (an Ed25519 key, which logs the session on).

The simulator runs in this process, so the engine's own clock stamps each order; the
console runs in a real pseudo-terminal. Orders are paced under the venue's 100 per 10 s.

    python bench/orders.py [--orders 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)
from harness import Console, percentile

from console.sim.exchange import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    TRADER_ACCOUNT,
    Credential,
    SimExchange,
)
from console.sim.server import SimServer
from console.sim.state import Event, ExecType, OrderChanged

PAGE_DOWN = "\x1b[6~"
PACE = 0.11
"""Seconds between orders: under Binance's 100 new orders per 10 s."""
ED25519_KEY = "bench-ed25519"


class InProcessSim:
    """The simulator on a loop of its own thread, stamping each order the engine takes."""

    def __init__(self) -> None:
        self.exchange = SimExchange(rate=50)
        self.exchange.add_credential(
            Credential(DEMO_API_KEY, TRADER_ACCOUNT, secret=DEMO_API_SECRET.encode())
        )
        self.taken: list[float] = []
        self.exchange.engine.subscribe(self._stamp)
        self.loop = asyncio.new_event_loop()
        self.server = SimServer(self.exchange)
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.rest = asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(30)
        self.ws = self.rest.replace("http://", "ws://")

    def _stamp(self, event: Event) -> None:
        if (
            isinstance(event, OrderChanged)
            and event.exec_type is ExecType.NEW
            and event.order.account == TRADER_ACCOUNT
        ):
            self.taken.append(time.monotonic())

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)


def run(path: str, orders: int) -> list[float]:
    sim = InProcessSim()
    env: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as home:
        if path == "websocket":
            key = Ed25519PrivateKey.generate()
            pem = Path(home) / "bench.pem"
            pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
            os.chmod(pem, 0o600)
            sim.exchange.add_credential(
                Credential(ED25519_KEY, TRADER_ACCOUNT, ed25519=key.public_key())
            )
            env = {
                "BINANCE_CUSTOM_API_KEY": ED25519_KEY,
                "BINANCE_CUSTOM_API_SECRET": "",
                "BINANCE_CUSTOM_ED25519_KEY_FILE": str(pem),
            }
        console = Console(sim, Path(home), (120, 40), env)  # type: ignore[arg-type]
        try:
            console.wait_for("user LIVE", 60)
            console.press("b")
            console.read(0.3)
            console.press("\x1b")
            console.read(0.3)
            for key in ("B", PAGE_DOWN, PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.0001"):
                console.press(key)
                console.read(0.1)
            console.wait_for("ready: enter to submit")
            latencies = []
            for n in range(orders):
                before = len(sim.taken)
                sent = time.monotonic()
                console.press("\r")
                while len(sim.taken) == before:
                    if time.monotonic() - sent > 10:
                        raise SystemExit(f"order {n} never reached the engine:\n{console.text()}")
                    console.read(0.001, render=False)
                latencies.append((sim.taken[-1] - sent) * 1000)
                console.read(max(0.0, PACE - (time.monotonic() - sent)), render=False)
        finally:
            console.close()
            sim.stop()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()
    print(f"{'path':<10}{'orders':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for path in ("rest", "websocket"):
        ms = run(path, args.orders)
        print(
            f"{path:<10}{len(ms):>8}{percentile(ms, 0.5):>9.2f}{percentile(ms, 0.99):>9.2f}"
            f"{max(ms):>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
