/**
 * The CI-sized fault test (`npm run test:faults -- --runs 1`): the kiosk host killed with SIGKILL
 * at every step boundary, restarted, recovered — and no paid transaction lost, nothing printed
 * twice, nothing billed that was not delivered.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../support/run-command.ts';

interface FaultRow {
  boundary: string;
  killed: boolean;
  recovery: string;
  finalState: string;
  printed: number;
  billed: string;
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
        '--runs',
        '1',
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

describe('fault test: the kiosk host killed at every step boundary', () => {
  it('loses no paid transaction, prints nothing twice and bills exactly what was delivered', async () => {
    const { code, rows } = await runFaults();
    expect(
      rows.map((r) => [r.boundary, r.killed, r.recovery, r.finalState, r.printed, r.billed, r.violations]),
    ).toEqual([
      ['created', true, '-', 'abandoned', 0, 'none', []],
      ['authenticated', true, '-', 'abandoned', 0, 'none', []],
      ['paid', true, 'reprinted', 'done', 1, 'billed×1', []],
      ['issued', true, 'reprinted', 'done', 1, 'billed×1', []],
      ['printing', true, 'refund-due', 'refund-due', 0, 'voided×0', []],
      ['printed', true, 'completed', 'done', 1, 'billed×1', []],
      ['done', true, '-', 'done', 1, 'billed×1', []],
    ]);
    expect(code).toBe(0);
  }, 900_000);
});
