"""The console's log: a private file, quiet libraries, and no secret in any line.

The log lives in the data directory (0700) as a 0600 file. HTTP libraries log every URL
at INFO, and a signed URL carries its signature, which another user of the box could replay
within the request's recvWindow; so they log warnings only, and every line still passes a
filter that blanks signatures, keys and secrets whatever wrote it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from console.config import Locations, create_private

SECRET = re.compile(
    r"(?i)(signature|sign|api[-_]?key|x-mbx-apikey|secret|access-sign|access[-_]?key(?:id)?"
    r"|passphrase)"
    r"""(["']?\s*[=:]\s*["']?)([^&\s"',}]+)"""
)
CHATTY = ("httpx", "httpcore", "websockets", "aiohttp.access")


def redact(text: str) -> str:
    """`text` with the value of every signature, key or secret replaced."""
    return SECRET.sub(r"\1\2<redacted>", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def setup_logging(locations: Locations, level: int = logging.INFO) -> logging.Handler:
    """Log to `console.log` in the private data dir; returns the handler it added."""
    path: Path = locations.private_data_dir() / "console.log"
    create_private(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
