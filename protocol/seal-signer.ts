import { sign, type KeyObject } from 'node:crypto';
import { Tag, encode } from 'cbor2';
import type { CertificateDocument } from './documents.ts';
import { sealPayloadFor } from './seal.ts';

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
 * The same envelope `verifySeal` (protocol/seal.ts) checks.
 */
export async function signCoseSign1(payload: Uint8Array, signer: SealSigner): Promise<Uint8Array> {
  // cbor2 encodes a Node Buffer as an object (its toJSON): pass plain Uint8Arrays only.
  const protectedHeader = encode(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALG_ES256],
      [HEADER_KID, new Uint8Array(Buffer.from(signer.kid, 'hex'))],
    ]),
  );
  const body = new Uint8Array(payload);
  const toBeSigned = encode(['Signature1', protectedHeader, new Uint8Array(0), body]);
  const signature = new Uint8Array(await signer.sign(toBeSigned));
  if (signature.length !== ES256_SIGNATURE_BYTES) {
    throw new SealSignerError(
      `signer ${signer.kid} returned ${signature.length} bytes, not an ES256 signature`,
    );
  }
  return encode(new Tag(COSE_SIGN1_TAG, [protectedHeader, new Map(), body, signature]));
}

/** A document's seal (the payload of protocol/seal.ts), signed through `signer`. */
export async function createSealWith(document: CertificateDocument, signer: SealSigner): Promise<Uint8Array> {
  return signCoseSign1(encode(sealPayloadFor(document)), signer);
}

/** A signer over a key held in memory: for tests and offline tools, never for the centre's keys. */
export function inMemorySealSigner(kid: string, privateKey: KeyObject): SealSigner {
  return {
    kid,
    sign: async (bytes) =>
      new Uint8Array(sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
}
