from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Cases, referrals, the Authority's consents and the disclosures made under them."""

    name = "sharing"
    verbose_name = "Cases and sharing"
