"""sanitizer: builds safe staging data from production.

The package reads as the data flows: ``config`` (sanitize.yaml and rules) → ``extract`` (read-only
sources) → ``mask`` (pure, keyed operators) → ``load`` (shadow, then swap), wired together only by
``pipeline``; ``cli`` is the thin command-line edge.
"""

__version__ = "0.1.0"
