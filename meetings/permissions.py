"""Who may see and change forums, meetings and actions: the one place that decides.

Partnership managers and administrators manage forums and meetings. Staff whose roles carry the
view permissions see every forum and meeting; everyone else (partner-agency users among them)
sees only the meetings they are invited to, and the forums those belong to or that name them.
A meeting or forum someone may not see is a 404, never a 403 that confirms it exists.

Case items: the safeguarding team's officers and managers list a case they work on (they hold
`meetings.add_case_item`; nobody else may change a case, and listing it is their disclosure).
A case item's details are shown to a person who has affirmed the meeting's confidentiality
statement and either may see the case in sharing or belongs to an agency it was disclosed to
for that item. Team staff affirm too: the screen may be shared in the meeting room. The minutes
of such a meeting carry every case's details, so they are shown only to someone shown every case
item of it; an action on a case item only to someone shown that item, or to the action's owner.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    ConfidentialityAffirmation,
    Forum,
    Meeting,
    MeetingStatus,
)
from sharing.models import Disclosure
from sharing.permissions import can_change_case
from sharing.selectors import cases_visible_to


def may_manage_forums(user) -> bool:
    return user.has_perm("meetings.change_forum")


def may_manage_meetings(user) -> bool:
    return user.has_perm("meetings.change_meeting")


def sees_every_meeting(user) -> bool:
    return user.has_perm("meetings.view_meeting")


def sees_every_forum(user) -> bool:
    return user.has_perm("meetings.view_forum")


def _invited(user):
    return Attendance.objects.filter(meeting=OuterRef("pk"), person=user)


def visible_meetings(user) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    if sees_every_meeting(user):
        return meetings
    return meetings.filter(Exists(_invited(user)))


def visible_forums(user) -> QuerySet[Forum]:
    forums = Forum.objects.all()
    if sees_every_forum(user):
        return forums
    named = Forum.members.through.objects.filter(forum=OuterRef("pk"), user=user)
    invited = Attendance.objects.filter(meeting__forum=OuterRef("pk"), person=user)
    return forums.filter(Q(Exists(named)) | Q(Exists(invited)))


def visible_actions(user) -> QuerySet[Action]:
    actions = Action.objects.all()
    if sees_every_meeting(user):
        return actions
    invited = Attendance.objects.filter(meeting=OuterRef("meeting"), person=user)
    return actions.filter(Q(Exists(invited)) | owned_by(user))


def owned_by(user) -> Q:
    """The person's own actions, and their agency's actions that name nobody yet."""
    if user.agency_id is None:
        return Q(owner=user)
    return Q(owner=user) | Q(owner__isnull=True, owner_agency_id=user.agency_id)


def meeting_for(user, pk) -> Meeting:
    meeting = (
        visible_meetings(user)
        .select_related("forum", "forum__kind", "forum__coordinating_agency", "forum__chair")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def forum_for(user, pk) -> Forum:
    forum = (
        visible_forums(user)
        .select_related(
            "kind", "region", "local_authority", "chair", "chair__agency", "coordinating_agency"
        )
        .filter(pk=pk)
        .first()
    )
    if forum is None:
        raise Http404("No such forum")
    return forum


def action_for(user, pk) -> Action:
    action = (
        visible_actions(user)
        .select_related(
            "meeting", "meeting__forum", "agenda_item", "owner", "owner_agency", "closed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


def owns(user, action: Action) -> bool:
    """The action's owner, or anyone at the owning agency when it names nobody (`owned_by`)."""
    if action.owner_id is not None:
        return action.owner_id == user.pk
    return user.agency_id is not None and action.owner_agency_id == user.agency_id


def may_update_action(user, action: Action) -> bool:
    return may_manage_meetings(user) or owns(user, action)


def may_review_actions(user, meeting: Meeting) -> bool:
    """The meeting's managers record, at the meeting, how each carried-over action stands."""
    return may_manage_meetings(user) and meeting.status != MeetingStatus.CANCELLED


# Case items -----------------------------------------------------------------------------------


def may_list_cases(user) -> bool:
    return user.has_perm("meetings.add_case_item")


def may_add_case_item(user, meeting: Meeting, case) -> bool:
    return meeting.forum.discusses_cases and may_list_cases(user) and can_change_case(user, case)


def has_affirmed(user, meeting: Meeting) -> bool:
    return ConfidentialityAffirmation.objects.filter(meeting=meeting, person=user).exists()


def disclosures_for_items(item_pks) -> QuerySet[Disclosure]:
    """The disclosures made by listing these agenda items (sharing.services.disclose's source)."""
    return Disclosure.objects.filter(
        source_type=AgendaItem._meta.label_lower, source_id__in=[str(pk) for pk in item_pks]
    )


def case_items_shown(user, items, *, affirmed: bool) -> set[int]:
    """The case items among `items` whose details this person may see: two queries at most,
    whatever the number of items."""
    if not affirmed:
        return set()
    return _covered_case_items(user, items)


def _covered_case_items(user, items) -> set[int]:
    case_items = [item for item in items if item.case_id is not None]
    if not case_items:
        return set()
    viewable = set(
        cases_visible_to(user=user)
        .filter(pk__in={item.case_id for item in case_items})
        .values_list("pk", flat=True)
    )
    covered = set()
    if user.agency_id is not None:
        covered = {
            int(source_id)
            for source_id in disclosures_for_items([item.pk for item in case_items])
            .filter(recipient_id=user.agency_id)
            .values_list("source_id", flat=True)
        }
    return {item.pk for item in case_items if item.case_id in viewable or item.pk in covered}


def may_see_case_item(user, item: AgendaItem) -> bool:
    return item.pk in case_items_shown(user, [item], affirmed=has_affirmed(user, item.meeting))


def minutes_shown(page_items, shown: set[int]) -> bool:
    """Minutes of a meeting that discussed cases carry every case's details, so only someone
    shown every case item of the meeting reads them."""
    return all(item.pk in shown for item in page_items if item.case_id is not None)


def may_read_minutes(user, meeting: Meeting) -> bool:
    if not meeting.forum.discusses_cases:
        return True
    items = list(meeting.agenda_items.exclude(case=None))
    if not items:
        return True
    return minutes_shown(items, case_items_shown(user, items, affirmed=has_affirmed(user, meeting)))


def may_keep_minutes(
    user, meeting: Meeting, *, has_case_items: bool | None = None, minutes_shown: bool | None = None
) -> bool:
    """Who writes, circulates, approves and corrects a meeting's minutes: its managers; but
    minutes that carry cases only someone who may read them, and there the safeguarding
    officers and managers who list cases keep them too, since the team's partnership managers
    are not given case details. The page passes what it has already looked up."""
    if has_case_items is None:
        has_case_items = meeting.agenda_items.exclude(case=None).exists()
    if not (meeting.forum.discusses_cases and has_case_items):
        return may_manage_meetings(user)
    if minutes_shown is None:
        minutes_shown = may_read_minutes(user, meeting)
    return minutes_shown and (may_manage_meetings(user) or may_list_cases(user))


def action_agenda_items(user, meeting: Meeting) -> list[AgendaItem]:
    """The agenda items this person may give an action: a manager any item, but a case item
    only if shown its details; the officers who list cases only the case items shown to them.
    An action on a case is part of its record, so nobody writes one blind."""
    manages = may_manage_meetings(user)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    case_items = [item for item in items if item.case_id is not None]
    shown = set()
    if case_items and (manages or may_list_cases(user)):
        shown = case_items_shown(user, case_items, affirmed=has_affirmed(user, meeting))
    return [item for item in items if item.pk in shown or (manages and item.case_id is None)]


def actions_restricted(user, actions) -> set[int]:
    """The actions among `actions` (with `agenda_item` loaded) whose description this person
    may not read: those of a case item not shown to them, unless the action is theirs. A fixed
    number of queries, whatever the number of actions or meetings."""
    case_actions = [
        action
        for action in actions
        if action.agenda_item_id is not None and action.agenda_item.case_id is not None
    ]
    others = [action for action in case_actions if not owns(user, action)]
    if not others:
        return set()
    affirmed = set(
        ConfidentialityAffirmation.objects.filter(
            person=user, meeting_id__in={action.meeting_id for action in others}
        ).values_list("meeting_id", flat=True)
    )
    shown = _covered_case_items(
        user, [action.agenda_item for action in others if action.meeting_id in affirmed]
    )
    return {action.pk for action in others if action.agenda_item_id not in shown}
