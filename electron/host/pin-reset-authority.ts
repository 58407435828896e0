/**
 * The kiosk's `PinResetAuthority` (native/jpki/pin-reset.ts) over the centre's reset API: the
 * card's challenge goes to the centre with the one-time password and the new 署名用 PIN, the
 * centre's command comes back to be relayed as it is, and the card's answer goes back for the
 * centre to read. The kiosk holds no key. What the centre refused is kept (`refusal()`), so the
 * screen can say which (a wrong password with the tries left, an expired one, …).
 */
import type { PinResetAuthority, PinResetResult } from '../../native/jpki/pin-reset.ts';
import type { PinResetCommandResponse } from '../../protocol/pin-reset.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import type { CentreFailure } from './centre-client.ts';
import type { PinResetCentre } from './pin-reset-client.ts';

/** A centre refusal of the command step (anything but a command). */
export type PinResetRefusal = Exclude<PinResetCommandResponse, { kind: 'command' }>;

/** Thrown to relayPinReset, which reports it as `centre-unreachable` (nothing reached the card). */
export class PinResetCentreError extends Error {
  override readonly name = 'PinResetCentreError';
  constructor(readonly failure: CentreFailure) {
    super(failure.kind === 'centre-error' ? `centre refused: ${failure.code}` : failure.kind);
  }
}

export interface KioskPinResetAuthority extends PinResetAuthority {
  /** The centre's refusal of the last command request, if any. */
  refusal(): PinResetRefusal | null;
  /** The card's answer relayed to the centre (for the resident when the centre cannot confirm). */
  relayedAnswer(): Uint8Array | null;
  /** Whether the centre handed over a command (it may have reached the card). */
  commandIssued(): boolean;
  /**
   * After a reset that did not end in the card's confirmed "reset-done": gives the grant's
   * reservation back, so the resident can try again with the same password (best effort: a
   * reservation the centre never hears about lapses by itself).
   */
  settle(result: PinResetResult): Promise<void>;
}

export function kioskPinResetAuthority(input: {
  centre: PinResetCentre;
  transactionId: string;
  terminalId: string;
  /** The typed one-time password (absent in the bound-card mode). */
  oneTimePassword?: string;
  /** The PIN reset: 'signing' (default) or 'auth' (the 4-digit PIN). */
  target?: PinResetTarget;
  /** The new PIN as the resident typed it (ASCII: A–Z 0–9 for 署名用, 4 digits for 利用者証明用). */
  newPin: () => string;
}): KioskPinResetAuthority {
  const resetTarget = input.target ?? 'signing';
  let challengeB64: string | null = null;
  let refused: PinResetRefusal | null = null;
  let answer: Uint8Array | null = null;
  let issued = false;
  return {
    commandIssued: () => issued,
    async settle(result) {
      // Done: the centre spent the grant. Refused by the card: the centre released it already.
      if (!issued || result.kind === 'reset-done') return;
      if (result.kind === 'card-refused' || result.kind === 'not-authorised') return;
      await input.centre
        .release({ transactionId: input.transactionId, terminalId: input.terminalId })
        .catch(() => undefined);
    },
    refusal: () => refused,
    relayedAnswer: () => answer,
    async commandFor({ target, challenge }) {
      refused = null;
      if (target !== resetTarget) return { kind: 'centre-refused', reason: 'not the PIN this reset is for' };
      challengeB64 = Buffer.from(challenge).toString('base64');
      const result = await input.centre.command({
        transactionId: input.transactionId,
        terminalId: input.terminalId,
        challenge: challengeB64,
        ...(input.oneTimePassword === undefined ? {} : { oneTimePassword: input.oneTimePassword }),
        ...(target === 'auth' ? { target, newAuthPin: input.newPin() } : { newSigningPin: input.newPin() }),
      });
      if (!result.ok) {
        if (result.failure.kind === 'centre-error')
          return { kind: 'centre-refused', reason: result.failure.code };
        throw new PinResetCentreError(result.failure);
      }
      const value = result.value;
      if (value.kind === 'command') {
        issued = true;
        return { kind: 'command', apdu: Uint8Array.from(Buffer.from(value.apdu, 'base64')) };
      }
      refused = value;
      return { kind: 'centre-refused', reason: value.kind };
    },
    async confirm({ response }) {
      answer = Uint8Array.from(response);
      if (challengeB64 === null) return { kind: 'answer-not-authentic' };
      const result = await input.centre.confirm({
        transactionId: input.transactionId,
        terminalId: input.terminalId,
        challenge: challengeB64,
        response: Buffer.from(response).toString('base64'),
      });
      if (!result.ok) throw new PinResetCentreError(result.failure);
      return result.value;
    },
  };
}

/**
 * When the centre could not read the card's answer (unreachable between relay and confirmation):
 * what the card itself said, unauthenticated — `99 02 SW1 SW2` — which PIN the card now has.
 */
export function unconfirmedOutcome(answer: Uint8Array | null): 'new-pin' | 'old-pin' | 'unknown' {
  if (!answer || answer.length < 6) return answer ? 'old-pin' : 'unknown';
  if (answer[0] !== 0x99 || answer[1] !== 0x02) return 'old-pin';
  const inner = (answer[2]! << 8) | answer[3]!;
  return inner === 0x9000 ? 'new-pin' : 'old-pin';
}

/** Which PIN the card holds after a reset that did not end in the centre's `reset-done`. */
export function outcomeAfter(
  result: PinResetResult,
  authority: Pick<KioskPinResetAuthority, 'relayedAnswer' | 'commandIssued'>,
): 'new-pin' | 'old-pin' | 'unknown' {
  if (result.kind === 'reset-done') return 'new-pin';
  // Nothing that could change the card reached it.
  if (!authority.commandIssued()) return 'old-pin';
  // The centre read the card's answer: the card refused, the old PIN holds.
  if (result.kind === 'card-refused' || result.kind === 'not-authorised') return 'old-pin';
  return unconfirmedOutcome(authority.relayedAnswer());
}
