import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { Tag, decode, encode } from 'cbor2';
import canonicalize from 'canonicalize';
import type { CertificateContent, CertificateDocument } from './documents.ts';

/**
 * The QR seal: a COSE_Sign1 (RFC 9052) signed with ES256 by the municipality's issuing key.
 * Its payload is compact (a few hundred bytes) so a small, robust QR code carries it:
 * the document's identity, its holder binding and a SHA-256 over the whole canonical
 * (RFC 8785) document, plus the names and address for a check by eye.
 */
export interface SealPayload {
  v: 1;
  documentId: string;
  certificateType: string;
  issuedAt: string;
  municipalityCode: string;
  pageCount: number;
  holderBinding: string;
  documentHash: string; // hex SHA-256 of the canonical JSON of the document
  /** For a check by eye: at most SEAL_MAX_NAMES persons (see sealSummary). */
  names: string[];
  /** 住所, or the 本籍 for 戸籍 types. */
  address: string;
}

/** Names in a seal are capped so a 16-person 戸籍 still fits a small QR code. */
export const SEAL_MAX_NAMES = 8;

/**
 * The human-checkable part of the seal, per type: never amounts, never a 個人番号 or a seal
 * image (the document hash covers those).
 */
export function sealSummary(content: CertificateContent): { names: string[]; address: string } {
  const cap = (names: string[]) => names.slice(0, SEAL_MAX_NAMES);
  switch (content.kind) {
    case 'juminhyo':
    case 'juminhyo-kisai':
      return { names: cap(content.members.map((m) => m.name)), address: content.address };
    case 'inkan':
    case 'shotoku-kazei':
    case 'nozei':
      return { names: [content.name], address: content.address };
    case 'koseki-zenbu':
    case 'koseki-kojin': {
      const names = content.members.filter((m) => !m.removed).map((m) => m.name);
      return { names: cap(names.length > 0 ? names : [content.hittousha]), address: content.honseki };
    }
    case 'koseki-fuhyo':
      return { names: [content.name], address: content.honseki };
  }
}

export type SealError =
  | { kind: 'seal-malformed'; detail: string }
  | { kind: 'seal-unknown-key'; kid: string }
  | { kind: 'seal-signature-invalid' }
  | { kind: 'seal-document-mismatch'; field: string };

const COSE_SIGN1_TAG = 18;
const COSE_ALG_ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;

export function canonicalDocumentHash(document: CertificateDocument): string {
  const json = canonicalize(document);
  if (json === undefined) throw new TypeError('document cannot be canonicalized');
  return createHash('sha256').update(json, 'utf8').digest('hex');
}

export function sealPayloadFor(document: CertificateDocument): SealPayload {
  return {
    v: 1,
    documentId: document.documentId,
    certificateType: document.certificateType,
    issuedAt: document.issuedAt,
    municipalityCode: document.municipality.code,
    pageCount: document.pageCount,
    holderBinding: document.holderBinding,
    documentHash: canonicalDocumentHash(document),
    ...sealSummary(document.content),
  };
}

function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encode(['Signature1', protectedHeader, new Uint8Array(0), payload]);
}

/** Signs a document's seal. Only the municipal issuing server holds `privateKey`. */
export function createSeal(document: CertificateDocument, kid: string, privateKey: KeyObject): Uint8Array {
  const protectedHeader = encode(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALG_ES256],
      [HEADER_KID, new Uint8Array(Buffer.from(kid, 'hex'))],
    ]),
  );
  const payload = encode(sealPayloadFor(document));
  // cbor2 encodes a Node Buffer as an object (its toJSON): pass plain Uint8Arrays only.
  const signature = sign('sha256', sigStructure(protectedHeader, payload), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return encode(new Tag(COSE_SIGN1_TAG, [protectedHeader, new Map(), payload, new Uint8Array(signature)]));
}

export type SealVerification =
  { ok: true; kid: string; payload: SealPayload } | { ok: false; error: SealError };

/** A plain Uint8Array copy (cbor2 would encode a Node Buffer as an object, not as bytes). */
function asBytes(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array ? new Uint8Array(value) : undefined;
}

/**
 * Verifies a seal offline against the municipalities' public keys (kid → SPKI DER).
 * Never throws on hostile input: every failure is a typed SealError.
 */
export function verifySeal(seal: Uint8Array, publicKeys: ReadonlyMap<string, Uint8Array>): SealVerification {
  let decoded: unknown;
  try {
    decoded = decode(new Uint8Array(seal));
  } catch {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'not CBOR' } };
  }
  const body = decoded instanceof Tag && decoded.tag === COSE_SIGN1_TAG ? decoded.contents : decoded;
  if (!Array.isArray(body) || body.length !== 4) {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'not a COSE_Sign1' } };
  }
  const protectedHeader = asBytes(body[0]);
  const payloadBytes = asBytes(body[2]);
  const signature = asBytes(body[3]);
  if (!protectedHeader || !payloadBytes || !signature || signature.length !== 64) {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'bad COSE_Sign1 fields' } };
  }
  let header: unknown;
  try {
    header = decode(protectedHeader);
  } catch {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'protected header' } };
  }
  const alg =
    header instanceof Map ? header.get(HEADER_ALG) : (header as Record<number, unknown> | null)?.[HEADER_ALG];
  const kidBytes = asBytes(
    header instanceof Map ? header.get(HEADER_KID) : (header as Record<number, unknown> | null)?.[HEADER_KID],
  );
  if (alg !== COSE_ALG_ES256 || !kidBytes) {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'algorithm or kid' } };
  }
  const kid = Buffer.from(kidBytes).toString('hex');
  const spki = publicKeys.get(kid);
  if (!spki) return { ok: false, error: { kind: 'seal-unknown-key', kid } };
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const valid = verify(
    'sha256',
    sigStructure(protectedHeader, payloadBytes),
    { key, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!valid) return { ok: false, error: { kind: 'seal-signature-invalid' } };
  let payload: unknown;
  try {
    payload = decode(payloadBytes);
  } catch {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'payload' } };
  }
  if (payload instanceof Map) payload = Object.fromEntries(payload);
  const p = payload as Partial<SealPayload> | null;
  if (!p || p.v !== 1 || typeof p.documentId !== 'string' || typeof p.documentHash !== 'string') {
    return { ok: false, error: { kind: 'seal-malformed', detail: 'payload fields' } };
  }
  return { ok: true, kid, payload: p as SealPayload };
}

/** The kiosk's check before printing: the seal is valid and describes exactly this document. */
export function checkSealMatchesDocument(
  payload: SealPayload,
  document: CertificateDocument,
): Extract<SealError, { kind: 'seal-document-mismatch' }> | undefined {
  const expected = sealPayloadFor(document);
  for (const field of [
    'documentId',
    'holderBinding',
    'documentHash',
    'pageCount',
    'certificateType',
  ] as const) {
    if (payload[field] !== expected[field]) return { kind: 'seal-document-mismatch', field };
  }
  return undefined;
}
