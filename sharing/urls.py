from django.urls import path

from sharing.views import answers, cases, consent, disclosures, links, queues

app_name = "sharing"

urlpatterns = [
    path("cases/", cases.case_list, name="case-list"),
    path("cases/mine/", cases.case_mine, name="case-mine"),
    path("cases/new/", cases.case_create, name="case-create"),
    path(
        "cases/without-an-officer/",
        queues.cases_without_an_officer,
        name="case-without-officer-list",
    ),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", cases.case_update, name="case-update"),
    path("cases/<int:pk>/sight/", cases.case_sight, name="case-sight"),
    path("cases/<int:pk>/close/", cases.case_close, name="case-close"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case-reopen"),
    path("cases/<int:pk>/notes/new/", cases.case_note_create, name="case-note-create"),
    path(
        "cases/<int:pk>/indicators/new/",
        cases.case_indicator_create,
        name="case-indicator-create",
    ),
    path(
        "cases/<int:pk>/indicators/<int:indicator_pk>/end/",
        cases.case_indicator_end,
        name="case-indicator-end",
    ),
    path("cases/<int:pk>/escalate/", cases.escalation_create, name="escalation-create"),
    path("escalations/", cases.escalation_queue, name="escalation-queue"),
    path("escalations/mine/", queues.escalations_mine, name="escalation-mine"),
    path("escalations/<int:pk>/decide/", cases.escalation_decide, name="escalation-decide"),
    path("cases/<int:pk>/referrals/", cases.case_referrals, name="case-referrals"),
    path("cases/<int:pk>/referrals/new/", cases.referral_create, name="referral-create"),
    path("referrals/overdue/", cases.referral_overdue_list, name="referral-overdue-list"),
    path("referrals/to-chase/", queues.referrals_to_chase, name="referral-to-chase-list"),
    path(
        "referrals/awaiting-response/",
        queues.referrals_awaiting_response,
        name="referral-awaiting-response-list",
    ),
    path("referrals/<int:pk>/send/", cases.referral_send, name="referral-send"),
    path("referrals/<int:pk>/withdraw/", cases.referral_withdraw, name="referral-withdraw"),
    path(
        "cases/<int:pk>/consent/request/",
        consent.consent_request_create,
        name="consent-request-create",
    ),
    path("cases/<int:pk>/consent/record/", consent.consent_record, name="consent-record"),
    path("cases/<int:pk>/share/", disclosures.disclosure_create, name="disclosure-create"),
    path("cases/<int:pk>/recipients/", disclosures.case_recipients, name="case-recipients"),
    path("cases/<int:pk>/corrections/", disclosures.case_corrections, name="case-corrections"),
    path(
        "cases/<int:pk>/decisions-not-to-share/new/",
        disclosures.decision_not_to_share_create,
        name="decision-not-to-share-create",
    ),
    path("consent/requests/", consent.consent_queue, name="consent-queue"),
    path("consent/requests/mine/", consent.consent_request_mine, name="consent-request-mine"),
    path(
        "consent/requests/<int:pk>/",
        consent.consent_request_decide,
        name="consent-request-decide",
    ),
    path(
        "consents/expiring/mine/",
        queues.consents_expiring_mine,
        name="consent-expiring-mine",
    ),
    path("compliance/consents/", queues.compliance_consents, name="compliance-consents"),
    path(
        "compliance/refused-requests/",
        queues.compliance_refused_requests,
        name="compliance-refused-requests",
    ),
    path(
        "compliance/decisions-not-to-share/",
        queues.compliance_decisions_not_to_share,
        name="compliance-decisions-not-to-share",
    ),
    path(
        "compliance/disclosures-without-agreement/",
        queues.compliance_disclosures_without_agreement,
        name="compliance-disclosures-without-agreement",
    ),
    path("consents/<int:pk>/revoke/", consent.consent_revoke, name="consent-revoke"),
    path("consents/<int:pk>/amend/", consent.consent_amend, name="consent-amend"),
    path("consents/<int:pk>/evidence/", consent.consent_evidence, name="consent-evidence"),
    path("disclosures/", disclosures.disclosure_log, name="disclosure-log"),
    path("disclosures/<int:pk>/", disclosures.disclosure_detail, name="disclosure-detail"),
    path(
        "referrals/<int:pk>/status/",
        cases.referral_status_update,
        name="referral-status-update",
    ),
    path("referrals/<int:pk>/answer/", answers.referral_answer, name="referral-answer"),
    path("referrals/<int:pk>/document/", answers.referral_document, name="referral-document"),
    path(
        "referrals/<int:pk>/document/sent/",
        cases.referral_document_sent,
        name="referral-document-sent",
    ),
    path("referrals/<int:pk>/new-link/", cases.referral_reissue_link, name="referral-new-link"),
    path("links/<str:token>/", links.secure_link, name="secure-link"),
    path("links/<str:token>/document/", links.secure_link_document, name="secure-link-document"),
]
