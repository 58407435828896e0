import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  AuthenticateResponseSchema,
  DeliveryResponseSchema,
  IssueResponseSchema,
} from '../../protocol/api.ts';
import { startCentre } from '../centre.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import {
  authenticateWithCard,
  postJson,
  testCard,
  type TestCard,
} from '../test-support/authenticated-session.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';

const NOON = new Date('2026-11-25T03:00:00Z');
const postgres = databaseBackends().find((b) => b.name === 'PostgreSQL')!;

let centre: Awaited<ReturnType<typeof startCentre>>;
let card: TestCard;

beforeAll(async () => {
  await postgres.setup();
  card = await testCard('7a01');
  centre = await startCentre({
    ...(await postgres.fresh()),
    trustedCaCertificates: [card.caDer],
    certificateRegistry: [card.registration('H0001')],
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOON,
    menuProofs: true,
    logger: false,
  });
  await centre.centre.menuProofs!.firstRound;
}, BACKEND_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await centre?.close();
  await postgres.teardown();
});

describe('round trips to PostgreSQL of one whole kiosk transaction', () => {
  it('challenge 1, sign-in 6, issue 5, delivery 4', async () => {
    const transactionId = randomUUID();
    const terminalId = 'S0001-T01';
    const post = (path: string, body: Record<string, unknown>) => postJson(`${centre.url}${path}`, body);
    // Every pool query is one statement, one round trip; counted between the steps' answers.
    const sent = vi.spyOn(pg.Pool.prototype, 'query');
    const steps: Record<string, number> = {};
    let counted = 0;
    const step = (name: string) => {
      steps[name] = sent.mock.calls.length - counted;
      counted = sent.mock.calls.length;
    };
    try {
      const signIn = await authenticateWithCard(card, { transactionId, terminalId }, async (path, body) => {
        const answer = await post(path, body);
        if (path === '/v1/challenge') step('challenge');
        return answer;
      });
      step('signIn');
      expect(signIn.status).toBe(200);
      AuthenticateResponseSchema.parse(signIn.json);
      const issue = await post('/v1/issue', {
        transactionId,
        terminalId,
        certificateType: 'juminhyo',
        copies: 1,
      });
      step('issue');
      expect(issue.status).toBe(200);
      IssueResponseSchema.parse(issue.json);
      const delivery = await post(`/v1/transactions/${transactionId}/delivery`, {
        terminalId,
        outcome: 'delivered',
        copies: 1,
      });
      step('delivery');
      expect(DeliveryResponseSchema.parse(delivery.json)).toMatchObject({ billing: 'billed' });
    } finally {
      sent.mockRestore();
    }
    expect(steps).toEqual({ challenge: 1, signIn: 6, issue: 5, delivery: 4 });
  });
});
