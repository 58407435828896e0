import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteDatabase, openSqliteRepository, sqliteRepositoryOn } from './sqliteRepository.ts';
import { openPostgresRepository } from './postgresRepository.ts';
import { DatabaseConfigError, openCentreRepository, type DatabaseConfig } from './openRepository.ts';
import { loadRegister } from './seedLoader.ts';
import { MIGRATIONS } from './migrations.ts';
import type { CentreRepository } from './repository.ts';
import type { BillingRecord, IssuedDocumentRecord, SessionRecord } from './records.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { sessionRecord } from '../test-support/kiosk-records.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';

const TX = '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10';

const session = (overrides: Partial<SessionRecord> = {}) => sessionRecord(TX, overrides);

const issued: IssuedDocumentRecord = {
  transactionId: TX,
  holderId: 'H0001',
  municipalityCode: '131016',
  certificateType: 'juminhyo',
  copies: 2,
  documentJson: '{"first":true}',
  seal: new Uint8Array([1, 2, 3]),
  issuedAt: 1_790_000_000_000,
};
const billing: BillingRecord = {
  transactionId: TX,
  municipalityCode: '131016',
  certificateType: 'juminhyo',
  copies: 2,
  feeYenTotal: 400,
  billedAt: 1_790_000_000_000,
};

describe.each(databaseBackends())('$name repository', (backend) => {
  let database: DatabaseConfig;
  let repo: CentreRepository;
  /** Opens the dialect's repository directly on the test's database. */
  const open = async (): Promise<CentreRepository> =>
    database.databasePath !== undefined
      ? openSqliteRepository(database.databasePath)
      : openPostgresRepository(database.databaseUrl!);
  const column = async (sql: string, name: string) =>
    (await backend.query(database, sql)).map((row) => row[name]);
  beforeAll(() => backend.setup(), BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());
  beforeEach(async () => {
    database = await backend.fresh();
    repo = await open();
    await loadRegister(repo, loadSeedWorld());
  });
  afterEach(async () => {
    await repo.close();
  });

  it('applies every migration once and records them', async () => {
    await repo.close();
    repo = await open(); // re-open: nothing re-applied, nothing fails
    expect(await column('SELECT version FROM schema_migrations ORDER BY version', 'version')).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
  });

  it('stores the register without PINs and lists current household members in order', async () => {
    const members = await repo.listHouseholdMembers('HH001');
    expect(members.map((m) => m.holderId)).toEqual(['H0001', 'H0002', 'H0003', 'H0004', 'H0005']);
    const dump = JSON.stringify(await column('SELECT record_json FROM residents', 'record_json'));
    expect(dump).not.toContain('authPin');
    expect(dump).not.toContain('YAMADA2026');
    expect(await repo.listHouseholdMembers('HH005')).toEqual([]); // moved out
    expect((await repo.getMunicipality('172065'))?.offerings.juminhyo?.feeYen).toBe(250);
    expect((await repo.getResident('H0006'))?.name).toBe('髙橋 健一');
    expect(await repo.getHousehold('HH002')).toEqual({
      householdId: 'HH002',
      municipalityCode: '131016',
      address: '東京都千代田区神田小川町一丁目8番3-502号',
    });
  });

  it('loads the whole generated register and upserts it again without duplicates', async () => {
    const world = loadSeedWorld();
    expect(world.residents.length).toBeGreaterThanOrEqual(1012);
    await loadRegister(repo, world); // second load: updates in place
    const last = world.residents.at(-1)!;
    expect((await repo.getResident(last.holderId))?.name).toBe(last.name);
    const members = await repo.listHouseholdMembers(last.householdId);
    expect(new Set(members.map((m) => m.holderId)).size).toBe(members.length);
    expect((await column('SELECT record_json FROM residents', 'record_json')).length).toBe(
      world.residents.length,
    );
  });

  it("reads a resident's home in one call as the single reads give it, the 本籍 only when asked", async () => {
    const resident = await repo.getResident('H0001');
    const household = await repo.getHousehold(resident!.householdId);
    const residence = await repo.getMunicipality(household!.municipalityCode);
    const honseki = await repo.getMunicipality(resident!.honseki!.municipalityCode);
    expect(honseki?.code).not.toBe(residence?.code);
    expect(await repo.getResidentHome('H0001', true)).toEqual({ resident, household, residence, honseki });
    expect(await repo.getResidentHome('H0001', false)).toEqual({ resident, household, residence });
    const withoutHonseki = loadSeedWorld().residents.find((r) => r.honseki === undefined)!;
    expect(Object.keys((await repo.getResidentHome(withoutHonseki.holderId, true))!).sort()).toEqual([
      'household',
      'residence',
      'resident',
    ]);
    expect(await repo.getResidentHome('H9999', true)).toBeUndefined();
  });

  it('refuses invalid municipality config', async () => {
    const bad = { ...(await repo.getMunicipality('131016'))!, code: '13101' };
    await expect(repo.putMunicipality(bad)).rejects.toThrow();
    await expect(
      repo.putRegister({ municipalities: [bad], households: [], residents: [] }),
    ).rejects.toThrow();
  });

  it('consumes a challenge once, only with its binding and before expiry', async () => {
    await repo.putChallenge({ challenge: 'c1', terminalId: 'S1-T1', transactionId: TX, expiresAt: 1000 });
    expect(await repo.consumeChallenge('nope', 'S1-T1', TX, 10)).toEqual({ kind: 'unknown' });
    expect(await repo.consumeChallenge('c1', 'S1-T2', TX, 10)).toEqual({ kind: 'wrong-binding' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 1000)).toEqual({ kind: 'expired' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 999)).toEqual({ kind: 'consumed' });
    expect(await repo.consumeChallenge('c1', 'S1-T1', TX, 999)).toEqual({ kind: 'used' });
  });

  it('keeps expired challenges until purged, and purges only those expired before the bound', async () => {
    for (const [challenge, expiresAt] of [
      ['old1', 100],
      ['old2', 199],
      ['young', 200],
    ] as const)
      await repo.putChallenge({ challenge, terminalId: 'S1-T1', transactionId: TX, expiresAt });
    expect(await repo.consumeChallenge('old1', 'S1-T1', TX, 500)).toEqual({ kind: 'expired' });
    expect(await repo.purgeChallenges(200)).toBe(2);
    expect(await repo.purgeChallenges(200)).toBe(0);
    expect(await repo.consumeChallenge('old1', 'S1-T1', TX, 500)).toEqual({ kind: 'unknown' });
    expect(await repo.consumeChallenge('young', 'S1-T1', TX, 500)).toEqual({ kind: 'expired' });
  });

  it('lets exactly one of many concurrent consumers have a challenge', async () => {
    await repo.putChallenge({ challenge: 'c2', terminalId: 'S1-T1', transactionId: TX, expiresAt: 5000 });
    const results = await Promise.all(
      Array.from({ length: 16 }, () => repo.consumeChallenge('c2', 'S1-T1', TX, 100)),
    );
    expect(results.filter((r) => r.kind === 'consumed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'used')).toHaveLength(15);
  });

  it('keeps a transaction bound to the first card', async () => {
    expect(await repo.saveSession(session())).toEqual({ kind: 'saved' });
    expect(await repo.saveSession(session({ authenticatedAt: 5 }))).toEqual({ kind: 'saved' });
    expect(
      await repo.saveSession(session({ holderId: 'H0002', certificateFingerprint: 'b'.repeat(64) })),
    ).toEqual({ kind: 'bound-to-other-card' });
    expect(await repo.getSession(TX)).toEqual(session({ authenticatedAt: 5 }));
  });

  it('binds a transaction to one card when two cards race for it', async () => {
    const cards = Array.from({ length: 12 }, (_, i) =>
      session({
        holderId: i % 2 ? 'H0002' : 'H0001',
        certificateFingerprint: (i % 2 ? 'b' : 'a').repeat(64),
      }),
    );
    const results = await Promise.all(cards.map((s) => repo.saveSession(s)));
    const stored = await repo.getSession(TX);
    cards.forEach((card, i) => {
      expect(results[i]).toEqual(
        card.certificateFingerprint === stored?.certificateFingerprint
          ? { kind: 'saved' }
          : { kind: 'bound-to-other-card' },
      );
    });
  });

  it('records an issuance and its billing exactly once', async () => {
    await repo.saveSession(session());
    expect(await repo.recordIssuance(issued, billing)).toEqual(issued);
    const again = await repo.recordIssuance(
      { ...issued, documentJson: '{"second":true}', seal: new Uint8Array([9]) },
      billing,
    );
    expect(again.documentJson).toBe('{"first":true}');
    expect(Array.from(again.seal)).toEqual([1, 2, 3]);
    expect(await repo.listBillingRecords()).toEqual([{ ...billing, state: 'pending' }]);
    expect(await repo.getIssuedDocument(TX)).toEqual(issued);
  });

  it('reads a session with whether it was issued and whether its certificate is revoked now', async () => {
    expect(await repo.getSessionStanding(TX)).toBeUndefined();
    await repo.saveSession(session());
    expect(await repo.getSessionStanding(TX)).toEqual({
      session: session(),
      issued: false,
      certificateRevoked: false,
    });
    await repo.recordIssuance(issued, billing);
    await repo.revokeCertificate('ca', '1', 3);
    expect(await repo.getSessionStanding(TX)).toEqual({
      session: session(),
      issued: true,
      certificateRevoked: true,
    });
    await repo.revokeCertificate('ca', '2', 3); // another certificate of the same CA, another serial
    await repo.saveSession(session({ transactionId: TX.replace('10', '11'), serialNumberHex: '3' }));
    expect(await repo.getSessionStanding(TX.replace('10', '11'))).toMatchObject({
      issued: false,
      certificateRevoked: false,
    });
  });

  it('purges a document by its stored hash, and one without a stored hash only with a hash given', async () => {
    await repo.saveSession(session());
    await repo.recordIssuance(issued, billing); // no documentSha256: a row as before migration 9
    expect(await repo.purgeIssuedDocument(TX, undefined, 10)).toBe(false);
    expect((await repo.getIssuedDocument(TX))?.documentJson).toBe(issued.documentJson);
    expect(await repo.purgeIssuedDocument(TX, 'e'.repeat(64), 10)).toBe(true);
    expect(await repo.getIssuedDocument(TX)).toMatchObject({
      documentJson: '',
      purgedAt: 10,
      documentSha256: 'e'.repeat(64),
    });
    const other = TX.replace('10', '12');
    await repo.saveSession(session({ transactionId: other }));
    await repo.recordIssuance(
      { ...issued, transactionId: other, documentSha256: 'd'.repeat(64) },
      { ...billing, transactionId: other },
    );
    expect(await repo.purgeIssuedDocument(other, undefined, 11)).toBe(true);
    expect(await repo.getIssuedDocument(other)).toMatchObject({
      documentJson: '',
      purgedAt: 11,
      documentSha256: 'd'.repeat(64),
    });
    expect(await repo.purgeIssuedDocument(other, undefined, 12)).toBe(false);
  });

  it('answers a new issuance with its hashes exactly as a later read returns it', async () => {
    await repo.saveSession(session());
    const hashed = { ...issued, requestSha256: 'r'.repeat(64), documentSha256: 'd'.repeat(64) };
    const stored = await repo.recordIssuance(hashed, billing);
    expect(stored).toEqual(hashed);
    expect(stored.seal).not.toBe(hashed.seal);
    expect(await repo.getIssuedDocument(TX)).toEqual(stored);
  });

  it('keeps one issuance and one billing record when many requests for a transaction collide', async () => {
    await repo.saveSession(session());
    const attempts = Array.from({ length: 16 }, (_, i) => ({
      ...issued,
      documentJson: JSON.stringify({ attempt: i }),
      seal: new Uint8Array([i]),
    }));
    const results = await Promise.all(attempts.map((a) => repo.recordIssuance(a, billing)));
    const winner = results[0]!;
    for (const r of results) expect(r).toEqual(winner);
    expect(attempts.some((a) => a.documentJson === winner.documentJson)).toBe(true);
    expect(await repo.listBillingRecords()).toEqual([{ ...billing, state: 'pending' }]);
  });

  it('settles a pending billing row once from the delivery report; repeats answer the same, others conflict', async () => {
    await repo.saveSession(session());
    expect(await repo.recordDelivery(TX, { outcome: 'delivered', copies: 1, at: 5 })).toEqual({
      kind: 'not-issued',
    });
    await repo.recordIssuance(issued, billing);
    expect(await repo.recordDelivery(TX, { outcome: 'delivered', copies: 3, at: 5 })).toEqual({
      kind: 'bad-copies',
    });
    const settled = {
      ...billing,
      state: 'billed',
      settlement: { outcome: 'delivered', copies: 1, billedYen: 200, settledAt: 5 },
    };
    // Many reports at once (a retry racing the first): one settlement.
    const reports = await Promise.all(
      Array.from({ length: 8 }, () => repo.recordDelivery(TX, { outcome: 'delivered', copies: 1, at: 5 })),
    );
    for (const r of reports) expect(r).toEqual({ kind: 'recorded', entry: settled });
    expect(await repo.recordDelivery(TX, { outcome: 'voided', copies: 0, at: 6 })).toEqual({
      kind: 'conflict',
      entry: settled,
    });
    expect(await repo.listBillingRecords()).toEqual([settled]);
  });

  it('settles a billing row once when different reports race: the first stands, the others conflict with it', async () => {
    await repo.saveSession(session());
    await repo.recordIssuance(issued, billing);
    // Connections opened beforehand (PostgreSQL's pool), so the reports do run at the same time.
    await Promise.all(Array.from({ length: 9 }, () => repo.getIssuedDocument(TX)));
    const reports = [
      { outcome: 'delivered', copies: 1, at: 5 },
      { outcome: 'voided', copies: 0, at: 6 },
      { outcome: 'delivered', copies: 2, at: 7, proof: { signature: 'sig', reportedAt: 7 } },
    ] as const;
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) => repo.recordDelivery(TX, reports[i % reports.length]!)),
    );
    const [listed] = await repo.listBillingRecords();
    const won = answers.filter((a) => a.kind === 'recorded');
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const answer of answers) {
      expect(['recorded', 'conflict']).toContain(answer.kind);
      expect(answer).toHaveProperty('entry', listed);
    }
    const winner = reports.find(
      (r) => r.outcome === listed!.settlement!.outcome && r.at === listed!.settlement!.settledAt,
    )!;
    expect(won).toHaveLength(answers.filter((_, i) => reports[i % reports.length] === winner).length);
  });

  it('maps (CA, serial) to a holder and tracks revocation per CA', async () => {
    await repo.registerCertificate({ caFingerprint: 'ca1', serialNumberHex: '0a', holderId: 'H0001' });
    await repo.registerCertificates([
      { caFingerprint: 'ca2', serialNumberHex: '0a', holderId: 'H0002' },
      { caFingerprint: 'ca2', serialNumberHex: '0b', holderId: 'H0003' },
    ]);
    expect((await repo.certificateStanding('ca1', '0a')).holderId).toBe('H0001');
    expect((await repo.certificateStanding('ca2', '0a')).holderId).toBe('H0002');
    expect((await repo.certificateStanding('ca2', '0b')).holderId).toBe('H0003');
    expect((await repo.certificateStanding('ca3', '0a')).holderId).toBeUndefined();
    await repo.revokeCertificate('ca1', '0a', 5);
    await repo.revokeCertificate('ca1', '0a', 6); // again: no error
    expect(await repo.isCertificateRevoked('ca1', '0a')).toBe(true);
    expect(await repo.isCertificateRevoked('ca2', '0a')).toBe(false);
    expect(await repo.certificateStanding('ca1', '0a')).toEqual({ holderId: 'H0001', revoked: true });
    expect(await repo.certificateStanding('ca2', '0a')).toEqual({ holderId: 'H0002', revoked: false });
    expect(await repo.certificateStanding('ca3', '0a')).toEqual({ revoked: false });
    await repo.revokeCertificate('ca3', '0a', 7);
    expect(await repo.certificateStanding('ca3', '0a')).toEqual({ revoked: true });
  });

  it('changes seal keys atomically with their audit events: one active key per municipality', async () => {
    const key = (kid: string, createdAt: number, municipalityCode = '131016') => ({
      kid,
      municipalityCode,
      publicKeySpkiDer: new Uint8Array([3, 4, kid.length]),
      createdAt,
      validFrom: createdAt,
      validTo: createdAt + 1000,
      status: 'active' as const,
    });
    const event = (action: 'created' | 'retired' | 'revoked', kid: string) => ({
      at: 1,
      actor: 'centre',
      action,
      kid,
      municipalityCode: '131016',
      detail: 'test',
    });
    const v0 = await repo.sealKeysVersion();
    expect(
      await repo.changeSealKeys({ insert: key('k1', 1_790_000_000_000), events: [event('created', 'k1')] }),
    ).toBe('done');
    // A second active key for the municipality is a conflict, and writes nothing (not even its event).
    expect(
      await repo.changeSealKeys({ insert: key('k2', 1_790_000_000_100), events: [event('created', 'k2')] }),
    ).toBe('conflict');
    expect((await repo.listMunicipalityKeys()).map((k) => k.kid)).toEqual(['k1']);
    const v1 = await repo.sealKeysVersion();
    expect(v1).toBeGreaterThan(v0);
    // Rotation: retire k1 and insert k2 in one change.
    expect(
      await repo.changeSealKeys({
        retire: { kid: 'k1' },
        insert: key('k2', 1_790_000_000_500),
        events: [event('retired', 'k1'), event('created', 'k2')],
      }),
    ).toBe('done');
    // Retiring k1 again (another centre rotated first) is a conflict.
    expect(
      await repo.changeSealKeys({ retire: { kid: 'k1' }, insert: key('k3', 1_790_000_000_600), events: [] }),
    ).toBe('conflict');
    expect(
      await repo.changeSealKeys({
        revoke: { kid: 'k1', revokedAt: 1_790_000_000_200 },
        events: [event('revoked', 'k1')],
      }),
    ).toBe('done');
    expect(
      await repo.changeSealKeys({ revoke: { kid: 'k1', revokedAt: 1_790_000_000_300 }, events: [] }),
    ).toBe('conflict');
    const keys = await repo.listMunicipalityKeys();
    expect(keys.map((k) => [k.kid, k.status, k.revokedAt])).toEqual([
      ['k1', 'revoked', 1_790_000_000_200],
      ['k2', 'active', undefined],
    ]);
    expect(keys[1]).toEqual(key('k2', 1_790_000_000_500));
    expect((await repo.listSealKeyEvents('131016')).map((e) => `${e.action} ${e.kid}`)).toEqual([
      'created k1',
      'retired k1',
      'created k2',
      'revoked k1',
    ]);
    expect(await repo.listSealKeyEvents('172065')).toEqual([]);
    expect(await repo.sealKeysVersion()).toBeGreaterThan(v1);
  });
});

describe('SQLite specifics', () => {
  const synchronous = (db: Database.Database) => db.pragma('synchronous', { simple: true });
  const FULL = 2;

  it('commits with synchronous FULL, also on a database reopened in WAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centre-db-'));
    try {
      openSqliteDatabase(join(dir, 'c.sqlite')).close();
      const db = openSqliteDatabase(join(dir, 'c.sqlite'));
      db.prepare('SELECT count(*) FROM residents').get();
      expect(synchronous(db)).toBe(FULL);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is back at synchronous FULL after challenge, session and register writes, also after a refused one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'centre-db-'));
    const db = openSqliteDatabase(join(dir, 'c.sqlite'));
    try {
      const repo = sqliteRepositoryOn(db);
      await repo.putChallenge({ challenge: 'c', terminalId: 'S1-T1', transactionId: TX, expiresAt: 10 });
      expect(synchronous(db)).toBe(FULL);
      expect(await repo.consumeChallenge('c', 'S1-T1', TX, 1)).toEqual({ kind: 'consumed' });
      expect(synchronous(db)).toBe(FULL);
      // No such resident: the foreign key refuses the session.
      await expect(repo.saveSession(session({ holderId: 'nobody' }))).rejects.toThrow();
      expect(synchronous(db)).toBe(FULL);
      await repo.putRegister({ municipalities: [], households: [], residents: [] });
      await repo.registerCertificates([]);
      expect(synchronous(db)).toBe(FULL);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses WAL on files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'centre-db-'));
    try {
      openSqliteRepository(join(dir, 'c.sqlite')).close();
      const db = new Database(join(dir, 'c.sqlite'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openCentreRepository', () => {
  it('refuses a configuration without a database or with a non-PostgreSQL URL', async () => {
    await expect(openCentreRepository({})).rejects.toBeInstanceOf(DatabaseConfigError);
    await expect(openCentreRepository({ databaseUrl: 'mysql://x' })).rejects.toBeInstanceOf(
      DatabaseConfigError,
    );
  });

  it('opens SQLite from a path', async () => {
    const repo = await openCentreRepository({ databasePath: ':memory:' });
    await loadRegister(repo, loadSeedWorld());
    expect((await repo.getResident('H0001'))?.name).toBe('山田 太郎');
    await repo.close();
  });
});
