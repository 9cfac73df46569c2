"""Every select is written in Python (`core.forms.GovukFormRenderer`) exactly as Django's
templates write it, character for character: groups, a chosen value or several, attributes that
are true, false or need escaping, labels and values that need escaping, a label marked safe
and a lazy one."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms import GovukFormRenderer

CHOICES = [
    ("", "Any agency"),
    ("Police", [(1, "Greater Manchester Police"), (2, 'The "Met" & <friends>')]),
    ('3"&', "Shelter"),
    (4, 5),
    (6, mark_safe("<abbr>IDVA</abbr> service")),
    (7, gettext_lazy("Children's <services>")),
]


class OwnOptions(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def _both(widget, value, attrs):
    context = widget.get_context("agency", value, attrs)
    return (
        GovukFormRenderer().render(widget.template_name, context),
        TemplatesSetting().render(widget.template_name, context),
    )


def test_a_select_is_written_as_djangos_templates_write_it():
    widgets = [
        (forms.Select(choices=CHOICES), None, {"id": "id_agency"}),
        (forms.Select(choices=CHOICES), "2", {"id": "x", "required": True, "disabled": False}),
        (forms.Select(choices=CHOICES, attrs={"data-x": 'a"b<c'}), '3"&', {"class": "govuk"}),
        (forms.SelectMultiple(choices=CHOICES), ["1", "4"], {"id": "many"}),
        (forms.NullBooleanSelect(), True, {"id": "yes"}),
        (forms.Select(choices=[]), None, {}),
    ]
    for widget, value, attrs in widgets:
        ours, djangos = _both(widget, value, attrs)
        assert ours == djangos


def test_the_escaped_and_chosen_options_are_there():
    ours, _ = _both(forms.Select(choices=CHOICES), "2", {})
    assert '<option value="2" selected>The &quot;Met&quot; &amp; &lt;friends&gt;</option>' in ours
    assert '<option value="3&quot;&amp;">Shelter</option>' in ours
    assert '\n  <optgroup label="Police">' in ours


def test_a_select_whose_options_have_their_own_template_is_left_to_django():
    ours, djangos = _both(OwnOptions(choices=CHOICES), "2", {})
    assert ours == djangos
    assert 'type="select"' in ours
