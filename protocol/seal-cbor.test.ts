import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tag, decode, encode } from 'cbor2';
import { sampleHousehold } from '../certificate-templates/sample-documents.ts';
import { createPageSeals } from './seal.ts';
import { decodeSealCbor, readPlainSealCbor, type SealCborOptions } from './seal-cbor.ts';
import { testSealKey } from './test-support/seal-keys.ts';

/** What a call answers or throws, so a refusal compares like an answer. */
function outcome(f: () => unknown): { value: unknown } | { thrown: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { thrown: e instanceof Error ? e.message : String(e) };
  }
}

/** The three ways a seal check decodes. */
const OPTIONS: SealCborOptions[] = [{}, { preferMap: true }, { preferMap: true, rejectDuplicateKeys: true }];

const sameAsCbor2 = (bytes: Uint8Array): void => {
  for (const options of OPTIONS) {
    const ours = outcome(() => decodeSealCbor(bytes, options));
    const theirs = outcome(() => decode(bytes, options));
    expect(ours).toStrictEqual(theirs);
  }
};

const key = testSealKey('131016');
// Nine members: two pages, so two seals.
const seals = await createPageSeals(sampleHousehold(9), key.signer);

/** A real seal and its parts: the envelope, the protected header, the payload. */
function partsOf(seal: Uint8Array): Uint8Array[] {
  const envelope = decode(seal) as Tag;
  const [header, , payload] = envelope.contents as Uint8Array[];
  return [seal, header!, payload!];
}

/** CBOR values of the shapes seals are made of, and of others (floats, simple values, tags). */
const cborValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.integer({ min: -(2 ** 32) - 5, max: 2 ** 32 + 5 }),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(
        fc.tuple(fc.oneof(fc.integer({ min: -2, max: 14 }), fc.string({ maxLength: 4 })), tie('value')),
        {
          maxLength: 8,
        },
      )
      .map((entries) => new Map(entries)),
    fc
      .tuple(fc.constantFrom(18, 1, 2, 24, 55799), tie('value'))
      .map(([tag, contents]) => new Tag(tag, contents)),
  ),
})).value;

describe('decodeSealCbor', () => {
  it('reads real seals, their headers and payloads itself', () => {
    expect(seals.length).toBeGreaterThan(1);
    for (const seal of seals)
      for (const part of partsOf(seal)) {
        expect(readPlainSealCbor(part, true)).toBeDefined();
        expect(readPlainSealCbor(part, false)).toBeDefined();
        sameAsCbor2(part);
      }
  });

  it('answers as cbor2 for any encoded value, or refuses alike', () => {
    fc.assert(
      fc.property(cborValue, (value) => sameAsCbor2(encode(value))),
      { numRuns: 1500 },
    );
  });

  it('answers as cbor2 for hand-made heads: long encodings, duplicate keys, 64-bit and indefinite lengths', () => {
    const cases = [
      [0x18, 0x01], // 1 in a long form
      [0x19, 0x00, 0x01],
      [0x1a, 0x00, 0x00, 0x00, 0x01],
      [0x1b, 0, 0, 0, 0, 0, 0, 0, 1],
      [0x3a, 0xff, 0xff, 0xff, 0xff], // -2^32
      [0xa2, 0x01, 0x01, 0x01, 0x02], // duplicate key
      [0xa2, 0x01, 0x01, 0x18, 0x01, 0x02], // the same key, once in a long form
      [0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02], // duplicate text key
      [0xa1, 0x41, 0x00, 0x01], // byte-string key
      [0x5f, 0x41, 0x00, 0xff], // indefinite byte string
      [0x9f, 0x01, 0xff], // indefinite array
      [0x62, 0xc3, 0x28], // invalid UTF-8
      [0x63, 0xef, 0xbb, 0xbf], // a BOM
      [0x82, 0x01], // truncated
      [0x01, 0x01], // trailing
      [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xd2, 0xd2, 0x01], // the COSE tag twice
      [0x81, 0xd2, 0x01], // the COSE tag inside
      [0x1c],
      [],
    ];
    for (const bytes of cases) sameAsCbor2(new Uint8Array(bytes));
  });

  it('answers as cbor2 for any bytes, and for real seals cut, bent or spliced', () => {
    const real = seals.flatMap(partsOf);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc
            .tuple(fc.constantFrom(...real), fc.nat(), fc.nat(255), fc.nat(8))
            .map(([bytes, at, byte, cut]) => {
              const bent = new Uint8Array(bytes);
              bent[at % bent.length] = byte;
              return bent.subarray(0, Math.max(0, bent.length - cut));
            }),
          fc
            .tuple(fc.constantFrom(...real), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 }))
            .map(([bytes, at, inserted]) => {
              const i = at % bytes.length;
              return Uint8Array.from([...bytes.subarray(0, i), ...inserted, ...bytes.subarray(i)]);
            }),
        ),
        sameAsCbor2,
      ),
      { numRuns: 3000 },
    );
  });
});
