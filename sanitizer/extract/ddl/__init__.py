"""Production's schema as its own database states it, per dialect (docs/stores.md)."""
