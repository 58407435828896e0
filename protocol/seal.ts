import { createHash, createHmac, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Tag } from 'cbor2';
import { canonicalJson } from './canonical-json.ts';
import { encodeCbor } from './cbor-encode.ts';
import { decodeSealCbor } from './seal-cbor.ts';
import type { CertificateDocument, HouseholdScope } from './documents.ts';
import { HouseholdScopeSchema } from './documents.ts';
import { CertificateTypeSchema, type CertificateType } from './certificate-types.ts';
import { decodeSealFacts, encodeSealFacts, sealFactsForPage, type SealFacts } from './seal-facts.ts';
import type { PublishedSealKey, PublishedSealKeys } from './seal-keys.ts';
import { checkSealKey, type SealKeyRefusal } from './seal-key-validity.ts';
import { signCoseSign1, type SealSigner } from './seal-signer.ts';

/**
 * The QR seal of one printed page: a COSE_Sign1 (RFC 9052, ES256) by the municipality's issuing
 * key over a compact CBOR payload with short integer keys (see SEAL_KEYS): the document id,
 * page i of n, municipality, certificate type, scope, issue time, a per-document salted holder
 * binding, a digest of the whole document, and the facts printed on that page (seal-facts.ts).
 * A seal copied onto another page or document, or a page moved between documents, no longer
 * matches what it sits on.
 */
export interface SealPayload {
  documentId: string;
  /** 1-based page number. */
  page: number;
  pageCount: number;
  municipalityCode: string;
  certificateType: CertificateType;
  /** Issue time, whole seconds since the epoch. */
  issuedAt: number;
  scope?: HouseholdScope;
  /** The document's random holder salt (16 bytes) and HMAC binding (32 bytes): see holderBindingFor. */
  holderSalt: Uint8Array;
  holderBinding: Uint8Array;
  /** First 16 bytes of SHA-256 over the canonical (RFC 8785) JSON of the whole document. */
  documentDigest: Uint8Array;
  facts: SealFacts;
}

/** Payload format version, in the payload under key 0. */
export const SEAL_PAYLOAD_VERSION = 2;

const SEAL_KEYS = {
  version: 0,
  documentId: 1,
  page: 2,
  pageCount: 3,
  municipalityCode: 4,
  certificateType: 5,
  issuedAt: 6,
  scope: 7,
  holderSalt: 8,
  holderBinding: 9,
  documentDigest: 10,
  facts: 11,
} as const;

export type SealError =
  | { kind: 'seal-malformed'; detail: string }
  | { kind: 'seal-unknown-key'; kid: string }
  | { kind: 'seal-signature-invalid'; kid: string }
  | SealKeyRefusal
  | { kind: 'seal-document-mismatch'; page: number; field: string };

/** A seal that verifies but whose key was revoked after the seal's issue time. */
export interface SealNotice {
  kind: 'key-revoked-after-issue';
  revokedAt: string;
}

const COSE_SIGN1_TAG = 18;
const COSE_ALG_ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;

const HOLDER_BINDING_CONTEXT = 'kofu-holder-binding-v1';

/**
 * The holder binding of one document: HMAC-SHA256 keyed with the document's random salt over
 * the SHA-256 fingerprint of the resident's DER 利用者証明用 certificate. Whoever holds the card's
 * certificate (the kiosk) can check it; two documents of one resident cannot be linked by it.
 */
export function holderBindingFor(holderSaltHex: string, certificateFingerprintHex: string): string {
  return createHmac('sha256', Buffer.from(holderSaltHex, 'hex'))
    .update(HOLDER_BINDING_CONTEXT)
    .update(Buffer.from(certificateFingerprintHex, 'hex'))
    .digest('hex');
}

export function documentDigest(document: CertificateDocument): Uint8Array {
  const json = canonicalJson(document);
  if (json === undefined) throw new TypeError('document cannot be canonicalized');
  return new Uint8Array(createHash('sha256').update(json, 'utf8').digest().subarray(0, 16));
}

function issuedAtSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The payload of page `page` (1-based) of a document. */
export function sealPayloadFor(document: CertificateDocument, page: number): SealPayload {
  const scope = 'scope' in document.content ? document.content.scope : undefined;
  return {
    documentId: document.documentId,
    page,
    pageCount: document.pageCount,
    municipalityCode: document.municipality.code,
    certificateType: document.certificateType,
    issuedAt: issuedAtSeconds(document.issuedAt),
    ...(scope === undefined ? {} : { scope }),
    holderSalt: new Uint8Array(Buffer.from(document.holderSalt, 'hex')),
    holderBinding: new Uint8Array(Buffer.from(document.holderBinding, 'hex')),
    documentDigest: documentDigest(document),
    facts: sealFactsForPage(document.content, page - 1),
  };
}

export function encodeSealPayload(payload: SealPayload): Uint8Array {
  const map = new Map<number, unknown>([
    [SEAL_KEYS.version, SEAL_PAYLOAD_VERSION],
    [SEAL_KEYS.documentId, payload.documentId],
    [SEAL_KEYS.page, payload.page],
    [SEAL_KEYS.pageCount, payload.pageCount],
    [SEAL_KEYS.municipalityCode, payload.municipalityCode],
    [SEAL_KEYS.certificateType, payload.certificateType],
    [SEAL_KEYS.issuedAt, payload.issuedAt],
  ]);
  if (payload.scope !== undefined) map.set(SEAL_KEYS.scope, payload.scope);
  map.set(SEAL_KEYS.holderSalt, payload.holderSalt);
  map.set(SEAL_KEYS.holderBinding, payload.holderBinding);
  map.set(SEAL_KEYS.documentDigest, payload.documentDigest);
  map.set(SEAL_KEYS.facts, encodeSealFacts(payload.facts));
  return encodeCbor(map);
}

const bytesOf = (value: unknown, length: number): Uint8Array | undefined =>
  value instanceof Uint8Array && value.length === length ? new Uint8Array(value) : undefined;

/** The inverse of encodeSealPayload; a typed error for anything else. Never throws. */
export function decodeSealPayload(bytes: Uint8Array): SealPayload | { error: string } {
  let map: unknown;
  try {
    map = decodeSealCbor(new Uint8Array(bytes), { preferMap: true, rejectDuplicateKeys: true });
  } catch {
    return { error: 'payload is not CBOR' };
  }
  if (!(map instanceof Map)) return { error: 'payload is not a map' };
  if (map.get(SEAL_KEYS.version) !== SEAL_PAYLOAD_VERSION) return { error: 'payload version' };
  const known = new Set<unknown>(Object.values(SEAL_KEYS));
  for (const key of map.keys()) if (!known.has(key)) return { error: 'unknown payload key' };
  const documentId = map.get(SEAL_KEYS.documentId);
  const page = map.get(SEAL_KEYS.page);
  const pageCount = map.get(SEAL_KEYS.pageCount);
  const municipalityCode = map.get(SEAL_KEYS.municipalityCode);
  const certificateType = CertificateTypeSchema.safeParse(map.get(SEAL_KEYS.certificateType));
  const issuedAt = map.get(SEAL_KEYS.issuedAt);
  const rawScope = map.get(SEAL_KEYS.scope);
  const scope = rawScope === undefined ? undefined : HouseholdScopeSchema.safeParse(rawScope);
  const holderSalt = bytesOf(map.get(SEAL_KEYS.holderSalt), 16);
  const holderBinding = bytesOf(map.get(SEAL_KEYS.holderBinding), 32);
  const digest = bytesOf(map.get(SEAL_KEYS.documentDigest), 16);
  const facts = decodeSealFacts(map.get(SEAL_KEYS.facts));
  if (typeof documentId !== 'string' || !/^[0-9A-Z]{16}$/.test(documentId)) return { error: 'documentId' };
  if (!Number.isInteger(pageCount) || (pageCount as number) < 1 || (pageCount as number) > 99)
    return { error: 'pageCount' };
  if (!Number.isInteger(page) || (page as number) < 1 || (page as number) > (pageCount as number))
    return { error: 'page' };
  if (typeof municipalityCode !== 'string' || !/^\d{6}$/.test(municipalityCode))
    return { error: 'municipalityCode' };
  if (!certificateType.success) return { error: 'certificateType' };
  if (!Number.isSafeInteger(issuedAt) || (issuedAt as number) < 0) return { error: 'issuedAt' };
  if (scope !== undefined && !scope.success) return { error: 'scope' };
  if (!holderSalt || !holderBinding || !digest) return { error: 'holder binding or digest' };
  if (!facts) return { error: 'facts' };
  return {
    documentId,
    page: page as number,
    pageCount: pageCount as number,
    municipalityCode,
    certificateType: certificateType.data,
    issuedAt: issuedAt as number,
    ...(scope?.success ? { scope: scope.data } : {}),
    holderSalt,
    holderBinding,
    documentDigest: digest,
    facts,
  };
}

function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), payload]);
}

/** One seal per page, in page order. Only the municipal issuing server holds the signer. */
export async function createPageSeals(
  document: CertificateDocument,
  signer: SealSigner,
): Promise<Uint8Array[]> {
  const seals: Uint8Array[] = [];
  for (let page = 1; page <= document.pageCount; page++) {
    seals.push(await signCoseSign1(encodeSealPayload(sealPayloadFor(document, page)), signer));
  }
  return seals;
}

export type SealVerification =
  | { ok: true; kid: string; key: PublishedSealKey; payload: SealPayload; notice?: SealNotice }
  | { ok: false; error: SealError };

function asBytes(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array ? new Uint8Array(value) : undefined;
}

/**
 * Each published key imported once: the key list is fetched once and checks many seals, and
 * importing an SPKI costs about twice the signature check. Keyed by the key object itself.
 */
const importedKeys = new WeakMap<PublishedSealKey, KeyObject>();

function publicKeyOf(key: PublishedSealKey): KeyObject {
  let imported = importedKeys.get(key);
  if (!imported) {
    imported = createPublicKey({ key: Buffer.from(key.publicKeySpkiDer), format: 'der', type: 'spki' });
    importedKeys.set(key, imported);
  }
  return imported;
}

const malformed = (detail: string): SealVerification => ({
  ok: false,
  error: { kind: 'seal-malformed', detail },
});

/**
 * Verifies one seal offline against the published, root-signed keys (seal-keys.ts): the key
 * must be known, the signature valid, the key owned by the municipality the seal names, valid at
 * the seal's issue time and now, and not revoked before the seal was made. Never throws on
 * hostile input.
 */
export function verifySeal(
  seal: Uint8Array,
  keys: PublishedSealKeys,
  now: Date = new Date(),
): SealVerification {
  let decoded: unknown;
  try {
    decoded = decodeSealCbor(new Uint8Array(seal));
  } catch {
    return malformed('not CBOR');
  }
  const body = decoded instanceof Tag && decoded.tag === COSE_SIGN1_TAG ? decoded.contents : decoded;
  if (!Array.isArray(body) || body.length !== 4) return malformed('not a COSE_Sign1');
  const protectedHeader = asBytes(body[0]);
  const payloadBytes = asBytes(body[2]);
  const signature = asBytes(body[3]);
  if (!protectedHeader || !payloadBytes || !signature || signature.length !== 64) {
    return malformed('bad COSE_Sign1 fields');
  }
  let header: unknown;
  try {
    header = decodeSealCbor(protectedHeader, { preferMap: true });
  } catch {
    return malformed('protected header');
  }
  if (!(header instanceof Map)) return malformed('protected header');
  const kidBytes = asBytes(header.get(HEADER_KID));
  if (header.get(HEADER_ALG) !== COSE_ALG_ES256 || !kidBytes) return malformed('algorithm or kid');
  const kid = Buffer.from(kidBytes).toString('hex');
  const key = keys.get(kid);
  if (!key) return { ok: false, error: { kind: 'seal-unknown-key', kid } };
  let valid: boolean;
  try {
    valid = verify(
      'sha256',
      sigStructure(protectedHeader, payloadBytes),
      { key: publicKeyOf(key), dsaEncoding: 'ieee-p1363' },
      signature,
    );
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, error: { kind: 'seal-signature-invalid', kid } };
  const payload = decodeSealPayload(payloadBytes);
  if ('error' in payload) return malformed(payload.error);
  // The key must be the seal's municipality's, valid when the seal was made and still now, and
  // not revoked before the seal was made (protocol/seal-key-validity.ts).
  const checked = checkSealKey(
    key,
    { municipalityCode: payload.municipalityCode, issuedAt: isoOf(payload.issuedAt) },
    now,
  );
  if (!checked.ok) return { ok: false, error: checked.error };
  if (checked.note === 'sealed-before-revocation') {
    return {
      ok: true,
      kid,
      key,
      payload,
      notice: { kind: 'key-revoked-after-issue', revokedAt: key.revokedAt ?? '' },
    };
  }
  return { ok: true, kid, key, payload };
}

function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Compares the signed payload of page `page` with what the document says it must be. */
export function checkSealMatchesDocument(
  payload: SealPayload,
  document: CertificateDocument,
  page: number,
): Extract<SealError, { kind: 'seal-document-mismatch' }> | undefined {
  const expected = sealPayloadFor(document, page);
  const fields = (Object.keys(SEAL_KEYS) as (keyof typeof SEAL_KEYS)[]).filter((f) => f !== 'version');
  const valueOf = (p: SealPayload, field: (typeof fields)[number]): unknown =>
    (field === 'facts' ? encodeSealFacts(p.facts) : p[field]) ?? null;
  // All fields in one CBOR array a side (CBOR is self-delimiting: the arrays encode equal exactly
  // when every field does; each encode call costs a writer); field by field only to name a mismatch.
  const all = (p: SealPayload): Buffer => Buffer.from(encodeCbor(fields.map((field) => valueOf(p, field))));
  if (all(payload).equals(all(expected))) return undefined;
  for (const field of fields) {
    if (
      !Buffer.from(encodeCbor(valueOf(payload, field))).equals(
        Buffer.from(encodeCbor(valueOf(expected, field))),
      )
    ) {
      return { kind: 'seal-document-mismatch', page, field };
    }
  }
  return undefined;
}

/** Checks that `seals` are exactly the document's page seals, page 1..n in order. */
export function checkPageSeals(
  seals: readonly Uint8Array[],
  document: CertificateDocument,
  keys: PublishedSealKeys,
  now: Date = new Date(),
): { ok: true; notices: SealNotice[] } | { ok: false; error: SealError } {
  if (seals.length !== document.pageCount) {
    return { ok: false, error: { kind: 'seal-document-mismatch', page: seals.length, field: 'pageCount' } };
  }
  const notices: SealNotice[] = [];
  for (const [index, seal] of seals.entries()) {
    const verified = verifySeal(seal, keys, now);
    if (!verified.ok) return verified;
    const mismatch = checkSealMatchesDocument(verified.payload, document, index + 1);
    if (mismatch) return { ok: false, error: mismatch };
    if (verified.notice) notices.push(verified.notice);
  }
  return { ok: true, notices };
}
