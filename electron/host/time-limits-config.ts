/**
 * The screens' time limits as an operator writes them: `menuIdleMs=90000,paymentIdleMs=120000`
 * (any of the session machine's `Timeouts`, in milliseconds, 1 s to 1 h). A wrong name or value is
 * a typed refusal, never a silent default.
 */
import { DEFAULT_TIMEOUTS, type Timeouts } from './session-machine.ts';

export type TimeLimitsParse =
  | { ok: true; timeouts: Partial<Timeouts> }
  | { ok: false; problem: 'unknown-limit' | 'bad-value'; at: string };

const MIN_MS = 1_000;
const MAX_MS = 3_600_000;

export function parseTimeLimits(text: string): TimeLimitsParse {
  const timeouts: Partial<Timeouts> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [name, value, extra] = part.split('=');
    if (name === undefined || !Object.hasOwn(DEFAULT_TIMEOUTS, name))
      return { ok: false, problem: 'unknown-limit', at: part };
    const ms = Number(value);
    if (extra !== undefined || value === undefined || !/^\d+$/.test(value) || ms < MIN_MS || ms > MAX_MS)
      return { ok: false, problem: 'bad-value', at: part };
    timeouts[name as keyof Timeouts] = ms;
  }
  return { ok: true, timeouts };
}
