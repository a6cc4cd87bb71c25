"""A local staging folder's shadow: where object keys land, and which are refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sanitizer.errors import TargetError
from sanitizer.extract.objects import ObjectAttributes
from sanitizer.load.objects.local import LocalTarget


@pytest.fixture
def target(tmp_path: Path) -> LocalTarget:
    target = LocalTarget("files", str(tmp_path / "staging"))
    target.prepare("run-1")
    return target


def _put(target: LocalTarget, key: str, data: bytes = b"x") -> None:
    target.put(key, io.BytesIO(data), ObjectAttributes())


@pytest.mark.parametrize(
    "key", ["../escape.json", "a/../../escape.json", "/etc/passwd", "a/", "..", ".", ""]
)
def test_a_key_that_would_land_outside_the_shadow_is_refused(target, key, tmp_path) -> None:
    with pytest.raises(TargetError, match="would land outside the staging folder"):
        _put(target, key)
    assert not (tmp_path / "escape.json").exists()


def test_keys_land_inside_the_shadow_byte_for_byte(target) -> None:
    _put(target, "tickets/01/a.json", b'{"a": 1}')
    _put(target, "tickets/01/../02/./b.json", b"b")  # folded, still inside
    _put(target, ".part-0001.json", b"dot")  # a production name, not a leftover
    _put(target, "tickets/01/a.json", b"again")  # written again: the last bytes
    assert target.shadow_keys() == {"tickets/01/a.json", "tickets/02/b.json", ".part-0001.json"}
    reader = target.shadow_reader()
    assert reader.open("tickets/01/a.json").read() == b"again"
    assert reader.open("tickets/02/b.json").read() == b"b"


def test_a_run_prepared_again_makes_its_folders_again(target) -> None:
    """Folders are made once per run; a shadow removed and prepared again (the same run id)
    gets its folders made afresh, not taken as made already."""
    _put(target, "tickets/01/a.json", b"first")
    target.discard()
    target.prepare("run-1")
    _put(target, "tickets/01/a.json", b"second")
    _put(target, "tickets/01/deeper/b.json", b"b")
    assert target.shadow_keys() == {"tickets/01/a.json", "tickets/01/deeper/b.json"}
    assert target.shadow_reader().open("tickets/01/a.json").read() == b"second"
