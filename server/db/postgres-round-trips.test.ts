import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { postgresRepositoryOn } from './postgresRepository.ts';
import { billingRecord, issuedRecord } from '../test-support/kiosk-records.ts';

/** What the repository sent: one entry a round trip. */
interface Sent {
  name?: string;
  text: string;
  values: unknown[];
}

/** A pool that records every query and answers each with the next canned result. */
function recordingPool(answers: Array<{ rows?: unknown[]; rowCount?: number }>) {
  const sent: Sent[] = [];
  const answer = async (config: Sent | string, values?: unknown[]) => {
    sent.push(typeof config === 'string' ? { text: config, values: values ?? [] } : config);
    const next = answers.shift() ?? {};
    return { rows: next.rows ?? [], rowCount: next.rowCount ?? next.rows?.length ?? 0 };
  };
  const pool = { query: answer, connect: async () => ({ query: answer, release: () => undefined }) };
  return { pool: pool as unknown as pg.Pool, sent };
}

const TX = '0b9e8f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const issued = issuedRecord(TX);
const billing = billingRecord(TX);
const issuedRow = {
  transaction_id: TX,
  holder_id: 'H0001',
  municipality_code: '131016',
  certificate_type: 'juminhyo',
  copies: 1,
  document_json: '{"page":1}',
  seal: Buffer.from([9, 8, 7]),
  issued_at: 1_790_000_000_000,
  request_sha256: null,
  document_sha256: null,
  purged_at: null,
};

describe('PostgreSQL repository: round trips of a kiosk transaction', () => {
  it('writes the challenge, its use and the session each in one prepared statement, no BEGIN/COMMIT', async () => {
    const { pool, sent } = recordingPool([{ rowCount: 1 }, { rowCount: 1 }, { rowCount: 1 }]);
    const repo = postgresRepositoryOn(pool);
    await repo.putChallenge({
      challenge: 'c1',
      terminalId: 'S1-T1',
      transactionId: TX,
      expiresAt: 1_000_000_000,
    });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 5)).toEqual({ kind: 'consumed' });
    const session = {
      transactionId: TX,
      terminalId: 'S1-T1',
      holderId: 'H0001',
      certificateFingerprint: 'f'.repeat(64),
      caFingerprint: 'ca',
      serialNumberHex: '01',
      authenticatedAt: 5,
      expiresAt: 6,
    };
    expect(await repo.saveSession(session)).toEqual({ kind: 'saved' });
    expect(sent).toHaveLength(3);
    expect(sent.every((s) => typeof s.name === 'string')).toBe(true);
    expect(sent[0]?.values).toEqual(['c1', 'S1-T1', TX, 1_000_000_000]);
  });

  it('answers bound-to-other-card when the session statement leaves the row of another card alone', async () => {
    const { pool, sent } = recordingPool([{ rowCount: 0 }]);
    const repo = postgresRepositoryOn(pool);
    const result = await repo.saveSession({
      transactionId: TX,
      terminalId: 'S1-T1',
      holderId: 'H0002',
      certificateFingerprint: 'e'.repeat(64),
      caFingerprint: 'ca',
      serialNumberHex: '02',
      authenticatedAt: 5,
      expiresAt: 6,
    });
    expect(result).toEqual({ kind: 'bound-to-other-card' });
    expect(sent).toHaveLength(1);
  });

  it('records an issuance with its billing in one statement and returns the row it wrote', async () => {
    const { pool, sent } = recordingPool([{ rows: [issuedRow] }]);
    const repo = postgresRepositoryOn(pool);
    expect(await repo.recordIssuance(issued, billing)).toEqual(issued);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.name).toBeDefined();
    expect(sent[0]?.values.slice(10)).toEqual([TX, '131016', 'juminhyo', 1, 300, 1_790_000_000_000]);
  });

  it('reads the stored issuance when the transaction was issued already', async () => {
    const stored = { ...issuedRow, document_json: '{"page":"first"}' };
    const { pool, sent } = recordingPool([{ rows: [] }, { rows: [stored] }]);
    const repo = postgresRepositoryOn(pool);
    expect((await repo.recordIssuance(issued, billing)).documentJson).toBe('{"page":"first"}');
    expect(sent).toHaveLength(2);
  });
});
