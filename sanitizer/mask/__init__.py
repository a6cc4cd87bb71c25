"""Masking: a pure function of (batch, rules, key). No I/O, no shared mutable state."""
