import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleSet } from '../certificate-templates/sample-set.ts';
import { CERTIFICATE_TYPES } from './certificate-types.ts';
import { acceptedDocument, CertificateDocumentSchema } from './documents.ts';
import { schemaAcceptor } from './schema-acceptor.ts';

const acceptor = schemaAcceptor(CertificateDocumentSchema);
const samples = sampleSet().map((entry) => entry.document);

/** What the acceptor must say: zod accepts the value and gives back a value equal to it. */
function zodGivesItBack(value: unknown): boolean {
  const parsed = CertificateDocumentSchema.safeParse(value);
  if (!parsed.success) return false;
  try {
    expect(parsed.data).toStrictEqual(value);
    return true;
  } catch {
    return false;
  }
}

/** Whether every object in a value is an array or made as JSON.parse makes them (a `__proto__` key or Object.create(null) make others). */
function plainThroughout(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return prototype === Array.prototype && value.every(plainThroughout);
  return prototype === Object.prototype && Object.values(value).every(plainThroughout);
}

/**
 * The acceptor's promise: a yes only when zod accepts and gives the same value back; and, for data
 * as JSON makes it (plain objects), a yes whenever zod does so (else it would spare nothing).
 */
function expectAgreement(document: unknown): void {
  const accepted = acceptor.accepts(document);
  if (accepted || plainThroughout(document)) expect(accepted).toBe(zodGivesItBack(document));
}

/** Values at and around the contract's limits, of every JSON kind. */
const replacements = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    '',
    'x',
    'ア'.repeat(16),
    'ア'.repeat(17),
    '𠮷'.repeat(32), // 64 UTF-16 units: zod counts units, not code points
    '𠮷'.repeat(33),
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(256),
    'x'.repeat(257),
    '2024-02-29',
    '2023-02-29',
    '2026-13-01',
    '2026-11-25T12:00:00+09:00',
    '2026-11-25T12:00:00',
    '123456789012',
    '12345678901',
    '0123456789ABCDEF',
    'a'.repeat(32),
    'A'.repeat(32),
    'image/png',
    '男',
    'juminhyo',
    'nozei',
    '3c9d2b1e-8a4b-4c1e-9a55-3f1f1d2a9b42',
    '3c9d2b1e-8a4b-9c1e-9a55-3f1f1d2a9b42',
    0,
    -0,
    -1,
    1,
    1.5,
    7.5,
    8,
    25,
    25.5,
    16,
    1024,
    1025,
    99,
    100,
    1999,
    2000,
    2100,
    2101,
    10_000_000_000,
    10_000_000_001,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    [],
    {},
    { 'cert.title': '写し' },
    { 'Cert.title': '写し' },
    Object.create(null) as unknown,
  ),
  fc.jsonValue(),
);

type Path = readonly (string | number)[];

/** Every place in a value (objects and arrays), the value itself first. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...children.flatMap(([key, child]) => pathsOf(child, [...at, key]))];
}

type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add-key'; at: number; key: string; value: unknown }
  | { op: 'grow'; at: number; times: number };

function applyMutation(document: unknown, mutation: Mutation): unknown {
  const root = structuredClone(document);
  const paths = pathsOf(root);
  const path = paths[mutation.at % paths.length]!;
  if (path.length === 0) return mutation.op === 'set' ? mutation.value : root;
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
  const key = path[path.length - 1]!;
  const target = parent as Record<string | number, unknown>;
  switch (mutation.op) {
    case 'set':
      target[key] = mutation.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
      break;
    case 'add-key': {
      const child = target[key];
      if (child !== null && typeof child === 'object' && !Array.isArray(child))
        (child as Record<string, unknown>)[mutation.key] = mutation.value;
      else target[mutation.key] = mutation.value;
      break;
    }
    case 'grow': {
      const child = target[key];
      if (Array.isArray(child))
        for (let i = 0; i < mutation.times; i++) child.push(structuredClone(child[0]));
      else if (Array.isArray(parent))
        for (let i = 0; i < mutation.times; i++) parent.push(structuredClone(parent[0]));
      break;
    }
  }
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: replacements }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('add-key' as const),
    at: fc.nat(),
    key: fc.constantFrom('extra', 'kind', 'name', '__proto__', 'myNumber', 'scope'),
    value: replacements,
  }),
  fc.record({ op: fc.constant('grow' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 40 }) }),
);

/** A sample document of any type, changed in one to three places. */
const mutatedDocuments = fc
  .tuple(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([document, mutations]) => mutations.reduce<unknown>(applyMutation, document));

/** A sample made of another type's kind, or with content.kind and certificateType apart. */
const retypedDocuments = fc
  .tuple(fc.constantFrom(...samples), fc.constantFrom(...CERTIFICATE_TYPES), fc.boolean())
  .map(([document, type, both]) => {
    const copy = structuredClone(document) as { certificateType: string; content: { kind: string } };
    copy.certificateType = type;
    if (both) copy.content.kind = type;
    return copy;
  });

describe('the quick acceptor of certified documents', () => {
  it('covers the whole document schema (no part always left to zod)', () => {
    expect(acceptor.unsupported).toEqual([]);
  });

  it('accepts every sample document, of every type and option', () => {
    for (const document of samples) {
      expect(zodGivesItBack(document)).toBe(true);
      expect(acceptor.accepts(document)).toBe(true);
    }
  });

  it('agrees with zod on mutated documents: yes exactly when zod accepts and gives the same value back', () => {
    fc.assert(
      fc.property(mutatedDocuments, (document) => expectAgreement(document)),
      { numRuns: 3000, seed: 14 },
    );
  });

  it('agrees with zod on documents whose type and content kind were changed', () => {
    fc.assert(
      fc.property(retypedDocuments, (document) => expectAgreement(document)),
      { numRuns: 300, seed: 14 },
    );
  });

  it('refuses what zod only accepts by changing it: an unknown key (stripped), an object without a prototype (copied)', () => {
    const withExtra = { ...samples[0]!, note: 'stripped by zod' };
    expect(CertificateDocumentSchema.safeParse(withExtra).success).toBe(true);
    expect(acceptor.accepts(withExtra)).toBe(false);
    const bare = Object.assign(Object.create(null) as object, samples[0]);
    expect(CertificateDocumentSchema.safeParse(bare).success).toBe(true);
    expect(acceptor.accepts(bare)).toBe(false);
  });

  it('says "unsure" for kinds of schema it does not know, so zod decides', () => {
    const withTransform = z.object({ a: z.string().transform((s) => s.length) });
    const quick = schemaAcceptor(withTransform);
    expect(quick.unsupported).toEqual(['$.a: pipe']);
    expect(quick.accepts({ a: 'x' })).toBe(false);
    expect(schemaAcceptor(z.string().url()).accepts('https://example.jp')).toBe(false);
  });
});

describe('acceptedDocument', () => {
  it('gives a valid document back as it is', () => {
    for (const document of samples) expect(acceptedDocument(document)).toBe(document);
  });

  it('gives zod’s parse (unknown keys stripped) of a valid document it is unsure of', () => {
    const withExtra = { ...samples[0]!, note: 'stripped by zod' };
    expect(acceptedDocument(withExtra)).toStrictEqual(samples[0]);
  });

  it('throws zod’s own error, with the same issues, for a document the contract refuses', () => {
    fc.assert(
      fc.property(mutatedDocuments, (document) => {
        const parsed = CertificateDocumentSchema.safeParse(document);
        if (parsed.success) return;
        expect(() => acceptedDocument(document)).toThrow(z.ZodError);
        try {
          acceptedDocument(document);
        } catch (error) {
          expect((error as z.ZodError).issues).toStrictEqual(parsed.error.issues);
        }
      }),
      { numRuns: 500, seed: 41 },
    );
  });
});
