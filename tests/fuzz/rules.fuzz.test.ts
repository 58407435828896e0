import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMunicipalRules } from '../../server/municipal/rules.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { fuzzParameters } from './settings.ts';

/**
 * A municipality's rules come from its clerks (admin API, later the console): any JSON must give
 * valid rules or a list of precise problems, never an exception.
 */
const seededRules: unknown[] = loadSeedWorld().municipalities;

/** A seeded municipality's rules with one value somewhere replaced by arbitrary JSON. */
function mutate(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path;
  const index = head! % entries.length;
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const [key, child] = entries[index]!;
  (copy as Record<string | number, unknown>)[key] = mutate(child, rest, replacement);
  return copy;
}

describe('municipal rules schema under hostile input', () => {
  it('accepts every seeded municipality as it is', () => {
    for (const rules of seededRules) expect(parseMunicipalRules(rules).ok).toBe(true);
  });

  it('gives rules or precise problems for any JSON, never throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const result = parseMunicipalRules(input);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      fuzzParameters(),
    );
  });

  it('names where a mutated seeded rule set is wrong, and what it accepts still parses the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seededRules),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.jsonValue(),
        (rules, path, replacement) => {
          const result = parseMunicipalRules(mutate(rules, path, replacement));
          if (result.ok)
            expect(parseMunicipalRules(JSON.parse(JSON.stringify(result.rules)))).toEqual(result);
          else for (const error of result.errors) expect(error).toMatch(/^[^:]+: ./);
        },
      ),
      fuzzParameters(),
    );
  });
});
