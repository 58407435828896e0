/**
 * A CardReader with the virtual card in the same process: for machines without pcscd, unit
 * tests and load tests. `insert` and `remove` play the resident; `removeAfterCommands` pulls
 * the card in the middle of a flow for fault tests.
 */
import { CardTransportError, StatusBroadcaster } from '../card-transport.ts';
import type { CardError, CardReader, CardSession, ConnectOptions, ReaderStatus } from '../card-transport.ts';
import { commandTiming } from './latency.ts';
import type { LatencyModel } from './latency.ts';
import type { VirtualMyNumberCard } from './virtual-my-number-card.ts';

export interface InProcessReaderOptions {
  name?: string;
  /** Added to every APDU, to model a reader's round trip (default 0). */
  latencyMs?: number;
  /** The card's own time per command (e.g. CONTACT_CARD_LATENCY), added after it answered. */
  cardLatency?: LatencyModel;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class InProcessCardReader implements CardReader {
  readonly name: string;
  readonly #latencyMs: number;
  readonly #cardLatency: LatencyModel | undefined;
  readonly #status: StatusBroadcaster;
  #card: VirtualMyNumberCard | null = null;
  #session: { closed: boolean } | null = null;
  #removeAfter: number | null = null;
  #closed = false;
  #waiters = new Set<() => void>();

  constructor(opts: InProcessReaderOptions = {}) {
    this.name = opts.name ?? 'In-process virtual reader';
    this.#latencyMs = opts.latencyMs ?? 0;
    this.#cardLatency = opts.cardLatency;
    this.#status = new StatusBroadcaster({ kind: 'ready', reader: this.name, cardPresent: false });
  }

  get card(): VirtualMyNumberCard | null {
    return this.#card;
  }

  insert(card: VirtualMyNumberCard): void {
    if (this.#card) throw new Error('a card is already on the reader');
    this.#card = card;
    this.#status.set({ kind: 'ready', reader: this.name, cardPresent: true });
    for (const w of [...this.#waiters]) w();
  }

  /** Takes the card away: it loses power (and its verified state); an open session fails with card-removed. */
  remove(): void {
    const card = this.#card;
    if (!card) return;
    card.powerOff();
    this.#card = null;
    this.#removeAfter = null;
    if (this.#session) this.#session.closed = true;
    this.#session = null;
    this.#status.set({ kind: 'ready', reader: this.name, cardPresent: false });
  }

  /** Removes the card after `n` more APDUs have been answered. */
  removeAfterCommands(n: number): void {
    this.#removeAfter = n;
  }

  status(): ReaderStatus {
    return this.#status.current;
  }

  onStatus(listener: (s: ReaderStatus) => void): () => void {
    return this.#status.subscribe(listener);
  }

  async connect(opts: ConnectOptions = {}): Promise<CardSession | CardError> {
    if (this.#closed) return { kind: 'no-reader' };
    if (this.#session) return { kind: 'communication', detail: 'reader in use (exclusive session open)' };
    if (!this.#card) {
      const waited = await this.#waitForCard(opts);
      if (waited) return waited;
      if (this.#closed) return { kind: 'no-reader' };
    }
    const card = this.#card;
    if (!card) return { kind: 'card-removed' };
    if (this.#session) return { kind: 'communication', detail: 'reader in use (exclusive session open)' };
    card.powerOn();
    const session = { closed: false };
    this.#session = session;
    const transmit = async (apdu: Uint8Array): Promise<Uint8Array> => {
      if (this.#latencyMs > 0) await sleep(this.#latencyMs);
      if (session.closed || this.#card !== card) {
        throw new CardTransportError(
          this.#card === card
            ? { kind: 'communication', detail: 'session closed' }
            : { kind: 'card-removed' },
        );
      }
      const response = card.transmit(apdu);
      const cardMs = this.#cardLatency?.(commandTiming(apdu, response)) ?? 0;
      if (cardMs > 0) {
        await sleep(cardMs);
        if (this.#card !== card) throw new CardTransportError({ kind: 'card-removed' });
      }
      if (this.#removeAfter !== null) {
        this.#removeAfter -= 1;
        if (this.#removeAfter <= 0) this.remove();
      }
      return response;
    };
    return {
      atr: card.atr,
      transport: { transmit },
      close: async () => {
        if (session.closed) return;
        session.closed = true;
        if (this.#session === session) this.#session = null;
        card.powerOff();
      },
    };
  }

  #waitForCard(opts: ConnectOptions): Promise<CardError | null> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (result: CardError | null): void => {
        this.#waiters.delete(onCard);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onCard = (): void => done(null);
      const onAbort = (): void => done({ kind: 'aborted' });
      if (opts.signal?.aborted) return resolve({ kind: 'aborted' });
      this.#waiters.add(onCard);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.timeoutMs !== undefined)
        timer = setTimeout(() => done({ kind: 'timeout', operation: 'connect' }), opts.timeoutMs);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#session) this.#session.closed = true;
    this.#session = null;
    this.#card?.powerOff();
    for (const w of [...this.#waiters]) w();
    this.#status.set({ kind: 'no-reader' });
    this.#status.clear();
  }
}
