"""The Textual trading screen: the only layer that imports Textual."""
