"""Binance error codes into the console's taxonomy: one row each."""

import pytest

from console.errors import (
    AuthError,
    Banned,
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

ROWS = [
    (400, -1000, "An unknown error occurred while processing the request.", UnknownStatus),
    (503, -1001, "Internal error; unable to process your request. Please try again.", NetworkError),
    (401, -1002, "You are not authorized to execute this request.", AuthError),
    (429, -1003, "Too much request weight used.", RateLimited),
    (400, -1006, "An unexpected response was received from the message bus.", UnknownStatus),
    (503, -1007, "Timeout waiting for response from backend server.", UnknownStatus),
    (503, -1008, "Server is currently overloaded with other requests.", NetworkError),
    (400, -1013, "Filter failure: PRICE_FILTER", InvalidOrder),
    (400, -1014, "Unsupported order combination.", InvalidOrder),
    (429, -1015, "Too many new orders.", RateLimited),
    (400, -1021, "Timestamp for this request is outside of the recvWindow.", AuthError),
    (400, -1022, "Signature for this request is not valid.", AuthError),
    (400, -1100, "Illegal characters found in parameter 'quantity'.", InvalidOrder),
    (400, -1101, "Duplicate values for a parameter detected.", InvalidOrder),
    (400, -1102, "Mandatory parameter 'price' was not sent.", InvalidOrder),
    (400, -1104, "Not all sent parameters were read.", InvalidOrder),
    (400, -1105, "Parameter 'price' was empty.", InvalidOrder),
    (400, -1106, "Parameter 'price' sent when not required.", InvalidOrder),
    (400, -1111, "Precision is over the maximum defined for this asset.", InvalidOrder),
    (400, -1115, "Invalid timeInForce.", InvalidOrder),
    (400, -1116, "Invalid orderType.", InvalidOrder),
    (400, -1117, "Invalid side.", InvalidOrder),
    (400, -1121, "Invalid symbol.", InvalidOrder),
    (400, -1131, "recvWindow must be less than 60000.", InvalidOrder),
    (400, -2010, "Order would immediately match and take.", InvalidOrder),
    (400, -2010, "Account has insufficient balance for requested action.", InsufficientFunds),
    (400, -2011, "Unknown order sent.", OrderNotFound),
    (400, -2013, "Order does not exist.", OrderNotFound),
    (401, -2014, "API-key format invalid.", AuthError),
    (401, -2015, "Invalid API-key, IP, or permissions for action.", PermissionDenied),
    (418, -1003, "Way too much request weight used; IP banned.", Banned),
]


@pytest.mark.parametrize(
    ("status", "code", "msg", "kind"), ROWS, ids=[f"{c}:{m[:24]}" for _, c, m, _ in ROWS]
)
def test_binance_error_maps_to_its_class(status, code, msg, kind):
    error = map_error(status, code, msg, retry_after=3)
    assert type(error) is kind
    assert (error.code, error.msg) == (code, msg)


def test_every_code_in_the_table_has_a_row():
    assert set(ERRORS) <= {code for _, code, _, _ in ROWS}


def test_rate_limit_carries_retry_after():
    assert map_error(429, -1003, "slow down", retry_after=7).retry_after == 7


def test_unknown_code_is_a_plain_venue_error():
    assert type(map_error(400, -9999, "new to us")) is VenueError


def test_waf_refusal_without_a_body_is_permission_denied():
    assert type(map_error(403, None, "")) is PermissionDenied
