/**
 * The card's certificate read once, without OpenSSL, when it has a plain shape: one DER
 * certificate, v3, sha256WithRSAEncryption with NULL parameters in both algorithm fields, names
 * of PrintableString / valid UTF8String attributes, an rsaEncryption key (NULL parameters) whose
 * RSAPublicKey fills its BIT STRING, no unique identifiers, extensions present and flagged
 * critical only by TRUE, a basicConstraints (if any) that reads strictly.
 *
 * OpenSSL's parse (`new X509Certificate`) cost more than the rest of the certificate's checks
 * together, mostly in decoding the key through OpenSSL's SPKI decoder; the RSA key is made here
 * from its PKCS#1 bytes instead. A certificate of any other shape answers `undefined` and is read
 * as before (OpenSSL, then the strict reader), so every refusal and its wording stays what
 * OpenSSL's reading gave; a real card of another shape only costs what it did. The shape is
 * chosen so that OpenSSL reads every plain certificate, as the same DER, key and facts
 * (tests/fuzz/plain-certificate.fuzz.test.ts compares the two over mutated certificates).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { basicConstraintsCa, readCertificateDer, type CertificateDer } from './certificate-der.ts';
import {
  TAG,
  bitStringOf,
  childrenOf,
  contentOf,
  contextTag,
  encodedOf,
  expectTag,
  explicitInner,
  integerBytesOf,
  oidOf,
  readWhole,
  type DerElement,
} from './der.ts';

export interface PlainCertificate {
  certificate: CertificateDer;
  /** The encoded tbsCertificate: what the issuer signed. */
  tbs: Uint8Array;
  /** The issuer's signature (the BIT STRING's bytes; no unused bits). */
  signature: Uint8Array;
  /** The certificate's RSA key. */
  publicKey: KeyObject;
}

/** AlgorithmIdentifier { sha256WithRSAEncryption, NULL }: the only one a plain certificate carries. */
const SHA256_WITH_RSA_NULL = Uint8Array.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
]);
/** AlgorithmIdentifier { rsaEncryption, NULL }. */
const RSA_ENCRYPTION_NULL = Uint8Array.from([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);
/** [0] EXPLICIT INTEGER 2 (v3). */
const VERSION_3 = Uint8Array.from([0xa0, 0x03, 0x02, 0x01, 0x02]);
const BASIC_CONSTRAINTS_OID = '2.5.29.19';
const PRINTABLE_STRING = 0x13;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** A Name of RDNs, each a non-empty SET of { OID, PrintableString | valid UTF8String }; throws a DerError on a malformed one. */
function isPlainName(name: DerElement): boolean {
  for (const rdn of childrenOf(expectTag(name, TAG.sequence, 'name'))) {
    const attributes = childrenOf(expectTag(rdn, TAG.set, 'relative distinguished name'));
    if (attributes.length === 0) return false;
    for (const attribute of attributes) {
      const [type, value, ...rest] = childrenOf(expectTag(attribute, TAG.sequence, 'attribute'));
      if (!type || !value || rest.length > 0) return false;
      oidOf(type); // OpenSSL refuses an OID not in its shortest form
      const text = contentOf(value);
      if (value.tag === PRINTABLE_STRING) {
        if (!PRINTABLE.test(Buffer.from(text).toString('latin1'))) return false;
      } else if (value.tag === TAG.utf8String) {
        try {
          utf8.decode(text);
        } catch {
          return false;
        }
      } else return false;
    }
  }
  return true;
}

/** RSAPublicKey { modulus, publicExponent } filling the key's BIT STRING exactly, both positive. */
function rsaKeyOf(bits: Uint8Array): KeyObject | undefined {
  const [modulus, exponent, ...rest] = childrenOf(expectTag(readWhole(bits), TAG.sequence, 'RSA key'));
  if (!modulus || !exponent || rest.length > 0) return undefined;
  for (const integer of [modulus, exponent]) {
    if (((integerBytesOf(integer)[0] as number) & 0x80) !== 0) return undefined;
  }
  return createPublicKey({ key: Buffer.from(bits), format: 'der', type: 'pkcs1' });
}

function plainOrUndefined(der: Uint8Array): PlainCertificate | undefined {
  const certificate = readCertificateDer(der);
  const [tbs, algorithm, signatureElement] = childrenOf(readWhole(der)) as [
    DerElement,
    DerElement,
    DerElement,
  ];
  if (!sameBytes(encodedOf(algorithm), SHA256_WITH_RSA_NULL)) return undefined;
  const signature = bitStringOf(signatureElement);
  if (signature.unusedBits !== 0 || signature.bits.length === 0) return undefined;
  const fields = childrenOf(tbs);
  const [version, , tbsAlgorithm, issuer, , subject, spki, extensions, ...rest] = fields;
  if (!version || !sameBytes(encodedOf(version), VERSION_3)) return undefined;
  if (!tbsAlgorithm || !sameBytes(encodedOf(tbsAlgorithm), SHA256_WITH_RSA_NULL)) return undefined;
  if (!issuer || !subject || !isPlainName(issuer) || !isPlainName(subject)) return undefined;
  if (rest.length > 0 || extensions?.tag !== contextTag(3, true)) return undefined;
  for (const extension of childrenOf(explicitInner(extensions))) {
    const critical = childrenOf(extension)[1];
    if (critical?.tag === TAG.boolean && contentOf(critical)[0] !== 0xff) return undefined;
  }
  const basicConstraints = certificate.extensions.find((e) => e.oid === BASIC_CONSTRAINTS_OID);
  if (basicConstraints) basicConstraintsCa(basicConstraints.value);
  const [keyAlgorithm, keyBits, ...keyRest] = childrenOf(expectTag(spki, TAG.sequence, 'key'));
  if (!keyAlgorithm || !keyBits || keyRest.length > 0) return undefined;
  if (!sameBytes(encodedOf(keyAlgorithm), RSA_ENCRYPTION_NULL)) return undefined;
  const key = bitStringOf(keyBits);
  if (key.unusedBits !== 0) return undefined;
  const publicKey = rsaKeyOf(key.bits);
  if (!publicKey) return undefined;
  return { certificate, tbs: encodedOf(tbs), signature: signature.bits, publicKey };
}

/**
 * The certificate read without OpenSSL when it has the plain shape; `undefined` when it does not
 * (or does not read at all): the caller then reads it as before.
 */
export function readPlainCertificate(der: Uint8Array): PlainCertificate | undefined {
  // A plain certificate starts with a SEQUENCE; PEM text and junk go straight to OpenSSL's reading.
  if (der[0] !== TAG.sequence) return undefined;
  try {
    return plainOrUndefined(der);
  } catch {
    // A DerError, or createPublicKey refusing the key: OpenSSL's reading decides what it means.
    return undefined;
  }
}
