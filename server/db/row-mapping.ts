/**
 * Rows of the centre's tables, as both dialects hand them back, mapped to records. The shapes
 * hold for each dialect only as its repository reads them (say so where you call these):
 * binary columns arrive as a Buffer (SQLite BLOB, PostgreSQL bytea) and are copied into a plain
 * Uint8Array; integer columns arrive as numbers (SQLite INTEGER; PostgreSQL INTEGER, and BIGINT
 * epoch milliseconds through the pool's type parser).
 */
import type { IssuedDocumentRecord, MunicipalityKeyRecord, SealKeyEvent, SessionRecord } from './records.ts';

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
