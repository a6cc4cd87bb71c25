"""The bundled demo: a seeded, deliberately messy "production" database to sanitize."""
