"""The Textual trading screen: the only layer that imports Textual. Importing it mends the
one Textual method that leaves every drawn line to the cycle collector (`strips`)."""

from console.ui import strips

strips.mend()
