"""What the application's database role may do to the reports' own table (create_app_role): add
a day's tally, never rewrite one, so a count once proved stays as it was proved."""

from audit.guards import protect

protect("reports_releasetally")
