from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Forums, their meetings, attendance, agendas, minutes, actions and calendars."""

    name = "meetings"
    verbose_name = "Forums and meetings"

    def ready(self):
        from meetings.agency_section import register_section

        register_section()

        from meetings.subject_access import register_section as register_subject_access

        register_subject_access()
