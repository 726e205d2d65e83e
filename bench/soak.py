"""The console left open under a busy market: memory, CPU and open files every minute for
an hour (compress it with `--seconds` and `--every`); the figure is the growth over the
last half, which should be flat when nothing grows without bound.

    python bench/soak.py [--seconds 3600] [--every 60] [--rate 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from harness import Console, Simulator, cpu_seconds, open_files, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3600)
    parser.add_argument("--every", type=float, default=60)
    parser.add_argument("--rate", type=float, default=5000)
    args = parser.parse_args()
    sim = Simulator(args.rate)
    with tempfile.TemporaryDirectory() as home:
        console = Console(sim, Path(home), (120, 40))
        try:
            console.wait_for("book LIVE", 60)
            started = time.monotonic()
            samples = []
            cpu_before, at = cpu_seconds(console.pid), started
            print(f"{'minute':>7}{'RSS MB':>9}{'CPU %':>8}{'files':>7}", flush=True)
            while (now := time.monotonic()) - started <= args.seconds:
                console.read(args.every, render=False)
                now = time.monotonic()
                cpu = cpu_seconds(console.pid)
                sample = (
                    rss_mb(console.pid),
                    (cpu - cpu_before) / (now - at) * 100,
                    open_files(console.pid),
                )
                cpu_before, at = cpu, now
                samples.append(sample)
                print(
                    f"{(now - started) / 60:>7.1f}{sample[0]:>9.1f}{sample[1]:>8.1f}{sample[2]:>7}",
                    flush=True,
                )
        finally:
            console.close()
            sim.stop()
    half = samples[len(samples) // 2]
    last = samples[-1]
    growth = (last[0] - half[0]) / half[0] * 100
    print(
        f"memory growth over the last half: {growth:+.1f}% ({half[0]:.1f} -> {last[0]:.1f} MB); "
        f"open files {half[2]} -> {last[2]}"
    )


if __name__ == "__main__":
    main()
