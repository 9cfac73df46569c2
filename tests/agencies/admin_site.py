"""Filling in the administration site's forms as an administrator would (the form as shown,
with some answers changed, then saved), and reading back what the audit log says about a record."""

from django.forms import ModelMultipleChoiceField
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import describe


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _shown(form) -> dict:
    answers = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, ModelMultipleChoiceField):
            answers[name] = [getattr(item, "pk", item) for item in value or ()]
        elif value is not None:
            answers[name] = value
    return answers


def _submit(client, url: str, answers: dict):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**_shown(page.context["adminform"].form), **answers})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def admin_add(client, model, **answers):
    return _submit(client, _url(model, "add"), answers)


def admin_change(client, instance, **answers):
    return _submit(client, _url(type(instance), "change", instance.pk), answers)


def admin_delete_url(instance) -> str:
    return _url(type(instance), "delete", instance.pk)


def admin_list_url(model) -> str:
    return _url(model, "changelist")


def events_about(instance) -> list[AuditEvent]:
    object_type, object_id, _ = describe(instance)
    return list(AuditEvent.objects.filter(object_type=object_type, object_id=object_id))
