import { describe, expect, it } from 'vitest';
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
});
