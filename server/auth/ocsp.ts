/**
 * The centre's OCSP client (RFC 6960): builds a request with a fresh nonce for one certificate
 * and checks the answer the way Web eID's validator does — successful status, basic response,
 * signature algorithm on the allow-list, signer = the issuing CA or a delegated responder it
 * issued with id-kp-OCSPSigning (valid now), signature over the response data, the nonce echoed,
 * the answer for exactly this certificate, thisUpdate/nextUpdate within the allowed skew and not
 * stale, and the status itself.
 */
import {
  X509Certificate as NodeX509Certificate,
  createHash,
  randomBytes,
  verify,
  type KeyObject,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

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

export const httpOcspTransport: OcspTransport = async (url, body, signal) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
    body: Buffer.from(body),
    signal,
  });
  return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
};

export interface OcspQuery {
  /** DER of the certificate being checked and of the CA that (by signature) issued it. */
  certificateDer: Uint8Array;
  issuerDer: Uint8Array;
  url: string;
  now: Date;
  timeoutMs: number;
  time: OcspTimePolicy;
  transport: OcspTransport;
}

function keyBits(certificate: pkijs.Certificate): Uint8Array {
  return certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
}

/**
 * What every request and answer about one CA's certificates needs of that CA: the parsed
 * certificate, its CertID hashes (name and key, per hash) and its public key. Worked out once per
 * CA certificate (by its DER bytes) instead of per request: a centre trusts a handful of CA
 * generations and checks every card against one of them. The DER is compared whole, so a
 * different certificate never shares an entry.
 */
interface IssuerFacts {
  der: Buffer;
  certificate: pkijs.Certificate;
  publicKey: KeyObject | undefined;
  nameHashes: Map<string, Buffer>;
  keyHashes: Map<string, Buffer>;
}

const ISSUER_CACHE_LIMIT = 64;
const issuerCache = new Map<string, IssuerFacts>();

function issuerFactsOf(issuerDer: Uint8Array): IssuerFacts {
  const der = Buffer.from(issuerDer);
  const key = hashOf('sha256', der).toString('hex');
  const known = issuerCache.get(key);
  if (known && known.der.equals(der)) return known;
  const certificate = pkijs.Certificate.fromBER(Uint8Array.from(der).buffer);
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
    known = hashOf(hash, new Uint8Array(facts.certificate.subject.toSchema().toBER(false)));
    facts.nameHashes.set(hash, known);
  }
  return known;
}

function issuerKeyHash(facts: IssuerFacts, hash: string): Buffer {
  let known = facts.keyHashes.get(hash);
  if (!known) {
    known = hashOf(hash, keyBits(facts.certificate));
    facts.keyHashes.set(hash, known);
  }
  return known;
}

function hashOf(name: string, bytes: Uint8Array): Buffer {
  return createHash(name).update(bytes).digest();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** The DER OCSPRequest for one certificate (CertID by SHA-256) with a 32-byte nonce. */
export function buildOcspRequest(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  nonce: Uint8Array,
  /** The issuer's SHA-256 name and key hashes, when already known. */
  hashes?: { name: Uint8Array; key: Uint8Array },
): Uint8Array {
  const certId = new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: SHA256_OID,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({
      valueHex: hashes?.name ?? hashOf('sha256', new Uint8Array(issuer.subject.toSchema().toBER(false))),
    }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: hashes?.key ?? hashOf('sha256', keyBits(issuer)) }),
    serialNumber: certificate.serialNumber,
  });
  const request = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [new pkijs.Request({ reqCert: certId })],
      requestExtensions: [
        new pkijs.Extension({
          extnID: OCSP_NONCE_OID,
          extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
        }),
      ],
    }),
  });
  return new Uint8Array(request.toSchema(true).toBER(false));
}

function signatureValid(
  algorithmOid: string,
  tbs: Uint8Array,
  signature: Uint8Array,
  signer: Uint8Array | KeyObject,
): boolean {
  const hash = ALLOWED_SIGNATURE_ALGORITHMS[algorithmOid];
  if (!hash) return false;
  try {
    const key =
      signer instanceof Uint8Array ? new NodeX509Certificate(Buffer.from(signer)).publicKey : signer;
    return verify(hash, tbs, key, signature);
  } catch {
    return false;
  }
}

function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

function extendedKeyUsages(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((e) => e.extnID === '2.5.29.37');
  const parsed = extension?.parsedValue as pkijs.ExtKeyUsage | undefined;
  return parsed?.keyPurposes ?? [];
}

type Signer = { ok: true; key: Uint8Array | KeyObject } | { ok: false; problem: OcspProblem };

/** The certificate that signed the answer: the CA itself, or a delegated responder it issued. */
function findSigner(
  basic: pkijs.BasicOCSPResponse,
  issuer: pkijs.Certificate,
  issuerDer: Uint8Array,
  now: Date,
  issuerKey?: KeyObject,
): Signer {
  const responderId = basic.tbsResponseData.responderID as unknown;
  const matchesId = (candidate: pkijs.Certificate): boolean => {
    if (responderId instanceof pkijs.RelativeDistinguishedNames)
      return responderId.isEqual(candidate.subject);
    if (responderId instanceof asn1js.OctetString) {
      return sameBytes(responderId.valueBlock.valueHexView, hashOf('sha1', keyBits(candidate)));
    }
    return false;
  };
  if (matchesId(issuer)) return { ok: true, key: issuerKey ?? issuerDer };
  const candidate = (basic.certs ?? []).find(matchesId);
  if (!candidate) return { ok: false, problem: 'responder-not-found' };
  const der = certificateDer(candidate);
  let node: NodeX509Certificate;
  try {
    node = new NodeX509Certificate(Buffer.from(der));
    const issuerNode = new NodeX509Certificate(Buffer.from(issuerDer));
    if (node.issuer !== issuerNode.subject || !node.verify(issuerNode.publicKey))
      return { ok: false, problem: 'responder-not-issued-by-ca' };
  } catch {
    return { ok: false, problem: 'responder-not-issued-by-ca' };
  }
  if (!extendedKeyUsages(candidate).includes(OCSP_SIGNING_EKU))
    return { ok: false, problem: 'responder-not-ocsp-signer' };
  if (now.getTime() < new Date(node.validFrom).getTime() || now.getTime() > new Date(node.validTo).getTime())
    return { ok: false, problem: 'responder-not-valid-now' };
  return { ok: true, key: der };
}

const problem = (p: OcspProblem): OcspOutcome => ({ kind: 'problem', problem: p });

function issuerFactsOfQuietly(issuerDer: Uint8Array): IssuerFacts | undefined {
  try {
    return issuerFactsOf(issuerDer);
  } catch {
    return undefined;
  }
}

/**
 * The BasicOCSPResponse inside `responseBytes.response`. asn1js already decoded the octet
 * string's content while reading the outer response (when it is exactly one DER value), so that
 * block is read with pkijs's schema instead of decoding the same bytes a second time (about a
 * third of an answer's check); otherwise the bytes are decoded alone.
 */
function basicResponseOf(octets: asn1js.OctetString): pkijs.BasicOCSPResponse {
  const embedded = octets.valueBlock.value;
  const inner = embedded.length === 1 ? embedded[0] : undefined;
  if (
    inner instanceof asn1js.Sequence &&
    inner.valueBeforeDecodeView.byteLength === octets.valueBlock.valueHexView.byteLength
  )
    return new pkijs.BasicOCSPResponse({ schema: inner });
  return pkijs.BasicOCSPResponse.fromBER(Uint8Array.from(octets.valueBlock.valueHexView).buffer);
}

/** Checks a DER OCSPResponse against the request it answers. Pure: no I/O. */
export function checkOcspResponse(
  responseDer: Uint8Array,
  expected: {
    certificate: pkijs.Certificate;
    issuer: pkijs.Certificate;
    issuerDer: Uint8Array;
    nonce: Uint8Array;
  },
  now: Date,
  time: OcspTimePolicy,
): OcspOutcome {
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(Uint8Array.from(responseDer).buffer);
    const status = response.responseStatus.valueBlock.valueDec;
    if (status === 3) return problem('unavailable-try-later');
    if (status === 2) return problem('unavailable-internal-error');
    if (status === 6) return problem('response-unauthorized');
    if (status !== 0) return problem('response-status-other');
    if (!response.responseBytes || response.responseBytes.responseType !== OCSP_BASIC_OID)
      return problem('response-not-basic');
    basic = basicResponseOf(response.responseBytes.response);
  } catch {
    return problem('response-malformed');
  }

  const algorithm = basic.signatureAlgorithm.algorithmId;
  if (!ALLOWED_SIGNATURE_ALGORITHMS[algorithm]) return problem('signature-algorithm-not-allowed');
  const facts = issuerFactsOfQuietly(expected.issuerDer);
  const signer = findSigner(basic, expected.issuer, expected.issuerDer, now, facts?.publicKey);
  if (!signer.ok) return problem(signer.problem);
  if (
    !signatureValid(
      algorithm,
      basic.tbsResponseData.tbsView,
      basic.signature.valueBlock.valueHexView,
      signer.key,
    )
  ) {
    return problem('signature-invalid');
  }

  const nonce = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OCSP_NONCE_OID);
  if (!nonce) {
    if (time.nonce === 'required') return problem('nonce-missing');
  } else {
    let echoed: Uint8Array;
    try {
      const inner = asn1js.fromBER(nonce.extnValue.valueBlock.valueHexView);
      echoed =
        inner.offset !== -1 && inner.result instanceof asn1js.OctetString
          ? inner.result.valueBlock.valueHexView
          : nonce.extnValue.valueBlock.valueHexView;
    } catch {
      return problem('nonce-mismatch');
    }
    if (!sameBytes(echoed, expected.nonce)) return problem('nonce-mismatch');
  }

  const serial = expected.certificate.serialNumber.valueBlock.valueHexView;
  const single = basic.tbsResponseData.responses.filter((r) => {
    const hash = HASH_NAMES[r.certID.hashAlgorithm.algorithmId];
    if (!hash) return false;
    return (
      sameBytes(r.certID.serialNumber.valueBlock.valueHexView, serial) &&
      sameBytes(
        r.certID.issuerKeyHash.valueBlock.valueHexView,
        facts ? issuerKeyHash(facts, hash) : hashOf(hash, keyBits(expected.issuer)),
      ) &&
      sameBytes(
        r.certID.issuerNameHash.valueBlock.valueHexView,
        facts
          ? issuerNameHash(facts, hash)
          : hashOf(hash, new Uint8Array(expected.issuer.subject.toSchema().toBER(false))),
      )
    );
  });
  const answer = single[0];
  if (!answer || single.length !== 1) return problem('certificate-id-mismatch');

  const t = now.getTime();
  if (answer.thisUpdate.getTime() > t + time.allowedSkewMs) return problem('this-update-in-future');
  if (answer.thisUpdate.getTime() < t - time.maxThisUpdateAgeMs - time.allowedSkewMs) return problem('stale');
  if (answer.nextUpdate && answer.nextUpdate.getTime() < t - time.allowedSkewMs)
    return problem('next-update-passed');

  const status = answer.certStatus as asn1js.BaseBlock;
  switch (status.idBlock.tagClass === 3 ? status.idBlock.tagNumber : -1) {
    case 0:
      return { kind: 'good' };
    case 1:
      return revokedOutcome(status);
    default:
      return problem('status-unknown');
  }
}

function revokedOutcome(status: asn1js.BaseBlock): OcspOutcome {
  // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
  // parsed with an IMPLICIT [1] tag, so the members are the constructed block's value.
  const members = status instanceof asn1js.Constructed ? status.valueBlock.value : [];
  const time = members[0];
  const revokedAt = time instanceof asn1js.GeneralizedTime ? time.toDate() : new Date(0);
  const reasonWrapper = members[1];
  const reasonBlock =
    reasonWrapper instanceof asn1js.Constructed ? reasonWrapper.valueBlock.value[0] : undefined;
  const reason = reasonBlock instanceof asn1js.Enumerated ? reasonBlock.valueBlock.valueDec : undefined;
  return reason === undefined ? { kind: 'revoked', revokedAt } : { kind: 'revoked', reason, revokedAt };
}

/** Asks the responder about one certificate and checks the answer. Never throws. */
export async function queryOcsp(query: OcspQuery): Promise<OcspOutcome> {
  let certificate: pkijs.Certificate;
  let issuer: IssuerFacts;
  try {
    certificate = pkijs.Certificate.fromBER(Uint8Array.from(query.certificateDer).buffer);
    issuer = issuerFactsOf(query.issuerDer);
  } catch {
    return problem('response-malformed');
  }
  const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
  const body = buildOcspRequest(certificate, issuer.certificate, nonce, {
    name: issuerNameHash(issuer, 'sha256'),
    key: issuerKeyHash(issuer, 'sha256'),
  });
  let answer: { status: number; body: Uint8Array };
  const signal = AbortSignal.timeout(query.timeoutMs);
  try {
    answer = await query.transport(query.url, body, signal);
  } catch {
    return problem(signal.aborted ? 'unavailable-timeout' : 'unavailable-network');
  }
  if (answer.status !== 200) return problem('unavailable-http-status');
  return checkOcspResponse(
    answer.body,
    { certificate, issuer: issuer.certificate, issuerDer: query.issuerDer, nonce },
    query.now,
    query.time,
  );
}
