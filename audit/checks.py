"""System checks for the database role the application runs as."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from audit.app_role import owner_problems


# Not a deploy-only check: a server started with debug off (runserver, or any management
# command) warns too, since the role it connects as matters on every start, not only at deploy.
@register(Tags.security, Tags.database)
def application_cannot_switch_off_guards(app_configs, databases=None, **kwargs):
    # A table's owner can disable its triggers, so the running application must not be one.
    if settings.DEBUG:
        return []
    warnings = []
    for alias in databases or ["default"]:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            with connection.cursor() as cursor:
                problems = owner_problems(cursor)
        except DatabaseError as failure:
            warnings.append(
                Warning(
                    f"Could not check the role of database {alias!r}: {failure}",
                    id="audit.W002",
                )
            )
            continue
        if problems:
            warnings.append(
                Warning(
                    f"The application connects to database {alias!r} as a role that could "
                    f"switch off the append-only triggers: {'; '.join(problems)}.",
                    hint=(
                        "Point DATABASE_URL at a role made by `manage.py create_app_role` and "
                        "keep the owner in DATABASE_OWNER_URL, which migrate, createcachetable "
                        "and create_app_role connect as by themselves."
                    ),
                    id="audit.W001",
                )
            )
    return warnings
