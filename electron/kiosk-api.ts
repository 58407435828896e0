/**
 * The one contract between the kiosk host (main process, or the Node host in kiosk:web mode)
 * and the renderer. The renderer shows a snapshot and sends intents; the host owns the session.
 * Type-only module: the renderer may import it; it must never import runtime code from here.
 *
 * PIN digits go to the host one at a time; the page only learns how many digits were entered.
 */
import type { CertificateType, UnavailableReason } from '../protocol/index.ts';

export type Language = 'ja' | 'en';

export type ReaderState = 'ready' | 'no-reader' | 'service-down';

export type MenuItemView =
  | { certificateType: CertificateType; available: true; feeYen: number; maxCopies: number }
  | { certificateType: CertificateType; available: false; reason: UnavailableReason };

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
  | 'outside-hours'
  | 'dv-block'
  | 'centre-unreachable'
  | 'document-invalid' // the issued document failed the kiosk's binding or seal check
  | 'printer-out-of-paper'
  | 'printer-jammed'
  | 'printer-unavailable'
  | 'timeout'
  | 'cancelled' // the resident cancelled after paying: the money is returned
  | 'internal';

export type KioskScreen =
  | { screen: 'welcome'; reader: ReaderState }
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
  | { screen: 'menu'; municipalityName: string; items: MenuItemView[] }
  | {
      screen: 'confirm';
      certificateType: CertificateType;
      copies: number;
      maxCopies: number;
      feeYen: number;
      totalYen: number;
    }
  | { screen: 'payment'; certificateType: CertificateType; copies: number; totalYen: number; paidYen: number }
  | { screen: 'issuing' }
  | { screen: 'printing'; copiesPrinted: number; copies: number }
  | { screen: 'done'; changeYen: number }
  | { screen: 'error'; error: KioskErrorCode; triesLeft?: number; refundedYen?: number };

export interface KioskSnapshot {
  /** Present while a resident's session runs; shown small on screen for support calls. */
  transactionId: string | null;
  language: Language;
  view: KioskScreen;
}

export type KioskIntent =
  | { type: 'start' } // 証明書の交付 pressed on the welcome screen
  | { type: 'set-language'; language: Language }
  | { type: 'pin-digit'; digit: number } // 0–9
  | { type: 'pin-backspace' }
  | { type: 'pin-submit' }
  | { type: 'choose-certificate'; certificateType: CertificateType }
  | { type: 'set-copies'; copies: number }
  | { type: 'confirm' }
  | { type: 'insert-money'; yen: number } // demo coin/bill acceptor; a real device reports through the host
  | { type: 'cancel' }
  | { type: 'finish' }; // acknowledge the done/error screen

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
