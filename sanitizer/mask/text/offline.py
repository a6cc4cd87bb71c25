"""Keep Presidio fully offline.

Presidio's email recognizer calls ``tldextract.extract``, whose default extractor downloads the
public-suffix list on first use and prints a connection-error traceback when it cannot. The
extractor installed here uses only the snapshot bundled with tldextract.
"""

from __future__ import annotations

import logging


def use_offline_suffix_list() -> None:
    """Swap tldextract's module-level extractor for a snapshot-only one (idempotent)."""
    import tldextract.tldextract as module

    if getattr(module.TLD_EXTRACTOR, "_sanitizer_offline", False):
        return
    extractor = module.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    extractor._sanitizer_offline = True  # type: ignore[attr-defined]
    module.TLD_EXTRACTOR = extractor
    logging.getLogger("tldextract").setLevel(logging.ERROR)


def offline_extractor():
    """The snapshot-only extractor itself, for callers of their own (read once per process)."""
    import tldextract.tldextract as module

    use_offline_suffix_list()
    return module.TLD_EXTRACTOR
