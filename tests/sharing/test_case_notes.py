"""Case notes are Markdown, sanitised on the way in: ordinary formatting stays, anything that
could run in a reader's browser goes."""

from html.parser import HTMLParser

import pytest

from sharing import services
from sharing.models import CaseNote
from tests.pages import inline_code_in


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert('x')</script>Visited today",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="steal()">link</a>',
        "[Open the file](javascript:alert(document.cookie))",
        "[Open](JaVaScRiPt:alert(1)) and <javascript:alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<p style="color:red">styled</p>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_dangerous_markup_is_neutralised_before_the_note_is_stored(case, officer, typed):
    note = services.add_case_note(case=case, text=typed, actor=officer)
    stored = CaseNote.objects.get(pk=note.pk).html
    found = _elements(stored)
    assert inline_code_in(stored) == []
    assert found.tags <= {"p", "a", "strong", "em", "ul", "li"}
    assert all(not name.startswith("on") and name != "style" for name, _ in found.attributes)
    assert all("javascript:" not in (value or "").lower() for name, value in found.attributes)


@pytest.mark.django_db
def test_ordinary_formatting_is_kept(case, officer):
    text = (
        "Home visit with **interpreter**.\n\n"
        "- GP registration *pending*\n- School place requested\n\n"
        "See [the council's page](https://www.manchester.gov.uk/)."
    )
    html = services.add_case_note(case=case, text=text, actor=officer).html
    assert "<strong>interpreter</strong>" in html
    assert "<em>pending</em>" in html
    assert "<li>School place requested</li>" in html
    assert 'href="https://www.manchester.gov.uk/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.django_db
def test_a_note_added_from_the_page_shows_sanitised_on_the_case(officer_client, case):
    response = officer_client.post(
        f"/cases/{case.pk}/notes/new/",
        {"text": "**Urgent** follow-up <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "<strong>Urgent</strong>" in page
    assert "alert(1)</script>" not in page


@pytest.mark.django_db
def test_an_empty_note_is_refused(officer_client, case):
    response = officer_client.post(f"/cases/{case.pk}/notes/new/", {"text": ""})
    assert response.context["form"].errors["text"] == ["Enter the note"]
    assert not CaseNote.objects.exists()
