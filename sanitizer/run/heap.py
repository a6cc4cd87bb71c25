"""A fixed glibc mmap threshold for a run: arrays past 128 KiB get their own mappings.

glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so a run's
growing hash arrays and batch buffers come to live in the heap, which fragments and is not
given back; a 4M-row run then peaked higher than a 1M-row one for nothing it held
(docs/design.md, "Bounded memory"; docs/benchmarks.md). Fixing the threshold, as
``MALLOC_MMAP_THRESHOLD_`` would, keeps large blocks mapped and returned when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
THRESHOLD = 128 * 1024


def fix_mmap_threshold() -> bool:
    """Set both thresholds to 128 KiB; False where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, THRESHOLD))
