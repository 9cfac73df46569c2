"""The files in deploy/ say what the code does: each timer starts a service that runs a command
that exists, every timer the README asks for is there, and the environment file's example sets
only variables the settings read."""

import configparser
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SYSTEMD = DEPLOY / "systemd"
SETTINGS = (DEPLOY.parent / "config" / "settings.py").read_text()

TIMED_COMMANDS = {
    "audit_checkpoint",
    "send_reminders",
    "circulate_case_lists",
    "chase_referrals",
    "send_calendar_messages",
}


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def executed(service: Path) -> str:
    return " ".join(unit(service)["Service"]["ExecStart"].split())


@pytest.mark.parametrize("timer", sorted(SYSTEMD.glob("*.timer")), ids=lambda path: path.stem)
def test_each_timer_starts_a_oneshot_service_running_a_command_that_exists(timer):
    assert unit(timer)["Timer"]["OnCalendar"]
    service = timer.with_suffix(".service")
    assert service.exists(), f"{timer.name} has no {service.name}"
    assert unit(service)["Service"]["Type"] == "oneshot"
    command = re.search(r"manage\.py (\S+)", executed(service))
    assert command is not None and command.group(1) in get_commands(), executed(service)


def test_every_timed_command_has_its_timer():
    timed = {
        re.search(r"manage\.py (\S+)", executed(timer.with_suffix(".service"))).group(1)
        for timer in SYSTEMD.glob("*.timer")
    }
    assert timed >= TIMED_COMMANDS


def test_the_web_runs_gunicorn_with_a_fresh_metrics_directory_and_the_worker_db_worker():
    web = unit(SYSTEMD / "partnerhub-web.service")["Service"]
    assert executed(SYSTEMD / "partnerhub-web.service").startswith(
        "/srv/partnerhub/.venv/bin/gunicorn config.wsgi"
    )
    assert web["Environment"] == f"PROMETHEUS_MULTIPROC_DIR=/run/{web['RuntimeDirectory']}"
    assert executed(SYSTEMD / "partnerhub-worker.service").endswith("manage.py db_worker")


def test_every_service_reads_the_one_environment_file():
    for service in SYSTEMD.glob("partnerhub-*.service"):
        assert unit(service)["Service"]["EnvironmentFile"] == "/etc/partnerhub/env", service.name


def test_the_environment_example_sets_only_variables_the_settings_read():
    names = [
        line.partition("=")[0]
        for line in (DEPLOY / "partnerhub.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "DJANGO_SECRET_KEY" in names and "PARTNERHUB_METRICS_TOKEN" in names
    unread = [name for name in names if f'"{name}"' not in SETTINGS]
    assert unread == []
