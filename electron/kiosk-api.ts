/**
 * The one contract between the kiosk host (main process, or the Node host in kiosk:web mode)
 * and the renderer. The renderer shows a snapshot and sends intents; the host owns the session.
 * Type-only module: the renderer may import it; it must never import runtime code from here.
 *
 * PIN digits go to the host one at a time; the page only learns how many digits were entered.
 */
import type {
  CertificateType,
  HouseholdScope,
  KosekiRegistrationStatus,
  UnavailableReason,
} from '../protocol/index.ts';
import type { KioskHealth } from '../protocol/heartbeat.ts';
import type { TodaysCounts } from './diagnostics/todays-counts.ts';

/**
 * The resident's language: Japanese (every session starts in it), English, Simplified Chinese,
 * Korean, Vietnamese, Portuguese, Spanish and Tagalog.
 */
export type Language = 'ja' | 'en' | 'zh-Hans' | 'ko' | 'vi' | 'pt' | 'es' | 'tl';

export type ReaderState = 'ready' | 'no-reader' | 'service-down';

export type MenuItemView =
  | { certificateType: CertificateType; available: true; feeYen: number; maxCopies: number }
  | { certificateType: CertificateType; available: false; reason: UnavailableReason };

/** A municipal notice for the menu; the page shows `en` in English when there is one, else `ja`. */
export interface NoticeView {
  id: string;
  ja: string;
  en?: string;
}

/** One person of the resident's household, as the 住民票 lists them (order = position on it). */
export interface HouseholdMemberView {
  order: number;
  name: string;
  chosen: boolean;
}

/**
 * The choices the municipality allows for the chosen certificate, with what is chosen now. A
 * part is present only when the municipality offers it. 個人番号 is never offered by this kiosk.
 */
export interface ConfirmOptionsView {
  /** 住民票 / 記載事項証明書: whose entries are printed. */
  scope?: { allowed: HouseholdScope[]; chosen: HouseholdScope };
  /**
   * With scope `members`: the household to choose from. The centre sends the names only when the
   * resident chooses this scope, so they arrive after a moment (`membersStatus`).
   */
  members?: HouseholdMemberView[];
  /**
   * With scope `members` and no list yet: `loading` while the kiosk asks the centre, `failed` when
   * it could not (choosing 「世帯の一部」 again retries; another scope still works).
   */
  membersStatus?: 'loading' | 'failed';
  /** 本籍・筆頭者 printed (true) or left out. */
  honseki?: boolean;
  /** 続柄 printed (true) or left out. */
  relationship?: boolean;
  /** 所得・課税 / 納税: the fiscal year (年度), newest first. */
  taxYear?: { allowed: number[]; chosen: number };
}

/** Why a session ended in an error screen. Each has a message key `kioskError.<code>`. */
export type KioskErrorCode =
  | 'card-removed'
  | 'card-unsupported' // not a My Number Card, or a 住基カード / phone token
  | 'card-communication'
  | 'pin-locked'
  | 'certificate-expired'
  | 'certificate-revoked'
  | 'certificate-invalid'
  | 'resident-moved-out'
  | 'resident-deceased'
  | 'municipality-not-participating'
  | 'certificate-not-offered'
  | 'age-restricted' // under the municipality's minimum age for this certificate
  | 'registration-needed' // 利用登録 with the 本籍地 not approved (yet)
  | 'no-registration' // e.g. no 印鑑登録, or it was abolished
  | 'option-not-allowed' // a choice the municipality does not allow
  | 'outside-hours'
  | 'dv-block'
  | 'fee-changed' // the fee changed after the menu was shown: nothing issued, the money is returned
  | 'document-unprintable' // the register's data does not fit the form: nothing issued, the money is returned
  | 'centre-unreachable'
  | 'document-invalid' // the issued document failed the kiosk's binding or seal check
  | 'printer-out-of-paper'
  | 'printer-jammed'
  | 'printer-unavailable'
  | 'timeout'
  | 'card-not-placed' // no card was placed on the reader in time
  | 'cancelled' // the resident pressed 中止: a neutral end, any money inserted is returned
  | 'payment-jammed' // a note or coin stuck in the acceptor: what was credited is returned
  | 'payment-unavailable' // the acceptor stopped answering or its cash box is full
  | 'pin-reset-refused' // the centre refused the PIN reset (password expired, used, locked, not this card's): the old PIN stays
  | 'pin-reset-in-use' // the grant is reserved by another transaction (another kiosk) right now: wait a few minutes; the old PIN stays
  | 'internal';

export type KioskScreen =
  /** `pinResetOffered`: the kiosk is configured for the PIN reset (「暗証番号の初期化・再設定」 shown). */
  | { screen: 'welcome'; reader: ReaderState; pinResetOffered?: boolean }
  | { screen: 'place-card'; reader: ReaderState }
  | { screen: 'reading-card' }
  | {
      screen: 'pin-entry';
      digitsEntered: number;
      pinLength: 4;
      triesLeft: number | null;
      lastAttemptWrong: boolean;
    }
  | { screen: 'authenticating' }
  | {
      screen: 'menu';
      municipalityName: string;
      items: MenuItemView[];
      /** The municipality's notices in force (absent or empty: none). */
      notices?: NoticeView[];
      /** The 利用登録 for the 本籍地 was filed in this session: 戸籍 items wait for its decision. */
      registrationFiled?: boolean;
    }
  | {
      screen: 'confirm';
      certificateType: CertificateType;
      copies: number;
      maxCopies: number;
      feeYen: number;
      totalYen: number;
      /** The certificate's choices; absent when it has none. */
      options?: ConfirmOptionsView;
      /** False while a choice is missing (scope `members` with nobody chosen). Absent = true. */
      complete?: boolean;
    }
  | {
      screen: 'payment';
      certificateType: CertificateType;
      copies: number;
      totalYen: number;
      /** Credit the payment device reported: the page cannot add any. */
      paidYen: number;
      /** Coins and notes (yen) the slot takes now; a note the machine could not change is left out. */
      accepts: number[];
    }
  | { screen: 'issuing' }
  | { screen: 'printing'; copiesPrinted: number; copies: number }
  /** `changeYen` paid out; `owedYen` change the machine could not pay (a refund slip at the counter). */
  | {
      screen: 'done';
      changeYen: number;
      owedYen?: number;
      /**
       * The card is still on the reader: the page shows and sounds a reminder to take it. The
       * number counts the reminders (1, 2, …): each new number is one more reminder to play.
       * Absent once the card is taken.
       */
      cardReminder?: number;
    }
  /** 利用登録 for 戸籍 certificates: what it is, before the resident files it. */
  | { screen: 'registration-confirm' }
  | { screen: 'registration-filing' }
  /** Filed (or already on file): the 本籍地 decides. */
  | {
      screen: 'registration-done';
      municipalityName: string;
      status: KosekiRegistrationStatus;
      requestId: string;
    }
  /**
   * The host failed too often in a short time (it exits and the service manager restarts it), or
   * the store operator switched the kiosk off: `notice` says why, in the resident's language.
   */
  | { screen: 'out-of-service'; notice?: OutOfServiceNotice }
  /** Operator mode: the operator PIN (digits go to the host one at a time). */
  | {
      screen: 'operator-pin';
      digitsEntered: number;
      /** Wrong tries left before the lock; null before the first wrong try. */
      triesLeft: number | null;
      /** While locked: until when (ISO 8601). */
      lockedUntil?: string;
      checking?: boolean;
    }
  /** Operator mode: status, counts, self-tests, log export, the out-of-service switch. Never resident data. */
  | {
      screen: 'operator';
      language: OperatorLanguage;
      /** Null while the first status is being collected. */
      status: KioskHealth | null;
      counts: TodaysCounts | null;
      /**
       * What recovery did at this start, before the first resident, to each transaction a stopped
       * host left unfinished (oldest first); empty when there was none.
       */
      recovered: RecoveredTransactionView[];
      selfTests: OperatorSelfTestView[];
      /** The operator's switch: the notice residents see, and since when; null while in service. */
      outOfService: { notice: OutOfServiceNotice; since: string } | null;
      /** The last log export: where it went and how many lines. */
      logExport?: { file: string; lines: number } | { failed: true };
    }
  /** PIN reset: which PIN was forgotten (resetting one needs the other; both: the municipality's counter). */
  | { screen: 'pin-reset-choose' }
  /**
   * PIN reset of the 4-digit PIN: the 署名用 PIN the resident still knows (`minLength`–`maxLength` of
   * A–Z and 0–9), on the new-PIN keyboard; `triesLeft` after a wrong one.
   */
  | {
      screen: 'pin-reset-signing-pin';
      charsEntered: number;
      minLength: number;
      maxLength: number;
      triesLeft: number | null;
    }
  /** PIN reset: the 8-digit one-time password from the phone's face check; wrong tries left after a wrong one. */
  | {
      screen: 'pin-reset-password';
      digitsEntered: number;
      passwordLength: 8;
      triesLeft: number | null;
      lastAttemptWrong: boolean;
    }
  /**
   * PIN reset: the new 署名用 PIN (`minLength`–`maxLength` of A–Z and 0–9), typed (`first`) and typed
   * again (`again`); `mismatch` after two entries that differed (both are typed again).
   */
  | {
      screen: 'pin-reset-new-pin';
      step: 'first' | 'again';
      /** 'auth': the new 4-digit PIN (digits only, `minLength` = `maxLength` = 4); absent: the 署名用 PIN. */
      pin?: 'auth';
      charsEntered: number;
      minLength: number;
      maxLength: number;
      mismatch: boolean;
    }
  /** PIN reset: the centre's command relayed to the card (the card must stay on the reader). */
  | { screen: 'pin-reset-working' }
  /** PIN reset: done; the card holds the new 署名用 PIN. */
  | { screen: 'pin-reset-done'; outcome: PinResetOutcome; pin?: 'auth' }
  /** `refundedYen` returned by the machine; `owedYen` it could not return (a refund slip at the counter). */
  | {
      screen: 'error';
      error: KioskErrorCode;
      triesLeft?: number;
      /** True while the machine is still paying the money back (the resident waits for it). */
      refunding?: boolean;
      refundedYen?: number;
      owedYen?: number;
      /** A PIN-reset session: which 署名用 PIN the card holds now (`pin: 'auth'`: which 4-digit PIN). */
      pinResetOutcome?: PinResetOutcome;
      pin?: 'auth';
    };

/** After a PIN reset (or its failure): the new PIN, the old one, or only trying it can tell. */
export type PinResetOutcome = 'new-pin' | 'old-pin' | 'unknown';

/** Why the operator took the kiosk out of service: each has a message in all 8 languages. */
export type OutOfServiceNotice = 'maintenance' | 'supplies' | 'closed';

/**
 * One transaction recovery resolved at start, as the operator sees it: the 受付番号 the resident
 * reads out, when the transaction started (ISO 8601), and what became of it — `reprinted` (fetched
 * again and printed), `completed` (it had printed before the host stopped), `refund-due` with the
 * yen still owed, or `refunded` (paid back since) with the yen returned. No personal data.
 */
export interface RecoveredTransactionView {
  receiptNumber: string;
  startedAt: string;
  action: 'reprinted' | 'completed' | 'refund-due' | 'refunded';
  /** refund-due: yen still owed; refunded: yen paid back; absent otherwise. */
  yen?: number;
}

/** The operator screens speak Japanese and English. */
export type OperatorLanguage = 'ja' | 'en';

export type OperatorSelfTest = 'printer' | 'reader' | 'payment';

/**
 * One self-test's line. `detail`: a code (a failure's kind, the printer job's state), or for the
 * reader test only the card type (`my-number-card`, `other-card`, `no-card`) — never its contents.
 */
export interface OperatorSelfTestView {
  test: OperatorSelfTest;
  state: 'running' | 'pass' | 'fail';
  detail?: string;
  at?: string;
}

export interface KioskSnapshot {
  /** Present while a resident's session runs; kept in the logs. */
  transactionId: string | null;
  /**
   * The 受付番号 shown on screen for support calls: 8 digits derived from the transaction id
   * (electron/host/receipt-number.ts), logged beside it when the session starts. Absent without a session.
   */
  receiptNumber?: string;
  language: Language;
  view: KioskScreen;
  /**
   * The screen's time limit is in its last seconds (electron/host/countdown.ts): the page shows a
   * countdown from `secondsLeft` and 「延長する」 (`extend-time`). Absent otherwise.
   */
  timeLimit?: { secondsLeft: number };
}

export type KioskIntent =
  | { type: 'start' } // 証明書の交付 pressed on the welcome screen
  | { type: 'start-pin-reset' } // 暗証番号の初期化・再設定 pressed on the welcome screen
  | { type: 'choose-pin-reset'; target: 'signing' | 'auth' } // PIN reset: which PIN was forgotten
  | { type: 'otp-digit'; digit: number } // PIN reset: the one-time password, 0–9
  | { type: 'otp-backspace' }
  | { type: 'otp-submit' }
  | { type: 'new-pin-char'; char: string } // PIN reset: the new 署名用 PIN, one of A–Z 0–9
  | { type: 'new-pin-backspace' }
  | { type: 'new-pin-submit' }
  | { type: 'set-language'; language: Language }
  | { type: 'pin-digit'; digit: number } // 0–9
  | { type: 'pin-backspace' }
  | { type: 'pin-submit' }
  | { type: 'choose-certificate'; certificateType: CertificateType }
  | { type: 'set-copies'; copies: number }
  | { type: 'set-scope'; scope: HouseholdScope } // confirm screen: whose entries
  | { type: 'toggle-member'; order: number } // confirm screen, scope `members`: one household member in or out
  | { type: 'set-honseki'; include: boolean } // confirm screen: 本籍・筆頭者
  | { type: 'set-relationship'; include: boolean } // confirm screen: 続柄
  | { type: 'set-tax-year'; year: number } // confirm screen: 年度 of a tax certificate
  | { type: 'confirm' } // confirm screen: to payment; registration-confirm: file the 利用登録
  | { type: 'request-koseki-registration' } // menu: a 戸籍 item needs the 利用登録
  | { type: 'back-to-menu' } // 戻る: confirm and registration-confirm → menu; registration-done: choose a certificate after all
  | { type: 'cancel' } // 中止: ends the session on every screen (a neutral 「中止しました」 screen)
  | { type: 'finish' } // acknowledge the done/error screen
  // 延長する: the screen's time limit starts again from its full length
  | { type: 'extend-time' }
  // Operator mode (electron/host/operator-mode.ts): the key sequence on the welcome screen, then the operator PIN.
  | { type: 'operator-enter' }
  | { type: 'operator-pin-digit'; digit: number }
  | { type: 'operator-pin-backspace' }
  | { type: 'operator-pin-submit' }
  | { type: 'operator-refresh' }
  | { type: 'operator-self-test'; test: OperatorSelfTest }
  | { type: 'operator-export-log' }
  /** `notice` null puts the kiosk back in service. */
  | { type: 'operator-set-out-of-service'; notice: OutOfServiceNotice | null }
  | { type: 'operator-set-language'; language: OperatorLanguage }
  | { type: 'operator-exit' };

export type IntentResult = { accepted: true } | { accepted: false; reason: 'bad-state' | 'invalid' };

export interface KioskApi {
  getSnapshot(): Promise<KioskSnapshot>;
  /** Called with every new snapshot; returns an unsubscribe function. */
  onSnapshot(listener: (snapshot: KioskSnapshot) => void): () => void;
  send(intent: KioskIntent): Promise<IntentResult>;
}

declare global {
  interface Window {
    kiosk: KioskApi;
  }
}
