"""Keys for people's names that survive the ways one name gets written down: accents, spelling
and transliteration ("Muhammad Alsayed" and "Mohammed Al-Sayed", "Zoë" and "Zoe", "Aleksandr"
and "Alexander"), so that a case already open for a person is found before a second is opened.

Pure Python, so the same rule runs on every database; PostgreSQL adds trigram similarity on top
(sharing/selectors/matches.py).
"""

import re
import unicodedata

# Arabic articles written apart, hyphenated or joined ("Al-Sayed", "El Sayed", "Alsayed") are
# one name: the article is joined to the word after it.
_ARTICLES = {"al": "al", "el": "al", "ul": "al"}

# Letters and pairs that transliterations of one sound disagree on, folded to one spelling.
# Applied in order: "ph" before "h" is looked at, "x" into "ks" before "c" becomes "k".
_FOLDS = (
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("th", "t"),
    ("kh", "k"),
    ("sh", "s"),
    ("w", "v"),
    ("y", "i"),
)
_VOWELS = frozenset("aeiou")
_NOT_A_LETTER = re.compile(r"[^\w\s-]|[\d_]")
_SEPARATORS = re.compile(r"[\s-]+")


def _plain(text: str) -> str:
    """Case and accents gone: "Zoë" and "ZOE" are "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(text: str) -> list[str]:
    words = [word for word in _SEPARATORS.split(_NOT_A_LETTER.sub("", _plain(text))) if word]
    joined = []
    article = ""
    for word in words:
        if word in _ARTICLES:
            article = _ARTICLES[word]
            continue
        joined.append(article + word)
        article = ""
    if article:
        joined.append(article)
    return joined


def word_key(word: str) -> str:
    """A word's sound, roughly: folded spellings, no doubled letters and no vowels after the
    first letter, whose own vowel becomes "a" ("Mohammed" and "Muhammad" are both "mhmd",
    "Ibrahim" and "Ebrahim" both "abrhm")."""
    for written, folded in _FOLDS:
        word = word.replace(written, folded)
    if not word:
        return ""
    first = "a" if word[0] in _VOWELS else word[0]
    rest = [char for char in word[1:] if char not in _VOWELS]
    key = first
    for char in rest:
        if char != key[-1]:
            key += char
    return key


def name_keys(*parts: str) -> frozenset[str]:
    """The keys of every word of a name, whatever part (given or family) it was written in: an
    article ending the given names ("Muhammad Al" "Sayed") belongs to the family name."""
    return frozenset(key for key in map(word_key, _words(" ".join(parts))) if key)


def similar_names(one: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two names (as `name_keys`) may be one person's: every word of the shorter name is
    in the other, in any order, so a middle name left out or names swapped still match."""
    shorter, longer = sorted((one, other), key=len)
    return bool(shorter) and shorter <= longer
