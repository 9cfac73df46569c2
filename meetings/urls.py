from django.urls import path

from meetings import views
from meetings.views import queues

app_name = "meetings"

urlpatterns = [
    path("forums/", views.forum_list, name="forum-list"),
    path("forums/new/", views.forum_create, name="forum-create"),
    path("forums/<int:pk>/", views.forum_detail, name="forum-detail"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum-edit"),
    path(
        "forums/<int:pk>/actions/overdue/",
        views.forum_overdue_actions,
        name="forum-overdue-actions",
    ),
    path("forums/<int:pk>/meetings/generate/", views.meeting_generate, name="meeting-generate"),
    path("forums/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/mine/", views.my_meetings, name="meeting-mine"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("meetings/<int:pk>/invite/", views.attendance_invite, name="attendance-invite"),
    path("meetings/<int:pk>/respond/", views.attendance_respond, name="attendance-respond"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance-record"),
    path("attendance/<int:pk>/fill/", views.attendance_fill_seat, name="attendance-fill-seat"),
    path("meetings/<int:pk>/agenda/new/", views.agenda_item_create, name="agenda-item-create"),
    path("meetings/<int:pk>/agenda/case/new/", views.case_item_create, name="case-item-create"),
    path("agenda/<int:pk>/share/", views.case_item_share, name="case-item-share"),
    path("agenda/<int:pk>/outcome/", views.case_hearing_record, name="case-hearing-record"),
    path("meetings/<int:pk>/affirm/", views.meeting_affirm, name="meeting-affirm"),
    path("agenda/<int:pk>/edit/", views.agenda_item_edit, name="agenda-item-edit"),
    path("agenda/<int:pk>/move/", views.agenda_item_move, name="agenda-item-move"),
    path("agenda/<int:pk>/papers/new/", views.paper_upload, name="paper-upload"),
    path("papers/<int:pk>/", views.paper_download, name="paper-download"),
    path("papers/<int:pk>/by-link/<str:token>/", views.contact_paper, name="contact-paper"),
    path("invitations/<str:token>/", views.contact_invitation, name="contact-invitation"),
    path("invitations/minutes/<str:token>/", views.contact_minutes, name="contact-minutes"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes-edit"),
    path("meetings/<int:pk>/document/", views.meeting_document_download, name="meeting-document"),
    path("meetings/<int:pk>/minutes/correct/", views.minutes_correct, name="minutes-correct"),
    path("meetings/<int:pk>/minutes/comments/new/", views.minutes_comment, name="minutes-comment"),
    path(
        "comments/<int:pk>/resolve/", views.minutes_comment_resolve, name="minutes-comment-resolve"
    ),
    path(
        "meetings/<int:pk>/minutes/<str:step>/",
        views.minutes_transition,
        name="minutes-transition",
    ),
    path("meetings/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path(
        "meetings/<int:pk>/actions/<int:action_pk>/review/",
        views.action_review,
        name="action-review",
    ),
    path("actions/mine/", views.my_actions, name="action-mine"),
    path("actions/overdue/", queues.overdue_actions, name="action-overdue-list"),
    path("actions/our-agency/", queues.agency_actions, name="action-agency-list"),
    path("minutes/waiting/", queues.minutes_awaiting, name="minutes-waiting-list"),
    path(
        "meetings/without-agenda/",
        queues.meetings_without_agenda,
        name="meeting-without-agenda-list",
    ),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("forums/<int:pk>/series/cancel/", views.series_cancel, name="series-cancel"),
    path("forums/<int:pk>/calendar.ics", views.forum_calendar, name="forum-calendar"),
    path("forums/<int:pk>/invitations/", views.calendar_messages, name="calendar-messages"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_calendar, name="meeting-calendar"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance-remove"),
    path("attendance/<int:pk>/deputy/", views.attendance_deputy, name="attendance-deputy"),
    path("calendar/", views.my_calendar, name="calendar-mine"),
    path("calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("calendar/<str:token>/forums/<int:pk>.ics", views.forum_feed, name="forum-feed"),
]
