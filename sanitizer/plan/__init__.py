"""Rules × live schema → per-store plans with operators built."""
