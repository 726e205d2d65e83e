"""Requests over a socket matched to answers by id, with the one rule for orders."""

import asyncio

import pytest

from console.errors import InvalidOrder, NetworkError, UnknownStatus
from console.net.wsrpc import RpcChannel


async def test_an_answer_reaches_the_call_with_its_id():
    rpc = RpcChannel(timeout=1)
    sent = []

    async def send(request_id):
        sent.append(request_id)
        asyncio.get_running_loop().call_soon(rpc.answer, request_id, "pong")

    assert await rpc.call(send, "ping", is_order=False) == "pong"
    assert sent == [1]


async def test_a_refusal_is_raised_as_the_venue_said_it():
    rpc = RpcChannel(timeout=1)

    async def send(request_id):
        asyncio.get_running_loop().call_soon(rpc.refuse, request_id, InvalidOrder(-1013, "f"))

    with pytest.raises(InvalidOrder):
        await rpc.call(send, "order.place", is_order=True)


async def test_an_order_unanswered_in_time_is_unknown_and_a_read_is_a_network_error():
    rpc = RpcChannel(timeout=0.01)

    async def send(request_id):
        pass

    with pytest.raises(UnknownStatus):
        await rpc.call(send, "order.place", is_order=True)
    with pytest.raises(NetworkError) as read:
        await rpc.call(send, "time", is_order=False)
    assert not isinstance(read.value, UnknownStatus)


async def test_a_lost_connection_fails_every_waiting_request():
    rpc = RpcChannel(timeout=5)
    waiting = []

    async def send(request_id):
        waiting.append(request_id)

    order = asyncio.create_task(rpc.call(send, "order.cancel", is_order=True))
    read = asyncio.create_task(rpc.call(send, "account.status", is_order=False))
    while len(waiting) < 2:
        await asyncio.sleep(0)
    rpc.connection_lost()
    with pytest.raises(UnknownStatus):
        await order
    with pytest.raises(NetworkError):
        await read
