"""Object keys: PII segments masked consistently, formats and plain segments kept."""

from __future__ import annotations

from objects_unit import context

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
