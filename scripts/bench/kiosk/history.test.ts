import { describe, expect, it } from 'vitest';
import { besidePrevious, parseKioskRun, type KioskRun } from './history.ts';

const run = (figures: KioskRun['figures']): KioskRun => ({
  at: '2026-12-01T00:00:00.000Z',
  transactions: 100,
  pageTransactions: 100,
  figures,
});

describe('kiosk bench history', () => {
  it('prints each figure measured now beside the previous run and the change', () => {
    const rows = besidePrevious(
      run({ cardToFirstByteP50Ms: 150, rendererHeapAfterAllMb: 3.8 }),
      run({ cardToFirstByteP50Ms: 200, hostHeapAfterAllMb: 90 }),
    );
    expect(rows).toEqual([
      {
        measure: 'card placed → first byte at the printer, p50 (ms)',
        now: 150,
        previous: 200,
        change: '-25%',
      },
      { measure: 'renderer JS heap after all (MB)', now: 3.8, previous: '—', change: '—' },
    ]);
  });

  it('reads back what it wrote, and takes an older or broken file as no previous run', () => {
    const written = run({ coldStartHostMs: 812.5 });
    expect(parseKioskRun(JSON.stringify(written))).toEqual(written);
    expect(parseKioskRun(JSON.stringify({ at: 'x', coldStartMs: 1, p50Ms: 2 }))).toBeUndefined();
    expect(parseKioskRun('{not json')).toBeUndefined();
    expect(parseKioskRun(undefined)).toBeUndefined();
  });
});
