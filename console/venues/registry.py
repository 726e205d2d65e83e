"""Every venue the console speaks, by name: what it can do and how to connect to it.

Start-up, the doctor and the command line know venues only through this table; a venue
package adds one `VenueEntry` and nothing above `venues/` changes.
"""

from __future__ import annotations

from console.config import ConfigError
from console.venues.base import VenueEntry
from console.venues.binance.adapter import ENTRY as BINANCE
from console.venues.huobi.adapter import ENTRY as HUOBI
from console.venues.weex.entry import ENTRY as WEEX

VENUES: dict[str, VenueEntry] = {entry.name: entry for entry in (BINANCE, HUOBI, WEEX)}
NAMES = tuple(VENUES)


def venue_entry(name: str) -> VenueEntry:
    try:
        return VENUES[name]
    except KeyError:
        raise ConfigError(f"no venue {name!r}; the console speaks {', '.join(NAMES)}") from None


def api_of(entry: VenueEntry, api: str, paper: bool = False) -> str:
    """The API to speak: demo trading, the one asked for (checked), or the default."""
    if paper:
        if entry.paper is None:
            raise ConfigError(f"{entry.name} has no demo trading (--paper)")
        return entry.paper
    if not api:
        return entry.apis[0]
    if api not in entry.apis:
        known = ", ".join(a for a in entry.apis if a) or "only one"
        raise ConfigError(f"{entry.name} has no API {api!r}; it speaks {known}")
    return api
