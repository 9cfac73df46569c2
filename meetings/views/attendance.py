"""Invitations and attendance: inviting, filling a seat, answering, sending a deputy, taking
someone off a meeting, and recording who came."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.services import client_ip
from meetings import forms, permissions, services
from meetings.models import Attendance
from meetings.refusals import Refused
from meetings.views.pages import form_page, manager_only, submitted


def attendance_invite(request, pk):
    manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    form = forms.InviteForm(request.POST or None, forum=meeting.forum)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.invite(
            meeting=meeting,
            agency=data["agency"],
            person=data["person"],
            contact=data["contact"],
            optional=data["is_optional"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Invitation added",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(request, form, back_url=meeting_url)


def attendance_fill_seat(request, pk):
    manager_only(request.user)
    seat = get_object_or_404(
        Attendance.objects.select_related("agency"), pk=pk, person=None, contact=None
    )
    meeting = permissions.meeting_for(request.user, seat.meeting_id)
    form = forms.FillSeatForm(request.POST or None, agency=seat.agency)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.invite(
            meeting=meeting,
            agency=seat.agency,
            person=data["person"],
            contact=data["contact"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Seat filled",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={"intro": f"{seat.agency}'s seat at {meeting}"},
    )


def attendance_respond(request, pk):
    meeting = permissions.meeting_for(request.user, pk)
    attendance = meeting.attendances.filter(person=request.user).first()
    if attendance is None:
        raise Http404("Not invited")
    attendance.meeting = meeting
    form = forms.RespondForm(request.POST or None, initial={"response": attendance.response})
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.respond(
            attendance=attendance,
            response=data["response"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="Your response is recorded",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(request, form, back_url=meeting_url, context={"intro": str(meeting)})


def attendance_record(request, pk):
    manager_only(request.user)
    meeting = permissions.meeting_for(request.user, pk)
    attendances = list(
        meeting.attendances.select_related("agency", "person", "contact").order_by(
            "agency__name", "person__full_name"
        )
    )
    entry_forms = [
        forms.AttendanceEntryForm(request.POST or None, attendance=attendance)
        for attendance in attendances
    ]
    problem = None
    if request.method == "POST" and all(form.is_valid() for form in entry_forms):
        try:
            services.record_attendance(
                meeting=meeting,
                entries=[
                    (
                        form.attendance,
                        form.cleaned_data["outcome"],
                        form.cleaned_data["deputy_name"],
                        form.cleaned_data["sent_information_in_advance"],
                    )
                    for form in entry_forms
                ],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except (Refused, ValidationError) as refusal:
            problem = refusal.messages[0] if isinstance(refusal, ValidationError) else refusal
        else:
            messages.success(request, "Attendance recorded")
            return redirect("meetings:meeting-detail", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance_record.html",
        {
            "meeting": meeting,
            "entry_forms": entry_forms,
            "problem": problem,
            "has_errors": any(form.is_bound and form.errors for form in entry_forms),
        },
    )


def _attendance_for(user, pk, *, contacts_too=False) -> Attendance:
    named = (
        Q(person__isnull=False) | Q(contact__isnull=False)
        if contacts_too
        else Q(person__isnull=False)
    )
    attendance = get_object_or_404(
        Attendance.objects.select_related("agency", "person", "contact", "deputy_person").filter(
            named
        ),
        pk=pk,
    )
    attendance.meeting = permissions.meeting_for(user, attendance.meeting_id)
    return attendance


def attendance_remove(request, pk):
    manager_only(request.user)
    attendance = _attendance_for(request.user, pk, contacts_too=True)
    meeting = attendance.meeting
    form = forms.RemoveInvitationForm(request.POST if request.method == "POST" else None)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.remove_invitation(
            attendance=attendance, actor=request.user, ip_address=client_ip(request)
        ),
        success=f"{attendance.invitee_name} is no longer invited and is told so",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={
            "intro": f"{attendance.invitee_name} will be sent a cancellation for {meeting}. "
            f"{attendance.agency} keeps its seat unless someone else from it is invited."
        },
    )


def attendance_deputy(request, pk):
    attendance = _attendance_for(request.user, pk)
    if not permissions.may_answer_for(request.user, attendance):
        raise Http404("Not found")
    meeting = attendance.meeting
    form = forms.DeputyForm(request.POST or None, attendance=attendance)
    meeting_url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    if done := submitted(
        request,
        form,
        lambda data: services.send_deputy(
            attendance=attendance,
            deputy_person=data["deputy_person"],
            deputy_name=data["deputy_name"],
            deputy_email=data["deputy_email"],
            actor=request.user,
            ip_address=client_ip(request),
        ),
        success="The deputy is sent the invitation",
        redirect_to=meeting_url,
    ):
        return done
    return form_page(
        request,
        form,
        back_url=meeting_url,
        context={
            "intro": f"Someone to attend {meeting} in place of {attendance.person.full_name}. "
            "They are sent the calendar invitation, marked as a deputy."
        },
    )
