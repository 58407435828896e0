/**
 * SQLite shared by several centre processes (not one process on a synchronous driver, which cannot
 * race): child processes consume the same challenges and bind the same transactions at once. Each
 * challenge is consumed once, each transaction bound to one card, and no process gets SQLITE_BUSY.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSeedWorld } from '../seed/index.ts';
import { loadRegister } from './seedLoader.ts';
import { openCentreRepository } from './openRepository.ts';

const CONTENDER = fileURLToPath(new URL('../test-support/sqlite-contender.ts', import.meta.url));
const PROCESSES = 4;
const ROUNDS = 400;
const dir = mkdtempSync(join(tmpdir(), 'sqlite-processes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ContenderResult {
  card: string;
  consumed: number[];
  saved: number[];
  errors: string[];
}

describe('SQLite under several processes', () => {
  it('consumes each challenge once and binds each transaction to one card, without SQLITE_BUSY', async () => {
    const path = join(dir, 'centre.sqlite');
    const setup = await openCentreRepository({ databasePath: path });
    await loadRegister(setup, loadSeedWorld());
    for (let i = 0; i < ROUNDS; i++)
      await setup.putChallenge({
        challenge: `c${i}`,
        terminalId: 'S0001-T01',
        transactionId: `tx-${i}`,
        expiresAt: 10_000,
      });
    await setup.close();

    const children = Array.from({ length: PROCESSES }, (_, n) => {
      const card = String(n).repeat(64);
      const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, path, card, String(ROUNDS)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let out = '';
      let markReady!: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) markReady();
      });
      const done = new Promise<ContenderResult>((resolve, reject) =>
        child.once('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(out.slice('ready\n'.length)) as ContenderResult)
            : reject(new Error(`contender exited ${code}`)),
        ),
      );
      return { child, ready, done };
    });
    // Every process has opened the database before any starts: they race from the first round.
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.done));

    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const consumed = results.flatMap((r) => r.consumed).sort((a, b) => a - b);
    expect(consumed).toEqual(Array.from({ length: ROUNDS }, (_, i) => i));
    const check = await openCentreRepository({ databasePath: path });
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const session = await check.getSession(`tx-${i}`);
        const winners = results.filter((r) => r.saved.includes(i)).map((r) => r.card);
        // Exactly one card saved the transaction, and it is the one stored.
        expect(winners).toEqual([session?.certificateFingerprint]);
      }
    } finally {
      await check.close();
    }
  }, 120_000);
});
