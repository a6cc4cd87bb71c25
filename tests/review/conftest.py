"""The ``project`` fixture for the rule-review tests (helpers live in ``review_harness``)."""

from review_harness import project  # noqa: F401  (a fixture, found by pytest by name)
