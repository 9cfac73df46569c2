"""Who may see and change forums, meetings and actions: the one place that decides.

Partnership managers and administrators manage forums and meetings. Staff whose roles carry the
view permissions see every forum and meeting; everyone else (partner-agency users among them)
sees only the meetings they are invited to, and the forums those belong to or that name them.
A meeting or forum someone may not see is a 404, never a 403 that confirms it exists.

Case items: the safeguarding team's officers and managers list a case they work on (they hold
`meetings.add_case_item`; nobody else may change a case, and listing it is their disclosure).
A case item's details are shown to a person who may see the meeting, has affirmed its
confidentiality statement and either may see the case in sharing or belongs to an agency it was
disclosed to for that item. Team staff affirm too: the screen may be shared in the meeting
room. An action on a case item is shown only to someone shown that item, or to its owner once
it reached them through the gate.

Minutes leave the meeting in writing when they are circulated: until then only those who keep
them read them. A version has a general part, which everyone who may see the meeting reads,
and a case part per case item, which another agency reads only once the gate gave it that part
on circulation (and, like the case item, after affirming the confidentiality statement); team
staff read the parts of the cases their role shows them in sharing. Minutes written before
they had case parts were one text carrying every case; where the meeting had case items that
text is read exactly as before, by someone shown every case item, whatever the forum's setting
says now.

Directory contacts invited to a meeting have no account: what their signed links open and
change is decided in meetings/links.py, never more than a meeting's general business.

Each of those rules is one queryset (`case_items_shown_to`, `minutes_readable_by`,
`minutes_kept_by`, `minutes_circulated_by`, `minutes_versions_readable_by`,
`minutes_case_parts_readable_by`, `actions_readable_by`, `actions_writable_by`), or one
condition asked of two kinds of row (`minutes_kept_by` of meetings, `minutes_versions_kept_by`
of their versions); the yes/no checks, the page filters and the `require_…` checks the services
call all derive from it. The minutes rules are composed of questions asked of a meeting
(`_MinutesTerms`), so one meeting's page answers those questions once and reads its versions
with the same composition (`minutes_of`). The `require_…` functions raise the one shared refusal,
`core.authority.NotPermitted`.
"""

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import and_, or_
from types import SimpleNamespace

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from core.authority import built_once_per_person, require
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    ConfidentialityAffirmation,
    Forum,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesCasePart,
    MinutesComment,
    MinutesStatus,
)
from sharing.permissions import can_change_case, cases_releasable_by, cases_visible_to
from sharing.selectors import released_to_agency


def may_manage_forums(user) -> bool:
    return user.has_perm("meetings.change_forum")


def may_write_schedule_rules(user) -> bool:
    """Administrators may write a forum's recurrence rule by hand; everyone who manages forums
    builds it from the schedules the form offers."""
    return user.has_perm("meetings.write_schedule_rule")


def may_manage_meetings(user) -> bool:
    return user.has_perm("meetings.change_meeting")


def sees_every_meeting(user) -> bool:
    return user.has_perm("meetings.view_meeting")


def sees_every_forum(user) -> bool:
    return user.has_perm("meetings.view_forum")


def _sees(user, meeting: str) -> "Term":
    """Whether this person may see a meeting (`meeting` is the path to it from the rows
    filtered): those whose roles carry the view permission see every one, anyone else the
    meetings they are invited to."""
    if sees_every_meeting(user):
        return True
    return Q(Exists(Attendance.objects.filter(meeting=OuterRef(meeting), person=user)))


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(_condition(_sees(user, "pk")))


def may_see_meeting(user, meeting: Meeting) -> bool:
    return visible_meetings(user).filter(pk=meeting.pk).exists()


def visible_forums(user) -> QuerySet[Forum]:
    forums = Forum.objects.all()
    if sees_every_forum(user):
        return forums
    named = Forum.members.through.objects.filter(forum=OuterRef("pk"), user=user)
    invited = Attendance.objects.filter(meeting__forum=OuterRef("pk"), person=user)
    return forums.filter(Q(Exists(named)) | Q(Exists(invited)))


def visible_actions(user) -> QuerySet[Action]:
    """Actions this person may know of: those of the meetings they are invited to, and their
    own. Whether they read an action's description is `actions_readable_by`."""
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


# Managing forums and meetings ----------------------------------------------------------------


def require_manage_forums(actor) -> None:
    require(may_manage_forums(actor), actor, "manage forums")


def require_write_schedule_rules(actor) -> None:
    require(may_write_schedule_rules(actor), actor, "write a recurrence rule by hand")


def require_manage_meetings(actor) -> None:
    require(may_manage_meetings(actor), actor, "manage meetings")


def may_answer_for(user, attendance: Attendance) -> bool:
    """The invitee answers, and sends a deputy, for themselves; a meeting's managers record it
    for them."""
    return may_manage_meetings(user) or (
        attendance.person_id is not None and attendance.person_id == user.pk
    )


def require_answer_for(actor, attendance: Attendance) -> None:
    require(may_answer_for(actor, attendance), actor, "answer for this invitation")


def require_see_meeting(actor, meeting: Meeting) -> None:
    require(may_see_meeting(actor, meeting), actor, "see this meeting")


def may_reset_feed(user, person) -> bool:
    """A person's calendar address is theirs to renew; administrators void it for them."""
    return user.pk == person.pk or user.has_perm("agencies.change_user")


def require_reset_feed(actor, person) -> None:
    require(may_reset_feed(actor, person), actor, "renew this calendar address")


# Case items: who is shown them ----------------------------------------------------------------


def may_list_cases(user) -> bool:
    return user.has_perm("meetings.add_case_item")


def may_add_case_item(user, meeting: Meeting, case) -> bool:
    return meeting.forum.discusses_cases and may_list_cases(user) and can_change_case(user, case)


def require_add_case_item(actor, meeting: Meeting, case) -> None:
    require(may_add_case_item(actor, meeting, case), actor, "list this case at this meeting")


def may_work_on_case_item(user, item: AgendaItem) -> bool:
    """Sharing a listed case with more agencies, or adding its papers: those who may list it."""
    return may_list_cases(user) and can_change_case(user, item.case)


def require_work_on_case_item(actor, item: AgendaItem) -> None:
    require(may_work_on_case_item(actor, item), actor, "work on this case item")


def case_items_shown_to(user) -> QuerySet[AgendaItem]:
    """Every case item whose details this person is shown: they may see its meeting and
    affirmed its confidentiality statement, and they may see the case in sharing or their agency
    was given this item through the gate. The one encoding of the rule (`_case_item_shown`). An
    affirmation outlives an invitation withdrawn afterwards, so the meeting is asked about, not
    the affirmation."""
    return AgendaItem.objects.filter(case__isnull=False, meeting__in=visible_meetings(user)).filter(
        _case_item_shown(user)
    )


def case_items_shown(user, items) -> set[int]:
    """The case items among `items` whose details this person is shown: one query at most,
    whatever the number of items."""
    pks = [item.pk for item in items if item.case_id is not None]
    if not pks:
        return set()
    return set(case_items_shown_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def may_see_case_item(user, item: AgendaItem) -> bool:
    return bool(case_items_shown(user, [item]))


def may_download_paper(user, item: AgendaItem) -> bool:
    """A paper goes to those who may see its meeting; a case item's only to those shown it."""
    if item.case_id is not None:
        return may_see_case_item(user, item)
    return may_see_meeting(user, item.meeting)


def require_download_paper(actor, item: AgendaItem) -> None:
    require(may_download_paper(actor, item), actor, "download this paper")


def may_add_paper(user, item: AgendaItem) -> bool:
    if item.case_id is not None:
        return may_work_on_case_item(user, item)
    return may_manage_meetings(user)


def require_add_paper(actor, item: AgendaItem) -> None:
    require(may_add_paper(actor, item), actor, "add a paper to this agenda item")


def case_items_given_to_agency(agency) -> QuerySet[AgendaItem]:
    """The case items released to this agency through the gate: what its members may be told
    of, the case list circulated ahead of a MARAC among it."""
    return AgendaItem.objects.filter(case__isnull=False).filter(
        released_to_agency(AgendaItem, agency_id=agency.pk)
    )


# MARAC: who records what was decided about a case heard --------------------------------------


def may_record_hearing(user, item: AgendaItem) -> bool:
    """The outcome of a case heard at a MARAC, its IDVA and its referrer are recorded by those
    who work on the case item: the outcome is case information, and recording it tells sharing
    the case was heard, which only someone who may change the case may do."""
    return may_work_on_case_item(user, item)


def require_record_hearing(actor, item: AgendaItem) -> None:
    require(may_record_hearing(actor, item), actor, "record the outcome of this case")


# Minutes: who reads and keeps them -----------------------------------------------------------
#
# Each rule is written once, about "the meeting" of whatever row it filters (`meeting` names the
# path to it: "pk" on Meeting, "meeting" on Minutes), so the querysets below filter their own
# rows instead of nesting one queryset inside the next: SQLite refuses SQL nested that deep.
#
# The rules are composed from a few questions asked of the meeting (`_MinutesTerms`). For many
# meetings each question is a condition the database answers row by row; for one meeting
# (`minutes_of`) each is answered once, in one query, and the same composition then leaves the
# versions' own conditions alone: the meeting page built and compiled every nested question
# again for its versions after asking them for its rights.


def _case_item_shown(user) -> Q:
    """Whether an agenda item's case details are shown to this person, on AgendaItem rows:
    they affirmed its meeting's confidentiality statement, and they may see the case in
    sharing or their agency was given this item through the gate."""
    affirmed = ConfidentialityAffirmation.objects.filter(meeting=OuterRef("meeting"), person=user)
    shown = Q(case__in=cases_visible_to(user=user))
    if user.agency_id is not None:
        shown |= Q(released_to_agency(AgendaItem, agency_id=user.agency_id))
    return Q(Exists(affirmed)) & shown


def _case_items_of(meeting: str):
    return AgendaItem.objects.filter(meeting=OuterRef(meeting), case__isnull=False)


# A term is a condition on rows (a `Q`) or a known answer (a bool), so a rule composed of terms
# is a condition for many meetings and, for one meeting whose terms were answered, an answer or
# a condition on that meeting's versions alone.
Term = Q | bool


def _all(*terms: Term) -> Term:
    if any(term is False for term in terms):
        return False
    conditions = [term for term in terms if term is not True]
    return reduce(and_, conditions) if conditions else True


def _any(*terms: Term) -> Term:
    if any(term is True for term in terms):
        return True
    conditions = [term for term in terms if term is not False]
    return reduce(or_, conditions) if conditions else False


def _not(term: Term) -> Term:
    return not term if isinstance(term, bool) else ~term


def _condition(term: Term) -> Q:
    if term is True:
        return Q()
    if term is False:
        # A condition no row meets (every row has a key).
        return Q(pk__isnull=True)
    return term


class _MinutesTerms:
    """What the minutes rules ask of a meeting, for one person: each question a condition on
    the meeting at the end of the path `meeting`, built when a rule first asks it (the
    navigation's count of minutes to finish asks three of the six)."""

    QUESTIONS = (
        "sees",
        "whole_minutes",
        "has_case_items",
        "shown_every_case_item",
        "sees_every_case",
        "releases_every_case",
    )

    def __init__(self, user, meeting: str):
        self.user = user
        self.meeting = meeting
        self.items = _case_items_of(meeting)

    @cached_property
    def sees(self) -> Term:
        return _sees(self.user, self.meeting)

    @cached_property
    def whole_minutes(self) -> Term:
        """Its minutes were written as one text carrying every case, before they had case
        parts."""
        written_whole = Minutes.objects.filter(
            meeting=OuterRef(self.meeting), general_part_carries_cases=True
        )
        return Q(Exists(written_whole))

    @cached_property
    def has_case_items(self) -> Term:
        return Q(Exists(self.items))

    @cached_property
    def shown_every_case_item(self) -> Term:
        """They are shown every case item of it (so any meeting without case items)."""
        return ~Q(Exists(self.items.exclude(_case_item_shown(self.user))))

    @cached_property
    def sees_every_case(self) -> Term:
        """Their role shows them every case listed at it in sharing."""
        return ~Q(Exists(self.items.exclude(case__in=cases_visible_to(user=self.user))))

    @cached_property
    def releases_every_case(self) -> Term:
        """They may release information about every case listed at it."""
        return ~Q(Exists(self.items.exclude(case__in=cases_releasable_by(user=self.user))))


@built_once_per_person
def _minutes_terms(user, meeting: str) -> _MinutesTerms:
    return _MinutesTerms(user, meeting)


def _reads_minutes(terms: _MinutesTerms) -> Term:
    """Everyone who may see a meeting reads its minutes, at least the general part. Minutes
    written as one text before they had case parts carry every case, so where the meeting had
    case items they are read only by someone shown every one, whatever the forum's "discusses
    cases" setting says now (it can change after the meeting)."""
    return _all(terms.sees, _any(_not(terms.whole_minutes), terms.shown_every_case_item))


def _keeps_minutes(user, terms: _MinutesTerms) -> Term:
    """Those who manage meetings keep the minutes; so, for a meeting with case items, do the
    safeguarding officers and managers who list cases, since the team's partnership managers
    are not given case details. Where the meeting had case items, only someone shown every
    one of them keeps its minutes: nobody writes or approves a case part blind."""
    if may_manage_meetings(user):
        role = True
    elif may_list_cases(user):
        role = terms.has_case_items
    else:
        return False
    return _all(terms.sees, terms.shown_every_case_item, role)


def _circulates_minutes(user, terms: _MinutesTerms) -> Term:
    """Those who keep the minutes, where every case discussed is one they may release
    information about, since circulating releases each case part to the agencies that were
    given its case at the meeting."""
    return _all(_keeps_minutes(user, terms), terms.releases_every_case)


def _reads_version(user, terms: _MinutesTerms) -> Term:
    """Whoever keeps a meeting's minutes reads every version, drafts included; anyone else who
    reads the meeting's minutes reads the circulated and approved versions.

    A general part written as one text with every case (`general_part_carries_cases`) is read
    as the whole minutes were: by those shown every case item of the meeting, and, unless they
    keep the minutes, only if their role shows them every case or their agency was given that
    version through the gate on circulation."""
    kept = _keeps_minutes(user, terms)
    circulated = ~Q(status=MinutesStatus.DRAFT)
    reached = terms.sees_every_case
    if user.agency_id is not None:
        reached = _any(reached, Q(released_to_agency(Minutes, agency_id=user.agency_id)))
    general = _all(Q(general_part_carries_cases=False), _any(kept, circulated))
    whole = _all(
        Q(general_part_carries_cases=True),
        terms.shown_every_case_item,
        _any(kept, _all(circulated, reached)),
    )
    return _all(_reads_minutes(terms), _any(general, whole))


def minutes_readable_by(user) -> QuerySet[Meeting]:
    """The meetings whose minutes this person reads, at least their general part."""
    return Meeting.objects.filter(_condition(_reads_minutes(_minutes_terms(user, "pk"))))


def minutes_kept_by(user) -> QuerySet[Meeting]:
    """The meetings whose minutes this person writes, circulates, approves and corrects."""
    return Meeting.objects.filter(_condition(_keeps_minutes(user, _minutes_terms(user, "pk"))))


def minutes_versions_kept_by(user) -> QuerySet[Minutes]:
    """The versions of the minutes this person keeps, asked of each version's meeting in place:
    through `minutes_kept_by` as a subquery, every condition was built again inside it."""
    return Minutes.objects.filter(_condition(_keeps_minutes(user, _minutes_terms(user, "meeting"))))


def minutes_circulated_by(user) -> QuerySet[Meeting]:
    """The meetings whose minutes this person circulates."""
    return Meeting.objects.filter(_condition(_circulates_minutes(user, _minutes_terms(user, "pk"))))


@dataclass(frozen=True)
class MeetingMinutes:
    """One meeting's minutes as one person stands to them."""

    readable: bool
    kept: bool
    circulated: bool
    # The versions whose general part they read (`minutes_versions_readable_by`).
    versions: QuerySet[Minutes]


def _answered(user, meeting: Meeting) -> SimpleNamespace:
    """The minutes questions about one meeting, answered for this person in one query."""
    terms = _minutes_terms(user, "pk")
    questions = {name: getattr(terms, name) for name in _MinutesTerms.QUESTIONS}
    asked = {name: term for name, term in questions.items() if isinstance(term, Q)}
    answers = (
        Meeting.objects.filter(pk=meeting.pk)
        .annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in asked.items()
            }
        )
        .values(*asked)
        .first()
    )
    if answers is None:
        # The meeting is gone: nothing of it is read.
        return SimpleNamespace(**dict.fromkeys(questions, False))
    return SimpleNamespace(**{**questions, **{name: bool(answers[name]) for name in asked}})


def _rights(user, terms) -> tuple[bool, bool, bool]:
    return _reads_minutes(terms), _keeps_minutes(user, terms), _circulates_minutes(user, terms)


def minutes_of(user, meeting: Meeting) -> MeetingMinutes:
    """Whether this person reads, keeps and circulates the meeting's minutes, and which of its
    versions they read, from the same answers."""
    terms = _answered(user, meeting)
    readable, kept, circulated = _rights(user, terms)
    return MeetingMinutes(
        readable=readable,
        kept=kept,
        circulated=circulated,
        versions=meeting.minutes_versions.filter(_condition(_reads_version(user, terms))),
    )


def minutes_rights(user, meeting: Meeting) -> tuple[bool, bool, bool]:
    """Whether this person reads, keeps and circulates the meeting's minutes: one query, and
    no versions asked for."""
    return _rights(user, _answered(user, meeting))


def may_keep_minutes(user, meeting: Meeting) -> bool:
    return minutes_rights(user, meeting)[1]


def require_keep_minutes(actor, meeting: Meeting) -> None:
    require(may_keep_minutes(actor, meeting), actor, "keep these minutes")


def may_circulate_minutes(user, meeting: Meeting) -> bool:
    return minutes_rights(user, meeting)[2]


def require_circulate_minutes(actor, meeting: Meeting) -> None:
    require(may_circulate_minutes(actor, meeting), actor, "circulate these minutes")


def minutes_commented_on_by(user) -> QuerySet[Meeting]:
    """The meetings whose circulated minutes this person may comment on: among those whose
    minutes they read, the ones they were invited to and the ones they keep."""
    terms = _minutes_terms(user, "pk")
    invited = Attendance.objects.filter(meeting=OuterRef("pk"), person=user)
    return Meeting.objects.filter(
        _condition(
            _all(_reads_minutes(terms), _any(Q(Exists(invited)), _keeps_minutes(user, terms)))
        )
    )


def may_comment_on_minutes(user, meeting: Meeting) -> bool:
    return minutes_commented_on_by(user).filter(pk=meeting.pk).exists()


def require_comment_on_minutes(actor, meeting: Meeting) -> None:
    require(may_comment_on_minutes(actor, meeting), actor, "comment on these minutes")


def minutes_versions_readable_by(user) -> QuerySet[Minutes]:
    """The versions of minutes whose general part this person reads (`_reads_version`)."""
    return Minutes.objects.filter(_condition(_reads_version(user, _minutes_terms(user, "meeting"))))


def minutes_case_parts_readable_by(user) -> QuerySet[MinutesCasePart]:
    """The case parts of minutes this person reads: of a version whose general part they read,
    on a case item they are shown (`case_items_shown_to`, so after affirming the meeting's
    confidentiality statement), and either they keep the minutes, their role shows them the
    case in sharing or their agency was given this part through the gate when the version was
    circulated. An agency covered for one case of two reads that case's part and never the
    other's."""
    reached = _any(
        _keeps_minutes(user, _minutes_terms(user, "minutes__meeting")),
        Q(agenda_item__case__in=cases_visible_to(user=user)),
    )
    if user.agency_id is not None:
        reached = _any(reached, Q(released_to_agency(MinutesCasePart, agency_id=user.agency_id)))
    return MinutesCasePart.objects.filter(
        Q(minutes__in=minutes_versions_readable_by(user))
        & Q(agenda_item__in=case_items_shown_to(user).values("pk"))
        & _condition(reached)
    )


def case_parts_shown(user, parts) -> set[int]:
    """The case parts among `parts` this person reads: one query at most."""
    pks = [part.pk for part in parts]
    if not pks:
        return set()
    return set(minutes_case_parts_readable_by(user).filter(pk__in=pks).values_list("pk", flat=True))


def minutes_comments_readable_by(user) -> QuerySet[MinutesComment]:
    """The comments on minutes this person reads: all of them where they keep the minutes,
    and otherwise their own. A comment may be about a case part, and the other attendees
    need not read that part, so comments go to whoever keeps the minutes, not round the
    table."""
    return MinutesComment.objects.filter(
        Q(minutes__meeting__in=minutes_kept_by(user)) | Q(author=user)
    )


# Actions: who reads, writes on and gives them ------------------------------------------------


def actions_readable_by(user) -> QuerySet[Action]:
    """Actions whose description this person reads: any not on a case item; one on a case item
    if shown that item, or if it is theirs and it reached them: their agency was given it
    through the gate, or they may see the case."""
    reached = Q(agenda_item__case__in=cases_visible_to(user=user))
    if user.agency_id is not None:
        reached |= Q(released_to_agency(Action, agency_id=user.agency_id))
    case_actions_of_theirs = owned_by(user) & reached
    return Action.objects.filter(
        Q(agenda_item__isnull=True)
        | Q(agenda_item__case__isnull=True)
        | Q(agenda_item__in=case_items_shown_to(user).values("pk"))
        | case_actions_of_theirs
    )


def actions_writable_by(user) -> QuerySet[Action]:
    """Actions this person writes on (an update, closing it, its review at a later meeting):
    their own, and every one for those who manage meetings; but only those they read, since an
    action on a case is part of its record and nobody writes on it blind."""
    readable = actions_readable_by(user)
    if may_manage_meetings(user):
        return readable
    return readable.filter(owned_by(user))


def actions_restricted(user, actions) -> set[int]:
    """The actions among `actions` (with `agenda_item` loaded) whose description this person
    may not read: one query at most, whatever the number of actions or meetings."""
    case_actions = {
        action.pk
        for action in actions
        if action.agenda_item_id is not None and action.agenda_item.case_id is not None
    }
    if not case_actions:
        return set()
    readable = actions_readable_by(user).filter(pk__in=case_actions).values_list("pk", flat=True)
    return case_actions - set(readable)


def may_update_action(user, action: Action) -> bool:
    return actions_writable_by(user).filter(pk=action.pk).exists()


def require_write_on_action(actor, action: Action) -> None:
    require(may_update_action(actor, action), actor, "write on this action")


def may_give_action(user, meeting: Meeting, agenda_item: AgendaItem | None) -> bool:
    """Who gives a meeting an action, or gives one to someone else: its managers for the
    meeting as a whole or an ordinary item; for a case item, a manager or someone who lists
    cases, and only if shown the item."""
    if agenda_item is None or agenda_item.case_id is None:
        return may_manage_meetings(user)
    return (may_manage_meetings(user) or may_list_cases(user)) and may_see_case_item(
        user, agenda_item
    )


def require_give_action(actor, meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    require(may_give_action(actor, meeting, agenda_item), actor, "give this action")


def action_agenda_items(user, meeting: Meeting) -> list[AgendaItem]:
    """The agenda items this person may give an action (`may_give_action`), in a fixed number
    of queries."""
    manages = may_manage_meetings(user)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    shown = set()
    if manages or may_list_cases(user):
        shown = case_items_shown(user, items)
    return [item for item in items if item.pk in shown or (manages and item.case_id is None)]


def may_review_actions(user, meeting: Meeting) -> bool:
    """The meeting's managers record, at the meeting, how each carried-over action stands."""
    return may_manage_meetings(user) and meeting.status != MeetingStatus.CANCELLED


def require_review_actions(actor, meeting: Meeting) -> None:
    require(may_review_actions(actor, meeting), actor, "review actions at this meeting")


def may_own_case_action(person, item: AgendaItem) -> bool:
    """Within the team, a case item's action is given only to someone who may see the case;
    another agency is given it through the gate instead."""
    return cases_visible_to(user=person).filter(pk=item.case_id).exists()
