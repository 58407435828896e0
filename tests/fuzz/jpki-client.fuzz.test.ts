import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCardError, CardTransportError, type CardTransport } from '../../native/card-transport.ts';
import { derTotalLength } from '../../native/jpki/der-length.ts';
import { JpkiClient, pinFromDigits, type ReadMode } from '../../native/jpki/jpki-client.ts';
import { sha256DigestInfo } from '../../native/jpki/jpki-files.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The kiosk's JPKI client talking to a hostile card: any answers (odd status words, short or
 * over-long data, DER headers that lie about their length, a transport that fails) give a typed
 * result, never a throw, never an endless exchange; a certificate it returns is exactly as long
 * as its DER header says; a challenge is 8 bytes; tries left fit in the status word's nibble.
 */
type Answer = { bytes: Uint8Array } | { fail: 'typed' | 'plain' };

const statusWords = fc.oneof(
  // Mostly success, so the exchanges go deep (select, read, verify, sign) before something breaks.
  { weight: 10, arbitrary: fc.constant(0x9000) },
  fc.constantFrom(0x9000, 0x6282, 0x6700, 0x6982, 0x6983, 0x6984, 0x6985, 0x6a82, 0x6a86, 0x6b00, 0x6d00),
  fc.integer({ min: 0x63c0, max: 0x63cf }),
  fc.integer({ min: 0x6100, max: 0x61ff }),
  fc.integer({ min: 0x6c00, max: 0x6cff }),
  fc.integer({ min: 0, max: 0xffff }),
);

/** Data a card might send: anything, or something that starts like a certificate's DER header. */
const data = fc.oneof(
  bytes(300),
  // A certificate's DER header with any length form, or with a two-byte length a card could hold.
  fc
    .tuple(fc.integer({ min: 0x80, max: 0x84 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), bytes(256))
    .map(([form, length, rest]) =>
      Uint8Array.from([0x30, form, ...length.subarray(0, form - 0x80), ...rest]),
    ),
  fc
    .tuple(fc.integer({ min: 0, max: 0x5ff }), bytes(256))
    .map(([length, rest]) => Uint8Array.from([0x30, 0x82, length >> 8, length & 0xff, ...rest])),
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.uint8Array({ minLength: 256, maxLength: 256 }),
  fc.constant(Buffer.from('JPKIAPICCTOKEN2'.padEnd(32, ' '), 'ascii')),
);

const answer: fc.Arbitrary<Answer> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(data, statusWords)
      .map(([d, sw]) => ({ bytes: Uint8Array.from([...d, sw >> 8, sw & 0xff]) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constant(new Uint8Array(0)), statusWords)
      .map(([, sw]) => ({ bytes: Uint8Array.from([sw >> 8, sw & 0xff]) })),
  },
  { weight: 1, arbitrary: bytes(1).map((b) => ({ bytes: b })) },
  { weight: 1, arbitrary: fc.constantFrom<Answer>({ fail: 'typed' }, { fail: 'plain' }) },
);

/**
 * APDUs any one operation may take, however the card answers: a certificate is at most 32 767 + 256
 * bytes and every READ BINARY must bring at least one byte, so even a card that answers a byte at
 * a time ends (the long run found a card sending 4-byte chunks: ~2 700 reads, bounded, not endless).
 */
const APDU_LIMIT = 40_000;

/** The instructions the client sends: SELECT, READ BINARY, VERIFY, sign, GET CHALLENGE, CHANGE, reset. */
const INSTRUCTIONS = [0xa4, 0xb0, 0x20, 0x2a, 0x88, 0x84, 0x24, 0x2c] as const;

/**
 * A card that answers each instruction with its own scripted answers in turn, then its last one
 * again and again (so a multi-step exchange gets far before something breaks).
 */
function hostileCard(script: ReadonlyMap<number, readonly Answer[]>): CardTransport & { calls: number } {
  const cursors = new Map<number, number>();
  const card = {
    calls: 0,
    transmit(apdu: Uint8Array): Promise<Uint8Array> {
      card.calls += 1;
      if (card.calls > APDU_LIMIT) return Promise.reject(new Error('endless exchange'));
      const ins = apdu[1] ?? 0;
      const answers = script.get(ins) ?? [];
      const at = cursors.get(ins) ?? 0;
      cursors.set(ins, at + 1);
      const next = answers[Math.min(at, answers.length - 1)] ?? { fail: 'plain' as const };
      if ('fail' in next)
        return Promise.reject(
          next.fail === 'typed'
            ? new CardTransportError({ kind: 'card-removed' })
            : new Error('reader went away'),
        );
      return Promise.resolve(next.bytes.slice());
    },
  };
  return card;
}

const scriptArb: fc.Arbitrary<Map<number, Answer[]>> = fc
  .tuple(...INSTRUCTIONS.map(() => fc.array(answer, { minLength: 1, maxLength: 4 })))
  .map((lists) => new Map(lists.map((list, i) => [INSTRUCTIONS[i]!, list])));

const operation = fc.constantFrom(
  'checkCard',
  'readAuthCertificate',
  'pinTriesLeft',
  'verifyAuthPin',
  'verifySigningPin',
  'signWithAuthKey',
  'getChallenge',
  'changePin',
  'authenticate',
  'relay',
);

async function run(client: JpkiClient, op: string): Promise<{ kind: string } & Record<string, unknown>> {
  const digestInfo = sha256DigestInfo(new Uint8Array(32).fill(7));
  switch (op) {
    case 'checkCard':
      return client.checkCard();
    case 'readAuthCertificate':
      return client.readAuthCertificate();
    case 'pinTriesLeft':
      return client.pinTriesLeft('auth');
    case 'verifyAuthPin':
      return client.verifyAuthPin(pinFromDigits([1, 2, 3, 4]));
    case 'verifySigningPin':
      return client.verifySigningPin(Buffer.from('ABC123', 'ascii'));
    case 'signWithAuthKey':
      return client.signWithAuthKey(digestInfo);
    case 'getChallenge':
      return client.getChallenge();
    case 'changePin':
      return client.changePin('auth', pinFromDigits([5, 6, 7, 8]));
    case 'authenticate':
      return client.authenticate({ pin: pinFromDigits([1, 2, 3, 4]), digestInfo });
    default:
      return client.relay(Uint8Array.from([0x0c, 0x2c, 0x02, 0x82, 0x00]));
  }
}

describe('the JPKI client against a hostile card', () => {
  it('gives a typed result for every operation, never a throw or an endless exchange', async () => {
    await fc.assert(
      fc.asyncProperty(
        scriptArb,
        fc.array(operation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<ReadMode>('short', 'extended'),
        async (script, ops, readMode) => {
          const card = hostileCard(script);
          const client = new JpkiClient(card, { readMode });
          for (const op of ops) {
            const before = card.calls;
            const result = await run(client, op);
            expect(card.calls - before, `${op} exchanged without end`).toBeLessThan(APDU_LIMIT);
            expect(typeof result.kind).toBe('string');
            if (result.kind === 'certificate') {
              const der = result.der as Uint8Array;
              const header = derTotalLength(der);
              expect(der[0]).toBe(0x30);
              expect(header.kind === 'ok' && header.totalLength).toBe(der.length);
            }
            if (result.kind === 'challenge') expect((result.challenge as Uint8Array).length).toBe(8);
            if (result.kind === 'tries-left' || result.kind === 'wrong')
              expect(result.triesLeft).toBeLessThanOrEqual(15);
            if (result.kind === 'communication' || result.kind === 'unexpected-status')
              expect(isCardError(result)).toBe(true);
          }
        },
      ),
      fuzzParameters(200),
    );
  });
});
