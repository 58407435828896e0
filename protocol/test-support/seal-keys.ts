import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyObjectSealSigner, type SealSigner } from '../seal.ts';
import { sealKeyIdFor, type PublishedSealKey, type SealKeyStatus } from '../seal-keys.ts';

/** A fresh municipal seal key for tests: its signer and its entry as a published key. */
export interface TestSealKey {
  kid: string;
  privateKey: KeyObject;
  signer: SealSigner;
  published: PublishedSealKey;
}

export function testSealKey(
  municipalityCode: string,
  options: { status?: SealKeyStatus; revokedAt?: string; validFrom?: string; validTo?: string } = {},
): TestSealKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const kid = sealKeyIdFor(spki);
  const status = options.status ?? 'active';
  return {
    kid,
    privateKey,
    signer: keyObjectSealSigner(kid, privateKey),
    published: {
      kid,
      municipalityCode,
      publicKeySpkiDer: spki,
      validFrom: options.validFrom ?? '2020-01-01T00:00:00Z',
      validTo: options.validTo ?? '2040-01-01T00:00:00Z',
      status,
      ...(status === 'revoked' ? { revokedAt: options.revokedAt ?? '2020-01-01T00:00:00Z' } : {}),
    },
  };
}

/** Published keys (kid → key) as verifiers get them from a verified key list. */
export function publishedKeys(...keys: TestSealKey[]): Map<string, PublishedSealKey> {
  return new Map(keys.map((k) => [k.kid, k.published]));
}
