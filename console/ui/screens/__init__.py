"""Screens over the trading screen: confirmation, help and the symbol picker."""
