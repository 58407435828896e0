/**
 * The kiosk ↔ centre contract for a PIN reset at the kiosk (issue 11, step 2). The resident has
 * authenticated in this transaction (`/v1/challenge`, `/v1/authenticate`, as for issuance); then:
 *
 * - `POST /v1/pin-reset/authenticate` (the 4-digit PIN's reset only, in place of `/v1/authenticate`:
 *   the resident forgot that PIN): the centre's challenge (`/v1/challenge`) signed with the card's
 *   署名用 key after the signing PIN, with both certificates. The centre runs the authentication's
 *   checks on the 利用者証明用 certificate, verifies the 署名用 one and ties the two to one holder,
 *   then binds this transaction to the card's 'auth' grant (at once `no-grant` when there is none,
 *   `used` when it was spent, `expired` past its 24 hours).
 *   This is no issuance session: only the reset routes accept it.
 * - `POST /v1/pin-reset/start`: the centre's mode for this reset (`password`: the resident types
 *   the one-time password; `bound-card`, the live service's: the card alone). The mode is the
 *   centre's setting, never the kiosk's: the kiosk skips the password screen only on this answer.
 * - `POST /v1/pin-reset/command`: the card's challenge, the one-time password (absent in the live
 *   service's bound-card mode), which PIN (`target`: 'signing', the default, or 'auth') and the new
 *   PIN (`newSigningPin` or `newAuthPin`). A grant is for one PIN: the phone earned it with the
 *   other one, and the other PIN's grant answers `no-grant`. The centre redeems the grant bound to the
 *   card it authenticated and answers the secure-messaging command that sets the PIN and restores
 *   its counter, built under keys the kiosk never sees — or a typed refusal.
 *   The grant is only reserved for this transaction here (another kiosk's transaction gets
 *   `in-use` meanwhile), not spent.
 * - `POST /v1/pin-reset/confirm`: the card's sealed answer, read by the centre. The card's
 *   authentic `reset-done` spends the grant for good; `card-refused` / `not-authorised` release it.
 * - `POST /v1/pin-reset/release`: the kiosk gives the reservation back when the reset ended without
 *   the card's answer reaching the centre (the card left before the relay, …), so the resident can
 *   try again with the same password; unreleased, a reservation lapses after a few minutes.
 *
 * The new PIN travels only in the TLS body of `command` and inside the command the centre builds;
 * neither side logs a body. Refusals particular to the reset are 200 answers with their `kind`;
 * anything else (malformed body, no session, a terminal that is not the certificate's) is the
 * usual `CentreErrorBody`.
 */
import { z } from 'zod';
import { TerminalIdSchema, TransactionIdSchema } from './api.ts';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** The centre's setting: `password` (a typed one-time password) or `bound-card` (the live service: the card alone). */
export const PIN_RESET_MODES = ['password', 'bound-card'] as const;
export type PinResetMode = (typeof PIN_RESET_MODES)[number];

export function isPinResetMode(value: unknown): value is PinResetMode {
  return (PIN_RESET_MODES as readonly unknown[]).includes(value);
}

export const PIN_RESET_AUTHENTICATE_PATH = '/v1/pin-reset/authenticate';
export const PIN_RESET_START_PATH = '/v1/pin-reset/start';
export const PIN_RESET_COMMAND_PATH = '/v1/pin-reset/command';
export const PIN_RESET_CONFIRM_PATH = '/v1/pin-reset/confirm';
export const PIN_RESET_RELEASE_PATH = '/v1/pin-reset/release';

/** The 署名用 PIN the card accepts: 6–16 of A–Z and 0–9 (the same rule on the kiosk and the centre). */
export const SIGNING_PIN_PATTERN = /^[A-Z0-9]{6,16}$/;
export const SIGNING_PIN_MIN = 6;
export const SIGNING_PIN_MAX = 16;
/** The 利用者証明用 PIN the card accepts: 4 digits. */
export const AUTH_PIN_PATTERN = /^[0-9]{4}$/;
/** The PINs a reset sets: the 署名用 one (known secret: the 4-digit PIN) or the 4-digit one (known: the signing PIN). */
export const PIN_RESET_TARGETS = ['signing', 'auth'] as const;
/** The one-time password from the face check: 8 digits. */
export const ONE_TIME_PASSWORD_PATTERN = /^[0-9]{8}$/;

export const PinResetAuthenticateRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  /** The centre's challenge from /v1/challenge (base64 of 32 bytes). */
  challenge: base64.max(64),
  /** DER of the 利用者証明用 certificate (readable without a PIN: it names the card). */
  certificate: base64.max(8192),
  /** DER of the 署名用 certificate (read after the signing PIN). */
  signingCertificate: base64.max(8192),
  /** The 署名用 key's RSASSA-PKCS1-v1_5 over SHA-256(terminalId) ‖ SHA-256(challenge). */
  signature: base64.max(1024),
});
export type PinResetAuthenticateRequest = z.infer<typeof PinResetAuthenticateRequestSchema>;

/** Why the 署名用 certificate was refused. */
export const SIGNING_CERTIFICATE_REFUSALS = [
  'signing-certificate-invalid',
  'signing-certificate-untrusted',
  'signing-certificate-expired',
  'signing-certificate-revoked',
] as const;

export const PinResetAuthenticateResponseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('authenticated') }),
  /** No unused grant for the 4-digit PIN on this card: the phone's face check comes first. */
  z.object({ kind: z.literal('no-grant') }),
  /** The card's grant for the 4-digit PIN was spent already (as `command` answers on the signing PIN's reset). */
  z.object({ kind: z.literal('used') }),
  /** The card's grant for the 4-digit PIN is past its 24 hours. */
  z.object({ kind: z.literal('expired') }),
  z.object({ kind: z.literal('signing-certificate-refused'), reason: z.enum(SIGNING_CERTIFICATE_REFUSALS) }),
  /** The signing certificate's holder (name, address, birth date, sex) is not the register's. */
  z.object({ kind: z.literal('basic-information-changed') }),
]);
export type PinResetAuthenticateResponse = z.infer<typeof PinResetAuthenticateResponseSchema>;

export const PinResetStartRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
});
export type PinResetStartRequest = z.infer<typeof PinResetStartRequestSchema>;

export const PinResetStartResponseSchema = z.object({ mode: z.enum(PIN_RESET_MODES) });
export type PinResetStartResponse = z.infer<typeof PinResetStartResponseSchema>;

export const PinResetCommandRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  /** The card's GET CHALLENGE answer (8 bytes). */
  challenge: base64.max(16),
  /** Absent in the bound-card mode (the live service's). */
  oneTimePassword: z.string().max(16).optional(),
  /** Which PIN is reset; absent = 'signing'. */
  target: z.enum(PIN_RESET_TARGETS).optional(),
  /** For 'signing': checked against SIGNING_PIN_PATTERN by the centre as well; a break is `pin-rules`, not a 400. */
  newSigningPin: z.string().max(32).optional(),
  /** For 'auth': checked against AUTH_PIN_PATTERN (a break, or a missing PIN, is `pin-rules`). */
  newAuthPin: z.string().max(32).optional(),
});
export type PinResetCommandRequest = z.infer<typeof PinResetCommandRequestSchema>;

export const PinResetCommandResponseSchema = z.discriminatedUnion('kind', [
  /** The APDU to relay to the card as it is. */
  z.object({ kind: z.literal('command'), apdu: base64.max(512) }),
  z.object({ kind: z.literal('wrong-password'), triesLeft: z.number().int().min(0).max(5) }),
  z.object({ kind: z.literal('locked') }),
  z.object({ kind: z.literal('expired') }),
  z.object({ kind: z.literal('used') }),
  /** Another transaction (another kiosk) holds this grant right now: try again in a few minutes. */
  z.object({ kind: z.literal('in-use') }),
  /** No grant for this card and PIN (never checked on the phone, another card's password, or the other PIN's grant). */
  z.object({ kind: z.literal('no-grant') }),
  /** The new PIN breaks the rules (署名用: 6–16 of A–Z and 0–9; 利用者証明用: 4 digits). */
  z.object({ kind: z.literal('pin-rules') }),
]);
export type PinResetCommandResponse = z.infer<typeof PinResetCommandResponseSchema>;

export const PinResetConfirmRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
  /** The challenge the command was built for (the centre keeps nothing between the two calls). */
  challenge: base64.max(16),
  /** The card's answer to the command, data and SW1 SW2, as it is. */
  response: base64.max(256),
});
export type PinResetConfirmRequest = z.infer<typeof PinResetConfirmRequestSchema>;

export const PinResetConfirmResponseSchema = z.discriminatedUnion('kind', [
  /** The card set the new PIN and restored its counter. */
  z.object({ kind: z.literal('reset-done') }),
  /** The card took the command as the centre's and refused it (the old PIN stays). */
  z.object({ kind: z.literal('card-refused'), sw: z.number().int() }),
  /** The card did not take the command as the centre's (the old PIN stays). */
  z.object({ kind: z.literal('not-authorised'), sw: z.number().int() }),
  /** Not an answer the card sealed under this challenge. */
  z.object({ kind: z.literal('answer-not-authentic') }),
]);
export type PinResetConfirmResponse = z.infer<typeof PinResetConfirmResponseSchema>;

export const PinResetReleaseRequestSchema = z.object({
  transactionId: TransactionIdSchema,
  terminalId: TerminalIdSchema,
});
export type PinResetReleaseRequest = z.infer<typeof PinResetReleaseRequestSchema>;

export const PinResetReleaseResponseSchema = z.object({
  /** `not-reserved`: this transaction held nothing (already spent, released or lapsed). */
  kind: z.enum(['released', 'not-reserved']),
});
export type PinResetReleaseResponse = z.infer<typeof PinResetReleaseResponseSchema>;
