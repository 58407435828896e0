import { entryFactsOf, foreignFactsOf } from '../seed/resident-facts.ts';
import type { SeedResident, SeedWorld } from '../seed/types.ts';
import type { ResidentRecord } from './records.ts';
import type { CentreRepository } from './repository.ts';

/** The register's view of a seed resident: everything but the card (no PINs ever reach the store). */
export function residentRecordOf(r: SeedResident): ResidentRecord {
  return {
    holderId: r.holderId,
    householdId: r.householdId,
    municipalityCode: r.municipalityCode,
    householdOrder: r.householdOrder,
    name: r.name,
    nameKana: r.nameKana,
    birthDate: r.birthDate,
    sex: r.sex,
    relationship: r.relationship,
    residentSince: r.residentSince,
    previousAddress: r.previousAddress,
    kyuuji: r.kyuuji,
    tsusho: r.tsusho,
    nationality: r.nationality,
    ...entryFactsOf(r),
    foreign: foreignFactsOf(r),
    status: r.status,
    dvBlock: r.dvBlock,
    inkanRegistered: r.inkanRegistered,
    honseki: r.honseki,
  };
}

/**
 * Writes the seed world's register (municipalities, households, residents — never PINs) in one
 * transaction. Municipal rules are written where the seed owns them (new, or last set by a load);
 * rules a municipality set through the admin API are kept.
 */
export async function loadRegister(
  repository: CentreRepository,
  world: SeedWorld,
  loadedAt: number = Date.now(),
): Promise<void> {
  await repository.putRegister({
    loadedAt,
    municipalities: world.municipalities,
    households: world.households,
    residents: world.residents.map(residentRecordOf),
  });
}
