/**
 * The centre's OCSP client (RFC 6960): builds a request with a fresh nonce for one certificate
 * and checks the answer the way Web eID's validator does — successful status, basic response,
 * signature algorithm on the allow-list, signer = the issuing CA or a delegated responder it
 * issued with id-kp-OCSPSigning (valid now), signature over the response data, the nonce echoed,
 * the answer for exactly this certificate, thisUpdate/nextUpdate within the allowed skew and not
 * stale, and the status itself.
 *
 * Requests are written and answers read with the centre's strict DER reader (./der.ts): an answer
 * is checked on every authentication, and a schema-driven JavaScript ASN.1 decoder cost about
 * a third of the centre's time per issuance.
 */
import {
  X509Certificate as NodeX509Certificate,
  createHash,
  randomBytes,
  verify,
  type KeyObject,
} from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
import {
  algorithmOid,
  extendedKeyUsagesOf,
  readCertificateDer,
  readExtensions,
  type CertificateDer,
} from './certificate-der.ts';
import {
  DerError,
  TAG,
  bitStringOf,
  childrenOf,
  contentOf,
  contextTag,
  encodeElement,
  encodeOid,
  encodedOf,
  expectTag,
  explicitInner,
  integerBytesOf,
  octetsOf,
  oidOf,
  readWhole,
  smallIntegerOf,
  timeOf,
  type DerElement,
} from './der.ts';

export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const OCSP_BASIC_OID = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING_EKU = '1.3.6.1.5.5.7.3.9';
const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const NONCE_BYTES = 32;

/** Signature algorithms accepted on OCSP answers and CRLs (no SHA-1). */
export const ALLOWED_SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
};

const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  [SHA256_OID]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Why an OCSP answer was not usable. `unavailable-*` let the CRL decide; the rest refuse. */
export type OcspProblem =
  | 'unavailable-network'
  | 'unavailable-timeout'
  | 'unavailable-http-status'
  | 'unavailable-try-later'
  | 'unavailable-internal-error'
  | 'response-malformed'
  | 'response-unauthorized'
  | 'response-status-other'
  | 'response-not-basic'
  | 'signature-algorithm-not-allowed'
  | 'responder-not-found'
  | 'responder-not-issued-by-ca'
  | 'responder-not-ocsp-signer'
  | 'responder-not-valid-now'
  | 'signature-invalid'
  | 'nonce-missing'
  | 'nonce-mismatch'
  | 'certificate-id-mismatch'
  | 'this-update-in-future'
  | 'stale'
  | 'next-update-passed'
  | 'status-unknown';

export type OcspOutcome =
  | { kind: 'good' }
  | { kind: 'revoked'; reason?: number; revokedAt: Date }
  | { kind: 'problem'; problem: OcspProblem };

export interface OcspTimePolicy {
  /** Tolerated clock difference between centre and responder; Web eID's default is 15 minutes. */
  allowedSkewMs: number;
  /** An answer whose thisUpdate is older than this (plus skew) is stale; Web eID's default is 2 minutes. */
  maxThisUpdateAgeMs: number;
  /**
   * `required`: the answer must echo this request's nonce (a live responder). `optional`: an answer
   * without a nonce is accepted (a pre-signed RFC 5019 responder); one with a wrong nonce never is.
   */
  nonce: 'required' | 'optional';
}

export const DEFAULT_OCSP_TIME_POLICY: OcspTimePolicy = {
  allowedSkewMs: 15 * 60_000,
  maxThisUpdateAgeMs: 2 * 60_000,
  nonce: 'required',
};

/** Sends DER bytes to a URL and returns the DER answer; throws on network failure or abort. */
export type OcspTransport = (
  url: string,
  body: Uint8Array,
  signal: AbortSignal,
) => Promise<{ status: number; body: Uint8Array }>;

/** An OCSP answer is a few kilobytes; a responder sending more is not answering. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Connections to the responder are kept open between requests (one per request at peak). */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * Where a responder URL points, as node:http's options, worked out once per URL: a centre asks one
 * responder (or the few its CAs name) on every authentication.
 */
type ResponderTarget = { secure: boolean; options: RequestOptions };
const TARGET_CACHE_LIMIT = 16;
const targets = new Map<string, ResponderTarget>();

function responderTarget(url: string): ResponderTarget {
  const known = targets.get(url);
  if (known) return known;
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  if (!secure && parsed.protocol !== 'http:') throw new TypeError('OCSP URL is not http or https');
  const target = { secure, options: urlToHttpOptions(parsed) };
  if (targets.size >= TARGET_CACHE_LIMIT) targets.delete(targets.keys().next().value as string);
  targets.set(url, target);
  return target;
}

/** POSTs the request over HTTP(S) with kept-alive connections (node:http: no WHATWG streams per request). */
export const httpOcspTransport: OcspTransport = (url, body, signal) =>
  new Promise((resolve, reject) => {
    let target: ResponderTarget;
    try {
      target = responderTarget(url);
    } catch (error) {
      reject(error as Error);
      return;
    }
    const { secure, options } = target;
    const request = (secure ? httpsRequest : httpRequest)(
      {
        ...options,
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          'content-type': 'application/ocsp-request',
          accept: 'application/ocsp-response',
          'content-length': body.length,
        },
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) response.destroy(new RangeError('OCSP answer too large'));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });

export interface OcspQuery {
  /** DER of the certificate being checked and of the CA that (by signature) issued it. */
  certificateDer: Uint8Array;
  /** The certificate's serial (DER INTEGER content bytes) when the caller has read it already. */
  serialNumber?: Uint8Array;
  issuerDer: Uint8Array;
  url: string;
  now: Date;
  timeoutMs: number;
  time: OcspTimePolicy;
  transport: OcspTransport;
}

/**
 * What every request and answer about one CA's certificates needs of that CA: its parsed facts,
 * its CertID hashes (name and key, per hash) and its public key. Worked out once per CA
 * certificate (by its DER bytes) instead of per request: a centre trusts a handful of CA
 * generations and checks every card against one of them. The DER is compared whole, so a
 * different certificate never shares an entry.
 *
 * The trust store hands the same array for a CA on every request, so the facts are first looked
 * up by that array (no copy, no hash); its bytes are still compared with the facts' whole, so an
 * array written to since is looked up afresh by its new content.
 */
interface IssuerFacts {
  der: Buffer;
  certificate: CertificateDer;
  publicKey: KeyObject | undefined;
  nameHashes: Map<string, Buffer>;
  keyHashes: Map<string, Buffer>;
  /** OpenSSL's view of the CA (subject, key), read on the first delegated-responder answer. */
  node?: NodeX509Certificate;
}

const ISSUER_CACHE_LIMIT = 64;
const issuerCache = new Map<string, IssuerFacts>();
const issuerByArray = new WeakMap<Uint8Array, IssuerFacts>();

function issuerFactsOf(issuerDer: Uint8Array): IssuerFacts {
  const seen = issuerByArray.get(issuerDer);
  if (seen && sameBytes(seen.der, issuerDer)) return seen;
  const facts = issuerFactsByContent(issuerDer);
  issuerByArray.set(issuerDer, facts);
  return facts;
}

function issuerFactsByContent(issuerDer: Uint8Array): IssuerFacts {
  const der = Buffer.from(issuerDer);
  const key = hashOf('sha256', der).toString('hex');
  const known = issuerCache.get(key);
  if (known && known.der.equals(der)) return known;
  const certificate = readCertificateDer(der);
  let publicKey: KeyObject | undefined;
  try {
    publicKey = new NodeX509Certificate(der).publicKey;
  } catch {
    publicKey = undefined;
  }
  const facts: IssuerFacts = { der, certificate, publicKey, nameHashes: new Map(), keyHashes: new Map() };
  if (issuerCache.size >= ISSUER_CACHE_LIMIT) issuerCache.delete(issuerCache.keys().next().value as string);
  issuerCache.set(key, facts);
  return facts;
}

function issuerNameHash(facts: IssuerFacts, hash: string): Buffer {
  let known = facts.nameHashes.get(hash);
  if (!known) {
    known = hashOf(hash, facts.certificate.subjectName);
    facts.nameHashes.set(hash, known);
  }
  return known;
}

function issuerKeyHash(facts: IssuerFacts, hash: string): Buffer {
  let known = facts.keyHashes.get(hash);
  if (!known) {
    known = hashOf(hash, facts.certificate.subjectPublicKey);
    facts.keyHashes.set(hash, known);
  }
  return known;
}

function hashOf(name: string, bytes: Uint8Array): Buffer {
  return createHash(name).update(bytes).digest();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const DER_NULL = encodeElement(TAG.null);
/** The request's fixed parts, encoded once: CertID's hash algorithm (SHA-256) and the nonce's OID. */
const SHA256_ALGORITHM = encodeElement(TAG.sequence, encodeOid(SHA256_OID), DER_NULL);
const NONCE_OID = encodeOid(OCSP_NONCE_OID);

/**
 * The DER OCSPRequest for one certificate (CertID by SHA-256) with a 32-byte nonce:
 * OCSPRequest { TBSRequest { requestList { Request { CertID } }, [2] requestExtensions { nonce } } }.
 */
export function buildOcspRequest(
  serialNumber: Uint8Array,
  issuerHashes: { name: Uint8Array; key: Uint8Array },
  nonce: Uint8Array,
): Uint8Array {
  const certId = encodeElement(
    TAG.sequence,
    SHA256_ALGORITHM,
    encodeElement(TAG.octetString, issuerHashes.name),
    encodeElement(TAG.octetString, issuerHashes.key),
    encodeElement(TAG.integer, serialNumber),
  );
  const nonceExtension = encodeElement(
    TAG.sequence,
    NONCE_OID,
    encodeElement(TAG.octetString, encodeElement(TAG.octetString, nonce)),
  );
  const tbsRequest = encodeElement(
    TAG.sequence,
    encodeElement(TAG.sequence, encodeElement(TAG.sequence, certId)),
    encodeElement(contextTag(2, true), encodeElement(TAG.sequence, nonceExtension)),
  );
  return encodeElement(TAG.sequence, tbsRequest);
}

function signatureValid(
  signatureOid: string,
  tbs: Uint8Array,
  signature: Uint8Array,
  signer: Uint8Array | KeyObject,
): boolean {
  const hash = ALLOWED_SIGNATURE_ALGORITHMS[signatureOid];
  if (!hash) return false;
  try {
    const key =
      signer instanceof Uint8Array ? new NodeX509Certificate(Buffer.from(signer)).publicKey : signer;
    return verify(hash, tbs, key, signature);
  } catch {
    return false;
  }
}

/** ResponderID ::= CHOICE { byName [1] EXPLICIT Name, byKey [2] EXPLICIT KeyHash (SHA-1 of the key bits) }. */
type ResponderId = { byName: Uint8Array } | { byKey: Uint8Array };

/** A SingleResponse, as far as the checks read it. */
interface SingleResponse {
  hashAlgorithmOid: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serialNumber: Uint8Array;
  /** The CertStatus choice's element: [0] good, [1] revoked, [2] unknown. */
  status: DerElement;
  thisUpdate: Date;
  nextUpdate?: Date;
}

/** A BasicOCSPResponse, as far as the checks read it. */
interface BasicResponse {
  tbsResponseData: Uint8Array;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  responderId: ResponderId;
  responses: SingleResponse[];
  nonceExtension?: Uint8Array;
  /** The certificates in `certs`, as DER. */
  certificates: Uint8Array[];
}

type OuterResponse =
  { kind: 'status'; status: number } | { kind: 'bytes'; responseType: string; response: Uint8Array };

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }. */
function readOuterResponse(der: Uint8Array): OuterResponse {
  const [statusElement, bytesElement, ...rest] = childrenOf(
    expectTag(readWhole(der), TAG.sequence, 'OCSPResponse'),
  );
  if (rest.length > 0) throw new DerError('OCSPResponse has extra parts');
  const status = smallIntegerOf(statusElement as DerElement, TAG.enumerated);
  if (status !== 0 || !bytesElement) return { kind: 'status', status };
  const [type, response] = childrenOf(
    expectTag(
      explicitInner(expectTag(bytesElement, contextTag(0, true), 'responseBytes')),
      TAG.sequence,
      'ResponseBytes',
    ),
  );
  return {
    kind: 'bytes',
    responseType: oidOf(type as DerElement),
    response: octetsOf(response as DerElement),
  };
}

function readSingleResponse(element: DerElement): SingleResponse {
  const [certId, status, thisUpdate, ...optional] = childrenOf(
    expectTag(element, TAG.sequence, 'SingleResponse'),
  );
  const [algorithm, nameHash, keyHash, serial] = childrenOf(expectTag(certId, TAG.sequence, 'CertID'));
  let nextUpdate: Date | undefined;
  for (const field of optional) {
    if (field.tag === contextTag(0, true))
      nextUpdate = timeOf(expectTag(explicitInner(field), TAG.generalizedTime, 'nextUpdate'));
    else if (field.tag !== contextTag(1, true)) throw new DerError('unexpected field in SingleResponse');
  }
  if (!status) throw new DerError('SingleResponse without a status');
  return {
    hashAlgorithmOid: algorithmOid(algorithm),
    issuerNameHash: octetsOf(nameHash as DerElement),
    issuerKeyHash: octetsOf(keyHash as DerElement),
    serialNumber: integerBytesOf(serial as DerElement),
    status,
    thisUpdate: timeOf(expectTag(thisUpdate, TAG.generalizedTime, 'thisUpdate')),
    ...(nextUpdate ? { nextUpdate } : {}),
  };
}

/** BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature, certs [0] EXPLICIT OPTIONAL }. */
function readBasicResponse(der: Uint8Array): BasicResponse {
  const [tbs, algorithm, signature, certs, ...rest] = childrenOf(
    expectTag(readWhole(der), TAG.sequence, 'BasicOCSPResponse'),
  );
  if (rest.length > 0) throw new DerError('BasicOCSPResponse has extra parts');
  const fields = childrenOf(expectTag(tbs, TAG.sequence, 'ResponseData'));
  let i = 0;
  if (fields[i]?.tag === contextTag(0, true)) i++; // version
  const responder = fields[i++] as DerElement;
  let responderId: ResponderId;
  if (responder?.tag === contextTag(1, true))
    responderId = { byName: encodedOf(expectTag(explicitInner(responder), TAG.sequence, 'responder name')) };
  else if (responder?.tag === contextTag(2, true))
    responderId = { byKey: octetsOf(explicitInner(responder)) };
  else throw new DerError('ResponderID malformed');
  expectTag(fields[i++], TAG.generalizedTime, 'producedAt');
  const responses = childrenOf(expectTag(fields[i++], TAG.sequence, 'responses')).map(readSingleResponse);
  let nonceExtension: Uint8Array | undefined;
  for (; i < fields.length; i++) {
    const field = fields[i] as DerElement;
    if (field.tag !== contextTag(1, true)) throw new DerError('unexpected field in ResponseData');
    nonceExtension = readExtensions(explicitInner(field)).find((e) => e.oid === OCSP_NONCE_OID)?.value;
  }
  const certificates = certs
    ? childrenOf(
        expectTag(explicitInner(expectTag(certs, contextTag(0, true), 'certs')), TAG.sequence, 'certs'),
      ).map(encodedOf)
    : [];
  return {
    tbsResponseData: encodedOf(tbs as DerElement),
    signatureAlgorithmOid: algorithmOid(algorithm),
    signature: bitStringOf(signature as DerElement).bits,
    responderId,
    responses,
    ...(nonceExtension ? { nonceExtension } : {}),
    certificates,
  };
}

type Signer = { ok: true; key: Uint8Array | KeyObject } | { ok: false; problem: OcspProblem };

/**
 * OpenSSL's reading of a delegated responder's certificate (about 0.1 ms here), kept by its DER
 * bytes (compared whole): a responder signs with one certificate for months, and every answer
 * carries it. Only the decoding is kept: each answer still checks that its CA issued and signed
 * it, its id-kp-OCSPSigning, and its validity at that answer's `now`.
 */
const RESPONDER_CACHE_LIMIT = 16;
const responderNodes = new Map<string, { der: Buffer; node: NodeX509Certificate }>();

function responderNodeOf(der: Uint8Array): NodeX509Certificate {
  const bytes = Buffer.from(der);
  const key = hashOf('sha256', bytes).toString('hex');
  const known = responderNodes.get(key);
  if (known?.der.equals(bytes)) return known.node;
  const node = new NodeX509Certificate(bytes);
  if (responderNodes.size >= RESPONDER_CACHE_LIMIT)
    responderNodes.delete(responderNodes.keys().next().value as string);
  responderNodes.set(key, { der: bytes, node });
  return node;
}

/** The certificate that signed the answer: the CA itself, or a delegated responder it issued. */
function findSigner(basic: BasicResponse, issuer: IssuerFacts, now: Date): Signer {
  const matchesId = (candidate: CertificateDer): boolean =>
    'byName' in basic.responderId
      ? sameBytes(basic.responderId.byName, candidate.subjectName)
      : sameBytes(basic.responderId.byKey, hashOf('sha1', candidate.subjectPublicKey));
  if (matchesId(issuer.certificate)) return { ok: true, key: issuer.publicKey ?? issuer.der };
  let found: { der: Uint8Array; certificate: CertificateDer } | undefined;
  for (const der of basic.certificates) {
    let certificate: CertificateDer;
    try {
      certificate = readCertificateDer(der);
    } catch {
      continue;
    }
    if (matchesId(certificate)) {
      found = { der, certificate };
      break;
    }
  }
  if (!found) return { ok: false, problem: 'responder-not-found' };
  let node: NodeX509Certificate;
  try {
    node = responderNodeOf(found.der);
    const issuerNode = (issuer.node ??= new NodeX509Certificate(issuer.der));
    if (node.issuer !== issuerNode.subject || !node.verify(issuerNode.publicKey))
      return { ok: false, problem: 'responder-not-issued-by-ca' };
  } catch {
    return { ok: false, problem: 'responder-not-issued-by-ca' };
  }
  let usages: string[];
  try {
    const extension = found.certificate.extensions.find((e) => e.oid === '2.5.29.37');
    usages = extension ? extendedKeyUsagesOf(extension.value) : [];
  } catch {
    usages = [];
  }
  if (!usages.includes(OCSP_SIGNING_EKU)) return { ok: false, problem: 'responder-not-ocsp-signer' };
  if (
    now.getTime() < found.certificate.notBefore.getTime() ||
    now.getTime() > found.certificate.notAfter.getTime()
  )
    return { ok: false, problem: 'responder-not-valid-now' };
  return { ok: true, key: node.publicKey };
}

const problem = (p: OcspProblem): OcspOutcome => ({ kind: 'problem', problem: p });

/** The nonce an answer echoes: the extension's value is an OCTET STRING holding it (RFC 8954); a bare value is read as is. */
function echoedNonce(value: Uint8Array): Uint8Array {
  try {
    const inner = readWhole(value);
    return inner.tag === TAG.octetString ? contentOf(inner) : value;
  } catch {
    return value;
  }
}

/** Checks a DER OCSPResponse against the request it answers. Pure: no I/O. */
export function checkOcspResponse(
  responseDer: Uint8Array,
  expected: { serialNumber: Uint8Array; issuerDer: Uint8Array; nonce: Uint8Array },
  now: Date,
  time: OcspTimePolicy,
): OcspOutcome {
  let basic: BasicResponse;
  try {
    const response = readOuterResponse(responseDer);
    if (response.kind === 'status') {
      if (response.status === 3) return problem('unavailable-try-later');
      if (response.status === 2) return problem('unavailable-internal-error');
      if (response.status === 6) return problem('response-unauthorized');
      return problem(response.status === 0 ? 'response-not-basic' : 'response-status-other');
    }
    if (response.responseType !== OCSP_BASIC_OID) return problem('response-not-basic');
    basic = readBasicResponse(response.response);
  } catch {
    return problem('response-malformed');
  }

  if (!ALLOWED_SIGNATURE_ALGORITHMS[basic.signatureAlgorithmOid])
    return problem('signature-algorithm-not-allowed');
  let issuer: IssuerFacts;
  try {
    issuer = issuerFactsOf(expected.issuerDer);
  } catch {
    return problem('responder-not-found');
  }
  const signer = findSigner(basic, issuer, now);
  if (!signer.ok) return problem(signer.problem);
  if (!signatureValid(basic.signatureAlgorithmOid, basic.tbsResponseData, basic.signature, signer.key))
    return problem('signature-invalid');

  if (!basic.nonceExtension) {
    if (time.nonce === 'required') return problem('nonce-missing');
  } else if (!sameBytes(echoedNonce(basic.nonceExtension), expected.nonce)) return problem('nonce-mismatch');

  const single = basic.responses.filter((r) => {
    const hash = HASH_NAMES[r.hashAlgorithmOid];
    return (
      hash !== undefined &&
      sameBytes(r.serialNumber, expected.serialNumber) &&
      sameBytes(r.issuerKeyHash, issuerKeyHash(issuer, hash)) &&
      sameBytes(r.issuerNameHash, issuerNameHash(issuer, hash))
    );
  });
  const answer = single[0];
  if (!answer || single.length !== 1) return problem('certificate-id-mismatch');

  const t = now.getTime();
  if (answer.thisUpdate.getTime() > t + time.allowedSkewMs) return problem('this-update-in-future');
  if (answer.thisUpdate.getTime() < t - time.maxThisUpdateAgeMs - time.allowedSkewMs) return problem('stale');
  if (answer.nextUpdate && answer.nextUpdate.getTime() < t - time.allowedSkewMs)
    return problem('next-update-passed');

  switch (answer.status.tag) {
    case contextTag(0, false):
      return { kind: 'good' };
    case contextTag(1, true):
      return revokedOutcome(answer.status);
    default:
      return problem('status-unknown');
  }
}

/** RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }, tagged [1] IMPLICIT. */
function revokedOutcome(status: DerElement): OcspOutcome {
  let revokedAt = new Date(0);
  let reason: number | undefined;
  try {
    const [time, reasonWrapper] = childrenOf(status);
    if (time?.tag === TAG.generalizedTime) revokedAt = timeOf(time);
    if (reasonWrapper?.tag === contextTag(0, true))
      reason = smallIntegerOf(explicitInner(reasonWrapper), TAG.enumerated);
  } catch {
    // A revoked status whose details do not read is still revoked.
  }
  return reason === undefined ? { kind: 'revoked', revokedAt } : { kind: 'revoked', reason, revokedAt };
}

/** Asks the responder about one certificate and checks the answer. Never throws. */
export async function queryOcsp(query: OcspQuery): Promise<OcspOutcome> {
  let serialNumber: Uint8Array;
  let issuer: IssuerFacts;
  try {
    serialNumber = query.serialNumber ?? readCertificateDer(query.certificateDer).serialNumber;
    issuer = issuerFactsOf(query.issuerDer);
  } catch {
    return problem('response-malformed');
  }
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const body = buildOcspRequest(
    serialNumber,
    { name: issuerNameHash(issuer, 'sha256'), key: issuerKeyHash(issuer, 'sha256') },
    nonce,
  );
  let answer: { status: number; body: Uint8Array };
  // A timer of our own, cleared once the answer is in: AbortSignal.timeout leaves every request's
  // timer pending for the whole time-out (thousands at a few hundred authentications a second).
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException('OCSP responder did not answer in time', 'TimeoutError')),
    query.timeoutMs,
  );
  timer.unref();
  try {
    answer = await query.transport(query.url, body, deadline.signal);
  } catch {
    return problem(deadline.signal.aborted ? 'unavailable-timeout' : 'unavailable-network');
  } finally {
    clearTimeout(timer);
  }
  if (answer.status !== 200) return problem('unavailable-http-status');
  return checkOcspResponse(
    answer.body,
    { serialNumber, issuerDer: query.issuerDer, nonce },
    query.now,
    query.time,
  );
}
