import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('PcscCardReader without pcscd', () => {
  it('reports service-down and times out a connect, without crashing or an unhandled error event', () => {
    const fixture = fileURLToPath(new URL('./service-down.fixture.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, PCSCLITE_CSOCK_NAME: '/nonexistent/pcscd.comm' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim()) as {
      seen: { kind: string; detail?: string }[];
      final: { kind: string };
      connect: unknown;
    };
    expect(out.seen[0]?.kind).toBe('service-down');
    expect(out.seen[0]?.detail).toMatch(/0x8010001d/i); // SCARD_E_NO_SERVICE
    expect(out.final.kind).toBe('service-down');
    expect(out.connect).toEqual({ kind: 'timeout', operation: 'connect' });
  });
});
