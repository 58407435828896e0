import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { X509Certificate, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import {
  createTestJpkiCa,
  issueAuthCertificate,
  opaqueSubjectId,
  type TestJpkiCa,
} from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import type { AuthenticateRequest } from '../../protocol/api.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { createMemoryRegisterStore } from '../municipal/register-store.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { createKioskService, type KioskService } from '../kioskService.ts';
import { issueChallenge } from './challenges.ts';
import { TrustStore, normaliseSerialHex, sha256Hex } from './trustStore.ts';
import { verifyAuthentication } from './verifyAuthentication.ts';
import { cardSignature, flawedAuthCertificate, type CertificateFlaw } from './testCertificates.ts';

const NOON = new Date('2026-11-25T03:00:00Z'); // Wednesday 12:00 JST
const TERMINAL = 'S0001-T01';
const VALID = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2029-01-01T00:00:00Z') };

function rsaKey(bits = 2048): { privateKey: KeyObject; spki: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
}

let ca2023: TestJpkiCa;
let ca2019: TestJpkiCa;
let rogue: TestJpkiCa; // same DN, not trusted
let card: { privateKey: KeyObject; spki: Uint8Array };
let goodCert: Uint8Array;

beforeAll(async () => {
  [ca2023, ca2019, rogue] = await Promise.all([
    sharedTestCa(),
    createTestJpkiCa({
      generation: 2019,
      notBefore: new Date('2019-01-01T00:00:00Z'),
      notAfter: new Date('2039-01-01T00:00:00Z'),
    }),
    createTestJpkiCa({
      generation: 2023,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2043-01-01T00:00:00Z'),
    }),
  ]);
  card = rsaKey();
  goodCert = await issueAuthCertificate(ca2023, {
    ...VALID,
    publicKey: card.spki,
    serialNumber: '0a01',
    subjectCn: opaqueSubjectId(),
  });
});

const der = (c: TestJpkiCa) => new Uint8Array(c.auth.certificate.rawData);

// The store reads each CA's subject, validity and key once; issuerOf still judges every call by
// signature and by the CA's validity at that call's `now`.
describe('trust store', () => {
  it('keeps each CA’s DER and fingerprint, and chooses by signature within the CA’s validity at each call', async () => {
    const store = new TrustStore([der(ca2023), der(ca2019)]);
    expect(store.authorities.map((a) => [a.der, a.fingerprint])).toEqual([
      [der(ca2023), sha256Hex(der(ca2023))],
      [der(ca2019), sha256Hex(der(ca2019))],
    ]);
    const old = new X509Certificate(
      await issueAuthCertificate(ca2019, {
        ...VALID,
        publicKey: card.spki,
        serialNumber: '0a02',
        subjectCn: opaqueSubjectId(),
      }),
    );
    const issuerAt = (iso: string) => store.issuerOf(old, new Date(iso))?.fingerprint;
    expect(issuerAt('2026-11-25T03:00:00Z')).toBe(sha256Hex(der(ca2019)));
    expect(issuerAt('2018-12-31T23:59:59Z')).toBeUndefined();
    expect(issuerAt('2039-01-01T00:00:01Z')).toBeUndefined();
    expect(new TrustStore([der(ca2023), der(rogue)]).issuerOf(old, NOON)).toBeUndefined();
  });
});

describe('authentication', () => {
  let repo: CentreRepository;
  let clock: Date;
  let service: KioskService;
  const deps = () => ({
    repository: repo,
    trustStore: new TrustStore([der(ca2023), der(ca2019)]),
    now: () => clock,
  });

  beforeEach(async () => {
    clock = NOON;
    repo = openSqliteRepository(':memory:');
    await loadRegister(repo, loadSeedWorld());
    await repo.registerCertificate({
      caFingerprint: sha256Hex(der(ca2023)),
      serialNumberHex: 'a01',
      holderId: 'H0001',
    });
    const d = deps();
    service = createKioskService({
      ...d,
      registers: createMemoryRegisterStore(buildSeedRegisters(loadSeedWorld())),
      keyring: await SealKeyring.open({ repository: repo, store: await testSealKeyStore(), now: d.now }),
    });
  });
  afterEach(async () => repo.close());

  async function request(
    certificate: Uint8Array = goodCert,
    opts: {
      privateKey?: KeyObject;
      terminalId?: string;
      signedTerminalId?: string;
      transactionId?: string;
    } = {},
  ): Promise<AuthenticateRequest> {
    const transactionId = opts.transactionId ?? randomUUID();
    const terminalId = opts.terminalId ?? TERMINAL;
    const { challenge } = await issueChallenge(repo, { transactionId, terminalId }, clock);
    return {
      transactionId,
      terminalId,
      challenge,
      certificate: Buffer.from(certificate).toString('base64'),
      signature: cardSignature(
        opts.privateKey ?? card.privateKey,
        opts.signedTerminalId ?? terminalId,
        challenge,
      ),
      signatureAlgorithm: 'RS256',
    };
  }

  const verify = async (r: AuthenticateRequest) => verifyAuthentication(deps(), r);
  const errorOf = async (r: AuthenticateRequest) => {
    const result = await verify(r);
    return result.ok ? 'ok' : result.error.kind;
  };

  it('accepts the card and maps (CA, serial) to the resident', async () => {
    const result = await verify(await request());
    expect(result).toEqual({
      ok: true,
      value: {
        holderId: 'H0001',
        certificateFingerprint: sha256Hex(goodCert),
        caFingerprint: sha256Hex(der(ca2023)),
        serialNumberHex: 'a01',
      },
    });
  });

  it('picks the CA generation by signature when generations share a DN', async () => {
    expect(ca2019.auth.certificate.subject).toBe(ca2023.auth.certificate.subject);
    const old = await issueAuthCertificate(ca2019, {
      ...VALID,
      publicKey: card.spki,
      serialNumber: '0a01',
      subjectCn: opaqueSubjectId(),
    });
    await repo.registerCertificate({
      caFingerprint: sha256Hex(der(ca2019)),
      serialNumberHex: 'a01',
      holderId: 'H0012',
    });
    expect(await verify(await request(old))).toMatchObject({ ok: true, value: { holderId: 'H0012' } });
  });

  it('refuses a wrong signature and a signature made for another terminal', async () => {
    expect(await errorOf(await request(goodCert, { privateKey: rsaKey().privateKey }))).toBe(
      'signature-invalid',
    );
    expect(await errorOf(await request(goodCert, { signedTerminalId: 'S0002-T01' }))).toBe(
      'signature-invalid',
    );
    const r = await request();
    expect(await errorOf({ ...r, signature: Buffer.from('short').toString('base64') })).toBe(
      'signature-invalid',
    );
  });

  it('refuses a challenge bound to another terminal or transaction, unknown, expired or reused', async () => {
    const r = await request();
    expect(
      await errorOf({
        ...r,
        terminalId: 'S0002-T01',
        signature: cardSignature(card.privateKey, 'S0002-T01', r.challenge),
      }),
    ).toBe('challenge-unknown');
    expect(await errorOf({ ...r, transactionId: randomUUID() })).toBe('challenge-unknown');
    expect(await errorOf({ ...r, challenge: Buffer.alloc(32, 7).toString('base64') })).toBe(
      'challenge-unknown',
    );
    expect(await errorOf(r)).toBe('ok');
    expect(await errorOf(r)).toBe('challenge-used');
    const late = await request();
    clock = new Date(NOON.getTime() + 5 * 60_000 + 1);
    expect(await errorOf(late)).toBe('challenge-expired');
  });

  it('refuses bad sizes and garbage', async () => {
    const r = await request();
    expect(await errorOf({ ...r, challenge: Buffer.alloc(16).toString('base64') })).toBe('bad-request');
    expect(await errorOf({ ...r, certificate: Buffer.alloc(100, 1).toString('base64') })).toBe(
      'certificate-malformed',
    );
    expect(
      await errorOf({ ...(await request()), certificate: Buffer.alloc(1200, 0x30).toString('base64') }),
    ).toBe('certificate-malformed');
  });

  it('refuses expired and not-yet-valid certificates (injected clock)', async () => {
    const expired = await issueAuthCertificate(ca2023, {
      publicKey: card.spki,
      serialNumber: '0a02',
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2025-01-01'),
    });
    const future = await issueAuthCertificate(ca2023, {
      publicKey: card.spki,
      serialNumber: '0a03',
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2027-01-01'),
      notAfter: new Date('2032-01-01'),
    });
    expect(await errorOf(await request(expired))).toBe('certificate-expired');
    expect(await errorOf(await request(future))).toBe('certificate-not-yet-valid');
    clock = new Date('2029-01-01T00:00:01Z');
    expect(await errorOf(await request())).toBe('certificate-expired');
  });

  it('refuses a certificate from an untrusted CA with the same DN', async () => {
    expect(rogue.auth.certificate.subject).toBe(ca2023.auth.certificate.subject);
    const forged = await issueAuthCertificate(rogue, {
      ...VALID,
      publicKey: card.spki,
      serialNumber: '0a01',
      subjectCn: opaqueSubjectId(),
    });
    expect(await errorOf(await request(forged))).toBe('certificate-untrusted');
  });

  it.each<CertificateFlaw>(['no-client-auth', 'wrong-policy', 'no-digital-signature', 'sha1'])(
    'refuses a certificate with flaw %s',
    async (flaw) => {
      const cert = await flawedAuthCertificate(ca2023, {
        ...VALID,
        publicKeySpki: card.spki,
        serialNumber: '0a01',
        flaw,
      });
      expect(await errorOf(await request(cert))).toBe('certificate-wrong-usage');
    },
  );

  it('refuses an RSA key under 2048 bits', async () => {
    const weak = rsaKey(1024);
    const cert = await issueAuthCertificate(ca2023, {
      ...VALID,
      publicKey: weak.spki,
      serialNumber: '0a01',
      subjectCn: opaqueSubjectId(),
    });
    expect(await errorOf(await request(cert, { privateKey: weak.privateKey }))).toBe(
      'certificate-wrong-usage',
    );
  });

  it('refuses a revoked certificate, but only for its own CA', async () => {
    await repo.revokeCertificate(sha256Hex(der(ca2019)), 'a01', NOON.getTime());
    expect(await errorOf(await request())).toBe('ok');
    await repo.revokeCertificate(sha256Hex(der(ca2023)), 'a01', NOON.getTime());
    expect(await errorOf(await request())).toBe('certificate-revoked');
  });

  it('refuses a valid certificate nobody registered', async () => {
    const other = await issueAuthCertificate(ca2023, {
      ...VALID,
      publicKey: card.spki,
      serialNumber: '0b99',
      subjectCn: opaqueSubjectId(),
    });
    expect(await errorOf(await request(other))).toBe('resident-unknown');
  });

  it('answers the menu, and refuses moved-out and deceased residents', async () => {
    const ok = await service.authenticate(await request());
    expect(ok).toMatchObject({ ok: true, value: { municipality: { code: '131016', name: '千代田区' } } });
    expect(ok.ok && ok.value.menu).toHaveLength(8);
    await repo.registerCertificate({
      caFingerprint: sha256Hex(der(ca2023)),
      serialNumberHex: 'a01',
      holderId: 'H0009',
    });
    expect(await service.authenticate(await request())).toMatchObject({
      ok: false,
      error: { kind: 'resident-moved-out' },
    });
    await repo.registerCertificate({
      caFingerprint: sha256Hex(der(ca2023)),
      serialNumberHex: 'a01',
      holderId: 'H0010',
    });
    expect(await service.authenticate(await request())).toMatchObject({
      ok: false,
      error: { kind: 'resident-deceased' },
    });
  });

  it('keeps a transaction bound to the first card', async () => {
    const transactionId = randomUUID();
    expect((await service.authenticate(await request(goodCert, { transactionId }))).ok).toBe(true);
    const second = rsaKey();
    const cert = await issueAuthCertificate(ca2023, {
      ...VALID,
      publicKey: second.spki,
      serialNumber: '0c01',
      subjectCn: opaqueSubjectId(),
    });
    await repo.registerCertificate({
      caFingerprint: sha256Hex(der(ca2023)),
      serialNumberHex: 'c01',
      holderId: 'H0012',
    });
    expect(
      await service.authenticate(await request(cert, { transactionId, privateKey: second.privateKey })),
    ).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
  });

  it('normalises serial numbers', () => {
    expect(normaliseSerialHex('00A01')).toBe('a01');
    expect(normaliseSerialHex('0x00ff')).toBe('ff');
    expect(normaliseSerialHex('00')).toBe('0');
  });
});
