"""One error taxonomy for every venue.

Adapters map their own codes (Binance -1xxx/-2xxx and HTTP status, Huobi err-code strings,
WEEX codes) into these classes, so the order manager and the UI decide what to do from the
class alone: retry, wait, reconcile or show the trader why an order was refused.
"""

from __future__ import annotations


class VenueError(Exception):
    """An error the venue reported, with its own code and message kept for the trader."""

    def __init__(self, code: int | str | None = None, msg: str = "") -> None:
        self.code = code
        self.msg = msg
        super().__init__(f"[{code}] {msg}" if code is not None else msg)


class NetworkError(VenueError):
    """The request did not get a definite answer; safe to retry for reads only."""


class NotSent(NetworkError):
    """The request never left this machine (no connection): nothing can have happened."""


class RateLimited(VenueError):
    """A request rate limit was hit; nothing may be sent before `retry_after` seconds pass."""

    def __init__(self, retry_after: float, code: int | str | None = None, msg: str = "") -> None:
        self.retry_after = retry_after
        super().__init__(code, msg)


class Banned(VenueError):
    """The venue banned this IP until `until` (epoch seconds) for ignoring rate limits."""

    def __init__(self, until: float, code: int | str | None = None, msg: str = "") -> None:
        self.until = until
        super().__init__(code, msg)


class AuthError(VenueError):
    """The key, signature or timestamp was refused."""


class ClockSkew(VenueError):
    """The venue refused the request's timestamp: its clock and this machine's disagree.
    Not a refused key: nothing was done, and the request may go again once the clock is
    measured again."""


class PermissionDenied(AuthError):
    """The key is valid but lacks the permission for this action."""


class InvalidOrder(VenueError):
    """The order was refused as malformed or outside the instrument's filters."""


class InsufficientFunds(InvalidOrder):
    """The account cannot cover the order."""


class OrderNotFound(VenueError):
    """The venue does not know the order (yet, or any more)."""


class UnknownStatus(VenueError):
    """The venue may or may not have acted: reconcile by client order id, never resend."""


def for_order(failure: VenueError) -> VenueError:
    """The one rule for requests that change orders: a failure that is not a definite
    answer (a timeout, a lost connection, a 5XX, -1007) means the venue may have acted, so
    the order's outcome is UNKNOWN and it is reconciled, never sent again."""
    if isinstance(failure, NetworkError) and not isinstance(failure, NotSent):
        return UnknownStatus(failure.code, failure.msg)
    return failure


def refusal(
    status: int,
    code: int | str | None,
    msg: str,
    kind: type[VenueError] | None,
    rate_limited: bool = False,
    retry_after: float = 1.0,
) -> VenueError:
    """A venue's refusal once its own table has named its `kind` (None when the code is
    not in it): over a rate limit first, then the table's word, then by the HTTP status."""
    if status == 429 or rate_limited:
        return RateLimited(retry_after, code, msg)
    if kind is not None:
        return kind(code, msg)
    if status >= 500:
        return NetworkError(code, msg or f"HTTP {status}")
    return VenueError(code, msg or f"HTTP {status}")
