import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueAuthCertificate, opaqueSubjectId } from '../native/test-pki/test-jpki-ca.ts';
import { sharedTestCa } from '../native/test-pki/fixtures.ts';
import { ChallengeResponseSchema, IssueResponseSchema } from '../protocol/api.ts';
import { createCentre, type Centre, type CentreOptions } from './centre.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import { cardSignature } from './auth/testCertificates.ts';
import { BACKEND_SETUP_TIMEOUT_MS } from './test-support/backends.ts';

const NOON = new Date('2026-11-25T03:00:00Z');

describe('two centre instances on one database (multi-server)', () => {
  let dir: string;
  let a: Centre;
  let b: Centre;
  let privateKey: KeyObject;
  let certificate: Uint8Array;
  let caDer: Uint8Array;
  let options: CentreOptions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'centre-multi-'));
    const ca = await sharedTestCa();
    caDer = new Uint8Array(ca.auth.certificate.rawData);
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey;
    certificate = await issueAuthCertificate(ca, {
      publicKey: new Uint8Array(keys.publicKey.export({ format: 'der', type: 'spki' })),
      serialNumber: '00ABCD',
      subjectCn: opaqueSubjectId(),
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2029-01-01T00:00:00Z'),
    });
    options = {
      databasePath: join(dir, 'centre.sqlite'),
      trustedCaCertificates: [caDer],
      certificateRegistry: [{ caCertificateDer: caDer, serialNumberHex: '00abcd', holderId: 'H0012' }],
      // One key store for every instance, as centre processes share one HSM.
      sealKeys: { store: await testSealKeyStore() },
      now: () => NOON,
      logger: false,
    };
    a = await createCentre(options);
    b = await createCentre(options);
  }, BACKEND_SETUP_TIMEOUT_MS); // two centres each load the whole register: slow on a busy machine

  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(centre: Centre, url: string, payload: unknown) {
    const res = await centre.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
    return { status: res.statusCode, json: res.json() as unknown };
  }

  it('shares keys, challenges and sessions, and issues each transaction once across instances', async () => {
    expect(a.service).not.toBe(b.service);
    const keysA = await a.app.inject({ method: 'GET', url: '/v1/municipality-keys' });
    const keysB = await b.app.inject({ method: 'GET', url: '/v1/municipality-keys' });
    // The same keys (ECDSA signatures differ from one signing to the next).
    expect(keysA.json().payload).toBe(keysB.json().payload);

    for (let round = 0; round < 10; round++) {
      const transactionId = randomUUID();
      const terminalId = `S${round}-T1`;
      const { challenge } = ChallengeResponseSchema.parse(
        (await call(a, '/v1/challenge', { transactionId, terminalId })).json,
      );
      const auth = await call(b, '/v1/authenticate', {
        transactionId,
        terminalId,
        challenge,
        certificate: Buffer.from(certificate).toString('base64'),
        signature: cardSignature(privateKey, terminalId, challenge),
        signatureAlgorithm: 'RS256',
      });
      expect(auth.status).toBe(200);
      const body = { transactionId, terminalId, certificateType: 'juminhyo', copies: 2 };
      const [x, y] = await Promise.all([call(a, '/v1/issue', body), call(b, '/v1/issue', body)]);
      expect(x.status).toBe(200);
      expect(y).toEqual(x);
      expect(IssueResponseSchema.parse(x.json).document.transactionId).toBe(transactionId);
    }
    const billing = await a.repository.listBillingRecords();
    expect(billing).toHaveLength(10);
    expect(billing.every((r) => r.feeYenTotal === 600 && r.municipalityCode === '452025')).toBe(true);
  });

  it('keeps a document only until its delivery is reported: then ids, hash and billing stay', async () => {
    const transactionId = randomUUID();
    const terminalId = 'S99-T1';
    const { challenge } = ChallengeResponseSchema.parse(
      (await call(a, '/v1/challenge', { transactionId, terminalId })).json,
    );
    await call(a, '/v1/authenticate', {
      transactionId,
      terminalId,
      challenge,
      certificate: Buffer.from(certificate).toString('base64'),
      signature: cardSignature(privateKey, terminalId, challenge),
      signatureAlgorithm: 'RS256',
    });
    const issued = await call(a, '/v1/issue', {
      transactionId,
      terminalId,
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(issued.status).toBe(200);
    expect((await a.repository.getIssuedDocument(transactionId))?.purgedAt).toBeUndefined();
    const delivered = await call(b, `/v1/transactions/${transactionId}/delivery`, {
      terminalId,
      outcome: 'delivered',
      copies: 1,
    });
    expect(delivered.status).toBe(200);
    const kept = await a.repository.getIssuedDocument(transactionId);
    expect(kept?.purgedAt).toBe(NOON.getTime());
    expect(kept?.documentJson).not.toContain('"content"');
    expect(kept?.documentSha256).toMatch(/^[0-9a-f]{64}$/);
    const billing = (await a.repository.listBillingRecords()).find((r) => r.transactionId === transactionId);
    expect(billing).toMatchObject({ state: 'billed', settlement: { outcome: 'delivered', copies: 1 } });
  });

  it('a restarted instance keeps its generated municipality keys', async () => {
    const before = (await a.app.inject({ method: 'GET', url: '/v1/municipality-keys' })).json().payload;
    const c = await createCentre(options);
    try {
      expect((await c.app.inject({ method: 'GET', url: '/v1/municipality-keys' })).json().payload).toBe(
        before,
      );
    } finally {
      await c.close();
    }
  });
});
