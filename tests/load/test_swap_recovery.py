"""A run killed between a swap's two renames (live → aside, shadow → live) leaves no live
copy, only the one renamed aside: the next run puts it back before clearing leftovers."""

from __future__ import annotations

from pathlib import Path

from sanitizer.load.objects.local import LocalTarget
from sanitizer.load.vectors.lancedb import LanceTarget


def test_lancedb_staging_renamed_aside_is_put_back(tmp_path: Path) -> None:
    aside = tmp_path / "staging-memory__sz_old_20260101T000000Z-abcdef"
    (aside / "memory.lance").mkdir(parents=True)
    (aside / "memory.lance" / "data").write_bytes(b"yesterday")
    (tmp_path / "staging-memory__sz_20260101T000000Z-abcdef").mkdir()  # its shadow
    target = LanceTarget("memory", str(tmp_path / "staging-memory"))
    target.prepare("20260102T000000Z-123456", ["memory"])
    assert (tmp_path / "staging-memory" / "memory.lance" / "data").read_bytes() == b"yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "staging-memory",
        "staging-memory__sz_20260102T000000Z-123456",  # this run's new shadow only
    ]
    target.discard()


def test_an_object_folder_renamed_aside_is_put_back(tmp_path: Path) -> None:
    aside = tmp_path / ".files.previous-20260101T000000Z-abcdef"
    (aside / "tickets").mkdir(parents=True)
    (aside / "tickets" / "t.json").write_bytes(b"{}")
    target = LocalTarget("files", str(tmp_path / "files"))
    target.prepare("20260102T000000Z-123456")
    assert (tmp_path / "files" / "tickets" / "t.json").read_bytes() == b"{}"
    assert not aside.exists()
    target.discard()
