from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Cases, referrals, the Authority's consents and the disclosures made under them."""

    name = "sharing"
    verbose_name = "Cases and sharing"

    def ready(self):
        from sharing.agency_section import register_section

        register_section()
