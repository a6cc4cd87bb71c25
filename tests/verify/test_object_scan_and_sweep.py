"""A run's object shadow is read once for the leak scan and the secrets sweep together
(verify/objects.StoreScan told by verify/secrets.sweep_objects): the same hits, in the same
order, and the same findings as the two reads one after the other."""

from __future__ import annotations

import json
import secrets
import string
from pathlib import Path
from typing import BinaryIO

from helpers.tracked_index import index_holding

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.yamlfile import Location
from sanitizer.extract.objects.local import LocalSource
from sanitizer.mask.secrets import SecretsSettings
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import LeakReport
from sanitizer.verify.objects import StoreScan, scan_store
from sanitizer.verify.secrets import Sweep, object_texts, sweep_objects

INDEX = index_holding(b"scan-and-sweep-key")
RULE = ObjectRule(glob="**", where=Location("rules/files.yaml", 4), handler="keep")


class CountingSource(LocalSource):
    """A local folder that counts how often each object is opened."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path)
        self.opened: dict[str, int] = {}

    def open(self, key: str) -> BinaryIO:
        self.opened[key] = self.opened.get(key, 0) + 1
        return super().open(key)


def live_key() -> str:
    return "sk_" + "live_" + "".join(secrets.choice(string.ascii_letters) for _ in range(24))


def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Production and a staging shadow holding tracked values, a production credential and
    clean objects, in text, CSV and JSON."""
    live = live_key()
    prod, staging = tmp_path / "prod", tmp_path / "staging"
    objects = {
        "a/notes.txt": f"call Okonkwo Adebayo-Smith\nkey {live}\nnothing\n",
        "a/people.csv": "name,email\nJane,jane.doe@corp-mail.com\nAda,ada@example.org\n",
        "b/ticket.json": json.dumps({"iban": "DE89 3704 0044 0532 0130 00", "k": live}),
        "b/clean.md": "just words\n" * 3,
    }
    for root in (prod, staging):
        for key, text in objects.items():
            (root / key).parent.mkdir(parents=True, exist_ok=True)
            (root / key).write_text(text)
    return prod, staging


def sweep_of() -> Sweep:
    settings = SecretsSettings()
    return Sweep(HostIndex(settings.sinks.values(), settings.allow), settings, b"salt", INDEX)


def outcome(report: LeakReport, sweep: Sweep) -> tuple:
    found = [(p.where, p.fix, sorted(p.keys), p.count) for p in sweep.places.values()]
    return report.scanned, report.total, report.hits, sweep.total, sweep.scanned, found


def test_one_read_finds_what_two_reads_find(tmp_path: Path) -> None:
    prod, staging = folders(tmp_path)
    apart, together = CountingSource("files", str(staging)), CountingSource("files", str(staging))

    report, sweep = LeakReport(), sweep_of()
    scan_store(apart, "files", INDEX, report)
    pending = sweep.pending()
    sweep_objects(sweep, apart, "files", lambda _: RULE, pending)
    sweep.confirm(pending, object_texts(LocalSource("files", str(prod))))
    expected = outcome(report, sweep)

    report, sweep = LeakReport(), sweep_of()
    scan = StoreScan("files", INDEX, report)
    pending = sweep.pending()
    sweep_objects(sweep, together, "files", lambda _: RULE, pending, scan)
    scan.finish()
    sweep.confirm(pending, object_texts(LocalSource("files", str(prod))))

    assert expected[1] == 3 and expected[3] == 2, expected  # hits and findings to compare
    assert outcome(report, sweep) == expected
    assert set(apart.opened.values()) == {2}
    assert set(together.opened.values()) == {1}, together.opened
