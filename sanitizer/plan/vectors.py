from sanitizer.config.vector_plan import *  # noqa: F403  TEMPORARY shim
from sanitizer.config.vector_plan import CollectionPlan, build_collection_plans  # noqa: F401
