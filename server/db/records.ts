import { z } from 'zod';

/** What the centre stores. Validated with zod when written and when read back. */

// The municipality's configuration is the municipal rules schema (server/municipal/rules.ts):
// unknown or contradictory settings are refused when written and when read back.
export {
  CertificateOfferingSchema,
  MunicipalRulesSchema as MunicipalityConfigSchema,
  ServiceHoursSchema,
} from '../municipal/rules.ts';
import type { MunicipalRulesSchema as MunicipalityConfigSchema } from '../municipal/rules.ts';
export type MunicipalityRecord = z.infer<typeof MunicipalityConfigSchema>;

export const HouseholdRecordSchema = z.object({
  householdId: z.string().min(1),
  municipalityCode: z.string().regex(/^\d{6}$/),
  address: z.string().min(1).max(256),
});
export type HouseholdRecord = z.infer<typeof HouseholdRecordSchema>;

/** A person on the resident register. No PIN and no My Number: those never reach the centre's store. */
export const ResidentRecordSchema = z.object({
  holderId: z.string().min(1),
  householdId: z.string().min(1),
  municipalityCode: z.string().regex(/^\d{6}$/),
  householdOrder: z.number().int().min(1),
  name: z.string().min(1).max(64),
  nameKana: z.string().max(128),
  birthDate: z.iso.date(),
  sex: z.enum(['男', '女']),
  relationship: z.string().max(16),
  residentSince: z.iso.date(),
  previousAddress: z.string().max(256).optional(),
  kyuuji: z.string().max(64).optional(),
  tsusho: z.string().max(64).optional(),
  nationality: z.string().max(64).optional(),
  addressSince: z.iso.date().optional(), // 住所を定めた年月日
  addressNotifiedOn: z.iso.date().optional(), // 届出日
  entry: z.object({ reason: z.string().min(1).max(32), date: z.iso.date() }).optional(), // 記載事由
  /** 外国人住民: 30条45規定区分, 在留資格, 在留期間 (the nationality is `nationality`). */
  foreign: z
    .object({
      category: z.string().min(1).max(32),
      residenceStatus: z.string().max(64).optional(),
      periodOfStay: z.string().max(32).optional(),
      stayExpiresOn: z.iso.date().optional(),
    })
    .optional(),
  status: z.enum(['resident', 'moved-out', 'deceased']),
  dvBlock: z.boolean(),
  inkanRegistered: z.boolean(),
  honseki: z
    .object({
      municipalityCode: z.string().regex(/^\d{6}$/),
      address: z.string().max(256),
      hittousha: z.string().max(64),
      kioskRegistration: z.boolean(),
    })
    .optional(),
});
export type ResidentRecord = z.infer<typeof ResidentRecordSchema>;

/**
 * Who last set a municipality's rules: the seed (the register loaded at start) or the
 * municipality itself (the admin API). A load only rewrites rules the seed owns.
 */
export interface RulesProvenance {
  setBy: 'seed' | 'admin';
  /** Epoch ms; absent for rules stored before provenance was recorded. */
  setAt?: number;
}

/** The rules' provenance as stored (both dialects). */
export interface ProvenanceRow {
  setBy: string;
  setAt: number | null;
}

export function provenanceFromRow(row: ProvenanceRow): RulesProvenance {
  const setBy = z.enum(['seed', 'admin']).parse(row.setBy);
  return row.setAt === null ? { setBy } : { setBy, setAt: row.setAt };
}

/** A register (or part of one) written in one go. */
export interface RegisterBatch {
  /** Seed-owned: inserted, or rewritten only where the seed set them last (never over an admin change). */
  municipalities: readonly MunicipalityRecord[];
  households: readonly HouseholdRecord[];
  residents: readonly ResidentRecord[];
  /** When the load happened (epoch ms): the seed rules' `setAt`. Default: now. */
  loadedAt?: number;
}

export interface CertificateRegistryEntry {
  /** SHA-256 (hex) of the issuing CA certificate's DER: generations share a DN, so the name is not enough. */
  caFingerprint: string;
  serialNumberHex: string; // lower-case, no leading zeros
  holderId: string;
}

export interface ChallengeRecord {
  challenge: string; // base64 of 32 bytes
  terminalId: string;
  transactionId: string;
  expiresAt: number; // epoch ms
}

export type ChallengeConsumption =
  | { kind: 'consumed' }
  | { kind: 'unknown' }
  | { kind: 'wrong-binding' }
  | { kind: 'expired' }
  | { kind: 'used' };

export interface SessionRecord {
  transactionId: string;
  terminalId: string;
  holderId: string;
  /** SHA-256 hex of the authenticated DER certificate: becomes the document's holderBinding. */
  certificateFingerprint: string;
  /** Issuing CA + serial, so revocation can be checked again at the moment of issue. */
  caFingerprint: string;
  serialNumberHex: string;
  authenticatedAt: number;
  expiresAt: number;
}

export type SaveSessionResult = { kind: 'saved' } | { kind: 'bound-to-other-card' };

export interface IssuedDocumentRecord {
  transactionId: string;
  holderId: string;
  municipalityCode: string;
  certificateType: string;
  copies: number;
  /** The document and its seal; both empty ('' and no bytes) once purged. */
  documentJson: string;
  seal: Uint8Array;
  issuedAt: number;
  /** SHA-256 (hex) of the canonical issue request (type, copies, options): a retry must match it. Absent on rows from before migration 9. */
  requestSha256?: string;
  /** SHA-256 (hex) of `documentJson` as issued, kept after the purge. */
  documentSha256?: string;
  /** When the document and seal were emptied (delivery confirmed or retention time passed). */
  purgedAt?: number;
}

/** What is recorded at issue: the issued copies at the quoted fee, not yet billed. */
export interface BillingRecord {
  transactionId: string;
  municipalityCode: string;
  certificateType: string;
  copies: number;
  feeYenTotal: number;
  /** When the issuance was recorded (epoch ms). */
  billedAt: number;
}

export type BillingState = 'pending' | 'billed' | 'voided';

/** What the kiosk reported: the resident got `copies` (billed), or nothing (voided). */
export interface DeliverySettlement {
  outcome: 'delivered' | 'voided';
  copies: number;
  /** Fee per copy × copies delivered; 0 when voided. */
  billedYen: number;
  settledAt: number;
  /** The terminal's signature over the report that settled it (absent: plain HTTP, or before 0.6). */
  proof?: DeliveryProof;
}

/** A signed delivery report's proof, kept with the billing row (protocol/delivery-signature.ts). */
export interface DeliveryProof {
  signature: string;
  /** The kiosk's `reportedAt` (epoch ms): with the report's fields, what was signed. */
  reportedAt: number;
}

/** A billing row as listed: pending until the kiosk's delivery report settles it. */
export interface BillingEntry extends BillingRecord {
  state: BillingState;
  settlement?: DeliverySettlement;
}

/** A delivery report as the repository settles it: `at` is the centre's clock. */
export interface DeliveryReportRecord {
  outcome: 'delivered' | 'voided';
  copies: number;
  at: number;
  proof?: DeliveryProof;
}

export type DeliveryRecording =
  | { kind: 'not-issued' }
  /** Delivered copies outside 1..issued copies (or voided with copies): nothing written. */
  | { kind: 'bad-copies' }
  /** Settled now, or already settled with the same report (idempotent). */
  | { kind: 'recorded'; entry: BillingEntry }
  /** Already settled with another report: the first one stands. */
  | { kind: 'conflict'; entry: BillingEntry };

/**
 * A municipal seal key as the centre records it: the public half and its lifecycle. The private
 * half lives only in the HSM (server/keys/), named there by the kid.
 */
export interface MunicipalityKeyRecord {
  kid: string;
  municipalityCode: string;
  publicKeySpkiDer: Uint8Array;
  createdAt: number;
  /** Seals made in [validFrom, validTo) verify; after validTo the key has expired. */
  validFrom: number;
  validTo: number;
  /** 'active' signs (one per municipality); 'retired' only verifies; 'revoked' from revokedAt on. */
  status: 'active' | 'retired' | 'revoked';
  revokedAt?: number;
}

/** One audited change to the seal keys: who did what to which key, when. */
export interface SealKeyEvent {
  at: number;
  /** e.g. `centre` (start-up), `admin:131016` (that municipality's admin token). */
  actor: string;
  action: 'created' | 'retired' | 'revoked';
  kid: string;
  municipalityCode: string;
  /** Why (first key, rotation, expiry, the revocation's reason and date); never personal data. */
  detail: string;
}

/**
 * One atomic change to the seal keys, with its audit events: retire the active key, revoke a key,
 * insert a new (active) key — any of them, all or nothing.
 */
export interface SealKeyChange {
  retire?: { kid: string };
  revoke?: { kid: string; revokedAt: number };
  insert?: MunicipalityKeyRecord;
  events: SealKeyEvent[];
}
