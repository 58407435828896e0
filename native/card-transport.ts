/**
 * The seam between the kiosk host and a card: a transport that moves APDUs, a reader that
 * reports its state and hands out exclusive card sessions, and the typed card errors.
 * Implemented by native/pcsc/ (pcscd) and native/virtual-card/in-process-reader.ts.
 */

export type CardError =
  | { kind: 'card-removed' }
  | { kind: 'no-reader' }
  | { kind: 'service-down' }
  | { kind: 'unsupported-card'; reason: 'not-jpki' | 'old-token' | 'phone-token' }
  | { kind: 'communication'; detail: string }
  | { kind: 'timeout'; operation: string }
  | { kind: 'unexpected-status'; sw: number; command: string }
  | { kind: 'aborted' };

export type CardErrorKind = CardError['kind'];

const CARD_ERROR_KINDS: ReadonlySet<string> = new Set<CardErrorKind>([
  'card-removed',
  'no-reader',
  'service-down',
  'unsupported-card',
  'communication',
  'timeout',
  'unexpected-status',
  'aborted',
]);

/** True for a CardError value (as returned alongside successful results). */
export function isCardError(value: unknown): value is CardError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    typeof (value as { kind: unknown }).kind === 'string' &&
    CARD_ERROR_KINDS.has((value as { kind: string }).kind)
  );
}

/**
 * `transmit` rejects with this (and only this) when the APDU cannot be exchanged, so a caller
 * can turn the rejection back into a typed value with `cardErrorFrom`.
 */
export class CardTransportError extends Error {
  readonly cardError: CardError;
  constructor(cardError: CardError) {
    super(`card transport: ${cardError.kind}`);
    this.name = 'CardTransportError';
    this.cardError = cardError;
  }
}

/** Maps anything a transport threw to a CardError. */
export function cardErrorFrom(err: unknown): CardError {
  if (err instanceof CardTransportError) return err.cardError;
  const detail = err instanceof Error ? err.message : String(err);
  return { kind: 'communication', detail };
}

export interface CardTransport {
  /** Sends one command APDU; resolves with the response including SW1 SW2. Rejects with CardTransportError. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export type ReaderStatus =
  /** `unsupportedCard`: a card is on the reader but is not one the kiosk can talk to (mute, no ATR). */
  | { kind: 'ready'; reader: string; cardPresent: boolean; unsupportedCard?: true }
  | { kind: 'no-reader' }
  | { kind: 'service-down'; detail: string };

export interface CardSession {
  transport: CardTransport;
  /** The card's ATR as the reader reported it (informational only: detect the card by SELECT, never by ATR). */
  atr: Uint8Array;
  /** Ends the session: disconnect with power off (SCARD_UNPOWER_CARD), dropping any verified PIN. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Give up waiting for a card after this long (resolves `{ kind: 'timeout', operation: 'connect' }`). */
  timeoutMs?: number;
}

export interface CardReader {
  status(): ReaderStatus;
  /** Called on every status change; returns an unsubscribe function. */
  onStatus(listener: (s: ReaderStatus) => void): () => void;
  /** Resolves when a card is present and connected exclusively, or with a CardError (abort → `aborted`, timeout → `timeout`). */
  connect(opts?: ConnectOptions): Promise<CardSession | CardError>;
  /** Stops watching; ends any open session. */
  close(): Promise<void>;
}

export function sameReaderStatus(a: ReaderStatus, b: ReaderStatus): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'ready' && b.kind === 'ready')
    return (
      a.reader === b.reader && a.cardPresent === b.cardPresent && a.unsupportedCard === b.unsupportedCard
    );
  if (a.kind === 'service-down' && b.kind === 'service-down') return a.detail === b.detail;
  return true;
}

/** A small listener set used by both readers. */
export class StatusBroadcaster {
  #listeners = new Set<(s: ReaderStatus) => void>();
  #current: ReaderStatus;
  constructor(initial: ReaderStatus) {
    this.#current = initial;
  }
  get current(): ReaderStatus {
    return this.#current;
  }
  set(next: ReaderStatus): void {
    if (sameReaderStatus(this.#current, next)) return;
    this.#current = next;
    for (const l of [...this.#listeners]) {
      try {
        l(next);
      } catch {
        // a listener's failure must not stop the others or the reader
      }
    }
  }
  subscribe(listener: (s: ReaderStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  clear(): void {
    this.#listeners.clear();
  }
}

/** Resolves with the reader's status once `accept` holds for it (now or later); rejects after `timeoutMs`. */
export function waitForReaderStatus(
  reader: Pick<CardReader, 'status' | 'onStatus'>,
  accept: (s: ReaderStatus) => boolean,
  timeoutMs = 10_000,
): Promise<ReaderStatus> {
  return new Promise((resolve, reject) => {
    if (accept(reader.status())) {
      resolve(reader.status());
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`reader status stayed ${JSON.stringify(reader.status())}`));
    }, timeoutMs);
    const off = reader.onStatus((s) => {
      if (!accept(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}
