"""Hostile values at every door: every form and every query parameter the URL resolver exposes.

Dates at the ends of the calendar, huge and non-ASCII numbers, control characters, line breaks,
any Unicode and very long strings are fed (by hypothesis, derandomised so a run is repeatable)
to every Form and ModelForm in the project's apps, to every query parameter each page reads,
and as the body of every POST. A form may refuse; nothing may crash, no page may answer 5xx, and
a refused POST stores nothing. The counts of what was exercised are printed.
"""

import importlib
import inspect
import pkgutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from agencies import demo as agencies_demo
from agencies.models import Agency, Contact, User
from core.forms import BoundedDateField, DateInput, ParagraphsField, SingleLineField
from core.roles import Role
from meetings import demo as meetings_demo
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CaseHearing,
    Forum,
    Meeting,
    MinutesComment,
    Paper,
)
from notifications.models import Notification
from sharing import demo as sharing_demo
from sharing.models import (
    Case,
    CaseIndicator,
    Consent,
    ConsentRequest,
    Disclosure,
    Escalation,
    Referral,
)
from sharing.services import route_options

HOSTILE = settings(
    derandomize=True,
    max_examples=4,
    deadline=None,
    database=None,
    # Failures are collected and reported together, so there is nothing to shrink.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

# A request costs far more than a form: fewer drawn examples keep the pages' run short.
HOSTILE_REQUESTS = settings(HOSTILE, max_examples=2)

# Values known to have crashed pages or been stored when they should have been refused.
KNOWN_BAD = [
    "9999-12",
    "0001-01",
    "0001-01-01",
    "10000-01-01",
    "²",
    "99999999999999999999999999",
    "Title\r\nBCC: someone@example.org",
    "nul\x00byte",
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "x" * 200_000,
]

control_characters = st.text(
    alphabet=st.characters(categories=["Cc", "Zl", "Zp", "Cf"]), min_size=1, max_size=8
)
hostile_text = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.text(max_size=40),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), control_characters, st.text(max_size=8)),
    st.builds(lambda piece, times: piece * times, st.sampled_from(["a", "é", "😀", "- [x](http://a)\n"]), st.integers(1_000, 120_000)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates().map(lambda day: f"{day.year:04d}-{day.month:02d}"),
    st.integers().map(str),
    st.integers(min_value=2**63 - 2, max_value=2**70).map(str),
    st.sampled_from(["", " ", "0", "1", "true", "on", "None", "[]", "{}", "%00", "../../etc/passwd"]),
)  # fmt: skip


# The seeded dataset ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    # Seeded once for the module, inside a transaction rolled back at its end; each test's own
    # transaction is a savepoint inside it. The demo has every kind of record a URL can name.
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        agencies_demo.seed()
        sharing_demo.seed()
        meetings_demo.seed()
        user = User.objects.create_user(
            email="hostile-input@example.org",
            password="correct-horse-battery-staple",
            full_name="Hostile Input",
            # Not the first agency: the hostile POSTs may deactivate that one, and its people.
            agency=Agency.objects.filter(is_active=True).order_by("-pk").first(),
        )
        user.groups.set(
            Group.objects.filter(name__in=[role for role in Role if role != Role.PARTNER])
        )
        # Without a second factor every page would send them to set one up.
        TOTP.activate(user, generate_totp_secret())
        yield user
        transaction.set_rollback(True)


@pytest.fixture
def everyone_viewer(_seeded, db):
    return User.objects.get(pk=_seeded.pk)


@pytest.fixture
def signed_in(everyone_viewer):
    client = Client()
    client.force_login(everyone_viewer)
    return client


# Forms ---------------------------------------------------------------------------------------


def _project_apps():
    root = Path(django_settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents and ".venv" not in config.path
    ]


def _import_every_module() -> None:
    for config in _project_apps():
        package = config.module
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls) -> Iterator[type]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def project_forms() -> list[type[forms.BaseForm]]:
    _import_every_module()
    names = {config.name for config in _project_apps()}
    found = {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in names
        # The shared bases (GovukModelForm) name no model; only their subclasses are forms.
        and not (issubclass(form, forms.BaseModelForm) and form._meta.model is None)
    }
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def _keyword_arguments(form_class) -> set[str]:
    wanted = set()
    for cls in form_class.__mro__:
        init = cls.__dict__.get("__init__")
        if init is None or cls.__module__.split(".")[0] not in {c.name for c in _project_apps()}:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY:
                wanted.add(parameter.name)
    return wanted


def _form_context(user) -> dict:
    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    return {
        "meeting": meeting,
        "agenda_items": list(meeting.agenda_items.all()),
        "case_items": list(
            AgendaItem.objects.filter(case__isnull=False).select_related("case").order_by("pk")
        ),
        "whole_meeting": True,
        "user": user,
        "case": case,
        "can_assign": True,
        "all_agencies": True,
        "attendance": Attendance.objects.order_by("pk").first(),
        "forum": meeting.forum,
        "agency": Agency.objects.order_by("pk").first(),
        "person": user,
        "action": Action.objects.order_by("pk").first(),
        "case_indicator": CaseIndicator.objects.order_by("pk").first(),
        "referral": Referral.objects.order_by("pk").first(),
        "options": route_options(Referral.objects.order_by("pk").first()),
        "request": ConsentRequest.objects.order_by("pk").first(),
        "consent": Consent.objects.order_by("pk").first(),
        "recipients": Agency.objects.all(),
        "disclosure": Disclosure.objects.order_by("pk").first(),
        "show_officer": True,
        "hearing": CaseHearing.objects.order_by("pk").first(),
    }


def _bound(form_class, context, values: dict, files: dict):
    arguments = {name: context[name] for name in _keyword_arguments(form_class)}
    return form_class(data=values, files=files, **arguments)


def test_every_form_declares_its_text_and_dates_with_a_shared_type(everyone_viewer):
    """A one-line field that takes control characters, a text area without a size, or a date
    without a range is the hole hostile input goes through; the shared types close it."""
    context = _form_context(everyone_viewer)
    loose = []
    for form_class in project_forms():
        form = form_class(**{name: context[name] for name in _keyword_arguments(form_class)})
        for name, field in form.fields.items():
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            if isinstance(field, forms.DateField) and not isinstance(field, BoundedDateField):
                loose.append(f"{where}: a date without a range")
            if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput):
                loose.append(f"{where}: text without the one-line or paragraphs type")
            if type(field) is forms.ModelMultipleChoiceField:
                loose.append(f"{where}: records chosen without refusing what is not an id")
            if isinstance(field, ParagraphsField | SingleLineField) and not field.max_length:
                loose.append(f"{where}: text without a size limit")
    assert loose == []


@pytest.mark.django_db
def test_every_form_validates_hostile_values_without_crashing(everyone_viewer):
    context = _form_context(everyone_viewer)
    form_classes = project_forms()
    crashes, validated, slowest = [], 0, {}

    @HOSTILE
    @given(data=st.data())
    def feed(data):
        nonlocal validated
        for form_class in form_classes:
            values, files = _hostile_form_data(_bound(form_class, context, None, None), data)
            started = time.perf_counter()
            try:
                _bound(form_class, context, values, files).is_valid()
            except Exception as crash:
                crashes.append(f"{form_class.__qualname__}: {crash!r:.300}")
            took = time.perf_counter() - started
            slowest[form_class.__qualname__] = max(took, slowest.get(form_class.__qualname__, 0))
            validated += 1

    feed()
    print(f"\nhostile input: {len(form_classes)} forms, {validated} bound and validated")
    assert crashes == []
    assert max(slowest.values()) < 2, sorted(slowest.items(), key=lambda item: -item[1])[:3]
    assert len(form_classes) >= 40


def _hostile_form_data(unbound, data) -> tuple[QueryDict, dict]:
    values, files = QueryDict(mutable=True), {}
    for name, field in unbound.fields.items():
        key = unbound.add_prefix(name)
        if isinstance(field, forms.FileField):
            files[key] = SimpleUploadedFile(
                data.draw(hostile_text)[:200] or "paper.pdf", b"%PDF-1.4 hostile"
            )
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values.setlist(key, data.draw(st.lists(hostile_text, max_size=3)))
        elif isinstance(field.widget, DateInput) and data.draw(st.booleans()):
            for box in field.widget.boxes:
                values[f"{key}-{box}"] = data.draw(hostile_text)
        else:
            values[key] = data.draw(hostile_text)
    return values, files


# Pages ---------------------------------------------------------------------------------------

_READ: set[str] = set()


class _RecordingQueryDict(QueryDict):
    """Notes every parameter name a view asks for, so the test knows what each page reads."""

    def __getitem__(self, key):
        _READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _READ.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        _READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _READ.add(key)
        return super().getlist(key, default)


def _walk(patterns, prefix="") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


# The model a route's first segment names, for its <pk>.
_MODEL_OF_SEGMENT = {
    "people": User,
    "directory": Agency,
    "cases": Case,
    "escalations": Escalation,
    "referrals": Referral,
    "consents": Consent,
    "disclosures": Disclosure,
    "forums": Forum,
    "meetings": Meeting,
    "comments": MinutesComment,
    "attendance": Attendance,
    "agenda": AgendaItem,
    "papers": Paper,
    "actions": Action,
    "notifications": Notification,
}


def _first(model, **lookups):
    found = model.objects.filter(**lookups).order_by("pk").first()
    return found.pk if found else 0


def _path_values(route: str, user) -> dict | None:
    """Ids from the seeded dataset for a route's parameters; None for routes outside the app
    (the admin, allauth) whose own tests cover them."""
    segments = route.split("/")
    if segments[0] in {"admin", "accounts", "static", "__debug__"}:
        return None
    values = {}
    if "<int:pk>" in route:
        if segments[0] == "calendar":
            values["pk"] = _first(Forum)
        elif route.startswith("consent/requests/"):
            values["pk"] = _first(ConsentRequest)
        elif "/contacts/<int:contact_pk>" in route:
            contact = Contact.objects.order_by("pk").first()
            values.update(pk=contact.agency_id, contact_pk=contact.pk)
        elif "/indicators/<int:indicator_pk>" in route:
            indicator = CaseIndicator.objects.order_by("pk").first()
            values.update(pk=indicator.case_id, indicator_pk=indicator.pk)
        elif "/actions/<int:action_pk>" in route:
            action = Action.objects.exclude(meeting=None).order_by("pk").first()
            values.update(pk=action.meeting_id, action_pk=action.pk)
        else:
            values["pk"] = _first(_MODEL_OF_SEGMENT[segments[0]])
    if "<str:token>" in route:
        values["token"] = "not-a-token"
    if "<str:what>" in route:
        values["what"] = "agencies"
    if "<str:step>" in route:
        values["step"] = "circulate"
    return values


def _fill(route: str, values: dict) -> str:
    path = route
    for name, value in values.items():
        for converter in ("int", "str", "slug", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return "/" + path


def app_urls(user) -> list[str]:
    urls = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        values = _path_values(route, user)
        if values is not None:
            urls.append(_fill(route, values))
    return urls


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setattr(
        WSGIRequest,
        "GET",
        property(lambda request: _RecordingQueryDict(request.environ.get("QUERY_STRING", ""))),
    )


def _parameters_read(client, url: str, shown: list) -> set[str]:
    _READ.clear()
    if _answer(client.get, url, {}) == 200:
        shown.append(url)
    return set(_READ)


def _row_counts() -> dict[str, int]:
    # Audit events record refusals and views by design; sessions change with every request.
    skipped = {"audit.auditevent", "sessions.session"}
    return {
        model._meta.label_lower: model.objects.count()
        for model in apps.get_models()
        if model._meta.label_lower not in skipped and model._meta.managed
    }


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_no_page_answers_a_server_error_to_hostile_query_values(
    everyone_viewer, signed_in, recording
):
    urls, shown = app_urls(everyone_viewer), []
    read = {url: _parameters_read(signed_in, url, shown) for url in urls}
    pairs = [(url, name) for url, names in read.items() for name in sorted(names)]
    failures, requests = [], 0

    def check(url, name, value):
        nonlocal requests
        requests += 1
        status = _answer(signed_in.get, url, {name: value})
        if not isinstance(status, int) or status >= 500:
            failures.append(f"GET {url}?{name}={value[:40]!r}: {status}")

    for url, name in pairs:
        for value in KNOWN_BAD:
            check(url, name, value)

    @HOSTILE_REQUESTS
    @given(data=st.data())
    def feed(data):
        for url, name in pairs:
            check(url, name, data.draw(hostile_text))

    feed()
    print(
        f"\nhostile input: {len(urls)} URLs ({len(shown)} shown to the viewer), "
        f"{len(pairs)} query parameters, {requests} GET requests"
    )
    assert failures == []
    # The pages were really reached (not sent to sign in), and their parameters were found.
    assert len(shown) >= 40
    assert len(pairs) >= 20


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_hostile_posts_never_answer_a_server_error_and_a_refusal_stores_nothing(
    everyone_viewer, signed_in, monkeypatch
):
    urls = app_urls(everyone_viewer)
    monkeypatch.setattr(
        WSGIRequest,
        "POST",
        property(lambda request: _recorded_post(request)),
    )
    fields = {}
    for url in urls:
        _READ.clear()
        _answer(signed_in.post, url, {})
        fields[url] = sorted(_READ)
    failures, requests = [], 0

    @HOSTILE_REQUESTS
    @given(data=st.data())
    def feed(data):
        nonlocal requests
        for url in urls:
            body = {name: data.draw(hostile_text) for name in fields[url]}
            before = _row_counts()
            status = _answer(signed_in.post, url, body)
            requests += 1
            if not isinstance(status, int) or status >= 500:
                failures.append(f"POST {url} {sorted(body)}: {status}")
            elif status != 302:
                after = _row_counts()
                stored = {
                    label: after[label] - count
                    for label, count in before.items()
                    if after[label] != count
                }
                if stored:
                    failures.append(f"POST {url} refused ({status}) but stored {stored}")

    feed()
    print(
        f"\nhostile input: {len(urls)} URLs, "
        f"{sum(len(names) for names in fields.values())} form fields, {requests} POST requests"
    )
    assert failures == []
    assert sum(len(names) for names in fields.values()) >= 100


def _answer(send, url, data) -> int | str:
    """The status code, or the exception a view raised (the test client re-raises it)."""
    try:
        return send(url, data).status_code
    except Exception as crash:
        return f"{crash!r:.300}"


def _recorded_post(request):
    if not hasattr(request, "_post"):
        request._load_post_and_files()
    recorded = _RecordingQueryDict(mutable=True)
    for key, values in request._post.lists():
        recorded.setlist(key, values)
    return recorded
