import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRequest } from '../../protocol/api.ts';
import { CentreErrorBodySchema, type CentreErrorCode } from '../../protocol/errors.ts';
import { createCentre, type Centre } from '../centre.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';

/**
 * Each precise refusal of the issue step, as the service returns it and as the kiosk API answers
 * it (status and error body), on the seed register.
 */

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST, every municipality open
const TERMINAL = 'S0001-T01';

let centre: Centre;

beforeAll(async () => {
  centre = await createCentre({
    databasePath: ':memory:',
    trustedCaCertificates: [],
    certificateRegistry: [],
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOON_WEDNESDAY,
    logger: false,
  });
});
afterAll(() => centre.close());

/** A transaction authenticated for `holderId` (the card check itself is tested elsewhere). */
async function authenticated(holderId: string): Promise<string> {
  const transactionId = randomUUID();
  await centre.repository.saveSession({
    transactionId,
    terminalId: TERMINAL,
    holderId,
    certificateFingerprint: 'ab'.repeat(32),
    caFingerprint: 'c'.repeat(64),
    serialNumberHex: '1001',
    authenticatedAt: NOON_WEDNESDAY.getTime(),
    expiresAt: NOON_WEDNESDAY.getTime() + 15 * 60_000,
  });
  return transactionId;
}

async function refusedOverHttp(request: IssueRequest): Promise<{ status: number; code: CentreErrorCode }> {
  const response = await centre.app.inject({ method: 'POST', url: '/v1/issue', payload: request });
  const body = CentreErrorBodySchema.parse(response.json());
  expect(body.error.messageKey).toBe(`error.${body.error.code}`);
  return { status: response.statusCode, code: body.error.code };
}

type Case = {
  name: string;
  holderId: string;
  request: Omit<IssueRequest, 'transactionId' | 'terminalId'>;
  code: CentreErrorCode;
  detail: string;
};

const CASES: Case[] = [
  {
    name: 'a resident under the municipality minimum age (千代田区: 15)',
    holderId: 'H0004', // born 2016
    request: { certificateType: 'juminhyo', copies: 1 },
    code: 'age-restricted',
    detail: 'age',
  },
  {
    name: '戸籍 from a 本籍地 without an approved 利用登録',
    holderId: 'H0043', // lives in 千代田区, 本籍 in 都城市
    request: { certificateType: 'koseki-zenbu', copies: 1 },
    code: 'registration-needed',
    detail: 'registration-needed',
  },
  {
    name: '印鑑登録証明書 without an 印鑑登録',
    holderId: 'H0003',
    request: { certificateType: 'inkan', copies: 1 },
    code: 'no-registration',
    detail: 'no-registration',
  },
  {
    name: '個人番号 on a 住民票 where the municipality does not allow it',
    holderId: 'H0001',
    request: { certificateType: 'juminhyo', copies: 1, options: { includeMyNumber: true } },
    code: 'option-not-allowed',
    detail: 'option includeMyNumber not allowed',
  },
];

describe('precise issue refusals', () => {
  it.each(CASES)('refuses $name with $code (403)', async ({ holderId, request, code, detail }) => {
    const serviceTx = await authenticated(holderId);
    expect(
      await centre.service.issue({ ...request, transactionId: serviceTx, terminalId: TERMINAL }),
    ).toEqual({
      ok: false,
      error: { kind: code, detail },
    });
    const httpTx = await authenticated(holderId);
    expect(await refusedOverHttp({ ...request, transactionId: httpTx, terminalId: TERMINAL })).toEqual({
      status: 403,
      code,
    });
  });

  it('refuses a scope the municipality does not allow with option-not-allowed', async () => {
    const current = (await centre.repository.getMunicipality('131016'))!;
    await centre.repository.putMunicipality({
      ...current,
      options: { ...current.options, juminhyoScopes: ['self'] },
    });
    try {
      const tx = await authenticated('H0001');
      expect(
        await refusedOverHttp({
          transactionId: tx,
          terminalId: TERMINAL,
          certificateType: 'juminhyo',
          copies: 1,
          options: { scope: 'household' },
        }),
      ).toEqual({ status: 403, code: 'option-not-allowed' });
      // A malformed combination stays a bad request.
      const malformed = await authenticated('H0001');
      expect(
        await refusedOverHttp({
          transactionId: malformed,
          terminalId: TERMINAL,
          certificateType: 'juminhyo',
          copies: 1,
          options: { taxYear: 2026 },
        }),
      ).toEqual({ status: 400, code: 'bad-request' });
    } finally {
      await centre.repository.putMunicipality(current);
    }
  });

  it('still issues to the same residents what they may have', async () => {
    const tx = await authenticated('H0001');
    const issued = await centre.service.issue({
      transactionId: tx,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(issued.ok).toBe(true);
  });
});
