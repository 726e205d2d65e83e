"""A simulated socket in another venue's style: gzip-compressed binary frames and JSON
pings the client must answer, as Huobi's market stream speaks, met by the console's
stream supervisor with the matching framing."""

import json

import pytest
from aiohttp import web

from console.net.backoff import Backoff
from console.net.stream import Stream, StreamRules, gzipped
from console.sim.chaos import Chaos
from console.sim.fronts.sockets import SimSocket, SocketRules, SocketStyle
from tests.fakes import until

HUOBI_LIKE = SocketStyle(
    gzip=True,
    json_ping=lambda ms: json.dumps({"ping": ms}),
    is_pong=lambda text: "pong" in json.loads(text),
)
RULES = SocketRules(ping_interval=0.1, pong_timeout=0.6)


class Client:
    """A handler that answers JSON pings (or not) and notes every other frame."""

    def __init__(self, answers_pings):
        self.answers_pings = answers_pings
        self.pings, self.frames, self.opens = 0, [], 0

    async def on_open(self, stream):
        self.opens += 1
        await stream.send(json.dumps({"sub": "market.btcusdt.trade.detail"}))

    def on_frame(self, frame):
        message = json.loads(frame)
        if "ping" in message:
            self.pings += 1
            return json.dumps({"pong": message["ping"]}) if self.answers_pings else None
        self.frames.append(message)
        return None

    def on_quiet(self, quiet):
        pass

    def on_close(self):
        pass


@pytest.fixture
async def server():
    async def handle(request):
        socket = SimSocket(request, RULES, Chaos(), HUOBI_LIKE)

        async def on_text(text):
            socket.send(json.dumps({"subbed": json.loads(text)["sub"], "status": "ok"}))

        return await socket.serve(on_text, lambda: "{}")

    app = web.Application()
    app.router.add_get("/ws", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}/ws"
    await runner.cleanup()


def stream(url, client):
    rules = StreamRules(heartbeat_window=30, quiet_after=5, ping_interval=5, max_age=3600)
    return Stream("huobi-like", url, client, rules, Backoff(0.01, 0.05), framing=gzipped)


async def test_a_client_that_answers_json_pings_stays_connected(server):
    client = Client(answers_pings=True)
    supervisor = stream(server, client)
    supervisor.start()
    await until(lambda: client.pings >= 10)  # a second of pings: past the pong timeout
    await supervisor.stop()
    assert client.frames == [{"subbed": "market.btcusdt.trade.detail", "status": "ok"}]
    assert (client.opens, supervisor.status.reconnects) == (1, 0)


async def test_a_client_that_ignores_json_pings_is_dropped(server):
    client = Client(answers_pings=False)
    supervisor = stream(server, client)
    supervisor.start()
    await until(lambda: client.opens >= 2)
    await supervisor.stop()
    assert supervisor.status.reconnects >= 1
