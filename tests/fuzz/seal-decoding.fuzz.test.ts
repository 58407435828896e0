import fc from 'fast-check';
import { encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import { createPageSeals, encodeSealPayload, verifySeal, type SealError } from '../../protocol/seal.ts';
import { signCoseSign1 } from '../../protocol/seal-signer.ts';
import { publishedKeys, testSealKey } from '../../protocol/test-support/seal-keys.ts';
import { bytes, fuzzParameters } from './settings.ts';

const key = testSealKey('131016');
const keys = publishedKeys(key);
const SEAL_ERRORS: SealError['kind'][] = [
  'seal-malformed',
  'seal-unknown-key',
  'seal-signature-invalid',
  'seal-key-wrong-municipality',
  'seal-key-revoked',
  'seal-key-expired',
  'seal-key-not-yet-valid',
  'seal-issued-at-invalid',
];

/** CBOR values of the shapes a seal payload is made of, nested. */
const cborValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.integer({ min: -2, max: 14 }), tie('value')), { maxLength: 8 })
      .map((entries) => new Map(entries)),
  ),
})).value;

/** Payload maps close to a real one: the right keys, any values, sometimes the version right. */
const payloadMap = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), cborValue), { maxLength: 14 })
  .chain((entries) =>
    fc.boolean().map((v2) => new Map<number, unknown>(v2 ? [[0, 2], ...entries] : entries)),
  );

describe('page seals under hostile input (verifySeal)', () => {
  it('turns any bytes into a typed refusal, never throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bytes(600),
          cborValue.map((v) => encode(v)),
        ),
        (seal) => {
          const result = verifySeal(seal, keys);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(SEAL_ERRORS).toContain(result.error.kind);
        },
      ),
      fuzzParameters(),
    );
  });

  it('never accepts a signed payload that is not a well-formed page seal, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(payloadMap, cborValue), async (payload) => {
        const seal = await signCoseSign1(encode(payload), key.signer);
        const result = verifySeal(seal, keys);
        if (result.ok) {
          // Accepted only when every field was well formed: then it names this key's municipality.
          expect(result.payload.municipalityCode).toBe('131016');
          expect(result.payload.page).toBeLessThanOrEqual(result.payload.pageCount);
        } else {
          expect(SEAL_ERRORS).toContain(result.error.kind);
        }
      }),
      fuzzParameters(200),
    );
  });

  it('never accepts a genuine seal changed in any byte as saying anything but what was signed', async () => {
    const document = sampleHousehold(3);
    const municipalityKey = testSealKey(document.municipality.code);
    const municipalityKeys = publishedKeys(municipalityKey);
    const at = new Date(document.issuedAt);
    const [seal] = await createPageSeals(document, municipalityKey.signer);
    const genuine = verifySeal(seal!, municipalityKeys, at);
    if (!genuine.ok) throw new Error(`the genuine seal does not verify: ${genuine.error.kind}`);
    const signed = Buffer.from(encodeSealPayload(genuine.payload));
    const change = fc.oneof(
      fc.record({ at: fc.nat(), replaceBy: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ at: fc.nat(), insert: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
        const changed = Array.from(seal!);
        for (const c of changes) {
          const i = c.at % (changed.length + 1);
          if ('replaceBy' in c)
            changed[i % changed.length] = (changed[i % changed.length]! + c.replaceBy) & 0xff;
          else if ('insert' in c) changed.splice(i, 0, c.insert);
          else changed.splice(i, 1);
        }
        const result = verifySeal(Uint8Array.from(changed), municipalityKeys, at);
        if (result.ok) expect(Buffer.from(encodeSealPayload(result.payload)).equals(signed)).toBe(true);
        else expect(SEAL_ERRORS).toContain(result.error.kind);
      }),
      fuzzParameters(),
    );
  });
});
