"""Real Chromium (Debian's package) driven by Playwright, with axe-core on every page."""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
RESULTS = ROOT / "test-results"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    # Hooks in a conftest see the whole session's items, so mark only this folder's.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _govuk_reveal_state(violation, node) -> bool:
    """GOV.UK Frontend's radios say whether their conditional reveal is open with
    aria-expanded, which ARIA does not list for a radio. GOV.UK keeps it on purpose, because
    screen readers announce it (a known axe finding: alphagov/govuk-frontend#979); nothing
    else is let through."""
    if violation["id"] != "aria-allowed-attr" or "govuk-radios__input" not in node["html"]:
        return False
    refused = [
        attribute
        for check in node["any"] + node["all"]
        for attribute in (check.get("data") or {}).get("values", [])
    ]
    return bool(refused) and all(attribute.startswith("aria-expanded=") for attribute in refused)


class AccessibleBrowser:
    """A page that fails the test on a CSP violation or a serious accessibility problem."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.policy_violations = []
        page.on(
            "console",
            lambda message: (
                self.policy_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def sign_in(self, person):
        """Sign in as `person` by giving the browser a session cookie (the sign-in journey
        itself is tested in test_sign_in.py)."""
        client = Client()
        client.force_login(person)
        self.page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.base_url,
                }
            ]
        )

    def visit(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        # Evaluated through the DevTools protocol, so axe runs without loosening the page's CSP.
        self.page.evaluate(AXE_SOURCE)
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})"
        )
        serious = []
        for violation in results["violations"]:
            nodes = [n for n in violation["nodes"] if not _govuk_reveal_state(violation, n)]
            if nodes and violation["impact"] in {"serious", "critical"}:
                serious.append(
                    {
                        "id": violation["id"],
                        "help": violation["help"],
                        "nodes": [n["target"] for n in nodes][:5],
                    }
                )
        assert serious == [], f"{self.page.url}: {json.dumps(serious, indent=2)}"
        assert self.policy_violations == [], self.policy_violations

    def choose(self, label, option, *, typing):
        """Choose `option` in a long list's autocomplete (static/js/partnerhub.mjs) as a
        keyboard user does: type part of it, arrow down to it, press Enter."""
        box = self.page.get_by_role("combobox", name=label, exact=True)
        assert box.evaluate("element => element.tagName") == "INPUT", f"{label} is not enhanced"
        box.fill(typing)
        self.page.get_by_role("option", name=option, exact=True).wait_for()
        highlighted = self.page.locator(".autocomplete__option--focused")
        for _ in range(self.page.get_by_role("option").count()):
            if highlighted.count() and highlighted.inner_text() == option:
                break
            self.page.keyboard.press("ArrowDown")
        assert highlighted.inner_text() == option
        self.page.keyboard.press("Enter")
        assert box.input_value() == option

    def fill_date(self, label, day, *, at=None, within=None):
        """Enter `day` (a date) in the first date question whose legend is `label` (an optional
        question's legend adds "(optional)"), box by box as a person types it, and `at` (a
        time) in its Time box when it has one."""
        scope = within or self.page
        legend = re.compile(rf"^{re.escape(label)}( \(optional\))?$")
        question = scope.get_by_role("group", name=legend).first
        question.get_by_label("Day", exact=True).fill(str(day.day))
        question.get_by_label("Month", exact=True).fill(str(day.month))
        question.get_by_label("Year", exact=True).fill(str(day.year))
        if at is not None:
            question.get_by_label("Time", exact=True).fill(f"{at:%H:%M}")

    def fill_new_case(self, given_names, family_name, born, *, household="Single adult"):
        """Fill in the new-case page's own questions for a person on Section 95 support in
        dispersed accommodation in Manchester, a concern from a housing officer, medium risk."""
        page = self.page
        page.get_by_label("Given names").fill(given_names)
        page.get_by_label("Family name").fill(family_name)
        # The household's rows ask for dates of birth too; the person's is the form's own.
        own_question = page.locator("form > .govuk-form-group").filter(has_text="Date of birth")
        self.fill_date("Date of birth", born, within=own_question)
        page.get_by_label("Section 95", exact=True).check()
        page.get_by_label("Dispersed accommodation", exact=True).check()
        self.choose("Local authority", "Manchester", typing="manch")
        page.get_by_label(household, exact=True).check()
        page.get_by_label("Where the concern came from").select_option(
            label="Housing officer or property visit"
        )
        self.fill_date("Date the concern was received", date(2026, 1, 10))
        page.get_by_label("Medium", exact=True).check()

    def screenshot(self, name):
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browser_page(page, live_server):
    return AccessibleBrowser(page, live_server.url)
