"""The metadata key by which a recognizer names the fake kind its finding takes.

A street line becomes a ``street``, a postcode keeps its ``postcode`` shape: the recognizer
knows which, and ``detector`` reads the key when it turns results into findings.
"""

FAKE_KIND = "sanitizer_fake_kind"  # a result's metadata key: the fake kind it takes
