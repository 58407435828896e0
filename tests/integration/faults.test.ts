/**
 * The CI-sized fault test (`npm run test:faults -- --ci`): the kiosk host killed with SIGKILL at
 * every step boundary, restarted, recovered; the centre killed before issue, the printer before
 * the job, the payment simulator mid-payment, each restarted while the host lives on — and no
 * paid transaction lost, no money taken without a record, nothing printed twice, nothing billed
 * that was not delivered. The full run (every victim at every boundary, random times) is
 * `npm run test:faults`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../support/run-command.ts';

interface FaultRow {
  victim: string;
  at: string;
  stateAtKill: string;
  killed: boolean;
  recovery: string;
  finalState: string;
  printed: number;
  billed: string;
  next: string;
  violations: string[];
}

function runFaults(): Promise<{ code: number | null; rows: FaultRow[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(PROJECT_ROOT, 'scripts', 'test-faults.ts'),
        '--ci',
        '--json',
        '--world',
        inject('worldDir'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      try {
        resolve({ code, rows: (JSON.parse(stdout) as { rows: FaultRow[] }).rows });
      } catch {
        reject(new Error(`npm run test:faults printed no report (exit ${code}); its errors are above`));
      }
    });
  });
}

describe('fault test: the kiosk host killed at every step boundary, and the centre, printer and payment once each', () => {
  it('loses no paid transaction, prints nothing twice and bills exactly what was delivered', async () => {
    const { code, rows } = await runFaults();
    expect(
      rows.map((r) => [
        r.victim,
        r.at,
        r.stateAtKill,
        r.killed,
        r.recovery,
        r.finalState,
        r.printed,
        r.billed,
        r.next,
        r.violations,
      ]),
    ).toEqual([
      ['host', 'created', 'created', true, '-', 'abandoned', 0, 'none', '-', []],
      ['host', 'authenticated', 'authenticated', true, '-', 'abandoned', 0, 'none', '-', []],
      ['host', 'paid', 'paid', true, 'reprinted', 'done', 1, 'billed×1', '-', []],
      ['host', 'issued', 'issued', true, 'reprinted', 'done', 1, 'billed×1', '-', []],
      ['host', 'printing', 'printing', true, 'refund-due', 'refund-due', 0, 'voided×0', '-', []],
      ['host', 'printed', 'printed', true, 'completed', 'done', 1, 'billed×1', '-', []],
      ['host', 'done', 'done', true, '-', 'done', 1, 'billed×1', '-', []],
      // The centre dies before issue: nothing issued, the money paid back at the slot.
      ['centre', 'paid', 'paid', true, '-', 'refunded', 0, 'none', '-', []],
      // The printer dies before the job: the issued document is voided, the money paid back.
      ['printer', 'issued', 'issued', true, '-', 'refunded', 0, 'voided×0', '-', []],
      // The acceptor dies with a coin in: it cannot pay it back, so the journal owes it. A new
      // acceptor on the same line: the host, alive all along, takes the next resident's money.
      ['payment', 'credit', 'authenticated', true, '-', 'refund-due', 0, 'none', 'done, billed×1', []],
    ]);
    expect(code).toBe(0);
  }, 900_000);
});
