"""The object leak scan asks the index a chunk of texts at a time (verify/objects._Scanner,
joined and halved, or each text in one bulk lookup):
it must record exactly the hits, in order, that asking text by text records — values split
across two texts (a false hit of the joined chunk) and repeated texts included."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from helpers.tracked_index import index_holding
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.extract.objects.local import LocalSource
from sanitizer.verify.leaks import LeakIndex, LeakReport
from sanitizer.verify.objects import _Scanner, contents, scan_store, shown

PIECES = [
    "jane.doe@corp-mail.com", "Jane.Doe@Corp-Mail.com", "jane.doe@", "corp-mail.com", "Okonkwo",
    "Adebayo-Smith", "Okonkwo Adebayo-Smith", "DE89 3704", "0044 0532 0130 00", "ticket",
    "open", " ", ",", "\n", "\r\n", ".", "-", "é", "x",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


INDEX = index_holding(b"scan-test-key")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 99), TEXTS), max_size=40), st.integers(1, 9))
def test_chunked_scan_records_what_a_text_by_text_scan_records(items, chunk) -> None:
    pairs = [(f"line {n}", text) for n, text in items]
    plain = LeakReport()
    for place, text in pairs:
        plain.check(INDEX, "files:a.csv", place, text)
    for scanner in (_Scanner(INDEX.found_in), _Scanner(INDEX.found_in, INDEX.found_in_many)):
        scanner.CHUNK = chunk
        chunked = LeakReport()
        for start in range(0, len(pairs), chunk):
            scanner.scan(pairs[start : start + chunk], "files:a.csv", INDEX, chunked)
        assert (chunked.scanned, chunked.total) == (plain.scanned, plain.total)
        assert chunked.hits == plain.hits


def test_a_value_split_over_two_texts_is_no_hit_and_a_whole_one_is() -> None:
    for scanner in (_Scanner(INDEX.found_in), _Scanner(INDEX.found_in, INDEX.found_in_many)):
        report = LeakReport()
        pairs = [
            ("line 1", "Okonkwo"),
            ("line 2", "Adebayo-Smith"),
            ("line 3", "x jane.doe@corp-mail.com"),
        ]
        scanner.scan(pairs, "files:a.csv", INDEX, report)
        assert [h.key for h in report.hits] == ["line 3"] and report.scanned == 3


def _scan_text_by_text(reader, store: str, index: LeakIndex) -> LeakReport:
    """The scan as it was: each object's key, metadata and texts asked one by one."""
    report = LeakReport()
    for info in reader.list():
        shape = shown(index, info.key)
        where = f"{store}:{shape}"
        report.scanned += 1
        if shape != info.key:
            report.record(where, "key")
        with reader.open(info.key) as stream:
            for place, text in contents(info.key, stream):
                report.check(index, where, shown(index, place), text)
    return report


OBJECT_TEXTS = st.lists(TEXTS, max_size=12)
KEYS = st.sampled_from(["a.txt", "b/Okonkwo Adebayo-Smith/x.txt", "c.json", "d.csv", "e.md"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(KEYS, OBJECT_TEXTS, max_size=5), st.integers(1, 7))
def test_a_store_scanned_in_chunks_across_objects_records_what_text_by_text_records(
    objects, chunk
) -> None:
    with tempfile.TemporaryDirectory(prefix="scan-") as folder:
        for key, lines in objects.items():
            path = Path(folder, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            body = json.dumps({"lines": lines}) if key.endswith(".json") else "\n".join(lines)
            path.write_text(body, encoding="utf-8")
        reader = LocalSource("files", folder)
        expected = _scan_text_by_text(reader, "files", INDEX)
        saved = _Scanner.CHUNK
        _Scanner.CHUNK = chunk
        try:
            report = LeakReport()
            scan_store(reader, "files", INDEX, report)
        finally:
            _Scanner.CHUNK = saved
    assert (report.scanned, report.total, report.hits) == (
        expected.scanned,
        expected.total,
        expected.hits,
    )
