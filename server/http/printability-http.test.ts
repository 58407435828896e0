import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { issueAuthCertificate, opaqueSubjectId } from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { AuthenticateResponseSchema, ChallengeResponseSchema } from '../../protocol/api.ts';
import { CentreErrorBodySchema } from '../../protocol/errors.ts';
import { cardSignature } from '../auth/testCertificates.ts';
import { startCentre } from '../centre.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';

/**
 * Through the kiosk API as a kiosk sees it: a resident whose household address is too long for
 * the forms is offered no document that shows it (reason `unprintable`), and an issue request
 * for one anyway is refused with `document-unprintable` — nothing recorded, nothing billed.
 */
const NOON = new Date('2026-11-25T03:00:00Z');
const TERMINAL = 'S0001-T01';

let centre: Awaited<ReturnType<typeof startCentre>>;
let privateKey: KeyObject;
let certificate: Uint8Array;

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${centre.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  const ca = await sharedTestCa();
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = keys.privateKey;
  certificate = await issueAuthCertificate(ca, {
    publicKey: new Uint8Array(keys.publicKey.export({ format: 'der', type: 'spki' })),
    serialNumber: 0x6001,
    subjectCn: opaqueSubjectId(),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
  });
  const world = loadSeedWorld();
  world.households.find((h) => h.householdId === 'HH001')!.address =
    '東京都千代田区九段南二丁目三番十四号'.repeat(7);
  const caDer = new Uint8Array(ca.auth.certificate.rawData);
  centre = await startCentre({
    databasePath: ':memory:',
    world,
    trustedCaCertificates: [caDer],
    certificateRegistry: [{ caCertificateDer: caDer, serialNumberHex: '6001', holderId: 'H0002' }],
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOON,
  });
});

afterAll(async () => centre?.close());

describe('printability through the kiosk API', () => {
  it('offers the document as unprintable on the menu and refuses its issue before billing', async () => {
    const transactionId = randomUUID();
    const challenge = ChallengeResponseSchema.parse(
      (await post('/v1/challenge', { transactionId, terminalId: TERMINAL })).json,
    );
    const auth = await post('/v1/authenticate', {
      transactionId,
      terminalId: TERMINAL,
      challenge: challenge.challenge,
      certificate: Buffer.from(certificate).toString('base64'),
      signature: cardSignature(privateKey, TERMINAL, challenge.challenge),
      signatureAlgorithm: 'RS256',
    });
    expect(auth.status, JSON.stringify(auth.json)).toBe(200);
    const { menu } = AuthenticateResponseSchema.parse(auth.json);
    expect(menu.find((i) => i.certificateType === 'juminhyo')).toEqual({
      certificateType: 'juminhyo',
      available: false,
      reason: 'unprintable',
    });

    const issued = await post('/v1/issue', {
      transactionId,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
      quotedFeeYen: 200,
    });
    expect(issued.status).toBe(422);
    expect(CentreErrorBodySchema.parse(issued.json).error.code).toBe('document-unprintable');
    expect(await centre.centre.repository.listBillingRecords()).toEqual([]);
    expect(await centre.centre.repository.getIssuedDocument(transactionId)).toBeUndefined();
  });
});
