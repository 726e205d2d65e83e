"""The console as a trader sees it under a firehose: a real pseudo-terminal at 120x40 and
80x24, the simulator in its own process at 1,000, 5,000 and 10,000 book events a second
and at 2,000 trades a second, and the same console on a quiet venue (50 a second) as the
baseline in the same run.

For each run: CPU of the console process (share of one core), frames a second (bursts of
terminal output), bytes a second to the terminal, keypress-to-screen latency (`+`/`-`
regroup the ladder; timed until the new step shows), resident memory at start and end,
the time from start to the first LIVE book, and the share of the machine's CPU time its
host took for other machines meanwhile (steal).

    python bench/ui.py [--seconds 60] [--rates 50,1000,5000,10000] [--sizes 120x40,80x24]
                       [--venues 1,3]

With `--venues 3`, the console runs Binance, Huobi and WEEX at once, each on a simulator
of its own at the rate given, beside the one-venue figures of the same run.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from harness import Console, Simulator, Steal, cpu_seconds, percentile, rss_mb

KEYS = (("+", "step 0.02"), ("-", "step 0.01"))
VENUES = ("binance", "huobi", "weex")
"""The venues of a run on several, each on a simulator of its own at the rate given."""


def run(
    rate: float,
    size: tuple[int, int],
    seconds: float,
    take_share: float | None = None,
    venues: int = 1,
) -> dict[str, float]:
    extra = ["--take-share", str(take_share)] if take_share else None
    sims = [Simulator(rate, extra, venue) for venue in VENUES[:venues]]
    with tempfile.TemporaryDirectory() as home:
        console = Console(sims if venues > 1 else sims[0], Path(home), size)
        try:
            first_live = console.wait_for("book LIVE", 60)
            console.wait_for("step 0.01")
            for _ in range(2):  # out of the ticket's price field, then the ticket: the book
                console.press("\x1b")
                console.read(0.5)
            console.read(1.5)  # settle
            rss_start = rss_mb(console.pid)
            cpu_start, started, steal = cpu_seconds(console.pid), time.monotonic(), Steal()
            console.bytes_read = console.bursts = 0
            latencies = []
            next_key = started + 1.0
            turn = 0
            while (now := time.monotonic()) - started < seconds:
                if now >= next_key:
                    key, needle = KEYS[turn % 2]
                    turn += 1
                    sent = time.monotonic()
                    console.press(key)
                    while needle not in console.text():
                        if time.monotonic() - sent > 10:
                            raise SystemExit(f"{key!r} never showed:\n{console.text()}")
                        console.read(0.002)
                    latencies.append((time.monotonic() - sent) * 1000)
                    next_key = time.monotonic() + 1.0
                console.read(0.05)
            elapsed = time.monotonic() - started
            figures = {
                "cpu": (cpu_seconds(console.pid) - cpu_start) / elapsed * 100,
                "fps": console.bursts / elapsed,
                "kbps": console.bytes_read / elapsed / 1000,
                "p50": percentile(latencies, 0.5),
                "p99": percentile(latencies, 0.99),
                "rss_start": rss_start,
                "rss_end": rss_mb(console.pid),
                "first_live": first_live,
                "steal": steal.share(),
            }
        finally:
            console.close()
            for sim in sims:
                sim.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rates", default="50,1000,5000,10000")
    parser.add_argument("--sizes", default="120x40,80x24")
    parser.add_argument(
        "--trades", type=float, default=2000, help="a run at this many prints a second (0: none)"
    )
    parser.add_argument(
        "--venues",
        default="1",
        help="venues in one console, each on its own simulator at the rate (e.g. 1,3)",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.venues.split(",")]
    rates = [float(r) for r in args.rates.split(",")]
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    print(
        f"{'venues':<7}{'size':<8}{'events/s':>9}{'CPU %':>8}{'fps':>7}{'KB/s':>8}"
        f"{'key p50 ms':>12}{'p99 ms':>8}{'RSS MB':>14}{'first LIVE s':>14}{'steal %':>9}"
    )
    baseline: dict[tuple[int, int], float] = {}
    runs: list[tuple[float, float | None]] = [(rate, None) for rate in rates]
    if args.trades:
        runs.append((args.trades * 2, 0.5))  # half the events take: the prints a second asked
    for count, size, (rate, share) in itertools.product(counts, sizes, runs):
        if count > 1 and share:
            continue  # the prints' run is the one venue's
        f = run(rate, size, args.seconds, share, count)  # type: ignore[arg-type]
        baseline.setdefault(size, f["cpu"])  # type: ignore[arg-type]
        label = f"{size[0]}x{size[1]}" + (" trades" if share else "")
        print(
            f"{count:<7}{label:<8}{rate:>9.0f}{f['cpu']:>8.1f}{f['fps']:>7.1f}{f['kbps']:>8.1f}"
            f"{f['p50']:>12.1f}{f['p99']:>8.1f}{f['rss_start']:>7.0f}->{f['rss_end']:<5.0f}"
            f"{f['first_live']:>13.2f}{f['steal']:>9.1f}"
            f"  CPU {f['cpu'] / max(baseline[size], 0.1):.1f}x quiet",  # type: ignore[index]
            flush=True,
        )


if __name__ == "__main__":
    main()
