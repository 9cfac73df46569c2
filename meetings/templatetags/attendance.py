"""A meeting's invitations and attendance, one row each:
`{% load attendance %}{% attendance_rows page may_change may_invite_again %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.rows import label_of_each, link_for_each, row_template, table_rows
from meetings.models import Attendance

register = template.Library()

_CONTACT = mark_safe(
    '<br><span class="govuk-body-s">Directory contact: answers through their own link</span>'
)


@register.simple_tag
def attendance_rows(page, may_change, may_invite_again):
    """Who is invited for each agency, how they answered, who attended, whether they affirmed
    the confidentiality statement (at a meeting that discusses cases) and, for its managers,
    the links to change each invitation. Written here rather than in the template
    (docs/decisions/0023): a forum of forty seats was a twentieth of the meeting's page."""
    confidential = page.is_confidential
    cells = ["{}", "{}", "{}", "{}"] + ["{}"] * confidential + ["{}"] * bool(may_invite_again)
    response = label_of_each(Attendance, "response")
    outcome = label_of_each(Attendance, "outcome")
    fill_seat = link_for_each("meetings:attendance-fill-seat")
    deputy = link_for_each("meetings:attendance-deputy")
    withdraw = link_for_each("meetings:attendance-remove")

    def invitee(attendance):
        if attendance.person:
            return attendance.person.full_name
        if attendance.contact:
            return format_html("{}{}", attendance.contact.full_name, _CONTACT)
        if not may_change:
            return "Seat to be filled"
        return format_html(
            'Seat to be filled <a class="govuk-link" href="{}">Name someone'
            '<span class="govuk-visually-hidden"> for {}</span></a>',
            fill_seat(attendance.pk),
            attendance.agency.name,
        )

    def answer(attendance):
        if attendance.is_seat:
            return ""
        text = response(attendance.response) + (" (optional)" if attendance.is_optional else "")
        if attendance.deputy_name and not attendance.outcome:
            return format_html(
                "{}<br>{} attending as deputy for {}",
                text,
                attendance.deputy_name,
                attendance.invitee_name,
            )
        return text

    def attended(attendance):
        if not attendance.outcome:
            return "Not recorded"
        text = outcome(attendance.outcome)
        if attendance.deputy_name:
            text += f": {attendance.deputy_name} attended " + (
                f"for {attendance.agency.name}"
                if attendance.is_seat
                else f"as deputy for {attendance.invitee_name}"
            )
        if attendance.sent_information_in_advance:
            text += " (sent information in advance)"
        return text

    def affirmation(attendance):
        if not attendance.person_id:
            return ""
        return "Affirmed" if attendance.person_id in page.affirmed_people else "Not yet affirmed"

    def withdrawal(attendance, name):
        return format_html(
            '<a class="govuk-link" href="{}">Withdraw<span class="govuk-visually-hidden"> the '
            "invitation of {}</span></a>",
            withdraw(attendance.pk),
            name,
        )

    def changes(attendance):
        if attendance.person:
            return format_html(
                '<a class="govuk-link" href="{}">Send a deputy<span class="govuk-visually-hidden">'
                " for {}</span></a><br>{}",
                deputy(attendance.pk),
                attendance.person.full_name,
                withdrawal(attendance, attendance.person.full_name),
            )
        if attendance.contact:
            return withdrawal(attendance, attendance.contact.full_name)
        return ""

    return table_rows(
        row_template(*cells),
        page.attendances,
        lambda attendance: (
            attendance.agency.name,
            invitee(attendance),
            answer(attendance),
            attended(attendance),
            *([affirmation(attendance)] if confidential else []),
            *([changes(attendance)] if may_invite_again else []),
        ),
    )
