import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATE_TYPES } from '../../protocol/certificate-types.ts';
import { CertificateDocumentSchema, pageCountFor } from '../../protocol/documents.ts';
import { checkSealMatchesDocument, sealPayloadFor, verifySeal } from '../../protocol/seal.ts';
import { buildAdminApp } from '../admin/admin-app.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { issueCertificate, type IssuerDeps } from './issue.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { sealPublicKeysOf, testSealKeyStore } from '../test-support/seal-keys.ts';
import { buildMenu } from './menu.ts';
import { createMemoryRegisterStore, type RegisterStore } from './register-store.ts';
import { fileKosekiRegistration } from './registration.ts';
import { menuContextFor } from './residentContext.ts';
import { parseMunicipalRules } from './rules.ts';

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const TX = '7a1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b11';
const TOKEN = 'miyakonojo-admin-token';

describe('municipal rules schema', () => {
  const chiyoda = () => structuredClone(loadSeedWorld().municipalities.find((m) => m.code === '131016')!);

  it('accepts every seed municipality', () => {
    for (const m of loadSeedWorld().municipalities)
      expect(parseMunicipalRules(m)).toMatchObject({ ok: true });
  });

  it('refuses unknown settings and contradictions with a message naming the setting', () => {
    const cases: Array<[(c: ReturnType<typeof chiyoda>) => unknown, string]> = [
      [(c) => ({ ...c, colour: 'red' }), '(root): Unrecognized key: "colour"'],
      [
        (c) => ({ ...c, offerings: { ...c.offerings, passport: { feeYen: 1, maxCopies: 1 } } }),
        'offerings: Unrecognized key: "passport"',
      ],
      [
        (c) => ({ ...c, serviceHours: { opens: '23:00', closes: '06:30' } }),
        'serviceHours: closes (06:30) must be after opens (23:00)',
      ],
      [(c) => ({ ...c, closedDays: ['02-30'] }), 'closedDays.0: 02-30 is not a day of the year'],
      [(c) => ({ ...c, code: '131017' }), 'code: check digit of 131017 should be 6'],
      [(c) => ({ ...c, copyLimit: 3 }), 'offerings.juminhyo.maxCopies: 10 exceeds copyLimit 3'],
      [
        (c) => ({
          ...c,
          offerings: { ...c.offerings, inkan: { feeYen: 200, maxCopies: 2, forNonResidents: true } },
        }),
        'offerings.inkan.forNonResidents: only 戸籍 types',
      ],
      [
        (c) => ({
          ...c,
          offerings: {
            ...c.offerings,
            'koseki-zenbu': { feeYen: 450, maxCopies: 3, hours: { opens: '05:00', closes: '17:00' } },
          },
        }),
        'offerings.koseki-zenbu.hours: 05:00–17:00 is not inside the service hours 06:30–23:00',
      ],
      [
        (c) => ({ ...c, offerings: { inkan: c.offerings.inkan }, options: { myNumber: true } }),
        'options.myNumber',
      ],
      [
        (c) => ({ ...c, offerings: { juminhyo: c.offerings.juminhyo }, options: { taxYearsBack: 2 } }),
        'options.taxYearsBack: set, but neither',
      ],
      [
        (c) => ({
          ...c,
          offerings: { ...c.offerings, inkan: { feeYen: 200, maxCopies: 2, minimumAge: 12 } },
        }),
        'offerings.inkan.minimumAge: 12 is below',
      ],
    ];
    for (const [change, message] of cases) {
      const result = parseMunicipalRules(change(chiyoda()));
      expect(result.ok, message).toBe(false);
      if (!result.ok) expect(result.errors.join('\n')).toContain(message);
    }
  });
});

describe('seed registers', () => {
  it('are deterministic and cover every resident they apply to, generated ones included', () => {
    const world = loadSeedWorld();
    const a = buildSeedRegisters(world);
    expect(buildSeedRegisters(loadSeedWorld())).toEqual(a);
    expect(new Set(a.inkan.map((i) => i.holderId))).toEqual(
      new Set([
        ...world.residents.filter((r) => r.inkanRegistered).map((r) => r.holderId),
        ...a.inkan.filter((i) => i.status === 'abolished').map((i) => i.holderId),
      ]),
    );
    expect(a.inkan.find((i) => i.holderId === 'H0007')?.status).toBe('abolished');
    const withHonseki = world.residents.filter((r) => r.honseki);
    expect(a.fuhyo).toHaveLength(withHonseki.length);
    for (const r of withHonseki) {
      expect(
        a.koseki.some((k) => k.members.some((m) => m.holderId === r.holderId)),
        r.holderId,
      ).toBe(true);
    }
    const yamada = a.koseki.find((k) => k.hittousha === '山田 太郎')!;
    expect(yamada.members.filter((m) => m.removed)).toHaveLength(1);
    expect(a.taxes.filter((t) => t.holderId === 'H0001').map((t) => t.fiscalYear)).toEqual([
      2022, 2023, 2024, 2025, 2026,
    ]);
    expect(Buffer.from(a.inkan[0]!.sealImagePng, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('issuing every certificate type', () => {
  let repo: CentreRepository;
  let registers: RegisterStore;
  let deps: IssuerDeps;
  const clock = NOON_WEDNESDAY;
  beforeEach(async () => {
    repo = openSqliteRepository(':memory:');
    const world = loadSeedWorld();
    await loadRegister(repo, world);
    registers = createMemoryRegisterStore(buildSeedRegisters(world));
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
  afterEach(async () => repo.close());

  async function authenticate(holderId: string, transactionId = TX) {
    await repo.saveSession({
      transactionId,
      terminalId: 'S0001-T01',
      holderId,
      certificateFingerprint: 'ab'.repeat(32),
      caFingerprint: 'c'.repeat(64),
      serialNumberHex: '1001',
      authenticatedAt: clock.getTime(),
      expiresAt: clock.getTime() + 15 * 60_000,
    });
  }
  const request = (certificateType: (typeof CERTIFICATE_TYPES)[number], transactionId = TX) => ({
    transactionId,
    terminalId: 'S0001-T01',
    certificateType,
    copies: 1,
  });

  it('issues each type for a 千代田区 resident with 本籍 in 都城市, sealed compactly by the right municipality', async () => {
    const keys = await sealPublicKeysOf(deps.keyring);
    for (const [i, type] of CERTIFICATE_TYPES.entries()) {
      const tx = `7a1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b${String(i).padStart(2, '0')}`;
      await authenticate('H0001', tx);
      const result = await issueCertificate(deps, request(type, tx));
      if (!result.ok) throw new Error(`${type}: ${result.error.kind} ${result.error.detail}`);
      const { document, seal } = result.value;
      expect(CertificateDocumentSchema.parse(document).content.kind).toBe(type);
      expect(document.pageCount).toBe(pageCountFor(document.content));
      expect(document.municipality.code).toBe(type.startsWith('koseki') ? '452025' : '131016');
      const bytes = Buffer.from(seal, 'base64');
      expect(bytes.length, type).toBeLessThan(700);
      const verified = verifySeal(bytes, keys);
      if (!verified.ok) throw new Error(verified.error.kind);
      expect(checkSealMatchesDocument(verified.payload, document)).toBeUndefined();
      expect(JSON.stringify(sealPayloadFor(document))).not.toContain('iVBOR'); // no seal image in the QR
    }
    expect((await repo.listBillingRecords()).map((b) => b.certificateType)).toEqual([...CERTIFICATE_TYPES]);
  });

  it('prints the chosen scope and options, and refuses options the municipality does not allow', async () => {
    await authenticate('H0002');
    const self = await issueCertificate(deps, {
      ...request('juminhyo'),
      options: { scope: 'self', includeHonseki: true, includeRelationship: false },
    });
    expect(self.ok).toBe(false); // 千代田区 does not allow 本籍 on the 住民票 (options.honseki unset)
    const ok = await issueCertificate(deps, {
      ...request('juminhyo'),
      options: { scope: 'members', members: [2, 3] },
    });
    if (!ok.ok || ok.value.document.content.kind !== 'juminhyo') throw new Error('expected a 住民票');
    expect(ok.value.document.content.members.map((m) => m.name)).toEqual(['山田 花子', '山田 一郎']);
    expect(ok.value.document.content.householdHead).toBe('山田 太郎');
    await authenticate('H0002', '7a1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9c00');
    const myNumber = await issueCertificate(deps, {
      ...request('juminhyo', '7a1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9c00'),
      options: { includeMyNumber: true },
    });
    expect(myNumber).toMatchObject({
      ok: false,
      error: { kind: 'option-not-allowed', detail: 'option includeMyNumber not allowed' },
    });
  });

  it('never issues a 印鑑登録 abolished between authentication and issue', async () => {
    await authenticate('H0002');
    const admin = buildAdminApp({
      repository: repo,
      registers,
      keyring: deps.keyring,
      tokens: { '131016': TOKEN },
      now: () => clock,
    });
    const abolished = await admin.inject({
      method: 'POST',
      url: '/admin/v1/municipalities/131016/inkan/H0002/abolish',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: {},
    });
    expect(abolished.statusCode).toBe(200);
    expect(await issueCertificate(deps, request('inkan'))).toMatchObject({
      ok: false,
      error: { kind: 'no-registration', detail: 'no-registration' },
    });
    expect(await repo.listBillingRecords()).toEqual([]);
    await admin.close();
  });

  it('files the 利用登録 from the kiosk; 戸籍 stays refused until the 本籍地 approves it', async () => {
    const r = (await repo.getResident('H0012'))!;
    await repo.putResident({
      ...r,
      holderId: 'T0012',
      householdId: 'HH002',
      municipalityCode: '131016',
      householdOrder: 2,
      relationship: '同居人',
    });
    const koseki = buildSeedRegisters(loadSeedWorld()).koseki.find((k) => k.hittousha === '吉田 恵子')!;
    registers = createMemoryRegisterStore({
      ...buildSeedRegisters(loadSeedWorld()),
      koseki: [{ ...koseki, members: [...koseki.members, { ...koseki.members[0]!, holderId: 'T0012' }] }],
    });
    deps = { ...deps, registers };
    await authenticate('T0012');
    const menu = async () => {
      const ctx = await menuContextFor(repo, registers, 'T0012', clock);
      if (!ctx.ok) throw new Error(ctx.error.kind);
      return buildMenu(ctx.value.menu).find((m) => m.certificateType === 'koseki-kojin');
    };
    expect(await menu()).toMatchObject({ available: false, reason: 'registration-needed' });
    const filed = await fileKosekiRegistration(deps, { transactionId: TX, terminalId: 'S0001-T01' });
    if (!filed.ok) throw new Error(filed.error.kind);
    expect(filed.value).toMatchObject({
      status: 'pending',
      municipality: { code: '452025', name: '都城市' },
    });
    expect(await fileKosekiRegistration(deps, { transactionId: TX, terminalId: 'S0001-T01' })).toEqual(filed);
    expect(await issueCertificate(deps, request('koseki-kojin'))).toMatchObject({
      ok: false,
      error: { detail: 'registration-needed' },
    });

    const admin = buildAdminApp({
      repository: repo,
      registers,
      keyring: deps.keyring,
      tokens: { '452025': TOKEN, '131016': 'other' },
      now: () => clock,
    });
    const url = `/admin/v1/municipalities/452025/koseki-registrations/${filed.value.requestId}/decision`;
    expect(
      (
        await admin.inject({
          method: 'POST',
          url,
          headers: { authorization: 'Bearer other' },
          payload: { decision: 'approved' },
        })
      ).statusCode,
    ).toBe(401);
    const wrongMunicipality = `/admin/v1/municipalities/131016/koseki-registrations/${filed.value.requestId}/decision`;
    expect(
      (
        await admin.inject({
          method: 'POST',
          url: wrongMunicipality,
          headers: { authorization: 'Bearer other' },
          payload: { decision: 'approved' },
        })
      ).statusCode,
    ).toBe(404);
    const pending = await admin.inject({
      method: 'GET',
      url: '/admin/v1/municipalities/452025/koseki-registrations?status=pending',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(pending.json()).toEqual({
      registrations: [expect.objectContaining({ requestId: filed.value.requestId, status: 'pending' })],
    });
    const approved = await admin.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { decision: 'approved' },
    });
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect(
      (
        await admin.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${TOKEN}` },
          payload: { decision: 'rejected' },
        })
      ).statusCode,
    ).toBe(409);

    expect(await menu()).toMatchObject({ available: true, feeYen: 450 });
    const issued = await issueCertificate(deps, request('koseki-kojin'));
    expect(issued.ok && issued.value.document.municipality.code).toBe('452025');
    await admin.close();
  });

  it('refuses invalid rules through the admin API with every problem listed', async () => {
    const admin = buildAdminApp({
      repository: repo,
      registers,
      keyring: deps.keyring,
      tokens: { '452025': TOKEN },
      now: () => clock,
    });
    const current = await repo.getMunicipality('452025');
    const response = await admin.inject({
      method: 'PUT',
      url: '/admin/v1/municipalities/452025/rules',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { ...current, copyLimit: 2, holidays: [] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().details).toEqual(expect.arrayContaining(['(root): Unrecognized key: "holidays"']));
    const saved = await admin.inject({
      method: 'PUT',
      url: '/admin/v1/municipalities/452025/rules',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { ...current, notices: [{ id: 'm1', ja: '12月1日は保守のため停止します。' }] },
    });
    expect(saved.statusCode).toBe(200);
    expect((await repo.getMunicipality('452025'))?.notices).toHaveLength(1);
    await admin.close();
  });
});
