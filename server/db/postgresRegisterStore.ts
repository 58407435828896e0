import type { Pool, QueryResultRow } from 'pg';
import { newRequestId, type PersistentRegisterStore } from '../municipal/register-store.ts';
import { inTransaction, REGISTER_LOCK } from './postgresRepository.ts';
import { preparedStatement, runPrepared, type PreparedStatement } from './postgres-statements.ts';
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

/** Filing retries when a random request id collides or an open request is decided meanwhile. */
const FILE_ATTEMPTS = 5;

/** The registers' reads a kiosk transaction makes, prepared once per connection. */
const SQL = {
  inkanOf: preparedStatement(
    'registers.inkan-of',
    `SELECT r.record_json, a.abolished_on FROM inkan_registrations r
     LEFT JOIN inkan_abolitions a ON a.holder_id = r.holder_id AND a.registration_number = r.registration_number
     WHERE r.holder_id = $1`,
  ),
  taxAssessment: preparedStatement(
    'registers.tax-assessment',
    'SELECT record_json FROM tax_assessments WHERE holder_id = $1 AND fiscal_year = $2',
  ),
  taxYearsOf: preparedStatement(
    'registers.tax-years-of',
    'SELECT fiscal_year FROM tax_assessments WHERE holder_id = $1 ORDER BY fiscal_year DESC',
  ),
  kosekiOf: preparedStatement(
    'registers.koseki-of',
    'SELECT record_json FROM koseki_records WHERE koseki_id = $1',
  ),
  fuhyoOf: preparedStatement(
    'registers.fuhyo-of',
    'SELECT record_json FROM fuhyo_records WHERE holder_id = $1',
  ),
  useRegistrationOf: preparedStatement(
    'registers.use-registration-of',
    `SELECT * FROM koseki_use_registrations WHERE holder_id = $1 AND honseki_municipality_code = $2
     ORDER BY filed_at DESC, status = 'rejected', request_id DESC LIMIT 1`,
  ),
  // inkanOf ($2), useRegistrationOf ($4, when not null) and taxYearsOf ($3) in one round trip.
  menuRegistersOf: preparedStatement(
    'registers.menu-registers-of',
    `SELECT
       (SELECT json_build_object('record_json', r.record_json, 'abolished_on', a.abolished_on)
        FROM inkan_registrations r
        LEFT JOIN inkan_abolitions a ON a.holder_id = r.holder_id AND a.registration_number = r.registration_number
        WHERE $2::boolean AND r.holder_id = $1 LIMIT 1) AS inkan,
       (SELECT row_to_json(u) FROM (
          SELECT * FROM koseki_use_registrations WHERE holder_id = $1 AND honseki_municipality_code = $4::text
          ORDER BY filed_at DESC, status = 'rejected', request_id DESC LIMIT 1) u) AS use_registration,
       CASE WHEN $3::boolean
         THEN ARRAY(SELECT fiscal_year FROM tax_assessments WHERE holder_id = $1 ORDER BY fiscal_year DESC)
       END AS tax_years`,
  ),
} satisfies Record<string, PreparedStatement>;

/** What `menuRegistersOf`'s statement reads (pg parses the json columns and the integer array). */
interface MenuRegistersRow {
  inkan: { record_json: string; abolished_on: string | null } | null;
  use_registration: UseRegistrationRow | null;
  tax_years: number[] | null;
}
const MENU_REGISTERS_NONE: MenuRegistersRow = { inkan: null, use_registration: null, tax_years: null };

/**
 * The municipal registers on the centre's PostgreSQL database (migration 5). Reads go to the
 * database every time; atomic changes rest on keys (`INSERT … ON CONFLICT`, a partial unique
 * index for open 利用登録 requests) and conditional updates, so several centre processes may
 * share the database.
 */
export function postgresRegisterStore(pool: Pool): PersistentRegisterStore {
  async function rows<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await pool.query<T>(sql, params)).rows;
  }
  async function prepared<T extends QueryResultRow>(
    statement: PreparedStatement,
    values: unknown[],
  ): Promise<T[]> {
    return (await runPrepared<T>(pool, statement, values)).rows;
  }
  const useRows = (found: UseRegistrationRow[]) => found.map(useRegistrationFromRow);
  const USE_BY_REQUEST = 'SELECT * FROM koseki_use_registrations WHERE request_id = $1';

  return {
    async load(registers) {
      const inkan = registers.inkan.map((x) => InkanRegistrationSchema.parse(x));
      const taxes = registers.taxes.map((x) => TaxAssessmentSchema.parse(x));
      const koseki = registers.koseki.map((x) => KosekiRecordSchema.parse(x));
      const fuhyo = registers.fuhyo.map((x) => FuhyoRecordSchema.parse(x));
      const uses = registers.kosekiUseRegistrations.map((x) => KosekiUseRegistrationSchema.parse(x));
      await inTransaction(pool, async (client) => {
        // Loads from several centres starting at once run one after the other (no deadlocks).
        await client.query('SELECT pg_advisory_xact_lock($1)', [REGISTER_LOCK]);
        // Unchanged rows are not rewritten (a restart loads the same register again).
        await client.query(
          `INSERT INTO inkan_registrations (holder_id, municipality_code, registration_number, status, record_json)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT (holder_id) DO UPDATE SET municipality_code = excluded.municipality_code,
             registration_number = excluded.registration_number, status = excluded.status,
             record_json = excluded.record_json
           WHERE inkan_registrations.record_json IS DISTINCT FROM excluded.record_json`,
          [
            inkan.map((r) => r.holderId),
            inkan.map((r) => r.municipalityCode),
            inkan.map((r) => r.registrationNumber),
            inkan.map((r) => r.status),
            inkan.map((r) => JSON.stringify(r)),
          ],
        );
        await client.query(
          `INSERT INTO tax_assessments (holder_id, fiscal_year, municipality_code, record_json)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
           ON CONFLICT (holder_id, fiscal_year) DO UPDATE SET municipality_code = excluded.municipality_code,
             record_json = excluded.record_json
           WHERE tax_assessments.record_json IS DISTINCT FROM excluded.record_json`,
          [
            taxes.map((t) => t.holderId),
            taxes.map((t) => t.fiscalYear),
            taxes.map((t) => t.municipalityCode),
            taxes.map((t) => JSON.stringify(t)),
          ],
        );
        await client.query(
          `INSERT INTO koseki_records (koseki_id, municipality_code, record_json)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
           ON CONFLICT (koseki_id) DO UPDATE SET municipality_code = excluded.municipality_code,
             record_json = excluded.record_json
           WHERE koseki_records.record_json IS DISTINCT FROM excluded.record_json`,
          [
            koseki.map((k) => k.kosekiId),
            koseki.map((k) => k.municipalityCode),
            koseki.map((k) => JSON.stringify(k)),
          ],
        );
        await client.query(
          `INSERT INTO fuhyo_records (holder_id, koseki_id, municipality_code, record_json)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT (holder_id) DO UPDATE SET koseki_id = excluded.koseki_id,
             municipality_code = excluded.municipality_code, record_json = excluded.record_json
           WHERE fuhyo_records.record_json IS DISTINCT FROM excluded.record_json`,
          [
            fuhyo.map((f) => f.holderId),
            fuhyo.map((f) => f.kosekiId),
            fuhyo.map((f) => f.municipalityCode),
            fuhyo.map((f) => JSON.stringify(f)),
          ],
        );
        // Requests already on file (and their decisions) stay as they are.
        await client.query(
          `INSERT INTO koseki_use_registrations (request_id, holder_id, honseki_municipality_code, status, filed_at, decided_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
           ON CONFLICT DO NOTHING`,
          [
            uses.map((u) => u.requestId),
            uses.map((u) => u.holderId),
            uses.map((u) => u.honsekiMunicipalityCode),
            uses.map((u) => u.status),
            uses.map((u) => u.filedAt),
            uses.map((u) => u.decidedAt ?? null),
          ],
        );
      });
    },
    async inkanOf(holderId) {
      const [row] = await prepared<{ record_json: string; abolished_on: string | null }>(SQL.inkanOf, [
        holderId,
      ]);
      return row === undefined ? undefined : inkanFromRow(row.record_json, row.abolished_on);
    },
    async abolishInkan(holderId, onDate) {
      // The primary key decides: of two concurrent abolitions exactly one inserts.
      const inserted = await pool.query(
        `INSERT INTO inkan_abolitions (holder_id, registration_number, abolished_on)
         SELECT holder_id, registration_number, $2 FROM inkan_registrations WHERE holder_id = $1 AND status = 'registered'
         ON CONFLICT DO NOTHING`,
        [holderId, onDate],
      );
      return inserted.rowCount === 1 ? 'abolished' : 'not-registered';
    },
    async taxAssessment(holderId, fiscalYear) {
      const [row] = await prepared<{ record_json: string }>(SQL.taxAssessment, [holderId, fiscalYear]);
      return row === undefined ? undefined : TaxAssessmentSchema.parse(JSON.parse(row.record_json));
    },
    async taxYearsOf(holderId) {
      return (await prepared<{ fiscal_year: number }>(SQL.taxYearsOf, [holderId])).map((r) => r.fiscal_year);
    },
    async kosekiOf(kosekiId) {
      const [row] = await prepared<{ record_json: string }>(SQL.kosekiOf, [kosekiId]);
      return row === undefined ? undefined : KosekiRecordSchema.parse(JSON.parse(row.record_json));
    },
    async fuhyoOf(holderId) {
      const [row] = await prepared<{ record_json: string }>(SQL.fuhyoOf, [holderId]);
      return row === undefined ? undefined : FuhyoRecordSchema.parse(JSON.parse(row.record_json));
    },
    async menuRegistersOf(holderId, asked) {
      // A 住民票's issue asks for none: no round trip.
      if (!asked.inkan && !asked.taxYears && asked.honsekiCode === undefined) return { taxYears: [] };
      const [row] = await prepared<MenuRegistersRow>(SQL.menuRegistersOf, [
        holderId,
        asked.inkan,
        asked.taxYears,
        asked.honsekiCode ?? null,
      ]);
      const { inkan, use_registration: use, tax_years: taxYears } = row ?? MENU_REGISTERS_NONE;
      return {
        ...(inkan ? { inkan: inkanFromRow(inkan.record_json, inkan.abolished_on) } : {}),
        ...(use ? { useRegistration: useRegistrationFromRow(use) } : {}),
        taxYears: taxYears ?? [],
      };
    },
    async useRegistrationOf(holderId, code) {
      const found = await prepared<UseRegistrationRow>(SQL.useRegistrationOf, [holderId, code]);
      return useRows(found)[0];
    },
    async fileUseRegistration(holderId, code, at) {
      for (let attempt = 0; attempt < FILE_ATTEMPTS; attempt++) {
        // The partial unique index keeps one open request per person and 本籍地: a concurrent
        // filing from another centre makes this insert do nothing, and the open one is answered.
        const requestId = newRequestId();
        const inserted = await rows<UseRegistrationRow>(
          `INSERT INTO koseki_use_registrations (request_id, holder_id, honseki_municipality_code, status, filed_at)
           VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT DO NOTHING RETURNING *`,
          [requestId, holderId, code, at],
        );
        const open =
          inserted.length > 0
            ? inserted
            : await rows<UseRegistrationRow>(
                `SELECT * FROM koseki_use_registrations WHERE holder_id = $1 AND honseki_municipality_code = $2
                 AND status IN ('pending', 'approved')`,
                [holderId, code],
              );
        const [filed] = useRows(open);
        if (filed) return filed;
      }
      throw new Error('利用登録: could not file a request (request id collisions)');
    },
    async getUseRegistration(requestId) {
      return useRows(await rows<UseRegistrationRow>(USE_BY_REQUEST, [requestId]))[0];
    },
    async decideUseRegistration(requestId, decision, at) {
      const decided = await rows<UseRegistrationRow>(
        `UPDATE koseki_use_registrations SET status = $2, decided_at = $3
         WHERE request_id = $1 AND status = 'pending' RETURNING *`,
        [requestId, decision, at],
      );
      return useRows(decided)[0];
    },
    async listUseRegistrations(code) {
      return useRows(
        await rows<UseRegistrationRow>(
          `SELECT * FROM koseki_use_registrations WHERE honseki_municipality_code = $1
           ORDER BY filed_at, request_id`,
          [code],
        ),
      );
    },
  };
}
