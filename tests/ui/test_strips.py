"""Lines drawn at their full width are freed as soon as they are dropped, not left to the
cycle collector (the mend in `console.ui.strips`)."""

import gc

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

import console.ui  # noqa: F401  (importing the screen mends Strip)


def cyclic_garbage_left_by(make):
    gc.collect()
    gc.disable()
    try:
        make()
        return gc.collect()
    finally:
        gc.enable()


def test_a_line_cropped_to_its_full_width_leaves_no_cycle():
    def draw():
        strip = Strip([Segment("hello")], 5)
        assert strip.crop_extend(0, 5, None) is strip

    assert cyclic_garbage_left_by(draw) == 0


def test_a_real_crop_or_extension_is_still_cached():
    strip = Strip([Segment("hello")], 5)
    cropped = strip.crop_extend(1, 4, None)
    extended = strip.crop_extend(0, 8, Style(bold=True))
    assert (cropped.text, extended.text) == ("ell", "hello   ")
    assert strip.crop_extend(1, 4, None) is cropped
    assert strip.crop_extend(0, 8, Style(bold=True)) is extended


def test_a_line_divided_at_its_end_alone_leaves_no_cycle():
    def draw():
        strip = Strip([Segment("hello")], 5)
        assert strip.divide([5]) == [strip]

    assert cyclic_garbage_left_by(draw) == 0


def test_a_real_division_is_still_cut_and_cached():
    strip = Strip([Segment("hello")], 5)
    parts = strip.divide([2, 5])
    assert [part.text for part in parts] == ["he", "llo"]
    assert strip.divide([2, 5]) is parts
