/**
 * The parts every kiosk flow's session machine is made of: one `setup` (the card, centre and
 * clean-up actors, and each flow's own), and the shared steps — the card placed, read and its
 * 4-digit PIN verified, the resident authenticated at the centre, and the one clean-up (`failed`,
 * then `ending`) every path ends in. A flow's machine (session-machine-issuance.ts, …) is its own
 * steps around these; where a shared step differs by flow, the flow passes what differs.
 */
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type {
  CertificateType,
  HouseholdMembersResponse,
  KosekiRegistrationResponse,
} from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { Printer, PrinterStatus, PrintResult } from '../printer/printer.ts';
import { authenticateResident, type AuthenticationResult } from './authenticate-resident.ts';
import type { AuthPinOutcome, CardHandle, CardPort, CardResult } from './card-port.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import { choiceComplete } from './certificate-options.ts';
import { issueDocument, type IssueResult } from './issue-document.ts';
import { kioskErrorForCard } from './kiosk-errors.ts';
import type { PinResetResult } from '../../native/jpki/pin-reset.ts';
import type { PinResetStartResponse } from '../../protocol/pin-reset.ts';
import { kioskPinResetAuthority, outcomeAfter, type PinResetRefusal } from './pin-reset-authority.ts';
import type { PinResetCentre } from './pin-reset-client.ts';
import { authenticateWithSigningKey, type SigningKeyAuthentication } from './pin-reset-signing-proof.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import { acceptMoney, refundMoney, settlePayment } from './session-payment.ts';
import {
  AUTH_PIN_LENGTH,
  blankSession,
  totalYen,
  wipePin,
  type LeftBehindItem,
  type ResumedSession,
  type SessionContext,
  type SessionEvent,
  type SessionServices,
  type Timeouts,
} from './session-machine-types.ts';

/** The card's steps: wait for it, read it, verify the 4-digit PIN (wiped once sent). */
const cardActors = {
  waitForCard: fromPromise<CardResult<CardHandle>, { cardPort: CardPort }>(({ input, signal }) =>
    input.cardPort.waitForCard(signal),
  ),
  prepareCard: fromPromise<CardResult<{ authPinTriesLeft: number }>, { card: CardHandle }>(({ input }) =>
    input.card.prepare(),
  ),
  verifyPin: fromPromise<CardResult<AuthPinOutcome>, { card: CardHandle; pin: Uint8Array }>(
    async ({ input }) => {
      try {
        return await input.card.verifyAuthPin(input.pin);
      } finally {
        input.pin.fill(0);
      }
    },
  ),
};

/** The centre's steps every flow has: the resident authenticated with the card. */
const centreActors = {
  authenticate: fromPromise<AuthenticationResult, Parameters<typeof authenticateResident>[0]>(({ input }) =>
    authenticateResident(input),
  ),
};

/** The clean-up's steps: money the machine kept paid back, the card released. */
const cleanUpActors = {
  refund: fromPromise(({ input }: { input: Parameters<typeof refundMoney>[0] }) => refundMoney(input)),
  release: fromPromise<void, { card: CardHandle | null }>(async ({ input }) => {
    await input.card?.release();
  }),
};

/** The certificate flow's own steps (session-machine-issuance.ts). */
const issuanceActors = {
  issue: fromPromise<IssueResult, Parameters<typeof issueDocument>[0]>(({ input }) => issueDocument(input)),
  fetchHouseholdMembers: fromPromise<
    CentreResult<HouseholdMembersResponse>,
    { centre: CentreClient; transactionId: string; terminalId: string; certificateType: CertificateType }
  >(({ input }) =>
    input.centre.householdMembers({
      transactionId: input.transactionId,
      terminalId: input.terminalId,
      certificateType: input.certificateType,
    }),
  ),
  fileRegistration: fromPromise<
    CentreResult<KosekiRegistrationResponse>,
    { centre: CentreClient; transactionId: string; terminalId: string }
  >(({ input }) =>
    input.centre.kosekiRegistration({ transactionId: input.transactionId, terminalId: input.terminalId }),
  ),
  print: fromPromise<PrintResult, { printer: Printer; pdf: Uint8Array; jobName: string; copies: number }>(
    ({ input }) => input.printer.print(input.pdf, { jobName: input.jobName, copies: input.copies }),
  ),
  printerStatus: fromPromise<PrinterStatus, { printer: Printer }>(({ input }) => input.printer.status()),
  acceptMoney: fromCallback(acceptMoney),
  settle: fromPromise(({ input }: { input: Parameters<typeof settlePayment>[0] }) => settlePayment(input)),
};

/** The PIN-reset flow's own step (session-machine-pin-reset.ts): the centre-authorised reset, relayed. */
const pinResetActors = {
  pinResetStart: fromPromise<
    CentreResult<PinResetStartResponse>,
    { centre: PinResetCentre; transactionId: string; terminalId: string }
  >(({ input }) => input.centre.start({ transactionId: input.transactionId, terminalId: input.terminalId })),
  resetPin: fromPromise<
    { result: PinResetResult; refusal: PinResetRefusal | null; outcome: 'new-pin' | 'old-pin' | 'unknown' },
    {
      card: CardHandle;
      centre: PinResetCentre;
      transactionId: string;
      terminalId: string;
      target: PinResetTarget;
      oneTimePassword: string | undefined;
      newPin: Uint8Array;
    }
  >(async ({ input }) => {
    const authority = kioskPinResetAuthority({
      centre: input.centre,
      transactionId: input.transactionId,
      terminalId: input.terminalId,
      target: input.target,
      ...(input.oneTimePassword === undefined ? {} : { oneTimePassword: input.oneTimePassword }),
      newPin: () => Buffer.from(input.newPin).toString('ascii'),
    });
    try {
      const result: PinResetResult = input.card.resetPin
        ? await input.card.resetPin(authority, input.target)
        : { kind: 'centre-refused', reason: 'card handle cannot relay a reset' };
      await authority.settle(result);
      return { result, refusal: authority.refusal(), outcome: outcomeAfter(result, authority) };
    } finally {
      input.newPin.fill(0);
    }
  }),
  proveWithSigningKey: fromPromise<
    SigningKeyAuthentication,
    Parameters<typeof authenticateWithSigningKey>[0]
  >(({ input }) => authenticateWithSigningKey(input)),
};

export type SessionInput = { services: SessionServices; timeouts: Timeouts; resume?: ResumedSession };

/** What the `fail` action records: the error shown, and what a PIN reset tells of the card's PIN. */
export type FailParams = {
  code: KioskErrorCode;
  triesLeft?: number;
  /** A PIN reset that ends before its command reached the card: the card keeps its old PIN. */
  pinResetOutcome?: 'old-pin';
};

export const sessionSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  actors: { ...cardActors, ...centreActors, ...cleanUpActors, ...issuanceActors, ...pinResetActors },
  actions: {
    leftBehind: ({ context }, params: { item: LeftBehindItem }) => {
      if (context.transactionId)
        context.services.onTransactionEvent({
          kind: 'left-behind',
          transactionId: context.transactionId,
          item: params.item,
        });
    },
    /** The PIN-reset flow's typed characters (the signing PIN proven, or a new PIN) wiped. */
    wipeTypedPin: assign(({ context }) => {
      context.newPin.fill(0);
      return { newPinLength: 0 };
    }),
    fail: assign(({ context }, params: FailParams) => {
      wipePin(context);
      return {
        error: {
          code: params.code,
          ...(params.triesLeft === undefined ? {} : { triesLeft: params.triesLeft }),
        },
        pinLength: 0,
        ...(params.pinResetOutcome === undefined ? {} : { pinResetOutcome: params.pinResetOutcome }),
      };
    }),
  },
  delays: {
    placeCardTimeout: ({ context }) => context.timeouts.placeCardMs,
    pinEntryTimeout: ({ context }) => context.timeouts.pinEntryIdleMs,
    menuTimeout: ({ context }) => context.timeouts.menuIdleMs,
    paymentTimeout: ({ context }) => context.timeouts.paymentIdleMs,
    doneTimeout: ({ context }) => context.timeouts.doneMs,
    errorTimeout: ({ context }) => context.timeouts.errorMs,
    cardReminder: ({ context }) => context.timeouts.cardReminderMs,
  },
  guards: {
    pinComplete: ({ context }) => context.pinLength === AUTH_PIN_LENGTH,
    // The certificate flow's.
    paidEnough: ({ context }) => context.selection !== null && context.paidYen >= totalYen(context.selection),
    choiceComplete: ({ context }) => context.selection !== null && choiceComplete(context.selection.choice),
    cardOnReader: ({ context }) => context.services.cardPort.cardPresent(),
  },
});

/** Waiting for the card on the reader; then `readingCard`. */
export const placeCardState = sessionSetup.createStateConfig({
  invoke: {
    src: 'waitForCard',
    input: ({ context }) => ({ cardPort: context.services.cardPort }),
    onDone: [
      {
        guard: ({ event }) => event.output.ok,
        target: 'readingCard',
        actions: assign({ card: ({ event }) => (event.output.ok ? event.output.value : null) }),
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
  after: {
    placeCardTimeout: {
      target: 'failed',
      actions: { type: 'fail', params: { code: 'card-not-placed' } },
    },
  },
  on: { CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } } },
});

/** What differs between the flows in reading the card (`readingCardState`). */
export type CardReadFlow = {
  /**
   * A resident who proves who they are with another PIN than the 4-digit one (the 4-digit PIN's
   * reset): when `when` holds, a card that answers leads to `next`, whatever its 4-digit PIN's
   * counter says. Without it every resident types the 4-digit PIN.
   */
  otherPin?: { when: (context: SessionContext) => boolean; next: string };
  /** What the card taken away while it is read records; `card-removed` unless given. */
  removed?: FailParams;
};

/** No resident proves who they are with another PIN: the `otherPin` transition is never taken. */
const EVERYONE_TYPES_THE_4_DIGIT_PIN = { when: () => false, next: 'pinEntry' };

/**
 * The card read (its PIN counter; the certificate read while the resident types); then `pinEntry`
 * (or the flow's `otherPin.next`). A locked 4-digit PIN ends there; so does a card that does not
 * answer, with its own error.
 */
export function readingCardState(flow: CardReadFlow = {}) {
  const { otherPin = EVERYONE_TYPES_THE_4_DIGIT_PIN, removed = { code: 'card-removed' } } = flow;
  return sessionSetup.createStateConfig({
    invoke: {
      src: 'prepareCard',
      input: ({ context }) => ({ card: context.card as CardHandle }),
      onDone: [
        {
          guard: ({ context, event }) => otherPin.when(context) && event.output.ok,
          target: otherPin.next,
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
    on: {
      CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: removed } },
      CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
    },
  });
}

/** The 4-digit PIN typed on the keypad, held only in the host; then `verifyingPin`. */
export const pinEntryState = sessionSetup.createStateConfig({
  after: {
    pinEntryTimeout: { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } },
  },
  on: {
    PIN_DIGIT: {
      guard: ({ context, event }) =>
        context.pinLength < AUTH_PIN_LENGTH &&
        Number.isInteger(event.digit) &&
        event.digit >= 0 &&
        event.digit <= 9,
      target: 'pinEntry',
      reenter: true,
      actions: assign(({ context, event }) => {
        context.pin[context.pinLength] = 0x30 + event.digit;
        return { pinLength: context.pinLength + 1 };
      }),
    },
    PIN_BACKSPACE: {
      guard: ({ context }) => context.pinLength > 0,
      target: 'pinEntry',
      reenter: true,
      actions: assign(({ context }) => {
        context.pin[context.pinLength - 1] = 0;
        return { pinLength: context.pinLength - 1 };
      }),
    },
    PIN_SUBMIT: { guard: 'pinComplete', target: 'verifyingPin' },
    CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
    CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
  },
});

/** The PIN verified by the card; then `authenticating` (`authenticatingState`). */
export const verifyingPinState = sessionSetup.createStateConfig({
  invoke: {
    src: 'verifyPin',
    input: ({ context }) => ({
      card: context.card as CardHandle,
      pin: context.pin.slice(0, context.pinLength),
    }),
    onDone: [
      {
        guard: ({ event }) => event.output.ok && event.output.value.kind === 'ok',
        target: 'authenticating',
        actions: assign(({ context }) => {
          wipePin(context);
          return { pinLength: 0, lastAttemptWrong: false };
        }),
      },
      {
        guard: ({ event }) =>
          event.output.ok && event.output.value.kind === 'wrong' && event.output.value.triesLeft > 0,
        target: 'pinEntry',
        actions: assign(({ context, event }) => {
          wipePin(context);
          const outcome = event.output.ok ? event.output.value : null;
          return {
            pinLength: 0,
            lastAttemptWrong: true,
            triesLeft: outcome?.kind === 'wrong' ? outcome.triesLeft : null,
          };
        }),
      },
      {
        guard: ({ event }) => event.output.ok,
        target: 'failed',
        actions: { type: 'fail', params: { code: 'pin-locked', triesLeft: 0 } },
      },
      {
        target: 'failed',
        actions: assign(({ context, event }) => {
          wipePin(context);
          return {
            pinLength: 0,
            error: { code: event.output.ok ? 'internal' : kioskErrorForCard(event.output.failure) },
          };
        }),
      },
    ],
    onError: { target: 'failed', actions: { type: 'fail', params: { code: 'card-communication' } } },
  },
  on: { CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } } },
});

/**
 * What the card's proof to the centre is made from: the card, its certificate (read while the
 * resident typed), the centre, and the terminal and transaction it is for.
 */
export function cardProofInput(context: SessionContext) {
  return {
    card: context.card as CardHandle,
    certificate: context.certificate as Promise<CardResult<Uint8Array>>,
    centre: context.services.centre,
    terminalId: context.services.terminalId,
    transactionId: context.transactionId as string,
  };
}

/** What differs between the flows once the resident is authenticated (`authenticatingState`). */
export type AuthenticatedFlow = {
  /** The flow's next state. */
  next: string;
  /** Whether the centre's menu and notices are kept (the certificate flow's; a PIN reset has none). */
  keepMenu?: boolean;
  /** What the card taken away meanwhile records; `card-removed` unless given. */
  removed?: FailParams;
};

/**
 * The resident authenticated with the card at the centre (the journal told which municipality);
 * then the flow's `next`, or `failed` with the centre's or the card's error.
 */
export function authenticatingState({
  next,
  keepMenu = false,
  removed = { code: 'card-removed' },
}: AuthenticatedFlow) {
  return sessionSetup.createStateConfig({
    invoke: {
      src: 'authenticate',
      input: ({ context }) => cardProofInput(context),
      onDone: [
        {
          guard: ({ event }) => event.output.ok,
          target: next,
          actions: assign(({ context, event }) => {
            if (!event.output.ok) return {};
            const { response, authCertificate } = event.output;
            context.services.onTransactionEvent({
              kind: 'authenticated',
              transactionId: context.transactionId as string,
              municipalityCode: response.municipality.code,
            });
            return {
              municipalityName: response.municipality.name,
              ...(keepMenu ? { menu: response.menu, notices: response.notices ?? [] } : {}),
              authCertificate,
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
    on: { CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: removed } } },
  });
}

/** The one clean-up every error goes through: PIN wiped, card released, money kept paid back. */
export const failedState = sessionSetup.createStateConfig({
  entry: ({ context }) => {
    wipePin(context);
    void context.card?.release();
    if (context.transactionId && context.error) {
      // The reason first (the journal's refund-due); `refunded` follows from the refunding step,
      // once the device has paid the money back.
      context.services.onTransactionEvent({
        kind: 'failed',
        transactionId: context.transactionId,
        error: context.error.code,
        ...(context.error.detail ? { detail: context.error.detail } : {}),
      });
    }
  },
  initial: 'deciding',
  states: {
    deciding: {
      always: [{ guard: ({ context }) => context.paymentOpened, target: 'refunding' }, { target: 'shown' }],
    },
    // The money the machine kept goes back before the resident can leave the error screen.
    refunding: {
      invoke: {
        src: 'refund',
        input: ({ context }) => ({
          device: context.services.payment,
          keptYen: context.paidYen - context.changeYen - context.owedYen,
        }),
        onDone: {
          target: 'shown',
          actions: assign(({ context, event }) => {
            const transactionId = context.transactionId as string;
            const { refundedYen, owedYen } = event.output;
            if (refundedYen > 0)
              context.services.onTransactionEvent({ kind: 'refunded', transactionId, yen: refundedYen });
            if (owedYen > 0)
              context.services.onTransactionEvent({
                kind: 'owed',
                transactionId,
                yen: owedYen,
                reason: 'refund',
              });
            const totalOwed = context.owedYen + owedYen;
            return {
              owedYen: totalOwed,
              error: {
                ...(context.error ?? { code: 'internal' as const }),
                ...(refundedYen > 0 ? { refundedYen } : {}),
                ...(totalOwed > 0 ? { owedYen: totalOwed } : {}),
              },
            };
          }),
        },
        onError: 'shown',
      },
    },
    shown: {
      after: { errorTimeout: '#session.ending' },
      on: { FINISH: '#session.ending', CANCEL: '#session.ending' },
    },
  },
  on: { CARD_REMOVED: {} },
});

/** The end of every session: the card released, the session blanked, back to `welcome`. */
export const endingState = sessionSetup.createStateConfig({
  invoke: {
    src: 'release',
    input: ({ context }) => ({ card: context.card }),
    onDone: 'welcome',
    onError: 'welcome',
  },
  exit: assign(({ context }) => {
    wipePin(context);
    if (context.transactionId)
      context.services.onTransactionEvent({ kind: 'ended', transactionId: context.transactionId });
    // No personal data outlives the session; the next resident starts in Japanese.
    context.pdf?.fill(0);
    return { ...blankSession(), language: 'ja' as const };
  }),
});

/** Both flows' first context: a blank session in Japanese, or the session a fault handed over. */
export function initialSessionContext({ input }: { input: SessionInput }) {
  return {
    services: input.services,
    timeouts: input.timeouts,
    language: 'ja' as const,
    ...blankSession(),
    ...input.resume,
  };
}

/** Both flows' welcome: a machine resumed after a fault (session-recovery.ts) finishes that session first. */
export const RESUMED_SESSION_FIRST = [
  {
    guard: ({ context }: { context: { transactionId: string | null; error: unknown } }) =>
      context.transactionId !== null && context.error !== null,
    target: 'failed',
  },
  {
    guard: ({ context }: { context: { transactionId: string | null } }) => context.transactionId !== null,
    target: 'ending',
  },
] as const;
