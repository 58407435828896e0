import { describe, expect, it } from 'vitest';
import { fromHex } from '../apdu.ts';
import { derTotalLength } from './der-length.ts';

describe('derTotalLength', () => {
  it('reads short, one-byte and two-byte length forms', () => {
    expect(derTotalLength(fromHex('3003020101'))).toEqual({
      kind: 'ok',
      headerLength: 2,
      contentLength: 3,
      totalLength: 5,
    });
    expect(derTotalLength(fromHex('3081C8'))).toEqual({
      kind: 'ok',
      headerLength: 3,
      contentLength: 200,
      totalLength: 203,
    });
    expect(derTotalLength(fromHex('308206A1'))).toEqual({
      kind: 'ok',
      headerLength: 4,
      contentLength: 0x6a1,
      totalLength: 0x6a5,
    });
  });

  it('asks for more bytes, and refuses indefinite or non-minimal lengths', () => {
    expect(derTotalLength(fromHex('30'))).toEqual({ kind: 'need-more', atLeast: 2 });
    expect(derTotalLength(fromHex('308206'))).toEqual({ kind: 'need-more', atLeast: 4 });
    expect(derTotalLength(fromHex('3080'))).toMatchObject({ kind: 'invalid' });
    expect(derTotalLength(fromHex('30820010'))).toMatchObject({ kind: 'invalid' });
    expect(derTotalLength(fromHex('3085010000000000'))).toMatchObject({ kind: 'invalid' });
  });
});
