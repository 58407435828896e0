/**
 * The PIN-reset flow's session machine (issue 11, step 2): welcome → the shared card steps (card,
 * 4-digit PIN) → authenticate → the one-time password on a keypad (skipped in the live service's
 * bound-card mode) → the new 署名用 PIN twice (6–16 of A–Z and 0–9) → the centre's command relayed
 * to the card → the resident told. Every error through the shared clean-up (`failed` → `ending`).
 * The card stays on the reader throughout; if it leaves during the reset the card still holds one
 * PIN, old or new, and `pinResetOutcome` says which (or that only trying it can tell).
 */
import { assign } from 'xstate';
import type { CardHandle } from './card-port.ts';
import {
  authenticatingState,
  cardProofInput,
  endingState,
  failedState,
  pinEntryState,
  placeCardState,
  readingCardState,
  sessionSetup,
  verifyingPinState,
  initialSessionContext,
  RESUMED_SESSION_FIRST,
} from './session-machine-parts.ts';
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

/** What a typed PIN may be: how long, and of which characters. */
export type TypedPinRules = { min: number; max: number; char: RegExp };

/** A 署名用 PIN: 6–16 of A–Z and 0–9 (the one proven for the 4-digit PIN's reset, or a new one). */
const SIGNING_PIN_RULES: TypedPinRules = {
  min: NEW_SIGNING_PIN_MIN,
  max: NEW_SIGNING_PIN_MAX,
  char: SIGNING_PIN_CHAR,
};

/** The new PIN's rules for the PIN being reset: 署名用 6–16 of A–Z 0–9, 利用者証明用 4 digits. */
export function newPinRules(target: SessionContext['pinResetTarget']): TypedPinRules {
  return target === 'auth'
    ? { min: AUTH_PIN_LENGTH, max: AUTH_PIN_LENGTH, char: AUTH_PIN_CHAR }
    : SIGNING_PIN_RULES;
}

const sameEntry = (c: SessionContext): boolean =>
  c.newPinLength === c.newPinFirstLength &&
  c.newPin.subarray(0, c.newPinLength).every((b, i) => b === c.newPinFirst[i]);

const CANCEL = { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } } as const;
/** The card taken away before the reset's command reached it: the resident is told the old PIN stands. */
const REMOVED_PARAMS = { code: 'card-removed', pinResetOutcome: 'old-pin' } as const;
const REMOVED = { target: 'failed', actions: { type: 'fail', params: REMOVED_PARAMS } } as const;
const IDLE = { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } as const;

/** The transitions of a typed PIN's OK (`NEW_PIN_SUBMIT`). */
type TypedPinSubmit = NonNullable<
  NonNullable<Parameters<typeof sessionSetup.createStateConfig>[0]['on']>['NEW_PIN_SUBMIT']
>;
/** Whether the PIN typed so far is long enough to send. */
type LongEnough = (args: { context: SessionContext }) => boolean;

/**
 * A PIN typed on the keyboard into `newPin` (held in the host only), in the state `self`: the
 * characters its `rules` allow up to the longest, a backspace, and OK as `submit` says once the PIN
 * is `long` enough. The card taken away tells the resident the old PIN stands.
 */
function typedPinState(
  self: string,
  rules: (context: SessionContext) => TypedPinRules,
  submit: (long: LongEnough) => TypedPinSubmit,
) {
  return sessionSetup.createStateConfig({
    after: { pinEntryTimeout: IDLE },
    on: {
      NEW_PIN_CHAR: {
        guard: ({ context, event }) =>
          context.newPinLength < rules(context).max && rules(context).char.test(event.char),
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
      NEW_PIN_SUBMIT: submit(({ context }) => context.newPinLength >= rules(context).min),
      CARD_REMOVED: REMOVED,
      CANCEL,
    },
  });
}

/** The signing PIN typed to prove the resident for the 4-digit PIN's reset; then the proof. */
const signingPinEntryState = typedPinState(
  'signingPinEntry',
  () => SIGNING_PIN_RULES,
  (long) => ({ guard: long, target: 'provingWithSigningKey' }),
);

/** The new PIN's rules, the PIN being reset's. */
const newPinRulesOf = (context: SessionContext) => newPinRules(context.pinResetTarget);

/** The new PIN typed once: kept, then typed again. */
const newPinEntryState = typedPinState('newPinEntry', newPinRulesOf, (long) => ({
  guard: long,
  target: 'newPinConfirm',
  actions: assign(({ context }) => {
    context.newPinFirst.fill(0);
    context.newPinFirst.set(context.newPin.subarray(0, context.newPinLength));
    context.newPin.fill(0);
    return { newPinFirstLength: context.newPinLength, newPinLength: 0, newPinMismatch: false };
  }),
}));

/** The new PIN typed again: the same as the first, the reset; different, both typed again. */
const newPinConfirmState = typedPinState('newPinConfirm', newPinRulesOf, (long) => [
  { guard: ({ context }) => long({ context }) && sameEntry(context), target: 'resetting' },
  {
    guard: long,
    target: 'newPinEntry',
    actions: assign(({ context }) => {
      context.newPin.fill(0);
      context.newPinFirst.fill(0);
      return { newPinLength: 0, newPinFirstLength: 0, newPinMismatch: true };
    }),
  },
]);

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
    readingCard: readingCardState({
      otherPin: { when: (context) => context.pinResetTarget === 'auth', next: 'signingPinEntry' },
      removed: REMOVED_PARAMS,
    }),
    // The signing PIN typed on the same keyboard as a new 署名用 PIN, held in `newPin` (host only).
    signingPinEntry: signingPinEntryState,
    provingWithSigningKey: {
      invoke: {
        src: 'proveWithSigningKey',
        input: ({ context }) => ({
          ...cardProofInput(context),
          pinReset: context.services.pinReset!.centre,
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
    authenticating: authenticatingState({ next: 'passwordDeciding', removed: REMOVED_PARAMS }),
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
    newPinEntry: newPinEntryState,
    newPinConfirm: newPinConfirmState,
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
