"""At 320 CSS pixels wide (a phone, or a desktop zoomed to 400%) every page of the demo reads
without scrolling sideways (WCAG 2.2, 1.4.10 Reflow): a wide table scrolls inside its own
region, long words and addresses wrap. Each page passes axe-core at that width too."""

from collections import defaultdict

import pytest
from django.conf import settings

from agencies.models import Agency, Contact
from sharing.models import Case
from tests.pages import pages_by_path

NARROWEST = 320
VIEWPORT = {"width": NARROWEST, "height": 640}

# What sticks out past the viewport, for the failure message: the innermost elements past it, or
# whose text runs out of them, outside any region that scrolls on its own (which may be wide);
# failing that, positioned ones, which escape a scrolling region that is not their containing
# block.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const past = element => element.getBoundingClientRect().right > width + 1
    || element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0;
  const scrollsOnItsOwn = element => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = element => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} `
    + `(${Math.round(element.getBoundingClientRect().right)}px): ${element.textContent.trim().slice(0, 40)}`;
  const all = [...document.body.querySelectorAll("*")].filter(past);
  const innermost = all.filter(element => !scrollsOnItsOwn(element) && ![...element.children].some(past));
  const positioned = all.filter(element => ["absolute", "fixed"].includes(getComputedStyle(element).position));
  return (innermost.length ? innermost : positioned).slice(0, 5).map(describe);
}"""


def _with_long_words():
    """The demo's addresses and references are short; real ones are not, and a word longer than
    the line is what pushes a page wider."""
    Agency.objects.update(
        email="safeguarding-referrals-north-west@averyveryverylongdomainname.example.org",
        website="https://www.averyveryverylongdomainname.example.org/safeguarding/referrals/",
    )
    Contact.objects.update(
        email="firstname.middlename.lastname@averyveryverylongdomainname.example"
    )
    Case.objects.update(authority_reference="HO-REF-" + "0" * 33)


@pytest.mark.django_db(transaction=True)
def test_every_demo_page_fits_320_pixels_and_passes_axe(browser_page, demo_clients):
    _with_long_words()
    paths_of = defaultdict(list)
    for path, (role, _) in pages_by_path(demo_clients).items():
        paths_of[role].append(path)
    page = browser_page.page
    page.set_viewport_size(VIEWPORT)
    too_wide, inaccessible = {}, {}
    for role, paths in paths_of.items():
        page.context.clear_cookies()
        session = demo_clients[role].cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": browser_page.base_url}]
        )
        for path in paths:
            try:
                browser_page.visit(path)
            except AssertionError as problem:
                inaccessible[f"{role}: {path}"] = str(problem)
                browser_page.policy_violations.clear()
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROWEST:
                too_wide[f"{role}: {path}"] = (width, page.evaluate(STICKING_OUT))
    assert not too_wide, "\n".join(
        [f"{len(too_wide)} pages scroll sideways at {NARROWEST}px (page: width, what sticks out):"]
        + [f"{page}: {width}px {sticking_out}" for page, (width, sticking_out) in too_wide.items()]
    )
    assert not inaccessible, "\n".join(inaccessible.values())
    # The crawl reached the demo's pages, not just the home page of each role.
    assert sum(len(paths) for paths in paths_of.values()) > 100
