"""Binance's error answers into the console's taxonomy, judged by what Binance's documents
say each one means, not by the adapter's own table.

The codes and their first message are quoted from Binance's `errors.md` (spot API docs,
"Error codes for Binance"); the HTTP rules from the seed `binance-rest-general.txt`, copied
in `tests/data/seeds`.
Each code's class follows from the document's own words: "execution status unknown" means
the order may exist (reconcile), a request issue (11xx) or a refusal by the API or the
matching engine is a definite no, "too many" is a rate limit, a key or signature problem is
an authentication error, and a timestamp outside the window a clock to measure again.
"""

from pathlib import Path

import pytest

from console.errors import (
    AuthError,
    Banned,
    ClockSkew,
    InsufficientFunds,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    UnknownStatus,
    VenueError,
)
from console.venues.binance.rest import ERRORS, map_error

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"

# (code, name, a message errors.md gives for it, the class its meaning implies)
DOCUMENTED = [
    (-1000, "UNKNOWN", "An unknown error occurred while processing the request.", UnknownStatus),
    (
        -1001,
        "DISCONNECTED",
        "Internal error; unable to process your request. Please try again.",
        NetworkError,
    ),
    (-1002, "UNAUTHORIZED", "You are not authorized to execute this request.", AuthError),
    (-1003, "TOO_MANY_REQUESTS", "Too many requests queued.", RateLimited),
    (
        -1006,
        "UNEXPECTED_RESP",
        "An unexpected response was received from the message bus. Execution status unknown.",
        UnknownStatus,
    ),
    (
        -1007,
        "TIMEOUT",
        "Timeout waiting for response from backend server. Send status unknown; "
        "execution status unknown.",
        UnknownStatus,
    ),
    (
        -1008,
        "SERVER_BUSY",
        "Server is currently overloaded with other requests. Please try again in a few minutes.",
        NetworkError,
    ),
    (-1013, "INVALID_MESSAGE", "Filter failure: PRICE_FILTER", InvalidOrder),
    (-1014, "UNKNOWN_ORDER_COMPOSITION", "Unsupported order combination.", InvalidOrder),
    (-1015, "TOO_MANY_ORDERS", "Too many new orders.", RateLimited),
    (-1016, "SERVICE_SHUTTING_DOWN", "This service is no longer available.", NetworkError),
    (-1020, "UNSUPPORTED_OPERATION", "This operation is not supported.", InvalidOrder),
    (
        -1021,
        "INVALID_TIMESTAMP",
        "Timestamp for this request is outside of the recvWindow.",
        ClockSkew,
    ),
    (-1022, "INVALID_SIGNATURE", "Signature for this request is not valid.", AuthError),
    (-1100, "ILLEGAL_CHARS", "Illegal characters found in a parameter.", InvalidOrder),
    (-1101, "TOO_MANY_PARAMETERS", "Duplicate values for a parameter detected.", InvalidOrder),
    (
        -1102,
        "MANDATORY_PARAM_EMPTY_OR_MALFORMED",
        "A mandatory parameter was not sent, was empty/null, or malformed.",
        InvalidOrder,
    ),
    (-1103, "UNKNOWN_PARAM", "An unknown parameter was sent.", InvalidOrder),
    (-1104, "UNREAD_PARAMETERS", "Not all sent parameters were read.", InvalidOrder),
    (-1105, "PARAM_EMPTY", "A parameter was empty.", InvalidOrder),
    (-1106, "PARAM_NOT_REQUIRED", "A parameter was sent when not required.", InvalidOrder),
    (-1111, "BAD_PRECISION", "Parameter 'price' has too much precision.", InvalidOrder),
    (-1114, "TIF_NOT_REQUIRED", "TimeInForce parameter sent when not required.", InvalidOrder),
    (-1115, "INVALID_TIF", "Invalid timeInForce.", InvalidOrder),
    (-1116, "INVALID_ORDER_TYPE", "Invalid orderType.", InvalidOrder),
    (-1117, "INVALID_SIDE", "Invalid side.", InvalidOrder),
    (-1118, "EMPTY_NEW_CL_ORD_ID", "New client order ID was empty.", InvalidOrder),
    (-1119, "EMPTY_ORG_CL_ORD_ID", "Original client order ID was empty.", InvalidOrder),
    (-1120, "BAD_INTERVAL", "Invalid interval.", InvalidOrder),
    (-1121, "BAD_SYMBOL", "Invalid symbol.", InvalidOrder),
    (-1130, "INVALID_PARAMETER", "Invalid data sent for a parameter.", InvalidOrder),
    # -1131 is from earlier editions of errors.md; the current one leaves it out, but a
    # recvWindow over 60,000 ms is still refused with it.
    (-1131, "BAD_RECV_WINDOW", "recvWindow must be less than 60000", InvalidOrder),
    (-2010, "NEW_ORDER_REJECTED", "Order would immediately match and take.", InvalidOrder),
    (
        -2010,
        "NEW_ORDER_REJECTED",
        "Account has insufficient balance for requested action.",
        InsufficientFunds,
    ),
    (-2011, "CANCEL_REJECTED", "Unknown order sent.", OrderNotFound),
    (
        -2011,
        "CANCEL_REJECTED",
        "Order was not canceled due to cancel restrictions.",
        InvalidOrder,
    ),
    (-2013, "NO_SUCH_ORDER", "Order does not exist.", OrderNotFound),
    (-2014, "BAD_API_KEY_FMT", "API-key format invalid.", AuthError),
    (
        -2015,
        "REJECTED_MBX_KEY",
        "Invalid API-key, IP, or permissions for action.",
        PermissionDenied,
    ),
    (
        -2026,
        "ORDER_ARCHIVED",
        "Order was canceled or expired with no executed qty over 90 days ago and has been "
        "archived.",
        OrderNotFound,
    ),
]


@pytest.mark.parametrize(
    ("code", "name", "msg", "kind"),
    DOCUMENTED,
    ids=[f"{c} {n}: {m[:20]}" for c, n, m, _ in DOCUMENTED],
)
def test_a_documented_error_maps_to_what_its_words_mean(code, name, msg, kind):
    error = map_error(400, code, msg, retry_after=3)
    assert type(error) is kind
    assert (error.code, error.msg) == (code, msg)


def test_the_adapter_knows_no_code_the_document_does_not_list():
    assert set(ERRORS) <= {code for code, *_ in DOCUMENTED}


def test_http_statuses_mean_what_the_rest_document_says():
    general = (SEEDS / "binance-rest-general.txt").read_text()
    assert "HTTP 429 return code is used when breaking a request rate limit." in general
    assert type(map_error(429, None, "", retry_after=7)) is RateLimited
    assert map_error(429, None, "", retry_after=7).retry_after == 7
    assert "HTTP 418 return code is used when an IP has been auto-banned" in general
    assert type(map_error(418, -1003, "Way too much request weight used")) is Banned
    assert "HTTP 4XX return codes are used for for malformed requests" in general
    assert type(map_error(400, -9999, "a code new to us")) is VenueError


def test_the_ws_api_timeout_is_an_unknown_outcome_as_its_document_says():
    ws_api = (SEEDS / "binance-websocket-api-general.txt").read_text()
    assert 'Send status unknown; execution status unknown." (-1007 TIMEOUT)' in ws_api
    assert type(map_error(408, -1007, "Timeout waiting for response")) is UnknownStatus


def test_waf_refusal_without_a_body_is_permission_denied():
    assert type(map_error(403, None, "")) is PermissionDenied
