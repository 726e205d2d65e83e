"""Where the console's credentials come from.

Environment variables only, for now: `BINANCE_API_KEY` with either `BINANCE_API_SECRET`
(HMAC) or `BINANCE_ED25519_KEY_FILE` (a PEM private key, needed for `session.logon`).
A key file readable by group or others is refused, with the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A configuration problem, worded for the trader, with no secret in it."""


@dataclass(frozen=True)
class Credentials:
    api_key: str
    secret: str | None = None
    ed25519_key_file: Path | None = None

    def __repr__(self) -> str:
        return f"Credentials(api_key={self.api_key[:6]}…)"


def venue_credentials(venue: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The venue's credentials from the environment, or None when none are configured."""
    env = os.environ if environ is None else environ
    prefix = venue.upper()
    api_key = env.get(f"{prefix}_API_KEY")
    if not api_key:
        return None
    secret = env.get(f"{prefix}_API_SECRET") or None
    key_file = env.get(f"{prefix}_ED25519_KEY_FILE")
    path = Path(key_file).expanduser() if key_file else None
    if secret is None and path is None:
        raise ConfigError(
            f"{prefix}_API_KEY is set but neither {prefix}_API_SECRET nor "
            f"{prefix}_ED25519_KEY_FILE is"
        )
    if path is not None:
        check_private(path)
    return Credentials(api_key, secret, path)


def check_private(path: Path) -> None:
    """Refuse a secrets file that group or others can read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} is readable by group or others; run: chmod 600 {path}")
