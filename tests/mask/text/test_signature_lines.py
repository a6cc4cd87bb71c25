"""A signature's or address block's title and organisation lines (signature_lines)."""

from __future__ import annotations

from presidio_analyzer import RecognizerResult

from sanitizer.config.settings import NlpSettings
from sanitizer.mask.text.detector import find_all
from sanitizer.mask.text.signature_lines import block_lines

EVERYTHING = ("PERSON", "LOCATION", "PHONE_NUMBER", "TITLE", "ORGANIZATION")


def found(text: str, entity: str, value: str, nth: int = 0) -> RecognizerResult:
    """A finding of ``entity`` on the ``nth`` occurrence of ``value``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return RecognizerResult(entity, start, start + len(value), 0.85)


def added(text: str, results: list[RecognizerResult], wanted=EVERYTHING) -> list[tuple[str, str]]:
    return [(text[r.start : r.end], r.entity_type) for r in block_lines(text, results, wanted)]


def test_title_and_organisation_between_a_name_and_a_street_line():
    text = "Horst Léhař\nStomatolog\nBuilding Audit\nRuská-Nádraží 141\nHolýšov"
    results = [found(text, "PERSON", "Horst Léhař"), found(text, "LOCATION", "Ruská-Nádraží 141")]
    assert added(text, results) == [("Stomatolog", "TITLE"), ("Building Audit", "ORGANIZATION")]


def test_one_line_is_the_organisation_before_a_street_and_the_title_before_a_label():
    text = "Brite Hoffstad\\nGlamoxa\\n617 Skøyenveien\\nGjøvik"
    results = [found(text, "PERSON", "Brite Hoffstad"), found(text, "LOCATION", "617 Skøyenveien")]
    assert added(text, results) == [("Glamoxa", "ORGANIZATION")]
    text = "Viviána Varga\n\nFilmrendező\n\nPersonal Info:\nPhone:\n+36 31 596 078"
    results = [
        found(text, "PERSON", "Viviána Varga"),
        found(text, "PHONE_NUMBER", "+36 31 596 078"),
    ]
    assert added(text, results) == [("Filmrendező", "TITLE")]


def test_a_house_number_line_closes_the_block_when_no_recognizer_read_it():
    text = "??? Arpád Vargová\\n??? Paštikáreň\\n??? 970 Ukrajinská ulica\\n??? Apt. 023"
    assert added(text, [found(text, "PERSON", "Arpád Vargová")]) == [("Paštikáreň", "ORGANIZATION")]


def test_without_a_contact_line_after_them_the_lines_stay():
    text = "Thanks,\nJohn Smith\nSent from my phone"
    assert added(text, [found(text, "PERSON", "John Smith")]) == []
    text = "John Smith\nHead of Sales\nAcme\nNordic region\nPhone: 555 0134"  # three lines
    results = [found(text, "PERSON", "John Smith"), found(text, "PHONE_NUMBER", "555 0134")]
    assert added(text, results) == []


def test_a_sentence_naming_an_address_later_is_no_contact_line():
    text = (
        "Best regards,\nShelly Gamble\nRelayDesk Support\n"
        "I've updated the address on file to: 74223 Alvarez Dale Suite 233"
    )
    results = [found(text, "PERSON", "Shelly Gamble"), found(text, "LOCATION", "74223 Alvarez")]
    assert added(text, results) == []
    text = "Best regards,\nShelly Gamble\nRelayDesk Support\nPhone: +1 415 555 0134"
    results = [found(text, "PERSON", "Shelly Gamble"), found(text, "PHONE_NUMBER", "+1 415")]
    assert added(text, results) == [("RelayDesk Support", "TITLE")]


def test_a_sign_off_between_two_names_is_no_block_line():
    text = (
        "Charles Faivre\n\nKind regards / Mit freundlichen Grüßen\n\nKimberly Perry\n78 Calle Sol"
    )
    results = [
        found(text, "PERSON", "Charles Faivre"),
        found(text, "PERSON", "Kimberly Perry"),
        found(text, "LOCATION", "78 Calle Sol"),
    ]
    assert added(text, results) == []


def test_only_a_label_of_contact_details_closes_a_block():
    for label in ("Automatic reply: I am out", "Name: Simten Yaman", "Customer wrote in Japanese:"):
        text = f"Maria Sophia\n\nSent from my iPhone\n\n{label}"
        assert added(text, [found(text, "PERSON", "Maria Sophia")]) == [], label
    for label in ("Tel.: 96 934", "E-mail: x@y.z", "Personal Info:", "Teléfono: 91 123"):
        text = f"Maria Sophia\nChief Engineer\n{label}"
        assert added(text, [found(text, "PERSON", "Maria Sophia")]) == [
            ("Chief Engineer", "TITLE")
        ], label


def test_sentences_questions_and_numbers_are_no_block_lines():
    phone = "\nPhone: +1 415 555 0134"
    for line in (
        "Can you call me back?",
        "Order 4411 is late",
        "I wanted to ask about the invoice we got last week",
        "Hi, thanks",
    ):
        text = f"Jane Doe\n{line}{phone}"
        results = [found(text, "PERSON", "Jane Doe"), found(text, "PHONE_NUMBER", "+1 415")]
        assert added(text, results) == [], line


def test_a_line_found_whole_keeps_its_finding_and_counts_as_the_title():
    text = "Ιωάννης Μόσχου\\nΛογιστής\\nAlpha Bank\\nΛόντου Ανδρέα 547\\nΧανιά"
    results = [
        found(text, "PERSON", "Ιωάννης Μόσχου"),
        found(text, "TITLE", "Λογιστής"),
        found(text, "LOCATION", "Λόντου Ανδρέα 547"),
    ]
    assert added(text, results) == [("Alpha Bank", "ORGANIZATION")]


def test_a_place_word_inside_a_title_does_not_close_the_block():
    text = "Giselher Kurnicki\nKellner / Kellnerin\nTG Holding\nOstbahnbegleitstraße 49\nLinz"
    results = [
        found(text, "PERSON", "Giselher Kurnicki"),
        found(text, "LOCATION", "Kellner"),
        found(text, "LOCATION", "Ostbahnbegleitstraße 49"),
    ]
    assert added(text, results) == [
        ("Kellner / Kellnerin", "TITLE"),
        ("TG Holding", "ORGANIZATION"),
    ]


def test_a_name_line_may_hold_one_word_no_recognizer_took():
    text = "Valerie Lax\\n\\nSoldat / Soldatin\\n\\nPersonal Info:\\nPhone:\\n+43-1-433766"
    results = [found(text, "PERSON", "Valerie"), found(text, "PHONE_NUMBER", "+43-1-433766")]
    assert added(text, results) == [("Soldat / Soldatin", "TITLE")]
    text = "Valerie said we should go\nLater today\nPhone: +43-1-433766"  # a sentence, no name line
    results = [found(text, "PERSON", "Valerie"), found(text, "PHONE_NUMBER", "+43-1-433766")]
    assert added(text, results) == []


def test_only_the_entities_a_rule_asks_for():
    text = "Horst Léhař\nStomatolog\nBuilding Audit\nRuská-Nádraží 141"
    results = [found(text, "PERSON", "Horst Léhař"), found(text, "LOCATION", "Ruská-Nádraží 141")]
    assert added(text, results, ("PERSON", "LOCATION", "ORGANIZATION")) == [
        ("Building Audit", "ORGANIZATION")
    ]
    assert added(text, results, ("LOCATION", "TITLE", "ORGANIZATION")) == []


def test_detection_masks_the_block_lines():
    text = "Horst Léhař\nStomatolog\nBuilding Audit\nRuská-Nádraží 141\nHolýšov"
    (findings,) = find_all([text], None, NlpSettings())
    spans = {(text[f.start : f.end], f.entity) for f in findings}
    assert {("Stomatolog", "TITLE"), ("Building Audit", "ORGANIZATION")} <= spans
