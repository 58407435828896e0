import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { checkPageSeals, holderBindingFor } from '../../protocol/seal.ts';
import { openCentreRepository, type DatabaseConfig } from '../db/openRepository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { ageOn, japanIsoDateTime, japanTime } from './japanTime.ts';
import { buildMenu } from './menu.ts';
import { menuContextFor } from './residentContext.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { publishedKeysOf, testSealKeyStore } from '../test-support/seal-keys.ts';
import { issueCertificate, type IssuerDeps } from './issue.ts';
import { CHALLENGE_KEEP_MS, purgeDeliveredDocument, purgeExpiredDocuments, purgePass } from './retention.ts';
import { createMemoryRegisterStore, type RegisterStore } from './register-store.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import type { SeedRegisters } from '../seed/types.ts';
import type { CertificateDocument, JuminhyoContent } from '../../protocol/documents.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';

let registers: RegisterStore;
let builtRegisters: SeedRegisters | undefined;
/** Built once per file (it takes a while); `createMemoryRegisterStore` copies it for each test. */
const seedRegisters = (): SeedRegisters => (builtRegisters ??= buildSeedRegisters(loadSeedWorld()));

function juminhyo(document: CertificateDocument): JuminhyoContent {
  if (document.content.kind !== 'juminhyo')
    throw new Error(`expected a 住民票, got ${document.content.kind}`);
  return document.content;
}

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const SATURDAY_NOON = new Date('2026-11-28T03:00:00Z');
const LATE_NIGHT = new Date('2026-11-25T14:30:00Z'); // 23:30 JST
const NEW_YEAR = new Date('2027-01-01T03:00:00Z');
const TX = '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10';

async function menuFor(repo: CentreRepository, holderId: string, now: Date) {
  const ctx = await menuContextFor(repo, registers, holderId, now);
  if (!ctx.ok) throw new Error(ctx.error.kind);
  return Object.fromEntries(
    buildMenu(ctx.value.menu).map((item) => [
      item.certificateType,
      item.available ? `${item.feeYen}/${item.maxCopies}` : item.reason,
    ]),
  );
}

describe('Japan time helpers', () => {
  it('formats +09:00 and computes age on a JST date', () => {
    expect(japanIsoDateTime(new Date('2026-11-25T15:30:12.345Z'))).toBe('2026-11-26T00:30:12+09:00');
    expect(japanTime(LATE_NIGHT)).toMatchObject({ date: '2026-11-25', clock: '23:30', weekday: 3 });
    expect(ageOn('2016-08-12', '2026-08-11')).toBe(9);
    expect(ageOn('2016-08-12', '2026-08-12')).toBe(10);
  });
});

describe.each(databaseBackends())('municipal issuing server on $name', (backend) => {
  let repo: CentreRepository;
  let deps: IssuerDeps;
  let clock: Date;
  let seeded: () => Promise<DatabaseConfig>;
  beforeAll(async () => {
    await backend.setup();
    seeded = await backend.template(async (config) => {
      const store = await openCentreRepository(config);
      await loadRegister(store, loadSeedWorld());
      await store.close();
    });
  }, BACKEND_SETUP_TIMEOUT_MS);
  afterAll(() => backend.teardown());
  beforeEach(async () => {
    repo = await openCentreRepository(await seeded());
    registers = createMemoryRegisterStore(seedRegisters());
    clock = NOON_WEDNESDAY;
    deps = {
      repository: repo,
      registers,
      keyring: await SealKeyring.open({
        repository: repo,
        store: await testSealKeyStore(),
        now: () => clock,
      }),
      now: () => clock,
    };
  });
  afterEach(async () => repo?.close());

  async function authenticate(holderId: string, transactionId = TX, fingerprint = 'ab'.repeat(32)) {
    await repo.saveSession({
      transactionId,
      terminalId: 'S0001-T01',
      holderId,
      certificateFingerprint: fingerprint,
      caFingerprint: 'c'.repeat(64),
      serialNumberHex: '1001',
      authenticatedAt: clock.getTime(),
      expiresAt: clock.getTime() + 15 * 60_000,
    });
  }

  it('offers every type in 千代田区 to a registered 住≠本 adult, with 戸籍 from the 本籍地', async () => {
    expect(await menuFor(repo, 'H0001', NOON_WEDNESDAY)).toEqual({
      juminhyo: '200/10',
      'juminhyo-kisai': '200/5',
      inkan: '200/10',
      'shotoku-kazei': '300/5',
      nozei: '300/5',
      'koseki-zenbu': '450/3',
      'koseki-kojin': '450/3',
      'koseki-fuhyo': '300/3',
    });
  });

  it('gives the right reason for each refusal', async () => {
    expect((await menuFor(repo, 'H0004', NOON_WEDNESDAY)).juminhyo).toBe('age'); // child under 15
    expect((await menuFor(repo, 'H0003', NOON_WEDNESDAY)).inkan).toBe('no-registration');
    expect(await menuFor(repo, 'H0008', NOON_WEDNESDAY)).toMatchObject({
      juminhyo: 'dv-block',
      inkan: 'dv-block',
    });
    const foreign = await menuFor(repo, 'H0007', NOON_WEDNESDAY);
    expect(foreign).toMatchObject({ juminhyo: '200/10', 'koseki-zenbu': 'not-offered' });
    const kaga = await menuFor(repo, 'H0008', NOON_WEDNESDAY);
    expect(Object.keys(kaga)).toHaveLength(8);
    const weekend = await menuFor(repo, 'H0001', SATURDAY_NOON);
    expect(weekend).toMatchObject({ juminhyo: '200/10', 'koseki-zenbu': 'outside-hours' });
    expect(await menuFor(repo, 'H0001', LATE_NIGHT)).toMatchObject({ juminhyo: 'outside-hours' });
    expect(await menuFor(repo, 'H0001', NEW_YEAR)).toMatchObject({ juminhyo: 'outside-hours' });
  });

  it('asks for 利用登録 when the 本籍地 differs and no registration was filed', async () => {
    const r = (await repo.getResident('H0012'))!;
    await repo.putResident({
      ...r,
      holderId: 'T0099',
      householdId: 'HH002',
      municipalityCode: '131016',
      householdOrder: 2,
      relationship: '同居人',
    });
    expect((await menuFor(repo, 'T0099', NOON_WEDNESDAY))['koseki-zenbu']).toBe('registration-needed');
  });

  it('refuses moved-out, deceased and non-participating', async () => {
    expect(await menuContextFor(repo, registers, 'H0009', NOON_WEDNESDAY)).toMatchObject({
      ok: false,
      error: { kind: 'resident-moved-out' },
    });
    expect(await menuContextFor(repo, registers, 'H0010', NOON_WEDNESDAY)).toMatchObject({
      ok: false,
      error: { kind: 'resident-deceased' },
    });
    expect(await menuContextFor(repo, registers, 'H9999', NOON_WEDNESDAY)).toMatchObject({
      ok: false,
      error: { kind: 'resident-unknown' },
    });
    await repo.putMunicipality({ ...(await repo.getMunicipality('452025'))!, participating: false });
    expect(await menuContextFor(repo, registers, 'H0012', NOON_WEDNESDAY)).toMatchObject({
      ok: false,
      error: { kind: 'municipality-not-participating' },
    });
  });

  it('issues the whole household in order, bound to the certificate, with a seal that verifies', async () => {
    await authenticate('H0002');
    const result = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo',
      copies: 2,
    });
    if (!result.ok) throw new Error(result.error.kind);
    const { document, seals } = result.value;
    expect(document.documentId).toMatch(/^[0-9A-Z]{16}$/);
    expect(document.holderSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(document.holderBinding).toBe(holderBindingFor(document.holderSalt, 'ab'.repeat(32)));
    expect(document.issuedAt).toBe('2026-11-25T12:00:00+09:00');
    expect(juminhyo(document).householdHead).toBe('山田 太郎');
    expect(juminhyo(document).members.map((m) => m.name)).toEqual([
      '山田 太郎',
      '山田 花子',
      '山田 一郎',
      '山田 美咲',
      '山田 キヨ',
    ]);
    expect(juminhyo(document).members[1]?.kyuuji).toBe('佐藤');
    expect(document.pageCount).toBe(2);
    expect(document.municipality).toEqual({
      code: '131016',
      name: '千代田区',
      mayorTitle: '千代田区長',
      mayorName: '杉浦 俊介',
    });
    const keys = await publishedKeysOf(deps.keyring);
    const bytes = seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64')));
    expect(checkPageSeals(bytes, document, keys)).toEqual({ ok: true, notices: [] });
    expect(await repo.listBillingRecords()).toEqual([
      {
        transactionId: TX,
        municipalityCode: '131016',
        certificateType: 'juminhyo',
        copies: 2,
        feeYenTotal: 400,
        billedAt: NOON_WEDNESDAY.getTime(),
        state: 'pending', // billed only when the kiosk reports delivery
      },
    ]);
  });

  it('is idempotent on transactionId within the session and bills once', async () => {
    await authenticate('H0006');
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
    };
    const [a, b] = await Promise.all([issueCertificate(deps, request), issueCertificate(deps, request)]);
    const c = await issueCertificate(deps, request);
    expect(a.ok && b.ok && c.ok).toBe(true);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await repo.listBillingRecords()).toHaveLength(1);
  });

  it('refuses a replay that differs in type, copies or options, before returning anything', async () => {
    await authenticate('H0006');
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
      options: { scope: 'self' as const },
    };
    expect(await issueCertificate(deps, request)).toMatchObject({ ok: true });
    for (const retry of [
      { ...request, copies: 2 },
      { ...request, certificateType: 'juminhyo-kisai' as const },
      { ...request, options: { scope: 'household' as const } },
      { ...request, options: { scope: 'self' as const, honseki: true } },
      { ...request, options: undefined },
    ]) {
      expect(await issueCertificate(deps, retry)).toEqual({
        ok: false,
        error: { kind: 'issue-replay-refused', detail: 'retry differs from the first issue request' },
      });
    }
    expect(await issueCertificate(deps, request)).toMatchObject({ ok: true });
    expect(await repo.listBillingRecords()).toHaveLength(1);
  });

  it('refuses a replay after the session expired, even of the same request', async () => {
    await authenticate('H0006');
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
    };
    expect(await issueCertificate(deps, request)).toMatchObject({ ok: true });
    clock = new Date(NOON_WEDNESDAY.getTime() + 60 * 60_000); // after the session expired
    expect(await issueCertificate(deps, request)).toEqual({
      ok: false,
      error: { kind: 'not-authenticated', detail: 'session expired' },
    });
  });

  it('keeps the document until delivery or the retention time, then only ids, hashes and billing', async () => {
    await authenticate('H0006');
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
    };
    const issued = await issueCertificate(deps, request);
    if (!issued.ok) throw new Error(issued.error.kind);
    const kept = await repo.getIssuedDocument(TX);
    expect(kept?.documentJson).toContain(juminhyo(issued.value.document).members[0]!.name);
    // Not yet: younger than the retention time.
    expect(await purgeExpiredDocuments(repo, 60 * 60_000, clock.getTime() + 59 * 60_000)).toBe(0);
    expect(await purgeExpiredDocuments(repo, 60 * 60_000, clock.getTime() + 61 * 60_000)).toBe(1);
    const purged = await repo.getIssuedDocument(TX);
    expect(purged).toMatchObject({
      transactionId: TX,
      holderId: 'H0006',
      certificateType: 'juminhyo',
      copies: 1,
      documentJson: '',
      seal: new Uint8Array(),
      documentSha256: createHash('sha256').update(kept!.documentJson).digest('hex'),
      purgedAt: clock.getTime() + 61 * 60_000,
    });
    expect(await repo.listBillingRecords()).toHaveLength(1);
    // A retry can no longer get the document.
    expect(await issueCertificate(deps, request)).toMatchObject({
      ok: false,
      error: { kind: 'issue-replay-refused' },
    });
  });

  it('purges on delivery confirmation, once', async () => {
    await authenticate('H0006');
    await issueCertificate(deps, {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(await purgeDeliveredDocument(repo, TX, clock.getTime())).toBe(true);
    expect(await purgeDeliveredDocument(repo, TX, clock.getTime())).toBe(false);
    expect(await repo.getIssuedDocument(TX)).toMatchObject({ documentJson: '', purgedAt: clock.getTime() });
  });

  it("the purge job's pass deletes challenges a day after they expired, not before", async () => {
    const now = clock.getTime();
    const put = (challenge: string, expiresAt: number) =>
      repo.putChallenge({ challenge, terminalId: 'S0001-T01', transactionId: TX, expiresAt });
    await put('day-old', now - CHALLENGE_KEEP_MS - 1);
    await put('just-expired', now - CHALLENGE_KEEP_MS + 60_000);
    expect(await purgePass(repo, 60 * 60_000, now)).toEqual({ documents: 0, challenges: 1 });
    expect(await repo.consumeChallenge('day-old', 'S0001-T01', TX, now)).toEqual({ kind: 'unknown' });
    expect(await repo.consumeChallenge('just-expired', 'S0001-T01', TX, now)).toEqual({ kind: 'expired' });
  });

  it('refuses a card revoked between authentication and issue', async () => {
    await authenticate('H0012');
    await repo.revokeCertificate('c'.repeat(64), '1001', clock.getTime());
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
    };
    expect(await issueCertificate(deps, request)).toMatchObject({
      ok: false,
      error: { kind: 'certificate-revoked' },
    });
    expect(await repo.listBillingRecords()).toEqual([]);
  });

  it('reads the register at the moment of issue', async () => {
    await authenticate('H0012');
    const r = (await repo.getResident('H0012'))!;
    await repo.putResident({ ...r, name: '吉田 恵', nameKana: 'ヨシダ メグミ' }); // 改名 after authentication
    const result = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo',
      copies: 1,
    });
    expect(result.ok && juminhyo(result.value.document).members[0]?.name).toBe('吉田 恵');
    expect(result.ok && result.value.document.municipality.code).toBe('452025');
  });

  it('refuses without a session, from another terminal, after expiry, and for refused types', async () => {
    const request = {
      transactionId: TX,
      terminalId: 'S0001-T01',
      certificateType: 'juminhyo' as const,
      copies: 1,
    };
    expect(await issueCertificate(deps, request)).toMatchObject({
      ok: false,
      error: { kind: 'not-authenticated' },
    });
    await authenticate('H0001');
    expect(await issueCertificate(deps, { ...request, terminalId: 'S0002-T01' })).toMatchObject({
      ok: false,
      error: { kind: 'not-authenticated' },
    });
    expect(await issueCertificate(deps, { ...request, copies: 11 })).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });
    expect(
      await issueCertificate(deps, { ...request, certificateType: 'nozei', options: { taxYear: 2019 } }),
    ).toMatchObject({ ok: false, error: { kind: 'bad-request', detail: 'taxYear not available' } });
    expect(await issueCertificate(deps, { ...request, options: { taxYear: 2026 } })).toMatchObject({
      ok: false,
      error: { kind: 'bad-request', detail: 'option taxYear does not apply to juminhyo' },
    });
    const resident = (await repo.getResident('H0001'))!;
    await repo.putResident({ ...resident, dvBlock: true });
    expect(await issueCertificate(deps, request)).toMatchObject({ ok: false, error: { kind: 'dv-block' } });
    await repo.putResident({ ...resident, status: 'moved-out' });
    expect(await issueCertificate(deps, request)).toMatchObject({
      ok: false,
      error: { kind: 'resident-moved-out' },
    });
    await repo.putResident(resident);
    clock = new Date(NOON_WEDNESDAY.getTime() + 16 * 60_000);
    expect(await issueCertificate(deps, request)).toMatchObject({
      ok: false,
      error: { kind: 'not-authenticated' },
    });
    expect(await repo.listBillingRecords()).toEqual([]);
  });
});
