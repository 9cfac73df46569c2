"""Running a guard's frozen trigger SQL in a migration, the statements for the database in use.

A guard is a mapping {"install": {vendor: [statements]}, "remove": {vendor: [statements]}};
migrations hold their guards' SQL as it was (docs/decisions/0016), and only this runner is
shared.
"""


def install(*guards):
    return _run("install", guards)


def remove(*guards):
    return _run("remove", guards)


def _run(step, guards):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for guard in guards:
                for statement in guard[step][connection.vendor]:
                    cursor.execute(statement)

    return run
