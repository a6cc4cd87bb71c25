"""Structure-preserving spans: findings cut at line breaks, literal escapes, labels and markup.

Pure functions over hand-made findings; the end-to-end property (masking through ``detect``
leaves every separator and label in place) is in ``test_spans_detect.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from presidio_analyzer import RecognizerResult

from sanitizer.mask.operators.detect import _replaced
from sanitizer.mask.text.detector import Finding
from sanitizer.mask.text.spans import bounded, separators


def finding(text: str, span: str, entity: str, kind: str | None = None) -> Finding:
    start = text.index(span)
    return Finding(start, start + len(span), entity, 0.85, kind)


def cut(text: str, span: str, entity: str) -> list[str]:
    return [text[f.start : f.end] for f in bounded(text, [finding(text, span, entity)])]


def parts(text: str) -> list[str]:
    return [text[s:e] for s, e in separators(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name: Eduard Kvarda\\nPhone: 961 52 200", ["Name:", "\\nPhone:"]),
        ("a\r\nb\nc\td\re", ["\r\n", "\n", "\t", "\r"]),
        ("a\\r\\nb\\tc", ["\\r\\n", "\\t"]),
        ("E-mail:\\nCinzia@x.com", ["E-mail:\\n"]),
        (
            "first_name: Jo; Tel.: +49 30 1234; ZIP CODE : 02139",
            ["first_name:", "Tel.:", "ZIP CODE :"],
        ),
        (
            "<b>Jane</b><br/>x<br />y&nbsp;z&#39;w",
            ["<b>", "</b><br/>", "<br />", "&nbsp;", "&#39;"],
        ),
        ('<a href="mailto:j@x.com">j@x.com</a>', ['<a href="', '">', "</a>"]),
        ("**Jane Doe** and `code`", ["**", "**", "`", "`"]),
        ("お客様の電話番号: 03-1234-5678", ["電話番号:"]),
    ],
)
def test_separators_of_a_text(text, expected):
    assert parts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "William: Remember me, Sarah?",  # a speaker is no label: the name stays a finding
        "see https://example.com:8080/a and 10:30 or fe80::1",
        "<Jane Doe> wrote to <jane@x.com>",  # not markup
        "Windows 11 & Office <3",
    ],
)
def test_no_separator_where_there_is_none(text):
    assert parts(text) == []


@pytest.mark.parametrize(
    ("text", "span", "entity", "expected"),
    [
        # a literal escape is no whitespace to spaCy: the next label joins the name
        (
            "Name: Eduard Kvarda\\nPhone: 961 52 200",
            "Eduard Kvarda\\nPhone:",
            "PERSON",
            ["Eduard Kvarda"],
        ),
        (
            "Name: Eduard Kvarda\\nPhone: 961 52 200",
            "Eduard Kvarda\\nPhone",
            "PERSON",
            ["Eduard Kvarda"],
        ),
        # an email pattern starting at the escape's letter
        ("E-mail:\\nCinzia@x.com", "nCinzia@x.com", "EMAIL_ADDRESS", ["Cinzia@x.com"]),
        ("Contact\\r\\nMarek\\tmarek@x.cz", "tmarek@x.cz", "EMAIL_ADDRESS", ["marek@x.cz"]),
        # real line breaks: the piece with the name, not an ordinary word or a label's word
        ("Ming Pan\nEmail", "Ming Pan\nEmail", "PERSON", ["Ming Pan"]),
        ("Jane Doe\nSupport team", "Jane Doe\nSupport team", "PERSON", ["Jane Doe"]),
        (
            "Eduard Kvarda\nOccupation: nurse",
            "Eduard Kvarda\nOccupation",
            "PERSON",
            ["Eduard Kvarda"],
        ),
        # both parts carry the entity: both are kept, each replaced on its own
        ("John\tSmith", "John\tSmith", "PERSON", ["John", "Smith"]),
        (
            "12 Main St\nSpringfield",
            "12 Main St\nSpringfield",
            "LOCATION",
            ["12 Main St", "Springfield"],
        ),
        ("+39 06\\n1234 5678", "+39 06\\n1234 5678", "PHONE_NUMBER", ["+39 06", "1234 5678"]),
        ("Phone: 961 52 200\nFax", "961 52 200\nFax", "PHONE_NUMBER", ["961 52 200"]),
        # markup
        ("<b>Jane Doe</b>", "b>Jane Doe</b", "PERSON", ["Jane Doe"]),
        ("**Jane Doe**", "**Jane Doe**", "PERSON", ["Jane Doe"]),
        ("Jane&nbsp;Doe", "Jane&nbsp;Doe", "PERSON", ["Jane", "Doe"]),
        ('<a href="mailto:j@x.com">', "j@x.com", "EMAIL_ADDRESS", ["j@x.com"]),
        # a colon: cut in a name, not in a URL
        ("Name:Eduard", "Name:Eduard", "PERSON", ["Eduard"]),
        ("go to https://x.com:8080/a now", "https://x.com:8080/a", "URL", ["https://x.com:8080/a"]),
        # a speaker's name alone keeps its finding
        ("William: Remember me", "William", "PERSON", ["William"]),
        ("William: Remember me", "William:", "PERSON", ["William"]),
        # nothing of the entity left
        ("Name: Jo\nPhone: 1", "\nPhone:", "PERSON", []),
        ("a\\n\\nb", "\\n\\n", "PERSON", []),
    ],
)
def test_a_finding_is_cut_to_the_pieces_that_carry_it(text, span, entity, expected):
    assert cut(text, span, entity) == expected


def test_findings_without_separators_are_the_same_objects():
    text = "Call Jane Doe at 555-0100"
    found = [finding(text, "Jane Doe", "PERSON"), finding(text, "555-0100", "PHONE_NUMBER")]
    out = bounded(text, found)
    assert all(a is b for a, b in zip(out, found, strict=True))


def test_a_known_value_keeps_its_kind_in_each_piece():
    text = "Jane\tDoe"
    out = bounded(text, [finding(text, "Jane\tDoe", "PERSON", kind="name")])
    assert [(text[f.start : f.end], f.kind) for f in out] == [("Jane", "name"), ("Doe", "name")]


def test_presidio_results_are_copied_not_changed():
    text = "Name: Eduard Kvarda\\nPhone: 1"
    start = text.index("Eduard")
    original = RecognizerResult("PERSON", start, text.index(":", start) + 1, 0.85)
    (out,) = bounded(text, [original])
    assert text[out.start : out.end] == "Eduard Kvarda" and out.entity_type == "PERSON"
    assert text[original.start : original.end] == "Eduard Kvarda\\nPhone:"


SEPARATORS = ["\n", "\r\n", "\t", "\\n", "\\t", "\\r\\n", "<br/>", "</p>", "&nbsp;", "**"]
LABELS = ["Phone: ", "E-mail:", "Name: ", "Address:\\n", "Fax:\t"]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(SEPARATORS + LABELS),
            st.text(alphabet="abcXYZ nt@.0123:\\<>&;*", max_size=8),
        ),
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=6),
    st.sampled_from(["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "LOCATION", "URL", "ID"]),
)
def test_cut_findings_never_overlap_a_separator(pieces, spans, entity):
    """By construction: whatever the findings, what is kept lies inside one of them and
    shares no character with any separator of the text."""
    text = "".join(pieces)
    found = [Finding(s, min(s + n, len(text)), entity, 0.5) for s, n in spans if s < len(text)]
    cuts = separators(text)
    for f in bounded(text, found):
        assert any(g.start <= f.start < f.end <= g.end for g in found)
        assert all(f.end <= s or f.start >= e for s, e in cuts)


def test_replacement_copies_everything_outside_the_spans():
    text = "Name: Eduard Kvarda\\nPhone: 961 52 200"
    found = [finding(text, "961 52 200", "PHONE_NUMBER"), finding(text, "Eduard Kvarda", "PERSON")]
    overlapping = Finding(found[1].start + 2, found[1].end + 3, "PERSON", 0.5)
    replacement = {("phone", "961 52 200"): "+1 555 0100", ("name", "Eduard Kvarda"): "Jo Ng"}
    out = _replaced(text, [*found, overlapping], replacement)
    assert out == "Name: Jo Ng\\nPhone: +1 555 0100"
