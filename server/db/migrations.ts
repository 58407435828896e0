import type { Database } from 'better-sqlite3';
import type { Pool } from 'pg';

/** One schema step, with its SQL for each dialect (same tables, same names, same constraints). */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/**
 * The tables a certificate is built from: the register (residents, households, the municipalities'
 * rules) and the municipal registers (印鑑, 税, 戸籍, 附票, 利用登録). A change to any of them moves
 * `register_version` on (migration 18).
 */
export const REGISTER_TABLES = [
  'municipalities',
  'households',
  'residents',
  'inkan_registrations',
  'inkan_abolitions',
  'tax_assessments',
  'koseki_records',
  'fuhyo_records',
  'koseki_use_registrations',
] as const;

const BUMP_REGISTER_VERSION = 'UPDATE register_version SET version = version + 1 WHERE id = 1';

/** SQLite: a trigger per table and change (SQLite's triggers are per row; an unchanged upsert is no UPDATE, see the stores). */
function sqliteRegisterVersionTriggers(): string {
  return REGISTER_TABLES.flatMap((table) =>
    (['INSERT', 'UPDATE', 'DELETE'] as const).map(
      (change) =>
        `CREATE TRIGGER ${table}_${change.toLowerCase()}_moves_register_version AFTER ${change} ON ${table}
         BEGIN ${BUMP_REGISTER_VERSION}; END;`,
    ),
  ).join('\n');
}

/**
 * PostgreSQL, as migration 18 made them: one function, a trigger per table; an UPDATE that
 * changes nothing (a reloaded row) does not count. Migration 19 defers them to the commit.
 */
function postgresRegisterVersionTriggers(): string {
  return [
    `CREATE FUNCTION move_register_version() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN ${BUMP_REGISTER_VERSION}; RETURN NULL; END $$;`,
    ...REGISTER_TABLES.flatMap((table) => [
      `CREATE TRIGGER ${table}_changes_move_register_version AFTER INSERT OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION move_register_version();`,
      `CREATE TRIGGER ${table}_updates_move_register_version AFTER UPDATE ON ${table}
       FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION move_register_version();`,
    ]),
  ].join('\n');
}

/**
 * PostgreSQL since migration 19: the same triggers, deferred to the commit. Run at once, a trigger
 * locked the version's row in the middle of a transaction: a register load (many rows in one
 * transaction) could hold it while waiting for a row that a one-row write held, and that write
 * waited for the version's row: a deadlock. Deferred, a transaction takes the version's row at its
 * commit, after every other row lock it takes, so it never waits for a row while holding it.
 */
function postgresDeferredRegisterVersionTriggers(): string {
  return REGISTER_TABLES.flatMap((table) => [
    `DROP TRIGGER ${table}_changes_move_register_version ON ${table};`,
    `DROP TRIGGER ${table}_updates_move_register_version ON ${table};`,
    `CREATE CONSTRAINT TRIGGER ${table}_changes_move_register_version AFTER INSERT OR DELETE ON ${table}
     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION move_register_version();`,
    `CREATE CONSTRAINT TRIGGER ${table}_updates_move_register_version AFTER UPDATE ON ${table}
     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
     EXECUTE FUNCTION move_register_version();`,
  ]).join('\n');
}

/** One numbered list for both dialects: applied in order, each once, recorded in schema_migrations. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'register',
    sqlite: `
      CREATE TABLE municipalities (
        code TEXT PRIMARY KEY,
        config_json TEXT NOT NULL
      ) STRICT;
      CREATE TABLE households (
        household_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        address TEXT NOT NULL
      ) STRICT;
      CREATE TABLE residents (
        holder_id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(household_id),
        household_order INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('resident', 'moved-out', 'deceased')),
        record_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX residents_household ON residents(household_id, household_order);
    `,
    postgres: `
      CREATE TABLE municipalities (
        code TEXT PRIMARY KEY,
        config_json TEXT NOT NULL
      );
      CREATE TABLE households (
        household_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        address TEXT NOT NULL
      );
      CREATE TABLE residents (
        holder_id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(household_id),
        household_order INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('resident', 'moved-out', 'deceased')),
        record_json TEXT NOT NULL
      );
      CREATE INDEX residents_household ON residents(household_id, household_order);
    `,
  },
  {
    version: 2,
    name: 'certificates',
    sqlite: `
      CREATE TABLE certificate_registry (
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        holder_id TEXT NOT NULL REFERENCES residents(holder_id),
        PRIMARY KEY (ca_fingerprint, serial_hex)
      ) STRICT;
      CREATE TABLE revoked_certificates (
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        revoked_at INTEGER NOT NULL,
        PRIMARY KEY (ca_fingerprint, serial_hex)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE certificate_registry (
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        holder_id TEXT NOT NULL REFERENCES residents(holder_id),
        PRIMARY KEY (ca_fingerprint, serial_hex)
      );
      CREATE TABLE revoked_certificates (
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        revoked_at BIGINT NOT NULL,
        PRIMARY KEY (ca_fingerprint, serial_hex)
      );
    `,
  },
  {
    version: 3,
    name: 'transactions',
    sqlite: `
      CREATE TABLE challenges (
        challenge TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        transaction_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE INDEX challenges_expiry ON challenges(expires_at);
      CREATE TABLE sessions (
        transaction_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        holder_id TEXT NOT NULL REFERENCES residents(holder_id),
        certificate_fingerprint TEXT NOT NULL,
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        authenticated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE issued_documents (
        transaction_id TEXT PRIMARY KEY REFERENCES sessions(transaction_id),
        holder_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        certificate_type TEXT NOT NULL,
        copies INTEGER NOT NULL,
        document_json TEXT NOT NULL,
        seal BLOB NOT NULL,
        issued_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE billing_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        transaction_id TEXT NOT NULL UNIQUE REFERENCES issued_documents(transaction_id),
        municipality_code TEXT NOT NULL,
        certificate_type TEXT NOT NULL,
        copies INTEGER NOT NULL,
        fee_yen_total INTEGER NOT NULL,
        billed_at INTEGER NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE challenges (
        challenge TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        transaction_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );
      CREATE INDEX challenges_expiry ON challenges(expires_at);
      CREATE TABLE sessions (
        transaction_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        holder_id TEXT NOT NULL REFERENCES residents(holder_id),
        certificate_fingerprint TEXT NOT NULL,
        ca_fingerprint TEXT NOT NULL,
        serial_hex TEXT NOT NULL,
        authenticated_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE TABLE issued_documents (
        transaction_id TEXT PRIMARY KEY REFERENCES sessions(transaction_id),
        holder_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        certificate_type TEXT NOT NULL,
        copies INTEGER NOT NULL,
        document_json TEXT NOT NULL,
        seal BYTEA NOT NULL,
        issued_at BIGINT NOT NULL
      );
      CREATE TABLE billing_records (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id TEXT NOT NULL UNIQUE REFERENCES issued_documents(transaction_id),
        municipality_code TEXT NOT NULL,
        certificate_type TEXT NOT NULL,
        copies INTEGER NOT NULL,
        fee_yen_total INTEGER NOT NULL,
        billed_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'municipality-keys',
    sqlite: `
      CREATE TABLE municipality_keys (
        kid TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        private_key_pkcs8 BLOB NOT NULL,
        public_key_spki BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX municipality_keys_code ON municipality_keys(municipality_code, created_at);
    `,
    postgres: `
      CREATE TABLE municipality_keys (
        kid TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL REFERENCES municipalities(code),
        private_key_pkcs8 BYTEA NOT NULL,
        public_key_spki BYTEA NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX municipality_keys_code ON municipality_keys(municipality_code, created_at);
    `,
  },
  {
    version: 5,
    name: 'municipal-registers',
    // 印鑑登録, 課税, 戸籍, 附票 as loaded from the register (upserted at start); abolitions and
    // 利用登録 are the municipalities' own changes and are never overwritten by a load.
    sqlite: `
      CREATE TABLE inkan_registrations (
        holder_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('registered', 'abolished')),
        record_json TEXT NOT NULL
      ) STRICT;
      CREATE TABLE inkan_abolitions (
        holder_id TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        abolished_on TEXT NOT NULL,
        PRIMARY KEY (holder_id, registration_number)
      ) STRICT;
      CREATE TABLE tax_assessments (
        holder_id TEXT NOT NULL,
        fiscal_year INTEGER NOT NULL,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL,
        PRIMARY KEY (holder_id, fiscal_year)
      ) STRICT;
      CREATE TABLE koseki_records (
        koseki_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL
      ) STRICT;
      CREATE TABLE fuhyo_records (
        holder_id TEXT PRIMARY KEY,
        koseki_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL
      ) STRICT;
      CREATE TABLE koseki_use_registrations (
        request_id TEXT PRIMARY KEY,
        holder_id TEXT NOT NULL,
        honseki_municipality_code TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        filed_at INTEGER NOT NULL,
        decided_at INTEGER
      ) STRICT;
      CREATE INDEX koseki_use_registrations_holder
        ON koseki_use_registrations(holder_id, honseki_municipality_code, filed_at);
      CREATE INDEX koseki_use_registrations_honseki
        ON koseki_use_registrations(honseki_municipality_code, filed_at);
      -- At most one open (pending or approved) request per person and 本籍地, whichever centre files it.
      CREATE UNIQUE INDEX koseki_use_registrations_open
        ON koseki_use_registrations(holder_id, honseki_municipality_code)
        WHERE status IN ('pending', 'approved');
    `,
    postgres: `
      CREATE TABLE inkan_registrations (
        holder_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('registered', 'abolished')),
        record_json TEXT NOT NULL
      );
      CREATE TABLE inkan_abolitions (
        holder_id TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        abolished_on TEXT NOT NULL,
        PRIMARY KEY (holder_id, registration_number)
      );
      CREATE TABLE tax_assessments (
        holder_id TEXT NOT NULL,
        fiscal_year INTEGER NOT NULL,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL,
        PRIMARY KEY (holder_id, fiscal_year)
      );
      CREATE TABLE koseki_records (
        koseki_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE TABLE fuhyo_records (
        holder_id TEXT PRIMARY KEY,
        koseki_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE TABLE koseki_use_registrations (
        request_id TEXT PRIMARY KEY,
        holder_id TEXT NOT NULL,
        honseki_municipality_code TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        filed_at BIGINT NOT NULL,
        decided_at BIGINT
      );
      CREATE INDEX koseki_use_registrations_holder
        ON koseki_use_registrations(holder_id, honseki_municipality_code, filed_at);
      CREATE INDEX koseki_use_registrations_honseki
        ON koseki_use_registrations(honseki_municipality_code, filed_at);
      -- At most one open (pending or approved) request per person and 本籍地, whichever centre files it.
      CREATE UNIQUE INDEX koseki_use_registrations_open
        ON koseki_use_registrations(holder_id, honseki_municipality_code)
        WHERE status IN ('pending', 'approved');
    `,
  },
  {
    version: 6,
    name: 'municipal-rules-provenance',
    // Who last set each municipality's rules: a register load rewrites only the seed's own rows, so
    // rules a municipality changed through the admin API survive restarts. Rows already stored
    // count as the seed's (set_at unknown).
    sqlite: `
      ALTER TABLE municipalities ADD COLUMN rules_set_by TEXT NOT NULL DEFAULT 'seed'
        CHECK (rules_set_by IN ('seed', 'admin'));
      ALTER TABLE municipalities ADD COLUMN rules_set_at INTEGER;
    `,
    postgres: `
      ALTER TABLE municipalities ADD COLUMN rules_set_by TEXT NOT NULL DEFAULT 'seed'
        CHECK (rules_set_by IN ('seed', 'admin'));
      ALTER TABLE municipalities ADD COLUMN rules_set_at BIGINT;
    `,
  },
  {
    version: 7,
    name: 'seal-keys-in-hsm',
    // The municipal seal keys' private halves move to an HSM (PKCS#11): the column that held them
    // is dropped. Keys recorded before this step keep verifying the seals they made (status
    // 'retired', valid for two years from their creation) but never sign again. One active key per
    // municipality (a partial unique index), and every change is audited in seal_key_events.
    sqlite: `
      ALTER TABLE municipality_keys DROP COLUMN private_key_pkcs8;
      ALTER TABLE municipality_keys ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE municipality_keys ADD COLUMN valid_to INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE municipality_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'retired'
        CHECK (status IN ('active', 'retired', 'revoked'));
      ALTER TABLE municipality_keys ADD COLUMN revoked_at INTEGER;
      UPDATE municipality_keys SET valid_from = created_at, valid_to = created_at + 63072000000;
      CREATE UNIQUE INDEX municipality_keys_one_active ON municipality_keys(municipality_code)
        WHERE status = 'active';
      CREATE TABLE seal_key_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('created', 'retired', 'revoked')),
        kid TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        detail TEXT NOT NULL
      ) STRICT;
      CREATE INDEX seal_key_events_code ON seal_key_events(municipality_code, id);
    `,
    postgres: `
      ALTER TABLE municipality_keys DROP COLUMN private_key_pkcs8;
      ALTER TABLE municipality_keys ADD COLUMN valid_from BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE municipality_keys ADD COLUMN valid_to BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE municipality_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'retired'
        CHECK (status IN ('active', 'retired', 'revoked'));
      ALTER TABLE municipality_keys ADD COLUMN revoked_at BIGINT;
      UPDATE municipality_keys SET valid_from = created_at, valid_to = created_at + 63072000000;
      CREATE UNIQUE INDEX municipality_keys_one_active ON municipality_keys(municipality_code)
        WHERE status = 'active';
      CREATE TABLE seal_key_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('created', 'retired', 'revoked')),
        kid TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX seal_key_events_code ON seal_key_events(municipality_code, id);
    `,
  },
  {
    version: 8,
    name: 'billing-follows-delivery',
    // Issuance is recorded at issue as `pending`; the kiosk's delivery report bills it (`billed`,
    // fee × copies delivered) or voids it. Rows written before count as billed at issue.
    sqlite: `
      ALTER TABLE billing_records ADD COLUMN state TEXT NOT NULL DEFAULT 'billed'
        CHECK (state IN ('pending', 'billed', 'voided'));
      ALTER TABLE billing_records ADD COLUMN delivered_copies INTEGER;
      ALTER TABLE billing_records ADD COLUMN billed_yen INTEGER;
      ALTER TABLE billing_records ADD COLUMN settled_at INTEGER;
      UPDATE billing_records SET delivered_copies = copies, billed_yen = fee_yen_total, settled_at = billed_at;
      CREATE INDEX billing_records_state ON billing_records(state);
    `,
    postgres: `
      ALTER TABLE billing_records ADD COLUMN state TEXT NOT NULL DEFAULT 'billed'
        CHECK (state IN ('pending', 'billed', 'voided'));
      ALTER TABLE billing_records ADD COLUMN delivered_copies INTEGER;
      ALTER TABLE billing_records ADD COLUMN billed_yen INTEGER;
      ALTER TABLE billing_records ADD COLUMN settled_at BIGINT;
      UPDATE billing_records SET delivered_copies = copies, billed_yen = fee_yen_total, settled_at = billed_at;
      CREATE INDEX billing_records_state ON billing_records(state);
    `,
  },
  {
    version: 9,
    name: 'issued-documents-retention',
    // Retention and replay: the document and its seal (names, birth dates, 本籍, tax amounts) are
    // kept only until delivery is confirmed or a short configured time has passed, then emptied;
    // ids, hashes and billing stay. request_sha256 is what an idempotent retry must repeat exactly.
    sqlite: `
      ALTER TABLE issued_documents ADD COLUMN request_sha256 TEXT;
      ALTER TABLE issued_documents ADD COLUMN document_sha256 TEXT;
      ALTER TABLE issued_documents ADD COLUMN purged_at INTEGER;
      CREATE INDEX issued_documents_kept ON issued_documents(issued_at) WHERE purged_at IS NULL;
    `,
    postgres: `
      ALTER TABLE issued_documents ADD COLUMN request_sha256 TEXT;
      ALTER TABLE issued_documents ADD COLUMN document_sha256 TEXT;
      ALTER TABLE issued_documents ADD COLUMN purged_at BIGINT;
      CREATE INDEX issued_documents_kept ON issued_documents(issued_at) WHERE purged_at IS NULL;
    `,
  },
  {
    version: 10,
    name: 'pin-reset-grants',
    // PIN reset (issue 11): one grant per card (sha256 of its auth certificate), from a face check on
    // the phone; the one-time password only as a scrypt hash with its salt (none in bound-card mode).
    sqlite: `
      CREATE TABLE pin_reset_grants (
        card_binding TEXT PRIMARY KEY,
        holder_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('password', 'bound-card')),
        password_salt TEXT,
        password_hash TEXT,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        failed_tries INTEGER NOT NULL DEFAULT 0,
        used_at INTEGER,
        CHECK ((mode = 'password') = (password_hash IS NOT NULL AND password_salt IS NOT NULL))
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE pin_reset_grants (
        card_binding TEXT PRIMARY KEY,
        holder_id TEXT NOT NULL,
        municipality_code TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('password', 'bound-card')),
        password_salt TEXT,
        password_hash TEXT,
        issued_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        failed_tries INTEGER NOT NULL DEFAULT 0,
        used_at BIGINT,
        CHECK ((mode = 'password') = (password_hash IS NOT NULL AND password_salt IS NOT NULL))
      );
    `,
  },
  {
    version: 11,
    name: 'fleet-terminal-health',
    // The fleet (server/fleet/): the last signed heartbeat of each kiosk terminal — its health
    // (devices, supplies, the link; never a resident's data) and the signature that proves it.
    sqlite: `
      CREATE TABLE terminal_health (
        terminal_id TEXT PRIMARY KEY,
        store_code TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        certificate_not_after INTEGER NOT NULL,
        health TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE terminal_health (
        terminal_id TEXT PRIMARY KEY,
        store_code TEXT NOT NULL,
        sent_at BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        certificate_not_after BIGINT NOT NULL,
        health TEXT NOT NULL,
        signature TEXT NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: 'municipal-console',
    // The municipal console (server/console/): its users (Argon2id hashes, lock-out), sessions
    // (only the token's SHA-256 is kept), the append-only audit trail (triggers refuse UPDATE and
    // DELETE) and the municipalities' DV 支援措置 decisions, applied over every register load.
    sqlite: `
      CREATE TABLE console_users (
        user_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        login TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'dv-officer', 'auditor', 'admin')),
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE console_sessions (
        token_sha256 TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES console_users(user_id),
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE console_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        municipality_code TEXT NOT NULL,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        restricted INTEGER NOT NULL DEFAULT 0,
        before_json TEXT,
        after_json TEXT
      ) STRICT;
      CREATE INDEX console_audit_code ON console_audit(municipality_code, id);
      CREATE TRIGGER console_audit_no_update BEFORE UPDATE ON console_audit
        BEGIN SELECT RAISE(ABORT, 'console_audit is append-only'); END;
      CREATE TRIGGER console_audit_no_delete BEFORE DELETE ON console_audit
        BEGIN SELECT RAISE(ABORT, 'console_audit is append-only'); END;
      CREATE TABLE console_dv_blocks (
        holder_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        blocked INTEGER NOT NULL,
        set_at INTEGER NOT NULL,
        set_by TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE console_users (
        user_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        login TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'dv-officer', 'auditor', 'admin')),
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until BIGINT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE console_sessions (
        token_sha256 TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES console_users(user_id),
        csrf_token TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE TABLE console_audit (
        id BIGSERIAL PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        restricted INTEGER NOT NULL DEFAULT 0,
        before_json TEXT,
        after_json TEXT
      );
      CREATE INDEX console_audit_code ON console_audit(municipality_code, id);
      CREATE FUNCTION console_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'console_audit is append-only'; END $$;
      CREATE TRIGGER console_audit_no_change BEFORE UPDATE OR DELETE ON console_audit
        FOR EACH ROW EXECUTE FUNCTION console_audit_append_only();
      CREATE TABLE console_dv_blocks (
        holder_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        blocked INTEGER NOT NULL,
        set_at BIGINT NOT NULL,
        set_by TEXT NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: 'console-centre-operator',
    // The centre's operator (fleet view): a centre-wide console role, stored under the scope
    // 'centre' and only there. SQLite cannot change a CHECK: the users table is rebuilt (the
    // sessions table, which refers to it, is recreated empty: everyone signs in again).
    sqlite: `
      DROP TABLE console_sessions;
      CREATE TABLE console_users_v13 (
        user_id TEXT PRIMARY KEY,
        municipality_code TEXT NOT NULL,
        login TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'dv-officer', 'auditor', 'admin', 'operator')),
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        CHECK ((role = 'operator') = (municipality_code = 'centre'))
      ) STRICT;
      INSERT INTO console_users_v13 (user_id, municipality_code, login, role, password_hash,
          failed_attempts, locked_until, disabled, created_at)
        SELECT user_id, municipality_code, login, role, password_hash, failed_attempts, locked_until,
          disabled, created_at FROM console_users;
      DROP TABLE console_users;
      ALTER TABLE console_users_v13 RENAME TO console_users;
      CREATE TABLE console_sessions (
        token_sha256 TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES console_users(user_id),
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
    postgres: `
      ALTER TABLE console_users DROP CONSTRAINT console_users_role_check;
      ALTER TABLE console_users ADD CONSTRAINT console_users_role_check
        CHECK (role IN ('viewer', 'editor', 'dv-officer', 'auditor', 'admin', 'operator'));
      ALTER TABLE console_users ADD CONSTRAINT console_users_centre_scope_check
        CHECK ((role = 'operator') = (municipality_code = 'centre'));
    `,
  },
  {
    version: 14,
    name: 'pin-reset-reservations',
    // PIN reset (issue 11): the kiosk's command reserves the grant for its transaction for a short
    // while; only the card's authentic "reset-done" spends it (used_at), a refused or abandoned reset
    // releases it, so a reset that failed at the card can be tried again with the same password.
    sqlite: `
      ALTER TABLE pin_reset_grants ADD COLUMN reserved_by TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN reserved_until INTEGER;
    `,
    postgres: `
      ALTER TABLE pin_reset_grants ADD COLUMN reserved_by TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN reserved_until BIGINT;
    `,
  },
  {
    version: 15,
    name: 'billing-delivery-signature',
    // Billing follows a signed delivery report (contract 0.6): the terminal's signature over the
    // report that settled the row, and the kiosk's time in it, kept as the proof of who said it.
    sqlite: `
      ALTER TABLE billing_records ADD COLUMN delivery_signature TEXT;
      ALTER TABLE billing_records ADD COLUMN delivery_reported_at INTEGER;
    `,
    postgres: `
      ALTER TABLE billing_records ADD COLUMN delivery_signature TEXT;
      ALTER TABLE billing_records ADD COLUMN delivery_reported_at BIGINT;
    `,
  },
  {
    version: 16,
    name: 'pin-reset-grant-target',
    // The PIN reset's grant names the PIN it resets (issue 11): 'signing' (proven with the 4-digit
    // PIN) or 'auth' (proven with the signing PIN); a grant for one never resets the other.
    // The kiosk cannot authenticate with a 4-digit PIN the resident forgot: the card proven with its
    // signing key ties the kiosk's transaction (and terminal) to this card's 'auth' grant for a while.
    sqlite: `
      ALTER TABLE pin_reset_grants ADD COLUMN target TEXT NOT NULL DEFAULT 'signing'
        CHECK (target IN ('signing', 'auth'));
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_tx TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_terminal TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_until INTEGER;
    `,
    postgres: `
      ALTER TABLE pin_reset_grants ADD COLUMN target TEXT NOT NULL DEFAULT 'signing'
        CHECK (target IN ('signing', 'auth'));
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_tx TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_terminal TEXT;
      ALTER TABLE pin_reset_grants ADD COLUMN signing_session_until BIGINT;
    `,
  },
  {
    version: 17,
    name: 'pin-reset-signing-sessions',
    // The 4-digit PIN's reset: the kiosk transaction a card's signing-key proof ties to the card's
    // 'auth' grant is a session record of its own, no longer columns of the grant (migration 16's,
    // moved here and dropped). One per card: a later proof replaces it; found by transaction and
    // terminal; the grant still decides (target 'auth') when the reset routes look it up.
    sqlite: `
      CREATE TABLE pin_reset_signing_sessions (
        card_binding TEXT PRIMARY KEY REFERENCES pin_reset_grants(card_binding),
        transaction_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX pin_reset_signing_sessions_by_transaction
        ON pin_reset_signing_sessions(transaction_id, terminal_id);
      INSERT INTO pin_reset_signing_sessions (card_binding, transaction_id, terminal_id, expires_at)
        SELECT card_binding, signing_session_tx, signing_session_terminal, signing_session_until
        FROM pin_reset_grants
        WHERE signing_session_tx IS NOT NULL AND signing_session_terminal IS NOT NULL
          AND signing_session_until IS NOT NULL;
      ALTER TABLE pin_reset_grants DROP COLUMN signing_session_tx;
      ALTER TABLE pin_reset_grants DROP COLUMN signing_session_terminal;
      ALTER TABLE pin_reset_grants DROP COLUMN signing_session_until;
    `,
    postgres: `
      CREATE TABLE pin_reset_signing_sessions (
        card_binding TEXT PRIMARY KEY REFERENCES pin_reset_grants(card_binding),
        transaction_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX pin_reset_signing_sessions_by_transaction
        ON pin_reset_signing_sessions(transaction_id, terminal_id);
      INSERT INTO pin_reset_signing_sessions (card_binding, transaction_id, terminal_id, expires_at)
        SELECT card_binding, signing_session_tx, signing_session_terminal, signing_session_until
        FROM pin_reset_grants
        WHERE signing_session_tx IS NOT NULL AND signing_session_terminal IS NOT NULL
          AND signing_session_until IS NOT NULL;
      ALTER TABLE pin_reset_grants
        DROP COLUMN signing_session_tx,
        DROP COLUMN signing_session_terminal,
        DROP COLUMN signing_session_until;
    `,
  },
  {
    version: 18,
    name: 'register-version',
    // One number that moves on with every change to a table certificates are built from, in the
    // same transaction as the change, whoever writes it (any centre process, the admin API, the
    // console, a register load): the menus proved ahead are valid only at the version they were
    // proved at (server/municipal/proved-menus.ts).
    sqlite: `
      CREATE TABLE register_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      ) STRICT;
      INSERT INTO register_version (id, version) VALUES (1, 0);
      ${sqliteRegisterVersionTriggers()}
    `,
    postgres: `
      CREATE TABLE register_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL
      );
      INSERT INTO register_version (id, version) VALUES (1, 0);
      ${postgresRegisterVersionTriggers()}
    `,
  },
  {
    version: 19,
    name: 'register-version-at-commit',
    // PostgreSQL: the register version's triggers run at commit (see the function). SQLite has
    // one writer at a time and nothing to change.
    sqlite: ``,
    postgres: `
      ${postgresDeferredRegisterVersionTriggers()}
    `,
  },
];

/** Applies the migrations not yet recorded; returns the versions applied now. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );
  const done: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
    done.push(migration.version);
  }
  return done;
}

/** A lock id of our own, so that two centres starting at once migrate one after the other. */
const MIGRATION_LOCK = 0x6b696f736b; // "kiosk"

/** PostgreSQL: the same list, each step in its own transaction, under an advisory lock. */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  const done: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(migration.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return done;
}
