"""One widget per panel of the trading screen."""
