/**
 * One place for the fuzz runs' size and seed. `npm test` runs a small run with a fixed seed (the
 * same inputs every time, so a failure reproduces); `npm run fuzz` sets FUZZ_RUNS high and, unless
 * FUZZ_SEED is given, a fresh seed; fast-check prints the seed and the shrunk input of a failure.
 */
import fc from 'fast-check';

const CI_SEED = 20261201;

function positiveInteger(name: string): number | undefined {
  const value = Number(process.env[name] ?? '');
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Parameters for `fc.assert`: `ciRuns` cases with the fixed seed unless FUZZ_RUNS says otherwise. */
export function fuzzParameters(ciRuns = 300): fc.Parameters<unknown> {
  const runs = positiveInteger('FUZZ_RUNS');
  const seed = positiveInteger('FUZZ_SEED');
  if (runs === undefined) return { numRuns: ciRuns, seed: seed ?? CI_SEED };
  return { numRuns: runs, ...(seed === undefined ? {} : { seed }) };
}

/** Bytes of any length up to `max`, as a plain Uint8Array. */
export function bytes(max = 300): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength: max });
}
