import { PROTOCOL_VERSION } from '../../protocol/api.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { issueAuthCertificate, opaqueSubjectId } from '../../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import {
  AuthenticateResponseSchema,
  DeliveryResponseSchema,
  IssueResponseSchema,
  MunicipalityKeysResponseSchema,
  type IssueResponse,
} from '../../protocol/api.ts';
import { CentreErrorBodySchema } from '../../protocol/errors.ts';
import { checkPageSeals, holderBindingFor, verifySeal } from '../../protocol/seal.ts';
import { verifyKeyList } from '../../protocol/seal-keys.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { authenticateWithCard, postJson } from '../test-support/authenticated-session.ts';
import { startCentre } from '../centre.ts';
import { sha256Hex } from '../auth/trustStore.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';

const NOON = new Date('2026-11-25T03:00:00Z');
const HOLDERS = ['H0001', 'H0002', 'H0005', 'H0006', 'H0007', 'H0012'];
const world = loadSeedWorld();

interface TestCard {
  holderId: string;
  privateKey: KeyObject;
  certificate: Uint8Array;
}

let centre: Awaited<ReturnType<typeof startCentre>>;
let cards: TestCard[];
const logLines: string[] = [];

function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return postJson(`${centre.url}${path}`, body);
}

async function issueFor(
  card: TestCard,
  terminalId: string,
): Promise<{ transactionId: string; response: IssueResponse }> {
  const transactionId = randomUUID();
  const auth = await authenticateWithCard(card, { transactionId, terminalId }, post);
  expect(auth.status, JSON.stringify(auth.json)).toBe(200);
  AuthenticateResponseSchema.parse(auth.json);
  const issued = await post('/v1/issue', {
    transactionId,
    terminalId,
    certificateType: 'juminhyo',
    copies: 1,
  });
  expect(issued.status, JSON.stringify(issued.json)).toBe(200);
  return { transactionId, response: IssueResponseSchema.parse(issued.json) };
}

let caDer: Uint8Array;

beforeAll(async () => {
  const ca = await sharedTestCa();
  cards = await Promise.all(
    HOLDERS.map(async (holderId, i) => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const certificate = await issueAuthCertificate(ca, {
        publicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
        serialNumber: 0x5000 + i,
        subjectCn: opaqueSubjectId(),
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2029-01-01T00:00:00Z'),
      });
      return { holderId, privateKey, certificate };
    }),
  );
  caDer = new Uint8Array(ca.auth.certificate.rawData);
});

describe.each(databaseBackends())('centre over HTTP on $name', (backend) => {
  beforeAll(async () => {
    await backend.setup();
    logLines.length = 0;
    centre = await startCentre({
      ...(await backend.fresh()),
      trustedCaCertificates: [caDer],
      certificateRegistry: cards.map((c, i) => ({
        caCertificateDer: caDer,
        serialNumberHex: (0x5000 + i).toString(16),
        holderId: c.holderId,
      })),
      sealKeys: { store: await testSealKeyStore() },
      now: () => NOON,
      logger: { stream: { write: (line: string) => void logLines.push(line) } },
    });
  }, BACKEND_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await centre?.close();
    await backend.teardown();
  });

  it('listens on loopback and answers health', async () => {
    expect(centre.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${centre.url}/v1/health`);
    expect(await res.json()).toEqual({ status: 'ok', protocolVersion: PROTOCOL_VERSION });
  });

  it('issues 50 concurrent transactions, each bound to its own card and household, billed once each', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) => {
      const card = cards[i % cards.length]!;
      return issueFor(card, `S${String(i).padStart(4, '0')}-T01`).then((r) => ({ card, ...r }));
    });
    const results = await Promise.all(jobs);
    const list = MunicipalityKeysResponseSchema.parse(
      await (await fetch(`${centre.url}/v1/municipality-keys`)).json(),
    );
    const keys = verifyKeyList(list, centre.centre.keyring.rootPublicKeys());
    if (!keys.ok) throw new Error(keys.error.kind);
    const publicKeys = keys.keys;
    for (const { card, transactionId, response } of results) {
      const resident = world.residents.find((r) => r.holderId === card.holderId)!;
      const household = world.households.find((h) => h.householdId === resident.householdId)!;
      expect(response.document.transactionId).toBe(transactionId);
      expect(response.document.holderBinding).toBe(
        holderBindingFor(response.document.holderSalt, sha256Hex(card.certificate)),
      );
      const content = response.document.content;
      if (content.kind !== 'juminhyo') throw new Error(`expected a 住民票, got ${content.kind}`);
      expect(content.members.map((m) => m.name)).toContain(resident.name);
      expect(content.address).toBe(household.address);
      expect(response.document.municipality.code).toBe(household.municipalityCode);
      const seals = response.seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64')));
      expect(checkPageSeals(seals, response.document, publicKeys)).toMatchObject({ ok: true });
      const verified = verifySeal(seals[0]!, publicKeys);
      if (!verified.ok) throw new Error(verified.error.kind);
      expect(keys.keys.get(verified.kid)?.municipalityCode).toBe(household.municipalityCode);
    }
    expect(new Set(results.map((r) => r.response.document.documentId)).size).toBe(50);
    const billing = await centre.centre.repository.listBillingRecords();
    const ours = new Set(results.map((r) => r.transactionId));
    expect(billing.filter((b) => ours.has(b.transactionId))).toHaveLength(50);
  });

  it('returns the same document and seal on a retry, and bills once', async () => {
    const first = await issueFor(cards[0]!, 'S0100-T01');
    const retry = await post('/v1/issue', {
      transactionId: first.transactionId,
      terminalId: 'S0100-T01',
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.response);
    const billing = await centre.centre.repository.listBillingRecords();
    expect(billing.filter((b) => b.transactionId === first.transactionId)).toHaveLength(1);
  });

  it('bills on the delivery report, idempotently, over POST /v1/transactions/{id}/delivery', async () => {
    const { transactionId } = await issueFor(cards[1]!, 'S0300-T01');
    const path = `/v1/transactions/${transactionId}/delivery`;
    const state = async () =>
      (await centre.centre.repository.listBillingRecords()).find((b) => b.transactionId === transactionId)
        ?.state;
    expect(await state()).toBe('pending');
    const report = { terminalId: 'S0300-T01', outcome: 'delivered', copies: 1 };
    const first = await post(path, report);
    expect(first.status).toBe(200);
    expect(DeliveryResponseSchema.parse(first.json)).toMatchObject({
      transactionId,
      billing: 'billed',
      copies: 1,
    });
    expect(await post(path, report)).toEqual(first);
    expect(await state()).toBe('billed');
    expect(await post(path, { terminalId: 'S0300-T01', outcome: 'voided', copies: 0 })).toEqual({
      status: 409,
      json: { error: { code: 'delivery-conflict', messageKey: 'error.delivery-conflict' } },
    });
    expect((await post(`/v1/transactions/${randomUUID()}/delivery`, report)).status).toBe(404);
    expect((await post('/v1/transactions/not-a-uuid/delivery', report)).status).toBe(400);
    expect(logLines.join('')).toContain(`"route":"delivery","transactionId":"${transactionId}"`);
  });

  it('answers every refusal as a CentreErrorBody with its status', async () => {
    const bad = await post('/v1/challenge', { transactionId: 'not-a-uuid', terminalId: 'S1-T1' });
    expect(bad).toEqual({
      status: 400,
      json: { error: { code: 'bad-request', messageKey: 'error.bad-request' } },
    });
    const unauth = await post('/v1/issue', {
      transactionId: randomUUID(),
      terminalId: 'S1-T1',
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(unauth).toEqual({
      status: 401,
      json: { error: { code: 'not-authenticated', messageKey: 'error.not-authenticated' } },
    });
    const garbage = await fetch(`${centre.url}/v1/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"x":',
    });
    expect(garbage.status).toBe(400);
    expect(CentreErrorBodySchema.parse(await garbage.json()).error.code).toBe('bad-request');
    const missing = await fetch(`${centre.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    CentreErrorBodySchema.parse(await missing.json());
    const transactionId = randomUUID();
    // cards[0]'s certificate with cards[1]'s signature.
    const wrong = await authenticateWithCard(
      { certificate: cards[0]!.certificate, privateKey: cards[1]!.privateKey },
      { transactionId, terminalId: 'S1-T1' },
      post,
    );
    expect(wrong).toEqual({
      status: 401,
      json: { error: { code: 'signature-invalid', messageKey: 'error.signature-invalid' } },
    });
  });

  it('logs transaction ids and never names, addresses, certificates or PINs', async () => {
    const { transactionId } = await issueFor(cards[3]!, 'S0200-T01');
    const log = logLines.join('');
    expect(log).toContain(transactionId);
    for (const r of world.residents) {
      expect(log).not.toContain(r.name);
      expect(log).not.toContain(r.card.signingPin);
    }
    for (const h of world.households) expect(log).not.toContain(h.address);
    expect(log).not.toContain(Buffer.from(cards[3]!.certificate).toString('base64').slice(0, 40));
  });
});
