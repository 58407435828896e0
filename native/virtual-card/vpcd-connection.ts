/**
 * Puts the virtual card behind pcscd: connects to the vpcd driver's TCP port (the card is the
 * client) and answers its messages. Each message is a 2-byte big-endian length + payload; a
 * 1-byte payload is a control (0x00 power off, 0x01 power on, 0x02 reset, 0x04 get ATR), any
 * other payload is a command APDU. Only ATR requests and APDUs get an answer.
 *
 * An open socket is a card on the reader; closing it takes the card away. If vpcd drops the
 * connection (pcscd restarted), the card reconnects until `remove()` or `close()`.
 */
import { Socket } from 'node:net';
import { encodeResponse } from '../apdu.ts';
import { commandTiming } from './latency.ts';
import type { LatencyModel } from './latency.ts';
import type { VirtualMyNumberCard } from './virtual-my-number-card.ts';

export const VPCD_DEFAULT_PORT = 35963;

const CTRL = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

export type VpcdEvent =
  | { kind: 'connected' }
  | { kind: 'disconnected' }
  | { kind: 'power-on' }
  | { kind: 'power-off' }
  | { kind: 'reset' }
  /** One APDU: instruction, status word and sizes on the wire (command, response incl. SW). */
  | { kind: 'apdu'; ins: number; sw: number; commandBytes: number; responseBytes: number };

export interface VpcdConnectionOptions {
  host?: string;
  port?: number;
  /** Delay between reconnection attempts (default 200 ms). */
  retryDelayMs?: number;
  /** For tests and diagnostics; carries instruction bytes and status words, never data. */
  onEvent?: (e: VpcdEvent) => void;
  /** The card's own time per command (e.g. CONTACT_CARD_LATENCY); answers are sent that much later. */
  cardLatency?: LatencyModel;
}

export type VpcdInsertResult = { kind: 'inserted' } | { kind: 'vpcd-unreachable'; detail: string };

export class VpcdConnection {
  readonly card: VirtualMyNumberCard;
  readonly host: string;
  readonly port: number;
  readonly #retryDelayMs: number;
  readonly #onEvent: ((e: VpcdEvent) => void) | undefined;
  readonly #cardLatency: LatencyModel | undefined;
  #socket: Socket | null = null;
  #wanted = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #removeAfter: number | null = null;
  #lastError = '';
  #heard = false;
  #connectedWaiters = new Set<() => void>();

  constructor(card: VirtualMyNumberCard, opts: VpcdConnectionOptions = {}) {
    this.card = card;
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? VPCD_DEFAULT_PORT;
    this.#retryDelayMs = opts.retryDelayMs ?? 200;
    this.#onEvent = opts.onEvent;
    this.#cardLatency = opts.cardLatency;
  }

  /** True once vpcd has talked to the card over the current socket. */
  get connected(): boolean {
    return this.#socket !== null && !this.#socket.destroyed && this.#heard;
  }

  /**
   * Puts the card on the reader: connects (retrying) until vpcd accepts or `timeoutMs`
   * passes. After a timeout it keeps trying in the background until `remove()`.
   */
  insert(opts: { timeoutMs?: number } = {}): Promise<VpcdInsertResult> {
    this.#wanted = true;
    if (!this.#socket) this.#dial();
    if (this.connected) return Promise.resolve({ kind: 'inserted' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#connectedWaiters.delete(onConnected);
        resolve({ kind: 'vpcd-unreachable', detail: this.#lastError || 'timeout' });
      }, opts.timeoutMs ?? 5000);
      const onConnected = (): void => {
        clearTimeout(timer);
        resolve({ kind: 'inserted' });
      };
      this.#connectedWaiters.add(onConnected);
    });
  }

  /** Takes the card off the reader (closes the socket); the card loses power. */
  async remove(): Promise<void> {
    this.#wanted = false;
    this.#removeAfter = null;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    this.#socket = null;
    this.card.powerOff();
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }

  /** Same as remove(): the connection is the card's presence. */
  close(): Promise<void> {
    return this.remove();
  }

  /** Fault injection: the card leaves the reader right after answering `n` more APDUs. */
  removeAfterCommands(n: number): void {
    this.#removeAfter = n;
  }

  #dial(): void {
    const socket = new Socket();
    this.#socket = socket;
    this.#heard = false;
    this.#buffer = Buffer.alloc(0);
    socket.setNoDelay(true);
    // TCP accepts into the backlog even while vpcd serves another card: the card is on the
    // reader only once vpcd talks to it (it powers the card and asks for the ATR at once).
    let heard = false;
    socket.on('data', (chunk: Buffer) => {
      if (!heard && socket === this.#socket) {
        heard = true;
        this.#heard = true;
        this.#onEvent?.({ kind: 'connected' });
        for (const w of [...this.#connectedWaiters]) w();
        this.#connectedWaiters.clear();
      }
      this.#onData(socket, chunk);
    });
    socket.on('error', (err: Error) => {
      this.#lastError = (err as NodeJS.ErrnoException).code ?? err.message;
    });
    socket.on('close', () => {
      if (this.#socket === socket) {
        this.#socket = null;
        this.#heard = false;
      }
      this.card.powerOff();
      this.#onEvent?.({ kind: 'disconnected' });
      if (this.#wanted && !this.#retryTimer) {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = undefined;
          if (this.#wanted && !this.#socket) this.#dial();
        }, this.#retryDelayMs);
      }
    });
    socket.connect(this.port, this.host);
  }

  #onData(socket: Socket, chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    while (this.#buffer.length >= 2) {
      const len = this.#buffer.readUInt16BE(0);
      if (this.#buffer.length < 2 + len) return;
      const msg = Uint8Array.from(this.#buffer.subarray(2, 2 + len));
      this.#buffer.fill(0, 0, 2 + len); // the message may carry a PIN
      this.#buffer = this.#buffer.subarray(2 + len);
      if (socket !== this.#socket) return;
      try {
        this.#handle(socket, msg);
      } finally {
        msg.fill(0);
      }
    }
  }

  #send(socket: Socket, payload: Uint8Array): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }

  #handle(socket: Socket, msg: Uint8Array): void {
    if (msg.length === 0) return;
    if (msg.length === 1) {
      switch (msg[0]) {
        case CTRL.POWER_OFF:
          this.card.powerOff();
          this.#onEvent?.({ kind: 'power-off' });
          return;
        case CTRL.POWER_ON:
          this.card.powerOn();
          this.#onEvent?.({ kind: 'power-on' });
          return;
        case CTRL.RESET:
          this.card.warmReset();
          this.#onEvent?.({ kind: 'reset' });
          return;
        case CTRL.GET_ATR:
          this.#send(socket, this.card.atr);
          return;
        default:
          return; // unknown control: vpcd expects no answer
      }
    }
    if (!this.card.powered) this.card.powerOn(); // vpcd powers the card before APDUs; be lenient
    const response = (() => {
      try {
        return this.card.transmit(msg);
      } catch {
        return encodeResponse(0x6f00);
      }
    })();
    const delay = this.#cardLatency?.(commandTiming(msg, response)) ?? 0;
    if (delay > 0) {
      // vpcd waits for this answer before it sends anything else to the card
      setTimeout(() => {
        if (socket === this.#socket && !socket.destroyed) this.#send(socket, response);
      }, delay);
    } else {
      this.#send(socket, response);
    }
    this.#onEvent?.({
      kind: 'apdu',
      ins: msg[1] ?? 0,
      sw: (response.at(-2)! << 8) | response.at(-1)!,
      commandBytes: msg.length,
      responseBytes: response.length,
    });
    if (this.#removeAfter !== null) {
      this.#removeAfter -= 1;
      if (this.#removeAfter <= 0) void this.remove();
    }
  }
}
