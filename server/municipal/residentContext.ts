import type { CentreRepository } from '../db/repository.ts';
import type { HouseholdRecord } from '../db/records.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import type { MenuContext } from './menu.ts';

export interface ResidentContext {
  household: HouseholdRecord;
  menu: MenuContext;
}

/**
 * Reads the resident, household and municipalities from the register now, and refuses residents
 * who cannot use the service at all (moved out, deceased, municipality not participating).
 */
export async function menuContextFor(
  repository: CentreRepository,
  holderId: string,
  now: Date,
): Promise<CentreResult<ResidentContext>> {
  const resident = await repository.getResident(holderId);
  if (!resident) return fail('resident-unknown', 'holder not on the register');
  if (resident.status === 'moved-out') return fail('resident-moved-out');
  if (resident.status === 'deceased') return fail('resident-deceased');
  const household = await repository.getHousehold(resident.householdId);
  const residence = household ? await repository.getMunicipality(household.municipalityCode) : undefined;
  if (!household || !residence)
    return fail('internal', 'register inconsistent: household or municipality missing');
  if (!residence.participating) return fail('municipality-not-participating');
  const honsekiMunicipality = resident.honseki
    ? await repository.getMunicipality(resident.honseki.municipalityCode)
    : undefined;
  const menu: MenuContext = { resident, residence, now };
  if (honsekiMunicipality) menu.honsekiMunicipality = honsekiMunicipality;
  return succeed({ household, menu });
}
