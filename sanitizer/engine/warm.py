"""What an actor loads before the run's first stage reaches it (docs/engine.md, "Start-up").

The local engine's forkserver loads detection while the run plans (:mod:`sanitizer.mask.warm`);
on Ray the actors are started as soon as the run has a cluster, and each is asked to load the
detector — spaCy, Presidio, their first-use caches — and the embedding model then, while the
driver plans, reads the schema and collects known values. The stages' own set-up calls queue
behind this one on each actor, so the first batch finds everything loaded. Nothing here
carries the key: only the detection and embedding settings. Results cannot change: the same
process-wide caches a stage would fill on its first batch.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("sanitizer")
DETECT = re.compile(rb"\bdetect\b")


def load_ahead(nlp: Any | None, embeddings: Any | None) -> bool:
    """In an actor: detection for ``nlp`` (NlpSettings) and the ``embeddings`` model, each
    run once over a short sample. A failure is left for the stage to meet and report."""
    try:
        if nlp is not None:
            from sanitizer.mask.text.detector import find_all
            from sanitizer.mask.warm import SAMPLE

            find_all([SAMPLE], None, nlp)
        if embeddings is not None:
            from sanitizer.mask.embed import load_embedder
            from sanitizer.mask.warm import SAMPLE

            load_embedder(embeddings).embed([SAMPLE])
    except Exception:  # the stage loads it again and reports what is wrong
        return False
    return True


def says_detect(rules_dir: Path) -> bool:
    """Whether a rule file says ``detect`` (read as bytes, before the rules are parsed)."""
    if not rules_dir.is_dir():
        return False
    files = [
        path
        for path in rules_dir.iterdir()
        if path.suffix in (".yaml", ".yml")
        and not path.name.startswith(("_", "."))
        and path.is_file()
    ]
    return any(DETECT.search(path.read_bytes()) for path in files)


def warm_ahead(engine: Any, settings: Any, vector_kinds: tuple[str, ...]) -> None:
    """Ask a cluster engine's actors to load what the run will need (``settings``: the run's
    Settings): detection when a rule says ``detect``, the bundled or local embedding model when
    a vector source exists (a model behind a URL needs nothing loaded). The local engine warms
    its forkserver itself (sanitizer.cli)."""
    warm = getattr(engine, "warm", None)
    if warm is None:
        return
    nlp = settings.nlp if says_detect(settings.rules_dir) else None
    vectors = any(source.kind in vector_kinds for source in settings.sources.values())
    embeddings = settings.embeddings if vectors and not settings.embeddings.url else None
    if nlp is not None or embeddings is not None:
        warm(nlp, embeddings)
