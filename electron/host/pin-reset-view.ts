/**
 * The PIN-reset flow's own screens (session-machine-pin-reset.ts): the one-time password keypad,
 * the new 署名用 PIN typed twice, the relay, and the outcome. Only counts reach the page, never
 * a typed character. The states it shares with the issuance flow are viewed by kiosk-host.ts.
 */
import type { KioskScreen } from '../kiosk-api.ts';
import {
  NEW_SIGNING_PIN_MAX,
  NEW_SIGNING_PIN_MIN,
  ONE_TIME_PASSWORD_LENGTH,
  type SessionContext,
} from './session-machine-types.ts';
import { newPinRules } from './session-machine-pin-reset.ts';

/** `pin: 'auth'` on the 4-digit PIN's reset; absent on the 署名用 PIN's (the reset that came first). */
export function forgotten(c: SessionContext): { pin?: 'auth' } {
  return c.pinResetTarget === 'auth' ? { pin: 'auth' } : {};
}

export function pinResetViewOf(state: string, c: SessionContext): KioskScreen | undefined {
  switch (state) {
    case 'choosePin':
      return { screen: 'pin-reset-choose' };
    case 'signingPinEntry':
      return {
        screen: 'pin-reset-signing-pin',
        charsEntered: c.newPinLength,
        minLength: NEW_SIGNING_PIN_MIN,
        maxLength: NEW_SIGNING_PIN_MAX,
        triesLeft: c.signingPinTriesLeft,
      };
    case 'provingWithSigningKey':
    case 'passwordDeciding':
      return { screen: 'authenticating' };
    case 'passwordEntry':
      return {
        screen: 'pin-reset-password',
        digitsEntered: c.oneTimePasswordLength,
        passwordLength: ONE_TIME_PASSWORD_LENGTH,
        triesLeft: c.passwordTriesLeft,
        lastAttemptWrong: c.lastPasswordWrong,
      };
    case 'newPinEntry':
    case 'newPinConfirm':
      return {
        screen: 'pin-reset-new-pin',
        step: state === 'newPinEntry' ? 'first' : 'again',
        ...forgotten(c),
        charsEntered: c.newPinLength,
        minLength: newPinRules(c.pinResetTarget).min,
        maxLength: newPinRules(c.pinResetTarget).max,
        mismatch: c.newPinMismatch,
      };
    case 'resetting':
      return { screen: 'pin-reset-working' };
    case 'pinResetDone':
      return { screen: 'pin-reset-done', outcome: c.pinResetOutcome ?? 'new-pin', ...forgotten(c) };
    default:
      return undefined;
  }
}
