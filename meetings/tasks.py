"""Background work for meetings, run by django-tasks after the change has been committed."""

from django_tasks import task

from meetings import invitations


@task()
def deliver_calendar_message(message_id: int) -> str:
    return invitations.deliver(message_id)
