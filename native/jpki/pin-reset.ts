/**
 * The kiosk's part of the PIN operations of the reset flow. Changing the 署名用 PIN is VERIFY +
 * CHANGE REFERENCE DATA with the resident's PINs. A reset (a forgotten or locked PIN) is the
 * centre's: the kiosk asks the card for a challenge, hands it to the centre, relays the centre's
 * secure-messaging command to the card as it is and the card's answer back as it is. The kiosk
 * holds no key and cannot build or read those commands (see protocol/secure-messaging.ts, native/README.md).
 */
import { isCardError } from '../card-transport.ts';
import type { CardError } from '../card-transport.ts';
import type { JpkiClient, MalformedPin } from './jpki-client.ts';
import type { PinResetOutcome, PinResetTarget } from '../../protocol/secure-messaging.ts';

/** What the kiosk needs from the centre for a reset (implemented over the centre API later). */
export interface PinResetAuthority {
  /** The command the centre built for this challenge, or its refusal (no reset authorised). */
  commandFor(request: {
    target: PinResetTarget;
    challenge: Uint8Array;
  }): Promise<{ kind: 'command'; apdu: Uint8Array } | { kind: 'centre-refused'; reason: string }>;
  /** The centre's reading of the card's sealed answer. */
  confirm(request: { target: PinResetTarget; response: Uint8Array }): Promise<PinResetOutcome>;
}

export type PinResetResult =
  | PinResetOutcome
  | { kind: 'centre-refused'; reason: string }
  | { kind: 'centre-unreachable'; detail: string }
  | CardError;

/**
 * One reset: challenge → centre → relay → centre's verdict. Never retried here: a challenge is
 * single-use, and a second attempt is a new reset the caller decides on. No PIN try is spent.
 */
export async function relayPinReset(
  client: JpkiClient,
  authority: PinResetAuthority,
  target: PinResetTarget,
): Promise<PinResetResult> {
  const challenge = await client.getChallenge();
  if (challenge.kind !== 'challenge') return challenge;
  let command: Awaited<ReturnType<PinResetAuthority['commandFor']>>;
  try {
    command = await authority.commandFor({ target, challenge: challenge.challenge });
  } catch (err) {
    return { kind: 'centre-unreachable', detail: err instanceof Error ? err.message : String(err) };
  }
  if (command.kind !== 'command') return command;
  const relayed = await client.relay(command.apdu);
  if (relayed.kind !== 'response') return relayed;
  try {
    return await authority.confirm({ target, response: relayed.response });
  } catch (err) {
    return { kind: 'centre-unreachable', detail: err instanceof Error ? err.message : String(err) };
  }
}

export type ChangeSigningPinResult =
  | { kind: 'changed' }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'locked' }
  | { kind: 'rejected-pin' }
  | MalformedPin
  | CardError;

/**
 * The resident changes the 署名用 PIN: VERIFY the current one, then CHANGE REFERENCE DATA.
 * Both buffers are zeroed before this returns, whatever happens.
 */
export async function changeSigningPin(
  client: JpkiClient,
  current: Uint8Array,
  next: Uint8Array,
): Promise<ChangeSigningPinResult> {
  try {
    const verified = await client.verifySigningPin(current);
    if (isCardError(verified)) return verified;
    if (verified.kind === 'wrong') return { kind: 'wrong-pin', triesLeft: verified.triesLeft };
    if (verified.kind !== 'ok') return verified;
    const changed = await client.changePin('signing', next);
    if (changed.kind === 'ok') return { kind: 'changed' };
    if (changed.kind === 'pin-required')
      return { kind: 'communication', detail: 'card forgot the verified PIN before the change' };
    return changed;
  } finally {
    current.fill(0);
    next.fill(0);
  }
}
