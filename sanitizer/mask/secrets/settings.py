"""``SecretsSettings`` lives with the rest of sanitize.yaml (config is inert data); it is
re-exported here because the secrets functions take it."""

from sanitizer.config.secret_settings import DEFAULT_SINK, SecretsSettings

__all__ = ["DEFAULT_SINK", "SecretsSettings"]
