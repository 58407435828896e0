import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';

/**
 * The municipalities' published seal keys. Each municipality's issuing keys are listed in a key
 * list signed (ES256) by a root key that kiosks and verifiers are provisioned with; a seal is
 * trusted only through a key on such a list, and only for the municipality the list names as
 * the key's owner.
 */

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const instant = z.iso.datetime({ offset: true });
/** kid = first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo, hex. */
export const SealKeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/);

export function sealKeyIdFor(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest().subarray(0, 8).toString('hex');
}

export const SealKeyStatusSchema = z.enum(['active', 'retired', 'revoked']);
export type SealKeyStatus = z.infer<typeof SealKeyStatusSchema>;

export const PublishedSealKeyEntrySchema = z.object({
  kid: SealKeyIdSchema,
  municipalityCode: z.string().regex(/^[0-9]{6}$/),
  publicKeySpki: base64, // DER SubjectPublicKeyInfo, EC P-256
  validFrom: instant,
  validTo: instant,
  status: SealKeyStatusSchema,
  /** Set when status is 'revoked': seals made at or after this instant are not trusted. */
  revokedAt: instant.optional(),
});
export type PublishedSealKeyEntry = z.infer<typeof PublishedSealKeyEntrySchema>;

export const KeyListPayloadSchema = z.object({
  v: z.literal(1),
  issuedAt: instant,
  keys: z.array(PublishedSealKeyEntrySchema),
});
export type KeyListPayload = z.infer<typeof KeyListPayloadSchema>;

/** What the centre publishes and what `npm run verify -- --keys FILE` reads. */
export const SignedKeyListSchema = z.object({
  /** base64 of the UTF-8 RFC 8785 canonical JSON of a KeyListPayload. */
  payload: base64,
  /** base64 of the ES256 signature (IEEE P1363, r‖s, 64 bytes) over the payload bytes. */
  signature: base64,
  rootKid: SealKeyIdSchema,
});
export type SignedKeyList = z.infer<typeof SignedKeyListSchema>;

/** A published key as verifiers use it. */
export interface PublishedSealKey {
  kid: string;
  municipalityCode: string;
  publicKeySpkiDer: Uint8Array;
  validFrom: string;
  validTo: string;
  status: SealKeyStatus;
  revokedAt?: string;
}

export type PublishedSealKeys = ReadonlyMap<string, PublishedSealKey>;

export type KeyListError =
  | { kind: 'key-list-malformed'; detail: string }
  | { kind: 'key-list-unknown-root'; rootKid: string }
  | { kind: 'key-list-signature-invalid' };

export type KeyListVerification =
  { ok: true; issuedAt: string; keys: PublishedSealKeys } | { ok: false; error: KeyListError };

/** The bytes a root signs for a key list. */
export function keyListPayloadBytes(payload: KeyListPayload): Uint8Array {
  const json = canonicalize(payload);
  if (json === undefined) throw new TypeError('key list cannot be canonicalized');
  return new Uint8Array(Buffer.from(json, 'utf8'));
}

/**
 * Checks a key list against the provisioned root keys (kid → SPKI DER) and returns its keys.
 * Never throws on hostile input.
 */
export function verifyKeyList(list: unknown, rootKeys: ReadonlyMap<string, Uint8Array>): KeyListVerification {
  const parsed = SignedKeyListSchema.safeParse(list);
  if (!parsed.success) return { ok: false, error: { kind: 'key-list-malformed', detail: 'envelope' } };
  const rootSpki = rootKeys.get(parsed.data.rootKid);
  if (!rootSpki) return { ok: false, error: { kind: 'key-list-unknown-root', rootKid: parsed.data.rootKid } };
  const payloadBytes = Buffer.from(parsed.data.payload, 'base64');
  const signature = Buffer.from(parsed.data.signature, 'base64');
  let valid: boolean;
  try {
    const key = createPublicKey({ key: Buffer.from(rootSpki), format: 'der', type: 'spki' });
    valid =
      signature.length === 64 &&
      verify('sha256', payloadBytes, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, error: { kind: 'key-list-signature-invalid' } };
  let json: unknown;
  try {
    json = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return { ok: false, error: { kind: 'key-list-malformed', detail: 'payload is not JSON' } };
  }
  const payload = KeyListPayloadSchema.safeParse(json);
  if (!payload.success) return { ok: false, error: { kind: 'key-list-malformed', detail: 'payload fields' } };
  const keys = new Map<string, PublishedSealKey>();
  for (const entry of payload.data.keys) {
    if (keys.has(entry.kid))
      return { ok: false, error: { kind: 'key-list-malformed', detail: 'duplicate kid' } };
    if ((entry.status === 'revoked') !== (entry.revokedAt !== undefined)) {
      return {
        ok: false,
        error: { kind: 'key-list-malformed', detail: 'revokedAt exactly with status revoked' },
      };
    }
    const spki = new Uint8Array(Buffer.from(entry.publicKeySpki, 'base64'));
    if (sealKeyIdFor(spki) !== entry.kid) {
      return { ok: false, error: { kind: 'key-list-malformed', detail: 'kid does not name its key' } };
    }
    keys.set(entry.kid, {
      kid: entry.kid,
      municipalityCode: entry.municipalityCode,
      publicKeySpkiDer: spki,
      validFrom: entry.validFrom,
      validTo: entry.validTo,
      status: entry.status,
      ...(entry.revokedAt === undefined ? {} : { revokedAt: entry.revokedAt }),
    });
  }
  return { ok: true, issuedAt: payload.data.issuedAt, keys };
}
