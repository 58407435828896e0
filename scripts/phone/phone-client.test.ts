import { describe, expect, it } from 'vitest';
import { authenticationMessage, sha256DigestInfo } from '../../protocol/auth-message.ts';
import { phoneDigestInfo, toBase64 } from './phone-client.ts';

describe('the phone client without Node', () => {
  it('builds the DigestInfo the centre checks, byte for byte as protocol/auth-message.ts does', async () => {
    const challenge = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    const expected = sha256DigestInfo(authenticationMessage('PHONE-APP', challenge));
    expect(Buffer.from(await phoneDigestInfo('PHONE-APP', challenge))).toEqual(expected);
    expect(Buffer.from(await phoneDigestInfo('S0001-T01', challenge))).not.toEqual(expected);
  });

  it('writes base64 as Buffer does, also past one chunk', () => {
    const bytes = Uint8Array.from({ length: 0x8000 * 2 + 5 }, (_, i) => (i * 7) & 0xff);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
