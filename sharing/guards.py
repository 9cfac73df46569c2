"""The consent gate in the database: hand-written triggers for PostgreSQL and SQLite.

No code path — the ORM, the admin, a shell, raw SQL, a future API — can insert a disclosure that
no consent covers at its timestamp, or one releasing special-category data without an Art. 9
condition; change or delete a disclosure; change a consent's grant, or widen a consent's
recipients once a disclosure relies on it; or mark a referral sent without its disclosure.
Revocation (three columns, set once) is the only update a consent accepts.

Migrations 0005, 0006, 0008 and 0009 install frozen copies of this SQL as it stood at each; a
change here needs a migration of its own (see audit/guards.py).
"""

from audit.guards import ALL_GUARDS, RETENTION, Guard, append_only, protect
from sharing.models.consent import SPECIAL_CATEGORIES

# The reasons, worded for the person who meets them; the service layer gives the same ones first.
NOT_COVERED = "no consent covers this disclosure"

_POSTGRES_DISCLOSURE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION sharing_disclosure_requires_consent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    granted sharing_consent%ROWTYPE;
BEGIN
    -- FOR SHARE waits for a revocation in flight and then reads the revoked row: a plain SELECT
    -- would read the old version and let the disclosure commit after the revocation.
    SELECT * INTO granted FROM sharing_consent WHERE id = NEW.consent_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent does not exist' USING ERRCODE = 'check_violation';
    END IF;
    IF granted.case_id <> NEW.case_id THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent is for another case' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.disclosed_at < granted.valid_from THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent is not yet valid' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.disclosed_at >= granted.valid_until THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent has expired' USING ERRCODE = 'check_violation';
    END IF;
    IF granted.revoked_at IS NOT NULL AND NEW.disclosed_at >= granted.revoked_at THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent was revoked' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM sharing_consent_recipients
        WHERE consent_id = NEW.consent_id AND agency_id = NEW.recipient_id
    ) THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent does not name this agency' USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (granted.purposes ? NEW.purpose) THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent does not cover this purpose' USING ERRCODE = 'check_violation';
    END IF;
    IF jsonb_typeof(NEW.categories) <> 'array' OR jsonb_array_length(NEW.categories) = 0
       OR NOT (granted.categories @> NEW.categories) THEN
        RAISE EXCEPTION '{NOT_COVERED}: the consent does not cover every category' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$
"""

_SQLITE_DISCLOSURE_TRIGGER = f"""
CREATE TRIGGER sharing_disclosure_requires_consent BEFORE INSERT ON sharing_disclosure
WHEN NOT EXISTS (
    SELECT 1 FROM sharing_consent AS granted
    WHERE granted.id = NEW.consent_id
      AND granted.case_id = NEW.case_id
      AND granted.valid_from <= NEW.disclosed_at
      AND NEW.disclosed_at < granted.valid_until
      AND (granted.revoked_at IS NULL OR NEW.disclosed_at < granted.revoked_at)
      AND EXISTS (
          SELECT 1 FROM sharing_consent_recipients AS named
          WHERE named.consent_id = granted.id AND named.agency_id = NEW.recipient_id
      )
      AND EXISTS (SELECT 1 FROM json_each(granted.purposes) WHERE value = NEW.purpose)
      AND json_type(NEW.categories) = 'array'
      AND json_array_length(NEW.categories) > 0
      AND NOT EXISTS (
          SELECT 1 FROM json_each(NEW.categories) AS asked
          WHERE asked.value NOT IN (SELECT value FROM json_each(granted.categories))
      )
)
BEGIN
    SELECT RAISE(ABORT, '{NOT_COVERED}');
END
"""

DISCLOSURE_REQUIRES_CONSENT = Guard(
    name="sharing_disclosure_requires_consent",
    postgresql=[
        _POSTGRES_DISCLOSURE_FUNCTION,
        "CREATE TRIGGER sharing_disclosure_requires_consent BEFORE INSERT ON sharing_disclosure "
        "FOR EACH ROW EXECUTE FUNCTION sharing_disclosure_requires_consent()",
    ],
    sqlite=[_SQLITE_DISCLOSURE_TRIGGER],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS sharing_disclosure_requires_consent ON sharing_disclosure",
        "DROP FUNCTION IF EXISTS sharing_disclosure_requires_consent()",
    ],
    drop_sqlite=["DROP TRIGGER IF EXISTS sharing_disclosure_requires_consent"],
)

# Special-category data (UK GDPR Art. 9): releasing it needs a condition.
_SPECIAL_CATEGORIES_SQL = ", ".join(f"'{category}'" for category in sorted(SPECIAL_CATEGORIES))
NEEDS_CONDITION = "special-category data needs an Article 9 condition"

SPECIAL_CATEGORIES_NEED_A_CONDITION = Guard(
    name="sharing_disclosure_special_categories_need_a_condition",
    postgresql=[
        f"""
        CREATE OR REPLACE FUNCTION sharing_disclosure_special_categories_need_a_condition()
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF jsonb_typeof(NEW.categories) = 'array'
               AND NEW.categories ?| ARRAY[{_SPECIAL_CATEGORIES_SQL}]
               AND NEW.special_category_condition IN ('', 'not_applicable') THEN
                RAISE EXCEPTION '{NEEDS_CONDITION}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER sharing_disclosure_special_categories_need_a_condition "
        "BEFORE INSERT ON sharing_disclosure FOR EACH ROW "
        "EXECUTE FUNCTION sharing_disclosure_special_categories_need_a_condition()",
    ],
    sqlite=[
        f"""
        CREATE TRIGGER sharing_disclosure_special_categories_need_a_condition
        BEFORE INSERT ON sharing_disclosure
        WHEN NEW.special_category_condition IN ('', 'not_applicable')
         AND json_valid(NEW.categories)
         AND EXISTS (
             SELECT 1 FROM json_each(NEW.categories) WHERE value IN ({_SPECIAL_CATEGORIES_SQL})
         )
        BEGIN SELECT RAISE(ABORT, '{NEEDS_CONDITION}'); END
        """
    ],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS sharing_disclosure_special_categories_need_a_condition "
        "ON sharing_disclosure",
        "DROP FUNCTION IF EXISTS sharing_disclosure_special_categories_need_a_condition()",
    ],
    drop_sqlite=["DROP TRIGGER IF EXISTS sharing_disclosure_special_categories_need_a_condition"],
)

# A referral is sent by releasing it: send_referral() writes the disclosure (source
# "sharing.referral", the referral's id) first and then marks the referral sent at the
# disclosure's moment. Anything that marks a referral sent without that disclosure is refused.
# A draft may be withdrawn (closed, never sent): that releases nothing, so it needs no disclosure;
# the CHECK constraint keeps a withdrawn referral's sent_at empty.
NOT_SENT_THROUGH_THE_GATE = "a referral is sent only by disclosing it through the consent gate"
_REFERRAL_DISCLOSED = """
    EXISTS (
        SELECT 1 FROM sharing_disclosure AS released
        WHERE released.source_type = 'sharing.referral'
          AND released.source_id = CAST(NEW.id AS TEXT)
          AND released.case_id = NEW.case_id
          AND released.recipient_id = NEW.agency_id
          AND released.disclosed_at = NEW.sent_at
    )
"""

REFERRAL_SENT_ONLY_WHEN_DISCLOSED = Guard(
    name="sharing_referral_sent_only_when_disclosed",
    postgresql=[
        f"""
        CREATE OR REPLACE FUNCTION sharing_referral_sent_only_when_disclosed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NEW.status = 'draft' AND NEW.sent_at IS NULL THEN
                    RETURN NEW;
                END IF;
            ELSIF NEW.sent_at IS NOT DISTINCT FROM OLD.sent_at
                  AND NOT (OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'closed')) THEN
                RETURN NEW;
            END IF;
            IF NOT {_REFERRAL_DISCLOSED} THEN
                RAISE EXCEPTION '{NOT_SENT_THROUGH_THE_GATE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER sharing_referral_sent_only_when_disclosed "
        "BEFORE INSERT OR UPDATE ON sharing_referral FOR EACH ROW "
        "EXECUTE FUNCTION sharing_referral_sent_only_when_disclosed()",
    ],
    sqlite=[
        f"""
        CREATE TRIGGER sharing_referral_inserted_sent_only_when_disclosed
        BEFORE INSERT ON sharing_referral
        WHEN (NEW.status IS NOT 'draft' OR NEW.sent_at IS NOT NULL) AND NOT {_REFERRAL_DISCLOSED}
        BEGIN SELECT RAISE(ABORT, '{NOT_SENT_THROUGH_THE_GATE}'); END
        """,
        f"""
        CREATE TRIGGER sharing_referral_sent_only_when_disclosed
        BEFORE UPDATE ON sharing_referral
        WHEN (NEW.sent_at IS NOT OLD.sent_at
              OR (OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'closed')))
         AND NOT {_REFERRAL_DISCLOSED}
        BEGIN SELECT RAISE(ABORT, '{NOT_SENT_THROUGH_THE_GATE}'); END
        """,
    ],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed ON sharing_referral",
        "DROP FUNCTION IF EXISTS sharing_referral_sent_only_when_disclosed()",
    ],
    drop_sqlite=[
        "DROP TRIGGER IF EXISTS sharing_referral_inserted_sent_only_when_disclosed",
        "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed",
    ],
)

DISCLOSURES_APPEND_ONLY = append_only("sharing_disclosure", "disclosures")
DECISIONS_NOT_TO_SHARE_APPEND_ONLY = append_only(
    "sharing_decisionnottoshare", "decisions not to share"
)

# The columns of a consent that record its grant. Only revoked_at, revoked_by_id and
# revocation_reason may ever change, once, from empty to set.
_GRANT_COLUMNS = (
    "case_id",
    "request_id",
    "supersedes_id",
    "granted_by_official",
    "granted_by_user_id",
    "granted_at",
    "evidence",
    "evidence_content_type",
    "evidence_digest",
    "authority_reference",
    "purposes",
    "categories",
    "valid_from",
    "valid_until",
    "recorded_by_id",
    "recorded_at",
)
_GRANT_CHANGED_PG = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _GRANT_COLUMNS)
_GRANT_CHANGED_SQLITE = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _GRANT_COLUMNS)

CONSENT_GRANT_IS_FIXED = Guard(
    name="sharing_consent_grant_is_fixed",
    postgresql=[
        f"""
        CREATE OR REPLACE FUNCTION sharing_consent_grant_is_fixed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'consents are never deleted' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF {_GRANT_CHANGED_PG} THEN
                RAISE EXCEPTION 'a consent''s grant cannot change: record a new version' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF OLD.revoked_at IS NOT NULL THEN
                RAISE EXCEPTION 'a revoked consent stays revoked' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER sharing_consent_grant_is_fixed BEFORE UPDATE OR DELETE ON sharing_consent "
        "FOR EACH ROW EXECUTE FUNCTION sharing_consent_grant_is_fixed()",
        "CREATE TRIGGER sharing_consent_no_truncate BEFORE TRUNCATE ON sharing_consent "
        "FOR EACH STATEMENT EXECUTE FUNCTION sharing_consent_grant_is_fixed()",
        """
        CREATE OR REPLACE FUNCTION sharing_consent_recipients_are_fixed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF EXISTS (SELECT 1 FROM sharing_disclosure WHERE consent_id = NEW.consent_id) THEN
                    RAISE EXCEPTION 'a consent''s recipients cannot change once it has been relied on' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'a consent''s recipients cannot change: record a new version' USING ERRCODE = 'integrity_constraint_violation';
        END $$
        """,
        "CREATE TRIGGER sharing_consent_recipients_are_fixed BEFORE INSERT OR UPDATE OR DELETE "
        "ON sharing_consent_recipients FOR EACH ROW "
        "EXECUTE FUNCTION sharing_consent_recipients_are_fixed()",
        "CREATE TRIGGER sharing_consent_recipients_no_truncate BEFORE TRUNCATE "
        "ON sharing_consent_recipients FOR EACH STATEMENT "
        "EXECUTE FUNCTION sharing_consent_recipients_are_fixed()",
    ],
    sqlite=[
        f"""
        CREATE TRIGGER sharing_consent_grant_is_fixed BEFORE UPDATE ON sharing_consent
        WHEN {_GRANT_CHANGED_SQLITE}
        BEGIN SELECT RAISE(ABORT, 'a consent''s grant cannot change: record a new version'); END
        """,
        """
        CREATE TRIGGER sharing_consent_revocation_is_final BEFORE UPDATE ON sharing_consent
        WHEN OLD.revoked_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a revoked consent stays revoked'); END
        """,
        """
        CREATE TRIGGER sharing_consent_never_deleted BEFORE DELETE ON sharing_consent
        BEGIN SELECT RAISE(ABORT, 'consents are never deleted'); END
        """,
        """
        CREATE TRIGGER sharing_consent_recipients_fixed_once_relied_on
        BEFORE INSERT ON sharing_consent_recipients
        WHEN EXISTS (SELECT 1 FROM sharing_disclosure WHERE consent_id = NEW.consent_id)
        BEGIN SELECT RAISE(ABORT, 'a consent''s recipients cannot change once it has been relied on'); END
        """,
        """
        CREATE TRIGGER sharing_consent_recipients_no_update BEFORE UPDATE ON sharing_consent_recipients
        BEGIN SELECT RAISE(ABORT, 'a consent''s recipients cannot change: record a new version'); END
        """,
        """
        CREATE TRIGGER sharing_consent_recipients_no_delete BEFORE DELETE ON sharing_consent_recipients
        BEGIN SELECT RAISE(ABORT, 'a consent''s recipients cannot change: record a new version'); END
        """,
    ],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS sharing_consent_grant_is_fixed ON sharing_consent",
        "DROP TRIGGER IF EXISTS sharing_consent_no_truncate ON sharing_consent",
        "DROP FUNCTION IF EXISTS sharing_consent_grant_is_fixed()",
        "DROP TRIGGER IF EXISTS sharing_consent_recipients_are_fixed ON sharing_consent_recipients",
        "DROP TRIGGER IF EXISTS sharing_consent_recipients_no_truncate ON sharing_consent_recipients",
        "DROP FUNCTION IF EXISTS sharing_consent_recipients_are_fixed()",
    ],
    drop_sqlite=[
        "DROP TRIGGER IF EXISTS sharing_consent_grant_is_fixed",
        "DROP TRIGGER IF EXISTS sharing_consent_revocation_is_final",
        "DROP TRIGGER IF EXISTS sharing_consent_never_deleted",
        "DROP TRIGGER IF EXISTS sharing_consent_recipients_fixed_once_relied_on",
        "DROP TRIGGER IF EXISTS sharing_consent_recipients_no_update",
        "DROP TRIGGER IF EXISTS sharing_consent_recipients_no_delete",
    ],
)


RELEASED_CONTENT_NOT_EDITED = Guard(
    name="sharing_releasedcontent_not_edited",
    postgresql=[
        """
        CREATE OR REPLACE FUNCTION sharing_releasedcontent_not_edited() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'released content can be erased by retention, never edited'
                USING ERRCODE = 'integrity_constraint_violation';
        END $$
        """,
        "CREATE TRIGGER sharing_releasedcontent_not_edited BEFORE UPDATE ON sharing_releasedcontent "
        "FOR EACH ROW EXECUTE FUNCTION sharing_releasedcontent_not_edited()",
    ],
    sqlite=[
        "CREATE TRIGGER sharing_releasedcontent_not_edited BEFORE UPDATE ON sharing_releasedcontent "
        "BEGIN SELECT RAISE(ABORT, 'released content can be erased by retention, never edited'); END"
    ],
    drop_postgresql=[
        "DROP TRIGGER IF EXISTS sharing_releasedcontent_not_edited ON sharing_releasedcontent",
        "DROP FUNCTION IF EXISTS sharing_releasedcontent_not_edited()",
    ],
    drop_sqlite=["DROP TRIGGER IF EXISTS sharing_releasedcontent_not_edited"],
)
CORRECTION_NOTICES_APPEND_ONLY = append_only("sharing_correctionnotice", "correction notices")

ALL_GUARDS.extend(
    guard
    for guard in [
        DISCLOSURE_REQUIRES_CONSENT,
        DISCLOSURES_APPEND_ONLY,
        DECISIONS_NOT_TO_SHARE_APPEND_ONLY,
        CONSENT_GRANT_IS_FIXED,
        RELEASED_CONTENT_NOT_EDITED,
        CORRECTION_NOTICES_APPEND_ONLY,
        SPECIAL_CATEGORIES_NEED_A_CONDITION,
        REFERRAL_SENT_ONLY_WHEN_DISCLOSED,
    ]
    if guard not in ALL_GUARDS
)

# What the application's database role may do (create_app_role): add records, never rewrite them.
protect("sharing_disclosure")
protect("sharing_decisionnottoshare")
protect("sharing_consent", update_columns=("revoked_at", "revoked_by_id", "revocation_reason"))
protect("sharing_consent_recipients")
protect("sharing_releasedcontent", privileges=RETENTION)
protect("sharing_correctionnotice")
