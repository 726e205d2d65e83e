"""Wire dialects of the embedded exchange: each speaks one venue's protocol on one engine."""
