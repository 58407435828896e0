import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreStores, type CentreStores } from '../db/openRepository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';
import type { ConsoleUser } from './store.ts';

/** The console's tables behave the same on SQLite and PostgreSQL (migration 12). */
describe.each(databaseBackends())('console store on $name', (backend) => {
  let stores: CentreStores;
  let config: Awaited<ReturnType<typeof backend.fresh>>;
  beforeAll(async () => {
    await backend.setup();
    config = await backend.fresh();
    stores = await openCentreStores(config);
    await loadRegister(stores.repository, loadSeedWorld(), 0);
  }, BACKEND_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await stores?.repository.close();
    await backend.teardown();
  });

  const user = (login: string): ConsoleUser => ({
    userId: `id-${login}`,
    municipalityCode: '131016',
    login,
    role: 'editor',
    passwordHash: '$argon2id$not-a-real-hash',
    failedAttempts: 0,
    disabled: false,
    createdAt: 1,
  });

  it('creates a user once per login and counts failures up to a lock', async () => {
    const store = stores.console;
    expect(await store.createUser(user('clerk'))).toBe('created');
    expect(await store.createUser({ ...user('clerk'), userId: 'other' })).toBe('login-taken');
    for (let i = 1; i < 5; i++)
      expect((await store.recordFailedSignIn('id-clerk', 5, 999))?.lockedUntil).toBeUndefined();
    expect(await store.recordFailedSignIn('id-clerk', 5, 999)).toMatchObject({
      failedAttempts: 5,
      lockedUntil: 999,
    });
    await store.resetFailedSignIns('id-clerk');
    await store.setRole('id-clerk', 'auditor');
    expect((await store.userByLogin('clerk'))?.role).toBe('auditor');
    expect(await store.userByLogin('clerk')).toMatchObject({ failedAttempts: 0, disabled: false });
    expect((await store.userByLogin('clerk'))?.lockedUntil).toBeUndefined();
  });

  it('keeps sessions by token hash and deletes them', async () => {
    const store = stores.console;
    await store.putSession({
      tokenSha256: 'h1',
      userId: 'id-clerk',
      csrfToken: 'c',
      createdAt: 1,
      expiresAt: 2,
    });
    expect(await store.sessionByTokenSha256('h1')).toEqual({
      tokenSha256: 'h1',
      userId: 'id-clerk',
      csrfToken: 'c',
      createdAt: 1,
      expiresAt: 2,
    });
    await store.deleteSessionsOf('id-clerk');
    expect(await store.sessionByTokenSha256('h1')).toBeUndefined();
  });

  it('appends audit rows, per municipality, and refuses to change or delete them', async () => {
    const store = stores.console;
    await store.append({
      municipalityCode: '131016',
      at: 5,
      actor: 'console:clerk',
      action: 'a',
      target: 't',
      restricted: true,
      before: { x: 1 },
      after: { x: 2 },
    });
    await store.append({
      municipalityCode: '172065',
      at: 6,
      actor: 'console:other',
      action: 'b',
      target: 'u',
      restricted: false,
    });
    expect(await store.listAudit('131016')).toEqual([
      expect.objectContaining({
        at: 5,
        actor: 'console:clerk',
        restricted: true,
        before: { x: 1 },
        after: { x: 2 },
      }),
    ]);
    await expect(backend.query(config, "UPDATE console_audit SET actor = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(backend.query(config, 'DELETE FROM console_audit')).rejects.toThrow(/append-only/);
  });

  it('records DV decisions and lists the blocked residents of one municipality', async () => {
    const store = stores.console;
    const resident = await stores.repository.getResident('H0001');
    if (!resident) throw new Error('seed resident H0001 expected');
    await stores.repository.putResident({ ...resident, dvBlock: true });
    await store.putDvDecision({
      holderId: 'H0001',
      municipalityCode: '131016',
      blocked: true,
      setAt: 7,
      setBy: 'console:dv',
    });
    expect(await store.listDvDecisions('131016')).toEqual([
      { holderId: 'H0001', municipalityCode: '131016', blocked: true, setAt: 7, setBy: 'console:dv' },
    ]);
    expect(await store.listDvBlockedHolders('131016')).toContain('H0001');
    expect(await store.listDvBlockedHolders('172065')).not.toContain('H0001');
    expect(await store.listDvBlockedHolders('172065')).toContain('H0008'); // the seed's own DV block
  });
});
