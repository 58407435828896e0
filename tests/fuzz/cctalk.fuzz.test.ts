import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventsBetween,
  nextCounter,
  readEventBuffer,
  type BufferedEvent,
} from '../../electron/payment/cctalk/event-counter.ts';
import {
  checksum,
  encodeFrame,
  FrameDecoder,
  MAX_DATA_LENGTH,
  type CctalkFrame,
} from '../../electron/payment/cctalk/frame.ts';
import { EVENT_BUFFER_SIZE } from '../../electron/payment/cctalk/headers.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The coin and bill mechanisms' serial line (ccTalk) under hostile bytes: the frame decoder never
 * throws or loops, reads back every frame it encodes however the stream is cut, and never takes a
 * frame with one damaged byte (other than its length byte) for a good one; the buffered-event
 * reader never credits an event twice and counts the ones it missed.
 */
const frameArb: fc.Arbitrary<CctalkFrame> = fc.record({
  destination: fc.integer({ min: 0, max: 255 }),
  source: fc.integer({ min: 0, max: 255 }),
  header: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: MAX_DATA_LENGTH }),
});

/** Cuts `stream` at the given fractions into chunks, as a serial port delivers them. */
function chunked(stream: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * stream.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(stream.subarray(at, p));
    at = p;
  }
  out.push(stream.subarray(at));
  return out;
}

const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

describe('ccTalk frames from a hostile serial line', () => {
  it('decodes any byte stream, cut anywhere, to checksummed frames or typed errors, never throwing', () => {
    fc.assert(
      fc.property(bytes(600), cutsArb, (stream, cuts) => {
        const decoder = new FrameDecoder();
        for (const chunk of chunked(stream, cuts)) {
          for (const result of decoder.push(chunk)) {
            if (result.ok) {
              expect(result.frame.data.length).toBeLessThanOrEqual(MAX_DATA_LENGTH);
              const again = encodeFrame(result.frame);
              expect(checksum(again.subarray(0, again.length - 1))).toBe(again[again.length - 1]);
            } else {
              expect(['checksum', 'too-long']).toContain(result.error.kind);
            }
          }
        }
      }),
      fuzzParameters(),
    );
  });

  it('reads back every sequence of frames it encodes, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 5 }), cutsArb, (frames, cuts) => {
        const encoded = frames.map(encodeFrame);
        const stream = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
        let at = 0;
        for (const e of encoded) {
          stream.set(e, at);
          at += e.length;
        }
        const decoder = new FrameDecoder();
        const results = chunked(stream, cuts).flatMap((chunk) => decoder.push(chunk));
        expect(results).toEqual(frames.map((frame) => ({ ok: true, frame })));
      }),
      fuzzParameters(),
    );
  });

  it('never takes a frame with one damaged byte (other than the length byte) for a good one', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (frame, where, delta) => {
        const damaged = encodeFrame(frame).slice();
        const candidates = [...damaged.keys()].filter((i) => i !== 1);
        const at = candidates[where % candidates.length]!;
        damaged[at] = (damaged[at]! + delta) & 0xff;
        const results = new FrameDecoder().push(damaged);
        expect(results).toEqual([{ ok: false, error: { kind: 'checksum', frame: damaged } }]);
      }),
      fuzzParameters(),
    );
  });
});

describe('ccTalk buffered credit and bill events', () => {
  it('reads any reply against any counter without throwing, never more events than happened', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), bytes(16), (previous, reply) => {
        const reading = readEventBuffer(previous, reply);
        if (reading.kind === 'events') {
          expect(reading.events.length).toBeLessThanOrEqual(EVENT_BUFFER_SIZE);
          expect(reading.events.length + reading.missed).toBe(eventsBetween(previous, reading.counter));
          expect(reading.counter).toBe(reply[0]);
        } else {
          expect(['unchanged', 'reset', 'malformed']).toContain(reading.kind);
        }
      }),
      fuzzParameters(),
    );
  });

  it('gives each event of a device once, in order, and counts those that fell out of the buffer', () => {
    const eventArb = fc.record({ a: fc.integer({ min: 0, max: 255 }), b: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.array(eventArb, { maxLength: 9 }), { minLength: 1, maxLength: 6 }),
        (startCounter, bursts) => {
          // The device: a counter 1…255 (0 only before its first event) and the five newest events.
          let deviceCounter = startCounter;
          let buffer: BufferedEvent[] = [];
          let seen = startCounter;
          const happened: BufferedEvent[] = [];
          const credited: BufferedEvent[] = [];
          let missed = 0;
          for (const burst of bursts) {
            for (const event of burst) {
              deviceCounter = nextCounter(deviceCounter);
              buffer = [event, ...buffer].slice(0, EVENT_BUFFER_SIZE);
              happened.push(event);
            }
            const reply = new Uint8Array(1 + 2 * EVENT_BUFFER_SIZE);
            reply[0] = deviceCounter;
            buffer.forEach((e, i) => {
              reply[1 + 2 * i] = e.a;
              reply[2 + 2 * i] = e.b;
            });
            // Polled twice: the repeat must credit nothing.
            for (const poll of [0, 1]) {
              const reading = readEventBuffer(seen, reply);
              if (burst.length === 0 || poll === 1) {
                expect(reading).toEqual({ kind: 'unchanged' });
                continue;
              }
              expect(reading.kind).toBe('events');
              if (reading.kind !== 'events') return;
              credited.push(...reading.events);
              missed += reading.missed;
              seen = reading.counter;
            }
          }
          // What was credited is what happened, less the events that fell out of the buffer.
          expect(credited.length + missed).toBe(happened.length);
          let from = 0;
          for (const burst of bursts) {
            const kept = burst.slice(Math.max(0, burst.length - EVENT_BUFFER_SIZE));
            expect(credited.slice(from, from + kept.length)).toEqual(kept);
            from += kept.length;
          }
        },
      ),
      fuzzParameters(),
    );
  });
});
