"""Production schema definitions as the database's own tools print them, per dialect."""
