import { sign, type KeyObject } from 'node:crypto';
import { Tag } from 'cbor2';
import { encodeCbor } from './cbor-encode.ts';

/**
 * Who signs a seal: a key named by its kid that signs asynchronously, so the private key can live
 * in an HSM (PKCS#11) and never in the centre's memory. `sign` returns the ES256 signature as
 * IEEE P1363 (r ‖ s, 64 bytes), the form COSE carries.
 */
export interface SealSigner {
  readonly kid: string;
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

const COSE_SIGN1_TAG = 18;
const COSE_ALG_ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;
const ES256_SIGNATURE_BYTES = 64;

export class SealSignerError extends Error {
  override readonly name = 'SealSignerError';
}

/**
 * A COSE_Sign1 (RFC 9052, ES256, kid in the protected header) over `payload`, signed by `signer`.
 * The same envelope `verifySeal` (protocol/seal.ts) checks; `createPageSeals` there signs a
 * document's page seals through it.
 */
export async function signCoseSign1(payload: Uint8Array, signer: SealSigner): Promise<Uint8Array> {
  // cbor2 encodes a Node Buffer as an object (its toJSON): pass plain Uint8Arrays only.
  const protectedHeader = encodeCbor(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALG_ES256],
      [HEADER_KID, new Uint8Array(Buffer.from(signer.kid, 'hex'))],
    ]),
  );
  const body = new Uint8Array(payload);
  const toBeSigned = encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), body]);
  const signature = new Uint8Array(await signer.sign(toBeSigned));
  if (signature.length !== ES256_SIGNATURE_BYTES) {
    throw new SealSignerError(
      `signer ${signer.kid} returned ${signature.length} bytes, not an ES256 signature`,
    );
  }
  return encodeCbor(new Tag(COSE_SIGN1_TAG, [protectedHeader, new Map(), body, signature]));
}

/** A signer over a key held in memory: for tests and offline tools, never for the centre's keys. */
export function inMemorySealSigner(kid: string, privateKey: KeyObject): SealSigner {
  return {
    kid,
    sign: async (bytes) =>
      new Uint8Array(sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}
