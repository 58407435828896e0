import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../apdu.ts';
import { transmitWithResponseChaining, withLe } from './response-chaining.ts';

/** A card that answers from a script and records what it was sent. */
function scripted(answers: string[]): { raw: (a: Uint8Array) => Promise<Uint8Array>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    raw: async (a) => {
      sent.push(toHex(a));
      const next = answers.shift();
      if (next === undefined) throw new Error('script exhausted');
      return fromHex(next);
    },
  };
}

describe('transmitWithResponseChaining', () => {
  it('passes a plain answer through', async () => {
    const card = scripted(['AABB9000']);
    expect(toHex(await transmitWithResponseChaining(card.raw, fromHex('00B0000002')))).toBe('AABB9000');
    expect(card.sent).toEqual(['00B0000002']);
  });

  it('resends with the Le the card asks for on 6Cxx', async () => {
    const card = scripted(['6C03', '0102039000']);
    expect(toHex(await transmitWithResponseChaining(card.raw, fromHex('00B0000000')))).toBe('0102039000');
    expect(card.sent).toEqual(['00B0000000', '00B0000003']);
  });

  it('collects data with GET RESPONSE on 61xx until the final status word', async () => {
    const card = scripted(['6102', 'AABB6101', 'CC9000']);
    const out = await transmitWithResponseChaining(card.raw, fromHex('802A008003010203'));
    expect(toHex(out)).toBe('AABBCC9000');
    expect(card.sent).toEqual(['802A008003010203', '00C0000002', '00C0000001']);
  });

  it('keeps the final error status after GET RESPONSE', async () => {
    const card = scripted(['6104', '6A82']);
    expect(toHex(await transmitWithResponseChaining(card.raw, fromHex('00A4040C00')))).toBe('6A82');
  });

  it('stops a card that never ends GET RESPONSE', async () => {
    const card = scripted(Array.from({ length: 100 }, () => '6101'));
    await expect(transmitWithResponseChaining(card.raw, fromHex('00B0000000'))).rejects.toMatchObject({
      cardError: { kind: 'communication' },
    });
  });
});

describe('withLe', () => {
  it('sets Le in each short case', () => {
    expect(toHex(withLe(fromHex('00B00000'), 4))).toBe('00B0000004');
    expect(toHex(withLe(fromHex('00B0000000'), 4))).toBe('00B0000004');
    expect(toHex(withLe(fromHex('00200080021234'), 4))).toBe('0020008002123404');
    expect(toHex(withLe(fromHex('0020008002123400'), 4))).toBe('0020008002123404');
  });
});
