import { describe, expect, it } from 'vitest';
import { TerminalError } from '../bench/centre/terminal.ts';
import { errorKind, retryable } from './transaction.ts';

/** A refusal as the centre answers it: `{ error: { code, messageKey } }`. */
const refused = (step: 'authenticate' | 'issue', status: number, code: string) =>
  new TerminalError({ kind: 'http', step, status, body: { error: { code, messageKey: `error.${code}` } } });

describe("the load test's kiosk: which failed attempts it replays", () => {
  it('replays the network and the centre’s own faults at every step', () => {
    const cut = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    for (const step of ['authenticate', 'issue'] as const) {
      expect(retryable(step, cut)).toBe(true);
      expect(retryable(step, refused(step, 500, 'internal'))).toBe(true);
    }
  });

  it('signs in again when the challenge is gone, as a resident places the card again', () => {
    expect(retryable('authenticate', refused('authenticate', 401, 'challenge-unknown'))).toBe(true);
    expect(retryable('authenticate', refused('authenticate', 401, 'challenge-expired'))).toBe(true);
  });

  it('ends the transaction on any other refusal, and on a lost challenge after sign-in', () => {
    expect(retryable('authenticate', refused('authenticate', 401, 'challenge-used'))).toBe(false);
    expect(retryable('authenticate', refused('authenticate', 403, 'resident-moved-out'))).toBe(false);
    expect(retryable('issue', refused('issue', 401, 'challenge-unknown'))).toBe(false);
    expect(retryable('issue', refused('issue', 401, 'not-authenticated'))).toBe(false);
    expect(retryable('authenticate', new TerminalError({ kind: 'card', detail: 'no-card' }))).toBe(false);
  });

  it('names each failed attempt by its step, status and the centre’s code', () => {
    expect(errorKind('issue', refused('issue', 401, 'not-authenticated'))).toBe(
      'issue: HTTP 401 not-authenticated',
    );
    expect(
      errorKind(
        'issue',
        new TerminalError({ kind: 'http', step: 'issue', status: 502, body: 'bad gateway' }),
      ),
    ).toBe('issue: HTTP 502');
  });
});
