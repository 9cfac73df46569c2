"""What the tests of case items share: the moment they run at, what is said about the case,
and how a person affirms a meeting's confidentiality statement."""

from datetime import datetime

from django.urls import reverse

from meetings.calendars.schedule import LONDON
from sharing.models import DataCategory, LawfulBasis, PersonTold
from sharing.services import DecisionRecord

NOW = datetime(2026, 2, 2, 9, 0, tzinfo=LONDON)
SUMMARY = "High risk after an assault on 28 January; the IDVA is supporting her."
CATEGORIES = [DataCategory.IDENTITY, DataCategory.VULNERABILITIES]
MINUTES = "Agreed a safety plan: the police will flag the address."
GENERAL_MINUTES = "Apologies from children's services; the pathway review is next month."
CASE_ACTION = "Flag the address on the police system"
GENERAL_ACTION = "Circulate the updated referral pathway"


def decision_record(**fields):
    values = {
        "necessity": "She is at high risk of serious harm; agencies need to plan her safety.",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "special_category_condition": "sch1_para18",
        "person_told": PersonTold.TOLD,
    }
    values.update(fields)
    return DecisionRecord(**values)


def affirm(client, meeting):
    response = client.post(reverse("meetings:meeting-affirm", args=[meeting.pk]))
    assert response.status_code == 302
