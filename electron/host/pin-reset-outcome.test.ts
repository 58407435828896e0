/**
 * Which 署名用 PIN the card holds when a reset did not end in the centre's `reset-done`: told from
 * what reached the card and, when the centre could not read it, the card's own sealed answer.
 */
import { describe, expect, it } from 'vitest';
import { deriveCardKey, sealPinResetResponse } from '../../protocol/secure-messaging.ts';
import { TEST_PIN_RESET_MASTER_KEY } from '../../native/test-pki/fixtures.ts';
import { outcomeAfter, unconfirmedOutcome } from './pin-reset-authority.ts';

const cardKey = deriveCardKey(TEST_PIN_RESET_MASTER_KEY, 'H0007');
const challenge = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const answer = (sw: number) =>
  Uint8Array.from([...sealPinResetResponse({ cardKey, challenge, sw }), 0x90, 0x00]);
const unreachable = { kind: 'centre-unreachable', detail: 'ECONNREFUSED' } as const;

describe('the PIN the card holds after a reset', () => {
  it('the card sealed 9000: the new PIN; any other inner status or an unsealed refusal: the old one', () => {
    expect(unconfirmedOutcome(answer(0x9000))).toBe('new-pin');
    expect(unconfirmedOutcome(answer(0x6a80))).toBe('old-pin');
    expect(unconfirmedOutcome(Uint8Array.from([0x69, 0x88]))).toBe('old-pin');
    expect(unconfirmedOutcome(null)).toBe('unknown');
  });

  it('nothing reached the card: the old PIN, whatever went wrong after', () => {
    const none = { commandIssued: () => false, relayedAnswer: () => null };
    expect(outcomeAfter({ kind: 'centre-refused', reason: 'expired' }, none)).toBe('old-pin');
    expect(outcomeAfter({ kind: 'card-removed' }, none)).toBe('old-pin');
    expect(outcomeAfter(unreachable, none)).toBe('old-pin');
  });

  it('a command went out: the centre’s reading decides, else the card’s answer, else unknown', () => {
    const sent = (relayed: Uint8Array | null) => ({
      commandIssued: () => true,
      relayedAnswer: () => relayed,
    });
    expect(outcomeAfter({ kind: 'reset-done' }, sent(answer(0x9000)))).toBe('new-pin');
    expect(outcomeAfter({ kind: 'card-refused', sw: 0x6a80 }, sent(answer(0x6a80)))).toBe('old-pin');
    expect(outcomeAfter(unreachable, sent(answer(0x9000)))).toBe('new-pin');
    expect(outcomeAfter(unreachable, sent(answer(0x6a80)))).toBe('old-pin');
    expect(outcomeAfter({ kind: 'card-removed' }, sent(null))).toBe('unknown');
  });
});
