"""The secrets sweep on its own: what it flags, what it confirms against production, how it
names a place — never with the value."""

from __future__ import annotations

import json
import secrets
import string
from pathlib import Path

import polars as pl
import pytest

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.yamlfile import Location
from sanitizer.extract.objects.local import LocalSource
from sanitizer.mask.operators import Operator, parse_rule
from sanitizer.mask.secrets import SecretsSettings, neutralize_secret
from sanitizer.verify.hosts import HostIndex
from sanitizer.verify.leaks import LeakIndex
from sanitizer.verify.secrets import (
    Sweep,
    frame_findings,
    object_texts,
    production_texts,
    sweep_objects,
)

ALNUM = string.ascii_letters + string.digits
KEY = b"sweep-test-key-0123456789abcdef"


def random_token(size: int) -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(size))


def stripe_key() -> str:
    return "sk_" + "live_" + random_token(24)


def github_token() -> str:
    return "ghp_" + random_token(36)


def make_sweep(allow: tuple[str, ...] = (), learn: tuple[str, ...] = ()) -> Sweep:
    settings = SecretsSettings(allow=frozenset(allow))
    hosts = HostIndex(settings.sinks.values(), settings.allow)
    hosts.learn(list(learn), "app.contacts.email")
    return Sweep(hosts, settings, b"salt")


def placed(sweep: Sweep) -> list[tuple[str, str]]:
    """(field, row key) of every finding the sweep names."""
    return [(p.where, key) for p in sweep.places.values() for key in p.keys]


def op(spec: object, line: int = 7) -> Operator:
    return parse_rule(spec, Location("rules/app.yaml", line))


def test_look_flags_a_live_key_and_passes_neutralized_allowed_and_sandboxed_values() -> None:
    live = stripe_key()
    sweep = make_sweep(allow=(github_token(),))
    assert [f.kind for f in sweep.look(live)] == ["secret"]
    assert sweep.look(f"use {live} for billing")  # inside a text too
    assert sweep.look(neutralize_secret(live, KEY)) == []
    allowed = next(iter(sweep.allow))
    assert sweep.look(allowed) == []
    assert sweep.look("https://u:pw12345678@f00d.sandbox.invalid/hook") == []


def test_look_uses_the_field_name_as_a_hint() -> None:
    sweep = make_sweep()
    value = random_token(20)
    assert sweep.look(value) == []
    assert sweep.look(value, "api_key")


def test_a_learned_host_is_flagged_with_where_it_was_learned() -> None:
    sweep = make_sweep(learn=("jane@acme-corp.com",))
    (flag,) = sweep.look("see https://status.acme-corp.com/")
    assert flag.kind == "host" and flag.learned == "app.contacts.email"


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        ("ops@acme-corp.com", "set `{fake: email}` on app.t.c"),
        ("https://status.acme-corp.com/", "set `{url: sandbox}` on app.t.c"),
        ("write to ops@acme-corp.com today", "set `detect` on app.t.c"),
        ("postgres://app:pw@db.acme-corp.com/app", "set `{url: sandbox}` on app.t.c"),
    ],
)
def test_the_fix_fits_the_value(value: str, fix: str) -> None:
    sweep = make_sweep(learn=("jane@acme-corp.com",))
    frame = pl.DataFrame({"id": [1], "c": [value]})
    frame_findings(sweep, "app.t", ["id"], {"c": op("keep")}, [frame], sweep.pending())
    (place,) = sweep.places.values()
    assert fix in place.fix, place.fix


def test_a_kept_column_is_recorded_at_once_others_only_when_production_holds_them() -> None:
    live, other = stripe_key(), stripe_key()
    sweep = make_sweep()
    pending = sweep.pending()
    columns = {"kept": op("keep"), "masked": op("hash"), "config": op({"json": {"$.**": "keep"}})}
    frame = pl.DataFrame(
        {
            "id": [1, 2],
            "kept": [live, None],
            "masked": [None, other],  # a value production does not hold (made by masking)
            "config": [None, json.dumps({"smtp": {"password": live}})],
        }
    )
    frame_findings(sweep, "app.integrations", ["id"], columns, [frame], pending)
    (place,) = sweep.places.values()
    assert (place.where, place.keys) == ("app.integrations.kept", ["id=1"])
    assert "set `secret` on app.integrations.kept (rules/app.yaml:7, now `keep`)" in place.fix

    production = pl.DataFrame({"id": ["1"], "kept": [live], "config": [f"x {live} y"]})
    sweep.confirm(pending, production_texts([production]))
    places = set(placed(sweep))
    assert places == {
        ("app.integrations.kept", "id=1"),
        ("app.integrations.config $.smtp.password", "id=2"),
    }
    assert sweep.total == 2
    text = sweep.describe()
    assert live not in text and other not in text
    assert '`"$.smtp.password": secret`' in text


def test_a_key_that_holds_a_credential_is_named_by_row_number() -> None:
    live = stripe_key()
    sweep = make_sweep()
    frame = pl.DataFrame({"token": [live], "note": [f"token {live}"]})
    frame_findings(sweep, "app.tokens", ["token"], {"note": op("keep")}, [frame], sweep.pending())
    assert placed(sweep) == [("app.tokens.note", "row 1")]
    assert "set `detect` on app.tokens.note" in sweep.describe()  # a text: detect


def test_objects_keys_metadata_and_contents_are_swept(tmp_path: Path) -> None:
    live, token = stripe_key(), github_token()
    prod, staging = tmp_path / "prod", tmp_path / "staging"
    for root in (prod, staging):
        (root / "config").mkdir(parents=True)
        (root / "config" / "app.json").write_text(json.dumps({"stripe": {"key": live}}))
        (root / "config" / f"{token}.txt").write_text("nothing here\n")
    (staging / "config" / "notes.md").write_text(f"line one\ndeploy with {stripe_key()}\n")
    rule = ObjectRule(glob="config/**", where=Location("rules/files.yaml", 4), handler="keep")
    sweep = make_sweep()
    pending = sweep.pending()
    sweep_objects(sweep, LocalSource("files", str(staging)), "files", lambda _: rule, pending)
    sweep.confirm(pending, object_texts(LocalSource("files", str(prod))))
    places = sorted(placed(sweep))
    assert places == [
        ("files:config/*.txt", "key"),
        ("files:config/app.json", "$.stripe.key"),
    ], places  # notes.md's key is not production's: made by masking, so not live
    text = sweep.describe()
    assert live not in text and token not in text
    assert 'set `{json: {"$.stripe.key": secret, "$.**": keep}}` in the `objects:` rule' in text


@pytest.mark.parametrize("value", ["", "   ", "plain words only", "id-12"])
def test_plain_values_are_not_flagged(value: str) -> None:
    assert make_sweep().look(value, "notes") == []


def test_a_json_key_holding_a_tracked_value_is_hidden_in_the_place() -> None:
    live = stripe_key()
    leaks = LeakIndex(b"salt")
    assert leaks.add("jane.doe@corp-mail.com")
    sweep = make_sweep()
    sweep.leaks = leaks
    cell = json.dumps({"jane.doe@corp-mail.com": {"api_key": live}})
    frame = pl.DataFrame({"id": [1], "c": [cell]})
    frame_findings(sweep, "app.t", ["id"], {"c": op("keep")}, [frame], sweep.pending())
    assert [where for where, _ in placed(sweep)] == ['app.t.c $["*"].api_key']
    assert "corp-mail" not in sweep.describe() and live not in sweep.describe()


def test_a_private_key_is_one_value_although_it_has_lines() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    pem = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    sweep = make_sweep()
    frame = pl.DataFrame({"id": [1], "c": [pem]})
    frame_findings(sweep, "app.t", ["id"], {"c": op("keep")}, [frame], sweep.pending())
    (place,) = sweep.places.values()
    assert "set `secret` on app.t.c" in place.fix, place.fix
    assert pem.splitlines()[1] not in sweep.describe()


def test_a_credential_that_is_a_whole_key_segment_is_flagged() -> None:
    """gitleaks' rules end a token at a quote, a space or the end: a key's segments are
    looked at as lines of their own, as ``keys: detect`` masks them."""
    from sanitizer.verify.secrets import key_segments

    key = f"exports/{stripe_key()}/settings.json"
    sweep = make_sweep()
    assert len(key_segments(key)) == len(key)
    flags = sweep.look(key_segments(key))
    assert [f.kind for f in flags] == ["secret"]
    assert sweep.hidden(key_segments(key)).replace("\n", "/") == "exports/*/settings.json"


def test_an_ipv6_production_host_is_flagged_and_hidden() -> None:
    sweep = make_sweep(learn=("http://[2001:db8::7]:8080/hook",))
    text = "callback http://[2001:db8::7]:8080/hook"
    assert [f.kind for f in sweep.look(text)] == ["host"]
    assert "2001:db8::7" not in sweep.hidden(text)


def test_a_credential_whose_keyword_is_on_the_line_above_is_flagged(tmp_path: Path) -> None:
    """gitleaks' keyword rules match across a line break (``<bittrexToken>`` then the value
    on the next line); an object's contents are read line by line, so pairs are looked at."""
    value = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(32))
    body = f"<config>\n<bittrexToken>\n    {value}\n</bittrexToken>\n</config>\n"
    prod, staging = tmp_path / "prod", tmp_path / "staging"
    for root in (prod, staging):
        root.mkdir()
        (root / "settings.xml").write_text(body)
        (root / "notes.txt").write_text("token\nnothing to see here today\n")
    rule = ObjectRule(glob="**", where=Location("rules/files.yaml", 2), handler="keep")
    sweep = make_sweep()
    pending = sweep.pending()
    sweep_objects(sweep, LocalSource("files", str(staging)), "files", lambda _: rule, pending)
    sweep.confirm(pending, object_texts(LocalSource("files", str(prod))))
    assert placed(sweep) == [("files:settings.xml", "line 3")], placed(sweep)
    assert value not in sweep.describe()
