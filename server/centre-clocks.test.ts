/**
 * Two notions of time in the centre: opening hours may be judged on a demo's shifted clock
 * (`openingHoursNow`), while everything signed or checked — sessions, certificate validity, the
 * document's issuedAt, billing — uses the real time (`now`). Papers never carry a back-dated issue date.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { IssueResponseSchema } from '../protocol/api.ts';
import { createCentre, type Centre, type CentreOptions } from './centre.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import { authenticateWithCard, testCard, type TestCard } from './test-support/authenticated-session.ts';
import { BACKEND_SETUP_TIMEOUT_MS } from './test-support/backends.ts';
import { SESSION_LIFETIME_MS } from './kioskService.ts';

/** The real time of the run: Thursday 03:00 JST, every municipality closed. */
const NIGHT = new Date('2026-11-25T18:00:00Z');
/** Where a demo's opening-hours clock puts it: Wednesday 10:00 JST. */
const DEMO_OPENING_HOURS = new Date('2026-11-25T01:00:00Z');
const HOLDER = 'H0001';
const TERMINAL = 'S0001-T01';

describe('centre clocks: opening hours apart from everything signed or checked', () => {
  let card: TestCard;
  let base: CentreOptions;
  let centre: Centre | undefined;

  beforeAll(async () => {
    card = await testCard('00c10c');
    base = {
      databasePath: ':memory:',
      trustedCaCertificates: [card.caDer],
      certificateRegistry: [card.registration(HOLDER)],
      sealKeys: { store: await testSealKeyStore() },
      now: () => NIGHT,
      logger: false,
    };
  }, BACKEND_SETUP_TIMEOUT_MS);

  afterEach(async () => {
    await centre?.close();
    centre = undefined;
  });

  async function call(c: Centre, url: string, payload: Record<string, unknown>) {
    const res = await c.app.inject({ method: 'POST', url, payload });
    return { status: res.statusCode, json: res.json() as unknown };
  }

  function authenticate(c: Centre, transactionId: string) {
    return authenticateWithCard(card, { transactionId, terminalId: TERMINAL }, (url, payload) =>
      call(c, url, payload),
    );
  }

  it('refuses at night on the real time when no demo clock is given', async () => {
    centre = await createCentre(base);
    const auth = await authenticate(centre, randomUUID());
    expect(auth.json).toMatchObject({ error: { code: 'outside-hours' } });
  });

  it('with demo opening hours, opens the service but issues, dates and bills on the real time', async () => {
    centre = await createCentre({ ...base, openingHoursNow: () => DEMO_OPENING_HOURS });
    const transactionId = randomUUID();
    const auth = await authenticate(centre, transactionId);
    expect(auth.status).toBe(200);
    const session = await centre.repository.getSession(transactionId);
    expect(session?.authenticatedAt).toBe(NIGHT.getTime());
    expect(session?.expiresAt).toBe(NIGHT.getTime() + SESSION_LIFETIME_MS);

    const issued = await call(centre, '/v1/issue', {
      transactionId,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(issued.status).toBe(200);
    const { document } = IssueResponseSchema.parse(issued.json);
    expect(Date.parse(document.issuedAt)).toBe(NIGHT.getTime());
    expect(Date.parse(document.issuedAt)).not.toBe(DEMO_OPENING_HOURS.getTime());
    const record = await centre.repository.getIssuedDocument(transactionId);
    expect(record?.issuedAt).toBe(NIGHT.getTime());
  });
});
