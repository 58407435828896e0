/**
 * OCSP answers (RFC 6960) for the dev world's live responder, written straight as DER.
 *
 * Everything in an answer that is the same for every request to one CA — the responder ID (the
 * CA's name), the signature algorithm, the certificate sent along — is encoded once, when the
 * CA is taken on. Per request only the CertID (echoed from the request), the status, the times
 * and the nonce are written, and the answer is signed fresh with the CA's key (imported once):
 * a real signature over this request's nonce, never a replayed one.
 *
 * The request is read with the centre's strict DER reader (server/auth/der.ts): the dev world's
 * only client is the centre, whose requests are DER.
 */
import { createHash, KeyObject, sign } from 'node:crypto';
import {
  childrenOf,
  contentOf,
  contextTag,
  encodedOf,
  encodeElement,
  encodeOid,
  expectTag,
  explicitInner,
  oidOf,
  readWhole,
  TAG,
  type DerElement,
} from '../../server/auth/der.ts';

export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const OCSP_BASIC_OID = '1.3.6.1.5.5.7.48.1.1';
const SHA256_WITH_RSA_OID = '1.2.840.113549.1.1.11';

/** OCSPResponseStatus values the responder answers with. */
export const OcspResponseStatus = { successful: 0, malformedRequest: 1, unauthorized: 6 } as const;

/** The CA's key hash under each hash a CertID may name (OID → hash name). */
const CERT_ID_HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** RFC 5280 CRLReason code. */
export type RevocationReason = number;

export type CertStatus =
  { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: RevocationReason };

/** What one OCSPRequest asks: the one certificate it names and the nonce to echo. */
export interface OcspQuestion {
  /** The CertID as the request encoded it (echoed in the answer). */
  certIdDer: Uint8Array;
  hashAlgorithmOid: string;
  issuerKeyHash: Uint8Array;
  /** Lower-case hex, no leading zeros ("0" for zero). */
  serialNumberHex: string;
  /** The nonce extension's extnValue content, when the request carries one. */
  nonceValue?: Uint8Array;
}

/** A CA the responder answers for, with the fixed parts of its answers already encoded. */
export interface OcspSigningCa {
  /** Hex of the CA's key hash by CertID hash OID. */
  keyHashes: ReadonlyMap<string, string>;
  /** ResponderID byName: [1] EXPLICIT Name. */
  responderIdDer: Uint8Array;
  /** certs: [0] EXPLICIT SEQUENCE OF Certificate (the CA's own). */
  certsDer: Uint8Array;
  signingKey: KeyObject;
}

/** A serial number's hex as the responder keys it: lower case, no 0x, no leading zeros. */
export const normaliseSerialHex = (hex: string): string =>
  hex
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/^0+(?=.)/, '') || '0';

/** Encodes the parts of a CA's answers that never change. `certificateDer` is the CA's certificate. */
export function ocspSigningCa(certificateDer: Uint8Array, privateKey: CryptoKey | KeyObject): OcspSigningCa {
  const [tbs] = childrenOf(expectTag(readWhole(certificateDer), TAG.sequence, 'certificate'));
  const fields = childrenOf(expectTag(tbs, TAG.sequence, 'tbsCertificate'));
  // version [0] is present in every v3 certificate; subject is then the 6th field, the key the 7th.
  const offset = fields[0]?.tag === contextTag(0, true) ? 1 : 0;
  const subject = expectTag(fields[offset + 4], TAG.sequence, 'subject');
  const spki = childrenOf(expectTag(fields[offset + 5], TAG.sequence, 'subjectPublicKeyInfo'));
  const keyBits = contentOf(expectTag(spki[1], TAG.bitString, 'subjectPublicKey')).subarray(1);
  const keyHashes = new Map<string, string>();
  for (const [oid, name] of Object.entries(CERT_ID_HASHES)) {
    keyHashes.set(oid, createHash(name).update(keyBits).digest('hex'));
  }
  return {
    keyHashes,
    responderIdDer: encodeElement(contextTag(1, true), encodedOf(subject)),
    certsDer: encodeElement(contextTag(0, true), encodeElement(TAG.sequence, certificateDer)),
    signingKey: privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey),
  };
}

function extensionsOf(wrapper: DerElement): DerElement[] {
  return childrenOf(expectTag(explicitInner(wrapper), TAG.sequence, 'extensions'));
}

/**
 * Reads an OCSPRequest: exactly one Request, its CertID, and the nonce among the request
 * extensions. Undefined when the bytes are not such a request (the answer is malformedRequest).
 */
export function readOcspQuestion(requestDer: Uint8Array): OcspQuestion | undefined {
  try {
    const [tbsRequest] = childrenOf(expectTag(readWhole(requestDer), TAG.sequence, 'OCSPRequest'));
    const fields = childrenOf(expectTag(tbsRequest, TAG.sequence, 'TBSRequest'));
    // version [0] and requestorName [1] may come first; the request list is the one SEQUENCE.
    const listIndex = fields.findIndex((f) => f.tag === TAG.sequence);
    const requests = childrenOf(expectTag(fields[listIndex], TAG.sequence, 'requestList'));
    if (requests.length !== 1) return undefined;
    const [certId] = childrenOf(expectTag(requests[0], TAG.sequence, 'Request'));
    const [hashAlgorithm, , issuerKeyHash, serialNumber] = childrenOf(
      expectTag(certId, TAG.sequence, 'CertID'),
    );
    const [hashOid] = childrenOf(expectTag(hashAlgorithm, TAG.sequence, 'hashAlgorithm'));
    const question: OcspQuestion = {
      certIdDer: encodedOf(certId as DerElement),
      hashAlgorithmOid: oidOf(hashOid as DerElement),
      issuerKeyHash: contentOf(expectTag(issuerKeyHash, TAG.octetString, 'issuerKeyHash')),
      serialNumberHex: normaliseSerialHex(
        Buffer.from(contentOf(expectTag(serialNumber, TAG.integer, 'serialNumber'))).toString('hex'),
      ),
    };
    const extensions = fields.slice(listIndex + 1).find((f) => f.tag === contextTag(2, true));
    for (const extension of extensions ? extensionsOf(extensions) : []) {
      const parts = childrenOf(expectTag(extension, TAG.sequence, 'Extension'));
      if (oidOf(parts[0] as DerElement) !== OCSP_NONCE_OID) continue;
      const value = parts[parts.length - 1];
      return { ...question, nonceValue: contentOf(expectTag(value, TAG.octetString, 'extnValue')) };
    }
    return question;
  } catch {
    return undefined;
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** GeneralizedTime in DER's form: UTC, seconds, a fraction only when there are milliseconds. */
export function generalizedTime(date: Date): Uint8Array {
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  const text =
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${fraction}Z`;
  return encodeElement(TAG.generalizedTime, Buffer.from(text, 'latin1'));
}

/** CertStatus: good [0] IMPLICIT NULL, or revoked [1] IMPLICIT RevokedInfo. */
function certStatusDer(status: CertStatus): Uint8Array {
  if (status.status === 'good') return encodeElement(contextTag(0, false));
  const reason =
    status.reason === undefined
      ? []
      : [encodeElement(contextTag(0, true), encodeElement(TAG.enumerated, Uint8Array.of(status.reason)))];
  return encodeElement(contextTag(1, true), generalizedTime(status.revokedAt), ...reason);
}

const SIGNATURE_ALGORITHM_DER = encodeElement(
  TAG.sequence,
  encodeOid(SHA256_WITH_RSA_OID),
  encodeElement(TAG.null),
);
const NONCE_OID_DER = encodeOid(OCSP_NONCE_OID);
const BASIC_OID_DER = encodeOid(OCSP_BASIC_OID);

/** An OCSPResponse carrying only a status (no response bytes). */
export function ocspStatusOnly(status: number): Uint8Array {
  return encodeElement(TAG.sequence, encodeElement(TAG.enumerated, Uint8Array.of(status)));
}

/**
 * The successful OCSPResponse for one question: a BasicOCSPResponse signed now by the CA
 * (sha256WithRSAEncryption), valid from `thisUpdate` to `nextUpdate`, echoing the nonce.
 */
export function signedOcspAnswer(
  ca: OcspSigningCa,
  question: OcspQuestion,
  status: CertStatus,
  times: { producedAt: Date; thisUpdate: Date; nextUpdate: Date },
): Uint8Array {
  const single = encodeElement(
    TAG.sequence,
    question.certIdDer,
    certStatusDer(status),
    generalizedTime(times.thisUpdate),
    encodeElement(contextTag(0, true), generalizedTime(times.nextUpdate)),
  );
  const nonce =
    question.nonceValue === undefined
      ? []
      : [
          encodeElement(
            contextTag(1, true),
            encodeElement(
              TAG.sequence,
              encodeElement(TAG.sequence, NONCE_OID_DER, encodeElement(TAG.octetString, question.nonceValue)),
            ),
          ),
        ];
  const tbsResponseData = encodeElement(
    TAG.sequence,
    ca.responderIdDer,
    generalizedTime(times.producedAt),
    encodeElement(TAG.sequence, single),
    ...nonce,
  );
  const signature = sign('sha256', tbsResponseData, ca.signingKey);
  const basic = encodeElement(
    TAG.sequence,
    tbsResponseData,
    SIGNATURE_ALGORITHM_DER,
    encodeElement(TAG.bitString, Uint8Array.of(0), signature),
    ca.certsDer,
  );
  return encodeElement(
    TAG.sequence,
    encodeElement(TAG.enumerated, Uint8Array.of(OcspResponseStatus.successful)),
    encodeElement(
      contextTag(0, true),
      encodeElement(TAG.sequence, BASIC_OID_DER, encodeElement(TAG.octetString, basic)),
    ),
  );
}

/** The CA (of `cas`) whose key the question's CertID names, if any. */
export function caForQuestion<T extends { ca: OcspSigningCa }>(
  cas: readonly T[],
  question: OcspQuestion,
): T | undefined {
  const keyHash = Buffer.from(question.issuerKeyHash).toString('hex');
  return cas.find((c) => c.ca.keyHashes.get(question.hashAlgorithmOid) === keyHash);
}
