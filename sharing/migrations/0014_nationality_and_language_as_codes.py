"""Nationality and main language become codes chosen from ISO lists (ISO 3166-1 alpha-2, ISO
639-3). Words typed before are turned into the code they name; words that name nothing on the
lists are kept as typed, and pages show them as they are."""

from django.db import migrations

from core import iso_codes

# Nationalities are typed as adjectives; the lists name countries.
NATIONALITIES = {
    "afghan": "AF",
    "albanian": "AL",
    "eritrean": "ER",
    "ethiopian": "ET",
    "iranian": "IR",
    "iraqi": "IQ",
    "kuwaiti": "KW",
    "libyan": "LY",
    "nigerian": "NG",
    "pakistani": "PK",
    "somali": "SO",
    "sudanese": "SD",
    "syrian": "SY",
    "vietnamese": "VN",
    "yemeni": "YE",
}
LANGUAGES = {"farsi": "fas", "kurdish sorani": "ckb", "sorani": "ckb", "kurmanji": "kmr"}


def _codes(choices, known: dict[str, str]) -> dict[str, str]:
    by_name = {name.casefold(): code for code, name in choices}
    by_code = {code.casefold(): code for code, _ in choices}
    return {**by_code, **by_name, **known}


def to_codes(apps, schema_editor):
    Case = apps.get_model("sharing", "Case")
    countries = _codes(iso_codes.country_choices(), NATIONALITIES)
    languages = _codes(iso_codes.language_choices(), LANGUAGES)
    for case in Case.objects.exclude(nationality="", language="").only("nationality", "language"):
        case.nationality = countries.get(case.nationality.strip().casefold(), case.nationality)
        case.language = languages.get(case.language.strip().casefold(), case.language)
        case.save(update_fields=["nationality", "language"])


def to_names(apps, schema_editor):
    Case = apps.get_model("sharing", "Case")
    for case in Case.objects.exclude(nationality="", language="").only("nationality", "language"):
        case.nationality = iso_codes.country_name(case.nationality)
        case.language = iso_codes.language_name(case.language)
        case.save(update_fields=["nationality", "language"])


class Migration(migrations.Migration):
    dependencies = [("sharing", "0013_name_matching_extensions")]

    operations = [migrations.RunPython(to_codes, to_names)]
