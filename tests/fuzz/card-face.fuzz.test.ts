import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { personaliseCard } from '../../native/test-pki/test-jpki-ca.ts';
import { assistBasicInfoFile, type Sex } from '../../native/virtual-card/card-face.ts';
import { parseBasicInfo, verifyCardFace } from '../../server/phone/card-face.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The card's face files as the phone service reads them (server/phone/card-face.ts): any bytes give
 * a typed refusal, never a throw; a signed 券面AP file changed anywhere either is refused or still
 * says exactly what was signed (only the unsigned offset table DF21 may change unnoticed); the
 * basic-information file reads back what it was written with.
 */
let signedFace: Uint8Array;
let signingCa: Uint8Array;
let original: { birthDate: string; sex: string; photo: Uint8Array };

beforeAll(async () => {
  const ca = await sharedTestCa();
  const card = await personaliseCard({
    holderId: 'H7001',
    authPin: '1234',
    signingPin: 'ABC123',
    ca,
    serialNumber: 'f001',
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
    holder: { name: '試験 一郎', birthDate: '19800514', sex: '1', address: '東京都千代田区1-1' },
  });
  if (!card.face) throw new Error('the test card has no face');
  signedFace = card.face.kenmenFile;
  signingCa = new Uint8Array(ca.signing.certificate.rawData);
  const verified = verifyCardFace(signedFace, [signingCa]);
  if (!verified.ok) throw new Error(`the test face does not verify: ${verified.detail}`);
  original = verified.value;
}, 60_000);

type Mutation =
  | { kind: 'replace'; at: number; delta: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), delta: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(file: Uint8Array, mutation: Mutation): Uint8Array {
  if (file.length === 0) return file;
  const at = mutation.at % file.length;
  const copy = Array.from(file);
  if (mutation.kind === 'replace') copy[at] = (copy[at]! + mutation.delta) & 0xff;
  if (mutation.kind === 'insert') copy.splice(at, 0, mutation.byte);
  if (mutation.kind === 'delete') copy.splice(at, 1);
  if (mutation.kind === 'truncate') copy.length = at;
  return Uint8Array.from(copy);
}

describe('the card face (券面AP) under hostile input', () => {
  it('refuses any bytes with a reason, never throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bytes(400),
          bytes(200).map((b) => Uint8Array.from([0xff, 0x20, b.length & 0x7f, ...b])),
        ),
        (file) => {
          const result = verifyCardFace(file, [signingCa]);
          expect(result.ok).toBe(false);
          const basic = parseBasicInfo(file);
          // What it reads from any bytes is what the same fields written afresh read back as.
          // (The writer takes the card's sex codes; the reader, like the card, any text.)
          if (basic.ok)
            expect(
              parseBasicInfo(assistBasicInfoFile({ ...basic.value, sex: basic.value.sex as Sex })),
            ).toEqual(basic);
          else expect(basic.detail).toMatch(/\S/);
        },
      ),
      fuzzParameters(),
    );
  });

  it('never accepts a changed signed face as saying anything but what was signed', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (mutations) => {
        const file = mutations.reduce(mutate, signedFace);
        const result = verifyCardFace(file, [signingCa]);
        if (result.ok) {
          expect(result.value.birthDate).toBe(original.birthDate);
          expect(result.value.sex).toBe(original.sex);
          expect(Buffer.from(result.value.photo).equals(Buffer.from(original.photo))).toBe(true);
        } else {
          expect(result.detail).toMatch(/\S/);
        }
      }),
      fuzzParameters(),
    );
  });
});

describe('the basic-information file (券面入力補助AP)', () => {
  it('reads back the name, address, birth date and sex it was written with', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          name: text,
          address: text,
          birthDate: text,
          sex: fc.constantFrom<Sex>('1', '2', '3', '9'),
        }),
        (holder) => {
          expect(parseBasicInfo(assistBasicInfoFile(holder))).toEqual({ ok: true, value: holder });
        },
      ),
      fuzzParameters(),
    );
  });
});
