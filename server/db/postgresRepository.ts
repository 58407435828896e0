import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { migratePostgres } from './migrations.ts';
import { preparedStatement, runPrepared, type PreparedStatement } from './postgres-statements.ts';
import { storedMunicipality } from './stored-municipality.ts';
import {
  HouseholdRecordSchema,
  MunicipalityConfigSchema,
  ResidentRecordSchema,
  type DeliveryRecording,
  type ChallengeConsumption,
  type HouseholdRecord,
  type IssuedDocumentRecord,
  type SaveSessionResult,
  provenanceFromRow,
} from './records.ts';
import type { CentreRepository } from './repository.ts';
// pg reads bytea as Buffer, INTEGER as number, and BIGINT as number only through TYPES below.
import {
  BILLING_COLUMNS,
  billingFromRow,
  copiesFitIssuance,
  issuedFromRow,
  challengeRefusal,
  sameSettlement,
  type StoredChallengeBinding,
  settlementFor,
  type BillingRow,
  keyFromRow,
  sealKeyEventFromRow,
  sessionFromRow,
  type IssuedRow,
  type KeyRow,
  type SealKeyEventRow,
  type SessionRow,
} from './row-mapping.ts';

const INT8_OID = 20;
/** Epoch milliseconds are BIGINT; they fit a JS number, so read them as numbers (this pool only). */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Opens a statement that commits without waiting for the WAL's flush to disk: for writes whose loss
 * in a crash costs only a repeat (a challenge put: the kiosk asks for another before anything is
 * paid; a delivered document emptied: the retention job empties it), as SQLite's `withoutOwnFsync`
 * skips their fsync. The setting is local to the statement's own transaction, and the next durable
 * commit flushes the WAL with it (the WAL is one sequence). Unlike SQLite's, such a commit is lost
 * when PostgreSQL itself crashes, not only the machine: its WAL waits in PostgreSQL's memory for
 * the WAL writer (200 ms). A session is therefore durable: the kiosk takes payment after the
 * sign-in, and a session lost then would refuse the paid issue (the chaos load test met it).
 */
const WITHOUT_FLUSH = `WITH without_flush AS (SELECT set_config('synchronous_commit', 'off', true))`;

/** The statements of one whole kiosk transaction (and its retries), prepared once per connection. */
const SQL = {
  getMunicipality: preparedStatement(
    'centre.get-municipality',
    'SELECT config_json FROM municipalities WHERE code = $1',
  ),
  getHousehold: preparedStatement(
    'centre.get-household',
    'SELECT household_id AS "householdId", municipality_code AS "municipalityCode", address FROM households WHERE household_id = $1',
  ),
  getResident: preparedStatement(
    'centre.get-resident',
    'SELECT record_json FROM residents WHERE holder_id = $1',
  ),
  // The resident, their household, its municipality and (with $2) their 本籍's municipality: what a
  // sign-in and an issue read first, in one round trip.
  getResidentHome: preparedStatement(
    'centre.get-resident-home',
    `SELECT r.record_json, h.household_id AS "householdId", h.municipality_code AS "municipalityCode",
       h.address, residence.config_json AS residence_json, honseki.config_json AS honseki_json
     FROM residents r
     LEFT JOIN households h ON h.household_id = r.household_id
     LEFT JOIN municipalities residence ON residence.code = h.municipality_code
     LEFT JOIN municipalities honseki ON $2::boolean
       AND honseki.code = (r.record_json::json -> 'honseki' ->> 'municipalityCode')
     WHERE r.holder_id = $1`,
  ),
  listHouseholdMembers: preparedStatement(
    'centre.list-household-members',
    `SELECT record_json FROM residents WHERE household_id = $1 AND status = 'resident'
     ORDER BY household_order, holder_id`,
  ),
  isCertificateRevoked: preparedStatement(
    'centre.is-certificate-revoked',
    'SELECT 1 FROM revoked_certificates WHERE ca_fingerprint = $1 AND serial_hex = $2',
  ),
  certificateStanding: preparedStatement(
    'centre.certificate-standing',
    `SELECT (SELECT holder_id FROM certificate_registry WHERE ca_fingerprint = $1 AND serial_hex = $2) AS holder_id,
       EXISTS (SELECT 1 FROM revoked_certificates WHERE ca_fingerprint = $1 AND serial_hex = $2) AS revoked`,
  ),
  putChallenge: preparedStatement(
    'centre.put-challenge',
    `${WITHOUT_FLUSH} INSERT INTO challenges (challenge, terminal_id, transaction_id, expires_at)
     SELECT $1::text, $2::text, $3::text, $4::bigint FROM without_flush`,
  ),
  consumeChallenge: preparedStatement(
    'centre.consume-challenge',
    `UPDATE challenges SET used_at = $4
     WHERE challenge = $1 AND terminal_id = $2 AND transaction_id = $3 AND used_at IS NULL AND expires_at > $4`,
  ),
  getChallenge: preparedStatement(
    'centre.get-challenge',
    'SELECT terminal_id, transaction_id, used_at FROM challenges WHERE challenge = $1',
  ),
  // Insert, or refresh the session bound to the same card; a session of another card is left alone
  // (no row comes back). ON CONFLICT locks the existing row, so concurrent saves are ordered.
  saveSession: preparedStatement(
    'centre.save-session',
    `INSERT INTO sessions (transaction_id, terminal_id, holder_id, certificate_fingerprint, ca_fingerprint, serial_hex, authenticated_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (transaction_id) DO UPDATE SET authenticated_at = excluded.authenticated_at,
       expires_at = excluded.expires_at, terminal_id = excluded.terminal_id
     WHERE sessions.certificate_fingerprint = excluded.certificate_fingerprint AND sessions.holder_id = excluded.holder_id`,
  ),
  getSession: preparedStatement('centre.get-session', 'SELECT * FROM sessions WHERE transaction_id = $1'),
  getSessionStanding: preparedStatement(
    'centre.get-session-standing',
    `SELECT s.*,
       EXISTS (SELECT 1 FROM issued_documents i WHERE i.transaction_id = s.transaction_id) AS issued,
       EXISTS (SELECT 1 FROM revoked_certificates r
               WHERE r.ca_fingerprint = s.ca_fingerprint AND r.serial_hex = s.serial_hex) AS certificate_revoked
     FROM sessions s WHERE s.transaction_id = $1`,
  ),
  getIssued: preparedStatement(
    'centre.get-issued',
    'SELECT * FROM issued_documents WHERE transaction_id = $1',
  ),
  // The issuance and its billing row in one statement (one transaction, one round trip): the
  // billing row is written only with a new issuance, which comes back; a transaction already
  // issued writes nothing and returns no row.
  recordIssuance: preparedStatement(
    'centre.record-issuance',
    `WITH issued AS (
       INSERT INTO issued_documents (transaction_id, holder_id, municipality_code, certificate_type, copies, document_json, seal, issued_at, request_sha256, document_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (transaction_id) DO NOTHING
       RETURNING *
     ), billed AS (
       INSERT INTO billing_records (transaction_id, municipality_code, certificate_type, copies, fee_yen_total, billed_at, state)
       SELECT $11::text, $12::text, $13::text, $14::integer, $15::integer, $16::bigint, 'pending' FROM issued
     )
     SELECT * FROM issued`,
  ),
  getBilling: preparedStatement(
    'centre.get-billing',
    `SELECT ${BILLING_COLUMNS} FROM billing_records WHERE transaction_id = $1`,
  ),
  // Settles only a pending row: of concurrent reports for one transaction the first UPDATE wins
  // (the others wait for its row lock, then find the row settled and change nothing).
  settleBilling: preparedStatement(
    'centre.settle-billing',
    `UPDATE billing_records SET state = $1, delivered_copies = $2, billed_yen = $3, settled_at = $4,
       delivery_signature = $5, delivery_reported_at = $6
     WHERE transaction_id = $7 AND state = 'pending' RETURNING ${BILLING_COLUMNS}`,
  ),
  // Without a hash given ($2 null), only a row that has its own (every row since migration 9).
  purgeIssued: preparedStatement(
    'centre.purge-issued',
    `${WITHOUT_FLUSH} UPDATE issued_documents SET document_json = '', seal = ''::bytea, purged_at = $1,
       document_sha256 = COALESCE(document_sha256, $2::text)
     FROM without_flush WHERE transaction_id = $3 AND purged_at IS NULL AND COALESCE(document_sha256, $2::text) IS NOT NULL`,
  ),
  sealKeysVersion: preparedStatement(
    'centre.seal-keys-version',
    'SELECT COALESCE(MAX(id), 0)::bigint AS version FROM seal_key_events',
  ),
  registerVersion: preparedStatement(
    'centre.register-version',
    'SELECT version FROM register_version WHERE id = 1',
  ),
} satisfies Record<string, PreparedStatement>;

/** What `getResidentHome`'s statement reads: the household's columns are null without a household row. */
interface ResidentHomeRow {
  record_json: string;
  householdId: string | null;
  municipalityCode: string | null;
  address: string | null;
  residence_json: string | null;
  honseki_json: string | null;
}

/** Another lock id of ours: register loads from several centres run one after the other. */
export const REGISTER_LOCK = 0x7265676973; // "regis"

export interface PostgresRepositoryOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

/**
 * The centre's store on PostgreSQL (`postgres://user@host:port/db`), migrated on open. Atomic
 * steps rely on the database, not on this process: unique keys with INSERT … ON CONFLICT, row
 * locks, and transactions — so several centre processes may share one database.
 */
export async function openPostgresRepository(
  databaseUrl: string,
  opts: PostgresRepositoryOptions = {},
): Promise<CentreRepository> {
  return postgresRepositoryOn(await openPostgresPool(databaseUrl, opts));
}

/** Runs `work` on one connection between BEGIN and COMMIT (ROLLBACK if it throws). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection that failed is dropped, not handed to the next transaction.
    client.release(failure);
  }
}

/** A pool on the database (epoch ms BIGINTs read as numbers), migrated before it is returned. */
export async function openPostgresPool(
  databaseUrl: string,
  opts: PostgresRepositoryOptions = {},
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.maxConnections ?? 10, types: TYPES });
  // An idle connection that breaks (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // So must one that breaks while checked out (between two queries of a transaction): the
  // query in flight fails with the error, the transaction rolls back, the caller sees it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/** The repository on an open, migrated pool (shared with the register store); `close()` ends the pool. */
export function postgresRepositoryOn(pool: pg.Pool): CentreRepository {
  async function rows<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await pool.query<T>(sql, params)).rows;
  }
  async function prepared<T extends QueryResultRow>(
    statement: PreparedStatement,
    values: unknown[],
  ): Promise<T[]> {
    return (await runPrepared<T>(pool, statement, values)).rows;
  }

  const transaction = <T>(work: (client: PoolClient) => Promise<T>) => inTransaction(pool, work);

  const getIssued = async (transactionId: string): Promise<IssuedDocumentRecord | undefined> => {
    const [row] = await prepared<IssuedRow>(SQL.getIssued, [transactionId]);
    return row === undefined ? undefined : issuedFromRow(row);
  };

  return {
    async putMunicipality(config, provenance = { setBy: 'admin', setAt: Date.now() }) {
      const valid = MunicipalityConfigSchema.parse(config);
      await pool.query(
        `INSERT INTO municipalities (code, config_json, rules_set_by, rules_set_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET config_json = excluded.config_json,
           rules_set_by = excluded.rules_set_by, rules_set_at = excluded.rules_set_at`,
        [valid.code, JSON.stringify(valid), provenance.setBy, provenance.setAt ?? null],
      );
    },
    async getRulesProvenance(code) {
      const [row] = await rows<{ set_by: string; set_at: string | null }>(
        'SELECT rules_set_by AS set_by, rules_set_at AS set_at FROM municipalities WHERE code = $1',
        [code],
      );
      return row === undefined
        ? undefined
        : provenanceFromRow({ setBy: row.set_by, setAt: row.set_at === null ? null : Number(row.set_at) });
    },
    async getMunicipality(code) {
      const [row] = await prepared<{ config_json: string }>(SQL.getMunicipality, [code]);
      return row === undefined ? undefined : storedMunicipality(row.config_json);
    },
    async listMunicipalities() {
      return (
        await rows<{ config_json: string }>('SELECT config_json FROM municipalities ORDER BY code')
      ).map((row) => storedMunicipality(row.config_json));
    },
    async putRegister(register) {
      const municipalities = register.municipalities.map((m) => MunicipalityConfigSchema.parse(m));
      const households = register.households.map((h) => HouseholdRecordSchema.parse(h));
      const residents = register.residents.map((r) => ResidentRecordSchema.parse(r));
      await transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [REGISTER_LOCK]);
        // The seed's rules only where the seed set them last (never over an admin change), and only when changed.
        await client.query(
          `INSERT INTO municipalities (code, config_json, rules_set_by, rules_set_at)
           SELECT code, config_json, 'seed', $3 FROM unnest($1::text[], $2::text[]) AS m(code, config_json)
           ON CONFLICT (code) DO UPDATE SET config_json = excluded.config_json, rules_set_at = excluded.rules_set_at
           WHERE municipalities.rules_set_by = 'seed' AND municipalities.config_json IS DISTINCT FROM excluded.config_json`,
          [
            municipalities.map((m) => m.code),
            municipalities.map((m) => JSON.stringify(m)),
            register.loadedAt ?? Date.now(),
          ],
        );
        await client.query(
          `INSERT INTO households (household_id, municipality_code, address)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
           ON CONFLICT (household_id) DO UPDATE SET municipality_code = excluded.municipality_code, address = excluded.address`,
          [
            households.map((h) => h.householdId),
            households.map((h) => h.municipalityCode),
            households.map((h) => h.address),
          ],
        );
        await client.query(
          `INSERT INTO residents (holder_id, household_id, household_order, status, record_json)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[])
           ON CONFLICT (holder_id) DO UPDATE SET household_id = excluded.household_id,
             household_order = excluded.household_order, status = excluded.status, record_json = excluded.record_json`,
          [
            residents.map((r) => r.holderId),
            residents.map((r) => r.householdId),
            residents.map((r) => r.householdOrder),
            residents.map((r) => r.status),
            residents.map((r) => JSON.stringify(r)),
          ],
        );
      });
    },
    async putHousehold(household) {
      const h = HouseholdRecordSchema.parse(household);
      await pool.query(
        `INSERT INTO households (household_id, municipality_code, address) VALUES ($1, $2, $3)
         ON CONFLICT (household_id) DO UPDATE SET municipality_code = excluded.municipality_code, address = excluded.address`,
        [h.householdId, h.municipalityCode, h.address],
      );
    },
    async getHousehold(householdId) {
      const [row] = await prepared<HouseholdRecord>(SQL.getHousehold, [householdId]);
      return row === undefined ? undefined : HouseholdRecordSchema.parse(row);
    },
    async putResident(resident) {
      const r = ResidentRecordSchema.parse(resident);
      await pool.query(
        `INSERT INTO residents (holder_id, household_id, household_order, status, record_json) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (holder_id) DO UPDATE SET household_id = excluded.household_id, household_order = excluded.household_order,
           status = excluded.status, record_json = excluded.record_json`,
        [r.holderId, r.householdId, r.householdOrder, r.status, JSON.stringify(r)],
      );
    },
    async getResident(holderId) {
      const [row] = await prepared<{ record_json: string }>(SQL.getResident, [holderId]);
      return row === undefined ? undefined : ResidentRecordSchema.parse(JSON.parse(row.record_json));
    },
    async getResidentHome(holderId, withHonseki) {
      const [row] = await prepared<ResidentHomeRow>(SQL.getResidentHome, [holderId, withHonseki]);
      if (row === undefined) return undefined;
      const { householdId, municipalityCode, address } = row;
      return {
        resident: ResidentRecordSchema.parse(JSON.parse(row.record_json)),
        ...(householdId === null
          ? {}
          : { household: HouseholdRecordSchema.parse({ householdId, municipalityCode, address }) }),
        ...(row.residence_json === null ? {} : { residence: storedMunicipality(row.residence_json) }),
        ...(row.honseki_json === null ? {} : { honseki: storedMunicipality(row.honseki_json) }),
      };
    },
    async listHouseholdMembers(householdId) {
      return (await prepared<{ record_json: string }>(SQL.listHouseholdMembers, [householdId])).map((row) =>
        ResidentRecordSchema.parse(JSON.parse(row.record_json)),
      );
    },
    async registerCertificate(entry) {
      await pool.query(
        `INSERT INTO certificate_registry (ca_fingerprint, serial_hex, holder_id) VALUES ($1, $2, $3)
         ON CONFLICT (ca_fingerprint, serial_hex) DO UPDATE SET holder_id = excluded.holder_id`,
        [entry.caFingerprint, entry.serialNumberHex, entry.holderId],
      );
    },
    async registerCertificates(entries) {
      await transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [REGISTER_LOCK]);
        await client.query(
          `INSERT INTO certificate_registry (ca_fingerprint, serial_hex, holder_id)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
           ON CONFLICT (ca_fingerprint, serial_hex) DO UPDATE SET holder_id = excluded.holder_id`,
          [
            entries.map((e) => e.caFingerprint),
            entries.map((e) => e.serialNumberHex),
            entries.map((e) => e.holderId),
          ],
        );
      });
    },
    async revokeCertificate(caFingerprint, serialNumberHex, revokedAt) {
      await pool.query(
        `INSERT INTO revoked_certificates (ca_fingerprint, serial_hex, revoked_at) VALUES ($1, $2, $3)
         ON CONFLICT (ca_fingerprint, serial_hex) DO NOTHING`,
        [caFingerprint, serialNumberHex, revokedAt],
      );
    },
    async isCertificateRevoked(caFingerprint, serialNumberHex) {
      return (await prepared(SQL.isCertificateRevoked, [caFingerprint, serialNumberHex])).length > 0;
    },
    async certificateStanding(caFingerprint, serialNumberHex) {
      const [row] = await prepared<{ holder_id: string | null; revoked: boolean }>(SQL.certificateStanding, [
        caFingerprint,
        serialNumberHex,
      ]);
      return {
        ...(row?.holder_id == null ? {} : { holderId: row.holder_id }),
        revoked: row?.revoked === true,
      };
    },
    async putChallenge(c) {
      await runPrepared(pool, SQL.putChallenge, [c.challenge, c.terminalId, c.transactionId, c.expiresAt]);
    },
    async purgeChallenges(expiredBefore) {
      // Not prepared: planned with the bound each time, so the expiry index is used once the table is large.
      return (
        (await pool.query('DELETE FROM challenges WHERE expires_at < $1', [expiredBefore])).rowCount ?? 0
      );
    },
    async consumeChallenge(challenge, terminalId, transactionId, now): Promise<ChallengeConsumption> {
      // One statement decides: of two concurrent consumers exactly one gets the row.
      const consumed = await runPrepared(pool, SQL.consumeChallenge, [
        challenge,
        terminalId,
        transactionId,
        now,
      ]);
      if (consumed.rowCount === 1) return { kind: 'consumed' };
      const [row] = await prepared<StoredChallengeBinding>(SQL.getChallenge, [challenge]);
      return challengeRefusal(row, terminalId, transactionId);
    },
    async saveSession(s): Promise<SaveSessionResult> {
      // One statement decides (see SQL.saveSession): no row written means another card holds the transaction.
      const saved = await runPrepared(pool, SQL.saveSession, [
        s.transactionId,
        s.terminalId,
        s.holderId,
        s.certificateFingerprint,
        s.caFingerprint,
        s.serialNumberHex,
        s.authenticatedAt,
        s.expiresAt,
      ]);
      return saved.rowCount === 1 ? { kind: 'saved' } : { kind: 'bound-to-other-card' };
    },
    async getSession(transactionId) {
      const [row] = await prepared<SessionRow>(SQL.getSession, [transactionId]);
      return row === undefined ? undefined : sessionFromRow(row);
    },
    async getSessionStanding(transactionId) {
      const [row] = await prepared<SessionRow & { issued: boolean; certificate_revoked: boolean }>(
        SQL.getSessionStanding,
        [transactionId],
      );
      return row === undefined
        ? undefined
        : { session: sessionFromRow(row), issued: row.issued, certificateRevoked: row.certificate_revoked };
    },
    getIssuedDocument: getIssued,
    async recordIssuance(issued, billing) {
      // The primary key decides: a concurrent insert of the same transaction waits for the first
      // to commit and then does nothing, so the billing row is written by the winner only.
      const [inserted] = await prepared<IssuedRow>(SQL.recordIssuance, [
        issued.transactionId,
        issued.holderId,
        issued.municipalityCode,
        issued.certificateType,
        issued.copies,
        issued.documentJson,
        Buffer.from(issued.seal),
        issued.issuedAt,
        issued.requestSha256 ?? null,
        issued.documentSha256 ?? null,
        billing.transactionId,
        billing.municipalityCode,
        billing.certificateType,
        billing.copies,
        billing.feeYenTotal,
        billing.billedAt,
      ]);
      if (inserted) return issuedFromRow(inserted);
      // Already issued (a retry, or another centre first): the stored issuance, read after the
      // statement so that one committed while it waited is seen.
      const stored = await getIssued(issued.transactionId);
      if (!stored) throw new Error('issuance vanished after commit');
      return stored;
    },
    async purgeIssuedDocument(transactionId, documentSha256, now) {
      const result = await runPrepared(pool, SQL.purgeIssued, [now, documentSha256 ?? null, transactionId]);
      return result.rowCount === 1;
    },
    async listKeptIssuedDocuments(issuedBefore, limit) {
      return rows<{ transactionId: string; documentJson: string }>(
        `SELECT transaction_id AS "transactionId", document_json AS "documentJson" FROM issued_documents
         WHERE purged_at IS NULL AND issued_at < $1 ORDER BY issued_at LIMIT $2`,
        [issuedBefore, limit],
      );
    },
    async listBillingRecords() {
      return (await rows<BillingRow>(`SELECT ${BILLING_COLUMNS} FROM billing_records ORDER BY id`)).map(
        billingFromRow,
      );
    },
    async recordDelivery(transactionId, report): Promise<DeliveryRecording> {
      // Two statements, each its own transaction: the row read, then a conditional UPDATE that
      // settles it only while pending. A report that loses a race reads the settled row again.
      const [row] = await prepared<BillingRow>(SQL.getBilling, [transactionId]);
      if (!row) return { kind: 'not-issued' };
      const entry = billingFromRow(row);
      if (!copiesFitIssuance(entry, report)) return { kind: 'bad-copies' };
      if (entry.state === 'pending') {
        const settlement = settlementFor(entry, report);
        const [settled] = await prepared<BillingRow>(SQL.settleBilling, [
          report.outcome === 'delivered' ? 'billed' : 'voided',
          settlement.copies,
          settlement.billedYen,
          settlement.settledAt,
          settlement.proof?.signature ?? null,
          settlement.proof?.reportedAt ?? null,
          transactionId,
        ]);
        if (settled) return { kind: 'recorded', entry: billingFromRow(settled) };
      }
      const [current] =
        entry.state === 'pending' ? await prepared<BillingRow>(SQL.getBilling, [transactionId]) : [row];
      if (!current) return { kind: 'not-issued' };
      const stored = billingFromRow(current);
      return sameSettlement(stored, report)
        ? { kind: 'recorded', entry: stored }
        : { kind: 'conflict', entry: stored };
    },
    async listMunicipalityKeys() {
      return (
        await rows<KeyRow>('SELECT * FROM municipality_keys ORDER BY municipality_code, created_at, kid')
      ).map(keyFromRow);
    },
    async changeSealKeys(change) {
      class Conflict extends Error {}
      try {
        await transaction(async (client) => {
          const changed = async (sql: string, params: unknown[]) =>
            (await client.query(sql, params)).rowCount === 1;
          if (
            change.retire &&
            !(await changed(
              "UPDATE municipality_keys SET status = 'retired' WHERE kid = $1 AND status = 'active'",
              [change.retire.kid],
            ))
          )
            throw new Conflict();
          if (
            change.revoke &&
            !(await changed(
              "UPDATE municipality_keys SET status = 'revoked', revoked_at = $1 WHERE kid = $2 AND status <> 'revoked'",
              [change.revoke.revokedAt, change.revoke.kid],
            ))
          )
            throw new Conflict();
          const key = change.insert;
          if (
            key &&
            !(await changed(
              `INSERT INTO municipality_keys (kid, municipality_code, public_key_spki, created_at, valid_from, valid_to, status, revoked_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
              [
                key.kid,
                key.municipalityCode,
                Buffer.from(key.publicKeySpkiDer),
                key.createdAt,
                key.validFrom,
                key.validTo,
                key.status,
                key.revokedAt ?? null,
              ],
            ))
          )
            throw new Conflict();
          for (const e of change.events) {
            await client.query(
              'INSERT INTO seal_key_events (at, actor, action, kid, municipality_code, detail) VALUES ($1, $2, $3, $4, $5, $6)',
              [e.at, e.actor, e.action, e.kid, e.municipalityCode, e.detail],
            );
          }
        });
        return 'done';
      } catch (error) {
        if (error instanceof Conflict) return 'conflict';
        throw error;
      }
    },
    async listSealKeyEvents(municipalityCode) {
      return (
        await rows<SealKeyEventRow>(
          'SELECT * FROM seal_key_events WHERE municipality_code = $1 ORDER BY id',
          [municipalityCode],
        )
      ).map(sealKeyEventFromRow);
    },
    async sealKeysVersion() {
      const [row] = await prepared<{ version: number }>(SQL.sealKeysVersion, []);
      return row?.version ?? 0;
    },
    async registerVersion() {
      const [row] = await prepared<{ version: number }>(SQL.registerVersion, []);
      return row?.version ?? 0;
    },
    async close() {
      await pool.end();
    },
  };
}
