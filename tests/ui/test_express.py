"""Enter on a ready ticket, sent from the keyboard's thread: only for the state the screen
had taken in when it armed, and only once."""

import concurrent.futures

from textual import events

from console.ui.express import HEARD, Expressed, ExpressLane


def enter():
    return events.Key("enter", "\r")


def digit():
    return events.Key("5", "5")


def sender():
    """A send that records its calls and hands back a future of its own."""
    calls = []

    def send():
        future = concurrent.futures.Future()
        calls.append(future)
        return future

    return send, calls


def test_enter_while_armed_is_sent_at_once_and_comes_to_the_screen_as_expressed():
    lane = ExpressLane()
    send, calls = sender()
    assert lane.arm(send, taken=0)
    heard = lane.hear(enter())
    assert isinstance(heard, Expressed)
    assert (heard.sent, getattr(heard, HEARD)) == (calls[0], 1)


def test_an_arm_is_spent_by_the_enter_it_sends():
    lane = ExpressLane()
    send, calls = sender()
    lane.arm(send, taken=0)
    lane.hear(enter())
    again = lane.hear(enter())
    assert isinstance(again, events.Key) and len(calls) == 1


def test_a_key_heard_after_the_arm_spends_it_and_the_enter_after_goes_to_the_screen():
    lane = ExpressLane()
    send, calls = sender()
    lane.arm(send, taken=0)
    lane.hear(digit())
    heard = lane.hear(enter())
    assert isinstance(heard, events.Key) and heard.key == "enter"
    assert calls == []


def test_the_screen_cannot_arm_until_it_has_taken_in_everything_heard():
    lane = ExpressLane()
    send, _ = sender()
    typed = lane.hear(digit())
    assert not lane.arm(send, taken=lane.taken)
    lane.took(typed)
    assert lane.arm(send, taken=lane.taken)
    assert isinstance(lane.hear(enter()), Expressed)


def test_an_arm_made_from_a_reading_older_than_the_last_key_never_fires():
    lane = ExpressLane()
    send, calls = sender()
    taken = lane.taken  # the screen reads the ticket here...
    lane.took(lane.hear(digit()))  # ...a digit comes in and is taken before it arms
    assert not lane.arm(send, taken)
    assert isinstance(lane.hear(enter()), events.Key) and calls == []


def test_disarm_leaves_enter_to_the_screen():
    lane = ExpressLane()
    send, calls = sender()
    lane.arm(send, taken=0)
    lane.disarm()
    assert isinstance(lane.hear(enter()), events.Key) and calls == []


def test_only_enter_sends():
    lane = ExpressLane()
    send, calls = sender()
    lane.arm(send, taken=0)
    assert isinstance(lane.hear(events.Key("space", " ")), events.Key)
    assert calls == []
