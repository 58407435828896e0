import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson } from './canonical-json.ts';

/** What a call answers or throws, so a refusal compares like an answer. */
function outcome(f: () => string | undefined): { value: string | undefined } | { thrown: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { thrown: e instanceof Error ? e.message : String(e) };
  }
}

const sameAsCanonicalize = (value: unknown): void => {
  expect(outcome(() => canonicalJson(value))).toEqual(outcome(() => canonicalize(value)));
};

/** Strings of every kind: ASCII, any code point, lone surrogates, JSON's escapes. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\uD800',
      '\uDC00',
      'あ',
      '😀',
    ),
  }),
);

/** Numbers JSON writes in every form: integers, fractions, exponents, -0, the extremes. */
const anyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2),
);

const jsonLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    anyNumber,
    anyString,
    fc.array(tie('value')),
    fc.dictionary(anyString, tie('value')),
  ),
})).value;

const member = fc.record({
  name: anyString,
  nameKana: fc.string({ unit: 'grapheme' }),
  birthDate: fc.constant('1980-04-01'),
  sex: fc.constantFrom('男', '女'),
  relationship: fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
  residentSince: fc.constant('2010-05-01'),
});

/** Documents of the shape the seal digests (a 住民票), with any text in their fields. */
const documentLike = fc.record({
  documentId: fc.stringMatching(/^[0-9A-Z]{16}$/),
  transactionId: fc.uuid(),
  certificateType: fc.constant('juminhyo'),
  issuedAt: fc.constant('2026-11-25T10:00:00+09:00'),
  municipality: fc.record({
    code: fc.stringMatching(/^\d{6}$/),
    name: anyString,
    mayorTitle: anyString,
    mayorName: anyString,
  }),
  holderSalt: fc.stringMatching(/^[0-9a-f]{32}$/),
  holderBinding: fc.stringMatching(/^[0-9a-f]{64}$/),
  pageCount: fc.integer({ min: 1, max: 99 }),
  content: fc.record({
    kind: fc.constant('juminhyo'),
    scope: fc.constantFrom('individual', 'household'),
    address: anyString,
    householdHead: anyString,
    members: fc.array(member, { minLength: 1, maxLength: 16 }),
  }),
});

describe('canonicalJson', () => {
  it('writes every document byte for byte as canonicalize does', () => {
    fc.assert(fc.property(documentLike, sameAsCanonicalize), { numRuns: 500 });
  });

  it('writes any JSON value (numbers, unicode, escapes, lone surrogates) as canonicalize does, or refuses it alike', () => {
    fc.assert(fc.property(jsonLike, sameAsCanonicalize), { numRuns: 3000 });
    fc.assert(fc.property(fc.jsonValue({ stringUnit: 'binary' }), sameAsCanonicalize), { numRuns: 1000 });
  });

  it('answers as canonicalize for values that are not plain JSON', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBigInt: true,
          withDate: true,
          withBoxedValues: true,
        }),
        sameAsCanonicalize,
      ),
      { numRuns: 2000 },
    );
    for (const value of [
      undefined,
      NaN,
      Infinity,
      -Infinity,
      [NaN],
      { a: Infinity },
      { a: undefined, b: Symbol('s'), c: 1 },
      [undefined, 1],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
      { toJSON: () => ({ b: 1, a: 2 }) },
      { a: new Date(0) },
      { f: () => 1 },
      'lone \uD800 surrogate',
      { 'key \uDC00': 1 },
      { z: 1, a: 2, A: 3, é: 4, '10': 5, '9': 6, '': 7 },
    ])
      sameAsCanonicalize(value);
  });

  it('refuses a cycle as canonicalize does', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('Circular reference detected');
  });

  it('writes a deep value as canonicalize does', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 600; i++) deep = i % 2 ? [deep] : { k: deep };
    sameAsCanonicalize(deep);
  });
});
