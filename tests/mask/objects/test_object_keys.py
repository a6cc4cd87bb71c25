"""Object keys: PII segments masked consistently, formats and plain segments kept."""

from __future__ import annotations

from helpers.object_handlers import context

from sanitizer.config.yamlfile import Location
from sanitizer.mask.objects.keys import mask_keys, split_name
from sanitizer.mask.operators.detect import Detect

DETECT = Detect(None, Location("t", 1))


def test_split_name_keeps_extensions_but_not_email_domains() -> None:
    assert split_name("avatar.png") == ("avatar", ".png")
    assert split_name("jane@corp.com") == ("jane@corp.com", "")
    assert split_name("jane@corp.com.json") == ("jane@corp.com", ".json")
    assert split_name(".env") == (".env", "")


def test_email_segments_masked_consistently() -> None:
    keys = [
        "users/jane.doe@corp.com/avatar.png",
        "users/jane.doe@corp.com/profile.json",
        "exports/jane.doe@corp.com.csv",
        "tickets/2024/05/ticket-4711.json",
    ]
    out = mask_keys(keys, DETECT, context())
    assert out["tickets/2024/05/ticket-4711.json"] == "tickets/2024/05/ticket-4711.json"
    avatar, profile, export = (out[k] for k in keys[:3])
    fake = avatar.split("/")[1]
    assert "jane.doe" not in fake and "@" in fake
    assert profile == f"users/{fake}/profile.json" and avatar.endswith("/avatar.png")
    assert export == f"exports/{fake}.csv"


def test_names_phones_and_hosts_in_segments() -> None:
    keys = [
        "users/Jane Doe/cv.pdf",
        "customers/jane_doe/a.json",
        "x/jane-doe-2024.txt",
        "calls/+1-415-555-0100.wav",
        "sites/www.acme-widgets.com/index.html",
    ]
    out = mask_keys(keys, DETECT, context())
    person, snake, kebab, call, site = (out[k] for k in keys)
    assert person.startswith("users/") and person.endswith("/cv.pdf")  # "cv": too short
    assert "Jane" not in person and " " in person.split("/")[1]
    assert snake.startswith("customers/") and "jane" not in snake and "_" in snake.split("/")[1]
    assert kebab.endswith("-2024.txt") and "jane" not in kebab
    assert call.startswith("calls/+1-") and "415-555-0100" not in call and call.endswith(".wav")
    assert site == "sites/www.acme-widgets.com/index.html"  # host names are not personal


def test_ordinary_keys_stay_as_they_are() -> None:
    keys = [
        "events/2024-05-01.ndjson",
        "t/ticket-4711.json",
        "customers/report_final_v2.pdf",
        "u/a1b2c3d4-e5f6-7890-abcd-ef1234567890.json",
        "data/part-00000-c000.snappy.parquet",
        "img/IMG_20240501_123456.jpg",
        "v/v1.2.3/readme.md",
    ]
    assert mask_keys(keys, DETECT, context()) == {k: k for k in keys}
