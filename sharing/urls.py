from django.urls import path

from sharing import consent_views, views

app_name = "sharing"

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/mine/", views.case_mine, name="case-mine"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_update, name="case-update"),
    path("cases/<int:pk>/sight/", views.case_sight, name="case-sight"),
    path("cases/<int:pk>/close/", views.case_close, name="case-close"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case-reopen"),
    path("cases/<int:pk>/notes/new/", views.case_note_create, name="case-note-create"),
    path(
        "cases/<int:pk>/indicators/new/",
        views.case_indicator_create,
        name="case-indicator-create",
    ),
    path(
        "cases/<int:pk>/indicators/<int:indicator_pk>/end/",
        views.case_indicator_end,
        name="case-indicator-end",
    ),
    path("cases/<int:pk>/escalate/", views.escalation_create, name="escalation-create"),
    path("escalations/<int:pk>/decide/", views.escalation_decide, name="escalation-decide"),
    path("cases/<int:pk>/referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/overdue/", views.referral_overdue_list, name="referral-overdue-list"),
    path("referrals/<int:pk>/send/", views.referral_send, name="referral-send"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral-withdraw"),
    path(
        "cases/<int:pk>/consent/request/",
        consent_views.consent_request_create,
        name="consent-request-create",
    ),
    path("cases/<int:pk>/consent/record/", consent_views.consent_record, name="consent-record"),
    path("cases/<int:pk>/share/", consent_views.disclosure_create, name="disclosure-create"),
    path("cases/<int:pk>/recipients/", consent_views.case_recipients, name="case-recipients"),
    path("cases/<int:pk>/corrections/", consent_views.case_corrections, name="case-corrections"),
    path(
        "cases/<int:pk>/decisions-not-to-share/new/",
        consent_views.decision_not_to_share_create,
        name="decision-not-to-share-create",
    ),
    path("consent/requests/", consent_views.consent_queue, name="consent-queue"),
    path(
        "consent/requests/<int:pk>/",
        consent_views.consent_request_decide,
        name="consent-request-decide",
    ),
    path("consents/<int:pk>/revoke/", consent_views.consent_revoke, name="consent-revoke"),
    path("consents/<int:pk>/amend/", consent_views.consent_amend, name="consent-amend"),
    path("consents/<int:pk>/evidence/", consent_views.consent_evidence, name="consent-evidence"),
    path("disclosures/", consent_views.disclosure_log, name="disclosure-log"),
    path("disclosures/<int:pk>/", consent_views.disclosure_detail, name="disclosure-detail"),
    path(
        "referrals/<int:pk>/status/",
        views.referral_status_update,
        name="referral-status-update",
    ),
]
