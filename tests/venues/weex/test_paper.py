"""WEEX demo trading's balance reads: a failed read is not silence but a lost account
stream, said and shown until a read succeeds."""

from console.errors import NetworkError
from console.venues.weex import paper
from console.venues.weex.adapter import WeexEndpoints
from console.venues.weex.paper import WeexPaperVenue
from console.venues.weex.rest import WeexCredentials
from tests.fakes import until


class Sink:
    def __init__(self):
        self.live, self.balances = [], []

    def on_user_stream(self, live):
        self.live.append(live)

    def on_balances(self, balances):
        self.balances.append(balances)


async def test_a_failed_balance_read_pauses_the_account_until_a_read_succeeds(monkeypatch):
    monkeypatch.setattr(paper, "BALANCE_EVERY", 0.01)
    key = WeexCredentials("key", "secret", "passphrase")
    venue = WeexPaperVenue(WeexEndpoints.on("http://127.0.0.1:9"), key)
    answers = [NetworkError(msg="no answer"), NetworkError(msg="no answer"), ["cash"]]

    async def balances():
        answer = answers.pop(0) if answers else ["cash"]
        if isinstance(answer, Exception):
            raise answer
        return answer

    venue.balances = balances
    sink = Sink()
    await venue.watch_account(sink)
    await until(lambda: sink.balances)
    assert sink.live == [True, False, True]  # lost once, back once: not once per failure
    await venue.close()
