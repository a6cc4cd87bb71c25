"""sanitizer: builds safe staging data from production.

The package reads as the data flows: ``config`` (sanitize.yaml and rules, inert) → ``extract``
(read-only sources) → ``mask`` (pure, keyed operators) → ``plan`` (rules × live schema) →
``load`` (shadow, then swap) → ``verify``, wired together only by ``run``; ``cli`` is the thin
command-line edge. docs/layout.md maps the rest.
"""

__version__ = "0.1.0"
