import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { inMemorySealSigner, type SealSigner } from '../seal-signer.ts';
import {
  keyListPayloadBytes,
  sealKeyIdFor,
  type KeyListPayload,
  type PublishedSealKey,
  type SealKeyStatus,
  type SignedKeyList,
} from '../seal-keys.ts';

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
    signer: inMemorySealSigner(kid, privateKey),
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

/** A root key and a key list it signs (what the centre publishes and `npm run verify` reads). */
export function testRootKey(): { kid: string; privateKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return {
    kid: sealKeyIdFor(spki),
    privateKey,
    publicKeyPem: String(publicKey.export({ format: 'pem', type: 'spki' })),
  };
}

export function testSignedKeyList(
  root: { kid: string; privateKey: KeyObject },
  keys: readonly TestSealKey[],
  issuedAt = '2026-12-01T00:00:00Z',
): SignedKeyList {
  const payload: KeyListPayload = {
    v: 1,
    issuedAt,
    keys: keys.map(({ published: k }) => ({
      kid: k.kid,
      municipalityCode: k.municipalityCode,
      publicKeySpki: Buffer.from(k.publicKeySpkiDer).toString('base64'),
      validFrom: k.validFrom,
      validTo: k.validTo,
      status: k.status,
      ...(k.revokedAt === undefined ? {} : { revokedAt: k.revokedAt }),
    })),
  };
  const bytes = keyListPayloadBytes(payload);
  return {
    payload: Buffer.from(bytes).toString('base64'),
    signature: sign('sha256', bytes, { key: root.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
    rootKid: root.kid,
  };
}
