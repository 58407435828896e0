import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measureDataSyncs } from './disk-bench.ts';

describe('measureDataSyncs', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('times each fdatasync, sorted, and leaves nothing behind in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'disk-bench-test-'));
    dirs.push(dir);
    const times = measureDataSyncs(dir, 0.2);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(readdirSync(dir)).toEqual([]);
  });
});
