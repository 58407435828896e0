/**
 * The load test, CI-sized (issue 14): two centre processes behind HAProxy (TLS passed through,
 * so each centre checks the kiosk's terminal certificate itself) on one PostgreSQL; kiosks with
 * their own cards and terminal certificates overlap on purpose (one household, one municipality,
 * the same second). One centre is killed with SIGKILL and started again, and PostgreSQL is
 * restarted, in the middle of the run: every transaction still completes after retries, no
 * document belongs to anyone but its card's holder, and the ledger shows each completed
 * transaction billed exactly once. No vpcd: the cards are in-process.
 */
import { describe, expect, it } from 'vitest';
import { runLoadtest } from '../../scripts/loadtest/run.ts';

describe('load test: two centres behind HAProxy on one PostgreSQL, a centre killed and PostgreSQL restarted', () => {
  it('mis-issues nothing, loses nothing, bills nothing twice', { timeout: 240_000 }, async () => {
    const report = await runLoadtest({
      kiosks: 4,
      warmUp: 4,
      transactions: 18,
      centres: 2,
      db: 'postgres',
      balancer: 'haproxy',
      chaos: true,
      render: false,
    });
    expect(report.chaos).toHaveLength(3);
    expect(report.unexpectedCentreExits).toEqual([]);
    expect(report.misIssued).toBe(0);
    // Each failed transaction's step and last error, so a failure says why (and the attempts before it).
    expect({ failed: report.failedDetails, attempts: report.failed > 0 ? report.errorsByKind : {} }).toEqual({
      failed: [],
      attempts: {},
    });
    // The warm-up's transactions are not timed or counted as completed, but audited with the rest.
    expect(report.completed + report.notOffered).toBe(18);
    expect(report.options.warmUp).toBe(4);
    expect(report.completed).toBeGreaterThan(0);
    expect(report.ledger).toEqual({
      lost: [],
      billedTwice: [],
      billedUndelivered: [],
      wrongHolder: [],
      pending: 0,
    });
  });
});
