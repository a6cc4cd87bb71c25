"""PERSON from Faker's name lists: names spaCy misses are found with their exact span, while
first names that are English words ('May', 'Will', 'Mark'…) stay words."""

from __future__ import annotations

import pytest
from helpers.recognizers import engine_with
from presidio_analyzer import AnalyzerEngine

from sanitizer.mask.text.recognizers import PersonNameRecognizer
from sanitizer.mask.text.recognizers.person_names import name_lists

NAME = "PersonNameRecognizer"


@pytest.fixture(scope="module")
def engine() -> AnalyzerEngine:
    return engine_with(PersonNameRecognizer())


def covered(engine: AnalyzerEngine, text: str, name: str) -> bool:
    """The engine masks the whole name (spaCy may report a longer span that contains it)."""
    start = text.index(name)
    end = start + len(name)
    results = engine.analyze(text=text, language="en", entities=["PERSON"], score_threshold=0.4)
    return any(r.start <= start and r.end >= end for r in results)


def mine(text: str) -> list[str]:
    return [text[start:end] for start, end, _, _ in RECOGNIZER.find(text)]


RECOGNIZER = PersonNameRecognizer()

POSITIVE = [
    ("Customer Priya Raman reported the outage", "Priya Raman"),
    ("spoke to john smith earlier, he is fine with the credit", "john smith"),
    ("Customer: JOSÉ FERNÁNDEZ\nIssue: double charge", "JOSÉ FERNÁNDEZ"),
    ("Customer: KATARZYNA NOWAK\nIssue: double charge", "KATARZYNA NOWAK"),
    ("Olá, meu nome é Ana Beatriz Souza", "Ana Beatriz Souza"),
    ("Contact Emma de Vries for the visit", "Emma de Vries"),
    ("escalated by emma de vries — see thread", "emma de vries"),
    ("Regards,\nNoah Williams\n+49 89 123456", "Noah Williams"),
    ("FYI Lukas is out today", "Lukas"),
    ("Priya from accounting asked to update the PO", "Priya"),
    ("Thanks,\nGiulia", "Giulia"),
    ("Cheers, Tom", "Tom"),
    ("hey sophie - can u check order #48213?", "sophie"),
    ("Dear Priya,\nThank you for contacting support.", "Priya"),
    ("Regards,\nAiko Tanaka", "Aiko Tanaka"),
    ("for the renewal, thanks - Lukas", "Lukas"),
    ("Hi Mark,\nthe fix is deployed.", "Mark"),
    ("Thanks,\nMax", "Max"),
    ("Mark Johnson wrote in about his invoice", "Mark Johnson"),
    ("Mrs Okafor complained about the delay", "Okafor"),
    ("Attn: Bakker, Ruben", "Bakker, Ruben"),
    ("Olá, meu nome é Jean-Luc Moreau", "Jean-Luc Moreau"),
    ("Written by Fred L. Drake, Jr.", "Fred L. Drake"),
    ("Patrick O'Neill called twice", "Patrick O'Neill"),
    ("Sarah's laptop was replaced", "Sarah"),
    # marked by what surrounds them
    ("form:\n  first_name: Lucky\n  last_name: Tata\n", "Tata"),
    ('{"full_name": "Ngozi Okonjo", "plan": "pro"}', "Ngozi Okonjo"),
    ("[22:55 UTC] yago: hey, my payment keeps failing", "yago"),
    ("03.08.2022, 5:57pm - Thomas Vieira: Olá", "Thomas Vieira"),
    ("hello, my name is büşranur durdu and i cant log in", "büşranur durdu"),
    ("agent: thank you mister gautier, and can you verify", "gautier"),
    ("SMS: hey its thomas again, can u check order #333309", "thomas"),
    ("@sara can you check why this got charged twice", "sara"),
    ("still broken. see screenshot.\nCRISTIAN\n", "CRISTIAN"),
    ("Mit freundlichen Grüßen\nAlparslan Güçlü", "Alparslan Güçlü"),
    ("山本翔太様\n\nいつもご利用いただきありがとうございます。", "山本翔太"),
    ("您好 姜凯，\n您的订单已发货", "姜凯"),
    ("مرحبا عاقل يشكر،\nشكرا لتواصلك معنا.", "عاقل يشكر"),
    # names of every Faker locale, in their own scripts
    ("Jana Hamanová called twice about the invoice", "Jana Hamanová"),
    ("Guðrún Jónsdóttir is on leave until Monday", "Guðrún Jónsdóttir"),
    ("Aslan Umarov replied to the survey", "Aslan Umarov"),
    ("Наталья Смирнова оплатила заказ", "Наталья Смирнова"),
    ("Σάββας Παπαδόπουλος called", "Σάββας Παπαδόπουλος"),
    ("さゆり was frustrated about the outage", "さゆり"),
    ("Customer 山口 さゆり asked for a refund", "山口 さゆり"),
    ("山口さゆりさんから連絡がありました", "山口さゆり"),
    ("お問い合わせありがとうございます。担当の鈴木がご連絡します。", "鈴木"),
    ("김민준님 안녕하세요", "김민준"),
    ("王伟 called about the order", "王伟"),
    # speakers and the roles a name takes
    ("Oliver: Did you call me?\nEmma: Not yet.", "Emma"),
    ("Grace: Are you there?\nGrace: Hello?", "Grace"),
    ("Victoria was frustrated about the outage.", "Victoria"),
    ("Please ask Victoria about the refund.", "Victoria"),
    ("Christian said he would call back.", "Christian"),
    ("Her maiden name is Okonkwo.", "Okonkwo"),
    ("We named him Tsubasa.", "Tsubasa"),
    ("mikko is a very helpful person", "mikko"),
    ("Remember me, Sarah?", "Sarah"),
    ("Sofia, can you check my order?", "Sofia"),
    ("Unfortunately, as regular commenter Ysolde Varga points out, it fails", "Ysolde Varga"),
    ("'Not again,' said Tomomi to Jacob", "Tomomi"),
    ("The song was sung by Tomomi Nishiyama in 2004", "Tomomi Nishiyama"),
    ("Acme was started by our founders: Czerwinski, Møller and Abrahamsson.", "Abrahamsson"),
    ("Wisław, can I please speak to your manager?", "Wisław"),
    ("Sandina: What a day.\nImmanuel: Indeed.\nTeruyoshi: Yes.", "Teruyoshi"),
    ("marcella: what a day.\nmiroslav: indeed.", "miroslav"),
    ("Fiammetta is from the Lisbon office.", "Fiammetta"),
    ("In case of my account, we need to add 石井 聡太郎 as guardian", "石井 聡太郎"),
    ("This song is about Nadezhda's brother", "Nadezhda"),
    ("Yorick Vandersloot\n12 Mill Road", "Yorick Vandersloot"),
    # literal escapes are separators
    ("Name: Eduard Kvarda\\nPhone: 961 52 200", "Eduard Kvarda"),
]

NEGATIVE = [
    "May I ask when the refund will be processed?",
    "Mark my words, this bug will come back after the next release.",
    "Will the update be available in June or July?",
    "We will grant you a 10% discount on the next invoice.",
    "Grant access to the shared drive for the new contractor.",
    "Bill pay is failing for some users in the EU region.",
    "Hope this helps!",
    "Max file size is 25 MB.",
    "Thanks, will do.",
    "Hi team, the office is closed on Friday.",
    "Dear Sir or Madam, please find the attached statement.",
    "Hello World example fails to compile.",
    "Best regards, Customer Success",
    "Jordan almonds are back in stock.",
    "Ruby SDK 3.1 fixes the timeout bug.",
    "Our Mercedes fleet is due for service.",
    "Faith-based charities get a nonprofit discount.",
    "Set the Max-Age attribute on the cookie.",
    "Floor 3 is under renovation.",
    "Job failed with exit code 137.",
    "We sold a lot of licences in April.",
    "Mar 3, 2024 was the last backup.",
    "Jan 15 is the deadline for the report.",
    "Options:\n- Normal\n- Subnormal\n- Infinity",
    "string, using the same rules as the MS C runtime",
    "The roman font is the default.",
    "Supported: French, German and Dutch.",
    "please email maria.gonzalez@acme-corp.com today",
    "ping @here and @channel, see @property in the code",
    "the file name is given by the caller",
    "if the name is specified it is used",
    "this is ridiculous, it is fine, i am done",
    '"name": "Kettle Smart Mini"',
    "Name: Refund policy",
    "caller: yeah hi, agent: sure",
    "NOTE\nplease read the release notes",
    "Sunny days ahead for the sales team.",
    "Rich text formatting is broken in the editor.",
    "Frank feedback from users helped us prioritize.",
    "Chase the vendor for the missing parts.",
    "Paris office hours have changed.",
    "The Claude integration summarizes tickets.",
    "The Princess Royal arrived at the hotel.",
    "Date: 2024-01-01\nName: Refund policy\nStatus: open",
    "Summer was great this year.",
    "Victoria was founded in 1843.",
    "I moved to 山梨県三鷹市浅草29丁目22番19号",
    "東京都千代田区で会議があります",
    "고객님이 전화했습니다",
    "Answer: yes\nQuestion: why not",
    "Will: call the vendor tomorrow",
    "Paris, France is lovely in spring.",
    "Guilty Pleasures is a great album.",
    "Tube Snake Boogie was released in 1981.",
    "The invoice for Pollard PLC and Heintze KG is attached.",
    "Our suppliers: Petrucci, Anguillara e Travia s.r.l. and Knoers & Huijs B.V.",
]


@pytest.mark.parametrize(("text", "name"), POSITIVE)
def test_names_are_found_with_their_exact_span(engine, text, name):
    assert name in mine(text)
    assert covered(engine, text, name)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_words_are_not_names(text):
    assert mine(text) == []


def test_a_name_does_not_run_into_ordinary_capitalised_words():
    assert mine("Olivia Support Team") == ["Olivia"]
    assert mine("Thanks Sarah Please call me") == ["Sarah"]


def test_first_names_that_are_english_words_are_ambiguous():
    lists = name_lists()
    words = {"bill", "grant", "mark", "max", "june", "job", "lot", "floor", "hope", "joy"}
    assert words & lists.first  # they are in Faker's lists…
    assert words & lists.first <= lists.ambiguous  # …and held back as ordinary words


def test_name_lists_are_built_once():
    assert name_lists() is name_lists()
    assert len(name_lists().first) > 25_000 and len(name_lists().last) > 25_000


def test_ordinary_words_come_from_frequencies_and_names_used_as_names_are_not_words():
    lists = name_lists()
    assert {"answer", "tube", "guilty", "refund", "will", "hope"} <= lists.common
    assert not {"john", "sarah", "william", "lukas", "smith", "fred"} & lists.common
    assert {"christian", "grace", "server", "media"} <= lists.ambiguous
    assert {"さゆり", "翔太"} <= lists.unspaced_first and "山口" in lists.unspaced_last


def test_only_asked_for_person():
    assert RECOGNIZER.analyze("Customer Priya Raman", ["EMAIL_ADDRESS"]) == []
    results = RECOGNIZER.analyze("Customer Priya Raman", ["PERSON"])
    assert [(r.entity_type, r.start, r.end) for r in results] == [("PERSON", 9, 20)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("You can tell عادل was a huge fan.", "عادل"),  # a known name, alone
        ("She named him هشام", "هشام"),
        ("I'm so jealous! said 思璎 to 辰煜", "思璎"),  # two characters make a name
        ("小雪 is a very sympathetic person.", "小雪"),
        ("Remember me, 春阳? When I killed your brother", "春阳"),
        ("Follow up with مرام ال المحيربي in a couple of months.", "مرام ال المحيربي"),
        ("Hello, this is الدكتور وسيم ال المحيربي. Who are you?", "وسيم ال المحيربي"),
        ("please correct it to آقای به\u200cآیین حکمی?", "به\u200cآیین حکمی"),  # ZWNJ inside
        # the scripts of South and South-East Asia, Ethiopic and Georgian have no capitals
        ("Why is আশুতোষ so impulsive?", "আশুতোষ"),  # Bengali, vowel signs are marks
        ("இதயா spent a year at Signavio", "இதயா"),  # Tamil
        ("અક્ષય is a very sympathetic person.", "અક્ષય"),  # Gujarati
        ("ଭାନୁମତୀ, can I please speak to your boss?", "ଭାନୁମତୀ"),  # Oriya
        ("She named him රධිකා", "රධිකා"),  # Sinhala
        ("I'm so jealous! said გიორგი to ანი", "გიორგი"),  # Georgian
    ],
)
def test_caseless_script_names_in_cased_text_take_a_names_roles(text, name):
    assert name in mine(text)


def test_caseless_speakers_of_a_dialogue_in_cased_text_are_names():
    text = "妍凝: What a wife.\n婧彤: Remember me, please? When I killed your brother"
    assert {"妍凝", "婧彤"} <= set(mine(text))


@pytest.mark.parametrize(
    "text",
    [
        "I flew from 東京 to 大阪 with my wife.",  # places after 'from', 'to'
        "The restaurant 東京 is great.",
        "سلام، لطفا سفارش من را بررسی کنید. ممنون از شما",  # text mostly in the script
    ],
)
def test_caseless_words_without_a_names_role_stay(text):
    assert mine(text) == []


def test_a_name_does_not_run_from_one_script_into_a_caseless_one():
    text = "не могу войти в аккаунт. Lacey Cassandra Pierce مرحبا، Brandy Pennington."
    assert "Lacey Cassandra Pierce" in mine(text)
