/**
 * The centre's last heartbeat per terminal (table `terminal_health`, migration 11): one row per
 * terminal, replaced by each newer heartbeat. Health only — devices, supplies, the link, counts —
 * never a resident's data. SQLite and PostgreSQL behind one interface.
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { withoutOwnFsync } from '../db/sqlite-durability.ts';
import { KioskHealthSchema, type KioskHealth } from '../../protocol/heartbeat.ts';

export interface TerminalHealthRecord {
  terminalId: string;
  storeCode: string;
  /** When the kiosk sent it and when the centre took it (epoch ms). */
  sentAt: number;
  receivedAt: number;
  /** The notAfter of the terminal certificate the connection proved (epoch ms). */
  certificateNotAfter: number;
  health: KioskHealth;
  /** The kiosk's signature (base64), kept so the record can be checked again later. */
  signature: string;
}

export interface FleetStore {
  /** Keeps the record if it is newer than the one kept; returns whether it was kept. */
  record(entry: TerminalHealthRecord): Promise<boolean>;
  latest(): Promise<TerminalHealthRecord[]>;
}

interface Row {
  terminal_id: string;
  store_code: string;
  sent_at: number | string;
  received_at: number | string;
  certificate_not_after: number | string;
  health: string;
  signature: string;
}

function recordOf(row: Row): TerminalHealthRecord {
  return {
    terminalId: row.terminal_id,
    storeCode: row.store_code,
    sentAt: Number(row.sent_at),
    receivedAt: Number(row.received_at),
    certificateNotAfter: Number(row.certificate_not_after),
    health: KioskHealthSchema.parse(JSON.parse(row.health)),
    signature: row.signature,
  };
}

function values(e: TerminalHealthRecord): unknown[] {
  return [
    e.terminalId,
    e.storeCode,
    e.sentAt,
    e.receivedAt,
    e.certificateNotAfter,
    JSON.stringify(e.health),
    e.signature,
  ];
}

const COLUMNS = 'terminal_id, store_code, sent_at, received_at, certificate_not_after, health, signature';

export function sqliteFleetStore(db: Database): FleetStore {
  const upsert = db.prepare(
    `INSERT INTO terminal_health (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (terminal_id) DO UPDATE SET store_code = excluded.store_code, sent_at = excluded.sent_at,
       received_at = excluded.received_at, certificate_not_after = excluded.certificate_not_after,
       health = excluded.health, signature = excluded.signature
     WHERE excluded.sent_at > terminal_health.sent_at`,
  );
  const all = db.prepare(`SELECT ${COLUMNS} FROM terminal_health ORDER BY store_code, terminal_id`);
  return {
    // A heartbeat lost to a power failure is replaced by the next one: no fsync of its own.
    record: async (entry) => withoutOwnFsync(db, () => upsert.run(...values(entry)).changes === 1),
    latest: async () => (all.all() as Row[]).map(recordOf),
  };
}

export function postgresFleetStore(pool: pg.Pool): FleetStore {
  return {
    async record(entry) {
      const result = await pool.query(
        `INSERT INTO terminal_health (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (terminal_id) DO UPDATE SET store_code = EXCLUDED.store_code, sent_at = EXCLUDED.sent_at,
           received_at = EXCLUDED.received_at, certificate_not_after = EXCLUDED.certificate_not_after,
           health = EXCLUDED.health, signature = EXCLUDED.signature
         WHERE EXCLUDED.sent_at > terminal_health.sent_at`,
        values(entry),
      );
      return result.rowCount === 1;
    },
    async latest() {
      const result = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM terminal_health ORDER BY store_code, terminal_id`,
      );
      return result.rows.map(recordOf);
    },
  };
}
