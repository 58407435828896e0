import { Address, Header } from './headers.ts';
import { encodeFrame, FrameDecoder, type CctalkFrame } from './frame.ts';

/** A byte pipe to the bus: a serial port in the kiosk, anything duplex in tests. */
export interface ByteChannel {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): () => void;
  close(): Promise<void>;
}

export type LinkFailure =
  | { kind: 'timeout'; address: number; header: number }
  | { kind: 'nak'; address: number; header: number }
  | { kind: 'busy'; address: number; header: number }
  | { kind: 'closed' };

export type LinkResult = { ok: true; data: Uint8Array } | { ok: false; failure: LinkFailure };

export interface LinkOptions {
  /** How long one request waits for its reply. */
  timeoutMs?: number;
  /** Further attempts after a time-out or a damaged reply. */
  retries?: number;
}

/**
 * The host's side of a ccTalk bus: one request at a time, each answered by a reply from the
 * addressed device (header 0) within the time-out, else retried and then reported. Frames not
 * addressed to the host (the host's own echo on a one-wire bus) are ignored.
 */
export class CctalkLink {
  private readonly decoder = new FrameDecoder();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: ((frame: CctalkFrame) => void) | undefined;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(
    private readonly channel: ByteChannel,
    options: LinkOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 250;
    this.retries = options.retries ?? 2;
    this.unsubscribe = channel.onData((bytes) => {
      for (const result of this.decoder.push(bytes)) {
        if (!result.ok || result.frame.destination !== Address.HOST) continue;
        this.pending?.(result.frame);
      }
    });
  }

  request(address: number, header: number, data: Uint8Array = new Uint8Array(0)): Promise<LinkResult> {
    const run = this.queue.then(() => this.attempt(address, header, data, this.retries));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async attempt(
    address: number,
    header: number,
    data: Uint8Array,
    retriesLeft: number,
  ): Promise<LinkResult> {
    if (this.closed) return { ok: false, failure: { kind: 'closed' } };
    const reply = await new Promise<CctalkFrame | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve(undefined);
      }, this.timeoutMs);
      this.pending = (frame) => {
        if (frame.source !== address) return;
        clearTimeout(timer);
        this.pending = undefined;
        resolve(frame);
      };
      this.channel.write(encodeFrame({ destination: address, source: Address.HOST, header, data }));
    });
    if (!reply) {
      this.decoder.reset();
      if (retriesLeft > 0 && !this.closed) return this.attempt(address, header, data, retriesLeft - 1);
      return { ok: false, failure: { kind: 'timeout', address, header } };
    }
    if (reply.header === Header.NAK) return { ok: false, failure: { kind: 'nak', address, header } };
    if (reply.header === Header.BUSY) return { ok: false, failure: { kind: 'busy', address, header } };
    return { ok: true, data: reply.data };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.queue.catch(() => undefined);
    await this.channel.close();
  }
}
