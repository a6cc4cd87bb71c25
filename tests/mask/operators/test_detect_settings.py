"""detect configured from sanitize.yaml: custom YAML recognizers, allow list, entity list,
long texts and adjacent findings (Presidio pitfalls the operator handles)."""

from __future__ import annotations

import pytest

from sanitizer.config.settings import NlpSettings, load_settings
from sanitizer.config.yamlfile import Location
from sanitizer.errors import ConfigError
from sanitizer.mask.operators import parse_rule
from sanitizer.mask.operators.base import MaskContext
from sanitizer.mask.operators.fake import Fake
from sanitizer.mask.pseudonyms import Keyring
from sanitizer.mask.text.detector import CHUNK_CHARS, Finding, chunks, everywhere, merge_adjacent
from sanitizer.schema import ColumnInfo

RECOGNIZERS = """recognizers:
  - name: employee ids
    supported_entity: EMPLOYEE_ID
    patterns:
      - {name: id, regex: 'EMP-\\d{6}', score: 0.9}
    context: [employee]
"""
KEY = Keyring(b"detect-settings-key-0123456789")
COLUMN = ColumnInfo(name="body", kind="string", sql_type="TEXT")


def detect(text: str, nlp: NlpSettings, rule: object = "detect") -> str:
    op = parse_rule(rule, Location("t.yaml", 1))
    return op.mask_values([text], MaskContext(KEY, COLUMN, nlp=nlp))[0]


@pytest.fixture
def recognizer_file(tmp_path):
    path = tmp_path / "employees.yaml"
    path.write_text(RECOGNIZERS)
    return str(path)


def test_custom_recognizer_from_yaml_is_used_by_a_bare_detect(recognizer_file):
    nlp = NlpSettings(recognizers=(recognizer_file,))
    out = detect("Escalated by employee EMP-004217 yesterday.", nlp)
    assert "EMP-004217" not in out
    assert out.startswith("Escalated by employee ") and out.endswith(" yesterday.")


def test_allow_list_keeps_our_own_names():
    text = "Jane Doe from Relaydesk wrote to jane.doe@corp.com"
    masked = detect(text, NlpSettings())
    assert "Jane Doe" not in masked
    kept = detect(text, NlpSettings(allow_list=("Jane Doe",)))
    assert "Jane Doe" in kept and "jane.doe@corp.com" not in kept


def test_entity_list_from_settings_limits_a_bare_detect():
    text = "Mail jane.doe@corp.com or ask Jane Doe."
    out = detect(text, NlpSettings(entities=("EMAIL_ADDRESS",)))
    assert "jane.doe@corp.com" not in out and "Jane Doe" in out


def test_text_longer_than_a_chunk_is_masked_to_the_end():
    filler = "The quick brown fox jumps over the lazy dog. " * (CHUNK_CHARS // 40)
    text = f"{filler}Contact jane.doe@corp.com today."
    out = detect(text, NlpSettings(), {"detect": ["EMAIL_ADDRESS"]})
    assert "jane.doe@corp.com" not in out
    expected = Fake("email", None).mask_values(["jane.doe@corp.com"], MaskContext(KEY, COLUMN))
    assert out == f"{filler}Contact {expected[0]} today."


def test_chunks_cover_the_text_exactly_and_cut_at_whitespace():
    text = "word " * 1000
    pieces = chunks(text, 97)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 97 and piece.endswith(" ") for _, piece in pieces[:-1])
    assert [offset for offset, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]


def test_adjacent_same_entity_findings_merge_into_one():
    text = "Hi Jane  Doe, this is Bob"
    found = [
        Finding(3, 7, "PERSON", 0.8),
        Finding(9, 12, "PERSON", 0.6),
        Finding(22, 25, "PERSON", 0.85),
    ]
    assert merge_adjacent(text, found) == [
        Finding(3, 12, "PERSON", 0.8),
        Finding(22, 25, "PERSON", 0.85),
    ]


def test_findings_separated_by_punctuation_stay_apart():
    text = "Jane, Doe"
    found = [Finding(0, 4, "PERSON", 0.8), Finding(6, 9, "PERSON", 0.8)]
    assert merge_adjacent(text, found) == found


def test_a_broken_recognizer_file_is_a_config_error_with_its_line(tmp_path):
    rules = tmp_path / "rules" / "recognizers"
    rules.mkdir(parents=True)
    (rules / "bad.yaml").write_text(
        "recognizers:\n  - name: x\n    supported_entity: EMPLOYEE_ID\n"
        "    patterns:\n      - {name: id, regex: 'EMP-(\\d{6}', score: 0.9}\n"
    )
    config = tmp_path / "sanitize.yaml"
    config.write_text(
        "rules: rules/\nkey: k0123456789abcdefgh\n"
        "sources:\n  app: {kind: sql, url: 'sqlite:///p.db'}\n"
        "targets:\n  app: {kind: sql, url: 'sqlite:///s.db'}\n"
    )
    with pytest.raises(ConfigError) as error:
        load_settings(config, {})
    assert "bad.yaml:5" in str(error.value) and "not a valid regex" in str(error.value)


def test_a_name_found_once_is_masked_everywhere_in_the_text():
    text = "Dear Mr. Salom,\nthanks for calling. SALOM's order ships today."
    out = detect(text, NlpSettings(), {"detect": ["PERSON"]})
    assert "salom" not in out.casefold()
    assert out.count("\n") == text.count("\n")


def test_a_value_found_again_is_a_whole_word_in_a_script_with_marks():
    # 'রাস' again at the start of 'রাসেল' is no word: a vowel sign (a mark) continues it
    text = "রাস and রাসেল and রাস."
    found = everywhere(text, [Finding(0, 3, "PERSON", 0.85)])
    assert [text[f.start : f.end] for f in found] == ["রাস", "রাস"]


def test_findings_never_swallow_a_line_break():
    text = "Name: Ming Pan\nEmail: ming.pan@corp.com\nThanks"
    out = detect(text, NlpSettings())
    assert out.count("\n") == 2 and "\nEmail: " in out and out.endswith("\nThanks")
    assert "Ming Pan" not in out and "ming.pan@corp.com" not in out


def test_pattern_only_entities_skip_the_neural_network_and_still_find_them(monkeypatch):
    from sanitizer.mask.text import detector
    from sanitizer.mask.text.ner_segments import segmented_ner

    text = "Ping jane.doe@corp.com or +1 415 555 0100 (Jane Doe)."
    pipeline = detector.analyzer_for(NlpSettings()).nlp_engine.nlp["en"]
    ner_ran = []
    original = pipeline.pipe

    def spy(*args, **kwargs):
        ner_ran.append("ner" not in pipeline.disabled)
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "pipe", spy)
    out = detect(text, NlpSettings(), {"detect": ["EMAIL_ADDRESS", "PHONE_NUMBER"]})
    assert ner_ran == [False]  # the NER did not run
    assert "jane.doe@corp.com" not in out and "415 555 0100" not in out
    assert "Jane Doe" in out  # PERSON was not asked for
    segmented_ner(pipeline).known.clear()  # no sentence recognized before
    detect(text, NlpSettings(), {"detect": ["PERSON"]})
    assert ner_ran == [False, False, True]  # the text tokenized, then its sentences recognized
    assert "ner" not in pipeline.disabled  # and is enabled again afterwards


def test_non_english_text_around_findings_is_untouched():
    text = "東京の山田です。メール: yamada@corp.jp — Ελληνικά, العربية, Zoë 🙂"
    out = detect(text, NlpSettings(), {"detect": ["EMAIL_ADDRESS"]})
    assert "yamada@corp.jp" not in out
    assert out.startswith("東京の山田です。メール: ") and out.endswith(
        " — Ελληνικά, العربية, Zoë 🙂"
    )
