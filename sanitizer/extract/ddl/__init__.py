"""Production schema definitions read with the database's own tools (one module per dialect)."""
