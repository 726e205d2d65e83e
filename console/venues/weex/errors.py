"""WEEX's error codes as `console.errors`: the seed's common and spot tables (v1, codes as
strings inside HTTP 400 or 200 answers), the FAQ's v3 codes, and the v3 codes VENUES.md
lists from widely used clients."""

from __future__ import annotations

from console.errors import (
    AuthError,
    ClockSkew,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    VenueError,
    refusal,
)

CODES: dict[str, type[VenueError]] = {
    # the seed's common error codes
    "40001": AuthError,  # ACCESS_KEY header empty
    "40002": AuthError,  # ACCESS_SIGN header empty
    "40003": AuthError,  # ACCESS_TIMESTAMP header empty
    "40005": ClockSkew,  # invalid ACCESS_TIMESTAMP
    "40006": AuthError,  # invalid ACCESS_KEY
    "40007": InvalidOrder,  # Content-Type is not application/json
    "40008": ClockSkew,  # the request timestamp expired
    "40009": AuthError,  # API verification failed
    "40011": AuthError,  # ACCESS_PASSPHRASE header empty
    "40012": AuthError,  # apikey/passphrase incorrect
    "40013": PermissionDenied,  # the user has been frozen
    "40014": PermissionDenied,  # incorrect permissions
    "40015": NetworkError,  # system error
    "40016": PermissionDenied,  # must bind a phone or Google Authenticator
    "40017": InvalidOrder,  # parameter verification failed
    "40018": PermissionDenied,  # illegal IP request
    # the seed's spot error codes
    "40912": InvalidOrder,  # batch orders: at most 50
    "40913": InvalidOrder,  # orderId or clientId must be passed
    "40102": InvalidOrder,  # no such symbol configuration
    "40200": NetworkError,  # server upgrade, try again later
    "40305": InvalidOrder,  # client_oid longer than 40 or with special characters
    "40409": InvalidOrder,  # wrong format
    "40704": InvalidOrder,  # only the last three months
    "40707": InvalidOrder,  # start time after end time
    "40724": InvalidOrder,  # a parameter is empty
    "40725": NetworkError,  # the spot service returned an error: it may have acted
    # v3 (the FAQ, and VENUES.md from ccxt's weex.py)
    "-1043": ClockSkew,  # invalid ACCESS_TIMESTAMP
    "-1046": ClockSkew,  # ACCESS_TIMESTAMP expired
    "-1049": AuthError,  # key or passphrase incorrect
    "-1052": PermissionDenied,  # insufficient permissions
    "-1054": OrderNotFound,  # cancel: the order does not exist
    "-1056": PermissionDenied,  # illegal IP
    "-1160": InvalidOrder,  # decimal precision error
    "-1180": InvalidOrder,  # client_oid longer than 40 or with special characters
    "-2200": OrderNotFound,  # spot order does not exist
    # v3 is Binance-shaped: where WEEX documents no code of its own, Binance's generic ones
    "-1000": NetworkError,  # an unknown error: it may have acted
    "-1007": NetworkError,  # timeout waiting for the backend: it may have acted
    "-1100": InvalidOrder,  # a parameter is not what it takes
    "-2010": InvalidOrder,  # the new order was rejected
}
RATE_LIMIT_CODES = frozenset({"429"})


def map_error(
    status: int, code: str | int | None, msg: str, retry_after: float = 1.0
) -> VenueError:
    """A WEEX refusal (v1's string code, or v3's number) as one of `console.errors`."""
    text = None if code is None else str(code)
    kind = CODES.get(text) if text is not None else None
    return refusal(status, text, msg, kind, text in RATE_LIMIT_CODES, retry_after)
