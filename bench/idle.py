"""The console at rest: its CPU on a still market and on the default one (50 book events a
second), this checkout beside another one in interleaved rounds, so that the ratio holds
whatever else the machine does that hour.

    python bench/idle.py [--seconds 25] [--rounds 3] [--rates 0 50] [--against ../other]

`--against` is the folder of another checkout (a `git worktree add ../other <commit>`);
without it, this checkout alone. Each run starts the simulator (this checkout's, in a
process of its own), the console in a pseudo-terminal at 120x40 pointed at it, waits for
a LIVE book and a settled screen, then reads over `--seconds` the console's CPU (share of
one core), its frames (bursts of output) and the bytes it sent the terminal; the two
take turns going first in a round. Medians per checkout and rate, and this checkout's
CPU as a share of the other's, round by round. The screen % column is the part of the CPU
that the screen's thread (the process's main one) took; the rest is the trading core's and
the helpers'. The last column is the share of the
machine's CPU time its host took for other machines meanwhile (steal): CPU figures hold up
under it better than times do, but a run with much of it is worth running again.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from harness import Console, Simulator, Steal, cpu_seconds

HERE = Path(__file__).resolve().parents[1]
SIZE = (120, 40)
SETTLE = 2.0
"""Seconds left to the screen after the book is LIVE and the keys that settle it."""


def run(checkout: Path, rate: float, seconds: float) -> tuple[float, float, float, float, float]:
    """CPU %, of which the screen's thread's (the main one), frames a second and KB a second
    of the console of `checkout`, and the share of the machine's CPU time its host took
    meanwhile (`Steal`)."""
    sim = Simulator(rate)
    with tempfile.TemporaryDirectory() as home:
        console = Console(sim, Path(home), SIZE, env={"PYTHONPATH": str(checkout)})
        try:
            console.wait_for("book LIVE", 60)
            console.press("\x1b")
            console.read(SETTLE)
            console.bytes_read = console.bursts = 0
            cpu, started, steal = cpu_seconds(console.pid), time.monotonic(), Steal()
            screen = cpu_seconds(console.pid, console.pid)
            console.read(seconds)
            elapsed = time.monotonic() - started
            return (
                (cpu_seconds(console.pid) - cpu) / elapsed * 100,
                (cpu_seconds(console.pid, console.pid) - screen) / elapsed * 100,
                console.bursts / elapsed,
                console.bytes_read / elapsed / 1000,
                steal.share(),
            )
        finally:
            console.close()
            sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rates", nargs="+", type=float, default=[0.0, 50.0])
    parser.add_argument("--against", type=Path, help="another checkout's folder")
    args = parser.parse_args()
    checkouts = {"this": HERE}
    if args.against is not None:
        checkouts["other"] = args.against.resolve()
    print(
        f"{'rate':>6} {'checkout':<9} {'CPU %':>7} {'screen %':>9} {'fps':>6} {'KB/s':>7}"
        f" {'steal %':>7}"
    )
    for rate in args.rates:
        runs: dict[str, list[tuple[float, ...]]] = {name: [] for name in checkouts}
        for round_ in range(args.rounds):
            order = list(checkouts.items())
            for name, checkout in order[:: 1 if round_ % 2 == 0 else -1]:  # each goes first
                runs[name].append(run(checkout, rate, args.seconds))
        for name, figures in runs.items():
            cpu, screen, fps, kbs, steal = (
                statistics.median(column) for column in zip(*figures, strict=True)
            )
            print(
                f"{rate:>6.0f} {name:<9} {cpu:>7.1f} {screen:>9.1f} {fps:>6.1f} {kbs:>7.1f}"
                f" {steal:>7.1f}"
            )
        if "other" in runs:
            shares = [mine[0] / theirs[0] for mine, theirs in zip(*runs.values(), strict=True)]
            share = statistics.median(shares)
            print(f"{rate:>6.0f} this/other CPU: {share:.2f} (the median of the rounds' own)")


if __name__ == "__main__":
    main()
