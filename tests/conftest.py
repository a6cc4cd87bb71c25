"""Suite-wide settings.

CI runs hypothesis derandomized (``HYPOTHESIS_PROFILE=ci`` in ``.ci/run``) so a landing never
depends on the luck of the draw; local runs stay random so new counterexamples keep turning up.
A counterexample found once becomes an explicit test case.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
