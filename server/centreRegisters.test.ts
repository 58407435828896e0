import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CertificateType } from '../protocol/certificate-types.ts';
import { testSealKeyStore } from './test-support/seal-keys.ts';
import type { SoftwareSealKeyStoreForTests } from './test-support/software-seal-key-store.ts';
import { startCentre, type Centre, type CentreOptions } from './centre.ts';
import type { DatabaseConfig } from './db/openRepository.ts';
import { openCentreStores } from './db/openRepository.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from './test-support/backends.ts';
import { buildSeedRegisters, loadSeedWorld } from './seed/index.ts';
import { createMemoryRegisterStore } from './municipal/register-store.ts';

/**
 * The municipal registers live in the database: what one centre process changes (through the
 * admin API or the kiosk API), every other process on that database sees at the moment of issue,
 * and a restart keeps it.
 */

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST, every municipality open
const TOKENS = { '131016': 'chiyoda-dev-token', '452025': 'miyakonojo-dev-token' };
const TERMINAL = 'S0001-T01';
/** 千代田区 residents with a registered 印鑑 (seed). */
const INKAN_HOLDER = 'H0002';
const INKAN_CONTROL = 'H0005';
/** Lives in 千代田区, 本籍 in 都城市, no 利用登録 on file in the seed. */
const KOSEKI_HOLDER = 'H0043';

type Started = Awaited<ReturnType<typeof startCentre>>;

describe.each(databaseBackends())('municipal registers on $name', (backend) => {
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

  async function start(withAdmin: boolean): Promise<Started> {
    const options: CentreOptions = {
      ...database,
      trustedCaCertificates: [],
      certificateRegistry: [],
      sealKeys: { store: sealKeyStore },
      now: () => NOON_WEDNESDAY,
      logger: false,
    };
    const started = await startCentre({ ...options, ...(withAdmin ? { admin: { tokens: TOKENS } } : {}) });
    running.push(started);
    return started;
  }

  async function stop(started: Started): Promise<void> {
    running.splice(running.indexOf(started), 1);
    await started.close();
  }

  /** A transaction authenticated for `holderId` (the card check itself is tested elsewhere). */
  async function authenticated(centre: Centre, holderId: string): Promise<string> {
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

  const issue = (centre: Centre, transactionId: string, certificateType: CertificateType) =>
    centre.service.issue({ transactionId, terminalId: TERMINAL, certificateType, copies: 1 });

  async function admin(started: Started, method: string, path: string, token: string, body?: unknown) {
    if (!started.adminUrl) throw new Error('admin API not started');
    const response = await fetch(`${started.adminUrl}/admin/v1/municipalities/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('serves the admin API on loopback only, next to the centre, with per-municipality tokens', async () => {
    const a = await start(true);
    expect(a.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.adminUrl).not.toBe(a.url);
    const list = await admin(a, 'GET', '452025/koseki-registrations', TOKENS['452025']);
    expect(list.status).toBe(200);
    expect(await admin(a, 'GET', '452025/koseki-registrations', TOKENS['131016'])).toMatchObject({
      status: 401,
    });
    const b = await start(false);
    expect(b.adminUrl).toBeUndefined();
  });

  it('an 印鑑登録 abolished through one centre is refused by another on the same database', async () => {
    const a = await start(true);
    const b = await start(false);
    const before = await authenticated(b.centre, INKAN_HOLDER);
    expect((await issue(b.centre, before, 'inkan')).ok).toBe(true);

    const abolished = await admin(a, 'POST', `131016/inkan/${INKAN_HOLDER}/abolish`, TOKENS['131016'], {});
    expect(abolished).toEqual({ status: 200, json: { holderId: INKAN_HOLDER, status: 'abolished' } });

    const after = await authenticated(b.centre, INKAN_HOLDER);
    expect(await issue(b.centre, after, 'inkan')).toMatchObject({
      ok: false,
      error: { kind: 'no-registration', detail: 'no-registration' },
    });
    // Only that registration: another resident's 印鑑 still issues through b.
    const control = await authenticated(b.centre, INKAN_CONTROL);
    expect((await issue(b.centre, control, 'inkan')).ok).toBe(true);
    // A second abolition, through either process, finds nothing to abolish.
    expect(await b.centre.registers.abolishInkan(INKAN_HOLDER, '2026-11-25')).toBe('not-registered');
    expect(
      await admin(a, 'POST', `131016/inkan/${INKAN_HOLDER}/abolish`, TOKENS['131016'], {}),
    ).toMatchObject({
      status: 409,
    });
  });

  it('a 利用登録 filed through one centre, approved through the admin API, lets 戸籍 issue through the other', async () => {
    const a = await start(true);
    const b = await start(false);
    const tx = await authenticated(a.centre, KOSEKI_HOLDER);
    const filed = await a.centre.service.kosekiRegistration({ transactionId: tx, terminalId: TERMINAL });
    if (!filed.ok) throw new Error(`filing refused: ${filed.error.kind}`);
    expect(filed.value).toMatchObject({ status: 'pending', municipality: { code: '452025' } });

    // Filing again through the other process answers the same request.
    const txB = await authenticated(b.centre, KOSEKI_HOLDER);
    const again = await b.centre.service.kosekiRegistration({ transactionId: txB, terminalId: TERMINAL });
    expect(again.ok && again.value.requestId).toBe(filed.value.requestId);
    expect(await issue(b.centre, txB, 'koseki-kojin')).toMatchObject({
      ok: false,
      error: { kind: 'registration-needed', detail: 'registration-needed' },
    });

    const pending = await admin(a, 'GET', '452025/koseki-registrations?status=pending', TOKENS['452025']);
    expect(pending.json.registrations).toEqual([
      expect.objectContaining({
        requestId: filed.value.requestId,
        holderId: KOSEKI_HOLDER,
        status: 'pending',
      }),
    ]);
    const decision = `452025/koseki-registrations/${filed.value.requestId}/decision`;
    expect(await admin(a, 'POST', decision, TOKENS['452025'], { decision: 'approved' })).toMatchObject({
      status: 200,
      json: { status: 'approved' },
    });

    const issued = await issue(b.centre, txB, 'koseki-kojin');
    if (!issued.ok) throw new Error(`koseki refused: ${issued.error.kind} ${issued.error.detail ?? ''}`);
    expect(issued.value.document.municipality.code).toBe('452025');
    expect(await admin(a, 'POST', decision, TOKENS['452025'], { decision: 'rejected' })).toMatchObject({
      status: 409,
    });
  });

  it('files one 利用登録 when two centres file the same request at once', async () => {
    const a = await start(false);
    const b = await start(false);
    const filings = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).centre.registers.fileUseRegistration(KOSEKI_HOLDER, '452025', 1_000 + i),
      ),
    );
    expect(new Set(filings.map((f) => f.requestId)).size).toBe(1);
    const mine = (await a.centre.registers.listUseRegistrations('452025')).filter(
      (r) => r.holderId === KOSEKI_HOLDER,
    );
    expect(mine).toHaveLength(1);
    // Once rejected, a new request may be filed (and is then the one on file).
    await b.centre.registers.decideUseRegistration(mine[0]!.requestId, 'rejected', 5_000);
    const refiled = await a.centre.registers.fileUseRegistration(KOSEKI_HOLDER, '452025', 6_000);
    expect(refiled.requestId).not.toBe(mine[0]!.requestId);
    expect(await b.centre.registers.useRegistrationOf(KOSEKI_HOLDER, '452025')).toEqual(refiled);
  });

  it('keeps abolitions and decisions across a restart that loads the register again', async () => {
    const a = await start(true);
    await admin(a, 'POST', `131016/inkan/${INKAN_HOLDER}/abolish`, TOKENS['131016'], {
      onDate: '2026-11-20',
    });
    const tx = await authenticated(a.centre, KOSEKI_HOLDER);
    const filed = await a.centre.service.kosekiRegistration({ transactionId: tx, terminalId: TERMINAL });
    if (!filed.ok) throw new Error(filed.error.kind);
    await admin(
      a,
      'POST',
      `452025/koseki-registrations/${filed.value.requestId}/decision`,
      TOKENS['452025'],
      {
        decision: 'approved',
      },
    );
    await stop(a);

    const restarted = await start(false); // loads (upserts) the seed registers again
    expect(await restarted.centre.registers.inkanOf(INKAN_HOLDER)).toMatchObject({
      status: 'abolished',
      abolishedOn: '2026-11-20',
    });
    expect(await restarted.centre.registers.useRegistrationOf(KOSEKI_HOLDER, '452025')).toMatchObject({
      requestId: filed.value.requestId,
      status: 'approved',
      decidedAt: NOON_WEDNESDAY.getTime(),
    });
    const inkanTx = await authenticated(restarted.centre, INKAN_HOLDER);
    expect(await issue(restarted.centre, inkanTx, 'inkan')).toMatchObject({ ok: false });
    const kosekiTx = await authenticated(restarted.centre, KOSEKI_HOLDER);
    expect((await issue(restarted.centre, kosekiTx, 'koseki-kojin')).ok).toBe(true);
  });

  it("reads a menu's registers together exactly as the single reads answer them, for every resident", async () => {
    const world = loadSeedWorld();
    const seed = buildSeedRegisters(world);
    const { repository, registers } = await openCentreStores(database);
    const inMemory = createMemoryRegisterStore(seed);
    try {
      await registers.load(seed);
      // An abolition and a decision recorded after the load, as a centre's day makes them.
      const registered = seed.inkan.find((r) => r.status === 'registered')!;
      await registers.abolishInkan(registered.holderId, '2026-11-25');
      await inMemory.abolishInkan(registered.holderId, '2026-11-25');
      let withInkan = 0;
      let withUse = 0;
      for (const resident of world.residents) {
        const holderId = resident.holderId;
        const honsekiCode = resident.honseki?.municipalityCode;
        const single = {
          ...(await registers.inkanOf(holderId).then((inkan) => (inkan ? { inkan } : {}))),
          ...(honsekiCode === undefined
            ? {}
            : await registers
                .useRegistrationOf(holderId, honsekiCode)
                .then((useRegistration) => (useRegistration ? { useRegistration } : {}))),
          taxYears: await registers.taxYearsOf(holderId),
        };
        const asked = { inkan: true, taxYears: true, ...(honsekiCode === undefined ? {} : { honsekiCode }) };
        expect(await registers.menuRegistersOf(holderId, asked)).toEqual(single);
        expect(await inMemory.menuRegistersOf(holderId, asked)).toEqual(single);
        expect(await registers.menuRegistersOf(holderId, { inkan: false, taxYears: false })).toEqual({
          taxYears: [],
        });
        if (single.inkan) withInkan++;
        if (single.useRegistration) withUse++;
      }
      // The seed has each kind, so the comparison above covered them.
      expect(withInkan).toBeGreaterThan(10);
      expect(withUse).toBeGreaterThan(0);
      expect(
        (await registers.menuRegistersOf(registered.holderId, { inkan: true, taxYears: false })).inkan,
      ).toMatchObject({
        status: 'abolished',
        abolishedOn: '2026-11-25',
      });
    } finally {
      await repository.close();
    }
  });

  it('loads the seed registers unchanged and answers them like the seed', async () => {
    const seed = buildSeedRegisters(loadSeedWorld());
    const { repository, registers } = await openCentreStores(database);
    try {
      await registers.load(seed);
      await registers.load(seed); // a second load changes nothing
      const abolished = seed.inkan.find((r) => r.status === 'abolished')!;
      expect(await registers.inkanOf(abolished.holderId)).toEqual(abolished);
      expect(await registers.abolishInkan(abolished.holderId, '2026-11-25')).toBe('not-registered');
      const tax = seed.taxes.find((t) => t.holderId === 'H0001')!;
      expect(await registers.taxAssessment('H0001', tax.fiscalYear)).toEqual(tax);
      expect(await registers.taxYearsOf('H0001')).toEqual(
        seed.taxes
          .filter((t) => t.holderId === 'H0001')
          .map((t) => t.fiscalYear)
          .sort((x, y) => y - x),
      );
      expect(await registers.kosekiOf(seed.koseki[0]!.kosekiId)).toEqual(seed.koseki[0]);
      expect(await registers.fuhyoOf(seed.fuhyo[0]!.holderId)).toEqual(seed.fuhyo[0]);
      const use = seed.kosekiUseRegistrations[0]!;
      expect(await registers.getUseRegistration(use.requestId)).toEqual(use);
      expect(await registers.inkanOf('nobody')).toBeUndefined();
      expect(await registers.kosekiOf('nothing')).toBeUndefined();
      expect(await registers.decideUseRegistration('NOSUCHREQUEST', 'approved', 1)).toBeUndefined();
    } finally {
      await repository.close();
    }
  });
});
