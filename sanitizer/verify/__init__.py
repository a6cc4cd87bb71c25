"""Verification of what landed in staging: row counts, unchanged values, and leaks."""
