import { SEED_MUNICIPALITIES } from './municipalities.ts';
import { SEED_HOUSEHOLDS, SEED_RESIDENTS } from './residents.ts';
import { generateResidents } from './generated.ts';
import type { CardListRow, SeedWorld } from './types.ts';

export type * from './types.ts';
export { isValidMunicipalityCode, municipalityCheckDigit } from './municipalities.ts';
export { generateResidents, GENERATED_RESIDENT_COUNT, SEED_REFERENCE_DATE } from './generated.ts';

/** Built once per process: the 12 hand-written residents, then the generated ones. */
let generated: ReturnType<typeof generateResidents> | undefined;

/** The deterministic demo world: a fresh deep copy on every call, so callers may modify it. */
export function loadSeedWorld(): SeedWorld {
  generated ??= generateResidents();
  return structuredClone({
    municipalities: [...SEED_MUNICIPALITIES],
    households: [...SEED_HOUSEHOLDS, ...generated.households],
    residents: [...SEED_RESIDENTS, ...generated.residents],
  });
}

/** Rows for `npm run card -- --list --json`: holderId, name, municipality name, PINs, and the card's condition and locks when not ordinary. */
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
      ...(r.card.condition !== 'valid' ? { condition: r.card.condition } : {}),
      ...(r.card.lockedPins?.length ? { lockedPins: [...r.card.lockedPins] } : {}),
    };
  });
}
export { buildSeedRegisters, SEED_FISCAL_YEARS } from './registers.ts';
