/**
 * ccTalk frames: [destination, data length, source, header, data…, checksum]. The simple 8-bit
 * checksum makes the sum of every byte of the frame 0 modulo 256. A reply carries header 0 (ACK
 * with or without data); 5 is NAK and 6 BUSY.
 */

export const MAX_DATA_LENGTH = 252;

export interface CctalkFrame {
  destination: number;
  source: number;
  header: number;
  data: Uint8Array;
}

export type FrameError = { kind: 'checksum'; frame: Uint8Array } | { kind: 'too-long'; length: number };

function isByte(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 255;
}

/** The byte that makes the sum of `bytes` plus itself 0 modulo 256. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (256 - sum) & 0xff;
}

export function encodeFrame(frame: CctalkFrame): Uint8Array {
  if (![frame.destination, frame.source, frame.header].every(isByte))
    throw new RangeError('ccTalk address and header are bytes');
  if (frame.data.length > MAX_DATA_LENGTH) throw new RangeError('ccTalk data is at most 252 bytes');
  const bytes = new Uint8Array(frame.data.length + 5);
  bytes[0] = frame.destination;
  bytes[1] = frame.data.length;
  bytes[2] = frame.source;
  bytes[3] = frame.header;
  bytes.set(frame.data, 4);
  bytes[bytes.length - 1] = checksum(bytes.subarray(0, bytes.length - 1));
  return bytes;
}

/**
 * Splits a byte stream into frames. A frame whose checksum does not add up is reported and
 * dropped; when its length byte was the damaged one, the link's time-out resets the decoder
 * (`reset`) so the retried reply starts on a frame boundary again.
 */
export class FrameDecoder {
  private buffer = new Uint8Array(0);

  push(chunk: Uint8Array): Array<{ ok: true; frame: CctalkFrame } | { ok: false; error: FrameError }> {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    const out: Array<{ ok: true; frame: CctalkFrame } | { ok: false; error: FrameError }> = [];
    for (;;) {
      if (this.buffer.length < 5) break;
      const length = this.buffer[1] as number;
      if (length > MAX_DATA_LENGTH) {
        out.push({ ok: false, error: { kind: 'too-long', length } });
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      const total = length + 5;
      if (this.buffer.length < total) break;
      const bytes = this.buffer.slice(0, total);
      if (checksum(bytes.subarray(0, total - 1)) !== bytes[total - 1]) {
        out.push({ ok: false, error: { kind: 'checksum', frame: bytes } });
        this.buffer = this.buffer.subarray(total);
        continue;
      }
      out.push({
        ok: true,
        frame: {
          destination: bytes[0] as number,
          source: bytes[2] as number,
          header: bytes[3] as number,
          data: bytes.slice(4, total - 1),
        },
      });
      this.buffer = this.buffer.subarray(total);
    }
    return out;
  }

  /** Drops a partial frame (after a time-out the next reply starts afresh). */
  reset(): void {
    this.buffer = new Uint8Array(0);
  }
}
