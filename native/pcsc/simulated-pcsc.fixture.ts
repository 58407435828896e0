/**
 * A simulated pcsclite for unit tests of PcscCardReader: a context that announces readers,
 * readers that take virtual cards (T=0 with GET RESPONSE, or T=1), unplugging, a mute card,
 * a stalled reader and a failing service. Error messages end in PC/SC codes as pcsclite's do.
 */
import { EventEmitter } from 'node:events';
import { encodeResponse } from '../apdu.ts';
import type { VirtualMyNumberCard } from '../virtual-card/virtual-my-number-card.ts';
import type { PcscContextHandle, PcscReaderHandle } from './pcsc-card-reader.ts';

const STATE = { EMPTY: 0x10, PRESENT: 0x20, MUTE: 0x200 } as const;
const PROTOCOL = { T0: 1, T1: 2 } as const;
const pcscError = (text: string, code: number): Error =>
  new Error(`${text}(0x${code.toString(16).padStart(8, '0')})`);

export interface SimulatedReaderOptions {
  protocol?: 'T0' | 'T1';
  /** connect / transmit never answer (a stalled reader). */
  stall?: 'connect' | 'transmit';
}

export class SimulatedReader extends EventEmitter implements PcscReaderHandle {
  readonly name: string;
  connected = false;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = PROTOCOL.T0;
  readonly SCARD_PROTOCOL_T1 = PROTOCOL.T1;
  readonly SCARD_STATE_PRESENT = STATE.PRESENT;
  readonly SCARD_STATE_MUTE = STATE.MUTE;
  readonly SCARD_UNPOWER_CARD = 2;
  readonly SCARD_LEAVE_CARD = 0;
  readonly #opts: SimulatedReaderOptions;
  card: VirtualMyNumberCard | null = null;
  mute = false;
  /** Protocols the reader was asked to transmit with. */
  readonly protocolsUsed: number[] = [];
  readonly dispositions: number[] = [];
  #pending: Uint8Array | null = null;

  constructor(name: string, opts: SimulatedReaderOptions = {}) {
    super();
    this.name = name;
    this.#opts = opts;
  }

  insert(card: VirtualMyNumberCard): void {
    this.card = card;
    this.emit('status', { state: STATE.PRESENT, atr: Buffer.from(card.atr) });
  }

  insertMuteCard(): void {
    this.mute = true;
    this.emit('status', { state: STATE.PRESENT | STATE.MUTE });
  }

  remove(): void {
    this.card?.powerOff();
    this.card = null;
    this.mute = false;
    this.connected = false;
    this.emit('status', { state: STATE.EMPTY });
  }

  connect(
    _options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void {
    if (this.#opts.stall === 'connect') return;
    setImmediate(() => {
      if (!this.card) return cb(pcscError('SCardConnect error: No smart card inserted.', 0x8010000c), 0);
      this.card.powerOn();
      this.connected = true;
      cb(null, this.#opts.protocol === 'T0' ? PROTOCOL.T0 : PROTOCOL.T1);
    });
  }

  disconnect(disposition: number, cb: (err: unknown) => void): void {
    this.dispositions.push(disposition);
    setImmediate(() => {
      if (disposition === this.SCARD_UNPOWER_CARD) this.card?.powerOff();
      this.connected = false;
      cb(null);
    });
  }

  transmit(
    data: Buffer,
    _resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void {
    this.protocolsUsed.push(protocol);
    if (this.#opts.stall === 'transmit') return;
    const apdu = Uint8Array.from(data);
    setImmediate(() => {
      if (!this.card)
        return cb(pcscError('SCardTransmit error: Card was removed.', 0x80100069), Buffer.alloc(0));
      cb(null, Buffer.from(protocol === PROTOCOL.T0 ? this.#t0(this.card, apdu) : this.card.transmit(apdu)));
    });
  }

  /** T=0: data comes back through GET RESPONSE after a `61xx`. */
  #t0(card: VirtualMyNumberCard, apdu: Uint8Array): Uint8Array {
    if (apdu[1] === 0xc0 && this.#pending) {
      const want = apdu[4] === 0 ? 256 : apdu[4]!;
      const chunk = this.#pending.subarray(0, want);
      const rest = this.#pending.subarray(chunk.length);
      this.#pending = rest.length > 2 ? rest : null;
      if (this.#pending)
        return Uint8Array.from([...chunk, 0x61, Math.min(256, this.#pending.length - 2) & 0xff]);
      return Uint8Array.from([...chunk, ...rest]);
    }
    this.#pending = null;
    const response = card.transmit(apdu);
    if (response.length <= 2) return response;
    this.#pending = response;
    return encodeResponse(0x6100 | (Math.min(256, response.length - 2) & 0xff));
  }

  close(): void {
    this.emit('end');
  }
}

export class SimulatedPcsc extends EventEmitter implements PcscContextHandle {
  readonly readers = new Map<string, SimulatedReader>();
  closed = false;

  plug(name: string, opts: SimulatedReaderOptions = {}): SimulatedReader {
    const reader = new SimulatedReader(name, opts);
    this.readers.set(name, reader);
    this.emit('reader', reader);
    reader.emit('status', { state: STATE.EMPTY });
    return reader;
  }

  unplug(name: string): void {
    const reader = this.readers.get(name);
    if (!reader) return;
    this.readers.delete(name);
    reader.card?.powerOff();
    reader.card = null;
    reader.emit('end');
  }

  /** pcscd stops: the context reports SCARD_E_SERVICE_STOPPED. */
  stopService(): void {
    this.emit('error', pcscError('SCardGetStatusChange error: Service was stopped.', 0x8010001e));
  }

  close(): void {
    this.closed = true;
  }
}
