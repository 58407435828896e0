import type Database from 'better-sqlite3';
import {
  menuRegistersFromSingleReads,
  newRequestId,
  type PersistentRegisterStore,
} from '../municipal/register-store.ts';
import type { KosekiUseRegistration, SeedRegisters } from '../seed/types.ts';
import {
  FuhyoRecordSchema,
  InkanRegistrationSchema,
  KosekiRecordSchema,
  KosekiUseRegistrationSchema,
  TaxAssessmentSchema,
  inkanFromRow,
  useRegistrationFromRow,
  type UseRegistrationRow,
} from './register-records.ts';
import { withoutOwnFsync } from './sqlite-durability.ts';

/** Filing retries when a random request id collides or an open request is decided meanwhile. */
const FILE_ATTEMPTS = 5;

/**
 * The municipal registers on the centre's SQLite database (migration 5). Reads go to the
 * database every time; every change is one statement or one transaction, so several processes on
 * one database file see the same state.
 */
export function sqliteRegisterStore(db: Database.Database): PersistentRegisterStore {
  const stmt = {
    // Unchanged rows are not rewritten (a restart loads the same register again).
    putInkan: db.prepare(
      `INSERT INTO inkan_registrations (holder_id, municipality_code, registration_number, status, record_json)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(holder_id) DO UPDATE SET municipality_code = excluded.municipality_code,
         registration_number = excluded.registration_number, status = excluded.status, record_json = excluded.record_json
       WHERE inkan_registrations.record_json <> excluded.record_json`,
    ),
    putTax: db.prepare(
      `INSERT INTO tax_assessments (holder_id, fiscal_year, municipality_code, record_json) VALUES (?, ?, ?, ?)
       ON CONFLICT(holder_id, fiscal_year) DO UPDATE SET municipality_code = excluded.municipality_code,
         record_json = excluded.record_json
       WHERE tax_assessments.record_json <> excluded.record_json`,
    ),
    putKoseki: db.prepare(
      `INSERT INTO koseki_records (koseki_id, municipality_code, record_json) VALUES (?, ?, ?)
       ON CONFLICT(koseki_id) DO UPDATE SET municipality_code = excluded.municipality_code, record_json = excluded.record_json
       WHERE koseki_records.record_json <> excluded.record_json`,
    ),
    putFuhyo: db.prepare(
      `INSERT INTO fuhyo_records (holder_id, koseki_id, municipality_code, record_json) VALUES (?, ?, ?, ?)
       ON CONFLICT(holder_id) DO UPDATE SET koseki_id = excluded.koseki_id,
         municipality_code = excluded.municipality_code, record_json = excluded.record_json
       WHERE fuhyo_records.record_json <> excluded.record_json`,
    ),
    // Any conflict (same id, or an open request for the same person and 本籍地) leaves the row on file.
    insertUse: db.prepare(
      `INSERT INTO koseki_use_registrations (request_id, holder_id, honseki_municipality_code, status, filed_at, decided_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    inkan: db.prepare(
      `SELECT r.record_json, a.abolished_on FROM inkan_registrations r
       LEFT JOIN inkan_abolitions a ON a.holder_id = r.holder_id AND a.registration_number = r.registration_number
       WHERE r.holder_id = ?`,
    ),
    abolish: db.prepare(
      `INSERT INTO inkan_abolitions (holder_id, registration_number, abolished_on)
       SELECT holder_id, registration_number, ? FROM inkan_registrations WHERE holder_id = ? AND status = 'registered'
       ON CONFLICT DO NOTHING`,
    ),
    tax: db
      .prepare('SELECT record_json FROM tax_assessments WHERE holder_id = ? AND fiscal_year = ?')
      .pluck(),
    taxYears: db
      .prepare('SELECT fiscal_year FROM tax_assessments WHERE holder_id = ? ORDER BY fiscal_year DESC')
      .pluck(),
    koseki: db.prepare('SELECT record_json FROM koseki_records WHERE koseki_id = ?').pluck(),
    fuhyo: db.prepare('SELECT record_json FROM fuhyo_records WHERE holder_id = ?').pluck(),
    latestUse: db.prepare(
      `SELECT * FROM koseki_use_registrations WHERE holder_id = ? AND honseki_municipality_code = ?
       ORDER BY filed_at DESC, status = 'rejected', request_id DESC LIMIT 1`,
    ),
    openUse: db.prepare(
      `SELECT * FROM koseki_use_registrations WHERE holder_id = ? AND honseki_municipality_code = ?
       AND status IN ('pending', 'approved')`,
    ),
    getUse: db.prepare('SELECT * FROM koseki_use_registrations WHERE request_id = ?'),
    decide: db.prepare(
      `UPDATE koseki_use_registrations SET status = ?, decided_at = ?
       WHERE request_id = ? AND status = 'pending' RETURNING *`,
    ),
    listUse: db.prepare(
      `SELECT * FROM koseki_use_registrations WHERE honseki_municipality_code = ?
       ORDER BY filed_at, request_id`,
    ),
  };

  const useRow = (row: unknown) =>
    row === undefined ? undefined : useRegistrationFromRow(row as UseRegistrationRow);

  const load = db.transaction((registers: SeedRegisters) => {
    for (const r of registers.inkan.map((x) => InkanRegistrationSchema.parse(x)))
      stmt.putInkan.run(r.holderId, r.municipalityCode, r.registrationNumber, r.status, JSON.stringify(r));
    for (const t of registers.taxes.map((x) => TaxAssessmentSchema.parse(x)))
      stmt.putTax.run(t.holderId, t.fiscalYear, t.municipalityCode, JSON.stringify(t));
    for (const k of registers.koseki.map((x) => KosekiRecordSchema.parse(x)))
      stmt.putKoseki.run(k.kosekiId, k.municipalityCode, JSON.stringify(k));
    for (const f of registers.fuhyo.map((x) => FuhyoRecordSchema.parse(x)))
      stmt.putFuhyo.run(f.holderId, f.kosekiId, f.municipalityCode, JSON.stringify(f));
    for (const u of registers.kosekiUseRegistrations.map((x) => KosekiUseRegistrationSchema.parse(x)))
      stmt.insertUse.run(
        u.requestId,
        u.holderId,
        u.honsekiMunicipalityCode,
        u.status,
        u.filedAt,
        u.decidedAt ?? null,
      );
  });

  const file = db.transaction((holderId: string, code: string, at: number): KosekiUseRegistration => {
    for (let attempt = 0; attempt < FILE_ATTEMPTS; attempt++) {
      const open = useRow(stmt.openUse.get(holderId, code));
      if (open) return open;
      const requestId = newRequestId();
      if (stmt.insertUse.run(requestId, holderId, code, 'pending', at, null).changes === 1) {
        return useRow(stmt.getUse.get(requestId)) as KosekiUseRegistration;
      }
    }
    throw new Error('利用登録: could not file a request (request id collisions)');
  });

  const store: PersistentRegisterStore = {
    async load(registers) {
      // Loaded again at every start (server/centre.ts): no fsync of its own.
      withoutOwnFsync(db, () => load.immediate(registers));
    },
    async inkanOf(holderId) {
      const row = stmt.inkan.get(holderId) as
        { record_json: string; abolished_on: string | null } | undefined;
      return row === undefined ? undefined : inkanFromRow(row.record_json, row.abolished_on);
    },
    async abolishInkan(holderId, onDate) {
      return stmt.abolish.run(onDate, holderId).changes === 1 ? 'abolished' : 'not-registered';
    },
    async taxAssessment(holderId, fiscalYear) {
      const json = stmt.tax.get(holderId, fiscalYear) as string | undefined;
      return json === undefined ? undefined : TaxAssessmentSchema.parse(JSON.parse(json));
    },
    async taxYearsOf(holderId) {
      return stmt.taxYears.all(holderId) as number[];
    },
    async kosekiOf(kosekiId) {
      const json = stmt.koseki.get(kosekiId) as string | undefined;
      return json === undefined ? undefined : KosekiRecordSchema.parse(JSON.parse(json));
    },
    async fuhyoOf(holderId) {
      const json = stmt.fuhyo.get(holderId) as string | undefined;
      return json === undefined ? undefined : FuhyoRecordSchema.parse(JSON.parse(json));
    },
    async useRegistrationOf(holderId, code) {
      return useRow(stmt.latestUse.get(holderId, code));
    },
    async fileUseRegistration(holderId, code, at) {
      return file.immediate(holderId, code, at);
    },
    async getUseRegistration(requestId) {
      return useRow(stmt.getUse.get(requestId));
    },
    async decideUseRegistration(requestId, decision, at) {
      return useRow(stmt.decide.get(decision, at, requestId));
    },
    async listUseRegistrations(code) {
      return stmt.listUse.all(code).map((row) => useRegistrationFromRow(row as UseRegistrationRow));
    },
    // In process, three reads cost what one statement would.
    menuRegistersOf: (holderId, asked) => menuRegistersFromSingleReads(store, holderId, asked),
  };
  return store;
}
