"""The sharing guards' trigger SQL as each migration installed it, for each database.

Frozen: a constant here is never edited once a migration has used it, since databases already
migrated hold exactly that SQL. A guard's change adds a new constant, used by a new migration
(docs/decisions/0016-migrations-freeze-trigger-sql.md). The leading underscore keeps Django's
migration loader from reading this module as a migration.
"""

# sharing_disclosure_requires_consent
DISCLOSURE_REQUIRES_CONSENT = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_disclosure_requires_consent() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                granted sharing_consent%ROWTYPE;
            BEGIN
                -- FOR SHARE waits for a revocation in flight and then reads the revoked row: a plain SELECT
                -- would read the old version and let the disclosure commit after the revocation.
                SELECT * INTO granted FROM sharing_consent WHERE id = NEW.consent_id FOR SHARE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent does not exist' USING ERRCODE = 'check_violation';
                END IF;
                IF granted.case_id <> NEW.case_id THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent is for another case' USING ERRCODE = 'check_violation';
                END IF;
                IF NEW.disclosed_at < granted.valid_from THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent is not yet valid' USING ERRCODE = 'check_violation';
                END IF;
                IF NEW.disclosed_at >= granted.valid_until THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent has expired' USING ERRCODE = 'check_violation';
                END IF;
                IF granted.revoked_at IS NOT NULL AND NEW.disclosed_at >= granted.revoked_at THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent was revoked' USING ERRCODE = 'check_violation';
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM sharing_consent_recipients
                    WHERE consent_id = NEW.consent_id AND agency_id = NEW.recipient_id
                ) THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent does not name this agency' USING ERRCODE = 'check_violation';
                END IF;
                IF NOT (granted.purposes ? NEW.purpose) THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent does not cover this purpose' USING ERRCODE = 'check_violation';
                END IF;
                IF jsonb_typeof(NEW.categories) <> 'array' OR jsonb_array_length(NEW.categories) = 0
                   OR NOT (granted.categories @> NEW.categories) THEN
                    RAISE EXCEPTION 'no consent covers this disclosure: the consent does not cover every category' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER sharing_disclosure_requires_consent
            BEFORE INSERT ON sharing_disclosure
            FOR EACH ROW EXECUTE FUNCTION sharing_disclosure_requires_consent()
            """,
        ],
        "sqlite": [
            """
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
                SELECT RAISE(ABORT, 'no consent covers this disclosure');
            END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_disclosure_requires_consent ON sharing_disclosure",
            "DROP FUNCTION IF EXISTS sharing_disclosure_requires_consent()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_disclosure_requires_consent",
        ],
    },
}


# sharing_disclosure_append_only
DISCLOSURES_APPEND_ONLY = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_disclosure_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'disclosures are append-only: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            """
            CREATE TRIGGER sharing_disclosure_no_change
            BEFORE UPDATE OR DELETE ON sharing_disclosure
            FOR EACH ROW EXECUTE FUNCTION sharing_disclosure_refuse_change()
            """,
            """
            CREATE TRIGGER sharing_disclosure_no_truncate
            BEFORE TRUNCATE ON sharing_disclosure
            FOR EACH STATEMENT EXECUTE FUNCTION sharing_disclosure_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_disclosure_no_update
            BEFORE UPDATE ON sharing_disclosure
            BEGIN SELECT RAISE(ABORT, 'disclosures are append-only: UPDATE refused'); END
            """,
            """
            CREATE TRIGGER sharing_disclosure_no_delete
            BEFORE DELETE ON sharing_disclosure
            BEGIN SELECT RAISE(ABORT, 'disclosures are append-only: DELETE refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_disclosure_no_change ON sharing_disclosure",
            "DROP TRIGGER IF EXISTS sharing_disclosure_no_truncate ON sharing_disclosure",
            "DROP FUNCTION IF EXISTS sharing_disclosure_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_disclosure_no_update",
            "DROP TRIGGER IF EXISTS sharing_disclosure_no_delete",
        ],
    },
}


# sharing_decisionnottoshare_append_only
DECISIONS_NOT_TO_SHARE_APPEND_ONLY = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_decisionnottoshare_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'decisions not to share are append-only: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            """
            CREATE TRIGGER sharing_decisionnottoshare_no_change
            BEFORE UPDATE OR DELETE ON sharing_decisionnottoshare
            FOR EACH ROW EXECUTE FUNCTION sharing_decisionnottoshare_refuse_change()
            """,
            """
            CREATE TRIGGER sharing_decisionnottoshare_no_truncate
            BEFORE TRUNCATE ON sharing_decisionnottoshare
            FOR EACH STATEMENT EXECUTE FUNCTION sharing_decisionnottoshare_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_decisionnottoshare_no_update
            BEFORE UPDATE ON sharing_decisionnottoshare
            BEGIN SELECT RAISE(ABORT, 'decisions not to share are append-only: UPDATE refused'); END
            """,
            """
            CREATE TRIGGER sharing_decisionnottoshare_no_delete
            BEFORE DELETE ON sharing_decisionnottoshare
            BEGIN SELECT RAISE(ABORT, 'decisions not to share are append-only: DELETE refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            """
            DROP TRIGGER IF EXISTS sharing_decisionnottoshare_no_change ON sharing_decisionnottoshare
            """,
            """
            DROP TRIGGER IF EXISTS sharing_decisionnottoshare_no_truncate ON sharing_decisionnottoshare
            """,
            "DROP FUNCTION IF EXISTS sharing_decisionnottoshare_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_decisionnottoshare_no_update",
            "DROP TRIGGER IF EXISTS sharing_decisionnottoshare_no_delete",
        ],
    },
}


# sharing_consent_grant_is_fixed
CONSENT_GRANT_IS_FIXED = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_consent_grant_is_fixed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    RAISE EXCEPTION 'consents are never deleted' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF NEW.case_id IS DISTINCT FROM OLD.case_id
                    OR NEW.request_id IS DISTINCT FROM OLD.request_id
                    OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
                    OR NEW.granted_by_official IS DISTINCT FROM OLD.granted_by_official
                    OR NEW.granted_by_user_id IS DISTINCT FROM OLD.granted_by_user_id
                    OR NEW.granted_at IS DISTINCT FROM OLD.granted_at
                    OR NEW.evidence IS DISTINCT FROM OLD.evidence
                    OR NEW.evidence_content_type IS DISTINCT FROM OLD.evidence_content_type
                    OR NEW.evidence_digest IS DISTINCT FROM OLD.evidence_digest
                    OR NEW.authority_reference IS DISTINCT FROM OLD.authority_reference
                    OR NEW.purposes IS DISTINCT FROM OLD.purposes
                    OR NEW.categories IS DISTINCT FROM OLD.categories
                    OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
                    OR NEW.valid_until IS DISTINCT FROM OLD.valid_until
                    OR NEW.recorded_by_id IS DISTINCT FROM OLD.recorded_by_id
                    OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at THEN
                    RAISE EXCEPTION 'a consent''s grant cannot change: record a new version' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                IF OLD.revoked_at IS NOT NULL THEN
                    RAISE EXCEPTION 'a revoked consent stays revoked' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER sharing_consent_grant_is_fixed
            BEFORE UPDATE OR DELETE ON sharing_consent
            FOR EACH ROW EXECUTE FUNCTION sharing_consent_grant_is_fixed()
            """,
            """
            CREATE TRIGGER sharing_consent_no_truncate
            BEFORE TRUNCATE ON sharing_consent
            FOR EACH STATEMENT EXECUTE FUNCTION sharing_consent_grant_is_fixed()
            """,
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
            """
            CREATE TRIGGER sharing_consent_recipients_are_fixed
            BEFORE INSERT OR UPDATE OR DELETE ON sharing_consent_recipients
            FOR EACH ROW EXECUTE FUNCTION sharing_consent_recipients_are_fixed()
            """,
            """
            CREATE TRIGGER sharing_consent_recipients_no_truncate
            BEFORE TRUNCATE ON sharing_consent_recipients
            FOR EACH STATEMENT EXECUTE FUNCTION sharing_consent_recipients_are_fixed()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_consent_grant_is_fixed BEFORE UPDATE ON sharing_consent
            WHEN NEW.case_id IS NOT OLD.case_id
                OR NEW.request_id IS NOT OLD.request_id
                OR NEW.supersedes_id IS NOT OLD.supersedes_id
                OR NEW.granted_by_official IS NOT OLD.granted_by_official
                OR NEW.granted_by_user_id IS NOT OLD.granted_by_user_id
                OR NEW.granted_at IS NOT OLD.granted_at
                OR NEW.evidence IS NOT OLD.evidence
                OR NEW.evidence_content_type IS NOT OLD.evidence_content_type
                OR NEW.evidence_digest IS NOT OLD.evidence_digest
                OR NEW.authority_reference IS NOT OLD.authority_reference
                OR NEW.purposes IS NOT OLD.purposes
                OR NEW.categories IS NOT OLD.categories
                OR NEW.valid_from IS NOT OLD.valid_from
                OR NEW.valid_until IS NOT OLD.valid_until
                OR NEW.recorded_by_id IS NOT OLD.recorded_by_id
                OR NEW.recorded_at IS NOT OLD.recorded_at
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
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_consent_grant_is_fixed ON sharing_consent",
            "DROP TRIGGER IF EXISTS sharing_consent_no_truncate ON sharing_consent",
            "DROP FUNCTION IF EXISTS sharing_consent_grant_is_fixed()",
            """
            DROP TRIGGER IF EXISTS sharing_consent_recipients_are_fixed ON sharing_consent_recipients
            """,
            """
            DROP TRIGGER IF EXISTS sharing_consent_recipients_no_truncate ON sharing_consent_recipients
            """,
            "DROP FUNCTION IF EXISTS sharing_consent_recipients_are_fixed()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_consent_grant_is_fixed",
            "DROP TRIGGER IF EXISTS sharing_consent_revocation_is_final",
            "DROP TRIGGER IF EXISTS sharing_consent_never_deleted",
            "DROP TRIGGER IF EXISTS sharing_consent_recipients_fixed_once_relied_on",
            "DROP TRIGGER IF EXISTS sharing_consent_recipients_no_update",
            "DROP TRIGGER IF EXISTS sharing_consent_recipients_no_delete",
        ],
    },
}


# sharing_releasedcontent_not_edited
RELEASED_CONTENT_NOT_EDITED = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_releasedcontent_not_edited() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'released content can be erased by retention, never edited'
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            """
            CREATE TRIGGER sharing_releasedcontent_not_edited
            BEFORE UPDATE ON sharing_releasedcontent
            FOR EACH ROW EXECUTE FUNCTION sharing_releasedcontent_not_edited()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_releasedcontent_not_edited
            BEFORE UPDATE ON sharing_releasedcontent
            BEGIN SELECT RAISE(ABORT, 'released content can be erased by retention, never edited'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_releasedcontent_not_edited ON sharing_releasedcontent",
            "DROP FUNCTION IF EXISTS sharing_releasedcontent_not_edited()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_releasedcontent_not_edited",
        ],
    },
}


# sharing_correctionnotice_append_only
CORRECTION_NOTICES_APPEND_ONLY = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_correctionnotice_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'correction notices are append-only: % refused', TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """,
            """
            CREATE TRIGGER sharing_correctionnotice_no_change
            BEFORE UPDATE OR DELETE ON sharing_correctionnotice
            FOR EACH ROW EXECUTE FUNCTION sharing_correctionnotice_refuse_change()
            """,
            """
            CREATE TRIGGER sharing_correctionnotice_no_truncate
            BEFORE TRUNCATE ON sharing_correctionnotice
            FOR EACH STATEMENT EXECUTE FUNCTION sharing_correctionnotice_refuse_change()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_correctionnotice_no_update
            BEFORE UPDATE ON sharing_correctionnotice
            BEGIN SELECT RAISE(ABORT, 'correction notices are append-only: UPDATE refused'); END
            """,
            """
            CREATE TRIGGER sharing_correctionnotice_no_delete
            BEFORE DELETE ON sharing_correctionnotice
            BEGIN SELECT RAISE(ABORT, 'correction notices are append-only: DELETE refused'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_correctionnotice_no_change ON sharing_correctionnotice",
            """
            DROP TRIGGER IF EXISTS sharing_correctionnotice_no_truncate ON sharing_correctionnotice
            """,
            "DROP FUNCTION IF EXISTS sharing_correctionnotice_refuse_change()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_correctionnotice_no_update",
            "DROP TRIGGER IF EXISTS sharing_correctionnotice_no_delete",
        ],
    },
}


# sharing_disclosure_special_categories_need_a_condition
SPECIAL_CATEGORIES_NEED_A_CONDITION = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_disclosure_special_categories_need_a_condition()
            RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF jsonb_typeof(NEW.categories) = 'array'
                   AND NEW.categories ?| ARRAY['health', 'vulnerabilities']
                   AND NEW.special_category_condition IN ('', 'not_applicable') THEN
                    RAISE EXCEPTION 'special-category data needs an Article 9 condition' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER sharing_disclosure_special_categories_need_a_condition
            BEFORE INSERT ON sharing_disclosure
            FOR EACH ROW EXECUTE FUNCTION sharing_disclosure_special_categories_need_a_condition()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_disclosure_special_categories_need_a_condition
            BEFORE INSERT ON sharing_disclosure
            WHEN NEW.special_category_condition IN ('', 'not_applicable')
             AND json_valid(NEW.categories)
             AND EXISTS (
                 SELECT 1 FROM json_each(NEW.categories) WHERE value IN ('health', 'vulnerabilities')
             )
            BEGIN SELECT RAISE(ABORT, 'special-category data needs an Article 9 condition'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            """
            DROP TRIGGER IF EXISTS sharing_disclosure_special_categories_need_a_condition ON sharing_disclosure
            """,
            "DROP FUNCTION IF EXISTS sharing_disclosure_special_categories_need_a_condition()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_disclosure_special_categories_need_a_condition",
        ],
    },
}


# As 0008 installed it: a referral leaves draft only with its disclosure.
# sharing_referral_sent_only_when_disclosed
REFERRAL_SENT_ONLY_WHEN_DISCLOSED_AS_OF_0008 = {
    "install": {
        "postgresql": [
            """
            CREATE OR REPLACE FUNCTION sharing_referral_sent_only_when_disclosed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    IF NEW.status = 'draft' AND NEW.sent_at IS NULL THEN
                        RETURN NEW;
                    END IF;
                ELSIF NEW.sent_at IS NOT DISTINCT FROM OLD.sent_at
                      AND NOT (OLD.status = 'draft' AND NEW.status <> 'draft') THEN
                    RETURN NEW;
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM sharing_disclosure AS released
                    WHERE released.source_type = 'sharing.referral'
                      AND released.source_id = CAST(NEW.id AS TEXT)
                      AND released.case_id = NEW.case_id
                      AND released.recipient_id = NEW.agency_id
                      AND released.disclosed_at = NEW.sent_at
                ) THEN
                    RAISE EXCEPTION 'a referral is sent only by disclosing it through the consent gate' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER sharing_referral_sent_only_when_disclosed
            BEFORE INSERT OR UPDATE ON sharing_referral
            FOR EACH ROW EXECUTE FUNCTION sharing_referral_sent_only_when_disclosed()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_referral_inserted_sent_only_when_disclosed
            BEFORE INSERT ON sharing_referral
            WHEN (NEW.status IS NOT 'draft' OR NEW.sent_at IS NOT NULL) AND NOT EXISTS (
                SELECT 1 FROM sharing_disclosure AS released
                WHERE released.source_type = 'sharing.referral'
                  AND released.source_id = CAST(NEW.id AS TEXT)
                  AND released.case_id = NEW.case_id
                  AND released.recipient_id = NEW.agency_id
                  AND released.disclosed_at = NEW.sent_at
            )
            BEGIN SELECT RAISE(ABORT, 'a referral is sent only by disclosing it through the consent gate'); END
            """,
            """
            CREATE TRIGGER sharing_referral_sent_only_when_disclosed
            BEFORE UPDATE ON sharing_referral
            WHEN (NEW.sent_at IS NOT OLD.sent_at
                  OR (OLD.status = 'draft' AND NEW.status IS NOT 'draft'))
             AND NOT EXISTS (
                SELECT 1 FROM sharing_disclosure AS released
                WHERE released.source_type = 'sharing.referral'
                  AND released.source_id = CAST(NEW.id AS TEXT)
                  AND released.case_id = NEW.case_id
                  AND released.recipient_id = NEW.agency_id
                  AND released.disclosed_at = NEW.sent_at
            )
            BEGIN SELECT RAISE(ABORT, 'a referral is sent only by disclosing it through the consent gate'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed ON sharing_referral",
            "DROP FUNCTION IF EXISTS sharing_referral_sent_only_when_disclosed()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_referral_inserted_sent_only_when_disclosed",
            "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed",
        ],
    },
}


# As 0009 installs it: a draft may also close unsent.
# sharing_referral_sent_only_when_disclosed, letting a draft close unsent
REFERRAL_SENT_ONLY_WHEN_DISCLOSED = {
    "install": {
        "postgresql": [
            """
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
                IF NOT EXISTS (
                    SELECT 1 FROM sharing_disclosure AS released
                    WHERE released.source_type = 'sharing.referral'
                      AND released.source_id = CAST(NEW.id AS TEXT)
                      AND released.case_id = NEW.case_id
                      AND released.recipient_id = NEW.agency_id
                      AND released.disclosed_at = NEW.sent_at
                ) THEN
                    RAISE EXCEPTION 'a referral is sent only by disclosing it through the consent gate' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER sharing_referral_sent_only_when_disclosed
            BEFORE INSERT OR UPDATE ON sharing_referral
            FOR EACH ROW EXECUTE FUNCTION sharing_referral_sent_only_when_disclosed()
            """,
        ],
        "sqlite": [
            """
            CREATE TRIGGER sharing_referral_inserted_sent_only_when_disclosed
            BEFORE INSERT ON sharing_referral
            WHEN (NEW.status IS NOT 'draft' OR NEW.sent_at IS NOT NULL) AND NOT EXISTS (
                SELECT 1 FROM sharing_disclosure AS released
                WHERE released.source_type = 'sharing.referral'
                  AND released.source_id = CAST(NEW.id AS TEXT)
                  AND released.case_id = NEW.case_id
                  AND released.recipient_id = NEW.agency_id
                  AND released.disclosed_at = NEW.sent_at
            )
            BEGIN SELECT RAISE(ABORT, 'a referral is sent only by disclosing it through the consent gate'); END
            """,
            """
            CREATE TRIGGER sharing_referral_sent_only_when_disclosed
            BEFORE UPDATE ON sharing_referral
            WHEN (NEW.sent_at IS NOT OLD.sent_at
                  OR (OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'closed')))
             AND NOT EXISTS (
                SELECT 1 FROM sharing_disclosure AS released
                WHERE released.source_type = 'sharing.referral'
                  AND released.source_id = CAST(NEW.id AS TEXT)
                  AND released.case_id = NEW.case_id
                  AND released.recipient_id = NEW.agency_id
                  AND released.disclosed_at = NEW.sent_at
            )
            BEGIN SELECT RAISE(ABORT, 'a referral is sent only by disclosing it through the consent gate'); END
            """,
        ],
    },
    "remove": {
        "postgresql": [
            "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed ON sharing_referral",
            "DROP FUNCTION IF EXISTS sharing_referral_sent_only_when_disclosed()",
        ],
        "sqlite": [
            "DROP TRIGGER IF EXISTS sharing_referral_inserted_sent_only_when_disclosed",
            "DROP TRIGGER IF EXISTS sharing_referral_sent_only_when_disclosed",
        ],
    },
}
