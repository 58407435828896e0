/**
 * A kiosk transaction's records as repository tests write them: one session, one issuance and its
 * billing row, for the transaction a test names; `overrides` change what a test is about.
 */
import type { BillingRecord, IssuedDocumentRecord, SessionRecord } from '../db/records.ts';

/** H0001's session on terminal S1-T1, card serial 1 of CA `ca`. */
export function sessionRecord(transactionId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    transactionId,
    terminalId: 'S1-T1',
    holderId: 'H0001',
    certificateFingerprint: 'a'.repeat(64),
    caFingerprint: 'ca',
    serialNumberHex: '1',
    authenticatedAt: 1,
    expiresAt: 2,
    ...overrides,
  };
}

/** One copy of H0001's 住民票 from 131016. */
export function issuedRecord(
  transactionId: string,
  overrides: Partial<IssuedDocumentRecord> = {},
): IssuedDocumentRecord {
  return {
    transactionId,
    holderId: 'H0001',
    municipalityCode: '131016',
    certificateType: 'juminhyo',
    copies: 1,
    documentJson: '{"page":1}',
    seal: new Uint8Array([9, 8, 7]),
    issuedAt: 1_790_000_000_000,
    ...overrides,
  };
}

/** The billing row of `issuedRecord`: one copy at 300 yen. */
export function billingRecord(transactionId: string, overrides: Partial<BillingRecord> = {}): BillingRecord {
  return {
    transactionId,
    municipalityCode: '131016',
    certificateType: 'juminhyo',
    copies: 1,
    feeYenTotal: 300,
    billedAt: 1_790_000_000_000,
    ...overrides,
  };
}
