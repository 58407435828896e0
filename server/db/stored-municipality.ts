import { MunicipalityConfigSchema, type MunicipalityRecord } from './records.ts';

/**
 * A municipality's stored configuration (its rules, fees, hours), read back: parsed and checked
 * once per stored text, not on every read. Every authentication and issue reads its resident's
 * municipality several times, and the text changes only when the municipality's rules do — a new
 * text is a new entry, so an answer is never stale. The record is frozen, since callers share it.
 */
const MAX_ENTRIES = 512;
const parsed = new Map<string, MunicipalityRecord>();

export function storedMunicipality(json: string): MunicipalityRecord {
  const known = parsed.get(json);
  if (known) return known;
  const record = deepFreeze(MunicipalityConfigSchema.parse(JSON.parse(json)));
  if (parsed.size >= MAX_ENTRIES) parsed.delete(parsed.keys().next().value as string);
  parsed.set(json, record);
  return record;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
