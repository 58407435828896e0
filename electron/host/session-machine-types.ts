/**
 * What every kiosk flow's session machine shares: the services, the session's context and events,
 * the transaction events the journal records, the time-outs, and the blank session every flow
 * starts from and returns to. The machines themselves: session-machine-issuance.ts (certificates)
 * over the shared steps of session-machine-parts.ts.
 */
import type {
  CertificateType,
  HouseholdScope,
  IssueOptions,
  KosekiRegistrationResponse,
  MenuItem,
  Notice,
} from '../../protocol/index.ts';
import type { KioskErrorCode, Language } from '../kiosk-api.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { Printer } from '../printer/printer.ts';
import type { CardHandle, CardPort, CardResult } from './card-port.ts';
import type { CentreClient } from './centre-client.ts';
import type { HouseholdLookup, OfferedOptions, OptionChoice } from './certificate-options.ts';
import type { DocumentRenderer, MunicipalityKeyRing } from './issue-document.ts';
import type { PaymentFaultEvent } from './session-payment.ts';
import type { PinResetMode } from '../../protocol/pin-reset.ts';
import type { PinResetTarget } from '../../protocol/secure-messaging.ts';
import type { PinResetCentre } from './pin-reset-client.ts';

export const AUTH_PIN_LENGTH = 4;
/** The one-time password from the phone's face check: 8 digits. */
export const ONE_TIME_PASSWORD_LENGTH = 8;
/** The new 署名用 PIN: 6–16 of A–Z and 0–9. */
export const NEW_SIGNING_PIN_MIN = 6;
export const NEW_SIGNING_PIN_MAX = 16;

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
  /**
   * The centre's reset API, for the PIN-reset flow (absent: the kiosk offers no reset). The mode
   * (a typed password or the card alone) is the centre's setting, asked for at each reset.
   */
  pinReset?: { centre: PinResetCentre };
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
  /** PIN reset flow (session-machine-pin-reset.ts): the one-time password's digits (ASCII), host only. */
  oneTimePassword: Uint8Array;
  oneTimePasswordLength: number;
  /** The wrong tries the centre says are left on the password; whether the last one was wrong. */
  passwordTriesLeft: number | null;
  lastPasswordWrong: boolean;
  /** The new 署名用 PIN being typed (ASCII A–Z 0–9), and the first entry it must match. */
  newPin: Uint8Array;
  newPinLength: number;
  newPinFirst: Uint8Array;
  newPinFirstLength: number;
  /** The second entry differed from the first: typing starts again. */
  newPinMismatch: boolean;
  /** Which 署名用 PIN the card holds after the reset (or its failure); null before. */
  pinResetOutcome: 'new-pin' | 'old-pin' | 'unknown' | null;
  /** The centre's mode for this reset (`/v1/pin-reset/start`); null until it answered. */
  pinResetMode: PinResetMode | null;
  /** The centre's refusal of the reset (`expired`, `used`, `no-grant`, `locked`, …); null if none. */
  pinResetRefusal: string | null;
  /**
   * Which PIN the resident resets: 'signing' (proven with the 4-digit PIN) or 'auth' (the 4-digit
   * PIN, proven with the signing PIN, typed into `newPin` before the new PIN is).
   */
  pinResetTarget: PinResetTarget;
  /** The 4-digit PIN's reset: the signing PIN's tries left after a wrong one (null before). */
  signingPinTriesLeft: number | null;
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
  | { type: 'CARD_REMOVED' }
  // The PIN-reset flow's keypads.
  | { type: 'OTP_DIGIT'; digit: number }
  | { type: 'OTP_BACKSPACE' }
  | { type: 'OTP_SUBMIT' }
  | { type: 'CHOOSE_PIN_RESET'; target: PinResetTarget }
  | { type: 'NEW_PIN_CHAR'; char: string }
  | { type: 'NEW_PIN_BACKSPACE' }
  | { type: 'NEW_PIN_SUBMIT' };

export function totalYen(selection: Selection | null): number {
  return selection ? selection.feeYen * selection.copies : 0;
}

export function wipePin(context: SessionContext): void {
  context.pin.fill(0);
  context.oneTimePassword.fill(0);
  context.newPin.fill(0);
  context.newPinFirst.fill(0);
}

/**
 * Everything a resident's session holds, as it is before one starts. The machine starts from it
 * and every session ends by returning to it, so no field can be forgotten at the end.
 */
export function blankSession(): Omit<SessionContext, 'services' | 'timeouts' | 'language'> {
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
    oneTimePassword: new Uint8Array(ONE_TIME_PASSWORD_LENGTH),
    oneTimePasswordLength: 0,
    passwordTriesLeft: null,
    lastPasswordWrong: false,
    newPin: new Uint8Array(NEW_SIGNING_PIN_MAX),
    newPinLength: 0,
    newPinFirst: new Uint8Array(NEW_SIGNING_PIN_MAX),
    newPinFirstLength: 0,
    newPinMismatch: false,
    pinResetOutcome: null,
    pinResetMode: null,
    pinResetRefusal: null,
    pinResetTarget: 'signing',
    signingPinTriesLeft: null,
    error: null,
  };
}
