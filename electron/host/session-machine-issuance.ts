/**
 * The certificate flow's session machine: welcome → printer check → the shared card steps (card,
 * PIN) → authenticate → menu → confirm → payment → settling → issue → print → done, and the
 * 利用登録 branch from the menu; every error through the shared clean-up (`failed` → `ending`).
 * The steps it shares with the other flows are in session-machine-parts.ts.
 */
import { assign } from 'xstate';
import type { IssueOptions, MenuItem } from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { PrinterStatus, PrintFailure } from '../printer/printer.ts';
import {
  initialChoice,
  issueOptionsFor,
  offeredOptions,
  toggleMember,
  type OfferedOptions,
  type OptionChoice,
} from './certificate-options.ts';
import { holderBindingOf } from './issue-document.ts';
import { kioskErrorForCentre } from './kiosk-errors.ts';
import {
  authenticatingState,
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
import { totalYen, type Selection } from './session-machine-types.ts';

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

export const issuanceMachine = sessionSetup.createMachine({
  id: 'session',
  context: initialSessionContext,
  initial: 'welcome',
  on: {
    SET_LANGUAGE: { actions: assign({ language: ({ event }) => event.language }) },
  },
  states: {
    welcome: {
      // A host resumed after a fault (session-recovery.ts) finishes the session it was given first.
      always: [...RESUMED_SESSION_FIRST],
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
    placeCard: placeCardState,
    readingCard: readingCardState(),
    pinEntry: pinEntryState,
    verifyingPin: verifyingPinState,
    authenticating: authenticatingState({ next: 'menu', keepMenu: true }),
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
    failed: failedState,
    ending: endingState,
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
