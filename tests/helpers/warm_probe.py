"""Run as a script: warm the workers' server for a model, then report what a worker holds.

    python tests/helpers/warm_probe.py MODEL [EMBEDDING_MODEL]

Prints one JSON object: whether the worker found spaCy imported and the analyzer built when it
started, which database libraries it had imported (then and with the leak index's indexer),
whether the settings variables leaked into either process, how many embedding models the
worker found loaded, and what detection found (or the error it raised) in the worker.
"""

from __future__ import annotations

import gc
import json
import os
import sys


def probe(model: str) -> dict:
    from sanitizer.mask.embed import _load_sentence_transformer
    from sanitizer.mask.text.detector import analyzer
    from sanitizer.mask.workers import WARM_ENV, WARM_MODEL_ENV

    state = {
        "spacy_loaded": "spacy" in sys.modules,
        "database_modules": _database_modules(),
        "analyzers_built": analyzer.cache_info().currsize,
        "models_loaded": _load_sentence_transformer.cache_info().currsize,
        "env_in_worker": WARM_ENV in os.environ or WARM_MODEL_ENV in os.environ,
        "frozen_objects": gc.get_freeze_count(),
    }
    from sanitizer.config.settings import NlpSettings
    from sanitizer.mask.text.detector import find_all
    from sanitizer.verify.pieces import PieceIndexer  # what a worker indexes pieces with

    state["database_modules_with_indexer"] = _database_modules() if PieceIndexer else []
    try:
        found = find_all(["Mail maria.lopez@example.com"], None, NlpSettings(model=model))
        state["found"] = [f.entity for f in found[0]]
    except Exception as exc:
        state["error"] = type(exc).__name__
    return state


def _database_modules() -> list[str]:
    return sorted(name for name in ("sqlalchemy", "psycopg", "pymysql") if name in sys.modules)


def _init() -> None:
    pass


def main(model: str, embedding: str | None = None) -> None:
    from sanitizer.config.settings import NlpSettings
    from sanitizer.mask.workers import WARM_ENV, WARM_MODEL_ENV, process_pool, start_warm

    start_warm(NlpSettings(model=model), embedding)
    with process_pool(1, _init, ()) as pool:
        state = pool.submit(probe, model).result()
    state["env_in_parent"] = WARM_ENV in os.environ or WARM_MODEL_ENV in os.environ
    print(json.dumps(state))


if __name__ == "__main__":
    main(*sys.argv[1:3])
