import { describe, expect, it } from 'vitest';
import { eventsBetween, nextCounter, readEventBuffer } from './event-counter.ts';

/** A buffered credit reply: counter, then (A, B) pairs newest first, zero-padded to five. */
function reply(counter: number, ...pairs: Array<[number, number]>): Uint8Array {
  const bytes = new Uint8Array(11);
  bytes[0] = counter;
  pairs.forEach(([a, b], i) => {
    bytes[1 + 2 * i] = a;
    bytes[2 + 2 * i] = b;
  });
  return bytes;
}

describe('event counter', () => {
  it('yields nothing when the same counter is read again (a repeated poll credits nothing twice)', () => {
    expect(readEventBuffer(7, reply(7, [3, 1]))).toEqual({ kind: 'unchanged' });
  });

  it('yields the new events oldest first', () => {
    expect(readEventBuffer(5, reply(7, [4, 1], [2, 1], [1, 1]))).toEqual({
      kind: 'events',
      events: [
        { a: 2, b: 1 },
        { a: 4, b: 1 },
      ],
      missed: 0,
      counter: 7,
    });
  });

  it('counts across the wrap from 255 to 1 (0 is skipped)', () => {
    expect(eventsBetween(254, 1)).toBe(2);
    expect(nextCounter(255)).toBe(1);
    const reading = readEventBuffer(255, reply(1, [1, 1], [2, 1]));
    expect(reading).toMatchObject({ kind: 'events', events: [{ a: 1, b: 1 }], missed: 0, counter: 1 });
  });

  it('says how many events were lost when more than five happened between two polls', () => {
    const reading = readEventBuffer(10, reply(18, [1, 1], [1, 1], [1, 1], [1, 1], [1, 1]));
    expect(reading).toMatchObject({ kind: 'events', missed: 3, counter: 18 });
    if (reading.kind === 'events') expect(reading.events).toHaveLength(5);
  });

  it('reports a device reset (counter back to 0) and a malformed reply', () => {
    expect(readEventBuffer(9, reply(0))).toEqual({ kind: 'reset' });
    expect(readEventBuffer(9, Uint8Array.of(10, 1, 1))).toEqual({ kind: 'malformed' });
  });
});
