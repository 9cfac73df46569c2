"""Links to the consent request page, filled in with what a refused or uncovered release lacked:
built wherever a page offers a way past the gate, the case's own pages and meetings' alike."""

from urllib.parse import urlencode

from django.urls import reverse


def consent_request_url(
    case, recipients, purpose, categories, *, referral=None, necessity: str = ""
) -> str:
    """The consent request page, filled in with exactly the consent that was missing.

    `recipients` is an agency or several. For a draft referral its reason becomes the request's,
    read from the draft by the page, so what is written about the person never travels in an
    address; elsewhere `necessity` says why in words that name no one."""
    agencies = [recipients] if hasattr(recipients, "pk") else list(recipients)
    parameters = {
        "recipients": [agency.pk for agency in agencies],
        "purposes": purpose,
        "categories": list(categories),
    }
    if referral is not None:
        parameters["referral"] = referral.pk
    elif necessity:
        parameters["necessity"] = necessity
    query = urlencode(parameters, doseq=True)
    return reverse("sharing:consent-request-create", args=[case.pk]) + "?" + query
