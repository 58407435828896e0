/**
 * One negative test per check of verifyAuthentication (Web eID's validator breadth), each
 * asserting the exact CentreErrorCode and the detail tag, with the clock mocked. Tables read
 * "flaw → expected refusal"; every table has a positive control so a broken fixture cannot
 * pass as a refusal.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as x509 from '../../native/test-pki/x509.ts';
import {
  createTestJpkiCa,
  JPKI_AUTH_POLICY_OID,
  JPKI_SIGNING_POLICY_OID,
  JPKI_TEST_AUTH_CA_DN,
  WRONG_POLICY_OID,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa, unknownTestCa } from '../../native/test-pki/fixtures.ts';
import { CrlReason } from '../../native/test-pki/crl.ts';
import {
  createOcspResponderIdentity,
  TestOcspResponder,
  type OcspFault,
} from '../../native/test-pki/ocsp-responder.ts';
import type { AuthenticateRequest } from '../../protocol/api.ts';
import type { CentreErrorCode } from '../../protocol/errors.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { CHALLENGE_LIFETIME_MS, issueChallenge } from './challenges.ts';
import { RevocationChecker } from './revocation.ts';
import { TrustStore, sha256Hex } from './trustStore.ts';
import { verifyAuthentication, type AuthVerifierDeps } from './verifyAuthentication.ts';
import {
  SIGNATURE_FLAWS,
  caSigner,
  cardSignature,
  craftCertificate,
  ecdsaTestAuthority,
  flawedCardSignature,
  rsaSpkiOfBits,
  signerFromKeyObject,
  withMismatchedOuterAlgorithm,
  type CraftedCertificateSpec,
  type SignatureFlaw,
} from './testCertificates.ts';

const NOON = new Date('2026-11-25T03:00:00Z'); // Wednesday 12:00 JST
const TERMINAL = 'S0001-T01';
const OTHER_TERMINAL = 'S0002-T01';
const VALID = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2029-01-01T00:00:00Z') };
const ANY_POLICY = '2.5.29.32.0';
const ANY_EKU = '2.5.29.37.0';

type Outcome = { code: 'ok' } | { code: CentreErrorCode; detail?: string };

interface CardKey {
  privateKey: KeyObject;
  spki: Uint8Array;
}
function rsaKey(bits = 2048): CardKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}
async function rsaKeyAsync(bits: number): Promise<CardKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: bits });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

let ca2023: TestJpkiCa; // trusted, current
let ca2019: TestJpkiCa; // trusted, current, same DN
let ca2015: TestJpkiCa; // trusted, expired generation
let ca2027: TestJpkiCa; // trusted, not yet valid generation
let rogue: TestJpkiCa; // same DN as the trusted ones, never trusted
let ecCa: Awaited<ReturnType<typeof ecdsaTestAuthority>>; // trusted, P-256, JPKI DN
let card: CardKey;
let otherCard: CardKey;
let bigCard: CardKey; // RSA-4096: the largest accepted
let repo: CentreRepository;
let trustStore: TrustStore;
let clock: Date;
let holders: { resident: string; movedOut: string; deceased: string };
let nextSerial = 0x5000;

const caDer = (ca: TestJpkiCa): Uint8Array => new Uint8Array(ca.auth.certificate.rawData);

beforeAll(async () => {
  [ca2023, ca2019, ca2015, ca2027, rogue, ecCa, bigCard] = await Promise.all([
    sharedTestCa(),
    createTestJpkiCa({
      generation: 2019,
      notBefore: new Date('2019-01-01Z'),
      notAfter: new Date('2039-01-01Z'),
    }),
    createTestJpkiCa({
      generation: 2015,
      notBefore: new Date('2015-01-01Z'),
      notAfter: new Date('2025-01-01Z'),
    }),
    createTestJpkiCa({
      generation: 2027,
      notBefore: new Date('2027-01-01Z'),
      notAfter: new Date('2047-01-01Z'),
    }),
    unknownTestCa(),
    ecdsaTestAuthority(JPKI_TEST_AUTH_CA_DN, {
      notBefore: new Date('2023-01-01Z'),
      notAfter: new Date('2043-01-01Z'),
    }),
    rsaKeyAsync(4096),
  ]);
  card = rsaKey();
  otherCard = rsaKey();
  trustStore = new TrustStore([
    caDer(ca2023),
    caDer(ca2019),
    caDer(ca2015),
    caDer(ca2027),
    ecCa.certificateDer,
  ]);

  // A small register: one current resident, one moved out, one deceased (picked by status, not by id).
  const world = loadSeedWorld();
  const pick = (status: string) => {
    const r = world.residents.find((x) => x.status === status);
    if (!r) throw new Error(`the seed world has no ${status} resident`);
    return r;
  };
  const picked = [pick('resident'), pick('moved-out'), pick('deceased')];
  holders = { resident: picked[0]!.holderId, movedOut: picked[1]!.holderId, deceased: picked[2]!.holderId };
  const householdIds = new Set(picked.map((r) => r.householdId));
  repo = openSqliteRepository(':memory:');
  await loadRegister(repo, {
    ...world,
    residents: picked,
    households: world.households.filter((h) => householdIds.has(h.householdId)),
  });
}, 60_000);
afterAll(async () => repo.close());
beforeEach(() => {
  clock = NOON;
});

function deps(extra: Partial<AuthVerifierDeps> = {}): AuthVerifierDeps {
  return { repository: repo, trustStore, now: () => clock, ...extra };
}

/** A fresh serial, hex with an even number of digits. */
function serial(): string {
  nextSerial += 1;
  return nextSerial.toString(16).padStart(4, '0');
}

/** A certificate under ca2023 (unless `spec` says otherwise), registered to the current resident. */
async function certificate(
  spec: Partial<CraftedCertificateSpec> = {},
  register: { ca?: Uint8Array; holderId?: string } = {},
): Promise<Uint8Array> {
  const serialNumber = spec.serialNumber ?? serial();
  const der = await craftCertificate({
    signer: caSigner(ca2023.auth),
    publicKeySpki: card.spki,
    ...VALID,
    ...spec,
    serialNumber,
  });
  await repo.registerCertificate({
    caFingerprint: sha256Hex(register.ca ?? caDer(ca2023)),
    serialNumberHex: serialNumber.replace(/^0+/, ''),
    holderId: register.holderId ?? holders.resident,
  });
  return der;
}

/** Asks for a challenge at the current clock and answers it as the card would. */
async function request(
  certificateDer: Uint8Array,
  opts: { key?: KeyObject; terminalId?: string; transactionId?: string } = {},
): Promise<AuthenticateRequest> {
  const transactionId = opts.transactionId ?? randomUUID();
  const terminalId = opts.terminalId ?? TERMINAL;
  const { challenge } = await issueChallenge(repo, { transactionId, terminalId }, clock);
  return {
    transactionId,
    terminalId,
    challenge,
    certificate: Buffer.from(certificateDer).toString('base64'),
    signature: cardSignature(opts.key ?? card.privateKey, terminalId, challenge),
    signatureAlgorithm: 'RS256',
  };
}

async function outcome(r: AuthenticateRequest, extra: Partial<AuthVerifierDeps> = {}): Promise<Outcome> {
  const result = await verifyAuthentication(deps(extra), r);
  if (result.ok) return { code: 'ok' };
  return result.error.detail === undefined
    ? { code: result.error.kind }
    : { code: result.error.kind, detail: result.error.detail };
}

const OK: Outcome = { code: 'ok' };
const wrongUsage = (detail: string): Outcome => ({ code: 'certificate-wrong-usage', detail });
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('certificate content (KU, EKU, policy, key, algorithm, CA flag, critical extensions)', () => {
  const { digitalSignature, keyCertSign, cRLSign, keyEncipherment, nonRepudiation } = x509.KeyUsageFlags;
  const { clientAuth, serverAuth, emailProtection } = x509.ExtendedKeyUsage;
  const unknownCritical = new x509.Extension('1.2.392.99999.1', true, new Uint8Array([0x05, 0x00]));
  const unknownNonCritical = new x509.Extension('1.2.392.99999.1', false, new Uint8Array([0x05, 0x00]));

  it.each<[string, () => Partial<CraftedCertificateSpec>, Outcome]>([
    ['control: as the card is issued', () => ({}), OK],
    ['control: an unknown NON-critical extension', () => ({ extraExtensions: [unknownNonCritical] }), OK],
    [
      'control: KU digitalSignature + nonRepudiation',
      () => ({ keyUsage: digitalSignature | nonRepudiation }),
      OK,
    ],
    ['control: EKU clientAuth + serverAuth', () => ({ extendedKeyUsage: [clientAuth, serverAuth] }), OK],
    [
      'basicConstraints cA=true on the leaf',
      () => ({ basicConstraintsCa: true }),
      wrongUsage('a CA certificate'),
    ],
    [
      'KU allows keyCertSign',
      () => ({ keyUsage: digitalSignature | keyCertSign }),
      wrongUsage('key usage allows certificate or CRL signing'),
    ],
    [
      'KU allows cRLSign',
      () => ({ keyUsage: digitalSignature | cRLSign }),
      wrongUsage('key usage allows certificate or CRL signing'),
    ],
    ['KU missing', () => ({ keyUsage: null }), wrongUsage('no digitalSignature key usage')],
    [
      'KU without digitalSignature',
      () => ({ keyUsage: keyEncipherment }),
      wrongUsage('no digitalSignature key usage'),
    ],
    ['EKU missing', () => ({ extendedKeyUsage: null }), wrongUsage('no clientAuth extended key usage')],
    [
      'EKU emailProtection only',
      () => ({ extendedKeyUsage: [emailProtection] }),
      wrongUsage('no clientAuth extended key usage'),
    ],
    [
      'EKU serverAuth only',
      () => ({ extendedKeyUsage: [serverAuth] }),
      wrongUsage('no clientAuth extended key usage'),
    ],
    [
      'EKU anyExtendedKeyUsage only',
      () => ({ extendedKeyUsage: [ANY_EKU] }),
      wrongUsage('no clientAuth extended key usage'),
    ],
    [
      'a second key usage extension allowing keyCertSign',
      () => ({ extraExtensions: [new x509.KeyUsagesExtension(keyCertSign, true)] }),
      wrongUsage('a duplicated extension'),
    ],
    [
      'a second policies extension with the 署名用 policy',
      () => ({ extraExtensions: [new x509.CertificatePolicyExtension([JPKI_SIGNING_POLICY_OID], true)] }),
      wrongUsage('a duplicated extension'),
    ],
    [
      'a second EKU extension',
      () => ({ extraExtensions: [new x509.ExtendedKeyUsageExtension([emailProtection], false)] }),
      wrongUsage('a duplicated extension'),
    ],
    [
      'an unknown critical extension',
      () => ({ extraExtensions: [unknownCritical] }),
      wrongUsage('an unknown critical extension'),
    ],
    ['no certificate policies', () => ({ policies: null }), wrongUsage('not the 利用者証明用 policy')],
    [
      'the 署名用 (signing) policy',
      () => ({ policies: [JPKI_SIGNING_POLICY_OID] }),
      wrongUsage('not the 利用者証明用 policy'),
    ],
    ['anyPolicy', () => ({ policies: [ANY_POLICY] }), wrongUsage('not the 利用者証明用 policy')],
    [
      'a policy no JPKI certificate carries',
      () => ({ policies: [WRONG_POLICY_OID] }),
      wrongUsage('not the 利用者証明用 policy'),
    ],
    [
      '利用者証明用 together with the 署名用 policy',
      () => ({ policies: [JPKI_AUTH_POLICY_OID, JPKI_SIGNING_POLICY_OID] }),
      wrongUsage('a disallowed policy'),
    ],
    [
      '利用者証明用 together with anyPolicy',
      () => ({ policies: [JPKI_AUTH_POLICY_OID, ANY_POLICY] }),
      wrongUsage('a disallowed policy'),
    ],
    [
      'RSA key of 4097 bits',
      () => ({ publicKeySpki: rsaSpkiOfBits(4097) }),
      wrongUsage('RSA key larger than 4096 bits'),
    ],
    [
      'RSA key of 8192 bits',
      () => ({ publicKeySpki: rsaSpkiOfBits(8192) }),
      wrongUsage('RSA key larger than 4096 bits'),
    ],
    [
      'RSA key of 2047 bits',
      () => ({ publicKeySpki: rsaSpkiOfBits(2047) }),
      wrongUsage('key is not RSA-2048 or larger'),
    ],
    [
      'RSA key of 1024 bits',
      () => ({ publicKeySpki: rsaSpkiOfBits(1024) }),
      wrongUsage('key is not RSA-2048 or larger'),
    ],
    [
      'a P-256 (non-RSA) key',
      () => ({ publicKeySpki: ecSpki() }),
      wrongUsage('key is not RSA-2048 or larger'),
    ],
    [
      'sha1WithRSAEncryption',
      () => ({ signatureAlgorithm: 'sha1WithRSAEncryption' }),
      wrongUsage('signature algorithm is not sha256WithRSAEncryption'),
    ],
    [
      'sha384WithRSAEncryption',
      () => ({ signatureAlgorithm: 'sha384WithRSAEncryption' }),
      wrongUsage('signature algorithm is not sha256WithRSAEncryption'),
    ],
    [
      'sha512WithRSAEncryption',
      () => ({ signatureAlgorithm: 'sha512WithRSAEncryption' }),
      wrongUsage('signature algorithm is not sha256WithRSAEncryption'),
    ],
    [
      'RSASSA-PSS with SHA-256',
      () => ({ signatureAlgorithm: 'RSASSA-PSS-SHA256' }),
      wrongUsage('signature algorithm is not sha256WithRSAEncryption'),
    ],
    [
      'ecdsa-with-SHA256 (by a trusted P-256 CA with the JPKI DN)',
      () => ({ signer: ecCa, signatureAlgorithm: 'ecdsa-with-SHA256' }),
      wrongUsage('signature algorithm is not sha256WithRSAEncryption'),
    ],
  ])('%s', async (_name, spec, expected) => {
    expect(await outcome(await request(await certificate(spec())))).toEqual(expected);
  });

  it('control: an RSA-4096 card key is accepted', async () => {
    const der = await certificate({ publicKeySpki: bigCard.spki });
    expect(await outcome(await request(der, { key: bigCard.privateKey }))).toEqual(OK);
  });

  it('refuses the CA certificate itself presented as the auth certificate', async () => {
    expect(await outcome(await request(caDer(ca2023)))).toEqual(wrongUsage('a CA certificate'));
  });
});

function ecSpki(): Uint8Array {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
}

describe('validity (mocked clock, boundaries to the millisecond)', () => {
  const notBefore = new Date('2025-04-01T00:00:00Z');
  const notAfter = new Date('2027-04-01T00:00:00Z');
  it.each<[string, Date, Outcome]>([
    ['exactly notBefore', notBefore, OK],
    ['1 ms before notBefore', new Date(notBefore.getTime() - 1), { code: 'certificate-not-yet-valid' }],
    ['1 ms after notBefore', new Date(notBefore.getTime() + 1), OK],
    ['exactly notAfter', notAfter, OK],
    ['1 ms before notAfter', new Date(notAfter.getTime() - 1), OK],
    ['1 ms after notAfter', new Date(notAfter.getTime() + 1), { code: 'certificate-expired' }],
  ])('at %s', async (_name, at, expected) => {
    const der = await certificate({ notBefore, notAfter });
    clock = at;
    expect(await outcome(await request(der))).toEqual(expected);
  });
});

describe('chain: the issuer is a trusted CA generation, valid now, chosen by signature', () => {
  const untrusted: Outcome = { code: 'certificate-untrusted', detail: 'no trusted CA signed it' };
  it.each<[string, () => Promise<{ spec: Partial<CraftedCertificateSpec>; ca?: TestJpkiCa }>, Outcome]>([
    [
      'control: the 2019 generation (same DN, other key)',
      async () => ({ spec: { signer: caSigner(ca2019.auth) }, ca: ca2019 }),
      OK,
    ],
    [
      'a CA with the same DN but another key',
      async () => ({ spec: { signer: caSigner(rogue.auth) }, ca: rogue }),
      untrusted,
    ],
    [
      'an expired CA generation',
      async () => ({ spec: { signer: caSigner(ca2015.auth) }, ca: ca2015 }),
      untrusted,
    ],
    [
      'a not-yet-valid CA generation',
      async () => ({ spec: { signer: caSigner(ca2027.auth) }, ca: ca2027 }),
      untrusted,
    ],
    [
      'a self-signed leaf',
      async () => ({
        spec: {
          signer: await signerFromKeyObject('C=JP, CN=SELFSIGNED0000000000TEST', card.privateKey),
          subject: 'C=JP, CN=SELFSIGNED0000000000TEST',
        },
      }),
      untrusted,
    ],
    [
      'a self-signed leaf that names the JPKI CA as issuer and subject',
      async () => ({
        spec: {
          signer: await signerFromKeyObject(JPKI_TEST_AUTH_CA_DN, card.privateKey),
          subject: JPKI_TEST_AUTH_CA_DN,
        },
      }),
      untrusted,
    ],
    [
      'the trusted key, but the 署名用 CA named as issuer',
      async () => ({
        spec: {
          signer: { name: ca2023.signing.certificate.subjectName, privateKey: ca2023.auth.privateKey },
        },
      }),
      untrusted,
    ],
    [
      "the same generation's 署名用 CA (not trusted for authentication)",
      async () => ({ spec: { signer: caSigner(ca2023.signing) } }),
      untrusted,
    ],
  ])('%s', async (_name, build, expected) => {
    const { spec, ca } = await build();
    const der = await certificate(spec, ca ? { ca: caDer(ca) } : {});
    expect(await outcome(await request(der))).toEqual(expected);
  });

  it.each<[string, () => TestJpkiCa, Date, Outcome]>([
    [
      "control: exactly at the expired generation's notAfter",
      () => ca2015,
      new Date('2025-01-01T00:00:00Z'),
      OK,
    ],
    [
      "1 ms after the expired generation's notAfter",
      () => ca2015,
      new Date('2025-01-01T00:00:00.001Z'),
      untrusted,
    ],
    [
      "control: exactly at the future generation's notBefore",
      () => ca2027,
      new Date('2027-01-01T00:00:00Z'),
      OK,
    ],
    [
      "1 ms before the future generation's notBefore",
      () => ca2027,
      new Date('2026-12-31T23:59:59.999Z'),
      untrusted,
    ],
  ])('CA generation validity: %s', async (_name, generation, at, expected) => {
    const ca = generation();
    const der = await certificate({ signer: caSigner(ca.auth) }, { ca: caDer(ca) });
    clock = at;
    expect(await outcome(await request(der))).toEqual(expected);
  });

  it('a trust store takes only CA certificates', async () => {
    expect(() => new TrustStore([caDer(ca2023)])).not.toThrow();
    const leaf = await certificate();
    expect(() => new TrustStore([leaf])).toThrow(TypeError);
  });

  it('refuses a TBS made for sha1WithRSA re-signed with sha256WithRSA (algorithm fields differ)', async () => {
    const sha1 = await certificate({ signatureAlgorithm: 'sha1WithRSAEncryption' });
    const forged = await withMismatchedOuterAlgorithm(sha1, caSigner(ca2023.auth));
    expect(await outcome(await request(forged))).toEqual(untrusted);
    // control: the same re-signing of a TBS that does say sha256WithRSA is accepted
    const sha256 = await certificate();
    expect(
      await outcome(await request(await withMismatchedOuterAlgorithm(sha256, caSigner(ca2023.auth)))),
    ).toEqual(OK);
  });
});

describe('request encoding and size bounds', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await certificate();
  });
  const badRequest = (detail: string): Outcome => ({ code: 'bad-request', detail });
  const malformed = (detail: string): Outcome => ({ code: 'certificate-malformed', detail });
  const notBase64 = badRequest('certificate or signature is not base64');
  const badChallenge = badRequest('challenge is not 32 bytes of base64');
  const certSize = malformed('certificate size out of bounds');
  const undecodable = malformed('does not decode as X.509');
  const notOneDer = malformed('not exactly one DER certificate');

  it.each<[string, (r: AuthenticateRequest) => AuthenticateRequest, Outcome]>([
    ['control: untouched', (r) => r, OK],
    [
      'signature algorithm RS384',
      (r) => ({ ...r, signatureAlgorithm: 'RS384' as 'RS256' }),
      badRequest('signature algorithm not on the allow-list'),
    ],
    [
      'signature algorithm PS256',
      (r) => ({ ...r, signatureAlgorithm: 'PS256' as 'RS256' }),
      badRequest('signature algorithm not on the allow-list'),
    ],
    [
      'signature algorithm ES256',
      (r) => ({ ...r, signatureAlgorithm: 'ES256' as 'RS256' }),
      badRequest('signature algorithm not on the allow-list'),
    ],
    [
      'signature algorithm rs256 (case)',
      (r) => ({ ...r, signatureAlgorithm: 'rs256' as 'RS256' }),
      badRequest('signature algorithm not on the allow-list'),
    ],
    [
      'certificate of 6145 bytes (over the limit)',
      (r) => ({ ...r, certificate: b64(randomBytes(6145)) }),
      certSize,
    ],
    [
      'certificate of 6144 bytes of junk (at the limit)',
      (r) => ({ ...r, certificate: b64(randomBytes(6144)) }),
      undecodable,
    ],
    [
      'certificate of 255 bytes (under the limit)',
      (r) => ({ ...r, certificate: b64(randomBytes(255)) }),
      certSize,
    ],
    [
      'certificate of 256 bytes of junk (at the limit)',
      (r) => ({ ...r, certificate: b64(randomBytes(256)) }),
      undecodable,
    ],
    ['certificate empty', (r) => ({ ...r, certificate: '' }), certSize],
    [
      'certificate not base64',
      (r) => ({ ...r, certificate: `${r.certificate.slice(0, -8)}!!!!!!!!` }),
      notBase64,
    ],
    [
      'certificate base64url',
      (r) => ({ ...r, certificate: Buffer.from(good).toString('base64url') }),
      notBase64,
    ],
    [
      'certificate with line breaks',
      (r) => ({ ...r, certificate: r.certificate.replace(/(.{64})/g, '$1\n') }),
      notBase64,
    ],
    [
      'certificate without padding',
      (r) => ({ ...r, certificate: b64(good.length % 3 ? good : good.subarray(0, -1)).replace(/=+$/, '') }),
      notBase64,
    ],
    [
      'certificate as PEM text',
      (r) => ({
        ...r,
        certificate: b64(Buffer.from(new x509.X509Certificate(Uint8Array.from(good)).toString('pem'))),
      }),
      notOneDer,
    ],
    [
      'certificate in BER (long-form outer length)',
      (r) => ({ ...r, certificate: b64(longFormOuterLength(good)) }),
      notOneDer,
    ],
    [
      'certificate DER truncated by one byte',
      (r) => ({ ...r, certificate: b64(good.subarray(0, -1)) }),
      undecodable,
    ],
    [
      'certificate DER truncated to half',
      (r) => ({ ...r, certificate: b64(good.subarray(0, good.length >> 1)) }),
      undecodable,
    ],
    [
      'certificate DER + trailing garbage',
      (r) => ({ ...r, certificate: b64(Buffer.concat([good, Buffer.from([0xde, 0xad])])) }),
      notOneDer,
    ],
    [
      'certificate DER + a trailing empty SEQUENCE',
      (r) => ({ ...r, certificate: b64(Buffer.concat([good, Buffer.from([0x30, 0x00])])) }),
      notOneDer,
    ],
    [
      'signature of 513 bytes (over the limit)',
      (r) => ({ ...r, signature: b64(randomBytes(513)) }),
      { code: 'signature-invalid', detail: 'signature size out of bounds' },
    ],
    [
      'signature of 515 bytes (over the limit, caught before decoding)',
      (r) => ({ ...r, signature: b64(randomBytes(515)) }),
      { code: 'signature-invalid', detail: 'signature size out of bounds' },
    ],
    [
      "signature of 512 bytes (at the limit, but not the 2048-bit key's length)",
      (r) => ({ ...r, signature: b64(randomBytes(512)) }),
      { code: 'signature-invalid' },
    ],
    ['signature not base64', (r) => ({ ...r, signature: `*${r.signature.slice(1)}` }), notBase64],
    ['signature empty', (r) => ({ ...r, signature: '' }), notBase64],
    ['challenge not base64', (r) => ({ ...r, challenge: `%${r.challenge.slice(1)}` }), badChallenge],
    [
      'challenge of 31 bytes',
      (r) => ({ ...r, challenge: b64(Buffer.from(r.challenge, 'base64').subarray(1)) }),
      badChallenge,
    ],
    [
      'challenge of 33 bytes',
      (r) => ({ ...r, challenge: b64(Buffer.concat([Buffer.from(r.challenge, 'base64'), Buffer.alloc(1)])) }),
      badChallenge,
    ],
    [
      'challenge of 64 bytes',
      (r) => ({
        ...r,
        challenge: b64(
          Buffer.concat([Buffer.from(r.challenge, 'base64'), Buffer.from(r.challenge, 'base64')]),
        ),
      }),
      badChallenge,
    ],
    ['challenge empty', (r) => ({ ...r, challenge: '' }), badChallenge],
    [
      'challenge in non-canonical base64 (same bytes)',
      (r) => ({ ...r, challenge: nonCanonical(r.challenge) }),
      badChallenge,
    ],
  ])('%s', async (_name, mutate, expected) => {
    expect(await outcome(mutate(await request(good)))).toEqual(expected);
  });
});

/** The same certificate with its outer SEQUENCE length in a needlessly long form (BER, not DER). */
function longFormOuterLength(der: Uint8Array): Uint8Array {
  if (der[0] !== 0x30 || der[1] !== 0x82) throw new Error('expected a two-byte long-form length');
  return Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)]);
}

/** The same bytes in base64 whose unused low bits of the last character are not zero. */
function nonCanonical(canonical: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const at = canonical.replace(/=+$/, '').length - 1;
  const value = alphabet.indexOf(canonical[at]!);
  return canonical.slice(0, at) + alphabet[value ^ 1] + canonical.slice(at + 1);
}

describe('challenge: issued here, 5 minutes, single use, bound to terminal + transaction', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await certificate();
  });
  const after = (ms: number): Date => new Date(NOON.getTime() + ms);

  it.each<[string, () => Promise<AuthenticateRequest>, Outcome]>([
    [
      'control: answered 1 ms before the 5 minutes are up',
      async () => {
        const r = await request(good);
        clock = after(CHALLENGE_LIFETIME_MS - 1);
        return r;
      },
      OK,
    ],
    [
      'unknown (never issued)',
      async () => {
        const r = await request(good);
        const challenge = b64(randomBytes(32));
        return { ...r, challenge, signature: cardSignature(card.privateKey, TERMINAL, challenge) };
      },
      { code: 'challenge-unknown', detail: 'unknown' },
    ],
    [
      'expired at exactly 5 minutes',
      async () => {
        const r = await request(good);
        clock = after(CHALLENGE_LIFETIME_MS);
        return r;
      },
      { code: 'challenge-expired' },
    ],
    [
      'expired an hour later',
      async () => {
        const r = await request(good);
        clock = after(3_600_000);
        return r;
      },
      { code: 'challenge-expired' },
    ],
    [
      'reused after a successful authentication',
      async () => {
        const r = await request(good);
        expect(await outcome(r)).toEqual(OK);
        return r;
      },
      { code: 'challenge-used' },
    ],
    [
      'reused after a refused attempt (a failure spends it too)',
      async () => {
        const r = await request(good);
        expect((await outcome({ ...r, signature: b64(Buffer.alloc(256)) })).code).toBe('signature-invalid');
        return r;
      },
      { code: 'challenge-used' },
    ],
    [
      'issued to another terminal',
      async () => {
        const r = await request(good, { terminalId: OTHER_TERMINAL });
        return {
          ...r,
          terminalId: TERMINAL,
          signature: cardSignature(card.privateKey, TERMINAL, r.challenge),
        };
      },
      { code: 'challenge-unknown', detail: 'wrong-binding' },
    ],
    [
      'issued for another transaction',
      async () => {
        const r = await request(good);
        return { ...r, transactionId: randomUUID() };
      },
      { code: 'challenge-unknown', detail: 'wrong-binding' },
    ],
  ])('%s', async (_name, build, expected) => {
    expect(await outcome(await build())).toEqual(expected);
  });

  it('an expired challenge stays refused as expired, and the next fresh one works', async () => {
    const transactionId = randomUUID();
    const stale = await request(good, { transactionId });
    clock = after(CHALLENGE_LIFETIME_MS);
    expect(await outcome(stale)).toEqual({ code: 'challenge-expired' });
    expect(await outcome(await request(good, { transactionId }))).toEqual(OK);
  });
});

describe('signature: RS256 over SHA-256(terminalId) ‖ SHA-256(challenge) by the certified key', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await certificate();
  });
  const invalid: Outcome = { code: 'signature-invalid' };

  it('control: the card signature is accepted', async () => {
    expect(await outcome(await request(good))).toEqual(OK);
  });

  it.each<SignatureFlaw>(SIGNATURE_FLAWS)('refuses a signature made wrongly: %s', async (flaw) => {
    const r = await request(good);
    expect(
      await outcome({ ...r, signature: flawedCardSignature(card.privateKey, TERMINAL, r.challenge, flaw) }),
    ).toEqual(invalid);
  });

  it('refuses a correct signature whose leading zero byte is left out (shorter than the modulus)', async () => {
    // The same integer in fewer bytes: RS256 signatures are exactly as long as the modulus.
    for (let attempt = 0; attempt < 4096; attempt += 1) {
      const r = await request(good);
      const signature = Buffer.from(r.signature, 'base64');
      if (signature[0] !== 0) continue;
      expect(await outcome({ ...r, signature: b64(signature.subarray(1)) })).toEqual(invalid);
      return;
    }
    throw new Error('no signature with a leading zero byte in 4096 attempts');
  });

  it.each<[string, (r: AuthenticateRequest) => string]>([
    ["another card's key", (r) => cardSignature(otherCard.privateKey, TERMINAL, r.challenge)],
    ['made for another terminal', (r) => cardSignature(card.privateKey, OTHER_TERMINAL, r.challenge)],
    ['over another challenge', () => cardSignature(card.privateKey, TERMINAL, b64(randomBytes(32)))],
  ])('refuses a signature %s', async (_name, signWith) => {
    const r = await request(good);
    expect(await outcome({ ...r, signature: signWith(r) })).toEqual(invalid);
  });
});

describe("register mapping: (CA generation, serial) → resident, and the register's revocations", () => {
  /** A good certificate with a serial registered (or not) as `setup` says. */
  async function card2023(setup: (serialHex: string) => Promise<void>): Promise<Uint8Array> {
    const serialNumber = serial();
    const der = await craftCertificate({
      signer: caSigner(ca2023.auth),
      publicKeySpki: card.spki,
      ...VALID,
      serialNumber,
    });
    await setup(serialNumber.replace(/^0+/, ''));
    return der;
  }
  const at2023 = (): string => sha256Hex(caDer(ca2023));
  const at2019 = (): string => sha256Hex(caDer(ca2019));
  const register = (ca: () => string, holder: () => string) => async (s: string) =>
    repo.registerCertificate({ caFingerprint: ca(), serialNumberHex: s, holderId: holder() });
  const revoke = (ca: () => string) => async (s: string) => repo.revokeCertificate(ca(), s, NOON.getTime());
  const both =
    (...steps: Array<(s: string) => Promise<void>>) =>
    async (s: string) => {
      for (const step of steps) await step(s);
    };

  it.each<[string, (s: string) => Promise<void>, Outcome]>([
    ['control: registered to a current resident', register(at2023, () => holders.resident), OK],
    [
      'control: revoked only under another CA generation',
      both(
        register(at2023, () => holders.resident),
        revoke(at2019),
      ),
      OK,
    ],
    [
      'an unknown serial',
      async () => {},
      { code: 'resident-unknown', detail: 'certificate not in the registry' },
    ],
    [
      'a known serial, but under another CA generation',
      register(at2019, () => holders.resident),
      { code: 'resident-unknown', detail: 'certificate not in the registry' },
    ],
    [
      'revoked in the register (current resident)',
      both(
        register(at2023, () => holders.resident),
        revoke(at2023),
      ),
      { code: 'certificate-revoked', detail: 'revoked (register)' },
    ],
    [
      'revoked in the register, not registered to anyone',
      revoke(at2023),
      { code: 'certificate-revoked', detail: 'revoked (register)' },
    ],
    [
      'revoked in the register, holder moved out',
      both(
        register(at2023, () => holders.movedOut),
        revoke(at2023),
      ),
      { code: 'resident-moved-out', detail: 'revoked (register)' },
    ],
    [
      'revoked in the register, holder deceased',
      both(
        register(at2023, () => holders.deceased),
        revoke(at2023),
      ),
      { code: 'resident-deceased', detail: 'revoked (register)' },
    ],
  ])('%s', async (_name, setup, expected) => {
    expect(await outcome(await request(await card2023(setup)))).toEqual(expected);
  });
});

describe('revocation by OCSP, as the verifier maps it (in-process responder, same mocked clock)', () => {
  let responder: TestOcspResponder;
  let revocation: RevocationChecker;
  beforeAll(async () => {
    responder = new TestOcspResponder({
      issuers: [{ authority: ca2023.auth, responder: await createOcspResponderIdentity(ca2023.auth) }],
      now: () => clock,
    });
    revocation = new RevocationChecker({
      ocspUrl: 'http://ocsp.invalid/ocsp',
      nonce: 'required',
      maxThisUpdateAgeMs: 2 * 60_000,
      crlFallback: 'none',
      transport: async (_url, body) => ({ status: 200, body: await responder.answer(body) }),
    });
  });
  beforeEach(() => {
    responder.fault = 'none';
  });

  type Setup = { holder?: () => string; ocsp?: (serialHex: string) => void; fault?: OcspFault };
  it.each<[string, Setup, Outcome]>([
    ['control: good', { holder: () => holders.resident }, OK],
    [
      'revoked (keyCompromise), current resident',
      {
        holder: () => holders.resident,
        ocsp: (s) => responder.revoke(ca2023.auth, s, CrlReason.keyCompromise),
      },
      { code: 'certificate-revoked', detail: 'revoked (ocsp)' },
    ],
    [
      'revoked (affiliationChanged), current resident: the register wins',
      {
        holder: () => holders.resident,
        ocsp: (s) => responder.revoke(ca2023.auth, s, CrlReason.affiliationChanged),
      },
      { code: 'certificate-revoked', detail: 'revoked (ocsp)' },
    ],
    [
      'revoked (no reason), holder moved out',
      { holder: () => holders.movedOut, ocsp: (s) => responder.revoke(ca2023.auth, s) },
      { code: 'resident-moved-out', detail: 'revoked (ocsp)' },
    ],
    [
      'revoked (no reason), holder deceased',
      { holder: () => holders.deceased, ocsp: (s) => responder.revoke(ca2023.auth, s) },
      { code: 'resident-deceased', detail: 'revoked (ocsp)' },
    ],
    [
      'revoked (affiliationChanged), holder not in the register',
      { ocsp: (s) => responder.revoke(ca2023.auth, s, CrlReason.affiliationChanged) },
      { code: 'resident-moved-out', detail: 'revoked (ocsp)' },
    ],
    [
      'revoked (cessationOfOperation), holder not in the register',
      { ocsp: (s) => responder.revoke(ca2023.auth, s, CrlReason.cessationOfOperation) },
      { code: 'resident-deceased', detail: 'revoked (ocsp)' },
    ],
    [
      'status unknown',
      {
        holder: () => holders.resident,
        ocsp: (s) => responder.setStatus(ca2023.auth, s, { status: 'unknown' }),
      },
      { code: 'certificate-untrusted', detail: 'revocation: status-unknown' },
    ],
    [
      'an answer without the nonce',
      { holder: () => holders.resident, fault: 'omit-nonce' },
      { code: 'certificate-untrusted', detail: 'revocation: nonce-missing' },
    ],
    [
      'a stale answer',
      { holder: () => holders.resident, fault: 'stale' },
      { code: 'certificate-untrusted', detail: 'revocation: stale' },
    ],
    [
      'responder unavailable and no CRL configured',
      { holder: () => holders.resident, fault: 'try-later' },
      { code: 'certificate-untrusted', detail: 'revocation: unavailable-try-later' },
    ],
  ])('%s', async (_name, setup, expected) => {
    const serialNumber = serial();
    const serialHex = serialNumber.replace(/^0+/, '');
    const der = await craftCertificate({
      signer: caSigner(ca2023.auth),
      publicKeySpki: card.spki,
      ...VALID,
      serialNumber,
    });
    if (setup.holder)
      await repo.registerCertificate({
        caFingerprint: sha256Hex(caDer(ca2023)),
        serialNumberHex: serialHex,
        holderId: setup.holder(),
      });
    setup.ocsp?.(serialHex);
    if (setup.fault) responder.fault = setup.fault;
    expect(await outcome(await request(der), { revocation })).toEqual(expected);
  });
});
