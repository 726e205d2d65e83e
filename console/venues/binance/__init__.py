"""Binance spot: REST, market streams and the WebSocket API (orders and user data)."""
