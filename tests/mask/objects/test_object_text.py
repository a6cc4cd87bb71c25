"""Text, Markdown, HTML and .eml objects: detect in place, the rest byte-identical."""

from __future__ import annotations

import base64

from helpers.object_handlers import mask, rule

DETECT = rule("**", "detect")
EMAIL = "jane.doe@corp-mail.com"


def test_markup_crlf_and_bom_kept_around_findings() -> None:
    data = f"\ufeff<p>Contact <b>{EMAIL}</b></p>\r\n<a href='x'>ok</a>\r\n".encode()
    out = mask(DETECT, "a.html", data).decode("utf-8")
    assert out.startswith("\ufeff<p>Contact <b>") and out.endswith(
        "</b></p>\r\n<a href='x'>ok</a>\r\n"
    )
    assert EMAIL not in out


def test_long_text_is_masked_in_pieces() -> None:
    line = f"ticket note: write to {EMAIL} about the refund\n"
    data = (line * 2000).encode()  # larger than one piece
    out = mask(DETECT, "log.txt", data).decode()
    assert out.count("\n") == 2000 and EMAIL not in out
    assert len(set(out.splitlines())) == 1  # the same pseudonym in every piece


def test_eml_headers_and_base64_body() -> None:
    body = base64.encodebytes(f"Hello, please call {EMAIL} today.".encode()).decode()
    message = (
        f'From: "Jane Doe" <{EMAIL}>\r\nTo: support@acme-widgets.com\r\n'
        "Subject: refund\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{body.replace(chr(10), chr(13) + chr(10))}"
    )
    out = mask(DETECT, "m.eml", message.encode()).decode()
    head, _, encoded = out.partition("\r\n\r\n")
    assert EMAIL not in out and "Jane Doe" not in out and "acme-widgets" not in out
    assert head.endswith("Content-Transfer-Encoding: base64") and head.startswith('From: "')
    decoded = base64.b64decode(encoded).decode()
    assert decoded.startswith("Hello, please call ") and EMAIL not in decoded


def test_eml_multipart_attachment_emptied() -> None:
    message = (
        'From: a@corp.com\nContent-Type: multipart/mixed; boundary="XX"\n\n'
        "--XX\nContent-Type: text/plain\n\nhi from a@corp.com\n"
        "--XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
        "--XX--\n"
    )
    out = mask(DETECT, "m.eml", message.encode()).decode()
    assert "a@corp.com" not in out and "JVBERi0xLjQK" not in out
    assert out.count("--XX") == 3 and "Content-Type: application/pdf" in out


def test_eml_encoded_words_and_quoted_printable_are_masked_decoded() -> None:
    message = (
        "From: Ann Lee <ann.lee@corp.com>\nSubject: =?utf-8?q?Hello_Bob_Keller?=\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        "Hi, call me at ann.lee@corp.com =\nthanks\n"
    )
    out = mask(DETECT, "m.eml", message.encode()).decode()
    subject = next(line for line in out.splitlines() if line.startswith("Subject:"))
    assert subject.startswith("Subject: Hello ")
    assert "Bob" not in subject and "Keller" not in subject
    assert "ann.lee" not in out and "Ann Lee" not in out
    assert "Content-Transfer-Encoding: quoted-printable" in out
