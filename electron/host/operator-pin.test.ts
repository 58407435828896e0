import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileOperatorPinLockStore } from './operator-pin-lock.ts';
import { readOperatorPinFile } from './operator-pin-file.ts';
import {
  createOperatorPinGate,
  hashOperatorPin,
  OPERATOR_PIN_LOCK_MS,
  OperatorPinRecordSchema,
} from './operator-pin.ts';

const FAST = { N: 1024, r: 8, p: 1 };
const pin = (digits: string) => Buffer.from(digits, 'utf8');

describe('operator PIN', () => {
  it('is kept as a salted scrypt hash, never as the digits', async () => {
    const record = await hashOperatorPin('246810', FAST);
    expect(OperatorPinRecordSchema.parse(record)).toEqual(record);
    expect(JSON.stringify(record)).not.toContain('246810');
    const again = await hashOperatorPin('246810', FAST);
    expect(again.hash).not.toBe(record.hash);
    await expect(hashOperatorPin('12a4', FAST)).rejects.toThrow(RangeError);
  });

  it('opens with the right PIN and counts the wrong ones', async () => {
    const gate = createOperatorPinGate(await hashOperatorPin('246810', FAST));
    expect(await gate.check(pin('246811'))).toEqual({ kind: 'wrong', triesLeft: 4 });
    expect(await gate.check(pin('246810'))).toEqual({ kind: 'ok' });
    // A right PIN resets the count.
    expect(await gate.check(pin('000000'))).toEqual({ kind: 'wrong', triesLeft: 4 });
  });

  it('locks after 5 wrong tries, refuses even the right PIN while locked, and opens after the lock', async () => {
    let now = 1_000_000;
    const gate = createOperatorPinGate(await hashOperatorPin('246810', FAST), { now: () => now });
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await gate.check(pin(`10000${i}`)));
    expect(outcomes.map((o) => o.kind)).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    expect(gate.lockedUntil()).toBe(1_000_000 + OPERATOR_PIN_LOCK_MS);
    now += OPERATOR_PIN_LOCK_MS - 1;
    expect(await gate.check(pin('246810'))).toEqual({
      kind: 'locked',
      until: 1_000_000 + OPERATOR_PIN_LOCK_MS,
    });
    now += 1;
    expect(gate.lockedUntil()).toBeNull();
    expect(await gate.check(pin('246810'))).toEqual({ kind: 'ok' });
  });

  it('counts a burst of concurrent guesses one by one', async () => {
    const gate = createOperatorPinGate(await hashOperatorPin('246810', FAST), { now: () => 0 });
    const burst = await Promise.all(Array.from({ length: 7 }, (_, i) => gate.check(pin(`99999${i}`))));
    expect(burst.filter((o) => o.kind === 'wrong')).toHaveLength(4);
    expect(burst.filter((o) => o.kind === 'locked')).toHaveLength(3);
    expect(await gate.check(pin('246810'))).toMatchObject({ kind: 'locked' });
  });

  describe('across a restart of the host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'operator-pin-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A host start as start-from-environment does it: the PIN file read, the lock beside it. */
    async function startGate(pinFile: string, now: () => number) {
      const loaded = await readOperatorPinFile(pinFile);
      if (!loaded.ok || loaded.lockPath === null) throw new Error('the PIN file did not load');
      return createOperatorPinGate(loaded.record, {
        now,
        lockStore: fileOperatorPinLockStore(loaded.lockPath, { now, lockMs: OPERATOR_PIN_LOCK_MS }),
      });
    }

    it('keeps the lock: a host started again refuses the right PIN until the lock ends', async () => {
      const pinFile = join(dir, 'locked.json');
      writeFileSync(pinFile, JSON.stringify(await hashOperatorPin('246810', FAST)));
      let now = 5_000_000;
      const first = await startGate(pinFile, () => now);
      for (let i = 0; i < 5; i++) await first.check(pin(`55555${i}`));
      expect(first.lockedUntil()).toBe(5_000_000 + OPERATOR_PIN_LOCK_MS);
      const lockFile = readFileSync(`${pinFile}.lock.json`, 'utf8');
      expect(lockFile).not.toContain('55555');

      const restarted = await startGate(pinFile, () => now);
      expect(restarted.lockedUntil()).toBe(5_000_000 + OPERATOR_PIN_LOCK_MS);
      expect(await restarted.check(pin('246810'))).toEqual({
        kind: 'locked',
        until: 5_000_000 + OPERATOR_PIN_LOCK_MS,
      });
      now += OPERATOR_PIN_LOCK_MS;
      const later = await startGate(pinFile, () => now);
      expect(await later.check(pin('246810'))).toEqual({ kind: 'ok' });
    });

    it('keeps the count: restarting between guesses buys no extra tries', async () => {
      const pinFile = join(dir, 'counted.json');
      writeFileSync(pinFile, JSON.stringify(await hashOperatorPin('246810', FAST)));
      const now = () => 7_000_000;
      const kinds = [];
      for (let i = 0; i < 5; i++) {
        const gate = await startGate(pinFile, now);
        kinds.push((await gate.check(pin(`77777${i}`))).kind);
      }
      expect(kinds).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    });

    it('fails closed on a damaged lock file: locked from the start, never unlocked', async () => {
      const pinFile = join(dir, 'damaged.json');
      writeFileSync(pinFile, JSON.stringify(await hashOperatorPin('246810', FAST)));
      writeFileSync(`${pinFile}.lock.json`, '{"wrong": "many"');
      const gate = await startGate(pinFile, () => 9_000_000);
      expect(await gate.check(pin('246810'))).toEqual({
        kind: 'locked',
        until: 9_000_000 + OPERATOR_PIN_LOCK_MS,
      });
    });
  });
});
