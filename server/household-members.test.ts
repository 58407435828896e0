/**
 * Data minimisation at the kiosk API: authentication answers the menu and no household names;
 * the names come from POST /v1/household-members, and only for a live session of the card on the
 * terminal that authenticated it, for a certificate whose options allow scope `members`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  AuthenticateResponseSchema,
  HouseholdMembersResponseSchema,
  IssueResponseSchema,
} from '../protocol/api.ts';
import { createCentre, type Centre } from './centre.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import { authenticateWithCard, testCard, type TestCard } from './test-support/authenticated-session.ts';
import { BACKEND_SETUP_TIMEOUT_MS } from './test-support/backends.ts';
import { SESSION_LIFETIME_MS } from './kioskService.ts';

const NOON = new Date('2026-11-25T03:00:00Z'); // Wednesday 12:00 JST
const HOLDER = 'H0001'; // 千代田区, a household of several
const TERMINAL = 'S0001-T01';

describe('household names: only when the resident chooses members', () => {
  let centre: Centre;
  let card: TestCard;
  let clock = NOON;
  let householdNames: string[];

  beforeAll(async () => {
    card = await testCard('00beef');
    centre = await createCentre({
      databasePath: ':memory:',
      trustedCaCertificates: [card.caDer],
      certificateRegistry: [card.registration(HOLDER)],
      sealKeys: { store: await testSealKeyStore() },
      now: () => clock,
      logger: false,
    });
    const resident = await centre.repository.getResident(HOLDER);
    householdNames = (await centre.repository.listHouseholdMembers(resident?.householdId ?? '')).map(
      (m) => m.name,
    );
  }, BACKEND_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await centre?.close();
  });

  async function call(url: string, payload: Record<string, unknown>) {
    const res = await centre.app.inject({ method: 'POST', url, payload });
    return { status: res.statusCode, json: res.json() as unknown, text: res.body };
  }

  async function authenticate(terminalId = TERMINAL) {
    const transactionId = randomUUID();
    const auth = await authenticateWithCard(card, { transactionId, terminalId }, call);
    expect(auth.status).toBe(200);
    return { transactionId, auth };
  }

  it('authenticates with the menu and not one name of the household', async () => {
    expect(householdNames.length).toBeGreaterThan(1);
    const { auth } = await authenticate();
    const menu = AuthenticateResponseSchema.parse(auth.json);
    expect(menu.menu.find((i) => i.certificateType === 'juminhyo')).toMatchObject({
      available: true,
      options: { scopes: expect.arrayContaining(['members']) },
    });
    expect(auth.json).not.toHaveProperty('householdMembers');
    for (const name of householdNames) expect(auth.text).not.toContain(name);
  });

  it('answers the household in 住民票 order for the live session, as the issue request numbers it', async () => {
    const { transactionId } = await authenticate();
    const answer = await call('/v1/household-members', {
      transactionId,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
    });
    expect(answer.status).toBe(200);
    const { members } = HouseholdMembersResponseSchema.parse(answer.json);
    expect(members.map((m) => m.name)).toEqual(householdNames);
    expect(members.map((m) => m.order)).toEqual(householdNames.map((_, i) => i + 1));

    const second = members[1];
    const issued = await call('/v1/issue', {
      transactionId,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
      options: { scope: 'members', members: [second?.order] },
    });
    expect(issued.status).toBe(200);
    const { document } = IssueResponseSchema.parse(issued.json);
    const printed = document.content.kind === 'juminhyo' ? document.content.members.map((m) => m.name) : [];
    expect(printed).toEqual([second?.name]);
  });

  it('refuses an unknown transaction, another terminal, and an expired session', async () => {
    const unknown = await call('/v1/household-members', {
      transactionId: randomUUID(),
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toMatchObject({ error: { code: 'not-authenticated' } });

    const { transactionId } = await authenticate();
    const otherTerminal = await call('/v1/household-members', {
      transactionId,
      terminalId: 'S0002-T01',
      certificateType: 'juminhyo',
    });
    expect(otherTerminal.json).toMatchObject({ error: { code: 'not-authenticated' } });

    clock = new Date(NOON.getTime() + SESSION_LIFETIME_MS);
    try {
      const expired = await call('/v1/household-members', {
        transactionId,
        terminalId: TERMINAL,
        certificateType: 'juminhyo',
      });
      expect(expired.json).toMatchObject({ error: { code: 'not-authenticated' } });
      for (const name of householdNames) expect(expired.text).not.toContain(name);
    } finally {
      clock = NOON;
    }
  });

  it('refuses a certificate whose options have no members scope, and a body off the contract', async () => {
    const { transactionId } = await authenticate();
    const inkan = await call('/v1/household-members', {
      transactionId,
      terminalId: TERMINAL,
      certificateType: 'inkan',
    });
    expect(inkan.status).toBe(403);
    expect(inkan.json).toMatchObject({ error: { code: 'option-not-allowed' } });
    const malformed = await call('/v1/household-members', { transactionId, terminalId: TERMINAL });
    expect(malformed.status).toBe(400);
  });
});
