import { afterEach, describe, expect, it } from 'vitest';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import type { CentreRepository } from '../db/repository.ts';
import { SealKeyring } from '../keys/seal-keyring.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import type { SeedRegisters, SeedWorld } from '../seed/types.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { issueCertificate, type IssuerDeps } from './issue.ts';
import { buildMenu } from './menu.ts';
import { describeProblems, templatePrintability, withPrintability } from './printability.ts';
import { createMemoryRegisterStore } from './register-store.ts';
import { menuContextFor } from './residentContext.ts';

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const TX = '3c9d2b1e-8a4b-4c1e-9a55-3f1f1d2a9b42';
const TERMINAL = 'S0001-T01';
const FINGERPRINT = 'ab'.repeat(32);
/** Far wider than the 氏名 box of any form, still within the contract's 64 characters. */
const OVERLONG_NAME = '山田 ' + '長谷川'.repeat(20);

let repo: CentreRepository | undefined;
afterEach(async () => repo?.close());

/** The seed world with one change, loaded into a fresh centre; H0002 (山田花子, HH001) authenticated. */
async function centreWith(
  change: (world: SeedWorld) => void,
  changeRegisters: (registers: SeedRegisters) => void = () => {},
) {
  const world = loadSeedWorld();
  change(world);
  const repository = openSqliteRepository(':memory:');
  repo = repository;
  await loadRegister(repository, world);
  const seedRegisters = buildSeedRegisters(world);
  changeRegisters(seedRegisters);
  const registers = createMemoryRegisterStore(seedRegisters);
  const now = () => NOON_WEDNESDAY;
  const deps: IssuerDeps = {
    repository,
    registers,
    keyring: await SealKeyring.open({ repository, store: await testSealKeyStore(), now }),
    now,
    printability: templatePrintability,
  };
  await repository.saveSession({
    transactionId: TX,
    terminalId: TERMINAL,
    holderId: 'H0002',
    certificateFingerprint: FINGERPRINT,
    caFingerprint: 'c'.repeat(64),
    serialNumberHex: '1001',
    authenticatedAt: NOON_WEDNESDAY.getTime(),
    expiresAt: NOON_WEDNESDAY.getTime() + 15 * 60_000,
  });
  const menu = async () => {
    const context = await menuContextFor(repository, registers, 'H0002', NOON_WEDNESDAY);
    if (!context.ok) throw new Error(context.error.kind);
    return withPrintability({
      menu: buildMenu(context.value.menu),
      context: context.value,
      frame: { transactionId: TX, certificateFingerprint: FINGERPRINT, now: NOON_WEDNESDAY },
      repository,
      registers,
      check: templatePrintability,
    });
  };
  return { deps, repository, menu };
}

const resident = (world: SeedWorld, holderId: string) =>
  world.residents.find((r) => r.holderId === holderId)!;

describe('printability at the centre: refused before the resident pays', () => {
  it('leaves a menu whose documents all print as buildMenu made it', async () => {
    const { menu, repository } = await centreWith(() => {});
    const context = await menuContextFor(
      repository,
      createMemoryRegisterStore(buildSeedRegisters(loadSeedWorld())),
      'H0002',
      NOON_WEDNESDAY,
    );
    if (!context.ok) throw new Error(context.error.kind);
    expect(await menu()).toEqual(buildMenu(context.value.menu));
  });

  it('offers the 住民票 without 世帯全員 when another member’s name is too long, and refuses that scope at issue with nothing billed', async () => {
    const { deps, repository, menu } = await centreWith((world) => {
      resident(world, 'H0003').name = OVERLONG_NAME;
    });
    const juminhyo = (await menu()).find((i) => i.certificateType === 'juminhyo');
    expect(juminhyo).toMatchObject({ available: true });
    if (!juminhyo?.available) throw new Error('unavailable');
    expect(juminhyo.options?.scopes).not.toContain('household');
    expect(juminhyo.options?.scopes).toContain('self');

    const refused = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
      options: { scope: 'household' },
    });
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'document-unprintable', detail: 'too-long members[2].name' },
    });
    expect(await repository.listBillingRecords()).toEqual([]);
    expect(await repository.getIssuedDocument(TX)).toBeUndefined();

    // The resident's own 住民票 prints and is issued as usual.
    const own = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
      options: { scope: 'self' },
    });
    expect(own.ok).toBe(true);
    expect(await repository.listBillingRecords()).toHaveLength(1);
  });

  it('marks every type showing the address unavailable when the household address is too long', async () => {
    const { deps, repository, menu } = await centreWith((world) => {
      world.households.find((h) => h.householdId === 'HH001')!.address =
        '東京都千代田区九段南二丁目三番十四号'.repeat(7);
    });
    const items = await menu();
    for (const type of ['juminhyo', 'juminhyo-kisai', 'inkan', 'shotoku-kazei', 'nozei'] as const) {
      expect(
        items.find((i) => i.certificateType === type),
        type,
      ).toEqual({
        certificateType: type,
        available: false,
        reason: 'unprintable',
      });
    }
    const refused = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: TERMINAL,
      certificateType: 'inkan',
      copies: 1,
    });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'document-unprintable' } });
    expect(await repository.listBillingRecords()).toEqual([]);
  });

  it('marks the resident’s documents unavailable when a character of the name is in neither font', async () => {
    const { deps, repository, menu } = await centreWith((world) => {
      resident(world, 'H0002').name = '山田 \u{1F338}子';
    });
    const items = await menu();
    expect(items.find((i) => i.certificateType === 'juminhyo')).toEqual({
      certificateType: 'juminhyo',
      available: false,
      reason: 'unprintable',
    });
    const refused = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: TERMINAL,
      certificateType: 'juminhyo',
      copies: 1,
      options: { scope: 'self' },
    });
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'document-unprintable', detail: 'glyph-missing members[0].name U+1F338' },
    });
    expect(await repository.listBillingRecords()).toEqual([]);
  });

  it('refuses register data that leaves a required field empty, naming the field', async () => {
    const { deps, repository, menu } = await centreWith(
      () => {},
      (registers) => {
        const registration = registers.inkan.find((i) => i.holderId === 'H0002')!;
        delete (registration as { registrationNumber?: string }).registrationNumber;
      },
    );
    const items = await menu();
    expect(items.find((i) => i.certificateType === 'inkan')).toEqual({
      certificateType: 'inkan',
      available: false,
      reason: 'unprintable',
    });
    const refused = await issueCertificate(deps, {
      transactionId: TX,
      terminalId: TERMINAL,
      certificateType: 'inkan',
      copies: 1,
    });
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'document-unprintable', detail: 'required-missing content.registrationNumber' },
    });
    expect(await repository.listBillingRecords()).toEqual([]);
  });

  it('describes problems by reason and field only', () => {
    expect(
      describeProblems([
        { reason: 'required-missing', field: 'content.address' },
        { reason: 'too-long', field: 'members[1].name' },
      ]),
    ).toBe('required-missing content.address, too-long members[1].name');
  });
});
