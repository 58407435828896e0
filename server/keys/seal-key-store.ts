import { createPublicKey } from 'node:crypto';
import { sealKeyIdFor } from '../../protocol/seal-keys.ts';

/**
 * The port to where the seal keys' private halves live. The centre generates, lists and signs with
 * keys only through it; a private key never leaves the store. Drivers: `Pkcs11SealKeyStore`
 * (an HSM through PKCS#11; SoftHSM2 in development and tests) and, for unit tests only,
 * `SoftwareSealKeyStoreForTests` (server/test-support/).
 *
 * Keys are EC P-256, named on the store by their kid (the first 8 bytes of SHA-256 over the SPKI)
 * and labelled with what they are for (`sealKeyLabel`).
 */
export interface StoredSealKey {
  kid: string;
  label: string;
  publicKeySpkiDer: Uint8Array;
}

export interface SealKeyStore {
  /** For start-up messages: which driver and token; never a PIN. */
  readonly description: string;
  /** A new P-256 key pair on the store; the private key cannot be exported. */
  generate(label: string): Promise<StoredSealKey>;
  list(): Promise<StoredSealKey[]>;
  /** ES256 over `bytes` (SHA-256 then ECDSA), as IEEE P1363 r ‖ s (64 bytes). */
  sign(kid: string, bytes: Uint8Array): Promise<Uint8Array>;
  /** Removes a key pair (a generation that lost a race with another centre). */
  destroy(kid: string): Promise<void>;
  close(): Promise<void>;
}

export type SealKeyStoreErrorKind =
  'key-not-on-store' | 'token-not-found' | 'token-login-failed' | 'token-failure';

/** A store's failure: a kind for programs, a detail without PINs or key material. */
export class SealKeyStoreError extends Error {
  override readonly name = 'SealKeyStoreError';
  constructor(
    readonly kind: SealKeyStoreErrorKind,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** What a key on the store is for: the root that signs key lists, or one municipality's seals. */
export type SealKeyPurpose = { kind: 'root' } | { kind: 'municipal'; municipalityCode: string };

export const ROOT_KEY_LABEL = 'seal-root';

export function sealKeyLabel(purpose: SealKeyPurpose): string {
  return purpose.kind === 'root' ? ROOT_KEY_LABEL : `seal:${purpose.municipalityCode}`;
}

/** The DER SubjectPublicKeyInfo of a P-256 point (uncompressed, 65 bytes) and its kid. */
export function p256SpkiFromPoint(point: Uint8Array): { kid: string; spkiDer: Uint8Array } {
  if (point.length !== 65 || point[0] !== 0x04)
    throw new SealKeyStoreError('token-failure', 'not an uncompressed P-256 point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(point.subarray(33, 65)).toString('base64url'),
    },
    format: 'jwk',
  });
  const spkiDer = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  return { kid: sealKeyIdFor(spkiDer), spkiDer };
}

/** PEM of the given SPKIs (the form root public keys are distributed in). */
export function publicKeysPem(spkis: readonly Uint8Array[]): string {
  return spkis
    .map((spki) =>
      createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
        format: 'pem',
        type: 'spki',
      }),
    )
    .join('');
}
