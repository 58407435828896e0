/**
 * Test-only helpers for auth tests: certificates that the test JPKI CA (native/test-pki) would
 * never issue (wrong usage, weak or oversized key, other algorithms, self-signed, CA flag,
 * unknown critical extension), RSA public keys of any size without a private key, and the
 * card's signature over the auth message (and the wrong ones a forged card would make).
 * Not imported by production code.
 */
import 'reflect-metadata';
import { constants, createPublicKey, randomBytes, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { authenticationMessage } from '../../protocol/auth-message.ts';
import {
  JPKI_AUTH_POLICY_OID,
  type TestCaAuthority,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** Who signs a crafted certificate: a test CA authority, another CA's key, or the subject itself. */
export interface CertificateSigner {
  /** Written as the certificate's issuer DN. */
  name: string | x509.Name;
  /** Any extractable private key; re-imported for the chosen signature algorithm. */
  privateKey: CryptoKey;
}

export const CERTIFICATE_SIGNATURE_ALGORITHMS = {
  sha256WithRSAEncryption: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  sha1WithRSAEncryption: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  sha384WithRSAEncryption: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  sha512WithRSAEncryption: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  'RSASSA-PSS-SHA256': { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
  'ecdsa-with-SHA256': { name: 'ECDSA', hash: 'SHA-256' },
} as const;
export type CertificateSignatureAlgorithm = keyof typeof CERTIFICATE_SIGNATURE_ALGORITHMS;

/**
 * A 利用者証明用-shaped certificate, every part overridable. The defaults make a certificate
 * the centre accepts (KU digitalSignature critical, EKU clientAuth, the 利用者証明用 policy
 * critical, sha256WithRSAEncryption); `null` leaves an extension out.
 */
export interface CraftedCertificateSpec {
  signer: CertificateSigner;
  publicKeySpki: Uint8Array;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  subject?: string;
  signatureAlgorithm?: CertificateSignatureAlgorithm;
  keyUsage?: number | null;
  extendedKeyUsage?: readonly string[] | null;
  policies?: readonly string[] | null;
  /** Adds a critical basicConstraints extension with this cA flag. */
  basicConstraintsCa?: boolean;
  extraExtensions?: readonly x509.Extension[];
}

const pkcs8Cache = new WeakMap<CryptoKey, Promise<ArrayBuffer>>();

async function signingKeyFor(
  key: CryptoKey,
  algorithm: (typeof CERTIFICATE_SIGNATURE_ALGORITHMS)[CertificateSignatureAlgorithm],
): Promise<CryptoKey> {
  let pkcs8 = pkcs8Cache.get(key);
  if (!pkcs8) {
    pkcs8 = crypto.subtle.exportKey('pkcs8', key);
    pkcs8Cache.set(key, pkcs8);
  }
  const params = algorithm.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: 'P-256' } : algorithm;
  return crypto.subtle.importKey('pkcs8', await pkcs8, params, false, ['sign']);
}

/** Issues the certificate `spec` describes (DER). */
export async function craftCertificate(spec: CraftedCertificateSpec): Promise<Uint8Array> {
  const algorithm = CERTIFICATE_SIGNATURE_ALGORITHMS[spec.signatureAlgorithm ?? 'sha256WithRSAEncryption'];
  const extensions: x509.Extension[] = [];
  if (spec.basicConstraintsCa !== undefined)
    extensions.push(new x509.BasicConstraintsExtension(spec.basicConstraintsCa, undefined, true));
  const keyUsage = spec.keyUsage === undefined ? x509.KeyUsageFlags.digitalSignature : spec.keyUsage;
  if (keyUsage !== null) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  const eku =
    spec.extendedKeyUsage === undefined ? [x509.ExtendedKeyUsage.clientAuth] : spec.extendedKeyUsage;
  if (eku !== null) extensions.push(new x509.ExtendedKeyUsageExtension([...eku], false));
  const policies = spec.policies === undefined ? [JPKI_AUTH_POLICY_OID] : spec.policies;
  if (policies !== null) extensions.push(new x509.CertificatePolicyExtension([...policies], true));
  extensions.push(...(spec.extraExtensions ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber,
    subject: spec.subject ?? 'C=JP, CN=CRAFTED000000000000TEST',
    issuer: spec.signer.name,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: Uint8Array.from(spec.publicKeySpki).buffer,
    signingKey: await signingKeyFor(spec.signer.privateKey, algorithm),
    signingAlgorithm: algorithm,
    extensions,
  });
  return new Uint8Array(cert.rawData);
}

/** A test CA authority as a signer (its DN exactly as encoded in its certificate). */
export function caSigner(authority: TestCaAuthority): CertificateSigner {
  return { name: authority.certificate.subjectName, privateKey: authority.privateKey };
}

/**
 * `der` re-signed over the same TBSCertificate with sha256WithRSAEncryption, and the outer
 * signatureAlgorithm saying so, while the TBS still names the algorithm it was made with
 * (RFC 5280 §4.1.1.2: the two must match). The signature itself is valid under the outer one.
 */
export async function withMismatchedOuterAlgorithm(
  der: Uint8Array,
  signer: CertificateSigner,
): Promise<Uint8Array> {
  const certificate = asn1js.fromBER(Uint8Array.from(der).buffer).result as asn1js.Sequence;
  const tbs = certificate.valueBlock.value[0];
  if (!tbs) throw new Error('not a certificate');
  const key = await signingKeyFor(
    signer.privateKey,
    CERTIFICATE_SIGNATURE_ALGORITHMS.sha256WithRSAEncryption,
  );
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new Uint8Array(tbs.toBER(false)));
  const forged = new asn1js.Sequence({
    value: [
      tbs,
      new asn1js.Sequence({
        value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.1.11' }), new asn1js.Null()],
      }),
      new asn1js.BitString({ valueHex: signature }),
    ],
  });
  return new Uint8Array(forged.toBER(false));
}

/** A Node private key as a signer (a self-signed leaf: the card signs its own certificate). */
export async function signerFromKeyObject(name: string, privateKey: KeyObject): Promise<CertificateSigner> {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const imported = await crypto.subtle.importKey(
    'pkcs8',
    Uint8Array.from(der).buffer,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    true,
    ['sign'],
  );
  return { name, privateKey: imported };
}

/** A self-signed P-256 CA certificate with `name` (for certificates signed with ECDSA). */
export async function ecdsaTestAuthority(
  name: string,
  validity: { notBefore: Date; notAfter: Date },
): Promise<CertificateSigner & { certificateDer: Uint8Array }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0e01',
    name,
    ...validity,
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { name, privateKey: keys.privateKey, certificateDer: new Uint8Array(certificate.rawData) };
}

/**
 * The SubjectPublicKeyInfo of an RSA public key with a random modulus of exactly `bits` bits
 * (e = 65537). No private key exists: for certificates the centre must refuse before it ever
 * checks a signature (too small, too large), without generating a slow real key.
 */
export function rsaSpkiOfBits(bits: number): Uint8Array {
  const bytes = Math.ceil(bits / 8);
  const modulus = randomBytes(bytes);
  const topBits = bits - (bytes - 1) * 8; // 1..8 significant bits in the first byte
  modulus[0] = (modulus[0]! & ((1 << topBits) - 1)) | (1 << (topBits - 1));
  modulus[bytes - 1]! |= 1;
  const key = createPublicKey({
    key: { kty: 'RSA', n: modulus.toString('base64url'), e: 'AQAB' },
    format: 'jwk',
  });
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }));
}

export type CertificateFlaw = 'no-client-auth' | 'wrong-policy' | 'no-digital-signature' | 'sha1';

/** An authentication certificate under `ca` with one flaw. */
export async function flawedAuthCertificate(
  ca: TestJpkiCa,
  opts: {
    publicKeySpki: Uint8Array;
    serialNumber: string;
    notBefore: Date;
    notAfter: Date;
    flaw: CertificateFlaw;
  },
): Promise<Uint8Array> {
  return craftCertificate({
    signer: caSigner(ca.auth),
    publicKeySpki: opts.publicKeySpki,
    serialNumber: opts.serialNumber,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    subject: 'C=JP, CN=FLAWED0000000000000TEST',
    ...(opts.flaw === 'sha1' ? { signatureAlgorithm: 'sha1WithRSAEncryption' as const } : {}),
    ...(opts.flaw === 'no-digital-signature' ? { keyUsage: x509.KeyUsageFlags.keyEncipherment } : {}),
    ...(opts.flaw === 'no-client-auth' ? { extendedKeyUsage: [x509.ExtendedKeyUsage.emailProtection] } : {}),
    ...(opts.flaw === 'wrong-policy' ? { policies: ['1.2.392.200149.8.5.1.1.10'] } : {}),
  });
}

/** What the card does: RSASSA-PKCS1-v1_5 SHA-256 over SHA-256(terminalId) ‖ SHA-256(challenge), base64. */
export function cardSignature(privateKey: KeyObject, terminalId: string, challengeBase64: string): string {
  return sign(
    'sha256',
    authenticationMessage(terminalId, Buffer.from(challengeBase64, 'base64')),
    privateKey,
  ).toString('base64');
}

/** Ways a forged or broken card signs; each must be refused as signature-invalid. */
export const SIGNATURE_FLAWS = [
  'challenge-only',
  'terminal-only',
  'swapped-order',
  'sha1-digest',
  'pss-padding',
  'truncated',
  'leading-zero-added',
  'all-zeros',
  'bit-flipped',
] as const;
export type SignatureFlaw = (typeof SIGNATURE_FLAWS)[number];

/** A base64 signature made the wrong way (`flaw`) with the card's own key. */
export function flawedCardSignature(
  privateKey: KeyObject,
  terminalId: string,
  challengeBase64: string,
  flaw: SignatureFlaw,
): string {
  const challenge = Buffer.from(challengeBase64, 'base64');
  const message = authenticationMessage(terminalId, challenge);
  const good = (): Buffer => sign('sha256', message, privateKey);
  switch (flaw) {
    case 'challenge-only':
      return sign('sha256', challenge, privateKey).toString('base64');
    case 'terminal-only':
      return sign('sha256', Buffer.from(terminalId, 'utf8'), privateKey).toString('base64');
    case 'swapped-order':
      return sign(
        'sha256',
        Buffer.concat([message.subarray(32), message.subarray(0, 32)]),
        privateKey,
      ).toString('base64');
    case 'sha1-digest':
      return sign('sha1', message, privateKey).toString('base64');
    case 'pss-padding':
      return sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }).toString(
        'base64',
      );
    case 'truncated':
      return good().subarray(0, -1).toString('base64');
    case 'leading-zero-added':
      return Buffer.concat([Buffer.alloc(1), good()]).toString('base64');
    case 'all-zeros':
      return Buffer.alloc(good().length).toString('base64');
    case 'bit-flipped': {
      const s = good();
      s[s.length - 1]! ^= 0x01;
      return s.toString('base64');
    }
  }
}
