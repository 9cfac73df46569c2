"""GOV.UK Design System markup for every Django form, kept in this one place.

Forms render through these templates (templates/govuk/forms/), so a page writes `{{ form }}`
and gets labels, hints, error messages and inputs with GOV.UK classes. Each form may say its
own page title and button text.
"""

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class GovukForm(forms.Form):
    """A form that knows the words on its page."""

    title = ""
    submit_label = "Continue"


class GovukModelForm(forms.ModelForm):
    title = ""
    submit_label = "Save"


class DateInput(forms.DateInput):
    """A native date picker: keyboard-accessible and validated by the browser and Django."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
