"""``json``: rules by path inside JSON documents, formatting of the original text kept."""

from __future__ import annotations

import json

import polars as pl
import pytest

from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.json import compile_path, matches

WHERE = Location("rules/app.yaml", 80)
PROFILE = {
    "json": {
        "$.contact.email": {"fake": "email"},
        "$.contact.phone": {"fake": "phone"},
        "$.social[*].url": {"fake": "url"},
        "$..ssn": {"fake": "ssn"},
        "$.prefs.*": "keep",
        "$.**": "redact",
    }
}
DOC = {
    "contact": {"email": "jane@corp.com", "phone": "(415) 555-2671"},
    "social": [{"url": "https://corp.com/jane", "label": "blog"}],
    "deep": {"er": {"ssn": "123-45-6789"}},
    "prefs": {"lang": "pt-BR", "newsletter": True, "count": 3},
    "bio": "Jane from Lisbon",
    "nothing": None,
}

PATHS = [
    # (pattern, concrete path, matches?)
    ("$.a.b", ("a", "b"), True),
    ("$.a.b", ("a", "c"), False),
    ("$.a[*].b", ("a", 3, "b"), True),
    ("$.a[0].b", ("a", 1, "b"), False),
    ("$.*.email", ("x", "email"), True),
    ("$.*.email", ("x", "y", "email"), False),
    ("$..email", ("x", "y", "email"), True),
    ("$..email", ("email",), True),
    ("$.**", ("any", 0, "thing"), True),
    ("$['odd key']", ("odd key",), True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), PATHS)
def test_paths(pattern, path, expected):
    tokens = compile_path(pattern)
    assert tokens is not None
    assert matches(tokens, path) is expected


@pytest.fixture(scope="module")
def masked(mask_one):
    return json.loads(mask_one(PROFILE, json.dumps(DOC)))


def test_listed_paths_get_their_rules_and_match_the_column_rules(masked, mask_one):
    assert masked["contact"]["email"] == mask_one({"fake": "email"}, "jane@corp.com")
    assert masked["contact"]["phone"] == mask_one({"fake": "phone"}, "(415) 555-2671")
    assert masked["social"][0]["url"] == mask_one({"fake": "url"}, "https://corp.com/jane")
    assert masked["deep"]["er"]["ssn"] == mask_one({"fake": "ssn"}, "123-45-6789")


def test_specific_paths_win_and_the_fallback_covers_the_rest(masked):
    assert masked["prefs"] == DOC["prefs"]
    assert masked["bio"] == "**** **** ******"
    assert masked["social"][0]["label"] == "****"
    assert masked["nothing"] is None
    assert list(masked) == list(DOC)  # key order kept


def test_without_a_fallback_unlisted_leaves_are_scrambled_not_copied(mask_one):
    out = json.loads(
        mask_one(
            {"json": {"$.email": {"fake": "email"}}},
            '{"email": "a@b.com", "note": "Jane Doe", "n": 123456}',
        )
    )
    assert out["note"] != "Jane Doe"
    assert len(out["note"]) == len("Jane Doe") and out["note"][4] == " "
    assert isinstance(out["n"], int) and out["n"] != 123456


@pytest.mark.parametrize(
    "text",
    [
        '{"email": "a@b.com", "n": 1}',
        '{"email":"a@b.com","n":1}',
        '{\n  "email": "a@b.com",\n  "n": 1\n}',
        '{\n\t"email": "a@b.com",\n\t"n": 1\n}',
        '  {"email": "a@b.com"}\n',
        '{"name": "Jos\\u00e9", "email": "a@b.com"}',
    ],
)
def test_formatting_of_the_original_text_is_kept(mask_one, text):
    out = mask_one({"json": {"$.email": {"fake": "email"}, "$.**": "keep"}}, text)
    fake = mask_one({"fake": "email"}, "a@b.com")
    assert out == text.replace("a@b.com", fake)


def test_native_json_values_are_masked_in_place(mask):
    doc = {"email": "a@b.com", "tags": ["x"]}
    out = mask({"json": {"$.email": {"fake": "email"}, "$.**": "keep"}}, [doc])[0]
    assert out["tags"] == ["x"]
    assert out["email"].endswith(("example.com", "example.org", "example.net"))


@pytest.mark.parametrize(
    ("policy", "check"),
    [
        ("format", lambda out: out != "not json {" and out[3] == " " and out[-1] == "{"),
        ("redact", lambda out: out == "*** **** *"),
        ("null", lambda out: out is None),
        ("keep", lambda out: out == "not json {"),
    ],
)
def test_invalid_json_follows_on_invalid(mask_one, policy, check):
    rule = {"json": {"$.**": "keep"}, "on_invalid": policy}
    assert check(mask_one(rule, "not json {"))


def test_blanks_and_nulls_stay(mask_series_with):
    series = pl.Series("profile", ['{"email": "a@b.com"}', None, "", "  "])
    out = mask_series_with(PROFILE, series).to_list()
    assert out[1:] == [None, "", "  "]
    assert "a@b.com" not in out[0]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"json": {"email": "keep"}}, r"rules/app\.yaml:80: json: 'email' is not a path"),
        ({"json": {"$.a": {"json": {"$.b": "keep"}}}}, "nests json inside json"),
        ({"json": "keep"}, "json: needs a mapping of paths to rules"),
        ({"json": {}}, "json: needs a mapping of paths to rules"),
        ({"json": {"$.a": "kep"}}, r"rules/app\.yaml:80: unknown operator 'kep'"),
        ({"json": {"$.a": "keep"}, "on_invalid": "drop"}, "on_invalid must be one of"),
        ({"fake": "email", "on_invalid": "keep"}, "on_invalid applies to json rules only"),
    ],
)
def test_json_rule_errors_name_file_and_line(spec, message):
    with pytest.raises(ConfigError, match=message) as info:
        parse_rule(spec, WHERE)
    assert "rules/app.yaml:80" in str(info.value)


def test_label_lists_the_paths():
    op = parse_rule({"json": {"$.**": "keep", "$.email": {"fake": "email"}}}, WHERE)
    assert op.label() == "json: {$.email: fake: email, $.**: keep}"
