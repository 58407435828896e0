import { describe, expect, it } from 'vitest';
import {
  cpuBudgetComparisons,
  cpuBudgetMs,
  databaseAndScaleComparisons,
  machineShareNote,
  type ThroughputFigures,
} from './comparisons.ts';

const sqlite: ThroughputFigures = {
  label: 'SQLite (WAL)',
  database: 'sqlite',
  centres: 1,
  issuancesPerSecond: 7.5,
  p99Ms: 1652,
  cpu: { centre: 35, responder: 7, terminals: 20 },
};
const postgres: ThroughputFigures = {
  label: 'PostgreSQL',
  database: 'postgres',
  centres: 1,
  issuancesPerSecond: 6,
  p99Ms: 2362,
  cpu: { centre: 43.75, responder: 7, terminals: 20, postgres: 9 },
};
const two: ThroughputFigures = {
  label: 'PostgreSQL, 2 centre processes',
  database: 'postgres',
  centres: 2,
  issuancesPerSecond: 12,
  p99Ms: 1181,
  cpu: { centre: 48, responder: 7, terminals: 20, postgres: 10 },
};

describe('centre bench comparisons', () => {
  it('puts SQLite beside PostgreSQL for one centre, and two centres beside one on PostgreSQL', () => {
    const lines = databaseAndScaleComparisons([sqlite, postgres, two], 'issuance');
    expect(lines).toEqual([
      {
        measure: 'issuance, one centre: SQLite beside PostgreSQL',
        ours: 'SQLite (WAL): 7.5/s, p99 1652 ms, centre CPU 35.0 ms a transaction',
        against: 'PostgreSQL: 6.0/s, p99 2362 ms, centre CPU 43.8 ms a transaction',
        comparison: '1.3× higher throughput, 1.4× lower p99, 1.3× less centre CPU',
      },
      {
        measure: 'issuance, PostgreSQL: 2 centres beside one',
        ours: 'PostgreSQL, 2 centre processes: 12.0/s, p99 1181 ms, centre CPU 48.0 ms a transaction',
        against: 'PostgreSQL: 6.0/s, p99 2362 ms, centre CPU 43.8 ms a transaction',
        comparison: '2.0× higher throughput, 2.0× lower p99, 1.1× more centre CPU',
      },
    ]);
  });

  it('leaves the CPU out where a run did not measure it (the load test)', () => {
    const { cpu: _a, ...sqliteLoad } = sqlite;
    const { cpu: _b, ...postgresLoad } = postgres;
    const [line] = databaseAndScaleComparisons([postgresLoad, sqliteLoad], 'load test');
    expect(line?.ours).toBe('SQLite (WAL): 7.5/s, p99 1652 ms');
    expect(line?.comparison).toBe('1.3× higher throughput, 1.4× lower p99');
  });

  it('says which side was not measured, and says nothing when neither was', () => {
    const lines = databaseAndScaleComparisons([sqlite], 'issuance');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.against).toBe('PostgreSQL not measured in this run');
    expect(lines[0]?.comparison).toBe('—');
    const scale = databaseAndScaleComparisons([two], 'issuance');
    expect(scale.map((l) => [l.ours, l.against])).toEqual([
      [
        expect.stringContaining('2 centre processes: 12.0/s'),
        'one centre on PostgreSQL not measured in this run',
      ],
    ]);
    expect(databaseAndScaleComparisons([], 'issuance')).toEqual([]);
  });

  it('allows 6.7 ms of CPU a transaction for 300/s on 2 cores', () => {
    expect(cpuBudgetMs(2, 300)).toBeCloseTo(6.67, 2);
    expect(cpuBudgetMs(4, 300)).toBeCloseTo(13.33, 2);
  });

  it('sets each case’s CPU a transaction, the centre alone and all parts, beside the budget', () => {
    const lines = cpuBudgetComparisons([sqlite, postgres], 2, 300);
    expect(lines).toEqual([
      {
        measure: 'CPU a transaction, SQLite (WAL), beside 300/s on 2 cores',
        ours: 'centre 35.0 + responder 7.0 + terminals 20.0 = 62.0 ms',
        against: '6.7 ms a transaction (2 cores × 1000 ms ÷ 300/s)',
        comparison: 'centre alone 5.3× over, all parts 9.3× over',
      },
      {
        measure: 'CPU a transaction, PostgreSQL, beside 300/s on 2 cores',
        ours: 'centre 43.8 + responder 7.0 + terminals 20.0 + PostgreSQL 9.0 = 79.8 ms',
        against: '6.7 ms a transaction (2 cores × 1000 ms ÷ 300/s)',
        comparison: 'centre alone 6.6× over, all parts 12.0× over',
      },
    ]);
    const quick = { ...sqlite, cpu: { centre: 2, responder: 1, terminals: 1 } };
    expect(cpuBudgetComparisons([quick], 2, 300)[0]?.comparison).toBe(
      'centre alone 3.3× under, all parts 1.7× under',
    );
    const { cpu: _cpu, ...unmeasured } = sqlite;
    expect(cpuBudgetComparisons([unmeasured], 2, 300)).toEqual([]);
  });

  it("says each part's share of the machine, the other work and the idle time", () => {
    // 10 s on 2 cores: 20,000 ms; 18,000 busy, of which the parts 15,000.
    const note = machineShareNote(
      'PostgreSQL',
      2,
      { busyMs: 18_000, totalMs: 20_000 },
      { centre: 8000, responder: 1000, terminals: 5000, postgres: 1000 },
    );
    expect(note).toBe(
      "PostgreSQL, share of the machine's 2 cores over the measured run: centre 40%, responder 5%, terminals 25%, PostgreSQL 5%, other work 15%, idle 10%.",
    );
    // The parts' ticks and the machine's are read at slightly different moments: never below 0.
    expect(
      machineShareNote(
        'SQLite',
        2,
        { busyMs: 100, totalMs: 100 },
        { centre: 80, responder: 10, terminals: 20 },
      ),
    ).toContain('other work 0%, idle 0%');
    expect(machineShareNote('SQLite', 2, { busyMs: 0, totalMs: 0 }, sqlite.cpu!)).toContain('centre —');
  });
});
