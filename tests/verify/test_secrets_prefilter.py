"""The column-wide prefilter of verify/triage.py clears only texts no detector could flag."""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import polars as pl

from sanitizer.config.yamlfile import Location
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.secrets import SecretsSettings, find_secrets
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.secrets import Sweep, frame_findings, value_flags
from sanitizer.verify.triage import FOLDS_TO_ASCII, could_hold_credential, could_name_host

SAMPLES = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def outside_credentials() -> list[str]:
    """gitleaks' and detect-secrets' own samples (written by others, base64 in the repo)."""
    gitleaks = json.loads((SAMPLES / "gitleaks_samples.json").read_text("utf-8"))["samples"]
    others = json.loads((SAMPLES / "detect_secrets_samples.json").read_text("utf-8"))["samples"]
    texts = [s["text"] for s in gitleaks] + [s["payload"] for s in others]
    return [base64.b64decode(t).decode("utf-8", "replace") for t in texts]


def plain_texts(count: int = 3000) -> list[str]:
    """Emails, phones, names, addresses, ids and random words: what structured columns hold."""
    rng = random.Random(16)
    alphabet = string.ascii_letters + string.digits + "._-@:/ +"
    texts = [
        "jane.doe.x7@example.org",
        "+1 (555) 010-2030",
        "Émile Müller",
        "10.1.2.3",
        "İstanbul KELVIN \u212a",
        "see https://status.acme-corp.com/x",
        "fe80::1 and 2001:db8::7",
        '{"token": "\\u0070assword"}',
        "",
    ]
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(count)
    ]
    return texts


def make_sweep(learn: tuple[str, ...] = ()) -> Sweep:
    settings = SecretsSettings()
    hosts = HostIndex(settings.sinks.values(), settings.allow)
    hosts.learn(list(learn), "app.contacts.email")
    return Sweep(hosts, settings, b"salt")


def test_every_character_that_lowercases_to_ascii_is_known() -> None:
    folds = {chr(c) for c in range(0x80, 0x110000) if any(ord(x) < 128 for x in chr(c).lower())}
    assert folds == set(FOLDS_TO_ASCII)


def test_no_text_the_detectors_flag_is_cleared() -> None:
    texts = outside_credentials() + plain_texts()
    wanted = [bool(find_secrets(t)) for t in texts]
    assert sum(wanted) > 500  # the samples are credentials
    maybe = could_hold_credential(pl.Series(texts, dtype=pl.String)).to_list()
    missed = [t for t, w, m in zip(texts, wanted, maybe, strict=True) if w and not m]
    assert missed == []
    cleared = [t for t, m in zip(texts, maybe, strict=True) if not m]
    assert "+1 (555) 010-2030" in cleared and "10.1.2.3" in cleared  # it does clear some


def test_no_text_naming_a_learned_host_is_cleared() -> None:
    sweep = make_sweep(learn=("jane@acme-corp.com", "ops@10.1.2.3", "https://[2001:db8::7]/"))
    texts = [*plain_texts(), "ACME-CORP.COM", "x@Status.Acme-Corp.Com.", "at 2001:0db8:0::7 now"]
    maybe = could_name_host(pl.Series(texts, dtype=pl.String), sweep.hosts.hosts).to_list()
    for text, could in zip(texts, maybe, strict=True):
        if sweep.hosts.found_in(text) is not None:
            assert could, text
    assert not could_name_host(pl.Series(["a.b"]), {}).any()


def test_a_swept_column_finds_what_looking_at_each_value_finds() -> None:
    texts = outside_credentials()[:200] + plain_texts(500) + ["ops@acme-corp.com"]
    keep = parse_rule("keep", Location("rules/app.yaml", 3))
    frame = pl.DataFrame({"id": list(range(len(texts))), "c": texts})
    sweep = make_sweep(learn=("jane@acme-corp.com",))
    frame_findings(sweep, "app.t", ["id"], {"c": keep}, [frame], sweep.pending())
    one_by_one = make_sweep(learn=("jane@acme-corp.com",))
    flags = {t: len(value_flags(one_by_one, t, "c")) for t in dict.fromkeys(texts) if t}
    assert sweep.total == sum(texts.count(t) * n for t, n in flags.items()) > 100
    assert sweep.scanned == one_by_one.scanned  # the receipt counts every text looked at
