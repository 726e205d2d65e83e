"""WEEX spot: its v1 API as the seed documents it and its Binance-shaped v3 API."""
