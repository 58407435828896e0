/**
 * CardReader over PC/SC (npm `pcsclite` → libpcsclite → pcscd). Watches the readers, follows
 * one (the first, or the one whose name matches), reports card presence from reader status
 * events, connects exclusively (T=0|T=1), transmits with a time-out, handles `61xx` (GET
 * RESPONSE) and `6Cxx` (resend with the right Le), and disconnects with SCARD_UNPOWER_CARD.
 *
 * When pcscd is not running (or stops), status is `service-down` and the reader keeps trying
 * to reach it: no crash, no unhandled error event.
 */
import pcsc from 'pcsclite';
import { CardTransportError, StatusBroadcaster } from '../card-transport.ts';
import type { CardError, CardReader, CardSession, ConnectOptions, ReaderStatus } from '../card-transport.ts';
import { cardErrorFromPcsc, isCancelled, pcscCode } from './pcsc-errors.ts';
import { transmitWithResponseChaining } from './response-chaining.ts';

/** The part of pcsclite's reader object this module uses. */
export interface PcscReaderHandle {
  name: string;
  connected: boolean;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_UNPOWER_CARD: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(): unknown;
  connect(
    options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void;
  close(): void;
}

export interface PcscContextHandle {
  on(event: 'reader', listener: (reader: PcscReaderHandle) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(): unknown;
  close(): void;
}

export interface PcscReaderOptions {
  /** Follow the first reader whose name equals / matches this (default: the first reader pcscd lists). */
  readerName?: string | RegExp;
  /** Per-APDU time-out (default 10 s: signing over contactless may take 5 s). */
  transmitTimeoutMs?: number;
  /** How often to retry reaching pcscd while it is down (default 1 s). */
  serviceRetryMs?: number;
  /** Time allowed for SCardConnect once a card is present (default 5 s). */
  connectTimeoutMs?: number;
  /** The pcsclite entry point; tests give a simulated one (hot-plug, several readers). */
  pcsc?: () => PcscContextHandle;
}

/** One reader as pcscd lists it. */
export interface PcscReaderInfo {
  name: string;
  cardPresent: boolean;
  /** pcscd sees a card that does not answer reset (SCARD_STATE_MUTE): not a smart card we can use. */
  cardMute: boolean;
}

interface ReaderEntry {
  handle: PcscReaderHandle;
  present: boolean;
  mute: boolean;
  atr: Uint8Array;
}

interface SessionState {
  entry: ReaderEntry;
  protocol: number;
  closed: boolean;
  removed: boolean;
  broken: string | null;
  queue: Promise<unknown>;
}

const MAX_RESPONSE = 65538;
/** How soon connect looks again after the card vanished under it. */
const CONNECT_RETRY_MS = 200;
/** How long a failed transmit waits for pcscd to report the card gone. */
const REMOVAL_SETTLE_MS = 1500;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class PcscCardReader implements CardReader {
  readonly #opts: Required<Omit<PcscReaderOptions, 'readerName' | 'pcsc'>> & {
    readerName: string | RegExp | undefined;
    pcsc: () => PcscContextHandle;
  };
  readonly #status: StatusBroadcaster;
  #context: PcscContextHandle | null = null;
  #readers = new Map<string, ReaderEntry>(); // in the order pcscd announced them
  #session: SessionState | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #changeWaiters = new Set<() => void>();

  constructor(opts: PcscReaderOptions = {}) {
    this.#opts = {
      readerName: opts.readerName,
      transmitTimeoutMs: opts.transmitTimeoutMs ?? 10_000,
      serviceRetryMs: opts.serviceRetryMs ?? 1000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
      pcsc: opts.pcsc ?? ((): PcscContextHandle => pcsc() as unknown as PcscContextHandle),
    };
    this.#status = new StatusBroadcaster({ kind: 'no-reader' });
    this.#startContext();
  }

  status(): ReaderStatus {
    return this.#status.current;
  }

  onStatus(listener: (s: ReaderStatus) => void): () => void {
    return this.#status.subscribe(listener);
  }

  // ---- watching pcscd and its readers ----

  #startContext(): void {
    if (this.#closed) return;
    let ctx: PcscContextHandle;
    try {
      ctx = this.#opts.pcsc(); // throws synchronously when pcscd is down
    } catch (err) {
      this.#serviceDown(errorMessage(err));
      return;
    }
    this.#context = ctx;
    ctx.on('error', (err) => {
      if (this.#closed || this.#context !== ctx) return;
      if (isCancelled(err)) return;
      this.#serviceDown(errorMessage(err));
    });
    ctx.on('reader', (handle) => this.#addReader(ctx, handle));
    this.#publish();
  }

  #serviceDown(detail: string): void {
    this.#teardownContext();
    if (this.#closed) return;
    this.#status.set({ kind: 'service-down', detail });
    this.#wake();
    if (!this.#retryTimer) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        if (!this.#context) this.#startContext();
      }, this.#opts.serviceRetryMs);
      this.#retryTimer.unref?.();
    }
  }

  #teardownContext(): void {
    const ctx = this.#context;
    this.#context = null;
    if (this.#session) {
      this.#session.broken = 'PC/SC service stopped';
    }
    for (const entry of this.#readers.values()) {
      entry.handle.removeAllListeners();
      entry.handle.on('error', () => undefined);
      try {
        entry.handle.close();
      } catch {
        // already closed by pcsclite
      }
    }
    this.#readers.clear();
    if (ctx) {
      ctx.removeAllListeners();
      ctx.on('error', () => undefined); // pcsclite reports the cancelled watch as an error
      try {
        ctx.close();
      } catch {
        // already closed
      }
    }
  }

  #matches(name: string): boolean {
    const want = this.#opts.readerName;
    if (want === undefined) return true;
    return typeof want === 'string' ? name === want : want.test(name);
  }

  #addReader(ctx: PcscContextHandle, handle: PcscReaderHandle): void {
    if (this.#context !== ctx) return;
    const entry: ReaderEntry = { handle, present: false, mute: false, atr: new Uint8Array(0) };
    this.#readers.set(handle.name, entry);
    handle.on('error', () => {
      // status polling errors come with a context error or an 'end'; both are handled there
    });
    handle.on('status', (s) => {
      const present = (s.state & handle.SCARD_STATE_PRESENT) !== 0;
      entry.present = present;
      entry.mute = present && (s.state & handle.SCARD_STATE_MUTE) !== 0;
      entry.atr = present && s.atr ? Uint8Array.from(s.atr) : new Uint8Array(0);
      if (!present && this.#session?.entry === entry) this.#session.removed = true;
      this.#publish();
    });
    handle.on('end', () => {
      if (this.#readers.get(handle.name) === entry) this.#readers.delete(handle.name);
      if (this.#session?.entry === entry) this.#session.removed = true;
      this.#publish();
    });
    this.#publish();
  }

  /**
   * The reader this CardReader stands for: the open session's, else among the matching readers
   * the first with a card on it, else the first. A kiosk with a contact and a contactless reader
   * thus follows whichever the resident used.
   */
  #selected(): ReaderEntry | null {
    if (this.#session && this.#readers.get(this.#session.entry.handle.name) === this.#session.entry)
      return this.#session.entry;
    let first: ReaderEntry | null = null;
    for (const [name, entry] of this.#readers) {
      if (!this.#matches(name)) continue;
      if (entry.present) return entry;
      first ??= entry;
    }
    return first;
  }

  /** Every reader pcscd lists now (matching or not), in the order it announced them. */
  readers(): PcscReaderInfo[] {
    return [...this.#readers.values()].map((e) => ({
      name: e.handle.name,
      cardPresent: e.present,
      cardMute: e.mute,
    }));
  }

  #publish(): void {
    if (this.#closed) return;
    if (!this.#context) return; // service-down is published by #serviceDown
    const entry = this.#selected();
    this.#status.set(
      entry
        ? {
            kind: 'ready',
            reader: entry.handle.name,
            cardPresent: entry.present,
            ...(entry.mute ? { unsupportedCard: true as const } : {}),
          }
        : { kind: 'no-reader' },
    );
    this.#wake();
  }

  #wake(): void {
    for (const w of [...this.#changeWaiters]) w();
  }

  // ---- sessions ----

  async connect(opts: ConnectOptions = {}): Promise<CardSession | CardError> {
    const deadline = opts.timeoutMs === undefined ? null : Date.now() + opts.timeoutMs;
    for (;;) {
      if (this.#closed) return { kind: 'no-reader' };
      if (opts.signal?.aborted) return { kind: 'aborted' };
      if (this.#session) return { kind: 'communication', detail: 'reader in use (exclusive session open)' };
      const entry = this.#selected();
      if (entry?.present && entry.mute) return { kind: 'unsupported-card', reason: 'not-jpki' };
      let retrySoon = false;
      if (entry?.present) {
        const result = await this.#connectCard(entry);
        if ('transport' in result || result.kind !== 'card-removed') return result;
        // The card went away between the event and the connect. pcscd may report the next card
        // without a status change in between (pulled and put back within one poll): look again soon.
        retrySoon = true;
      }
      const waited = await this.#waitForChange(opts.signal, deadline, retrySoon ? CONNECT_RETRY_MS : null);
      if (waited) return waited;
    }
  }

  #waitForChange(
    signal: AbortSignal | undefined,
    deadline: number | null,
    atMostMs: number | null = null,
  ): Promise<CardError | null> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let poll: NodeJS.Timeout | undefined;
      const done = (result: CardError | null): void => {
        this.#changeWaiters.delete(onChange);
        if (timer) clearTimeout(timer);
        if (poll) clearTimeout(poll);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const onChange = (): void => done(null);
      const onAbort = (): void => done({ kind: 'aborted' });
      if (signal?.aborted) return resolve({ kind: 'aborted' });
      this.#changeWaiters.add(onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== null) {
        timer = setTimeout(
          () => done({ kind: 'timeout', operation: 'connect' }),
          Math.max(0, deadline - Date.now()),
        );
      }
      if (atMostMs !== null) poll = setTimeout(() => done(null), atMostMs);
    });
  }

  /**
   * pcscd answers a transmit to a card that just left with a generic failure (vpcd:
   * SCARD_E_NOT_TRANSACTED) before its status says the card is gone. Give the status a moment to
   * catch up so the caller hears `card-removed`, not a vague communication error.
   */
  async #classifyTransmitError(state: SessionState, mapped: CardError): Promise<CardError> {
    if (mapped.kind !== 'communication' && mapped.kind !== 'service-down') return mapped;
    const until = Date.now() + REMOVAL_SETTLE_MS;
    while (!state.removed && Date.now() < until) {
      await this.#waitForChange(undefined, null, Math.max(1, until - Date.now()));
      if (!state.entry.present || !this.#readers.has(state.entry.handle.name)) state.removed = true;
    }
    return state.removed ? { kind: 'card-removed' } : mapped;
  }

  async #connectCard(entry: ReaderEntry): Promise<CardSession | CardError> {
    const r = entry.handle;
    if (r.connected) await this.#disconnect(r); // a stale handle from a failed disconnect
    let timedOut = false;
    const protocol = await new Promise<number | CardError>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        resolve({ kind: 'timeout', operation: 'connect' });
      }, this.#opts.connectTimeoutMs);
      try {
        r.connect(
          { share_mode: r.SCARD_SHARE_EXCLUSIVE, protocol: r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1 },
          (err, p) => {
            clearTimeout(timer);
            if (timedOut) {
              // answered too late: release what pcscd gave us
              if (!err) void this.#disconnect(r);
              return;
            }
            if (err) resolve(cardErrorFromPcsc(err, 'connect'));
            else resolve(p);
          },
        );
      } catch (err) {
        clearTimeout(timer);
        resolve(cardErrorFromPcsc(err, 'connect'));
      }
    });
    if (typeof protocol !== 'number') return protocol;
    if (this.#closed || this.#session) {
      await this.#disconnect(r);
      return this.#closed
        ? { kind: 'no-reader' }
        : { kind: 'communication', detail: 'reader in use (exclusive session open)' };
    }
    const state: SessionState = {
      entry,
      protocol,
      closed: false,
      removed: false,
      broken: null,
      queue: Promise.resolve(),
    };
    this.#session = state;
    const transmit = (apdu: Uint8Array): Promise<Uint8Array> => {
      const run = state.queue.then(() => this.#transmit(state, apdu));
      state.queue = run.catch(() => undefined);
      return run;
    };
    return {
      atr: entry.atr,
      transport: { transmit },
      close: async () => {
        if (state.closed) return;
        state.closed = true;
        await state.queue;
        await this.#disconnect(r);
        if (this.#session === state) this.#session = null;
        this.#wake();
      },
    };
  }

  async #disconnect(r: PcscReaderHandle): Promise<void> {
    const attempt = (disposition: number): Promise<boolean> =>
      new Promise((resolve) => {
        try {
          r.disconnect(disposition, (err) => resolve(!err));
        } catch {
          resolve(false);
        }
      });
    if (await attempt(r.SCARD_UNPOWER_CARD)) return;
    await attempt(r.SCARD_LEAVE_CARD);
  }

  #check(state: SessionState): void {
    if (state.closed) throw new CardTransportError({ kind: 'communication', detail: 'session closed' });
    if (state.removed) throw new CardTransportError({ kind: 'card-removed' });
    if (state.broken) throw new CardTransportError({ kind: 'communication', detail: state.broken });
  }

  #raw(state: SessionState, apdu: Uint8Array): Promise<Uint8Array> {
    this.#check(state);
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        state.broken = 'a previous APDU timed out';
        reject(new CardTransportError({ kind: 'timeout', operation: 'transmit' }));
      }, this.#opts.transmitTimeoutMs);
      const sent = Buffer.from(apdu); // a copy pcsclite needs; wiped once answered (it may carry a PIN)
      state.entry.handle.transmit(sent, MAX_RESPONSE, state.protocol, (err, response) => {
        sent.fill(0);
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          const mapped = cardErrorFromPcsc(err, 'transmit');
          if (mapped.kind === 'card-removed') state.removed = true;
          if (state.removed) return reject(new CardTransportError({ kind: 'card-removed' }));
          void this.#classifyTransmitError(state, mapped).then((e) => reject(new CardTransportError(e)));
          return;
        }
        if (!response || response.length < 2) {
          reject(
            new CardTransportError({
              kind: 'communication',
              detail: `transmit: short response (code ${pcscCode(err)})`,
            }),
          );
          return;
        }
        resolve(Uint8Array.from(response));
      });
    });
  }

  #transmit(state: SessionState, apdu: Uint8Array): Promise<Uint8Array> {
    return transmitWithResponseChaining((a) => this.#raw(state, a), apdu);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const session = this.#session;
    if (session && !session.closed) {
      session.closed = true;
      await session.queue;
      await this.#disconnect(session.entry.handle);
    }
    this.#session = null;
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#teardownContext();
    this.#wake();
    this.#status.set({ kind: 'no-reader' });
    this.#status.clear();
  }
}
