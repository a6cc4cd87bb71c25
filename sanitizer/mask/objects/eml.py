"""``.eml`` messages: headers, text parts and nested messages masked; the MIME layout kept.

The raw message is walked rather than re-generated, so header order, folding, boundaries and
line endings stay as they were. Address headers (From, To, Cc…) get ``fake: name`` for display
names and ``fake: email`` for addresses — the same pseudonyms as columns; other headers and
every text part go through the rule's ``detect`` (base64 and quoted-printable parts are
decoded, masked and re-encoded). A non-text attachment (an image, a PDF) cannot be checked,
so its content is emptied (fail closed) and counted in the receipt.
"""

from __future__ import annotations

import base64
import binascii
import email.header
import email.utils
import quopri
import re
from email.parser import HeaderParser
from typing import BinaryIO

from sanitizer.config.object_rules import ObjectRule
from sanitizer.config.yamlfile import Location
from sanitizer.mask.objects import MalformedObject, ObjectContext
from sanitizer.mask.operators.fake import Fake

ADDRESS_HEADERS = frozenset(
    "from to cc bcc reply-to sender delivered-to return-path x-original-to resent-from "
    "resent-to".split()
)
STRUCTURAL_HEADERS = frozenset(
    "content-type content-transfer-encoding mime-version date content-id".split()
)
_HERE = Location("eml", 0)
_BLANK = re.compile(r"\r?\n\r?\n")


def mask_eml(rule: ObjectRule, source: BinaryIO, sink: BinaryIO, ctx: ObjectContext) -> None:
    text = source.read().decode("utf-8", errors="surrogateescape")
    sink.write(_Walker(rule, ctx).message(text).encode("utf-8", errors="surrogateescape"))


class _Walker:
    def __init__(self, rule: ObjectRule, ctx: ObjectContext) -> None:
        assert rule.operator is not None
        self.detect, self.label, self.ctx = rule.operator, "text", ctx
        self.names, self.emails = Fake("name", _HERE), Fake("email", _HERE)

    def message(self, text: str) -> str:
        """A message or MIME part: its header block, a blank line, its body."""
        match = _BLANK.search(text)
        if match is None:
            if ":" not in text.split("\n", 1)[0]:
                raise MalformedObject("is not an email message (no header lines)")
            return self.headers(text)
        head, blank, body = text[: match.start()], match.group(0), text[match.end() :]
        parsed = HeaderParser().parsestr(head + "\n\n")
        return self.headers(head) + blank + self.body(parsed, body)

    def headers(self, head: str) -> str:
        fields = re.split(r"\r?\n(?![ \t])", head)
        separators = re.findall(r"\r?\n(?![ \t])", head)
        out = []
        for field in fields:
            name, colon, value = field.partition(":")
            key = name.strip().lower()
            if not colon or key in STRUCTURAL_HEADERS or not value.strip():
                out.append(field)
            elif key in ADDRESS_HEADERS:
                out.append(name + colon + self.addresses(value))
            elif "=?" in value:  # RFC 2047 encoded words: mask the decoded text
                out.append(name + colon + self.encoded(value))
            else:
                out.append(name + colon + self.text([value])[0])
        return "".join(f + s for f, s in zip(out, [*separators, ""], strict=True))

    def addresses(self, value: str) -> str:
        unfolded = re.sub(r"\r?\n[ \t]", " ", value)
        pairs = email.utils.getaddresses([unfolded])
        names = [n for n, _ in pairs if n]
        addrs = [a for _, a in pairs if a and "@" in a]
        fake_names = self.ctx.apply(self.names, names, "header names")
        fake_addrs = self.ctx.apply(self.emails, addrs, "header addresses")
        for original, fake in zip(addrs, fake_addrs, strict=True):
            value = value.replace(original, fake)
        for original, fake in zip(names, fake_names, strict=True):
            value = value.replace(original, fake) if original in value else value
        leftovers = re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", value)  # encoded display names
        if leftovers:
            decoded = [
                str(email.header.make_header(email.header.decode_header(w))) for w in leftovers
            ]
            fakes = self.ctx.apply(self.names, decoded, "header names")
            for word, fake in zip(leftovers, fakes, strict=True):
                value = value.replace(word, fake)
        return value

    def encoded(self, value: str) -> str:
        unfolded = re.sub(r"\r?\n[ \t]", " ", value).strip()
        decoded = _decoded(unfolded)
        masked = self.text([decoded])[0]
        if masked == decoded:
            return value
        lead = value[: len(value) - len(value.lstrip())]
        return lead + (
            masked if masked.isascii() else email.header.Header(masked, "utf-8").encode()
        )

    def text(self, values: list[str]) -> list[str]:
        return self.ctx.apply(self.detect, values, self.label)

    def body(self, part, body: str) -> str:
        ctype = part.get_content_type()
        if ctype.startswith("multipart/"):
            return self.multipart(body, part.get_param("boundary"))
        if ctype == "message/rfc822":
            return self.message(body)
        encoding = str(part.get("content-transfer-encoding", "7bit")).strip().lower()
        if not ctype.startswith("text/"):
            if body.strip():
                self.ctx.stats.setdefault("eml", _counter()).details["attachments_emptied"] += 1
            return ""
        charset = part.get_content_charset() or "utf-8"
        ending = "\r\n" if "\r\n" in body else "\n"
        if encoding == "base64":
            try:
                raw = base64.b64decode(re.sub(r"\s", "", body), validate=True)
            except (binascii.Error, ValueError):
                raise MalformedObject("has a base64 part that does not decode") from None
            masked = self.text([raw.decode(charset, errors="replace")])[0]
            encoded = base64.encodebytes(masked.encode(charset, errors="replace")).decode()
            return encoded.replace("\n", ending)
        if encoding == "quoted-printable":
            raw = quopri.decodestring(body.encode("utf-8", errors="surrogateescape"))
            masked = self.text([raw.decode(charset, errors="replace")])[0]
            encoded = quopri.encodestring(masked.encode(charset, errors="replace")).decode()
            return encoded.replace("\r\n", "\n").replace("\n", ending)
        return self.text([body])[0]

    def multipart(self, body: str, boundary: str | None) -> str:
        if not boundary:
            raise MalformedObject("is a multipart message without a boundary")
        marker = re.compile(rf"^--{re.escape(boundary)}(--)?[ \t]*\r?$", re.MULTILINE)
        pieces, last = [], 0
        for match in marker.finditer(body):
            pieces.append((body[last : match.start()], match.group(0)))
            last = match.end()
        if not pieces:
            raise MalformedObject("is a multipart message whose boundary never appears")
        out = [self.text([pieces[0][0]])[0] if pieces[0][0].strip() else pieces[0][0]]
        out.append(pieces[0][1])
        for chunk, line in pieces[1:]:
            lead = chunk[: len(chunk) - len(chunk.lstrip("\r\n"))]
            rest = chunk[len(lead) :]
            trail_len = len(rest) - len(rest.rstrip("\r\n"))
            inner, trail = rest[: len(rest) - trail_len], rest[len(rest) - trail_len :]
            out.append(lead + (self.message(inner) if inner else "") + trail + line)
        tail = body[last:]
        out.append(self.text([tail])[0] if tail.strip() else tail)
        return "".join(out)


def _decoded(word: str) -> str:
    return str(email.header.make_header(email.header.decode_header(word)))


def _counter():
    from sanitizer.mask.engine import ColumnStats

    return ColumnStats("eml", "rule")
