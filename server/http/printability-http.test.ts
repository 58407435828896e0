import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AuthenticateResponseSchema } from '../../protocol/api.ts';
import { CentreErrorBodySchema } from '../../protocol/errors.ts';
import { startCentre } from '../centre.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import {
  authenticateWithCard,
  postJson,
  testCard,
  type TestCard,
} from '../test-support/authenticated-session.ts';

/**
 * Through the kiosk API as a kiosk sees it: a resident whose household address is too long for
 * the forms is offered no document that shows it (reason `unprintable`), and an issue request
 * for one anyway is refused with `document-unprintable` — nothing recorded, nothing billed.
 */
const NOON = new Date('2026-11-25T03:00:00Z');
const TERMINAL = 'S0001-T01';

let centre: Awaited<ReturnType<typeof startCentre>>;
let card: TestCard;

function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  return postJson(`${centre.url}${path}`, body);
}

beforeAll(async () => {
  card = await testCard('6001');
  const world = loadSeedWorld();
  world.households.find((h) => h.householdId === 'HH001')!.address =
    '東京都千代田区九段南二丁目三番十四号'.repeat(7);
  centre = await startCentre({
    databasePath: ':memory:',
    world,
    trustedCaCertificates: [card.caDer],
    certificateRegistry: [card.registration('H0002')],
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOON,
  });
});

afterAll(async () => centre?.close());

describe('printability through the kiosk API', () => {
  it('offers the document as unprintable on the menu and refuses its issue before billing', async () => {
    const transactionId = randomUUID();
    const auth = await authenticateWithCard(card, { transactionId, terminalId: TERMINAL }, post);
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
