/**
 * What a new session machine is given when the old one stopped on a fault (an exception in an
 * action), or when the host ends a session itself (renderer gone, quit, idle): the same session,
 * sent down the one clean-up the machine already has.
 *
 * - mid-session: to `failed` with the code, so the PIN is wiped, the card released, the failure
 *   journalled (paid → refund-due) and the money the machine kept paid back, on the neutral error
 *   screen with the 受付番号;
 * - already failing: to `failed` again without a second refund (the device may have paid it; the
 *   journal keeps what was not recorded as refunded as refund-due);
 * - at the printer (printing): not resumed at once — the host waits for the job's answer
 *   (print-tracker.ts): printed → resumed as delivered; not printed → `failed` and refunded;
 * - delivered (done, 利用登録 done) or ending: straight to `ending` (nothing to refund);
 * - no session: nothing to resume.
 */
import type { KioskErrorCode } from '../kiosk-api.ts';
import {
  AUTH_PIN_LENGTH,
  NEW_SIGNING_PIN_MAX,
  ONE_TIME_PASSWORD_LENGTH,
  wipePin,
  type ResumedSession,
  type SessionContext,
} from './session-machine.ts';

export type SessionStage = string;

const DELIVERED: readonly SessionStage[] = [
  'done',
  'cardLeftBehind',
  'registrationDone',
  // The PIN-reset flow: the card holds the new PIN; only the clean-up is left.
  'pinResetDone',
  'ending',
];

/** The top-level state of a machine snapshot's value (`failed` for `{ failed: 'shown' }`). */
export function stageOf(value: unknown): SessionStage {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return Object.keys(value)[0] ?? 'welcome';
  return 'welcome';
}

export function resumeAfterFault(
  stage: SessionStage,
  context: SessionContext,
  code: KioskErrorCode,
): ResumedSession | null {
  wipePin(context);
  const { services: _services, timeouts: _timeouts, ...session } = context;
  if (session.transactionId === null) return null;
  // The typed secrets (PIN, one-time password, new PIN) are not carried into the new machine.
  const base = {
    ...session,
    pin: new Uint8Array(AUTH_PIN_LENGTH),
    pinLength: 0,
    oneTimePassword: new Uint8Array(ONE_TIME_PASSWORD_LENGTH),
    oneTimePasswordLength: 0,
    newPin: new Uint8Array(NEW_SIGNING_PIN_MAX),
    newPinLength: 0,
    newPinFirst: new Uint8Array(NEW_SIGNING_PIN_MAX),
    newPinFirstLength: 0,
  };
  if (DELIVERED.includes(stage)) return { ...base, error: null };
  if (stage === 'failed') return { ...base, paymentOpened: false, error: session.error ?? { code } };
  return { ...base, error: { code } };
}
