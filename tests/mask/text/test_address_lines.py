"""International street lines, military and Japanese addresses, and address blocks: each
line of an address its own finding, with the fake kind that keeps the output readable.
Regression strings written for these tests (shaped like the leaks issue 13 reports)."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.recognizers import StreetAddressRecognizer
from sanitizer.mask.text.recognizers.street_vocab import street_words


@pytest.fixture(scope="module")
def recognizer() -> StreetAddressRecognizer:
    return StreetAddressRecognizer()


def parts(recognizer, text: str) -> list[tuple[str, str | None]]:
    results = recognizer.analyze(text, ["LOCATION"])
    return [(text[r.start : r.end], r.recognition_metadata["sanitizer_fake_kind"]) for r in results]


def spans(recognizer, text: str) -> list[str]:
    return [span for span, _ in parts(recognizer, text)]


STREET_LINES = [
    ("Please ship it to ul. Długa 12/4 before Friday", "ul. Długa 12/4"),
    ("moja adresa: aleja Róż 7", "aleja Róż 7"),
    ("Our office: Λεωφόρος Κηφισίας 120, Αθήνα", "Λεωφόρος Κηφισίας 120"),
    ("Send it to Οδός Ερμού 15 please", "Οδός Ερμού 15"),
    ("I live on Laugavegur 12 now", "Laugavegur 12"),
    ("new flat: Vestergade 8, 2 sal", "Vestergade 8"),
    ("Hämeenkatu 14 is the shop", "Hämeenkatu 14"),
    ("the café on Andrássy út 22 closed", "Andrássy út 22"),
    ("Rua Augusta 210 é o endereço", "Rua Augusta 210"),
    ("deliver to 88 Calle del Olmo", "88 Calle del Olmo"),
    ("visit 17 Avenida Libertad Sur", "17 Avenida Libertad Sur"),
    ("the parcel went to 410 Mühlenweg", "410 Mühlenweg"),
    ("The shop is at 2211 Ostrava 19 now", "2211 Ostrava 19"),
    ("He lives on Breiðholt 34 with his sister", "Breiðholt 34"),
    ("my address: 14/2 Wierzbowa", "14/2 Wierzbowa"),
    ("It's on Kestrel Street, near the mill", "Kestrel"),
    ("I moved to 山梨県三鷹市浅草29丁目22番19号", "山梨県三鷹市浅草29丁目22番19号"),
    (
        "送り先は東京都港区芝公園4丁目2番8号 タワー東館1203です",
        "東京都港区芝公園4丁目2番8号 タワー東館1203",
    ),
    # Chinese street lines: a street word right before the number (or building letter)
    ("The office is at 蔡甸路1135号 now.", "蔡甸路1135号"),
    ("Ship to 台南市永安路27號之1 today", "台南市永安路27號之1"),
    ("Ship to 四川省淑英县花溪张路t座 910924 today", "四川省淑英县花溪张路t座"),
    # Korean road-name addresses, from the province or district on
    ("Send it to 서울특별시 종로구 세종대로 209 please", "서울특별시 종로구 세종대로 209"),
    (
        "He lives on 경상북도 영동군 테헤란10길 265-87 (은서고이리).",
        "경상북도 영동군 테헤란10길 265-87 (은서고이리)",
    ),
    (
        "주소: 경상북도 수원시 장안구 서초대98로 지하278",
        "경상북도 수원시 장안구 서초대98로 지하278",
    ),
]


@pytest.mark.parametrize(("text", "street"), STREET_LINES)
def test_street_lines_of_many_countries_are_found(recognizer, text, street):
    assert street in spans(recognizer, text)


MILITARY = [
    ("USS Hartley\nFPO AE 67601", [("Hartley", "last_name"), ("67601", "postcode")]),
    ("USNS Pollard\\nFPO AP 30412", [("Pollard", "last_name"), ("30412", "postcode")]),
    ("PSC 7245, Box 8033\nAPO AP 97457", [("7245", "format"), ("8033", "format"),
                                          ("97457", "postcode")]),
    ("Unit 1234 Box 5678\\nDPO AA 12345", [("1234", "format"), ("5678", "format"),
                                            ("12345", "postcode")]),
    ("Write to P.O. Box 255, Nuuk", [("255", "format")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MILITARY)
def test_military_and_po_addresses_keep_their_words_and_lose_their_numbers(
    recognizer, text, expected
):
    assert parts(recognizer, text) == expected


BLOCKS = [
    (
        "Dear team,\\n\\n5512 Avenida Noruega 42\\n Apt. 77\\n Vila Real\\n\\n Portugal 5000-047",
        [("5512 Avenida Noruega 42", "street"), ("77", "format"), ("Vila Real", None),
         ("Portugal", None), ("5000-047", "postcode")],
    ),
    (
        "Mój adres:\nul. Polna 3/9\n00-950 Warszawa\nDzięki!",
        [("ul. Polna 3/9", "street"), ("00-950", "postcode"), ("Warszawa", None)],
    ),
    (
        "Σκουφά 41,\nΤΚ 106 73 Αθήνα",
        [("Σκουφά 41", "street"), ("ΤΚ 106 73", "postcode"), ("Αθήνα", None)],
    ),
    (
        "Ship to:\n771 Quarry Ridge\nGlenmore\n, KS\n 66212\nThanks",
        [("771 Quarry Ridge", "street"), ("Glenmore", None), ("KS", "format"),
         ("66212", "postcode")],
    ),
    (
        "Laugavegur 12\n101 Reykjavík",
        [("Laugavegur 12", "street"), ("101", "postcode"), ("Reykjavík", None)],
    ),
    (
        "meet at 418 Harlow Drive, Fenwick, OR 97301 tomorrow",
        [("418 Harlow Drive", "street"), ("Fenwick", None), ("OR", "format"),
         ("97301", "postcode")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BLOCKS)
def test_each_line_of_an_address_block_is_its_own_finding(recognizer, text, expected):
    assert parts(recognizer, text) == expected


@pytest.mark.parametrize("text", [t for t, _ in BLOCKS + MILITARY])
def test_no_finding_crosses_a_line_break_or_a_literal_escape(recognizer, text):
    for span in spans(recognizer, text):
        assert "\n" not in span and "\\n" not in span and "\r" not in span


NOT_ADDRESSES = [
    "Upgrade 2 Windows 10 laptops before Monday.",
    "We shipped 3 Galaxy S21 units and 12 Pixel 8 phones.",
    "Release 5 May 2024 notes: see chapter 7.",
    "Boarding Gate 8 is closed, use Gate 9.",
    "Our top 3 Main Street picks",
    "Unit tests passed: 412 of 415.",
    "Put the invoice in the Box 3 folder.",
    "Order INV-2024-000123 shipped, total $1,249.50 on 2024-01-15.",
    "Version 3.12.4 of the Route Planner 2 app",
    "Via Slack 2 times today, via Teams 3 times",
    "Engineering 101 and Spring 2024 are full",
    "Julia 4 and Amelia 2 were renamed",
    "Thanks,\nThe Support Team\nAcme Corp",
    "The Toy Story Part 3 release was moved.",
    "Room 204, Floor 3, Building 7 hosts the demo.",
    "Version 2.1 is live\n12 users affected\nPriority High",
    "我知道5号会议室在哪里",  # 'I know where meeting room 5 is': 知道 is no prefecture
    # Korean: a particle after a place and a count, not a road and its number
    "서울로 3시간 걸렸어요",
    "경기도 수원시로 2 명이 갔다",
    "우리는 부산시 해운대구에 3년 살았다",
]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_ordinary_text_products_ids_and_amounts_are_not_addresses(recognizer, text):
    assert parts(recognizer, text) == []


def test_street_words_come_from_fakers_locales_by_how_their_formats_use_them():
    words = street_words()
    assert {"calle", "rua", "ulica", "λεωφόροσ"} <= words.before  # before a name
    assert {"utca", "tér"} <= words.after  # after a name
    assert {"vej", "gatan", "straat", "katu", "vegur"} <= set(words.glued)  # glued to one
    assert "street" not in words.after  # English word order is the English patterns'
    assert "station" not in words.glued  # en_BD's 'Station' is a word, not an ending


SAMPLES = [t for t, _ in STREET_LINES + MILITARY + BLOCKS] + NOT_ADDRESSES
# every sample's lines joined in one text, so forms meet each other's matches
SAMPLES += ["\n".join(SAMPLES), " ".join(SAMPLES), "\\n".join(SAMPLES)]


def test_street_forms_searched_apart_match_as_their_one_alternation():
    """street_parts searches each form on its own (faster than one alternation) and must
    give the parts one left-to-right pass of the alternation gives."""
    import regex

    from sanitizer.mask.text.recognizers import address_lines

    finders = address_lines._finders()
    together = regex.compile("|".join(f.pattern for f in finders), regex.MULTILINE)
    for text in SAMPLES:
        expected = []
        for match in together.finditer(text):
            kind = next(form for form in address_lines.FORMS if match.group(form) is not None)
            part = address_lines._checked(match, kind)
            if part is not None:
                expected.append(part)
        assert address_lines.street_parts(text) == expected, text


def test_a_form_is_skipped_only_where_it_cannot_match():
    from sanitizer.mask.text.recognizers import address_lines

    for text in SAMPLES:
        possible = address_lines._possible(text)
        for finder, form, can in zip(
            address_lines._finders(), address_lines.FORMS, possible, strict=True
        ):
            assert can or finder.search(text) is None, (form, text)
