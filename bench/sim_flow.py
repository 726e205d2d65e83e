"""Simulator throughput: what 5,000 book events a second cost the machine.

Runs the seeded synthetic flow through the matching engine for a fixed number of events,
first bare (the baseline), then with the Binance front's listeners attached (depth
batching, trade and user-data fan-out), and prints microseconds per event, the share of
one core that 5,000 events a second would take, and the front's overhead over the baseline.

    python bench/sim_flow.py
"""

from __future__ import annotations

import time

from console.sim.exchange import SimExchange
from console.sim.fronts.binance import BinanceFront

EVENTS = 50_000
TARGET_RATE = 5_000


def run(with_front: bool) -> float:
    exchange = SimExchange(seed=11, rate=TARGET_RATE)
    if with_front:
        BinanceFront(exchange)
    market = exchange.market
    produced = 0
    start = time.perf_counter()
    while produced < EVENTS:
        produced += market.advance(0.02)
    return (time.perf_counter() - start) / produced * 1e6


def main() -> None:
    bare = min(run(with_front=False) for _ in range(3))
    fronted = min(run(with_front=True) for _ in range(3))
    print(f"synthetic flow, {EVENTS:,} book events, best of 3:")
    for name, micros in (("engine alone", bare), ("engine + Binance front", fronted)):
        share = micros * TARGET_RATE / 1e6
        print(f"  {name:<24}{micros:7.1f} µs/event   {share:5.1%} of a core at {TARGET_RATE:,}/s")
    print(f"  front overhead: {fronted / bare:.2f}× the engine alone")


if __name__ == "__main__":
    main()
