"""Who may read, export and check the audit log: the one place its pages and services ask."""

from core.authority import require


def may_export(user) -> bool:
    return user.has_perm("audit.export_auditevent")


def may_verify_chain(user) -> bool:
    return user.has_perm("audit.verify_auditevent")


def require_verify_chain(user) -> None:
    require(may_verify_chain(user), user, "verify the audit chain")
