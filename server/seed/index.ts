import { SEED_MUNICIPALITIES } from './municipalities.ts';
import { SEED_HOUSEHOLDS, SEED_RESIDENTS } from './residents.ts';
import type { CardListRow, SeedWorld } from './types.ts';

export type * from './types.ts';
export { isValidMunicipalityCode, municipalityCheckDigit } from './municipalities.ts';

/** The deterministic demo world: a fresh deep copy on every call, so callers may modify it. */
export function loadSeedWorld(): SeedWorld {
  return structuredClone({
    municipalities: [...SEED_MUNICIPALITIES],
    households: [...SEED_HOUSEHOLDS],
    residents: [...SEED_RESIDENTS],
  });
}

/** Rows for `npm run card -- --list --json`: holderId, name, municipality name, PINs. */
export function cardListRows(world: SeedWorld = loadSeedWorld()): CardListRow[] {
  const municipalities = new Map(world.municipalities.map((m) => [m.code, m]));
  return world.residents.map((r) => {
    const municipality = municipalities.get(r.municipalityCode);
    return {
      holderId: r.holderId,
      name: r.name,
      municipality: municipality?.name ?? '',
      authPin: r.card.authPin,
      signingPin: r.card.signingPin,
    };
  });
}
