import { describe, expect, it } from 'vitest';
import { boundaryScenarios, ciScenarios, randomScenarios, seededRandom } from './scenarios.ts';

describe('fault scenarios', () => {
  it('replays the same random kills from the same seed, and others from another', () => {
    const a = randomScenarios(5, 42, ['host', 'centre', 'payment', 'printer'], 4_000);
    expect(randomScenarios(5, 42, ['host', 'centre', 'payment', 'printer'], 4_000)).toEqual(a);
    expect(randomScenarios(5, 43, ['host', 'centre', 'payment', 'printer'], 4_000)).not.toEqual(a);
    for (const s of a) {
      expect(s.kind === 'random' && s.afterMs >= 0 && s.afterMs <= 4_000).toBe(true);
    }
    const draws = Array.from({ length: 1000 }, seededRandom(7));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('kills the payment simulator mid-payment as well as at every boundary', () => {
    expect(boundaryScenarios('payment').map((s) => s.kind === 'boundary' && s.at)).toEqual([
      'created',
      'authenticated',
      'credit',
      'paid',
      'issued',
      'printing',
      'printed',
      'done',
    ]);
  });

  it('covers every host boundary and each other victim once in the CI-sized run', () => {
    const ci = ciScenarios();
    expect(ci.filter((s) => s.victim === 'host')).toHaveLength(7);
    expect(new Set(ci.map((s) => s.victim))).toEqual(new Set(['host', 'centre', 'printer', 'payment']));
  });
});
