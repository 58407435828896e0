import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CertificateType } from '../protocol/certificate-types.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import type { SoftwareSealKeyStoreForTests } from './test-support/software-seal-key-store.ts';
import { startCentre, type Centre, type CentreOptions } from './centre.ts';
import type { DatabaseConfig } from './db/openRepository.ts';
import { openCentreStores } from './db/openRepository.ts';
import type { MunicipalityRecord } from './db/records.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from './test-support/backends.ts';
import { loadSeedWorld } from './seed/index.ts';
import type { SeedWorld } from './seed/types.ts';

/**
 * Municipal rules changed through the admin API are the municipality's: every centre process on
 * the database sees them, and a restart (which loads the seed register again) keeps them. A fresh
 * database gets the seed rules, and a changed seed still updates the rules the seed owns.
 */

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST, every municipality open
const TOKENS = { '131016': 'chiyoda-dev-token', '452025': 'miyakonojo-dev-token' };
const TERMINAL = 'S0001-T01';
/** 千代田区 child born 2016: refused while 千代田区 keeps its minimum age of 15. */
const CHILD = 'H0004';
const CHIYODA = '131016';
const KAGA = '172065';
const SEED_NOTICE = { id: 's1', ja: '年末年始は休止します。' };

type Started = Awaited<ReturnType<typeof startCentre>>;

describe.each(databaseBackends())('municipal rules on $name', (backend) => {
  let database: DatabaseConfig;
  let sealKeyStore: SoftwareSealKeyStoreForTests;
  const running: Started[] = [];

  beforeAll(() => backend.setup(), BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());
  beforeEach(async () => {
    database = await backend.fresh();
    sealKeyStore = await testSealKeyStore(); // the centres on one database share one key store
  });
  afterEach(async () => {
    for (const centre of running.splice(0)) await centre.close();
  });

  async function start(opts: { admin?: boolean; now?: Date; world?: SeedWorld } = {}): Promise<Started> {
    const at = opts.now ?? NOON_WEDNESDAY;
    const options: CentreOptions = {
      ...database,
      trustedCaCertificates: [],
      certificateRegistry: [],
      sealKeys: { store: sealKeyStore },
      now: () => at,
      logger: false,
      ...(opts.world ? { world: opts.world } : {}),
    };
    const started = await startCentre({ ...options, ...(opts.admin ? { admin: { tokens: TOKENS } } : {}) });
    running.push(started);
    return started;
  }

  async function stop(started: Started): Promise<void> {
    running.splice(running.indexOf(started), 1);
    await started.close();
  }

  async function issueFor(centre: Centre, holderId: string, certificateType: CertificateType) {
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
    return centre.service.issue({ transactionId, terminalId: TERMINAL, certificateType, copies: 1 });
  }

  async function putRules(started: Started, code: keyof typeof TOKENS, rules: MunicipalityRecord) {
    const response = await fetch(`${started.adminUrl}/admin/v1/municipalities/${code}/rules`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKENS[code]}`, 'content-type': 'application/json' },
      body: JSON.stringify(rules),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  const seedRules = (code: string) => loadSeedWorld().municipalities.find((m) => m.code === code)!;

  it('gives a fresh database the seed rules, recorded as the seed’s', async () => {
    const a = await start();
    expect(await a.centre.repository.getMunicipality(CHIYODA)).toEqual(seedRules(CHIYODA));
    expect(await a.centre.repository.getRulesProvenance(CHIYODA)).toEqual({
      setBy: 'seed',
      setAt: NOON_WEDNESDAY.getTime(),
    });
    expect(await issueFor(a.centre, CHILD, 'juminhyo')).toMatchObject({
      ok: false,
      error: { kind: 'age-restricted' },
    });
    expect(await a.centre.repository.getRulesProvenance('999999')).toBeUndefined();
  });

  it('an admin rules change is seen by another centre at once and survives restarts of both', async () => {
    const a = await start({ admin: true });
    const b = await start();
    const { minimumAge: _dropped, ...withoutAge } = seedRules(CHIYODA);
    const later = new Date(NOON_WEDNESDAY.getTime() + 60_000);

    expect(await putRules(a, '131016', withoutAge)).toEqual({
      status: 200,
      json: { code: CHIYODA, status: 'saved', setAt: '2026-11-25T12:00:00+09:00' },
    });
    expect((await issueFor(b.centre, CHILD, 'juminhyo')).ok).toBe(true);

    await stop(a);
    await stop(b);
    const restarted = await start({ now: later }); // loads the seed register again
    expect(await restarted.centre.repository.getMunicipality(CHIYODA)).toEqual(withoutAge);
    expect(await restarted.centre.repository.getRulesProvenance(CHIYODA)).toEqual({
      setBy: 'admin',
      setAt: NOON_WEDNESDAY.getTime(),
    });
    expect((await issueFor(restarted.centre, CHILD, 'juminhyo')).ok).toBe(true);
    // Another municipality's rules stay the seed's, untouched by the unchanged seed.
    expect(await restarted.centre.repository.getRulesProvenance(KAGA)).toEqual({
      setBy: 'seed',
      setAt: NOON_WEDNESDAY.getTime(),
    });
  });

  it('a changed seed updates the rules it owns and never those a municipality set', async () => {
    const a = await start({ admin: true });
    const adminRules = { ...seedRules(CHIYODA), notices: [{ id: 'a1', ja: '窓口は12月1日休業です。' }] };
    expect((await putRules(a, '131016', adminRules)).status).toBe(200);
    await stop(a);

    const world = loadSeedWorld();
    const changedSeed: SeedWorld = {
      ...world,
      municipalities: world.municipalities.map((m) =>
        m.code === CHIYODA || m.code === KAGA ? { ...m, notices: [SEED_NOTICE] } : m,
      ),
    };
    const reload = new Date(NOON_WEDNESDAY.getTime() + 86_400_000);
    const restarted = await start({ world: changedSeed, now: reload });
    const repository = restarted.centre.repository;
    expect(await repository.getMunicipality(CHIYODA)).toEqual(adminRules);
    expect(await repository.getMunicipality(KAGA)).toEqual({ ...seedRules(KAGA), notices: [SEED_NOTICE] });
    expect(await repository.getRulesProvenance(KAGA)).toEqual({ setBy: 'seed', setAt: reload.getTime() });
    // An unchanged seed row keeps the time the seed last changed it.
    expect(await repository.getRulesProvenance('452025')).toEqual({
      setBy: 'seed',
      setAt: NOON_WEDNESDAY.getTime(),
    });
  });

  it('migrates a database holding rules from before provenance: they count as the seed’s', async () => {
    const stale = JSON.stringify({ ...seedRules(CHIYODA), notices: [SEED_NOTICE] });
    await backend.migrateTo(database, 5);
    await backend.query(
      database,
      `INSERT INTO municipalities (code, config_json) VALUES ('${CHIYODA}', '${stale.replaceAll("'", "''")}')`,
    );
    const { repository } = await openCentreStores(database);
    try {
      expect(await repository.getRulesProvenance(CHIYODA)).toEqual({ setBy: 'seed' });
    } finally {
      await repository.close();
    }
    const a = await start();
    expect(await a.centre.repository.getMunicipality(CHIYODA)).toEqual(seedRules(CHIYODA));
    expect(await a.centre.repository.getRulesProvenance(CHIYODA)).toEqual({
      setBy: 'seed',
      setAt: NOON_WEDNESDAY.getTime(),
    });
  });
});
