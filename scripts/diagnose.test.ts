/**
 * `npm run diagnose` as a process: its JSON is the health operator mode shows, and its exit code
 * is the verdict's (0 healthy, 1 degraded, 2 out of service — 0 and 1 from the same assessment in
 * electron/diagnostics/collect-health.test.ts). Here: a kiosk whose centre is down and whose
 * operator switched it off is out of service, exit 2, and says why.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskHealthSchema } from '../protocol/heartbeat.ts';

let dir: string;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function diagnose(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/diagnose.ts', ...args], { timeout: 60_000 }, (error, stdout) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'diagnose-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run diagnose', () => {
  it('prints the health as JSON and exits 2 when the kiosk is out of service', async () => {
    const switchFile = join(dir, 'switch.json');
    await writeFile(switchFile, JSON.stringify({ notice: 'maintenance', since: '2026-12-02T00:00:00.000Z' }));
    const port = await closedPort();
    const result = await diagnose([
      '--json',
      '--no-reader',
      '--centre',
      `http://127.0.0.1:${port}`,
      '--printer',
      `ipp://127.0.0.1:${port}/ipp/print`,
      '--switch',
      switchFile,
      '--journal',
      join(dir, 'no-journal.sqlite'),
    ]);
    expect(result.code).toBe(2);
    const output = JSON.parse(result.stdout) as { health: unknown; counts: unknown };
    const health = KioskHealthSchema.parse(output.health);
    expect(health.overall).toBe('out-of-service');
    expect(health.outOfServiceSince).toBe('2026-12-02T00:00:00.000Z');
    expect(health.problems.map((p) => p.code)).toEqual([
      'out-of-service-switch',
      'reader-missing',
      'printer-unreachable',
      'centre-unreachable',
    ]);
    expect(health.payment.state).toBe('not-checked');
    expect(output.counts).toBeNull();
  });
});
