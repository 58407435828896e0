import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDocument } from '../../protocol/documents.ts';
import { loadRegister } from '../db/seedLoader.ts';
import { openSqliteRepository } from '../db/sqliteRepository.ts';
import type { CentreRepository } from '../db/repository.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { buildSeedRegisters } from '../seed/registers.ts';
import { certify } from './certify.ts';
import { CERTIFICATE_TYPES } from '../../protocol/certificate-types.ts';
import { buildMenu, decideCertificate } from './menu.ts';
import { withPrintability } from './printability.ts';
import { readsOnce } from './register-reads.ts';
import { createMemoryRegisterStore, type RegisterStore } from './register-store.ts';
import { menuContextFor } from './residentContext.ts';

const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z'); // 12:00 JST
const FRAME = {
  transactionId: '3c9d2b1e-8a4b-4c1e-9a55-3f1f1d2a9b42',
  certificateFingerprint: 'ab'.repeat(32),
  now: NOON_WEDNESDAY,
};

let centre: Awaited<ReturnType<typeof seedCentre>>;
beforeAll(async () => {
  centre = await seedCentre();
});
afterAll(async () => centre?.repository.close());

async function seedCentre() {
  const world = loadSeedWorld();
  const repository = openSqliteRepository(':memory:');
  await loadRegister(repository, world);
  return { world, repository, registers: createMemoryRegisterStore(buildSeedRegisters(world)) };
}

/** The reads certify makes, counted by name. */
function counted(repository: CentreRepository, registers: RegisterStore) {
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const countingRepository = Object.create(repository) as CentreRepository;
  countingRepository.listHouseholdMembers = (id) => {
    count('listHouseholdMembers');
    return repository.listHouseholdMembers(id);
  };
  const countingRegisters: RegisterStore = {
    ...registers,
    inkanOf: (id) => (count('inkanOf'), registers.inkanOf(id)),
    taxAssessment: (id, year) => (count('taxAssessment'), registers.taxAssessment(id, year)),
    kosekiOf: (id) => (count('kosekiOf'), registers.kosekiOf(id)),
    fuhyoOf: (id) => (count('fuhyoOf'), registers.fuhyoOf(id)),
  };
  return { calls, countingRepository, countingRegisters };
}

/** A document without its per-document random parts (id, salt, binding). */
const printed = ({ documentId, holderSalt, holderBinding, ...rest }: CertificateDocument) => {
  expect([documentId.length, holderSalt.length, holderBinding.length]).toEqual([16, 32, 64]);
  return rest;
};

describe("the menu's documents from one read of each register", () => {
  it('reads the household, the tax assessment, the 戸籍 and the 附票 once per sign-in, and the 印鑑 not again', async () => {
    const { repository, registers } = centre;
    // H0001: every certificate on the menu (住民票 both scopes, 記載事項, 印鑑, tax, the three 戸籍).
    const context = await menuContextFor(repository, registers, 'H0001', NOON_WEDNESDAY);
    if (!context.ok) throw new Error(context.error.kind);
    const menu = buildMenu(context.value.menu);
    expect(menu.every((item) => item.available)).toBe(true);
    const { calls, countingRepository, countingRegisters } = counted(repository, registers);
    const checked = await withPrintability({
      menu,
      context: context.value,
      frame: FRAME,
      repository: countingRepository,
      registers: countingRegisters,
      // Every document prints here: what is counted is the reads.
      check: () => [],
    });
    expect(checked).toEqual(menu);
    expect(Object.fromEntries(calls)).toEqual({
      listHouseholdMembers: 1,
      taxAssessment: 1,
      kosekiOf: 1,
      fuhyoOf: 1,
    });
  });

  it('builds the same documents from the shared reads as from the registers read each time', async () => {
    const { world, repository, registers } = centre;
    // Every 50th resident of the seed world, each certificate and 住民票 scope the menu offers.
    let documents = 0;
    for (const { holderId } of world.residents.filter((_, i) => i % 50 === 0)) {
      const context = await menuContextFor(repository, registers, holderId, NOON_WEDNESDAY);
      if (!context.ok) continue;
      const reads = readsOnce(repository, registers, {
        inkan: { holderId, registration: context.value.menu.inkan },
      });
      for (const item of buildMenu(context.value.menu)) {
        const decision = decideCertificate(item.certificateType, context.value.menu);
        if (!decision.available) continue;
        for (const scope of decision.options.scopes?.filter((s) => s !== 'members') ?? [undefined]) {
          const input = {
            type: item.certificateType,
            options: scope ? { scope } : {},
            allowed: decision.options,
            issuer: decision.issuer,
            context: context.value,
            frame: FRAME,
          };
          const alone = await certify({ ...input, repository, registers });
          const shared = await certify({ ...input, repository: reads, registers: reads });
          expect(shared.ok).toBe(alone.ok);
          if (alone.ok && shared.ok) {
            expect(printed(shared.value)).toEqual(printed(alone.value));
            documents++;
          }
        }
      }
    }
    expect(documents).toBeGreaterThan(50);
  });
});

describe('a context read for one certificate type', () => {
  it('decides that type as the whole context does, for every type, over a sample of the seed register', async () => {
    const { world, repository, registers } = centre;
    let decided = 0;
    for (const { holderId } of world.residents.filter((_, i) => i % 10 === 0)) {
      const whole = await menuContextFor(repository, registers, holderId, NOON_WEDNESDAY);
      for (const type of CERTIFICATE_TYPES) {
        const partial = await menuContextFor(
          repository,
          registers,
          holderId,
          NOON_WEDNESDAY,
          NOON_WEDNESDAY,
          type,
        );
        expect(partial.ok).toBe(whole.ok);
        if (!whole.ok || !partial.ok) continue;
        expect(decideCertificate(type, partial.value.menu)).toEqual(
          decideCertificate(type, whole.value.menu),
        );
        expect(partial.value.household).toEqual(whole.value.household);
        decided++;
      }
    }
    expect(decided).toBeGreaterThan(700);
  });

  it('reads no 印鑑, tax or 本籍地 register for a 住民票', async () => {
    const { repository, registers } = centre;
    const read: string[] = [];
    // The context asks for the menu's registers in one call (menuRegistersOf): what it asks is what it reads.
    const watching: RegisterStore = {
      ...registers,
      menuRegistersOf: (id, asked) => {
        if (asked.inkan) read.push('inkan');
        if (asked.taxYears) read.push('taxYears');
        if (asked.honsekiCode !== undefined) read.push('use');
        return registers.menuRegistersOf(id, asked);
      },
    };
    const context = await menuContextFor(
      repository,
      watching,
      'H0001',
      NOON_WEDNESDAY,
      NOON_WEDNESDAY,
      'juminhyo',
    );
    expect(context.ok).toBe(true);
    expect(read).toEqual([]);
    await menuContextFor(repository, watching, 'H0001', NOON_WEDNESDAY, NOON_WEDNESDAY, 'koseki-kojin');
    expect(read).toEqual(['use']);
  });
});
