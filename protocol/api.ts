import { z } from 'zod';
import { CertificateTypeSchema } from './certificate-types.ts';
import { CertificateDocumentSchema, HouseholdScopeSchema } from './documents.ts';
import { SignedKeyListSchema } from './seal-keys.ts';

/**
 * Version of this contract (semver). The kiosk sends it; the centre refuses a major version it
 * does not speak. History in protocol/README.md.
 */
export const PROTOCOL_VERSION = '0.6.0';
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
  'unprintable', // the register's data does not fit the form (too long, a character no font has, a field missing): 窓口で
]);
export type UnavailableReason = z.infer<typeof UnavailableReasonSchema>;

/** The choices the municipality allows for one certificate type (absent = none). */
export const AllowedOptionsSchema = z.object({
  scopes: z.array(HouseholdScopeSchema).min(1).optional(),
  honseki: z.boolean().optional(), // 本籍・筆頭者 on a 住民票
  relationship: z.boolean().optional(), // 続柄 on a 住民票 (may be left out)
  myNumber: z.boolean().optional(), // 個人番号 on a 住民票
  /** Fiscal years (年度) on the register, newest first. */
  taxYears: z.array(z.number().int().min(2000).max(2100)).min(1).optional(),
});
export type AllowedOptions = z.infer<typeof AllowedOptionsSchema>;

export const MenuItemSchema = z.discriminatedUnion('available', [
  z.object({
    certificateType: CertificateTypeSchema,
    available: z.literal(true),
    feeYen: z.number().int().min(0).max(10_000),
    maxCopies: z.number().int().min(1).max(10),
    options: AllowedOptionsSchema.optional(),
  }),
  z.object({
    certificateType: CertificateTypeSchema,
    available: z.literal(false),
    reason: UnavailableReasonSchema,
  }),
]);
export type MenuItem = z.infer<typeof MenuItemSchema>;

/** A municipal notice shown on the menu (e.g. planned maintenance). */
export const NoticeSchema = z.object({
  id: z.string().min(1).max(32),
  ja: z.string().min(1).max(400),
  en: z.string().max(400).optional(),
});
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * What the menu needs, and nothing more: no names. The household's names are asked for only when
 * the resident chooses scope `members` (POST /v1/household-members).
 */
export const AuthenticateResponseSchema = z.object({
  municipality: z.object({ code: z.string(), name: z.string() }),
  menu: z.array(MenuItemSchema),
  notices: z.array(NoticeSchema).max(8).optional(),
});
export type AuthenticateResponse = z.infer<typeof AuthenticateResponseSchema>;

/** One person of the resident's household: position on the 住民票 (1-based) and name. */
export const HouseholdMemberSchema = z.object({
  order: z.number().int().min(1).max(99),
  name: z.string().min(1).max(100),
});
export type HouseholdMember = z.infer<typeof HouseholdMemberSchema>;

/**
 * POST /v1/household-members — the household to choose from, asked for when the resident chooses
 * scope `members` on the options screen of `certificateType` (a 住民票 type). The centre answers
 * only for a live (authenticated, unexpired) session of this transaction on this terminal, whose
 * card is not revoked, when the municipality allows scope `members` for that certificate now.
 */
export const HouseholdMembersRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  certificateType: CertificateTypeSchema,
});
export type HouseholdMembersRequest = z.infer<typeof HouseholdMembersRequestSchema>;
export const HouseholdMembersResponseSchema = z.object({
  /** In 住民票 order; `order` is what IssueOptions.members names. */
  members: z.array(HouseholdMemberSchema).min(1).max(16),
});
export type HouseholdMembersResponse = z.infer<typeof HouseholdMembersResponseSchema>;

/**
 * What the resident chose on the kiosk. Absent options keep the 0.1 behaviour: the whole
 * household with 続柄, no 本籍, no 個人番号, the newest fiscal year.
 */
export const IssueOptionsSchema = z.object({
  /** 住民票 / 記載事項証明書: whole household, the resident alone, or chosen members. */
  scope: HouseholdScopeSchema.optional(),
  /** With scope `members`: positions on the 住民票 (HouseholdMembersResponse.members[].order). */
  members: z.array(z.number().int().min(1).max(99)).min(1).max(16).optional(),
  includeHonseki: z.boolean().optional(), // 本籍・筆頭者
  includeRelationship: z.boolean().optional(), // 続柄
  /** 個人番号: the most sensitive option; only where the municipality allows it. */
  includeMyNumber: z.boolean().optional(),
  /** 所得・課税 / 納税: the fiscal year (年度). */
  taxYear: z.number().int().min(2000).max(2100).optional(),
});
export type IssueOptions = z.infer<typeof IssueOptionsSchema>;

// POST /v1/issue — idempotent on transactionId.
export const IssueRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  certificateType: CertificateTypeSchema,
  copies: z.number().int().min(1).max(10),
  options: IssueOptionsSchema.optional(),
  /**
   * The fee per copy the menu showed the resident (and the kiosk collected). The centre refuses
   * with `fee-changed`, before anything is recorded, when the municipality's fee is now different.
   * The 0.4 kiosk always sends it; absent (older clients) the current fee applies.
   */
  quotedFeeYen: z.number().int().min(0).max(10_000).optional(),
});
export type IssueRequest = z.infer<typeof IssueRequestSchema>;

export const IssueResponseSchema = z.object({
  document: CertificateDocumentSchema,
  /**
   * One QR seal per printed page, page 1 first (protocol/seal.ts): COSE_Sign1 (ES256, kid =
   * municipality key id) over that page's payload (document id, page i of n, holder binding,
   * the page's facts).
   */
  seals: z.array(base64.max(4096)).min(1).max(99),
});
export type IssueResponse = z.infer<typeof IssueResponseSchema>;

/**
 * POST /v1/transactions/{transactionId}/delivery — billing follows delivery. The centre records
 * an issuance as `pending`; the kiosk says what the resident got: `delivered` with the copies
 * printed (billed: fee × copies), or `voided` (nothing billed, e.g. refunded after a print
 * failure). Idempotent: the same report again gets the same answer; a different one after the
 * first is refused with `delivery-conflict`.
 */
export const DeliveryOutcomeSchema = z.enum(['delivered', 'voided']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcomeSchema>;
export const DeliveryReportSchema = z.object({
  terminalId: TerminalIdSchema,
  outcome: DeliveryOutcomeSchema,
  /** Copies handed to the resident: 1..issued copies when delivered, 0 when voided. */
  copies: z.number().int().min(0).max(10),
});
/** What the kiosk reports, before it is signed. */
export type DeliveryReport = z.infer<typeof DeliveryReportSchema>;
/**
 * The report as sent: signed by the terminal's key (the key of its mutual-TLS certificate) over
 * the canonical JSON of transaction id, terminal, outcome, copies and `reportedAt`
 * (protocol/delivery-signature.ts), so the billing record keeps a proof of who said it. Over
 * mutual TLS the centre refuses a report without a valid signature (`signature-invalid`, nothing
 * billed); a kiosk on plain HTTP (loopback, development) has no key and sends none.
 */
export const DeliveryRequestSchema = DeliveryReportSchema.extend({
  /** When the kiosk signed the report (ISO 8601, the kiosk's clock). */
  reportedAt: z.iso.datetime({ offset: true }).optional(),
  /** ECDSA P-256 SHA-256 signature (DER, base64) over `deliverySigningInput`. */
  signature: base64.min(8).max(200).optional(),
});
export type DeliveryRequest = z.infer<typeof DeliveryRequestSchema>;
export const BillingStateSchema = z.enum(['pending', 'billed', 'voided']);
export type BillingState = z.infer<typeof BillingStateSchema>;
export const DeliveryResponseSchema = z.object({
  transactionId: TransactionIdSchema,
  billing: z.enum(['billed', 'voided']),
  copies: z.number().int().min(0).max(10),
  feeYenTotal: z.number().int().min(0),
});
export type DeliveryResponse = z.infer<typeof DeliveryResponseSchema>;

/**
 * GET /v1/municipality-keys — the municipalities' seal keys (kid, municipality, validity, status,
 * revocation) in a list signed by a root key (protocol/seal-keys.ts). A kiosk trusts a key only
 * through a list that verifies against its provisioned root keys; offline verifiers use the same list.
 */
export const MunicipalityKeysResponseSchema = SignedKeyListSchema;
export type MunicipalityKeysResponse = z.infer<typeof MunicipalityKeysResponseSchema>;

/**
 * POST /v1/koseki-registration — 利用登録 for 戸籍 certificates when the 本籍地 is not the
 * municipality of residence. Filed from the kiosk in an authenticated transaction; the 本籍地
 * approves it (admin API); until then 戸籍 items are `registration-needed` on the menu.
 */
export const KosekiRegistrationRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
});
export type KosekiRegistrationRequest = z.infer<typeof KosekiRegistrationRequestSchema>;

export const KosekiRegistrationStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export type KosekiRegistrationStatus = z.infer<typeof KosekiRegistrationStatusSchema>;

export const KosekiRegistrationResponseSchema = z.object({
  requestId: z.string().regex(/^[0-9A-Z]{12}$/),
  status: KosekiRegistrationStatusSchema,
  /** The 本籍地 that decides. */
  municipality: z.object({ code: z.string(), name: z.string() }),
  filedAt: z.iso.datetime({ offset: true }),
});
export type KosekiRegistrationResponse = z.infer<typeof KosekiRegistrationResponseSchema>;
