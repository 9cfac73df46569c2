"""A long list is never a bare select: past twenty options it is picked by typing part of a name
(core.forms.AutocompleteSelect, enhanced by static/js/partnerhub.mjs), and it is still a select
that the form sends, so the page works without JavaScript."""

import factory
import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import resolve

from agencies.models import Agency
from core.forms import AutocompleteSelect, NamedModelChoiceField
from core.roles import Role
from meetings.forms import InviteForm
from sharing import selectors
from sharing.filters.cases import CaseFilter
from sharing.filters.disclosures import DisclosureFilter
from sharing.models import VulnerabilityIndicator
from tests.factories import AgencyFactory, ForumFactory, UserFactory
from tests.pages import crawl, selects_in

# The GOV.UK guidance: a select is for a short list; past about twenty options, let people type.
LONGEST_PLAIN_SELECT = 20
AUTOCOMPLETE = "partnerhub-autocomplete"
# Django's own select templates, not the project's renderer, which writes selects in Python too.
DJANGOS_TEMPLATES = TemplatesSetting()


@pytest.mark.site_crawl
@pytest.mark.django_db
def test_no_page_of_the_demo_offers_more_than_twenty_options_in_a_plain_select(demo_clients):
    plain, autocompletes = {}, set()
    for role, client in demo_clients.items():
        for path, (_, html) in crawl(client).items():
            for select in selects_in(html):
                page = resolve(path.partition("?")[0]).view_name
                if select["module"] == AUTOCOMPLETE:
                    autocompletes.add(f"{page} {select['name']}")
                elif select["options"] > LONGEST_PLAIN_SELECT:
                    plain[f"{role}: {path} {select['name']}"] = select["options"]
    assert plain == {}
    # The crawl reached pages with long lists, so the first assertion was put to the test.
    assert len(autocompletes) >= 3, autocompletes


@pytest.mark.django_db
def test_an_autocomplete_is_a_plain_select_that_sends_the_chosen_agency(partnership_manager):
    forum = ForumFactory(actor=partnership_manager)
    forum.member_agencies.add(*AgencyFactory.create_batch(25))
    chosen = forum.member_agencies.order_by("name")[12]

    html = str(InviteForm(forum=forum)["agency"])
    [select] = [select for select in selects_in(html) if select["name"] == "agency"]
    assert select == {"name": "agency", "module": AUTOCOMPLETE, "options": 26}

    form = InviteForm({"agency": str(chosen.pk)}, forum=forum)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["agency"] == chosen


def test_the_select_finder_counts_each_selects_options():
    html = (
        '<select name="a"><option value="">Any</option><option value="1">One</option></select>'
        '<select name="b" data-module="partnerhub-autocomplete"><option>x</option></select>'
    )
    assert selects_in(html) == [
        {"name": "a", "module": None, "options": 2},
        {"name": "b", "module": AUTOCOMPLETE, "options": 1},
    ]


def test_an_autocomplete_is_written_as_django_writes_a_select():
    # Written in Python for speed, the markup must stay Django's: a chosen value, a required
    # list, groups, and names that need escaping.
    choices = [
        ("", "Any agency"),
        ("Police", [(1, "Greater Manchester Police"), (2, 'The "Met" & <friends>')]),
        (3, "Shelter"),
    ]
    for value, attrs in ((None, {"id": "id_agency"}), ("2", {"id": "x", "required": True})):
        ours = AutocompleteSelect(choices=choices).render("agency", value, attrs)
        djangos = forms.Select.render(
            AutocompleteSelect(choices=choices), "agency", value, attrs, DJANGOS_TEMPLATES
        )
        assert ours == djangos
    assert 'value="2" selected>The &quot;Met&quot; &amp; &lt;friends&gt;</option>' in ours


@pytest.mark.django_db
def test_an_autocomplete_of_records_is_written_as_django_writes_it():
    agencies = AgencyFactory.create_batch(3, name=factory.Iterator(["Shelter", "Refuge", "Mind"]))
    field = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        widget=AutocompleteSelect,
        empty_label="Any agency",
    )
    chosen = agencies[1].pk
    for value in (None, chosen, str(chosen)):
        ours = field.widget.render("agency", value, {"id": "id_agency"})
        djangos = forms.Select.render(
            field.widget, "agency", value, {"id": "id_agency"}, DJANGOS_TEMPLATES
        )
        assert ours == djangos
    assert f'<option value="{chosen}" selected>Refuge</option>' in ours
    assert ours.count(" selected") == 1


@pytest.mark.django_db
def test_a_named_choice_offers_what_djangos_field_offers_from_one_query(
    django_assert_num_queries,
):
    agencies = AgencyFactory.create_batch(3, name=factory.Iterator(["Shelter", "Refuge", "Mind"]))
    ours = NamedModelChoiceField(
        Agency.objects.order_by("name"),
        label_from="name",
        widget=AutocompleteSelect,
        empty_label="Any agency",
    )
    djangos = forms.ModelChoiceField(
        Agency.objects.order_by("name"), widget=AutocompleteSelect, empty_label="Any agency"
    )
    chosen = agencies[1]
    with django_assert_num_queries(1):
        markup = ours.widget.render("agency", str(chosen.pk), {"id": "id_agency"})
    assert markup == djangos.widget.render("agency", str(chosen.pk), {"id": "id_agency"})
    # What is sent is still checked against the list and cleaned into the record.
    assert ours.clean(str(chosen.pk)) == chosen
    with pytest.raises(forms.ValidationError) as refused:
        ours.clean(str(max(agency.pk for agency in agencies) + 1))
    assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_long_list_filters_name_each_officer_and_indicator_as_everywhere_else():
    UserFactory.create_batch(2, roles=[Role.SAFEGUARDING_OFFICER], full_name="Sam Patel")
    UserFactory(roles=[Role.SAFEGUARDING_MANAGER])
    UserFactory(roles=[Role.PARTNER])

    offered = list(DisclosureFilter().form.fields["disclosed_by"].choices)

    officers = list(selectors.officers())
    assert len(officers) == 3
    assert offered == [("", "Anyone"), *((officer.pk, str(officer)) for officer in officers)]

    indicators = list(VulnerabilityIndicator.objects.all())
    assert indicators, "the indicators come with the migrations"
    assert list(CaseFilter().form.fields["indicator"].choices) == [
        ("", "Any indicator"),
        *((indicator.pk, str(indicator)) for indicator in indicators),
    ]
