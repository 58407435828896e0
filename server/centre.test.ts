import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IssueResponseSchema } from '../protocol/api.ts';
import { createCentre, type Centre, type CentreOptions } from './centre.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import { authenticateWithCard, testCard, type TestCard } from './test-support/authenticated-session.ts';
import { BACKEND_SETUP_TIMEOUT_MS } from './test-support/backends.ts';

const NOON = new Date('2026-11-25T03:00:00Z');

describe('two centre instances on one database (multi-server)', () => {
  let dir: string;
  let a: Centre;
  let b: Centre;
  let card: TestCard;
  let options: CentreOptions;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'centre-multi-'));
    card = await testCard('00abcd');
    options = {
      databasePath: join(dir, 'centre.sqlite'),
      trustedCaCertificates: [card.caDer],
      certificateRegistry: [card.registration('H0012')],
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
      const auth = await authenticateWithCard(
        card,
        { transactionId, terminalId },
        (url, payload) => call(a, url, payload),
        (url, payload) => call(b, url, payload),
      );
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
    await authenticateWithCard(card, { transactionId, terminalId }, (url, payload) => call(a, url, payload));
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

  it('answers a sign-in after its round from the proved answers, with the same menu', async () => {
    const c = await createCentre({ ...options, menuProofs: true });
    try {
      const round = await c.menuProofs!.firstRound;
      expect(round).toMatchObject({ day: '2026-11-25', failed: 0, stopped: false });
      // The card holder's (H0012) answers are there at today's date and the register's version now.
      expect(
        c.provedMenus!.answersAt('H0012', {
          day: '2026-11-25',
          registerVersion: await c.repository.registerVersion(),
        }),
      ).toBeDefined();
      const auth = await authenticateWithCard(
        card,
        { transactionId: randomUUID(), terminalId: 'S97-T1' },
        (url, payload) => call(c, url, payload),
      );
      const alone = await authenticateWithCard(
        card,
        { transactionId: randomUUID(), terminalId: 'S97-T2' },
        (url, payload) => call(a, url, payload),
      );
      expect(auth.status).toBe(200);
      expect((auth.json as { menu: unknown }).menu).toEqual((alone.json as { menu: unknown }).menu);
    } finally {
      await c.close();
    }
  });

  it('proves menus ahead when asked, answers sign-ins meanwhile with the same menu, and stops when closed', async () => {
    const c = await createCentre({ ...options, menuProofs: true });
    const signIn = async (centre: Centre, terminalId: string) => {
      const auth = await authenticateWithCard(
        card,
        { transactionId: randomUUID(), terminalId },
        (url, payload) => call(centre, url, payload),
      );
      expect(auth.status).toBe(200);
      return (auth.json as { menu: unknown }).menu;
    };
    try {
      expect(c.menuProofs).toBeDefined();
      expect(await signIn(c, 'S98-T1')).toEqual(await signIn(a, 'S98-T2'));
    } finally {
      await c.close();
    }
    const round = await c.menuProofs!.firstRound;
    expect(round.day).toBe('2026-11-25');
    expect(round.failed).toBe(0);
    // Closed during its round (about a thousand residents), or done before the close.
    if (!round.stopped) expect(round.proved + round.noMenu).toBeGreaterThan(900);
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
