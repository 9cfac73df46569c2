"""Countries (ISO 3166-1) and languages (ISO 639-3), from pycountry: the choices a nationality
or a main language is picked from, and the name a page shows for a stored code."""

from functools import cache

import pycountry

# Languages without a two-letter (ISO 639-1) code of their own that the people the service
# supports often speak: an interpreter booked for "Persian" or "Kurdish" may not be the one needed.
_SPOKEN_WITHOUT_A_TWO_LETTER_CODE = (
    "aii",  # Assyrian Neo-Aramaic
    "bej",  # Beja
    "bfi",  # British Sign Language
    "ckb",  # Central Kurdish (Sorani)
    "kmr",  # Northern Kurdish (Kurmanji)
    "kri",  # Krio
    "pcm",  # Nigerian Pidgin
    "prs",  # Dari
    "rhg",  # Rohingya
    "syl",  # Sylheti
    "tig",  # Tigre
)

# The name many people know a language by, added to ISO's so that typing it finds the language.
_ALSO_KNOWN_AS = {
    "ckb": "Sorani",
    "fas": "Farsi",
    "kmr": "Kurmanji",
    "pan": "Punjabi",
}


def _language_name(language) -> str:
    name = language.name.removesuffix(" (macrolanguage)")
    known_as = _ALSO_KNOWN_AS.get(language.alpha_3)
    return f"{name} ({known_as})" if known_as else name


@cache
def _countries() -> dict[str, str]:
    named = {
        country.alpha_2: getattr(country, "common_name", country.name)
        for country in pycountry.countries
    }
    return dict(sorted(named.items(), key=lambda item: item[1]))


@cache
def _languages() -> dict[str, str]:
    # Living languages with a two-letter code are the ones in wide use; ISO 639-3 lists nearly
    # eight thousand, too many for a page to carry.
    offered = [
        language
        for language in pycountry.languages
        if language.type == "L"
        and (hasattr(language, "alpha_2") or language.alpha_3 in _SPOKEN_WITHOUT_A_TWO_LETTER_CODE)
    ]
    named = {language.alpha_3: _language_name(language) for language in offered}
    return dict(sorted(named.items(), key=lambda item: item[1]))


def country_choices() -> list[tuple[str, str]]:
    return list(_countries().items())


def language_choices() -> list[tuple[str, str]]:
    return list(_languages().items())


def country_name(code: str) -> str:
    """The country's name, or the value as recorded when it is not a code (a nationality typed
    before nationalities were chosen from the list)."""
    return _countries().get(code, code)


def language_name(code: str) -> str:
    """The language's name, or the value as recorded when it is not a code."""
    return _languages().get(code, code)
