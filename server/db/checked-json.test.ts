import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildSeedRegisters, loadSeedWorld } from '../seed/index.ts';
import { checkedJsonReader } from './checked-json.ts';
import { ResidentRecordSchema, storedResident } from './records.ts';
import {
  FuhyoRecordSchema,
  KosekiRecordSchema,
  TaxAssessmentSchema,
  inkanFromRow,
  InkanRegistrationSchema,
  storedFuhyo,
  storedKoseki,
  storedTaxAssessment,
} from './register-records.ts';

const world = loadSeedWorld();
const registers = buildSeedRegisters(world);
/** Each row's text as the stores write it: the schema's answer, stringified. */
const texts = (schema: z.ZodType, rows: readonly unknown[]) =>
  rows.map((row) => JSON.stringify(schema.parse(row)));

const readers = [
  {
    name: 'resident',
    read: storedResident,
    schema: ResidentRecordSchema,
    rows: texts(ResidentRecordSchema, world.residents),
  },
  {
    name: 'tax',
    read: storedTaxAssessment,
    schema: TaxAssessmentSchema,
    rows: texts(TaxAssessmentSchema, registers.taxes),
  },
  {
    name: 'koseki',
    read: storedKoseki,
    schema: KosekiRecordSchema,
    rows: texts(KosekiRecordSchema, registers.koseki),
  },
  {
    name: 'fuhyo',
    read: storedFuhyo,
    schema: FuhyoRecordSchema,
    rows: texts(FuhyoRecordSchema, registers.fuhyo),
  },
  {
    name: 'inkan',
    read: (json: string) => inkanFromRow(json, null),
    schema: InkanRegistrationSchema,
    rows: texts(InkanRegistrationSchema, registers.inkan),
  },
];

describe('stored register rows', () => {
  it.each(readers)(
    'read a $name text the same as the schema, first and every later time',
    ({ read, schema, rows }) => {
      expect(rows.length).toBeGreaterThan(0);
      for (let round = 0; round < 3; round++)
        for (const json of rows) expect(read(json)).toStrictEqual(schema.parse(JSON.parse(json)));
    },
  );

  it.each(readers)('refuse a changed $name text after its valid text was read', ({ read, rows }) => {
    const json = rows[0]!;
    read(json);
    const broken = { ...(JSON.parse(json) as Record<string, unknown>), municipalityCode: '13101' };
    expect(() => read(JSON.stringify(broken))).toThrow(z.ZodError);
    expect(() => read(JSON.stringify({ ...broken, municipalityCode: undefined }))).toThrow(z.ZodError);
  });

  it('hands out a new record on every read, so a caller changing one changes no other', () => {
    const json = texts(ResidentRecordSchema, world.residents.slice(0, 1))[0]!;
    const first = storedResident(json);
    first.name = 'changed';
    expect(storedResident(json).name).not.toBe('changed');
    expect(storedResident(json)).not.toBe(storedResident(json));
  });
});

describe('checkedJsonReader', () => {
  const schema = z.object({ a: z.string(), b: z.number().int().optional() });

  it('answers what the schema answers for texts it does not pass unchanged (keys stripped or reordered)', () => {
    const read = checkedJsonReader(schema);
    for (const json of ['{"a":"x","extra":1}', '{"b":2,"a":"x"}', '{"a":"x","b":-0}'])
      for (let round = 0; round < 3; round++)
        expect(read(json)).toStrictEqual(schema.parse(JSON.parse(json)));
  });

  it('refuses an invalid text on every read', () => {
    const read = checkedJsonReader(schema);
    for (let round = 0; round < 3; round++) {
      expect(() => read('{"a":1}')).toThrow(z.ZodError);
      expect(() => read('{"a":"x","b":1.5}')).toThrow(z.ZodError);
      expect(() => read('not json')).toThrow(SyntaxError);
    }
  });

  it('keeps checking texts correctly when more texts are read than it remembers', () => {
    const read = checkedJsonReader(schema);
    for (let i = 0; i < 5000; i++)
      expect(read(`{"a":"${i}","b":${i}}`)).toStrictEqual({ a: String(i), b: i });
    expect(read('{"a":"0","b":0}')).toStrictEqual({ a: '0', b: 0 });
    expect(() => read('{"a":"0","b":0.5}')).toThrow(z.ZodError);
  });
});
