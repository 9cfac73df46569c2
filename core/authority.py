"""The one refusal every write service raises when the acting person may not do what was asked.

Each app's `permissions.py` answers its access questions; its `require_…` functions raise
`NotPermitted`, so a view, a management command and a task calling the same service are held
to the same rule. It is a `PermissionDenied`, so a view that did not check first still answers
403 rather than writing anything.
"""

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
