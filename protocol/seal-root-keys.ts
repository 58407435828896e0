import { createPublicKey } from 'node:crypto';
import { sealKeyIdFor } from './seal-keys.ts';

/**
 * The root keys a kiosk or a verifier is provisioned with, as distributed: a PEM file of one or
 * more `PUBLIC KEY` blocks (EC P-256 SubjectPublicKeyInfo). Answers kid → SPKI DER, the form
 * `verifyKeyList` takes.
 */
export type SealRootKeysResult =
  | { ok: true; rootKeys: ReadonlyMap<string, Uint8Array> }
  | { ok: false; error: { kind: 'root-keys-invalid'; detail: string } };

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

export function parseSealRootKeys(pem: string): SealRootKeysResult {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    return { ok: false, error: { kind: 'root-keys-invalid', detail: 'no PUBLIC KEY block' } };
  const rootKeys = new Map<string, Uint8Array>();
  for (const [index, block] of blocks.entries()) {
    let spki: Uint8Array;
    try {
      const key = createPublicKey({ key: block, format: 'pem' });
      if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        return {
          ok: false,
          error: { kind: 'root-keys-invalid', detail: `key ${index + 1} is not EC P-256` },
        };
      }
      spki = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
    } catch {
      return {
        ok: false,
        error: { kind: 'root-keys-invalid', detail: `key ${index + 1} is not a public key` },
      };
    }
    rootKeys.set(sealKeyIdFor(spki), spki);
  }
  return { ok: true, rootKeys };
}
