"""Backups that provably restore: a PostgreSQL dump, the evidence files and the audit
checkpoints, with a manifest of digests and counts that a restore is held to (README, "Backups
and restore")."""
