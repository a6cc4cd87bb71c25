"""``detect``: Presidio finds PII in free text; each finding becomes the matching keyed fake.

These tests run the real analyzer with the installed spaCy model, with every network call
refused and recorded, so they also prove detection never reaches out (tldextract's suffix
list download is the usual culprit).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import polars as pl
import pytest

from sanitizer.config.settings import NlpSettings
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext, mask_series
from sanitizer.mask.text import detector
from sanitizer.schema import STRING, ColumnInfo

WHERE = Location("rules/app.yaml", 90)
NOTES = ColumnInfo("notes", STRING, "TEXT")
TEXT = "Please call Maria Gonzalez about the refund; her email is maria.gonzalez@acme-corp.com."
PERSON, EMAIL = "Maria Gonzalez", "maria.gonzalez@acme-corp.com"


@pytest.fixture(scope="module")
def network_attempts() -> Iterator[list[str]]:
    """Refuse and record every connection and DNS lookup while this module runs."""
    attempts: list[str] = []

    def refuse(name: str):
        def call(*args, **kwargs):
            attempts.append(f"{name}{args[1:2] or args[:1]}")
            raise OSError(f"network disabled in tests ({name})")

        return call

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse("connect"))
        patch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
        patch.setattr(socket, "create_connection", refuse("create_connection"))
        patch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        detector.analyzer.cache_clear()  # build it here, under the guard
        yield attempts
    detector.analyzer.cache_clear()


@pytest.fixture(scope="module")
def detected(network_attempts, keyring) -> tuple[str, MaskContext]:
    ctx = MaskContext(keyring, NOTES, nlp=NlpSettings())
    out = parse_rule("detect", WHERE).mask_values([TEXT], ctx)[0]
    return out, ctx


def test_email_and_name_become_exactly_their_column_fakes(detected, mask_one):
    out, _ = detected
    fake_name = mask_one({"fake": "name"}, PERSON)
    fake_email = mask_one({"fake": "email"}, EMAIL)
    assert out == TEXT.replace(PERSON, fake_name).replace(EMAIL, fake_email)
    assert PERSON not in out and EMAIL not in out


def test_entity_counts_are_recorded_without_values(detected):
    _, ctx = detected
    assert ctx.stats == {"entity:PERSON": 1, "entity:EMAIL_ADDRESS": 1}


def test_only_the_listed_entities_are_replaced(network_attempts, keyring, mask_one):
    ctx = MaskContext(keyring, NOTES, nlp=NlpSettings())
    out = parse_rule({"detect": ["EMAIL_ADDRESS"]}, WHERE).mask_values([TEXT], ctx)[0]
    assert out == TEXT.replace(EMAIL, mask_one({"fake": "email"}, EMAIL))


def test_clean_text_nulls_and_blanks_pass_unchanged(network_attempts, keyring):
    ctx = MaskContext(keyring, NOTES, nlp=NlpSettings())
    series = pl.Series("notes", ["the printer on floor two is jammed again", None, "", " \n"])
    out = mask_series(parse_rule("detect", WHERE), series, ctx)
    assert out.to_list() == series.to_list()


def test_no_network_access_was_attempted(detected, network_attempts):
    assert network_attempts == []


@pytest.mark.parametrize(
    ("spec", "label"),
    [
        ("detect", "detect"),
        ({"detect": "all"}, "detect"),
        ({"detect": ["PERSON", "EMAIL_ADDRESS"]}, "detect: [PERSON, EMAIL_ADDRESS]"),
    ],
)
def test_detect_labels(spec, label):
    assert parse_rule(spec, WHERE).label() == label


@pytest.mark.parametrize("argument", ["PERSON", ["person"], [], [1], {"PERSON": True}])
def test_detect_takes_a_list_of_entity_names(argument):
    with pytest.raises(ConfigError, match=r"rules/app\.yaml:90: detect: takes a list"):
        parse_rule({"detect": argument}, WHERE)


def test_detect_cannot_be_unique():
    with pytest.raises(ConfigError, match="cannot guarantee distinct outputs"):
        parse_rule({"detect": None, "unique": True}, WHERE)


def test_an_unknown_spacy_model_is_a_config_error(network_attempts):
    with pytest.raises(ConfigError, match="the spaCy model 'no_such_model_xx' for detection"):
        detector.analyzer("no_such_model_xx", "en")
    assert network_attempts == []


ADDRESS = "Mail it to:\\nUSS Hartley\\nFPO AE 67601\\nor P.O. Box 255, Nuuk\nApt. 584"


def test_address_pieces_take_fakes_that_keep_their_words_and_separators(network_attempts, keyring):
    ctx = MaskContext(keyring, NOTES, nlp=NlpSettings())
    out = parse_rule("detect", WHERE).mask_values([ADDRESS], ctx)[0]
    assert out.startswith("Mail it to:\\nUSS ") and "\\nFPO AE " in out
    assert "\\nor P.O. Box " in out and "\nApt. " in out
    for secret in ("Hartley", "67601", "255", "584"):
        assert secret not in out
