"""Dates, ages, nationalities, honorifics and legal-form organisations are found by their
shape and cue words; ids, amounts, plain words and unnamed groups are not."""

from __future__ import annotations

import pytest

from sanitizer.mask.text.recognizers import QuasiCuedRecognizer

RECOGNIZER = QuasiCuedRecognizer()
ALL = ["DATE_TIME", "AGE", "NRP", "TITLE", "ORGANIZATION"]


def found(text: str, entities=ALL) -> list[tuple[str, str]]:
    return sorted(
        (r.entity_type, text[r.start : r.end]) for r in RECOGNIZER.analyze(text, entities)
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Date: 1991-04-27 04:43:49.584830", "1991-04-27 04:43:49.584830"),
        ("born on 27/04/1991 in Reykjavik", "27/04/1991"),
        ("Signed 27.04.1991.", "27.04.1991"),
        ("it was April 27, 1991 when", "April 27, 1991"),
        ("on the 27th of April 1991", "27th of April 1991"),
        ("we met in 2005 at the fair", "2005"),
        ("since 1998\\nPhone: 555", "1998"),
        ("The meeting is at 14:23:05 tomorrow.", "14:23:05"),
        ("Call me at 3:45 PM please.", "3:45 PM"),
        ("appointment: tomorrow 10am", "10am"),
        ("the event on June 5 was great", "June 5"),
        ("see you on the 5th of June", "5th of June"),
        ("zoolander is a 2012 action-comedy film", "2012"),
    ],
)
def test_dates_are_found_in_their_own_layout(text, value):
    assert found(text) == [("DATE_TIME", value)]


@pytest.mark.parametrize(
    "text",
    ["order 2005 shipped", "INV-2024-000123", "ref 12/34/56789", "costs 1991 EUR", "v2005"],
)
def test_numbers_without_a_date_shape_or_a_time_word_are_not_dates(text):
    assert [e for e, _ in found(text)] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I just turned 78", "78"),
        ("and i'm 49 y/o.", "49"),
        ("a 63-year-old man", "63"),
        ("Age: 45", "45"),
        ("written when he was 62.", "62"),
        ("she is 30 years old", "30"),
        ("My age is 52 and I live here", "52"),
        ("I'm 49 and I need help", "49"),
        ("she is 30 years and a day", "30"),
        ("When I was 45 I moved.", "45"),
        ("I just turned 1.5", "1.5"),
        ("This 0.4 year old female", "0.4"),
        ("written when he was 2.3.", "2.3"),
        ("I (34M) need advice", "34"),
        ("my wife (F, 31) agrees", "31"),
        ("F, 28, looking for a roommate", "28"),
        ("At 23 I moved to Berlin.", "23"),
        ("my 30th birthday", "30th"),
        ("The patient (62) presented", "62"),
        ("a 45 y.o male", "45"),
        ("I will be 50 next year", "50"),
        ("She was 19 at the time", "19"),
        ("Age - 45", "45"),
        ("Our son, 8, loves lego", "8"),
        ("Hello\nI am 45\nBye", "45"),  # an age that ends its line
        ("Hello\\nI am 45\\nBye", "45"),  # … a line of a JSON export (literal escapes)
    ],
)
def test_ages_are_found_by_their_cue(text, value):
    assert found(text) == [("AGE", value)]


@pytest.mark.parametrize(
    "text",
    [
        "I was 5 minutes late",
        "he was 62 km away",
        "age of empires",
        "it was 5 years ago",
        "he is 3 years older",
        "the fee is 45 and rising",
        "Size M/32 shirt",
        "I have 12 M in the bank",
        "We met at 10 we had lunch",
        "see item (62)",
        "they will be 10 minutes late",
        "page - 45",
    ],
)
def test_numbers_without_an_age_cue_are_not_ages(text):
    assert found(text) == []


def test_nationalities_are_found_capitalized_or_in_an_all_lower_case_text():
    assert found("I am Seychellois but I live in Slovenia.") == [("NRP", "Seychellois")]
    assert found("the chechen government") == [("NRP", "chechen")]
    assert found("The chechen government") == []  # a lower-case word in cased text


def test_honorifics_before_a_name_are_titles():
    assert found("Hello, this is Mr. Johannes Møller.") == [("TITLE", "Mr.")]
    assert found("this is mr. jan geisler") == [("TITLE", "mr.")]
    assert found("Mr. and Mrs. are fine") == []  # not before a name


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Hello, this is Mr. 村上 京助. Who are you?", "Mr."),  # a script without case
        ("For my take on pani Szymańczyk, see below.", "pani"),  # Faker's pl_PL prefixes
        ("Please correct it to Ing. Venceslao Clerico.", "Ing."),
        ("Ask Dott. Rossi about it.", "Dott."),
        ("Звоните г-н Иванов.", "г-н"),
    ],
)
def test_every_faker_locale_prefix_before_a_name_is_a_title(text, title):
    assert found(text) == [("TITLE", title)]


@pytest.mark.parametrize(
    "text",
    [
        "Misc. Expenses were filed.",  # an abbreviation that heads ordinary phrases
        "The Chief Financial Officer signed.",  # an English word without its period
        "A report by Maria de Souza.",  # a name particle
        "Signed, D. Smith and PFC Jones.",  # initials and short ranks, left to the name
    ],
)
def test_prefixes_that_are_also_something_else_are_left(text):
    assert found(text) == []


def test_organisations_are_found_by_their_legal_form():
    assert found("I work for Apar Industries Ltd\\nthanks") == [
        ("ORGANIZATION", "Apar Industries Ltd")
    ]
    assert found("The KPS AG Orchestra") == [("ORGANIZATION", "KPS AG")]
    assert found("We use Slack and Jira") == []
    assert found("Adelaide SA 5000, Aurora CO 80014") == []  # places, not legal forms


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Fiammetta C Zetticci\nTangoya Co.Ltd.\nCarry van Bruggenweg 77", "Tangoya Co.Ltd."),
        ("at TOKYU RECREATION CO.LTD. in Osaka", "TOKYU RECREATION CO.LTD."),
        ("at TSUBAKIMOTO CHAIN CO. in Osaka", "TSUBAKIMOTO CHAIN CO."),
        ("a year at Snow PeakInc. as the assistant", "Snow PeakInc."),
        ("The CALBEEInc. office", "CALBEEInc."),
    ],
)
def test_legal_forms_written_together_or_glued_to_the_name(text, value):
    assert found(text) == [("ORGANIZATION", value)]


def test_institutions_by_their_word_after_two_names_or_before_of():
    assert found("at Weather Decision Technologies in Oslo") == [
        ("ORGANIZATION", "Weather Decision Technologies")
    ]
    assert found("The Bank of Princeton.") == [("ORGANIZATION", "Bank of Princeton")]
    assert found("Payment Solutions for you; our Support Systems team") == []  # headings


def test_lower_case_legal_forms_only_in_a_text_with_no_capital_letter():
    assert found("villads thomsen\nhealthpocket inc\nthe street") == [
        ("ORGANIZATION", "healthpocket inc")
    ]
    assert found("the integumen plc orchestra") == [("ORGANIZATION", "integumen plc")]
    assert found("we'll meet at omikenshi co.ltd.", ["ORGANIZATION"]) == [
        ("ORGANIZATION", "omikenshi co.ltd.")
    ]
    assert found("we have very limited time") == []  # stop words are no name
    assert found("The integumen plc orchestra") == []  # cased text: a name is capitalized


def test_demonyms_of_country_names_and_irregular_groups_are_nationalities():
    assert found("The Taiwanese Border Force") == [("NRP", "Taiwanese")]
    assert found("i am togolese but i live in lomé") == [("NRP", "togolese")]
    assert found("a nice new British place, run by an Argentinian") == [
        ("NRP", "Argentinian"),
        ("NRP", "British"),
    ]
    assert found("a Martini at the Cuba bar") == []  # no demonyms


def test_the_nouns_for_a_groups_people_are_nationalities_when_capitalized():
    text = "Two Danes, the Czechs, a Frenchman, some Icelanders and Latvians"
    assert sorted(span for _, span in found(text, ["NRP"])) == [
        "Czechs",
        "Danes",
        "Frenchman",
        "Icelanders",
        "Latvians",
    ]
    assert found("the poles were down after the storm", ["NRP"]) == []  # a word in lower case


def test_an_employer_is_found_after_an_employment_cue():
    assert found("I work for Quandl.") == [("ORGANIZATION", "Quandl")]
    assert found("She spent a year at E&Y as the assistant") == [("ORGANIZATION", "E&Y")]
    assert found("we work at home") == []


def test_only_requested_entities_are_reported():
    assert found("Mr. Smith, 63 years old, since 2005", ["AGE"]) == [("AGE", "63")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Сажида Елизарьева\nОрнитолог\n«Адидас»\nАллея Серпов 568", "«Адидас»"),
        ("I work for ГК «ТАИФ» now", "ГК «ТАИФ»"),
        ('Корпорация "Синтез" is hiring', 'Корпорация "Синтез"'),
        ("The «Филип Моррис сэйлз энд маркетинг» office", "«Филип Моррис сэйлз энд маркетинг»"),
    ],
)
def test_a_company_in_quotes_as_russian_writes_them_is_an_organisation(text, value):
    assert ("ORGANIZATION", value) in found(text)


@pytest.mark.parametrize(
    "text", ["Il a dit « Bonjour » puis il est parti", 'He said "Hello there" to me']
)
def test_quoted_speech_is_no_organisation(text):
    assert not any(entity == "ORGANIZATION" for entity, _ in found(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("spent a year at شركة البحر الأحمر للتطوير as the assistant", "شركة البحر الأحمر للتطوير"),
        ("I work for بانک ملت", "بانک ملت"),
        ("I work for 中国工商银行 now", "中国工商银行"),
        ("Sato Hiro\n伊藤忠商事\n名古屋市 8-91-63", "伊藤忠商事"),
    ],
)
def test_a_company_word_of_a_caseless_script_names_a_company(text, value):
    assert ("ORGANIZATION", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "أعمل في شركة كبيرة جدا في دبي منذ خمس سنوات وأحب عملي",  # a sentence of the script
        "私は株式会社で働いています",
    ],
)
def test_a_company_word_inside_a_sentence_of_its_script_is_no_name(text):
    assert not any(entity == "ORGANIZATION" for entity, _ in found(text))


def test_an_employer_in_a_script_without_capitals_follows_an_employment_cue():
    text = "and the following year at フジテック in 都城市"
    assert ("ORGANIZATION", "フジテック") in found(text)
