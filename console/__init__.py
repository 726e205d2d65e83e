"""trading-console: a full-screen terminal trading console with an embedded exchange."""

__version__ = "0.1.0"
