"""Extract: read production, read-only, as one consistent snapshot, in bounded batches."""
