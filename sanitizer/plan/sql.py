from sanitizer.config.plan import *  # noqa: F403  TEMPORARY shim until helper A lands
from sanitizer.config.plan import SourcePlan, TablePlan, build_plan  # noqa: F401
