"""``each``: a rule for every element of a PostgreSQL array, its text form rebuilt faithfully."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanitizer.errors import ConfigError, MaskingError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.each import format_array, parse_array
from sanitizer.schema import ColumnInfo
from tests.mask.conftest import WHERE

TAGS = ColumnInfo("tags", "other", "ARRAY")
DOCS = ColumnInfo("docs", "other", "JSONB[]")


@pytest.mark.parametrize(
    ("text", "elements"),
    [
        ('{a,b,"c d",NULL,"NULL","x\\"y",""}', ["a", "b", "c d", None, "NULL", 'x"y', ""]),
        ("{}", []),
        ("{{1,2},{3,NULL}}", [["1", "2"], ["3", None]]),
        ('{"back\\\\slash","{brace}"}', ["back\\slash", "{brace}"]),
    ],
)
def test_parse_and_format_round_trip(text, elements):
    prefix, parsed = parse_array(text)
    assert parsed == elements and format_array(prefix, parsed) == text


def test_dimension_decoration_is_kept():
    assert format_array(*parse_array("[0:1]={a,b}")) == "[0:1]={a,b}"


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(
                alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
            ),
        )
    )
)
@settings(max_examples=300, deadline=None)
def test_any_list_round_trips(elements):
    assert parse_array(format_array("", elements))[1] == elements


def test_each_element_masked_nulls_and_blanks_kept(mask_one):
    out = mask_one({"each": {"fake": "email"}}, '{jane@corp.com,NULL,"",jane@corp.com}', TAGS)
    _, elements = parse_array(out)
    assert elements[1] is None and elements[2] == "" and elements[0] == elements[3]
    assert elements[0].endswith(("example.com", "example.org", "example.net"))


def test_same_element_same_fake_as_the_plain_rule(mask_one):
    plain = mask_one({"fake": "name"}, "Ana Souza")
    assert parse_array(mask_one({"each": {"fake": "name"}}, '{"Ana Souza"}', TAGS))[1] == [plain]


def test_json_inside_arrays(mask_one):
    rule = {"each": {"json": {"$.email": {"fake": "email"}, "$.**": "keep"}}}
    text = format_array("", ['{"email": "jane@corp.com", "n": 1}', None])
    out = parse_array(mask_one(rule, text, DOCS))[1]
    assert out[1] is None and json.loads(out[0])["n"] == 1
    assert "corp.com" not in out[0]


def test_rule_errors():
    with pytest.raises(ConfigError, match="needs the rule for the elements"):
        parse_rule("each", WHERE)
    op = parse_rule({"each": "redact"}, WHERE)
    assert op.label() == "each: redact"
    assert op.applies_to(TAGS) and not op.applies_to(ColumnInfo("t", "string", "TEXT"))
    assert not parse_rule({"each": {"noise": {"ratio": 0.1}}}, WHERE).applies_to(TAGS)


def test_a_value_that_is_no_array_is_a_clear_error(mask_one):
    with pytest.raises(MaskingError, match="not an array in PostgreSQL's text form"):
        mask_one({"each": "redact"}, "plain text", TAGS)
