/**
 * A JPKI-like test PKI: CAs for user authentication (利用者証明用) and for signing (署名用),
 * certificates shaped like the real card's, and whole card personalisations. RSA-2048,
 * sha256WithRSAEncryption throughout. The same DN for every generation, as the real roots.
 */
import { webcrypto, randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from './x509.ts';
import { MY_NUMBER_CARD_TOKEN_LABEL } from '../jpki/jpki-files.ts';
import { deriveCardKey } from '../../protocol/secure-messaging.ts';
import { buildKenmenFile, collationNumberB, myNumberCheckDigit } from '../virtual-card/card-face.ts';
import type { Sex } from '../virtual-card/card-face.ts';
import type { CardPersonalisation } from '../virtual-card/personalisation.ts';
import {
  certificatePolicyExtension,
  crlDistributionPointsExtension,
  signingSubjectAltNameExtension,
} from './jpki-extensions.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

export const JPKI_TEST_AUTH_CA_DN =
  'C=JP, O=JPKI-TEST, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems';
export const JPKI_TEST_SIGNING_CA_DN =
  'C=JP, O=JPKI-TEST, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems';
/** 利用者証明用 certificate policy (critical on the real card). */
export const JPKI_AUTH_POLICY_OID = '1.2.392.200149.8.5.1.3.30';
/** 署名用 certificate policy. */
export const JPKI_SIGNING_POLICY_OID = '1.2.392.200149.8.5.1.1.10';
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:8790/ocsp';
/** The directory name the auth certificates' CRL distribution point names (as on the real card). */
export const JPKI_TEST_AUTH_CRL_DN =
  'C=JP, O=JPKI-TEST, OU=JPKI for user authentication, OU=CRL Distribution Points, OU=Tokyo-to, CN=Japan Agency for Local Authority Information Systems CRL DP 0001';
const AUTH_POLICY_QUALIFIERS = {
  cpsUri: 'http://127.0.0.1:8790/jpki-test/cps/user-authentication.html',
  notice:
    'テスト用の公的個人認証局が発行した証明書です。Issued by a test JPKI CA for the kiosk test suite. It identifies no real person and is not valid for any real service.',
};
/** A certificate policy no JPKI certificate carries: for "wrong policy" test cards. */
export const WRONG_POLICY_OID = '1.2.392.200149.8.5.1.9.99';

export interface TestCaAuthority {
  name: string;
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface TestJpkiCa {
  /** e.g. 2015, 2019, 2023: the year the root generation starts. */
  generation: number;
  auth: TestCaAuthority;
  signing: TestCaAuthority;
  ocspUrl: string;
}

export interface CreateCaOptions {
  generation: number;
  notBefore: Date;
  notAfter: Date;
  ocspUrl?: string;
}

async function rsaKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** Serial number as positive hex, never starting with a high bit set. */
function hexSerial(serial: string | number | bigint): string {
  const n = BigInt(typeof serial === 'string' ? `0x${serial.replace(/^0x/i, '')}` : serial);
  if (n <= 0n) throw new RangeError('serial number must be positive');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return hex;
}

async function createAuthority(
  name: string,
  generation: number,
  notBefore: Date,
  notAfter: Date,
): Promise<TestCaAuthority> {
  const keys = await rsaKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: hexSerial(generation * 1000 + randomInt(1, 999)),
    name,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, certificate, privateKey: keys.privateKey, publicKey: keys.publicKey };
}

/** A test CA generation: an authentication root and a signing root, both RSA-2048. */
export async function createTestJpkiCa(opts: CreateCaOptions): Promise<TestJpkiCa> {
  const [auth, signing] = await Promise.all([
    createAuthority(JPKI_TEST_AUTH_CA_DN, opts.generation, opts.notBefore, opts.notAfter),
    createAuthority(JPKI_TEST_SIGNING_CA_DN, opts.generation, opts.notBefore, opts.notAfter),
  ]);
  return { generation: opts.generation, auth, signing, ocspUrl: opts.ocspUrl ?? DEFAULT_OCSP_URL };
}

export interface IssueOptions {
  /** SubjectPublicKeyInfo DER, or a CryptoKey. */
  publicKey: Uint8Array | CryptoKey;
  /** Hex string or number. */
  serialNumber: string | number | bigint;
  notBefore: Date;
  notAfter: Date;
}

export interface IssueAuthOptions extends IssueOptions {
  /** Opaque 23-character id; no personal data. */
  subjectCn: string;
  /** Defaults to the 利用者証明用 policy; another OID makes a "wrong policy" test certificate. */
  policyOid?: string;
}

const SUBJECT_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A random opaque 23-character subject id, like the real 利用者証明用 certificate's CN. */
export function opaqueSubjectId(): string {
  const bytes = randomBytes(23);
  return Array.from(bytes, (b) => SUBJECT_ID_ALPHABET[b % SUBJECT_ID_ALPHABET.length]).join('');
}

function publicKeyArg(k: Uint8Array | CryptoKey): x509.PublicKeyType {
  return k instanceof Uint8Array ? Uint8Array.from(k).buffer : k;
}

/** 利用者証明用 certificate: subject `C=JP, CN=<id>`, KU digitalSignature (critical), EKU clientAuth, policy (critical), AIA OCSP. */
export async function issueAuthCertificate(ca: TestJpkiCa, opts: IssueAuthOptions): Promise<Uint8Array> {
  if (!/^[A-Z0-9]{23}$/.test(opts.subjectCn)) throw new RangeError('subjectCn must be 23 of A–Z 0–9');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: hexSerial(opts.serialNumber),
    subject: `C=JP, CN=${opts.subjectCn}`,
    issuer: ca.auth.certificate.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: publicKeyArg(opts.publicKey),
    signingKey: ca.auth.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      certificatePolicyExtension(opts.policyOid ?? JPKI_AUTH_POLICY_OID, AUTH_POLICY_QUALIFIERS, true),
      new x509.AuthorityInfoAccessExtension({ ocsp: ca.ocspUrl }, false),
      crlDistributionPointsExtension(JPKI_TEST_AUTH_CRL_DN),
      await x509.AuthorityKeyIdentifierExtension.create(ca.auth.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(publicKeyArg(opts.publicKey)),
    ],
  });
  return new Uint8Array(cert.rawData);
}

/** What the 署名用 certificate says about its holder (SubjectAltName, UTF-8). */
export interface HolderIdentity {
  name: string;
  /** YYYYMMDD. */
  birthDate: string;
  sex: Sex;
  address: string;
}

export interface IssueSigningOptions extends IssueOptions {
  /** 都道府県 and 市区町村, as the real 署名用 subject's two L= attributes. */
  prefecture: string;
  city: string;
  subjectCn: string;
  holder: HolderIdentity;
}

/**
 * 署名用 certificate: subject `C=JP, L=<prefecture>, L=<city>, CN=<id>`, KU digitalSignature +
 * nonRepudiation (critical), policy, AIA OCSP, and a SubjectAltName of otherNames under
 * 1.2.392.200149.8.5.5.1–.6 (name, name substitution, birth date, sex, address, address
 * substitution), UTF-8.
 */
export async function issueSigningCertificate(
  ca: TestJpkiCa,
  opts: IssueSigningOptions,
): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: hexSerial(opts.serialNumber),
    subject: [{ C: ['JP'] }, { L: [opts.prefecture] }, { L: [opts.city] }, { CN: [opts.subjectCn] }],
    issuer: ca.signing.certificate.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: publicKeyArg(opts.publicKey),
    signingKey: ca.signing.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      new x509.CertificatePolicyExtension([JPKI_SIGNING_POLICY_OID], true),
      new x509.AuthorityInfoAccessExtension({ ocsp: ca.ocspUrl }, false),
      signingSubjectAltNameExtension(opts.holder),
      await x509.AuthorityKeyIdentifierExtension.create(ca.signing.publicKey),
    ],
  });
  return new Uint8Array(cert.rawData);
}

export interface PersonaliseOptions {
  holderId: string;
  authPin: string;
  signingPin: string;
  ca: TestJpkiCa;
  serialNumber: string | number | bigint;
  notBefore: Date;
  notAfter: Date;
  /** Defaults to a random opaque id. */
  subjectCn?: string;
  /** Defaults to `JPKIAPICCTOKEN2`; set another label to make an old or phone token. */
  tokenLabel?: string;
  prefecture?: string;
  city?: string;
  /** Holder data for the 署名用 SubjectAltName and the face APs; a test identity by default. */
  holder?: Partial<HolderIdentity> & { myNumber?: string; securityCode?: string };
  /** 利用者証明用 policy override ("wrong policy" cards). */
  authPolicyOid?: string;
  /** When given, the card gets its PIN-reset key derived from this centre master key and holderId. */
  pinResetMasterKey?: Uint8Array;
  /** The 券面AP face photo (a JP2 file); a grey placeholder without one. */
  facePhoto?: Uint8Array;
}

export const DEFAULT_TEST_HOLDER: HolderIdentity = {
  name: '試験 太郎',
  birthDate: '19850412',
  sex: '1',
  address: '東京都千代田区霞が関二丁目1番2号',
};

/** A random test My Number (11 random digits + the check digit). */
export function testMyNumber(): string {
  const first11 = Array.from({ length: 11 }, () => String(randomInt(0, 10))).join('');
  return `${first11}${myNumberCheckDigit(first11)}`;
}

async function pkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
}

/** A complete card: two fresh RSA-2048 key pairs and their certificates from `ca`. */
export async function personaliseCard(opts: PersonaliseOptions): Promise<CardPersonalisation> {
  const [authKeys, signingKeys] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const subjectCn = opts.subjectCn ?? opaqueSubjectId();
  const common = { serialNumber: opts.serialNumber, notBefore: opts.notBefore, notAfter: opts.notAfter };
  const holder: HolderIdentity = { ...DEFAULT_TEST_HOLDER, ...opts.holder };
  const [authCertificate, signingCertificate] = await Promise.all([
    issueAuthCertificate(opts.ca, {
      ...common,
      publicKey: authKeys.publicKey,
      subjectCn,
      ...(opts.authPolicyOid ? { policyOid: opts.authPolicyOid } : {}),
    }),
    issueSigningCertificate(opts.ca, {
      ...common,
      publicKey: signingKeys.publicKey,
      subjectCn: opaqueSubjectId(),
      prefecture: opts.prefecture ?? 'Tokyo-to',
      city: opts.city ?? 'Chiyoda-ku',
      holder,
    }),
  ]);
  const issuerSpki = new Uint8Array(await crypto.subtle.exportKey('spki', opts.ca.signing.publicKey));
  const kenmenFile = await buildKenmenFile({
    birthDate: holder.birthDate,
    sex: holder.sex,
    issuerPublicKey: issuerSpki,
    sign: async (data) =>
      new Uint8Array(await crypto.subtle.sign(RSA, opts.ca.signing.privateKey, Uint8Array.from(data))),
    ...(opts.facePhoto ? { facePhoto: opts.facePhoto } : {}),
  });
  return {
    holderId: opts.holderId,
    tokenLabel: opts.tokenLabel ?? MY_NUMBER_CARD_TOKEN_LABEL,
    authPin: opts.authPin,
    signingPin: opts.signingPin,
    authPrivateKeyPkcs8: await pkcs8(authKeys.privateKey),
    authCertificate,
    authCaCertificate: new Uint8Array(opts.ca.auth.certificate.rawData),
    signingPrivateKeyPkcs8: await pkcs8(signingKeys.privateKey),
    signingCertificate,
    signingCaCertificate: new Uint8Array(opts.ca.signing.certificate.rawData),
    ...(opts.pinResetMasterKey ? { pinResetKey: deriveCardKey(opts.pinResetMasterKey, opts.holderId) } : {}),
    face: {
      name: holder.name,
      address: holder.address,
      birthDate: holder.birthDate,
      sex: holder.sex,
      myNumber: opts.holder?.myNumber ?? testMyNumber(),
      assistPin: opts.authPin,
      collationB: collationNumberB(
        holder.birthDate,
        opts.notAfter.getUTCFullYear(),
        opts.holder?.securityCode ?? String(randomInt(0, 10000)).padStart(4, '0'),
      ),
      kenmenFile,
    },
  };
}

// ---- export / import, so the centre can trust (and a test OCSP responder can sign for) the CA ----

export function certificateDer(authority: TestCaAuthority): Uint8Array {
  return new Uint8Array(authority.certificate.rawData);
}

export function certificatePem(authority: TestCaAuthority): string {
  return authority.certificate.toString('pem') + '\n';
}

function pemBlock(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/**
 * Writes `auth-ca.pem`, `auth-ca.key.pem`, `signing-ca.pem`, `signing-ca.key.pem` and
 * `ca.json` (generation, OCSP URL) into `dir`. Keys are PKCS#8, owner-readable only.
 */
export async function saveTestJpkiCa(ca: TestJpkiCa, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [prefix, authority] of [
    ['auth', ca.auth],
    ['signing', ca.signing],
  ] as const) {
    await writeFile(join(dir, `${prefix}-ca.pem`), certificatePem(authority));
    await writeFile(
      join(dir, `${prefix}-ca.key.pem`),
      pemBlock('PRIVATE KEY', await pkcs8(authority.privateKey)),
      {
        mode: 0o600,
      },
    );
  }
  await writeFile(
    join(dir, 'ca.json'),
    JSON.stringify({ generation: ca.generation, ocspUrl: ca.ocspUrl }, null, 2) + '\n',
  );
}

async function loadAuthority(dir: string, prefix: string): Promise<TestCaAuthority> {
  const certificate = new x509.X509Certificate(await readFile(join(dir, `${prefix}-ca.pem`), 'utf8'));
  const keyPem = await readFile(join(dir, `${prefix}-ca.key.pem`), 'utf8');
  const keyDer = x509.PemConverter.decodeFirst(keyPem);
  const privateKey = await crypto.subtle.importKey('pkcs8', keyDer, RSA, true, ['sign']);
  const publicKey = await certificate.publicKey.export(RSA, ['verify'], crypto);
  return { name: certificate.subject, certificate, privateKey, publicKey };
}

export async function loadTestJpkiCa(dir: string): Promise<TestJpkiCa> {
  const meta = JSON.parse(await readFile(join(dir, 'ca.json'), 'utf8')) as {
    generation: number;
    ocspUrl: string;
  };
  return {
    generation: meta.generation,
    ocspUrl: meta.ocspUrl,
    auth: await loadAuthority(dir, 'auth'),
    signing: await loadAuthority(dir, 'signing'),
  };
}
