import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  encodeResponse,
  fromHex,
  parseCommand,
  parseResponse,
  swTriesLeft,
  toHex,
} from './apdu.ts';

describe('encodeCommand', () => {
  it('encodes the four short cases', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0x20, p1: 0, p2: 0x80 }))).toBe('00200080');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 1, p2: 0, le: 256 }))).toBe('00B0010000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('000A') }))).toBe(
      '00A4020C02000A',
    );
    expect(
      toHex(encodeCommand({ cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('0102'), le: 256 })),
    ).toBe('802A0080020102' + '00');
  });

  it('switches to extended lengths when data or Le do not fit', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 0x0600 }))).toBe('00B00000000600');
    const big = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300) });
    expect(toHex(big.subarray(0, 7))).toBe('00D6000000012C');
    expect(big.length).toBe(7 + 300);
  });

  it('rejects header bytes out of range', () => {
    expect(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(RangeError);
  });
});

describe('parseCommand', () => {
  it('round-trips what encodeCommand builds', () => {
    const cmds = [
      { cla: 0, ins: 0x20, p1: 0, p2: 0x80 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 4, le: 4 },
      { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: fromHex('D392F000260100000001') },
      { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('3031'), le: 256 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 2000 },
      { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300).fill(7), le: 1000 },
    ];
    for (const c of cmds) expect(parseCommand(encodeCommand(c))).toEqual(c);
  });

  it('reports malformed lengths', () => {
    expect(parseCommand(fromHex('00A4'))).toMatchObject({ kind: 'malformed-apdu' });
    expect(parseCommand(fromHex('00A4040C05D392'))).toMatchObject({ kind: 'malformed-apdu' });
    expect(parseCommand(fromHex('00A4040C0001'))).toMatchObject({ kind: 'malformed-apdu' });
  });
});

describe('responses', () => {
  it('splits data and status word', () => {
    expect(parseResponse(fromHex('AABB9000'))).toEqual({
      data: fromHex('AABB'),
      sw: 0x9000,
      sw1: 0x90,
      sw2: 0,
    });
    expect(parseResponse(fromHex('6A82'))).toEqual({
      data: new Uint8Array(0),
      sw: 0x6a82,
      sw1: 0x6a,
      sw2: 0x82,
    });
    expect(parseResponse(fromHex('90'))).toBeNull();
    expect(toHex(encodeResponse(swTriesLeft(2), fromHex('01')))).toBe('0163C2');
  });
});
