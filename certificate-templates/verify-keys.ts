import { parseSealRootKeys } from '../protocol/seal-root-keys.ts';
import { verifyKeyList, type KeyListError, type PublishedSealKeys } from '../protocol/seal-keys.ts';

/**
 * The published keys a verifier checks seals against: a key list signed by a provisioned root
 * (SignedKeyList JSON, from a file or fetched once from the centre's public listener), checked
 * against the root public keys (PEM, one or more).
 */
export type KeySourceError = KeyListError | { kind: 'root-keys-invalid'; detail: string };

export interface LoadedKeys {
  keys: PublishedSealKeys;
  issuedAt: string;
}

/** Root public keys (kid → SPKI DER) from PEM text holding one or more EC P-256 public keys. */
export function rootKeysFromPem(pem: string): Map<string, Uint8Array> | KeySourceError {
  const parsed = parseSealRootKeys(pem);
  return parsed.ok ? new Map(parsed.rootKeys) : parsed.error;
}

/** Keys from a key list document (parsed JSON) that the roots signed. */
export function keysFromList(
  list: unknown,
  roots: ReadonlyMap<string, Uint8Array>,
): LoadedKeys | KeySourceError {
  const verified = verifyKeyList(list, roots);
  if (!verified.ok) return verified.error;
  return { keys: verified.keys, issuedAt: verified.issuedAt };
}
