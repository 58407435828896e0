import Database from 'better-sqlite3';
import { storedMunicipality } from './stored-municipality.ts';
import { migrate } from './migrations.ts';
import { withoutOwnFsync } from './sqlite-durability.ts';
import { walDurabilityOf } from './sqlite-wal-sync.ts';
import {
  HouseholdRecordSchema,
  MunicipalityConfigSchema,
  ResidentRecordSchema,
  type BillingRecord,
  type DeliveryRecording,
  type DeliveryReportRecord,
  type CertificateRegistryEntry,
  type ChallengeRecord,
  type HouseholdRecord,
  type IssuedDocumentRecord,
  type RegisterBatch,
  type ResidentRecord,
  type SealKeyChange,
  provenanceFromRow,
  type ProvenanceRow,
} from './records.ts';
import type { CentreRepository } from './repository.ts';
// better-sqlite3 reads BLOB as Buffer and INTEGER as number: its rows are these shapes as read.
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

/**
 * Opens (and migrates) the centre's SQLite database. `':memory:'` is allowed. WAL on files, with
 * synchronous FULL: a commit is on disk before the call returns. Set explicitly: better-sqlite3
 * builds SQLite with NORMAL as the WAL default, under which a power failure may take back the
 * last commits (an issuance and its billing included).
 */
export function openSqliteDatabase(path: string): Database.Database {
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A migration taken back by a power failure runs again at the next start (each is one
  // transaction with its record in schema_migrations).
  withoutOwnFsync(db, () => migrate(db));
  return db;
}

/** Opens (and migrates) the centre's SQLite database and its repository; `close()` closes the database. */
export function openSqliteRepository(path: string): CentreRepository {
  return sqliteRepositoryOn(openSqliteDatabase(path));
}

/** The repository on an open, migrated database (shared with the register store). */
export function sqliteRepositoryOn(db: Database.Database): CentreRepository {
  const stmt = {
    putMunicipality: db.prepare(
      `INSERT INTO municipalities (code, config_json, rules_set_by, rules_set_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(code) DO UPDATE SET config_json = excluded.config_json,
         rules_set_by = excluded.rules_set_by, rules_set_at = excluded.rules_set_at`,
    ),
    // A load writes the seed's rules only where the seed set them last, and only when they changed.
    loadMunicipality: db.prepare(
      `INSERT INTO municipalities (code, config_json, rules_set_by, rules_set_at) VALUES (?, ?, 'seed', ?)
       ON CONFLICT(code) DO UPDATE SET config_json = excluded.config_json, rules_set_at = excluded.rules_set_at
       WHERE municipalities.rules_set_by = 'seed' AND municipalities.config_json IS NOT excluded.config_json`,
    ),
    getMunicipality: db.prepare('SELECT config_json FROM municipalities WHERE code = ?').pluck(),
    getRulesProvenance: db.prepare(
      'SELECT rules_set_by AS setBy, rules_set_at AS setAt FROM municipalities WHERE code = ?',
    ),
    listMunicipalities: db.prepare('SELECT config_json FROM municipalities ORDER BY code').pluck(),
    putHousehold: db.prepare(
      `INSERT INTO households (household_id, municipality_code, address) VALUES (?, ?, ?)
       ON CONFLICT(household_id) DO UPDATE SET municipality_code = excluded.municipality_code, address = excluded.address
       WHERE (households.municipality_code, households.address) IS NOT (excluded.municipality_code, excluded.address)`,
    ),
    getHousehold: db.prepare(
      'SELECT household_id AS householdId, municipality_code AS municipalityCode, address FROM households WHERE household_id = ?',
    ),
    putResident: db.prepare(
      `INSERT INTO residents (holder_id, household_id, household_order, status, record_json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(holder_id) DO UPDATE SET household_id = excluded.household_id, household_order = excluded.household_order,
         status = excluded.status, record_json = excluded.record_json
       WHERE residents.record_json IS NOT excluded.record_json`,
    ),
    getResident: db.prepare('SELECT record_json FROM residents WHERE holder_id = ?').pluck(),
    listHouseholdMembers: db
      .prepare(
        "SELECT record_json FROM residents WHERE household_id = ? AND status = 'resident' ORDER BY household_order, holder_id",
      )
      .pluck(),
    registerCertificate: db.prepare(
      `INSERT INTO certificate_registry (ca_fingerprint, serial_hex, holder_id) VALUES (?, ?, ?)
       ON CONFLICT(ca_fingerprint, serial_hex) DO UPDATE SET holder_id = excluded.holder_id`,
    ),
    findHolder: db
      .prepare('SELECT holder_id FROM certificate_registry WHERE ca_fingerprint = ? AND serial_hex = ?')
      .pluck(),
    revoke: db.prepare(
      'INSERT OR IGNORE INTO revoked_certificates (ca_fingerprint, serial_hex, revoked_at) VALUES (?, ?, ?)',
    ),
    isRevoked: db
      .prepare('SELECT 1 FROM revoked_certificates WHERE ca_fingerprint = ? AND serial_hex = ?')
      .pluck(),
    putChallenge: db.prepare(
      'INSERT INTO challenges (challenge, terminal_id, transaction_id, expires_at) VALUES (?, ?, ?, ?)',
    ),
    getChallenge: db.prepare(
      'SELECT terminal_id, transaction_id, expires_at, used_at FROM challenges WHERE challenge = ?',
    ),
    // Marks the challenge used only if it is bound to this terminal + transaction, unused and unexpired.
    useChallenge: db.prepare(
      `UPDATE challenges SET used_at = ? WHERE challenge = ? AND terminal_id = ? AND transaction_id = ?
         AND used_at IS NULL AND expires_at > ?`,
    ),
    purgeChallenges: db.prepare('DELETE FROM challenges WHERE expires_at < ?'),
    getSession: db.prepare('SELECT * FROM sessions WHERE transaction_id = ?'),
    // A new transaction is inserted; one already bound to this card is refreshed; one bound to
    // another card is left alone (no change).
    saveSession: db.prepare(
      `INSERT INTO sessions (transaction_id, terminal_id, holder_id, certificate_fingerprint, ca_fingerprint, serial_hex, authenticated_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(transaction_id) DO UPDATE SET authenticated_at = excluded.authenticated_at,
         expires_at = excluded.expires_at, terminal_id = excluded.terminal_id
       WHERE sessions.certificate_fingerprint = excluded.certificate_fingerprint
         AND sessions.holder_id = excluded.holder_id`,
    ),
    getIssued: db.prepare('SELECT * FROM issued_documents WHERE transaction_id = ?'),
    isIssued: db.prepare('SELECT 1 FROM issued_documents WHERE transaction_id = ?').pluck(),
    insertIssued: db.prepare(
      `INSERT INTO issued_documents (transaction_id, holder_id, municipality_code, certificate_type, copies, document_json, seal, issued_at, request_sha256, document_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(transaction_id) DO NOTHING`,
    ),
    purgeIssued: db.prepare(
      `UPDATE issued_documents SET document_json = '', seal = X'', purged_at = @now,
         document_sha256 = COALESCE(document_sha256, @sha256)
       WHERE transaction_id = @transactionId AND purged_at IS NULL AND COALESCE(document_sha256, @sha256) IS NOT NULL`,
    ),
    listKept: db.prepare(
      `SELECT transaction_id AS transactionId, document_json AS documentJson FROM issued_documents
       WHERE purged_at IS NULL AND issued_at < ? ORDER BY issued_at LIMIT ?`,
    ),
    insertBilling: db.prepare(
      `INSERT INTO billing_records (transaction_id, municipality_code, certificate_type, copies, fee_yen_total, billed_at, state)
       VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
    ),
    listBilling: db.prepare(`SELECT ${BILLING_COLUMNS} FROM billing_records ORDER BY id`),
    getBilling: db.prepare(`SELECT ${BILLING_COLUMNS} FROM billing_records WHERE transaction_id = ?`),
    settleBilling: db.prepare(
      `UPDATE billing_records SET state = ?, delivered_copies = ?, billed_yen = ?, settled_at = ?,
         delivery_signature = ?, delivery_reported_at = ?
       WHERE transaction_id = ? AND state = 'pending' RETURNING ${BILLING_COLUMNS}`,
    ),
    listKeys: db.prepare('SELECT * FROM municipality_keys ORDER BY municipality_code, created_at, kid'),
    retireKey: db.prepare(
      "UPDATE municipality_keys SET status = 'retired' WHERE kid = ? AND status = 'active'",
    ),
    revokeKey: db.prepare(
      "UPDATE municipality_keys SET status = 'revoked', revoked_at = ? WHERE kid = ? AND status <> 'revoked'",
    ),
    insertKey: db.prepare(
      `INSERT INTO municipality_keys (kid, municipality_code, public_key_spki, created_at, valid_from, valid_to, status, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    insertKeyEvent: db.prepare(
      'INSERT INTO seal_key_events (at, actor, action, kid, municipality_code, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    listKeyEvents: db.prepare('SELECT * FROM seal_key_events WHERE municipality_code = ? ORDER BY id'),
    keysVersion: db.prepare('SELECT COALESCE(MAX(id), 0) FROM seal_key_events').pluck(),
    registerVersion: db.prepare('SELECT version FROM register_version WHERE id = 1').pluck(),
  };

  const wal = walDurabilityOf(db);

  class SealKeyConflict extends Error {}
  const changeSealKeys = db.transaction((change: SealKeyChange) => {
    if (change.retire && stmt.retireKey.run(change.retire.kid).changes !== 1) throw new SealKeyConflict();
    if (change.revoke && stmt.revokeKey.run(change.revoke.revokedAt, change.revoke.kid).changes !== 1)
      throw new SealKeyConflict();
    const key = change.insert;
    if (key) {
      const inserted = stmt.insertKey.run(
        key.kid,
        key.municipalityCode,
        Buffer.from(key.publicKeySpkiDer),
        key.createdAt,
        key.validFrom,
        key.validTo,
        key.status,
        key.revokedAt ?? null,
      );
      if (inserted.changes !== 1) throw new SealKeyConflict();
    }
    for (const e of change.events)
      stmt.insertKeyEvent.run(e.at, e.actor, e.action, e.kid, e.municipalityCode, e.detail);
  });

  /** Why a challenge could not be consumed (the guarded UPDATE changed nothing). */
  const refusal = (challenge: string, terminalId: string, transactionId: string) =>
    challengeRefusal(
      stmt.getChallenge.get(challenge) as StoredChallengeBinding | undefined,
      terminalId,
      transactionId,
    );

  const putRegister = db.transaction((register: RegisterBatch) => {
    const loadedAt = register.loadedAt ?? Date.now();
    for (const m of register.municipalities) stmt.loadMunicipality.run(m.code, JSON.stringify(m), loadedAt);
    for (const h of register.households) stmt.putHousehold.run(h.householdId, h.municipalityCode, h.address);
    for (const r of register.residents)
      stmt.putResident.run(r.holderId, r.householdId, r.householdOrder, r.status, JSON.stringify(r));
  });

  const registerCertificates = db.transaction((entries: readonly CertificateRegistryEntry[]) => {
    for (const e of entries) stmt.registerCertificate.run(e.caFingerprint, e.serialNumberHex, e.holderId);
  });

  const recordIssuance = db.transaction(
    (issued: IssuedDocumentRecord, billing: BillingRecord): IssuedDocumentRecord => {
      const seal = Buffer.from(issued.seal);
      const inserted = stmt.insertIssued.run(
        issued.transactionId,
        issued.holderId,
        issued.municipalityCode,
        issued.certificateType,
        issued.copies,
        issued.documentJson,
        seal,
        issued.issuedAt,
        issued.requestSha256 ?? null,
        issued.documentSha256 ?? null,
      ).changes;
      if (inserted !== 1) return issuedFromRow(stmt.getIssued.get(issued.transactionId) as IssuedRow);
      stmt.insertBilling.run(
        billing.transactionId,
        billing.municipalityCode,
        billing.certificateType,
        billing.copies,
        billing.feeYenTotal,
        billing.billedAt,
      );
      // The row as written (STRICT columns store these values unchanged): no need to read it back.
      return issuedFromRow({
        transaction_id: issued.transactionId,
        holder_id: issued.holderId,
        municipality_code: issued.municipalityCode,
        certificate_type: issued.certificateType,
        copies: issued.copies,
        document_json: issued.documentJson,
        seal,
        issued_at: issued.issuedAt,
        request_sha256: issued.requestSha256 ?? null,
        document_sha256: issued.documentSha256 ?? null,
        purged_at: null,
      });
    },
  );

  const recordDelivery = db.transaction(
    (transactionId: string, report: DeliveryReportRecord): DeliveryRecording => {
      const row = stmt.getBilling.get(transactionId) as BillingRow | undefined;
      if (!row) return { kind: 'not-issued' };
      const entry = billingFromRow(row);
      if (!copiesFitIssuance(entry, report)) return { kind: 'bad-copies' };
      if (entry.state !== 'pending')
        return sameSettlement(entry, report) ? { kind: 'recorded', entry } : { kind: 'conflict', entry };
      const settlement = settlementFor(entry, report);
      // The row as settled comes back from the UPDATE itself (read in this transaction, pending).
      const settled = stmt.settleBilling.get(
        report.outcome === 'delivered' ? 'billed' : 'voided',
        settlement.copies,
        settlement.billedYen,
        settlement.settledAt,
        settlement.proof?.signature ?? null,
        settlement.proof?.reportedAt ?? null,
        transactionId,
      ) as BillingRow;
      return { kind: 'recorded', entry: billingFromRow(settled) };
    },
  );

  const municipalityOf = (code: string) => {
    const json = stmt.getMunicipality.get(code) as string | undefined;
    return json === undefined ? undefined : storedMunicipality(json);
  };
  const householdOf = (householdId: string) => {
    const row = stmt.getHousehold.get(householdId) as HouseholdRecord | undefined;
    return row === undefined ? undefined : HouseholdRecordSchema.parse(row);
  };
  const residentOf = (holderId: string) => {
    const json = stmt.getResident.get(holderId) as string | undefined;
    return json === undefined ? undefined : ResidentRecordSchema.parse(JSON.parse(json));
  };
  const holderOf = (caFingerprint: string, serialNumberHex: string) =>
    stmt.findHolder.get(caFingerprint, serialNumberHex) as string | undefined;
  const isRevoked = (caFingerprint: string, serialNumberHex: string) =>
    stmt.isRevoked.get(caFingerprint, serialNumberHex) !== undefined;
  const sessionOf = (transactionId: string) => {
    const row = stmt.getSession.get(transactionId) as SessionRow | undefined;
    return row === undefined ? undefined : sessionFromRow(row);
  };

  return {
    async putMunicipality(config, provenance = { setBy: 'admin', setAt: Date.now() }) {
      const valid = MunicipalityConfigSchema.parse(config);
      stmt.putMunicipality.run(valid.code, JSON.stringify(valid), provenance.setBy, provenance.setAt ?? null);
    },
    async getRulesProvenance(code) {
      const row = stmt.getRulesProvenance.get(code) as ProvenanceRow | undefined;
      return row === undefined ? undefined : provenanceFromRow(row);
    },
    getMunicipality: async (code) => municipalityOf(code),
    async listMunicipalities() {
      return (stmt.listMunicipalities.all() as string[]).map(storedMunicipality);
    },
    async putRegister(register) {
      // Loaded again at every start (server/centre.ts): no fsync of its own.
      withoutOwnFsync(db, () =>
        putRegister.immediate({
          ...(register.loadedAt === undefined ? {} : { loadedAt: register.loadedAt }),
          municipalities: register.municipalities.map((m) => MunicipalityConfigSchema.parse(m)),
          households: register.households.map((h) => HouseholdRecordSchema.parse(h)),
          residents: register.residents.map((r) => ResidentRecordSchema.parse(r)),
        }),
      );
    },
    async putHousehold(household) {
      const h = HouseholdRecordSchema.parse(household);
      stmt.putHousehold.run(h.householdId, h.municipalityCode, h.address);
    },
    getHousehold: async (householdId) => householdOf(householdId),
    async putResident(resident) {
      const r = ResidentRecordSchema.parse(resident);
      stmt.putResident.run(r.holderId, r.householdId, r.householdOrder, r.status, JSON.stringify(r));
    },
    getResident: async (holderId) => residentOf(holderId),
    // In process, three reads cost what one join would.
    async getResidentHome(holderId, withHonseki) {
      const resident = residentOf(holderId);
      if (!resident) return undefined;
      const household = householdOf(resident.householdId);
      const residence = household && municipalityOf(household.municipalityCode);
      const honsekiCode = withHonseki ? resident.honseki?.municipalityCode : undefined;
      const honseki = honsekiCode === undefined ? undefined : municipalityOf(honsekiCode);
      return {
        resident,
        ...(household ? { household } : {}),
        ...(residence ? { residence } : {}),
        ...(honseki ? { honseki } : {}),
      };
    },
    async listHouseholdMembers(householdId): Promise<ResidentRecord[]> {
      return (stmt.listHouseholdMembers.all(householdId) as string[]).map((json) =>
        ResidentRecordSchema.parse(JSON.parse(json)),
      );
    },
    async registerCertificate(entry: CertificateRegistryEntry) {
      stmt.registerCertificate.run(entry.caFingerprint, entry.serialNumberHex, entry.holderId);
    },
    async registerCertificates(entries) {
      // Registered again at every start (server/centre.ts): no fsync of its own.
      withoutOwnFsync(db, () => registerCertificates.immediate(entries));
    },
    async revokeCertificate(caFingerprint, serialNumberHex, revokedAt) {
      stmt.revoke.run(caFingerprint, serialNumberHex, revokedAt);
    },
    isCertificateRevoked: async (caFingerprint, serialNumberHex) => isRevoked(caFingerprint, serialNumberHex),
    async certificateStanding(caFingerprint, serialNumberHex) {
      const holderId = holderOf(caFingerprint, serialNumberHex);
      return {
        ...(holderId === undefined ? {} : { holderId }),
        revoked: isRevoked(caFingerprint, serialNumberHex),
      };
    },
    async putChallenge(c: ChallengeRecord) {
      withoutOwnFsync(db, () =>
        stmt.putChallenge.run(c.challenge, c.terminalId, c.transactionId, c.expiresAt),
      );
    },
    async purgeChallenges(expiredBefore) {
      return withoutOwnFsync(db, () => stmt.purgeChallenges.run(expiredBefore).changes);
    },
    async consumeChallenge(challenge, terminalId, transactionId, now) {
      // One statement marks it used, atomically; the row is read only to say why it was refused.
      // Used challenges are never un-used, so a refusal read after the UPDATE stays true.
      const used = withoutOwnFsync(
        db,
        () => stmt.useChallenge.run(now, challenge, terminalId, transactionId, now).changes,
      );
      if (used !== 1) return refusal(challenge, terminalId, transactionId);
      // The replay check: on disk before the signature it consumed is accepted (a power failure
      // must not hand the challenge back while it is still fresh), through the shared WAL sync.
      await wal.durable();
      return { kind: 'consumed' };
    },
    async saveSession(s) {
      const changed = withoutOwnFsync(
        db,
        () =>
          stmt.saveSession.run(
            s.transactionId,
            s.terminalId,
            s.holderId,
            s.certificateFingerprint,
            s.caFingerprint,
            s.serialNumberHex,
            s.authenticatedAt,
            s.expiresAt,
          ).changes,
      );
      // Durable before the kiosk goes on to payment, as an issuance: through the shared WAL sync.
      await wal.durable();
      return changed === 1 ? { kind: 'saved' } : { kind: 'bound-to-other-card' };
    },
    getSession: async (transactionId) => sessionOf(transactionId),
    async getSessionStanding(transactionId) {
      const session = sessionOf(transactionId);
      if (!session) return undefined;
      return {
        session,
        issued: stmt.isIssued.get(transactionId) !== undefined,
        certificateRevoked: isRevoked(session.caFingerprint, session.serialNumberHex),
      };
    },
    async getIssuedDocument(transactionId) {
      const row = stmt.getIssued.get(transactionId) as IssuedRow | undefined;
      return row === undefined ? undefined : issuedFromRow(row);
    },
    async recordIssuance(issued, billing) {
      // Durable before it answers: its own commit, then a WAL sync shared with concurrent ones.
      const stored = withoutOwnFsync(db, () => recordIssuance.immediate(issued, billing));
      await wal.durable();
      return stored;
    },
    async listBillingRecords() {
      return (stmt.listBilling.all() as BillingRow[]).map(billingFromRow);
    },
    async recordDelivery(transactionId, report) {
      const recorded = withoutOwnFsync(db, () => recordDelivery(transactionId, report));
      await wal.durable();
      return recorded;
    },
    async purgeIssuedDocument(transactionId, documentSha256, now) {
      // Lost in a power failure, the document is emptied by the retention job instead.
      const purged = withoutOwnFsync(db, () =>
        stmt.purgeIssued.run({ now, sha256: documentSha256 ?? null, transactionId }),
      );
      return purged.changes === 1;
    },
    async listKeptIssuedDocuments(issuedBefore, limit) {
      return stmt.listKept.all(issuedBefore, limit) as { transactionId: string; documentJson: string }[];
    },
    async listMunicipalityKeys() {
      return (stmt.listKeys.all() as KeyRow[]).map(keyFromRow);
    },
    async changeSealKeys(change) {
      try {
        changeSealKeys(change);
        return 'done';
      } catch (error) {
        if (error instanceof SealKeyConflict) return 'conflict';
        throw error;
      }
    },
    async listSealKeyEvents(municipalityCode) {
      return (stmt.listKeyEvents.all(municipalityCode) as SealKeyEventRow[]).map(sealKeyEventFromRow);
    },
    async sealKeysVersion() {
      return stmt.keysVersion.get() as number;
    },
    async registerVersion() {
      return stmt.registerVersion.get() as number;
    },
    async close() {
      await wal.close();
      db.close();
    },
  };
}
