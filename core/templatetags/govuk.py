"""Template helpers for GOV.UK Design System markup."""

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.forms import DateInput, DateProblem, date_boxes, read_typed_date
from core.rich_text import render_markdown

register = template.Library()

_WIDGET_CLASSES = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def described_by(field) -> str:
    ids = []
    if field.help_text or isinstance(field.field.widget, DateInput):
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field, width_class=""):
    """Render a field's input with the GOV.UK class, error state and aria-describedby."""
    css = _WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [css]
    # A widget may ask for a width (govuk-input--width-2) in its own attrs.
    if own := field.field.widget.attrs.get("class"):
        classes.append(own)
    if width_class:
        classes.append(width_class)
    if field.errors:
        classes.append(_ERROR_CLASSES[css])
    attrs = {"class": " ".join(classes)}
    if describedby := described_by(field):
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_is_date(field) -> bool:
    return isinstance(field.field.widget, DateInput)


@register.simple_tag
def govuk_date_boxes(field) -> list[dict]:
    """A date question's boxes, with the ones a refusal is about marked: the missing parts, or
    the year, or every box when the date as a whole was refused."""
    widget = field.field.widget
    typed = widget.format_value(field.value())
    marked = ()
    if field.errors:
        try:
            read_typed_date(typed, "")
            marked = widget.boxes
        except DateProblem as problem:
            marked = problem.boxes
    return date_boxes(widget, field.html_name, field.auto_id, typed, marked)


@register.filter
def govuk_choice_attrs(field) -> str:
    """A radio's or checkbox's own attributes beyond those the template writes (the live
    preview's hx-* ones, for instance)."""
    written = {"id", "name", "type", "value", "checked", "class", "required"}
    extra = {name: value for name, value in field.field.widget.attrs.items() if name not in written}
    return flatatt(extra)


@register.simple_tag
def govuk_revealed(field, value) -> list:
    """The bound fields a radio choice reveals, in the order the widget names them."""
    reveals = getattr(field.field.widget, "reveals", {})
    return [field.form[name] for name in reveals.get(str(value), ()) if name in field.form.fields]


@register.filter
def govuk_is_revealed(field) -> bool:
    """Whether another field's radios show this one beneath a choice, and so render it."""
    return any(
        field.name in names
        for other in field.form.fields.values()
        for names in getattr(other.widget, "reveals", {}).values()
    )


@register.filter
def govuk_describedby(field) -> str:
    return described_by(field)


@register.filter
def govuk_choices(field) -> str:
    """Which GOV.UK group of choices a field is, "radios" or "checkboxes" (subclasses of the
    widgets included), or "" for any other input."""
    widget = field.field.widget
    # Django's CheckboxSelectMultiple is itself a RadioSelect, so it is asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    return ""


@register.filter
def first_input_id(field) -> str:
    """The id an error-summary link must point at: the first option of a group of choices."""
    if govuk_choices(field):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms):
    entries = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            entries.append({"href": "", "message": error})
        for field in form:
            for error in field.errors:
                entries.append({"href": f"#{first_input_id(field)}", "message": error})
    return {"entries": entries}


@register.filter
def markdown(source):
    """Render Markdown through the project's one sanitiser."""
    return mark_safe(render_markdown(source))  # noqa: S308 - render_markdown sanitises it


class _ScrollingTableNode(template.Node):
    def __init__(self, caption_id_parts, nodelist):
        self.caption_id_parts = caption_id_parts
        self.nodelist = nodelist

    def render(self, context):
        return scrolling_region(
            "".join(str(part.resolve(context)) for part in self.caption_id_parts),
            self.nodelist.render(context),
        )


def scrolling_region(caption_id: str, table: str) -> str:
    """The region `{% scrolling_table %}` puts around a table, for a table written in Python."""
    return format_html(
        '<div class="partnerhub-table-scroll" role="region" aria-labelledby="{}" tabindex="0">'
        "{}</div>",
        caption_id,
        table,
    )


@register.tag
def scrolling_table(parser, token):
    """{% scrolling_table "caption-id" %}<table>…</table>{% endscrolling_table %}: a table
    that scrolls sideways inside its own region, not the page, so the page reflows at 320 CSS
    pixels (WCAG 1.4.10). The region is named by the table's caption, and takes the keyboard
    focus so that it can be scrolled without a mouse. An id made of several parts is written
    as them all, in order: {% scrolling_table "plan-" item.pk %}."""
    caption_id_parts = token.split_contents()[1:]
    if not caption_id_parts:
        raise template.TemplateSyntaxError("scrolling_table takes the id of the table's caption")
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return _ScrollingTableNode([parser.compile_filter(part) for part in caption_id_parts], nodelist)
