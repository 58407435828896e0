/**
 * The facts the centre checks in an X.509 certificate (RFC 5280), read in one pass over its DER
 * with ./der.ts: the algorithm fields, serial, names, validity, public key bits and extensions.
 * Node's X509Certificate (native) still checks signatures and the key itself; this reads what it
 * does not expose (key usage bits, policies, each extension and its criticality).
 */
import {
  DerError,
  TAG,
  bitStringOf,
  booleanOf,
  childrenOf,
  contentOf,
  contextTag,
  encodedOf,
  expectTag,
  explicitInner,
  integerBytesOf,
  octetsOf,
  oidOf,
  readWhole,
  timeOf,
  type DerElement,
} from './der.ts';

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** The extnValue's content: the extension's own DER. */
  value: Uint8Array;
}

export interface CertificateDer {
  /** The AlgorithmIdentifier OIDs of the outer signature and of the TBS (RFC 5280: must match). */
  signatureAlgorithmOid: string;
  tbsSignatureAlgorithmOid: string;
  /** The INTEGER's content bytes. */
  serialNumber: Uint8Array;
  /** The encoded Names (for CertID hashes and responder names). */
  issuerName: Uint8Array;
  subjectName: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The subjectPublicKey BIT STRING's bits (for CertID key hashes and key identifiers). */
  subjectPublicKey: Uint8Array;
  extensions: CertificateExtension[];
}

/** An AlgorithmIdentifier's OID. */
export const algorithmOid = (element: DerElement | undefined): string =>
  oidOf(childrenOf(expectTag(element, TAG.sequence, 'algorithm identifier'))[0] as DerElement);

/** Reads a whole DER certificate; throws DerError when it is not one. */
export function readCertificateDer(der: Uint8Array): CertificateDer {
  const [tbs, signatureAlgorithm, signature, ...rest] = childrenOf(
    expectTag(readWhole(der), TAG.sequence, 'certificate'),
  );
  if (rest.length > 0) throw new DerError('certificate has more than three parts');
  expectTag(signature, TAG.bitString, 'certificate signature');
  const fields = childrenOf(expectTag(tbs, TAG.sequence, 'tbsCertificate'));
  let i = 0;
  if (fields[i]?.tag === contextTag(0, true)) i++; // version
  const serialNumber = integerBytesOf(expectTag(fields[i++], TAG.integer, 'serial number'));
  const tbsSignatureAlgorithmOid = algorithmOid(fields[i++]);
  const issuerName = encodedOf(expectTag(fields[i++], TAG.sequence, 'issuer'));
  const [notBefore, notAfter, ...extraTimes] = childrenOf(expectTag(fields[i++], TAG.sequence, 'validity'));
  if (!notBefore || !notAfter || extraTimes.length > 0) throw new DerError('validity malformed');
  const subjectName = encodedOf(expectTag(fields[i++], TAG.sequence, 'subject'));
  const spki = childrenOf(expectTag(fields[i++], TAG.sequence, 'subjectPublicKeyInfo'));
  const subjectPublicKey = bitStringOf(spki[1] as DerElement).bits;
  let extensions: CertificateExtension[] = [];
  for (; i < fields.length; i++) {
    const field = fields[i] as DerElement;
    if (field.tag === contextTag(3, true)) extensions = readExtensions(explicitInner(field));
    else if (field.tag !== contextTag(1, false) && field.tag !== contextTag(2, false))
      throw new DerError('unexpected field in tbsCertificate');
  }
  return {
    signatureAlgorithmOid: algorithmOid(signatureAlgorithm),
    tbsSignatureAlgorithmOid,
    serialNumber,
    issuerName,
    subjectName,
    notBefore: timeOf(notBefore),
    notAfter: timeOf(notAfter),
    subjectPublicKey,
    extensions,
  };
}

/** Extensions ::= SEQUENCE OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }. */
export function readExtensions(sequence: DerElement): CertificateExtension[] {
  return childrenOf(expectTag(sequence, TAG.sequence, 'extensions')).map((extension) => {
    const parts = childrenOf(expectTag(extension, TAG.sequence, 'extension'));
    const oid = oidOf(parts[0] as DerElement);
    const critical = parts.length === 3 ? booleanOf(parts[1] as DerElement) : false;
    if (parts.length !== 2 && parts.length !== 3) throw new DerError('extension malformed');
    return { oid, critical, value: octetsOf(parts[parts.length - 1] as DerElement) };
  });
}

/** KeyUsage's named bits (RFC 5280 §4.2.1.3), bit 0 first. */
export const KEY_USAGE_BIT = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/** Whether a KeyUsage extension value sets `bit`. */
export function keyUsageHas(value: Uint8Array, bit: number): boolean {
  const { bits } = bitStringOf(readWhole(value));
  const byte = bits[bit >> 3];
  return byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0;
}

/** ExtendedKeyUsage ::= SEQUENCE OF KeyPurposeId. */
export function extendedKeyUsagesOf(value: Uint8Array): string[] {
  return childrenOf(expectTag(readWhole(value), TAG.sequence, 'extended key usage')).map(oidOf);
}

/** CertificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier, qualifiers OPTIONAL }. */
export function policiesOf(value: Uint8Array): string[] {
  return childrenOf(expectTag(readWhole(value), TAG.sequence, 'certificate policies')).map((information) =>
    oidOf(childrenOf(expectTag(information, TAG.sequence, 'policy information'))[0] as DerElement),
  );
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
export function basicConstraintsCa(value: Uint8Array): boolean {
  const first = childrenOf(expectTag(readWhole(value), TAG.sequence, 'basic constraints'))[0];
  return first?.tag === TAG.boolean ? booleanOf(first) : false;
}

const OCSP_ACCESS_METHOD = '1.3.6.1.5.5.7.48.1';
/** GeneralName's uniformResourceIdentifier: [6] IMPLICIT IA5String. */
const URI_NAME_TAG = contextTag(6, false);

/** The first OCSP responder URL in an AuthorityInfoAccess value, if any. */
export function ocspUrlOf(value: Uint8Array): string | undefined {
  for (const description of childrenOf(expectTag(readWhole(value), TAG.sequence, 'authority info access'))) {
    const [method, location] = childrenOf(expectTag(description, TAG.sequence, 'access description'));
    if (oidOf(method as DerElement) === OCSP_ACCESS_METHOD && location?.tag === URI_NAME_TAG)
      return Buffer.from(contentOf(location)).toString('latin1');
  }
  return undefined;
}

/** Lower-case hex of bytes. */
export const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
