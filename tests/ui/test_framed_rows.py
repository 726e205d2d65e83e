"""A rows panel frames each row's line the short way (`FramedRows`): the very line Textual
frames, with the border and padding the panel has at the time."""

from rich.segment import Segment
from rich.style import Style
from textual._styles_cache import StylesCache
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

from console.ui.widgets.rows import RowsPanel


class Words(RowsPanel[str], can_focus=True):
    DEFAULT_CSS = """
    Words { border: round $panel; padding: 0 1; height: 6; }
    Words:focus { border: heavy $accent; }
    Words.tinted { tint: red 20%; }
    """

    def draw_row(self, row: str, width: int, base: Style) -> Strip:
        return Strip([Segment(row, base + Style(bold=True))]).crop(0, width)


def framed_by_textual(panel, crop):
    cache = panel._styles_cache
    panel._styles_cache = StylesCache()
    try:
        return panel.render_lines(crop)
    finally:
        panel._styles_cache = cache


async def lines_both_ways(panel, pilot):
    await pilot.pause()
    crop = Region(0, 0, panel.outer_size.width, panel.outer_size.height)
    panel.refresh()
    ours = panel.render_lines(crop)
    panel.refresh()
    return ours, framed_by_textual(panel, crop)


async def test_a_rows_line_is_the_line_textual_frames_blurred_focused_and_tinted():
    app = App()
    async with app.run_test(size=(30, 10)) as pilot:
        panel = Words()
        await app.mount(panel)
        panel.paint(["one", "two", "three"], "Words")
        ours, textual = await lines_both_ways(panel, pilot)
        assert ours == textual
        assert ours[1].text == "│ " + "one".ljust(26) + " │"
        panel.focus()
        ours, textual = await lines_both_ways(panel, pilot)
        assert ours == textual
        assert ours[1].text.startswith("┃ one")
        panel.add_class("tinted")
        ours, textual = await lines_both_ways(panel, pilot)
        assert ours == textual
