import { createPublicKey } from 'node:crypto';
import { MunicipalityKeysResponseSchema } from '../protocol/api.ts';
import { publishedKeysOfCentreList } from '../protocol/centre-keys.ts';
import {
  sealKeyIdFor,
  verifyKeyList,
  type KeyListError,
  type PublishedSealKeys,
} from '../protocol/seal-keys.ts';

/**
 * The published keys a verifier checks seals against: a key list signed by a provisioned root
 * (SignedKeyList JSON, from a file or fetched once from the centre), checked against the root
 * public keys (PEM, one or more). A centre that still serves the plain list (contract ≤ 0.4)
 * is accepted only without roots, and said so (`rootSigned: false`).
 */
export type KeySourceError =
  | KeyListError
  | { kind: 'root-keys-unreadable'; detail: string }
  | { kind: 'key-list-unreadable'; detail: string }
  | { kind: 'key-list-unsigned' };

export interface LoadedKeys {
  keys: PublishedSealKeys;
  rootSigned: boolean;
  issuedAt?: string;
}

/** Root public keys (kid → SPKI DER) from PEM text holding one or more EC public keys. */
export function rootKeysFromPem(pem: string): Map<string, Uint8Array> | KeySourceError {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/gu) ?? [];
  if (blocks.length === 0) return { kind: 'root-keys-unreadable', detail: 'no PUBLIC KEY block' };
  const roots = new Map<string, Uint8Array>();
  for (const block of blocks) {
    try {
      const key = createPublicKey(block);
      if (key.asymmetricKeyType !== 'ec') return { kind: 'root-keys-unreadable', detail: 'not an EC key' };
      const spki = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
      roots.set(sealKeyIdFor(spki), spki);
    } catch {
      return { kind: 'root-keys-unreadable', detail: 'invalid PEM' };
    }
  }
  return roots;
}

/** Keys from a key list document (parsed JSON): root-signed, or the centre's plain list. */
export function keysFromList(
  list: unknown,
  roots: ReadonlyMap<string, Uint8Array> | undefined,
): LoadedKeys | KeySourceError {
  const plain = MunicipalityKeysResponseSchema.safeParse(list);
  if (plain.success && !(list as Record<string, unknown>)['signature']) {
    if (roots) return { kind: 'key-list-unsigned' };
    return { keys: publishedKeysOfCentreList(plain.data.keys), rootSigned: false };
  }
  if (!roots) return { kind: 'root-keys-unreadable', detail: 'a signed key list needs --root' };
  const verified = verifyKeyList(list, roots);
  if (!verified.ok) return verified.error;
  return { keys: verified.keys, rootSigned: true, issuedAt: verified.issuedAt };
}
