"""What the console remembers between runs, each in one small JSON file in the data
directory: the screen's (the theme picked in the palette, the symbols pinned to the
watchlist) and the price alerts. A file that cannot be read is taken as empty, and one that
cannot be written costs the memory, never the console."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class Kept:
    def __init__(self, path: Path | None) -> None:
        """`path` None: remembered for this run only (tests, a read-only data directory)."""
        self.path = path
        self._kept: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return kept if isinstance(kept, dict) else {}

    def get(self, key: str) -> Any:
        return self._kept.get(key)

    def keep(self, key: str, value: Any) -> None:
        self._kept[key] = value
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            spare = self.path.with_suffix(".tmp")
            spare.write_text(json.dumps(self._kept), encoding="utf-8")
            os.replace(spare, self.path)
        except OSError as error:
            log.warning("%s in %s is not remembered: %s", key, self.path.name, error)
