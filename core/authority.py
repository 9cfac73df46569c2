"""The one refusal every write service raises when the acting person may not do what was asked.

Each app's `permissions.py` answers its access questions; its `require_…` functions raise
`NotPermitted`, so a view, a management command and a task calling the same service are held
to the same rule. It is a `PermissionDenied`, so a view that did not check first still answers
403 rather than writing anything.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied


class NotPermitted(PermissionDenied):
    def __init__(self, actor, action: str):
        self.actor = actor
        self.action = action
        who = getattr(actor, "pk", None)
        super().__init__(f"Person {who} may not {action}")


def require(allowed: bool, actor, action: str) -> None:
    """Raise the shared refusal unless `allowed`; `action` says what was refused, in words an
    auditor would read ("disclose case information", "approve minutes")."""
    if not allowed:
        raise NotPermitted(actor, action)


def built_once_per_person(rule):
    """A permission rule's condition (a `Q`) built once for each person object and kept on it,
    as Django keeps a person's permissions on it: a meeting's page asks whether its reader is
    shown every case item four times over, and building that condition anew each time, with
    its nested queries, was a tenth of the page. The condition holds no rows, only the query
    that reads them when it runs, so it stays true as long as the person's roles do, which is
    as long as the object lives (one request): docs/decisions/0024."""

    @wraps(rule)
    def built(user, *args):
        conditions = getattr(user, "_conditions_built", None)
        if conditions is None:
            conditions = {}
            user._conditions_built = conditions
        if (rule, args) not in conditions:
            conditions[rule, args] = rule(user, *args)
        return conditions[rule, args]

    return built
