"""Venue-agnostic transport: REST client, stream supervisor, limiter, backoff."""
