"""PostgreSQL's trigram similarity and accent removal, with which a new case's name is compared
with the names already held (sharing/selectors/matches.py). Both operations do nothing on
other databases, where the comparison is by name keys alone."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0012_marac_referral_details_and_last_hearing"),
    ]

    operations = [TrigramExtension(), UnaccentExtension()]
