/**
 * Rows of the centre's tables, as both dialects hand them back, mapped to records. The shapes
 * hold for each dialect only as its repository reads them (say so where you call these):
 * binary columns arrive as a Buffer (SQLite BLOB, PostgreSQL bytea) and are copied into a plain
 * Uint8Array; integer columns arrive as numbers (SQLite INTEGER; PostgreSQL INTEGER, and BIGINT
 * epoch milliseconds through the pool's type parser).
 */
import { z } from 'zod';
import type {
  BillingEntry,
  ChallengeConsumption,
  DeliveryReportRecord,
  DeliverySettlement,
  IssuedDocumentRecord,
  MunicipalityKeyRecord,
  SealKeyEvent,
  SessionRecord,
} from './records.ts';

const BillingStateSchema = z.enum(['pending', 'billed', 'voided']);

/** A row of `issued_documents` (`SELECT *`). */
export interface IssuedRow {
  transaction_id: string;
  holder_id: string;
  municipality_code: string;
  certificate_type: string;
  copies: number;
  document_json: string;
  seal: Uint8Array;
  issued_at: number;
  request_sha256: string | null;
  document_sha256: string | null;
  purged_at: number | null;
}

/** A row of `municipality_keys` (`SELECT *`). */
export interface KeyRow {
  kid: string;
  municipality_code: string;
  public_key_spki: Uint8Array;
  created_at: number;
  valid_from: number;
  valid_to: number;
  status: MunicipalityKeyRecord['status'];
  revoked_at: number | null;
}

/** A row of `seal_key_events` (`SELECT *`). */
export interface SealKeyEventRow {
  id: number;
  at: number;
  actor: string;
  action: SealKeyEvent['action'];
  kid: string;
  municipality_code: string;
  detail: string;
}

export function sealKeyEventFromRow(row: SealKeyEventRow): SealKeyEvent {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action,
    kid: row.kid,
    municipalityCode: row.municipality_code,
    detail: row.detail,
  };
}

/** A row of `sessions` (`SELECT *`). */
export interface SessionRow {
  transaction_id: string;
  terminal_id: string;
  holder_id: string;
  certificate_fingerprint: string;
  ca_fingerprint: string;
  serial_hex: string;
  authenticated_at: number;
  expires_at: number;
}

export function issuedFromRow(row: IssuedRow): IssuedDocumentRecord {
  return {
    transactionId: row.transaction_id,
    holderId: row.holder_id,
    municipalityCode: row.municipality_code,
    certificateType: row.certificate_type,
    copies: row.copies,
    documentJson: row.document_json,
    seal: new Uint8Array(row.seal),
    issuedAt: row.issued_at,
    ...(row.request_sha256 === null ? {} : { requestSha256: row.request_sha256 }),
    ...(row.document_sha256 === null ? {} : { documentSha256: row.document_sha256 }),
    ...(row.purged_at === null ? {} : { purgedAt: row.purged_at }),
  };
}

export function keyFromRow(row: KeyRow): MunicipalityKeyRecord {
  return {
    kid: row.kid,
    municipalityCode: row.municipality_code,
    publicKeySpkiDer: new Uint8Array(row.public_key_spki),
    createdAt: row.created_at,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    status: row.status,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}

export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    transactionId: row.transaction_id,
    terminalId: row.terminal_id,
    holderId: row.holder_id,
    certificateFingerprint: row.certificate_fingerprint,
    caFingerprint: row.ca_fingerprint,
    serialNumberHex: row.serial_hex,
    authenticatedAt: row.authenticated_at,
    expiresAt: row.expires_at,
  };
}

/** A billing_records row as both dialects read it (aliases as written in the queries). */
export interface BillingRow {
  transactionId: string;
  municipalityCode: string;
  certificateType: string;
  copies: number;
  feeYenTotal: number;
  billedAt: number;
  state: string;
  deliveredCopies: number | null;
  billedYen: number | null;
  settledAt: number | null;
  deliverySignature: string | null;
  deliveryReportedAt: number | null;
}

/** The columns of a BillingRow, for both dialects (identifiers quoted for PostgreSQL). */
export const BILLING_COLUMNS = `transaction_id AS "transactionId", municipality_code AS "municipalityCode",
  certificate_type AS "certificateType", copies, fee_yen_total AS "feeYenTotal", billed_at AS "billedAt",
  state, delivered_copies AS "deliveredCopies", billed_yen AS "billedYen", settled_at AS "settledAt",
  delivery_signature AS "deliverySignature", delivery_reported_at AS "deliveryReportedAt"`;

export function billingFromRow(row: BillingRow): BillingEntry {
  const state = BillingStateSchema.parse(row.state);
  const entry: BillingEntry = {
    transactionId: row.transactionId,
    municipalityCode: row.municipalityCode,
    certificateType: row.certificateType,
    copies: row.copies,
    feeYenTotal: row.feeYenTotal,
    billedAt: row.billedAt,
    state,
  };
  if (state === 'pending' || row.deliveredCopies === null || row.billedYen === null || row.settledAt === null)
    return entry;
  return {
    ...entry,
    settlement: {
      outcome: state === 'billed' ? 'delivered' : 'voided',
      copies: row.deliveredCopies,
      billedYen: row.billedYen,
      settledAt: row.settledAt,
      ...(row.deliverySignature !== null && row.deliveryReportedAt !== null
        ? { proof: { signature: row.deliverySignature, reportedAt: row.deliveryReportedAt } }
        : {}),
    },
  };
}

/** What a delivery report settles a pending row to: the fee is per copy, from the quoted total. */
export function settlementFor(row: BillingEntry, report: DeliveryReportRecord): DeliverySettlement {
  const perCopy = row.copies > 0 ? row.feeYenTotal / row.copies : 0;
  return {
    outcome: report.outcome,
    copies: report.outcome === 'voided' ? 0 : report.copies,
    billedYen: report.outcome === 'voided' ? 0 : perCopy * report.copies,
    settledAt: report.at,
    ...(report.proof ? { proof: report.proof } : {}),
  };
}

/** Delivered: 1..issued copies; voided: 0. */
export function copiesFitIssuance(entry: BillingEntry, report: { outcome: string; copies: number }): boolean {
  return report.outcome === 'voided'
    ? report.copies === 0
    : Number.isInteger(report.copies) && report.copies >= 1 && report.copies <= entry.copies;
}

/** A settled row answers a repeated report with the same outcome and copies. */
export function sameSettlement(entry: BillingEntry, report: { outcome: string; copies: number }): boolean {
  return (
    entry.settlement !== undefined &&
    entry.settlement.outcome === report.outcome &&
    entry.settlement.copies === (report.outcome === 'voided' ? 0 : report.copies)
  );
}

/** A stored challenge as far as a refusal needs it (both databases' column names). */
export interface StoredChallengeBinding {
  terminal_id: string;
  transaction_id: string;
  used_at: number | null;
}

/**
 * Why a challenge was refused when the guarded UPDATE (unused, unexpired, this terminal and
 * transaction) consumed nothing, from the row as it is now: absent, bound elsewhere, used, or else
 * expired. Used challenges are never un-used, so the answer read after the UPDATE stays true.
 */
export function challengeRefusal(
  row: StoredChallengeBinding | undefined,
  terminalId: string,
  transactionId: string,
): Exclude<ChallengeConsumption, { kind: 'consumed' }> {
  if (!row) return { kind: 'unknown' };
  if (row.terminal_id !== terminalId || row.transaction_id !== transactionId)
    return { kind: 'wrong-binding' };
  return row.used_at !== null ? { kind: 'used' } : { kind: 'expired' };
}
