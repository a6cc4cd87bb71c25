"""Configuration: sanitize.yaml and rules/*.yaml, parsed into typed models with file:line errors."""
