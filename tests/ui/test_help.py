"""The help screen: the keymap in columns that never run into each other, and the keys
no keymap changes."""

from console.ui.screens.help import help_lines

PANIC = ("!", "PANIC: cancel every open order on the venue", "app.panic")
QUIT = ("q", "Quit", "app.quit")


def test_a_long_action_never_runs_into_its_id():
    header, _, panic, quit_, *_ = help_lines([PANIC, QUIT])
    assert header.split() == ["keys", "id", "action"]
    assert panic.split(maxsplit=2) == ["!", "app.panic", PANIC[1]]
    assert quit_.split() == ["q", "app.quit", "Quit"]


def test_the_keys_no_keymap_changes_are_listed():
    text = "\n".join(help_lines([QUIT]))
    for keys in ("enter", "tab, shift+tab", "ctrl+p", "q q", "esc"):
        assert f"\n{keys} " in text
