"""Full-jitter exponential backoff with a cap.

Many clients reconnecting in step after a venue hiccup make the next hiccup; a random delay
up to an exponentially growing, capped bound spreads them out (cryptofeed backs off without
jitter or cap, which is what this avoids).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        bound = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return self.rng.uniform(0, bound)

    def reset(self) -> None:
        self.attempt = 0
