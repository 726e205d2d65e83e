"""The embedded exchange: one matching engine, synthetic flow, and venue wire dialects."""
