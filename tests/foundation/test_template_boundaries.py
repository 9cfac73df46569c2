"""No app renders, includes or extends another app's templates.

import-linter (in `make lint`) keeps apps out of each other's views and forms, but a template
is named by a string, which no import graph sees; this test is that contract's third part.
Templates shared by every app live in the project's `templates/` folder.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

TEMPLATE_NAME = re.compile(r"""["']([a-z_]+)/[\w/.-]+\.(?:html|txt|ics)["']""")


def _project_apps():
    root = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if root in Path(config.path).resolve().parents
        and "site-packages" not in Path(config.path).parts
        and config.name != "config"
    ]


def _template_references(app_config):
    for path in sorted(Path(app_config.path).rglob("*")):
        if path.suffix not in {".py", ".html", ".txt", ".ics"} or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_NAME.finditer(line):
                yield path, number, match.group(1)


def test_no_app_uses_another_apps_templates():
    app_labels = {config.label for config in _project_apps()}
    crossings = [
        f"{path.relative_to(settings.BASE_DIR)}:{number} uses {owner}'s templates"
        for config in _project_apps()
        for path, number, owner in _template_references(config)
        if owner in app_labels and owner != config.label
    ]
    assert crossings == []


def test_the_boundary_check_sees_template_names():
    # Without this the test above would pass by finding nothing at all.
    sharing = apps.get_app_config("sharing")
    owners = {owner for _path, _number, owner in _template_references(sharing)}
    assert "sharing" in owners
