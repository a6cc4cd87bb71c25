"""Recognizers that lift Presidio's recall where its defaults are weak, and post-filters for
its known false positives (``filters``). ``extra_recognizers`` gives one instance of each."""

from __future__ import annotations

from sanitizer.mask.text.recognizers.credit_card_messy import MessyCreditCardRecognizer
from sanitizer.mask.text.recognizers.email_unusual import UnusualEmailRecognizer
from sanitizer.mask.text.recognizers.handles import HandleRecognizer
from sanitizer.mask.text.recognizers.iban_anywhere import IbanAnywhereRecognizer
from sanitizer.mask.text.recognizers.id_cued import CuedIdRecognizer
from sanitizer.mask.text.recognizers.lone_codes import LoneCodeRecognizer
from sanitizer.mask.text.recognizers.national_ids import NationalIdRecognizer
from sanitizer.mask.text.recognizers.person_names import PersonNameRecognizer
from sanitizer.mask.text.recognizers.phone_cued import CuedPhoneRecognizer
from sanitizer.mask.text.recognizers.phone_messy import MessyPhoneRecognizer
from sanitizer.mask.text.recognizers.phone_national import NationalPhoneRecognizer
from sanitizer.mask.text.recognizers.place_names import PlaceNameRecognizer
from sanitizer.mask.text.recognizers.quasi_cued import QuasiCuedRecognizer
from sanitizer.mask.text.recognizers.secrets import SecretRecognizer
from sanitizer.mask.text.recognizers.street_address import StreetAddressRecognizer

__all__ = [
    "CuedIdRecognizer",
    "CuedPhoneRecognizer",
    "HandleRecognizer",
    "IbanAnywhereRecognizer",
    "LoneCodeRecognizer",
    "MessyCreditCardRecognizer",
    "MessyPhoneRecognizer",
    "NationalIdRecognizer",
    "NationalPhoneRecognizer",
    "PersonNameRecognizer",
    "PlaceNameRecognizer",
    "QuasiCuedRecognizer",
    "SecretRecognizer",
    "StreetAddressRecognizer",
    "UnusualEmailRecognizer",
    "extra_recognizers",
]


def extra_recognizers(language: str = "en") -> list:
    """One instance of every extra recognizer, for ``language``."""
    return [
        StreetAddressRecognizer(supported_language=language),
        PersonNameRecognizer(supported_language=language),
        MessyPhoneRecognizer(supported_language=language),
        CuedPhoneRecognizer(supported_language=language),
        NationalPhoneRecognizer(supported_language=language),
        MessyCreditCardRecognizer(supported_language=language),
        UnusualEmailRecognizer(supported_language=language),
        IbanAnywhereRecognizer(supported_language=language),
        PlaceNameRecognizer(supported_language=language),
        CuedIdRecognizer(supported_language=language),
        NationalIdRecognizer(supported_language=language),
        HandleRecognizer(supported_language=language),
        LoneCodeRecognizer(supported_language=language),
        QuasiCuedRecognizer(supported_language=language),
        SecretRecognizer(supported_language=language),
    ]
