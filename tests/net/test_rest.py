"""The REST client's rules, venue-neutral: envelopes, the one order rule, 429 and 418."""

import json
import time

import httpx
import pytest

from console.errors import (
    Banned,
    InvalidOrder,
    NetworkError,
    NotSent,
    RateLimited,
    UnknownStatus,
    VenueError,
)
from console.net.backoff import Backoff
from console.net.limiter import Limiter, TokenBucket
from console.net.rest import Prepared, Request, RestClient
from tests.fakes import FakeTime


class EnvelopeDialect:
    """A venue that answers `{"ok": true, "data": ...}` or `{"ok": false, "err": ...}` inside
    HTTP 200, as Huobi and WEEX do, with "busy" meaning try again."""

    def prepare(self, request):
        return Prepared("", None, {})

    def error(self, status, body, retry_after):
        text = json.loads(body or b"{}").get("err", "")
        if status == 429:
            return RateLimited(retry_after, "429", text)
        if status == 418:
            return Banned(time.time() + retry_after, "418", text)
        return NetworkError("busy", text) if text == "busy" else InvalidOrder("bad", text)

    def unwrap(self, body):
        answer = json.loads(body)
        if not answer["ok"]:
            raise self.error(200, body, 1.0)
        return json.dumps(answer["data"]).encode()

    def observe(self, headers, limiter, request):
        pass


def client(handler, fake):
    limiter = Limiter(
        {"weight": TokenBucket(100, 60, updated=fake.now)},
        clock=fake.clock,
        wall=fake.clock,
        sleep=fake.sleep,
    )
    return RestClient(
        "http://venue",
        EnvelopeDialect(),
        limiter,
        backoff=Backoff(0.01, 0.01),
        transport=httpx.MockTransport(handler),
    )


def order():
    return Request("POST", "/order", costs={"weight": 1}, signed=True, is_order=True)


def read():
    return Request("GET", "/book", costs={"weight": 1})


@pytest.fixture
def fake():
    return FakeTime(1000.0)


async def test_a_payload_comes_out_of_its_envelope(fake):
    rest = client(lambda r: httpx.Response(200, json={"ok": True, "data": [1, 2]}), fake)
    assert json.loads(await rest.send(read())) == [1, 2]


async def test_a_refusal_inside_http_200_is_raised_as_the_venues_error(fake):
    rest = client(lambda r: httpx.Response(200, json={"ok": False, "err": "no"}), fake)
    with pytest.raises(InvalidOrder):
        await rest.send(order())


async def test_an_order_answered_with_a_retryable_error_is_unknown_not_refused(fake):
    rest = client(lambda r: httpx.Response(200, json={"ok": False, "err": "busy"}), fake)
    with pytest.raises(UnknownStatus):
        await rest.send(order())


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_5xx_leaves_an_order_unknown_and_a_read_retried(fake, status):
    calls = []

    def answer(request):
        calls.append(request.method)
        return httpx.Response(status, json={"err": "x"})

    rest = client(answer, fake)
    with pytest.raises(UnknownStatus):
        await rest.send(order())
    with pytest.raises(NetworkError):
        await rest.send(read())
    assert calls == ["POST"] + ["GET"] * 4


async def test_a_timeout_leaves_an_order_unknown(fake):
    def answer(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(UnknownStatus):
        await client(answer, fake).send(order())


async def test_an_order_that_could_not_connect_was_not_sent(fake):
    def answer(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(NotSent):
        await client(answer, fake).send(order())


async def test_429_pauses_every_request_for_its_retry_after(fake):
    rest = client(lambda r: httpx.Response(429, headers={"Retry-After": "7"}, json={}), fake)
    with pytest.raises(RateLimited) as limited:
        await rest.send(order())
    assert limited.value.retry_after == 7
    assert rest.limiter.paused_until == pytest.approx(fake.now + 7)


async def test_418_bans_every_request_until_it_ends(fake):
    rest = client(lambda r: httpx.Response(418, headers={"Retry-After": "120"}, json={}), fake)
    with pytest.raises(Banned):
        await rest.send(read())
    assert rest.limiter.banned_until > fake.now + 100
    with pytest.raises(VenueError):
        await rest.send(read())
