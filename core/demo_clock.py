"""The demo's clock: `seed_demo` turns it back to lay down past months through the same services
people use, so every timestamp and audit event falls on the day the demo's story says."""

from contextlib import ExitStack, contextmanager
from functools import cache
from unittest import mock

from django.apps import apps
from django.utils import timezone

_REAL_NOW = timezone.now


@cache
def _fields_stamped_by_the_clock() -> tuple:
    # A field declared with `default=timezone.now` keeps that function itself (and Django caches
    # it in the field's `_get_default`), so patching `timezone.now` alone would leave such
    # fields (a case's `created_at`, an escalation's `raised_at`) stamped with the real time.
    return tuple(
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is _REAL_NOW
    )


@contextmanager
def clock_at(moment):
    """Run the code inside as if it were `moment`: services, model defaults and audit events all
    read this clock. For the demo only: nothing else may rewrite when something happened."""

    def now():
        return moment

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", now))
        for field in _fields_stamped_by_the_clock():
            stack.enter_context(mock.patch.object(field, "_get_default", now))
        yield
