import { EVENT_BUFFER_SIZE } from './headers.ts';

/** One (A, B) result pair of a credit or bill event buffer. */
export interface BufferedEvent {
  a: number;
  b: number;
}

export type EventBufferReading =
  | { kind: 'unchanged' }
  /** New events, oldest first; `missed` events happened but fell out of the 5-deep buffer. */
  | { kind: 'events'; events: BufferedEvent[]; missed: number; counter: number }
  /** The counter went back to 0: the device was reset and may have lost events. */
  | { kind: 'reset' }
  | { kind: 'malformed' };

/** How many events happened between two counter values (1…255, wrapping to 1). */
export function eventsBetween(previous: number, current: number): number {
  if (previous === 0) return current;
  return current >= previous ? current - previous : 255 - previous + current;
}

/**
 * Reads a buffered credit / bill event reply ([counter, A1, B1, …, A5, B5], newest first) against
 * the counter last seen. A repeated poll with the same counter yields nothing (no double credit);
 * more than five new events means some were missed and says how many.
 */
export function readEventBuffer(previousCounter: number, reply: Uint8Array): EventBufferReading {
  if (reply.length !== 1 + 2 * EVENT_BUFFER_SIZE) return { kind: 'malformed' };
  const counter = reply[0] as number;
  if (counter === previousCounter) return { kind: 'unchanged' };
  if (counter === 0) return { kind: 'reset' };
  const count = eventsBetween(previousCounter, counter);
  const available = Math.min(count, EVENT_BUFFER_SIZE);
  const events: BufferedEvent[] = [];
  for (let i = available - 1; i >= 0; i--)
    events.push({ a: reply[1 + 2 * i] as number, b: reply[2 + 2 * i] as number });
  return { kind: 'events', events, missed: count - available, counter };
}

/** The counter after `current` (device side): 1…255, never 0 again. */
export function nextCounter(current: number): number {
  return current >= 255 ? 1 : current + 1;
}
