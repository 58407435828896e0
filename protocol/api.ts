import { z } from 'zod';
import { CertificateTypeSchema } from './certificate-types.ts';
import { CertificateDocumentSchema } from './documents.ts';

/** Version of this contract. The kiosk sends it; the centre refuses a major version it does not speak. */
export const PROTOCOL_VERSION = '0.1.0';
export const API_PREFIX = '/v1';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** Kiosk-created, one per resident session, carried on every call. */
export const TransactionIdSchema = z.uuid();
/** Store code + terminal number, e.g. "S0001-T01". */
export const TerminalIdSchema = z.string().regex(/^[A-Z0-9]{1,16}-[A-Z0-9]{1,8}$/);

// POST /v1/challenge
export const ChallengeRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
});
export type ChallengeRequest = z.infer<typeof ChallengeRequestSchema>;
export const ChallengeResponseSchema = z.object({
  challenge: base64, // 32 random bytes
  expiresAt: z.iso.datetime({ offset: true }),
});
export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;

/**
 * POST /v1/authenticate
 * The card signs (RSASSA-PKCS1-v1_5, SHA-256) the message
 *   SHA-256(UTF-8 terminalId) ‖ SHA-256(challenge bytes)
 * i.e. the kiosk sends the card the DigestInfo of SHA-256 over those 64 bytes.
 */
export const AuthenticateRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  challenge: base64,
  certificate: base64.max(8192), // DER 利用者証明用 certificate
  signature: base64.max(1024),
  signatureAlgorithm: z.literal('RS256'),
});
export type AuthenticateRequest = z.infer<typeof AuthenticateRequestSchema>;

export const UnavailableReasonSchema = z.enum([
  'not-offered',
  'outside-hours',
  'registration-needed', // 利用登録 for the 本籍地
  'dv-block',
  'age',
  'no-registration', // e.g. no 印鑑登録
]);
export type UnavailableReason = z.infer<typeof UnavailableReasonSchema>;

export const MenuItemSchema = z.discriminatedUnion('available', [
  z.object({
    certificateType: CertificateTypeSchema,
    available: z.literal(true),
    feeYen: z.number().int().min(0).max(10_000),
    maxCopies: z.number().int().min(1).max(10),
  }),
  z.object({
    certificateType: CertificateTypeSchema,
    available: z.literal(false),
    reason: UnavailableReasonSchema,
  }),
]);
export type MenuItem = z.infer<typeof MenuItemSchema>;

export const AuthenticateResponseSchema = z.object({
  municipality: z.object({ code: z.string(), name: z.string() }),
  menu: z.array(MenuItemSchema),
});
export type AuthenticateResponse = z.infer<typeof AuthenticateResponseSchema>;

// POST /v1/issue — idempotent on transactionId.
export const IssueRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  certificateType: CertificateTypeSchema,
  copies: z.number().int().min(1).max(10),
});
export type IssueRequest = z.infer<typeof IssueRequestSchema>;

export const IssueResponseSchema = z.object({
  document: CertificateDocumentSchema,
  /** COSE_Sign1 (ES256, kid = municipality key id) over the canonical CBOR of `document`. */
  seal: base64.max(4096),
});
export type IssueResponse = z.infer<typeof IssueResponseSchema>;

// GET /v1/municipality-keys — public keys that verify seals (offline verifiers use the same list).
export const MunicipalityKeySchema = z.object({
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  municipalityCode: z.string(),
  publicKeySpki: base64, // DER SubjectPublicKeyInfo, P-256
});
export const MunicipalityKeysResponseSchema = z.object({ keys: z.array(MunicipalityKeySchema) });
export type MunicipalityKey = z.infer<typeof MunicipalityKeySchema>;
