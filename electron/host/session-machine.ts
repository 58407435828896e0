import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type {
  CertificateType,
  HouseholdMembersResponse,
  HouseholdScope,
  IssueOptions,
  KosekiRegistrationResponse,
  MenuItem,
  Notice,
} from '../../protocol/index.ts';
import type { KioskErrorCode, Language } from '../kiosk-api.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { Printer, PrinterStatus, PrintFailure, PrintResult } from '../printer/printer.ts';
import { authenticateResident, type AuthenticationResult } from './authenticate-resident.ts';
import type { AuthPinOutcome, CardHandle, CardPort, CardResult } from './card-port.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import {
  choiceComplete,
  initialChoice,
  issueOptionsFor,
  offeredOptions,
  toggleMember,
  type HouseholdLookup,
  type OfferedOptions,
  type OptionChoice,
} from './certificate-options.ts';
import {
  holderBindingOf,
  issueDocument,
  type DocumentRenderer,
  type IssueResult,
  type MunicipalityKeyRing,
} from './issue-document.ts';
import { kioskErrorForCard, kioskErrorForCentre } from './kiosk-errors.ts';
import { acceptMoney, refundMoney, settlePayment, type PaymentFaultEvent } from './session-payment.ts';

export const AUTH_PIN_LENGTH = 4;

export interface SessionServices {
  cardPort: CardPort;
  centre: CentreClient;
  keyRing: MunicipalityKeyRing;
  render: DocumentRenderer;
  printer: Printer;
  /** The coin and note acceptor: the only source of credit. */
  payment: PaymentDevice;
  terminalId: string;
  newTransactionId: () => string;
  onTransactionEvent: (event: TransactionEvent) => void;
}

/** What the host records about a transaction: ids and codes only, no personal data. */
export type TransactionEvent =
  | { kind: 'started'; transactionId: string }
  | { kind: 'authenticated'; transactionId: string; municipalityCode: string }
  /** The device reported money in the slot (before the fee is covered): `totalYen` inserted so far. */
  | { kind: 'credit'; transactionId: string; yen: number; totalYen: number }
  | {
      kind: 'paid';
      transactionId: string;
      /** Inserted; `changeYen` paid back out; `owedYen` change the machine could not pay. */
      yen: number;
      changeYen: number;
      owedYen: number;
      certificateType: CertificateType;
      copies: number;
      /** Fee per copy as the menu quoted it. */
      quotedFeeYen: number;
      options?: IssueOptions;
      /** SHA-256 (hex) of the card's 利用者証明用 certificate: the document must be bound to it. */
      holderBinding: string;
    }
  | { kind: 'issued'; transactionId: string; documentId: string; pageCount: number }
  /** About to submit the print job (written before the job goes to the printer). */
  | { kind: 'printing'; transactionId: string }
  | { kind: 'printed'; transactionId: string; jobId: string; copies: number; impressions?: number }
  | { kind: 'registration-filed'; transactionId: string; requestId: string; status: string }
  | { kind: 'refunded'; transactionId: string; yen: number }
  /** Money the machine could not pay out (change or refund): a refund slip, settled at the counter. */
  | { kind: 'owed'; transactionId: string; yen: number; reason: 'change' | 'refund' }
  | { kind: 'failed'; transactionId: string; error: KioskErrorCode; detail?: string }
  /**
   * After printing, the done screen timed out: with the card still on the reader (`card`), and
   * without the resident confirming they took the document (`document`). The operator's counts.
   */
  | { kind: 'left-behind'; transactionId: string; item: LeftBehindItem }
  | { kind: 'ended'; transactionId: string };

/** What a resident can leave at the kiosk after printing. */
export type LeftBehindItem = 'card' | 'document';

export interface Timeouts {
  placeCardMs: number;
  pinEntryIdleMs: number;
  menuIdleMs: number;
  paymentIdleMs: number;
  doneMs: number;
  errorMs: number;
  /** After printing, while the card is still on the reader: the reminder repeats this often. */
  cardReminderMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  placeCardMs: 60_000,
  pinEntryIdleMs: 60_000,
  menuIdleMs: 90_000,
  paymentIdleMs: 120_000,
  doneMs: 30_000,
  errorMs: 60_000,
  cardReminderMs: 8_000,
};

export interface Selection {
  certificateType: CertificateType;
  copies: number;
  feeYen: number;
  maxCopies: number;
  /** What the municipality allows for this certificate (and this kiosk offers). */
  offered: OfferedOptions;
  choice: OptionChoice;
}

export interface SessionContext {
  services: SessionServices;
  timeouts: Timeouts;
  language: Language;
  transactionId: string | null;
  card: CardHandle | null;
  certificate: Promise<CardResult<Uint8Array>> | null;
  authCertificate: Uint8Array | null;
  /** PIN digits as ASCII, held only in the host, wiped after VERIFY or on any exit. */
  pin: Uint8Array;
  pinLength: number;
  triesLeft: number | null;
  lastAttemptWrong: boolean;
  municipalityName: string;
  menu: MenuItem[];
  /**
   * The household as the 住民票 lists it, fetched from the centre only when the resident chooses
   * scope `members` (authentication carries no names), then kept for this transaction.
   */
  household: HouseholdLookup;
  notices: Notice[];
  /** The 利用登録 filed (or found on file) in this session. */
  registration: KosekiRegistrationResponse | null;
  selection: Selection | null;
  /** Credit the payment device reported in this session. */
  paidYen: number;
  /** Change paid out, and money owed (change or refund the machine could not pay). */
  changeYen: number;
  owedYen: number;
  /** The acceptor was opened in this session: a failure must stop it and return the money. */
  paymentOpened: boolean;
  /** What the acceptor takes now (yen), as the device said. */
  accepts: number[];
  pdf: Uint8Array | null;
  /** After printing: how many times the resident has been reminded to take the card (0 = none). */
  cardReminders: number;
  /** `detail` is for the transaction event only (never shown, never personal data). */
  error: {
    code: KioskErrorCode;
    triesLeft?: number;
    refundedYen?: number;
    owedYen?: number;
    detail?: string;
  } | null;
}

/** A session handed to a new machine after the old one stopped on a fault (see session-recovery.ts). */
export type ResumedSession = Omit<SessionContext, 'services' | 'timeouts'>;

export type SessionEvent =
  | { type: 'START' }
  | { type: 'SET_LANGUAGE'; language: Language }
  | { type: 'PIN_DIGIT'; digit: number }
  | { type: 'PIN_BACKSPACE' }
  | { type: 'PIN_SUBMIT' }
  | { type: 'CHOOSE'; certificateType: CertificateType }
  | { type: 'SET_COPIES'; copies: number }
  | { type: 'SET_SCOPE'; scope: HouseholdScope }
  | { type: 'TOGGLE_MEMBER'; order: number }
  | { type: 'SET_HONSEKI'; include: boolean }
  | { type: 'SET_RELATIONSHIP'; include: boolean }
  | { type: 'SET_TAX_YEAR'; year: number }
  | { type: 'CONFIRM' }
  | { type: 'REQUEST_REGISTRATION' }
  | { type: 'BACK_TO_MENU' }
  | { type: 'CREDIT'; yen: number }
  | { type: 'ACCEPTING'; denominations: number[] }
  | PaymentFaultEvent
  | { type: 'CANCEL' }
  | { type: 'FINISH' }
  | { type: 'CARD_REMOVED' };

function totalYen(selection: Selection | null): number {
  return selection ? selection.feeYen * selection.copies : 0;
}

function wipePin(context: SessionContext): void {
  context.pin.fill(0);
}

/** The selection with a changed choice; unchanged outside the confirm step. */
function withChoice(
  selection: Selection | null,
  change: (choice: OptionChoice, offered: OfferedOptions) => Partial<OptionChoice>,
): Selection | null {
  if (!selection) return null;
  return { ...selection, choice: { ...selection.choice, ...change(selection.choice, selection.offered) } };
}

/** Some 戸籍 item waits for the 利用登録 with the 本籍地. */
export function registrationNeeded(menu: readonly MenuItem[]): boolean {
  return menu.some((item) => !item.available && item.reason === 'registration-needed');
}

/**
 * Everything a resident's session holds, as it is before one starts. The machine starts from it
 * and every session ends by returning to it, so no field can be forgotten at the end.
 */
function blankSession(): Omit<SessionContext, 'services' | 'timeouts' | 'language'> {
  return {
    transactionId: null,
    card: null,
    certificate: null,
    authCertificate: null,
    pin: new Uint8Array(AUTH_PIN_LENGTH),
    pinLength: 0,
    triesLeft: null,
    lastAttemptWrong: false,
    municipalityName: '',
    menu: [],
    household: { state: 'not-asked' },
    notices: [],
    registration: null,
    selection: null,
    paidYen: 0,
    changeYen: 0,
    owedYen: 0,
    paymentOpened: false,
    accepts: [],
    pdf: null,
    cardReminders: 0,
    error: null,
  };
}

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { services: SessionServices; timeouts: Timeouts; resume?: ResumedSession },
  },
  actors: {
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
    authenticate: fromPromise<AuthenticationResult, Parameters<typeof authenticateResident>[0]>(({ input }) =>
      authenticateResident(input),
    ),
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
    release: fromPromise<void, { card: CardHandle | null }>(async ({ input }) => {
      await input.card?.release();
    }),
    acceptMoney: fromCallback(acceptMoney),
    settle: fromPromise(({ input }: { input: Parameters<typeof settlePayment>[0] }) => settlePayment(input)),
    refund: fromPromise(({ input }: { input: Parameters<typeof refundMoney>[0] }) => refundMoney(input)),
  },
  actions: {
    leftBehind: ({ context }, params: { item: LeftBehindItem }) => {
      if (context.transactionId)
        context.services.onTransactionEvent({
          kind: 'left-behind',
          transactionId: context.transactionId,
          item: params.item,
        });
    },
    fail: assign(({ context }, params: { code: KioskErrorCode; triesLeft?: number }) => {
      wipePin(context);
      return {
        error: {
          code: params.code,
          ...(params.triesLeft === undefined ? {} : { triesLeft: params.triesLeft }),
        },
        pinLength: 0,
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
    paidEnough: ({ context }) => context.selection !== null && context.paidYen >= totalYen(context.selection),
    choiceComplete: ({ context }) => context.selection !== null && choiceComplete(context.selection.choice),
    cardOnReader: ({ context }) => context.services.cardPort.cardPresent(),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    services: input.services,
    timeouts: input.timeouts,
    language: 'ja',
    ...blankSession(),
    ...input.resume,
  }),
  initial: 'welcome',
  on: {
    SET_LANGUAGE: { actions: assign({ language: ({ event }) => event.language }) },
  },
  states: {
    welcome: {
      // A host resumed after a fault (session-recovery.ts) finishes the session it was given first.
      always: [
        {
          guard: ({ context }) => context.transactionId !== null && context.error !== null,
          target: 'failed',
        },
        { guard: ({ context }) => context.transactionId !== null, target: 'ending' },
      ],
      on: {
        START: {
          target: 'checkingPrinter',
          actions: assign(({ context }) => {
            const transactionId = context.services.newTransactionId();
            context.services.onTransactionEvent({ kind: 'started', transactionId });
            return { transactionId };
          }),
        },
      },
    },
    checkingPrinter: {
      // Before the resident starts: a printer that cannot print refuses them now, not after payment.
      invoke: {
        src: 'printerStatus',
        input: ({ context }) => ({ printer: context.services.printer }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'idle' || event.output.kind === 'processing',
            target: 'placeCard',
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({ error: { code: printerStatusError(event.output) } })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'printer-unavailable' } } },
      },
      on: { CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } } },
    },
    placeCard: {
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
    },
    readingCard: {
      invoke: {
        src: 'prepareCard',
        input: ({ context }) => ({ card: context.card as CardHandle }),
        onDone: [
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
        CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
        CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
      },
    },
    pinEntry: {
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
    },
    verifyingPin: {
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
    },
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
            target: 'menu',
            actions: assign(({ context, event }) => {
              if (!event.output.ok) return {};
              context.services.onTransactionEvent({
                kind: 'authenticated',
                transactionId: context.transactionId as string,
                municipalityCode: event.output.response.municipality.code,
              });
              const { response } = event.output;
              return {
                municipalityName: response.municipality.name,
                menu: response.menu,
                notices: response.notices ?? [],
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
      on: { CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } } },
    },
    menu: {
      after: { menuTimeout: { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } },
      on: {
        CHOOSE: {
          guard: ({ context, event }) =>
            context.menu.some((item) => item.certificateType === event.certificateType && item.available),
          target: 'confirm',
          actions: assign(({ context, event }) => {
            const item = context.menu.find((i) => i.certificateType === event.certificateType);
            if (!item?.available) return {};
            const offered = offeredOptions(item.options);
            return {
              selection: {
                certificateType: item.certificateType,
                copies: 1,
                feeYen: item.feeYen,
                maxCopies: item.maxCopies,
                offered,
                choice: initialChoice(item.certificateType, offered),
              },
            };
          }),
        },
        REQUEST_REGISTRATION: {
          guard: ({ context }) => context.registration === null && registrationNeeded(context.menu),
          target: 'registrationConfirm',
        },
        CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
        CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
      },
    },
    registrationConfirm: {
      after: { menuTimeout: { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } },
      on: {
        CONFIRM: 'filingRegistration',
        BACK_TO_MENU: 'menu',
        CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
        CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
      },
    },
    filingRegistration: {
      invoke: {
        src: 'fileRegistration',
        input: ({ context }) => ({
          centre: context.services.centre,
          transactionId: context.transactionId as string,
          terminalId: context.services.terminalId,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'registrationDone',
            actions: assign(({ context, event }) => {
              if (!event.output.ok) return {};
              context.services.onTransactionEvent({
                kind: 'registration-filed',
                transactionId: context.transactionId as string,
                requestId: event.output.value.requestId,
                status: event.output.value.status,
              });
              return { registration: event.output.value };
            }),
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({
              error: { code: event.output.ok ? 'internal' : kioskErrorForCentre(event.output.failure) },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
      on: { CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } } },
    },
    registrationDone: {
      after: { doneTimeout: 'ending' },
      on: {
        BACK_TO_MENU: 'menu',
        FINISH: 'ending',
        // The resident has left with the card: nothing more to do in this session.
        CARD_REMOVED: 'ending',
      },
    },
    confirm: {
      after: { menuTimeout: { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } },
      on: {
        SET_COPIES: {
          guard: ({ context, event }) =>
            context.selection !== null &&
            Number.isInteger(event.copies) &&
            event.copies >= 1 &&
            event.copies <= context.selection.maxCopies,
          actions: assign(({ context, event }) => ({
            selection: context.selection ? { ...context.selection, copies: event.copies } : null,
          })),
        },
        SET_SCOPE: [
          {
            // The household's names come from the centre now, for this transaction only.
            guard: ({ context, event }) =>
              event.scope === 'members' &&
              context.selection?.offered.scopes.includes('members') === true &&
              context.household.state !== 'loaded',
            target: '.fetchingMembers',
            actions: assign(({ context }) => ({
              selection: withChoice(context.selection, () => ({ scope: 'members' as const })),
            })),
          },
          {
            guard: ({ context, event }) => context.selection?.offered.scopes.includes(event.scope) === true,
            target: '.choosing',
            actions: assign(({ context, event }) => ({
              selection: withChoice(context.selection, () => ({ scope: event.scope })),
            })),
          },
        ],
        TOGGLE_MEMBER: {
          guard: ({ context, event }) =>
            context.selection?.choice.scope === 'members' &&
            context.household.state === 'loaded' &&
            context.household.members.some((m) => m.order === event.order),
          actions: assign(({ context, event }) => ({
            selection: withChoice(context.selection, (choice) => ({
              members: toggleMember(choice.members, event.order),
            })),
          })),
        },
        SET_HONSEKI: {
          guard: ({ context }) => context.selection?.offered.honseki === true,
          actions: assign(({ context, event }) => ({
            selection: withChoice(context.selection, () => ({ includeHonseki: event.include })),
          })),
        },
        SET_RELATIONSHIP: {
          guard: ({ context }) => context.selection?.offered.relationship === true,
          actions: assign(({ context, event }) => ({
            selection: withChoice(context.selection, () => ({ includeRelationship: event.include })),
          })),
        },
        SET_TAX_YEAR: {
          guard: ({ context, event }) => context.selection?.offered.taxYears.includes(event.year) === true,
          actions: assign(({ context, event }) => ({
            selection: withChoice(context.selection, () => ({ taxYear: event.year })),
          })),
        },
        CONFIRM: { guard: 'choiceComplete', target: 'payment' },
        BACK_TO_MENU: 'menu',
        CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
        CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
      },
      initial: 'choosing',
      states: {
        choosing: {},
        fetchingMembers: {
          invoke: {
            src: 'fetchHouseholdMembers',
            input: ({ context }) => ({
              centre: context.services.centre,
              transactionId: context.transactionId as string,
              terminalId: context.services.terminalId,
              certificateType: (context.selection as Selection).certificateType,
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.ok,
                target: 'choosing',
                actions: assign(({ event }) => ({
                  household: event.output.ok
                    ? {
                        state: 'loaded' as const,
                        members: event.output.value.members.map((m) => ({ order: m.order, name: m.name })),
                      }
                    : { state: 'failed' as const },
                })),
              },
              {
                // A refusal (session expired, card revoked, option withdrawn): its own error screen.
                guard: ({ event }) => !event.output.ok && event.output.failure.kind === 'centre-error',
                target: '#session.failed',
                actions: assign(({ event }) => ({
                  error: { code: event.output.ok ? 'internal' : kioskErrorForCentre(event.output.failure) },
                })),
              },
              // Unreachable or an answer off the contract: the screen says so; choosing again retries.
              { target: 'choosing', actions: assign({ household: { state: 'failed' } }) },
            ],
            onError: { target: 'choosing', actions: assign({ household: { state: 'failed' } }) },
          },
          on: {
            // Already asking: the same choice again changes nothing.
            SET_SCOPE: { guard: ({ event }) => event.scope === 'members' },
          },
        },
      },
    },
    payment: {
      // Credit comes only from the payment device; the page has no way to add any.
      entry: assign({ paymentOpened: true }),
      invoke: {
        src: 'acceptMoney',
        input: ({ context }) => ({ device: context.services.payment, dueYen: totalYen(context.selection) }),
      },
      always: { guard: 'paidEnough', target: 'settling' },
      after: { paymentTimeout: { target: 'failed', actions: { type: 'fail', params: { code: 'timeout' } } } },
      on: {
        CREDIT: {
          actions: [
            assign({ paidYen: ({ context, event }) => context.paidYen + event.yen }),
            // On record before anything else happens: a host that stops now still owes it back.
            ({ context, event }) => {
              if (context.transactionId)
                context.services.onTransactionEvent({
                  kind: 'credit',
                  transactionId: context.transactionId,
                  yen: event.yen,
                  totalYen: context.paidYen,
                });
            },
          ],
        },
        ACCEPTING: { actions: assign({ accepts: ({ event }) => event.denominations }) },
        PAYMENT_FAULT: {
          target: 'failed',
          actions: { type: 'fail', params: ({ event }) => ({ code: event.code }) },
        },
        CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } },
        CANCEL: { target: 'failed', actions: { type: 'fail', params: { code: 'cancelled' } } },
      },
    },
    settling: {
      // Stop the acceptor (a coin arriving meanwhile still counts), then pay the change.
      invoke: {
        src: 'settle',
        input: ({ context }) => ({
          device: context.services.payment,
          paidYen: context.paidYen,
          dueYen: totalYen(context.selection),
        }),
        onDone: {
          target: 'issuing',
          actions: assign(({ context, event }) => {
            const paidYen = context.paidYen + event.output.lateYen;
            const selection = context.selection as Selection;
            const options = optionsInput(selection).options;
            context.services.onTransactionEvent({
              kind: 'paid',
              transactionId: context.transactionId as string,
              yen: paidYen,
              changeYen: event.output.changeYen,
              owedYen: event.output.owedYen,
              certificateType: selection.certificateType,
              copies: selection.copies,
              quotedFeeYen: selection.feeYen,
              ...(options ? { options } : {}),
              holderBinding: holderBindingOf(context.authCertificate as Uint8Array),
            });
            if (event.output.owedYen > 0)
              context.services.onTransactionEvent({
                kind: 'owed',
                transactionId: context.transactionId as string,
                yen: event.output.owedYen,
                reason: 'change',
              });
            return { paidYen, changeYen: event.output.changeYen, owedYen: event.output.owedYen };
          }),
        },
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
    },
    issuing: {
      invoke: {
        src: 'issue',
        input: ({ context }) => ({
          centre: context.services.centre,
          keyRing: context.services.keyRing,
          render: context.services.render,
          terminalId: context.services.terminalId,
          transactionId: context.transactionId as string,
          certificateType: (context.selection as Selection).certificateType,
          copies: (context.selection as Selection).copies,
          quotedFeeYen: (context.selection as Selection).feeYen,
          ...optionsInput(context.selection as Selection),
          holderBinding: holderBindingOf(context.authCertificate as Uint8Array),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'printing',
            actions: assign(({ context, event }) => {
              if (!event.output.ok) return {};
              context.services.onTransactionEvent({
                kind: 'issued',
                transactionId: context.transactionId as string,
                documentId: event.output.documentId,
                pageCount: event.output.pageCount,
              });
              return { pdf: event.output.pdf };
            }),
          },
          {
            // The `failed` state reports it (once), with the detail.
            target: 'failed',
            actions: assign(({ event }) => ({
              error: {
                code: event.output.ok ? 'internal' : event.output.error,
                ...(!event.output.ok && event.output.detail ? { detail: event.output.detail } : {}),
              },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'internal' } } },
      },
      on: { CARD_REMOVED: { target: 'failed', actions: { type: 'fail', params: { code: 'card-removed' } } } },
    },
    printing: {
      entry: ({ context }) =>
        context.services.onTransactionEvent({
          kind: 'printing',
          transactionId: context.transactionId as string,
        }),
      invoke: {
        src: 'print',
        input: ({ context }) => ({
          printer: context.services.printer,
          pdf: context.pdf as Uint8Array,
          jobName: context.transactionId as string,
          copies: (context.selection as Selection).copies,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'done',
            actions: ({ context, event }) => {
              if (event.output.ok)
                context.services.onTransactionEvent({
                  kind: 'printed',
                  transactionId: context.transactionId as string,
                  jobId: event.output.jobId,
                  copies: (context.selection as Selection).copies,
                  ...(event.output.impressions === undefined
                    ? {}
                    : { impressions: event.output.impressions }),
                });
            },
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({
              error: { code: event.output.ok ? 'internal' : printerError(event.output.failure) },
            })),
          },
        ],
        onError: { target: 'failed', actions: { type: 'fail', params: { code: 'printer-unavailable' } } },
      },
    },
    done: {
      // The card is returned (powered off); until the resident takes it, a reminder repeats.
      entry: ({ context }) => {
        void context.card?.release();
      },
      initial: 'deciding',
      states: {
        deciding: {
          always: [{ guard: 'cardOnReader', target: 'reminding' }, { target: 'cardTaken' }],
        },
        reminding: {
          entry: assign({ cardReminders: ({ context }) => context.cardReminders + 1 }),
          after: { cardReminder: { target: 'reminding', reenter: true } },
          on: { CARD_REMOVED: 'cardTaken' },
        },
        cardTaken: { entry: assign({ cardReminders: 0 }) },
      },
      after: {
        // Nobody confirmed taking the document (終了 is 「受け取りました」): it may lie in the tray.
        doneTimeout: [
          {
            guard: 'cardOnReader',
            target: 'cardLeftBehind',
            actions: [
              { type: 'leftBehind', params: { item: 'document' } },
              { type: 'leftBehind', params: { item: 'card' } },
            ],
          },
          { target: 'ending', actions: { type: 'leftBehind', params: { item: 'document' } } },
        ],
      },
      on: { FINISH: 'ending' },
    },
    // The resident walked away from the card: keep reminding until someone takes it off the reader.
    cardLeftBehind: {
      initial: 'reminding',
      states: {
        reminding: {
          entry: assign({ cardReminders: ({ context }) => context.cardReminders + 1 }),
          after: { cardReminder: { target: 'reminding', reenter: true } },
        },
      },
      on: { CARD_REMOVED: 'ending' },
    },
    failed: {
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
          always: [
            { guard: ({ context }) => context.paymentOpened, target: 'refunding' },
            { target: 'shown' },
          ],
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
    },
    ending: {
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
    },
  },
});

function printerStatusError(status: PrinterStatus): KioskErrorCode {
  if (status.kind === 'stopped') {
    if (status.reasons.some((r) => r.startsWith('media-empty') || r.startsWith('media-needed')))
      return 'printer-out-of-paper';
    if (status.reasons.some((r) => r.startsWith('media-jam'))) return 'printer-jammed';
  }
  return 'printer-unavailable';
}

function printerError(failure: PrintFailure): KioskErrorCode {
  switch (failure.kind) {
    case 'out-of-paper':
      return 'printer-out-of-paper';
    case 'jammed':
      return 'printer-jammed';
    case 'timeout':
      return 'timeout';
    default:
      return 'printer-unavailable';
  }
}

/** The issue request's options for the selection (none when the certificate has no choices). */
function optionsInput(selection: Selection): { options?: IssueOptions } {
  const options = issueOptionsFor(selection.offered, selection.choice);
  return options ? { options } : {};
}

export { totalYen };
