import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.ts';
import { loadRegister } from './seedLoader.ts';
import { openPostgresPool, postgresRepositoryOn } from './postgresRepository.ts';
import type { CentreRepository } from './repository.ts';
import { billingRecord, issuedRecord, sessionRecord } from '../test-support/kiosk-records.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { BACKEND_SETUP_TIMEOUT_MS } from '../test-support/backends.ts';

/**
 * Which of a kiosk transaction's writes wait for PostgreSQL's WAL on disk before they answer.
 * PostgreSQL applies the `synchronous_commit` in effect when a transaction commits; each write is
 * one statement, its own transaction, so what the statement leaves set is what its commit does.
 * Run here inside an open transaction (rolled back) to read the setting the statement left: a
 * challenge put and a delivered document emptied commit without waiting (their loss in a crash
 * costs only a repeat); a challenge's consumption, a session (the kiosk takes payment after it), an
 * issuance and a delivery's billing wait.
 */
const TX = '5d0c7a3e-2b1f-4c8d-9e6a-1f2b3c4d5e6f';
const session = sessionRecord(TX);
const issued = issuedRecord(TX, { documentSha256: 'd'.repeat(64) });
const billing = billingRecord(TX);

let server: TestPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startTestPostgres();
  pool = await openPostgresPool(await server.createDatabase('wal_flush'), { maxConnections: 2 });
  await loadRegister(postgresRepositoryOn(pool), loadSeedWorld());
}, BACKEND_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

/**
 * `setUp` (plain, with the repository on the same open transaction) then `write`; answers the
 * `synchronous_commit` the write left for the transaction's commit, and rolls everything back.
 */
async function commitSettingAfter(
  write: (repo: CentreRepository) => Promise<unknown>,
  setUp: (repo: CentreRepository) => Promise<unknown> = async () => undefined,
): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const repo = postgresRepositoryOn({ query: client.query.bind(client) } as unknown as pg.Pool);
    await setUp(repo);
    await client.query("SET LOCAL synchronous_commit = 'on'");
    await write(repo);
    const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    return rows[0]!.synchronous_commit;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('PostgreSQL: writes that wait for the WAL on disk', () => {
  it('puts a challenge and empties a delivered document without waiting', async () => {
    const challenge = { challenge: 'c1', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 };
    expect(await commitSettingAfter((repo) => repo.putChallenge(challenge))).toBe('off');
    expect(
      await commitSettingAfter(
        (repo) => repo.purgeIssuedDocument(TX, undefined, 5),
        async (repo) => {
          await repo.saveSession(session);
          await repo.recordIssuance(issued, billing);
        },
      ),
    ).toBe('off');
  });

  it("consumes a challenge, saves a session, records an issuance and settles a delivery's billing waiting for the disk", async () => {
    // A session lost in a crash of PostgreSQL after the kiosk took payment would refuse the paid issue.
    expect(await commitSettingAfter((repo) => repo.saveSession(session))).toBe('on');
    const challenge = { challenge: 'c2', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 };
    expect(
      await commitSettingAfter(
        (repo) => repo.consumeChallenge('c2', 'S1-T1', TX, 5),
        (repo) => repo.putChallenge(challenge),
      ),
    ).toBe('on');
    expect(
      await commitSettingAfter(
        (repo) => repo.recordIssuance(issued, billing),
        (repo) => repo.saveSession(session),
      ),
    ).toBe('on');
    expect(
      await commitSettingAfter(
        (repo) => repo.recordDelivery(TX, { outcome: 'delivered', copies: 1, at: 5 }),
        async (repo) => {
          await repo.saveSession(session);
          await repo.recordIssuance(issued, billing);
        },
      ),
    ).toBe('on');
  });

  it('leaves synchronous_commit on for what the same connection runs next', async () => {
    const single = await openPostgresPool(server.url.replace(/\/postgres$/, '/wal_flush'), {
      maxConnections: 1,
    });
    try {
      const repo = postgresRepositoryOn(single);
      await repo.putChallenge({ challenge: 'c3', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 });
      const { rows } = await single.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      expect(rows[0]!.synchronous_commit).toBe('on');
    } finally {
      await single.end();
    }
  });
});
