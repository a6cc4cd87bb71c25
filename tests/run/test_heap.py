"""The run's fixed mmap threshold (docs/design.md, "Bounded memory")."""

from __future__ import annotations

import platform

import pytest

from sanitizer.run.heap import fix_mmap_threshold


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_threshold_is_fixed_on_glibc():
    assert fix_mmap_threshold()
