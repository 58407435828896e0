/**
 * The PIN-reset flow's session machine (issue 11, step 2): welcome → the shared card steps (card,
 * 4-digit PIN) → authenticate → the one-time password on a keypad (skipped in the live service's
 * bound-card mode) → the new 署名用 PIN twice (6–16 of A–Z and 0–9) → the centre's command relayed
 * to the card → the resident told. Every error through the shared clean-up (`failed` → `ending`).
 * The card stays on the reader throughout; if it leaves during the reset the card still holds one
 * PIN, old or new, and `pinResetOutcome` says which (or that only trying it can tell).
 */
import { assign } from 'xstate';
import type { CardHandle, CardResult } from './card-port.ts';
import {
  endingState,
  failedState,
  pinEntryState,
  placeCardState,
  sessionSetup,
  verifyingPinState,
  initialSessionContext,
  RESUMED_SESSION_FIRST,
} from './session-machine-parts.ts';
import { kioskErrorForCard } from './kiosk-errors.ts';
import {
  AUTH_PIN_LENGTH,
  NEW_SIGNING_PIN_MAX,
  NEW_SIGNING_PIN_MIN,
  ONE_TIME_PASSWORD_LENGTH,
  type SessionContext,
} from './session-machine-types.ts';

/** The characters the card accepts in a 署名用 PIN, and in the 4-digit one. */
const SIGNING_PIN_CHAR = /^[A-Z0-9]$/;
const AUTH_PIN_CHAR = /^[0-9]$/;

/** The new PIN's rules for the PIN being reset: 署名用 6–16 of A–Z 0–9, 利用者証明用 4 digits. */
export function newPinRules(target: SessionContext['pinResetTarget']): {
  min: number;
  max: number;
  char: RegExp;
} {
  return target === 'auth'
    ? { min: AUTH_PIN_LENGTH, max: AUTH_PIN_LENGTH, char: AUTH_PIN_CHAR }
    : { min: NEW_SIGNING_PIN_MIN, max: NEW_SIGNING_PIN_MAX, char: SIGNING_PIN_CHAR };
}

const sameEntry = (c: SessionContext): boolean =>
  c.newPinLength === c.newPinFirstLength &&
  c.newPin.subarray(0, c.newPinLength).every((b, i) => b === c.newPinFirst[i]);

const CANCEL = { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } } as const;
/** The card taken away before the reset's command reached it: the resident is told the old PIN stands. */
const REMOVED = {
  target: 'failed',
  actions: { type: 'fail', params: { code: 'card-removed', pinResetOutcome: 'old-pin' } },
} as const;
const IDLE = { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } as const;

/**
 * The new 署名用 PIN typed once (`first`: kept) or again (`again`: compared with the first; two
 * different entries start both again). One state definition for both entries; only what OK does
 * differs.
 */
function newPinState(step: 'first' | 'again') {
  const self = step === 'first' ? 'newPinEntry' : 'newPinConfirm';
  const long = ({ context }: { context: SessionContext }) =>
    context.newPinLength >= newPinRules(context.pinResetTarget).min;
  const submit =
    step === 'first'
      ? sessionSetup.createStateConfig({
          on: {
            NEW_PIN_SUBMIT: {
              guard: long,
              target: 'newPinConfirm',
              actions: assign(({ context }) => {
                context.newPinFirst.fill(0);
                context.newPinFirst.set(context.newPin.subarray(0, context.newPinLength));
                context.newPin.fill(0);
                return { newPinFirstLength: context.newPinLength, newPinLength: 0, newPinMismatch: false };
              }),
            },
          },
        }).on
      : sessionSetup.createStateConfig({
          on: {
            NEW_PIN_SUBMIT: [
              { guard: ({ context }) => long({ context }) && sameEntry(context), target: 'resetting' },
              {
                // Different from the first entry: both are typed again.
                guard: long,
                target: 'newPinEntry',
                actions: assign(({ context }) => {
                  context.newPin.fill(0);
                  context.newPinFirst.fill(0);
                  return { newPinLength: 0, newPinFirstLength: 0, newPinMismatch: true };
                }),
              },
            ],
          },
        }).on;
  return sessionSetup.createStateConfig({
    after: { pinEntryTimeout: IDLE },
    on: {
      NEW_PIN_CHAR: {
        guard: ({ context, event }) =>
          context.newPinLength < newPinRules(context.pinResetTarget).max &&
          newPinRules(context.pinResetTarget).char.test(event.char),
        target: self,
        reenter: true,
        actions: assign(({ context, event }) => {
          context.newPin[context.newPinLength] = event.char.charCodeAt(0);
          return { newPinLength: context.newPinLength + 1 };
        }),
      },
      NEW_PIN_BACKSPACE: {
        guard: ({ context }) => context.newPinLength > 0,
        target: self,
        reenter: true,
        actions: assign(({ context }) => {
          context.newPin[context.newPinLength - 1] = 0;
          return { newPinLength: context.newPinLength - 1 };
        }),
      },
      ...submit,
      CARD_REMOVED: REMOVED,
      CANCEL,
    },
  });
}

export const pinResetMachine = sessionSetup.createMachine({
  id: 'session',
  context: initialSessionContext,
  initial: 'welcome',
  on: {
    SET_LANGUAGE: { actions: assign({ language: ({ event }) => event.language }) },
  },
  states: {
    welcome: {
      always: [...RESUMED_SESSION_FIRST],
      on: {
        START: {
          // No reset without the centre's reset API configured.
          guard: ({ context }) => context.services.pinReset !== undefined,
          target: 'choosePin',
          actions: assign(({ context }) => {
            const transactionId = context.services.newTransactionId();
            context.services.onTransactionEvent({ kind: 'started', transactionId });
            return { transactionId };
          }),
        },
      },
    },
    // Which PIN was forgotten: resetting one needs the other (both forgotten: the municipality's counter).
    choosePin: {
      after: { pinEntryTimeout: IDLE },
      on: {
        CHOOSE_PIN_RESET: {
          target: 'placeCard',
          actions: assign({ pinResetTarget: ({ event }) => event.target }),
        },
        CANCEL,
      },
    },
    placeCard: placeCardState,
    // The card read. For the 4-digit PIN's reset its counter does not matter (it may well be
    // locked): the signing PIN next; otherwise the shared steps (the 4-digit PIN).
    readingCard: {
      invoke: {
        src: 'prepareCard',
        input: ({ context }) => ({ card: context.card as CardHandle }),
        onDone: [
          {
            guard: ({ context, event }) => context.pinResetTarget === 'auth' && event.output.ok,
            target: 'signingPinEntry',
            actions: assign(({ context }) => ({
              certificate: (context.card as CardHandle).readAuthCertificate(),
            })),
          },
          {
            guard: ({ event }) => event.output.ok && event.output.value.authPinTriesLeft === 0,
            target: 'failed',
            actions: { type: 'fail', params: { code: 'pin-locked', triesLeft: 0 } },
          },
          {
            guard: ({ event }) => event.output.ok,
            target: 'pinEntry',
            actions: assign(({ context, event }) => ({
              triesLeft: event.output.ok ? event.output.value.authPinTriesLeft : null,
              // Read the certificate while the resident types: the resident never waits for it.
              certificate: (context.card as CardHandle).readAuthCertificate(),
            })),
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({
              error: { code: event.output.ok ? 'internal' : kioskErrorForCard(event.output.failure) },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'card-communication' } } },
      },
      on: { CARD_REMOVED: REMOVED, CANCEL },
    },
    // The signing PIN typed on the same keyboard as a new 署名用 PIN, held in `newPin` (host only).
    signingPinEntry: {
      after: { pinEntryTimeout: IDLE },
      on: {
        NEW_PIN_CHAR: {
          guard: ({ context, event }) =>
            context.newPinLength < NEW_SIGNING_PIN_MAX && SIGNING_PIN_CHAR.test(event.char),
          target: 'signingPinEntry',
          reenter: true,
          actions: assign(({ context, event }) => {
            context.newPin[context.newPinLength] = event.char.charCodeAt(0);
            return { newPinLength: context.newPinLength + 1 };
          }),
        },
        NEW_PIN_BACKSPACE: {
          guard: ({ context }) => context.newPinLength > 0,
          target: 'signingPinEntry',
          reenter: true,
          actions: assign(({ context }) => {
            context.newPin[context.newPinLength - 1] = 0;
            return { newPinLength: context.newPinLength - 1 };
          }),
        },
        NEW_PIN_SUBMIT: {
          guard: ({ context }) => context.newPinLength >= NEW_SIGNING_PIN_MIN,
          target: 'provingWithSigningKey',
        },
        CARD_REMOVED: REMOVED,
        CANCEL,
      },
    },
    provingWithSigningKey: {
      invoke: {
        src: 'proveWithSigningKey',
        input: ({ context }) => ({
          card: context.card as CardHandle,
          certificate: context.certificate as Promise<CardResult<Uint8Array>>,
          centre: context.services.centre,
          pinReset: context.services.pinReset!.centre,
          terminalId: context.services.terminalId,
          transactionId: context.transactionId as string,
          // A copy: the actor wipes it; the typed one is wiped on the way out.
          signingPin: context.newPin.slice(0, context.newPinLength),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'authenticated',
            target: 'passwordDeciding',
            actions: 'wipeTypedPin',
          },
          {
            guard: ({ event }) => event.output.kind === 'wrong-signing-pin',
            target: 'signingPinEntry',
            actions: [
              'wipeTypedPin',
              assign(({ event }) => ({
                signingPinTriesLeft:
                  event.output.kind === 'wrong-signing-pin' ? event.output.triesLeft : null,
              })),
            ],
          },
          {
            target: 'failed',
            actions: [
              'wipeTypedPin',
              assign(({ event }) => {
                const out = event.output;
                if (out.kind === 'error')
                  return { pinResetOutcome: 'old-pin' as const, error: { code: out.error } };
                const refusal = out.kind === 'refused' ? out.reason : out.kind;
                return {
                  pinResetOutcome: 'old-pin' as const,
                  pinResetRefusal: refusal,
                  error: { code: 'pin-reset-refused' as const, detail: refusal },
                };
              }),
            ],
          },
        ],
        onError: {
          target: 'failed',
          actions: ['wipeTypedPin', { type: 'fail', params: { code: 'internal' } }],
        },
      },
      on: { CARD_REMOVED: {} },
    },
    pinEntry: pinEntryState,
    verifyingPin: verifyingPinState,
    authenticating: {
      invoke: {
        src: 'authenticate',
        input: ({ context }) => ({
          card: context.card as CardHandle,
          certificate: context.certificate as Promise<CardResult<Uint8Array>>,
          centre: context.services.centre,
          terminalId: context.services.terminalId,
          transactionId: context.transactionId as string,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'passwordDeciding',
            actions: assign(({ context, event }) => {
              if (!event.output.ok) return {};
              context.services.onTransactionEvent({
                kind: 'authenticated',
                transactionId: context.transactionId as string,
                municipalityCode: event.output.response.municipality.code,
              });
              return {
                municipalityName: event.output.response.municipality.name,
                authCertificate: event.output.authCertificate,
              };
            }),
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({
              error: { code: event.output.ok ? 'internal' : event.output.error },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
      on: { CARD_REMOVED: REMOVED },
    },
    // The centre says which mode it runs: the live service's binds the card on the phone, with no
    // password to type; the kiosk has no say.
    passwordDeciding: {
      invoke: {
        src: 'pinResetStart',
        input: ({ context }) => ({
          centre: context.services.pinReset!.centre,
          transactionId: context.transactionId as string,
          terminalId: context.services.terminalId,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok && event.output.value.mode === 'bound-card',
            target: 'newPinEntry',
            actions: assign({ pinResetMode: 'bound-card' as const }),
          },
          {
            guard: ({ event }) => event.output.ok,
            target: 'passwordEntry',
            actions: assign({ pinResetMode: 'password' as const }),
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({
              error: {
                code:
                  !event.output.ok && event.output.failure.kind === 'centre-error'
                    ? ('pin-reset-refused' as const)
                    : ('centre-unreachable' as const),
              },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
      on: { CARD_REMOVED: REMOVED, CANCEL },
    },
    passwordEntry: {
      after: { pinEntryTimeout: IDLE },
      on: {
        OTP_DIGIT: {
          guard: ({ context, event }) =>
            context.oneTimePasswordLength < ONE_TIME_PASSWORD_LENGTH &&
            Number.isInteger(event.digit) &&
            event.digit >= 0 &&
            event.digit <= 9,
          target: 'passwordEntry',
          reenter: true,
          actions: assign(({ context, event }) => {
            context.oneTimePassword[context.oneTimePasswordLength] = 0x30 + event.digit;
            return { oneTimePasswordLength: context.oneTimePasswordLength + 1 };
          }),
        },
        OTP_BACKSPACE: {
          guard: ({ context }) => context.oneTimePasswordLength > 0,
          target: 'passwordEntry',
          reenter: true,
          actions: assign(({ context }) => {
            context.oneTimePassword[context.oneTimePasswordLength - 1] = 0;
            return { oneTimePasswordLength: context.oneTimePasswordLength - 1 };
          }),
        },
        OTP_SUBMIT: [
          // After a wrong password the new PIN is already typed twice: straight to the reset.
          {
            guard: ({ context }) =>
              context.oneTimePasswordLength === ONE_TIME_PASSWORD_LENGTH && context.newPinFirstLength > 0,
            target: 'resetting',
          },
          {
            guard: ({ context }) => context.oneTimePasswordLength === ONE_TIME_PASSWORD_LENGTH,
            target: 'newPinEntry',
          },
        ],
        CARD_REMOVED: REMOVED,
        CANCEL,
      },
    },
    newPinEntry: newPinState('first'),
    newPinConfirm: newPinState('again'),
    resetting: {
      invoke: {
        src: 'resetPin',
        input: ({ context }) => ({
          card: context.card as CardHandle,
          target: context.pinResetTarget,
          centre: context.services.pinReset!.centre,
          transactionId: context.transactionId as string,
          terminalId: context.services.terminalId,
          oneTimePassword:
            context.pinResetMode === 'bound-card'
              ? undefined
              : Buffer.from(context.oneTimePassword.subarray(0, context.oneTimePasswordLength)).toString(
                  'ascii',
                ),
          // A copy: the actor wipes it; the first entry stays for a retry after a wrong password.
          newPin: context.newPinFirst.slice(0, context.newPinFirstLength),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.result.kind === 'reset-done',
            target: 'pinResetDone',
            actions: assign({ pinResetOutcome: 'new-pin' }),
          },
          {
            // A wrong password with tries left: the keypad again; the new PIN is kept.
            guard: ({ event }) =>
              event.output.refusal?.kind === 'wrong-password' && event.output.refusal.triesLeft > 0,
            target: 'passwordEntry',
            actions: assign(({ context, event }) => {
              context.oneTimePassword.fill(0);
              const refusal = event.output.refusal;
              return {
                oneTimePasswordLength: 0,
                lastPasswordWrong: true,
                passwordTriesLeft: refusal?.kind === 'wrong-password' ? refusal.triesLeft : null,
                pinResetOutcome: 'old-pin' as const,
              };
            }),
          },
          {
            guard: ({ event }) => event.output.refusal !== null,
            target: 'failed',
            actions: [
              assign(({ event }) => ({
                pinResetOutcome: 'old-pin' as const,
                pinResetRefusal:
                  event.output.refusal?.kind === 'wrong-password'
                    ? 'locked'
                    : (event.output.refusal?.kind ?? null),
                error: {
                  // Another transaction holds the grant for now: its own words (wait, or ask staff).
                  code:
                    event.output.refusal?.kind === 'in-use'
                      ? ('pin-reset-in-use' as const)
                      : ('pin-reset-refused' as const),
                  detail: event.output.refusal?.kind ?? 'refused',
                },
              })),
            ],
          },
          {
            target: 'failed',
            actions: assign(({ event }) => {
              const { result, outcome } = event.output;
              // The card or the centre's reading refused the command (a card without the reset key,
              // an answer not sealed by the card): a refusal of the reset, told as such.
              const refusedByCard =
                result.kind === 'card-refused' ||
                result.kind === 'not-authorised' ||
                result.kind === 'answer-not-authentic' ||
                result.kind === 'centre-refused';
              const code = refusedByCard
                ? ('pin-reset-refused' as const)
                : result.kind === 'card-removed'
                  ? ('card-removed' as const)
                  : result.kind === 'centre-unreachable'
                    ? ('centre-unreachable' as const)
                    : ('card-communication' as const);
              if (refusedByCard)
                return {
                  pinResetOutcome: outcome,
                  pinResetRefusal: result.kind === 'centre-refused' ? result.reason : result.kind,
                  error: { code, detail: `pin-reset:${result.kind}` },
                };
              return { pinResetOutcome: outcome, error: { code, detail: `pin-reset:${result.kind}` } };
            }),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
      // The reset decides: a card that leaves now makes the relay fail, and the outcome says which PIN.
      on: { CARD_REMOVED: {} },
    },
    pinResetDone: {
      entry: ({ context }) => {
        context.oneTimePassword.fill(0);
        context.newPinFirst.fill(0);
        void context.card?.release();
      },
      after: { doneTimeout: 'ending' },
      on: { FINISH: 'ending', CARD_REMOVED: {} },
    },
    failed: failedState,
    ending: endingState,
  },
});
