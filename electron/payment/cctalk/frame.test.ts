import { describe, expect, it } from 'vitest';
import { checksum, encodeFrame, FrameDecoder } from './frame.ts';
import { Address, Header } from './headers.ts';

describe('ccTalk frames', () => {
  it('encodes a simple poll to the coin validator as the specification shows it', () => {
    const frame = encodeFrame({
      destination: Address.COIN_VALIDATOR,
      source: Address.HOST,
      header: Header.SIMPLE_POLL,
      data: new Uint8Array(0),
    });
    expect([...frame]).toEqual([2, 0, 1, 254, 255]);
  });

  it('encodes an ACK reply from the coin validator', () => {
    const frame = encodeFrame({ destination: 1, source: 2, header: 0, data: new Uint8Array(0) });
    expect([...frame]).toEqual([1, 0, 2, 0, 253]);
  });

  it('puts the data between header and checksum, the whole frame summing to 0 mod 256', () => {
    const frame = encodeFrame({ destination: 40, source: 1, header: 231, data: Uint8Array.of(1, 0) });
    expect([...frame]).toEqual([40, 2, 1, 231, 1, 0, 0xff & (256 - ((40 + 2 + 1 + 231 + 1) % 256))]);
    expect(frame.reduce((sum, b) => (sum + b) & 0xff, 0)).toBe(0);
    expect(checksum(Uint8Array.of(1, 0, 2))).toBe(253);
  });

  it('refuses addresses and data that do not fit a frame', () => {
    expect(() => encodeFrame({ destination: 256, source: 1, header: 0, data: new Uint8Array(0) })).toThrow(
      RangeError,
    );
    expect(() => encodeFrame({ destination: 2, source: 1, header: 0, data: new Uint8Array(253) })).toThrow(
      RangeError,
    );
  });

  it('reassembles frames split across reads and several frames in one read', () => {
    const decoder = new FrameDecoder();
    const a = encodeFrame({ destination: 1, source: 2, header: 0, data: Uint8Array.of(7, 1, 1) });
    const b = encodeFrame({ destination: 1, source: 40, header: 0, data: new Uint8Array(0) });
    expect(decoder.push(a.subarray(0, 3))).toEqual([]);
    const joined = new Uint8Array([...a.subarray(3), ...b]);
    const frames = decoder.push(joined);
    expect(frames.map((f) => (f.ok ? [f.frame.source, [...f.frame.data]] : 'error'))).toEqual([
      [2, [7, 1, 1]],
      [40, []],
    ]);
  });

  it('reports a damaged frame and finds the next good one after it', () => {
    const decoder = new FrameDecoder();
    const damaged = encodeFrame({ destination: 1, source: 2, header: 0, data: Uint8Array.of(5) });
    damaged[4] = 6;
    const good = encodeFrame({ destination: 1, source: 3, header: 0, data: new Uint8Array(0) });
    const results = decoder.push(new Uint8Array([...damaged, ...good]));
    expect(results[0]).toMatchObject({ ok: false, error: { kind: 'checksum' } });
    const frames = results.filter((r) => r.ok);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ ok: true, frame: { source: 3, header: 0 } });
  });
});
