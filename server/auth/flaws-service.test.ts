/**
 * The register side of authentication through the kiosk service: a card that is valid and not
 * revoked, whose holder the register says moved out or died, is refused with that reason (the
 * verifier itself only maps revoked cards; see flaws.test.ts). Mocked clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import type { TestJpkiCa } from '../../native/test-pki/test-jpki-ca.ts';
import type { CentreErrorCode } from '../../protocol/errors.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { createMemoryRegisterStore } from '../municipal/register-store.ts';
import { createKioskService, type KioskService } from '../kioskService.ts';
import { TrustStore, sha256Hex } from './trustStore.ts';
import { caSigner, cardSignature, craftCertificate } from './testCertificates.ts';

const NOON = new Date('2026-11-25T03:00:00Z'); // Wednesday 12:00 JST
const TERMINAL = 'S0001-T01';

let ca: TestJpkiCa;
let card: { privateKey: KeyObject; spki: Uint8Array };
let repo: CentreRepository;
let service: KioskService;
let serial = 0x7000;

beforeAll(async () => {
  ca = await sharedTestCa();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  card = { privateKey, spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) };
  const world = loadSeedWorld();
  repo = openSqliteRepository(':memory:');
  await loadRegister(repo, world);
  const now = () => NOON;
  service = createKioskService({
    repository: repo,
    trustStore: new TrustStore([new Uint8Array(ca.auth.certificate.rawData)]),
    registers: createMemoryRegisterStore(buildSeedRegisters(world)),
    keyring: await SealKeyring.open({ repository: repo, store: await testSealKeyStore(), now }),
    now,
  });
}, 60_000);
afterAll(async () => repo.close());

function holderWithStatus(status: 'moved-out' | 'deceased'): string {
  const resident = loadSeedWorld().residents.find((r) => r.status === status);
  if (!resident) throw new Error(`the seed world has no ${status} resident`);
  return resident.holderId;
}

describe('register status of the holder of a valid, unrevoked card', () => {
  it.each<[string, () => string, CentreErrorCode | 'ok']>([
    ['control: H0001, a current resident', () => 'H0001', 'ok'],
    ['moved out', () => holderWithStatus('moved-out'), 'resident-moved-out'],
    ['deceased', () => holderWithStatus('deceased'), 'resident-deceased'],
  ])('%s', async (_name, holder, expected) => {
    serial += 1;
    const serialNumber = serial.toString(16);
    const certificate = await craftCertificate({
      signer: caSigner(ca.auth),
      publicKeySpki: card.spki,
      serialNumber,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2029-01-01T00:00:00Z'),
    });
    await repo.registerCertificate({
      caFingerprint: sha256Hex(new Uint8Array(ca.auth.certificate.rawData)),
      serialNumberHex: serialNumber,
      holderId: holder(),
    });
    const transactionId = randomUUID();
    const issued = await service.challenge({ transactionId, terminalId: TERMINAL });
    if (!issued.ok) throw new Error('no challenge');
    const { challenge } = issued.value;
    const result = await service.authenticate({
      transactionId,
      terminalId: TERMINAL,
      challenge,
      certificate: Buffer.from(certificate).toString('base64'),
      signature: cardSignature(card.privateKey, TERMINAL, challenge),
      signatureAlgorithm: 'RS256',
    });
    expect(result.ok ? 'ok' : result.error.kind).toBe(expected);
  });
});
