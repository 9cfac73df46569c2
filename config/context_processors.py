"""The service navigation: each person sees only what their roles allow."""

from django.urls import reverse

# (label, url name, permission needed or None for every signed-in person)
NAVIGATION = [
    ("Home", "home", None),
    ("Invite a person", "agencies:invitation-create", "agencies.invite_user"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    permissions = user.get_all_permissions()
    items = []
    for label, url_name, permission in NAVIGATION:
        if permission is not None and permission not in permissions:
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "active": request.path == url})
    return {"navigation": items}
