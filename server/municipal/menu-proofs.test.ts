import { afterEach, describe, expect, it } from 'vitest';
import type { MenuItem } from '../../protocol/api.ts';
import type { ResidentRecord } from '../db/records.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { proveMenus, startMenuProofs } from './menu-proofs.ts';
import { memoisedPrintability } from './printability-cache.ts';
import { checkedMenu, templatePrintability, type PrintabilityCheck } from './printability.ts';
import { createProvedMenus, type ProvedMenus } from './proved-menus.ts';
import { createMemoryRegisterStore, type RegisterStore } from './register-store.ts';
import { menuContextFor } from './residentContext.ts';

const NOON = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const NEXT_DAY_NOON = new Date('2026-11-26T03:00:00Z');
const TX = '3c9d2b1e-8a4b-4c1e-9a55-3f1f1d2a9b42';
const FINGERPRINT = 'ab'.repeat(32);
/** Far wider than the 氏名 box of any form, still within the contract's 64 characters. */
const OVERLONG_NAME = '山田 ' + '長谷川'.repeat(20);

let repo: CentreRepository | undefined;
afterEach(async () => repo?.close());

/** The seed world in a fresh centre database, and the centre's remembered check over a counted one. */
async function centre() {
  const world = loadSeedWorld();
  const repository = openSqliteRepository(':memory:');
  repo = repository;
  await loadRegister(repository, world);
  const registers: RegisterStore = createMemoryRegisterStore(buildSeedRegisters(world));
  let fitted = 0;
  const counted: PrintabilityCheck = (document) => {
    fitted++;
    return templatePrintability(document);
  };
  const check = memoisedPrintability(counted);
  // The reads only building a document makes (the menu's context reads none of them).
  let documentReads = 0;
  const countedRepository: CentreRepository = Object.create(repository, {
    listHouseholdMembers: {
      value: (householdId: string) => {
        documentReads++;
        return repository.listHouseholdMembers(householdId);
      },
    },
  });
  const countedRegisters: RegisterStore = {
    ...registers,
    taxAssessment: (holderId, fiscalYear) => {
      documentReads++;
      return registers.taxAssessment(holderId, fiscalYear);
    },
    kosekiOf: (kosekiId) => {
      documentReads++;
      return registers.kosekiOf(kosekiId);
    },
  };
  const provedMenus = createProvedMenus(100);
  /** A sign-in's menu, the way the kiosk service builds it (with `provedMenus`, as the centre does). */
  const signIn = async (holderId: string, at: Date, proved?: ProvedMenus): Promise<MenuItem[]> => {
    const registerVersion = await repository.registerVersion();
    const context = await menuContextFor(countedRepository, countedRegisters, holderId, at);
    if (!context.ok) throw new Error(context.error.kind);
    return checkedMenu({
      context: context.value,
      frame: { transactionId: TX, certificateFingerprint: FINGERPRINT, now: at },
      repository: countedRepository,
      registers: countedRegisters,
      check,
      ...(proved ? { proofs: { menus: proved, registerVersion } } : {}),
    });
  };
  const deps = { repository, registers, check, now: () => NOON };
  return {
    world,
    repository,
    deps,
    provedMenus,
    /** A round for 2026-11-25 that keeps its answers in `provedMenus`, as the centre's does. */
    prove: (holderIds: string[]) => proveMenus({ ...deps, proved: provedMenus }, holderIds, '2026-11-25'),
    /** Writes a register entry changed by `change`, as the admin API or the console would. */
    changeResident: async (holderId: string, change: (r: ResidentRecord) => ResidentRecord) => {
      const resident = await repository.getResident(holderId);
      if (!resident) throw new Error(`no resident ${holderId}`);
      await repository.putResident(change(resident));
    },
    signIn,
    fitted: () => fitted,
    documentReads: () => documentReads,
  };
}

describe('menus proved ahead', () => {
  it("answers a proved resident's sign-in without fitting anything, with the menu a sign-in alone makes", async () => {
    const unproved = await centre();
    const expected = await unproved.signIn('H0002', NOON);
    expect(unproved.fitted()).toBeGreaterThan(3);

    const c = await centre();
    const round = await proveMenus(c.deps, ['H0002', 'H0001'], '2026-11-25');
    expect(round).toMatchObject({ day: '2026-11-25', proved: 2, noMenu: 0, failed: 0, stopped: false });
    const fittedByProof = c.fitted();
    expect(fittedByProof).toBeGreaterThan(3);
    expect(await c.signIn('H0002', NOON)).toEqual(expected);
    expect(c.fitted()).toBe(fittedByProof);
  });

  it('fits at sign-in what changed on the register after the proof, and refuses it as before', async () => {
    const c = await centre();
    await proveMenus(c.deps, ['H0002'], '2026-11-25');
    const before = c.fitted();
    await c.changeResident('H0002', (resident) => ({ ...resident, name: OVERLONG_NAME }));
    const menu = await c.signIn('H0002', NOON);
    expect(c.fitted()).toBeGreaterThan(before);
    // The 住民票 of the resident alone no longer prints: the proof's answer was not taken.
    const juminhyo = menu.find((item) => item.certificateType === 'juminhyo');
    expect(juminhyo?.available === false || !juminhyo?.options?.scopes?.includes('self')).toBe(true);
  });

  it('proves one day: a sign-in the next day fits its menu again', async () => {
    const c = await centre();
    await proveMenus(c.deps, ['H0002'], '2026-11-25');
    const before = c.fitted();
    await c.signIn('H0002', NEXT_DAY_NOON);
    expect(c.fitted()).toBeGreaterThan(before);
  });

  it('counts residents the sign-in refuses anyway, and unknown ones, as having no menu', async () => {
    const c = await centre();
    const movedOut = c.world.residents.find((r) => r.status === 'moved-out');
    expect(movedOut).toBeDefined();
    const round = await proveMenus(c.deps, [movedOut!.holderId, 'H9999-none'], '2026-11-25');
    expect(round).toMatchObject({ proved: 0, noMenu: 2, failed: 0 });
  });
});

describe('answers proved at a register version', () => {
  it('a sign-in at the version and date proved builds no document and answers the menu a sign-in alone makes', async () => {
    const unproved = await centre();
    const expected = await unproved.signIn('H0002', NOON);
    expect(unproved.documentReads()).toBeGreaterThan(0);

    const c = await centre();
    await c.prove(['H0002', 'H0001']);
    expect(c.provedMenus.size).toBe(2);
    const reads = c.documentReads();
    expect(await c.signIn('H0002', NOON, c.provedMenus)).toEqual(expected);
    expect(c.documentReads()).toBe(reads);
  });

  it("builds again after any change on the register, even another resident's, and remembers the new answers", async () => {
    const c = await centre();
    await c.prove(['H0002']);
    await c.changeResident('H0001', (other) => ({ ...other, nameKana: `${other.nameKana}ア` }));
    const before = c.documentReads();
    const menu = await c.signIn('H0002', NOON, c.provedMenus);
    expect(c.documentReads()).toBeGreaterThan(before);
    const rebuilt = c.documentReads();
    expect(await c.signIn('H0002', NOON, c.provedMenus)).toEqual(menu);
    expect(c.documentReads()).toBe(rebuilt);
  });

  it("takes no proved answer once the resident's own entry no longer prints", async () => {
    const c = await centre();
    await c.prove(['H0002']);
    await c.changeResident('H0002', (resident) => ({ ...resident, name: OVERLONG_NAME }));
    const menu = await c.signIn('H0002', NOON, c.provedMenus);
    const juminhyo = menu.find((item) => item.certificateType === 'juminhyo');
    expect(juminhyo?.available === false || !juminhyo?.options?.scopes?.includes('self')).toBe(true);
  });

  it('takes no answer proved on another day', async () => {
    const c = await centre();
    await c.prove(['H0002']);
    const before = c.documentReads();
    await c.signIn('H0002', NEXT_DAY_NOON, c.provedMenus);
    expect(c.documentReads()).toBeGreaterThan(before);
  });
});

describe('the centre’s rounds of proofs', () => {
  it("proves today's menus when started, and stops a round when closed", async () => {
    const c = await centre();
    const holderIds = c.world.residents.slice(0, 3).map((r) => r.holderId);
    const logged: object[] = [];
    const proofs = startMenuProofs({ ...c.deps, log: (fields) => logged.push(fields) }, holderIds);
    const first = await proofs.firstRound;
    expect(first.day).toBe('2026-11-25');
    expect(first.proved + first.noMenu).toBe(3);
    expect(logged).toEqual([first]);
    await proofs.close();

    const many = c.world.residents.map((r) => r.holderId);
    const stopping = startMenuProofs(c.deps, many);
    await stopping.close();
    const stopped = await stopping.firstRound;
    expect(stopped.stopped).toBe(true);
    expect(stopped.proved + stopped.noMenu).toBeLessThan(many.length);
  });
});
