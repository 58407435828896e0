import type { SeedWorld } from '../seed/types.ts';
import type { CentreRepository } from './repository.ts';

/** Writes the seed world's register (municipalities, households, residents — never PINs) into the store. */
export async function loadRegister(repository: CentreRepository, world: SeedWorld): Promise<void> {
  for (const municipality of world.municipalities) await repository.putMunicipality(municipality);
  for (const household of world.households) await repository.putHousehold(household);
  for (const r of world.residents) {
    await repository.putResident({
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
      status: r.status,
      dvBlock: r.dvBlock,
      inkanRegistered: r.inkanRegistered,
      honseki: r.honseki,
    });
  }
}
