"""Background work for meetings, run by django-tasks after the change has been committed."""

# Queued tasks are stored by this dotted path: it stays importable so they still run.
from meetings.calendars.delivery import deliver_calendar_message

__all__ = ["deliver_calendar_message"]
