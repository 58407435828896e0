import type { z } from 'zod';

/**
 * A quick yes from a zod schema, for values that are almost always valid (the documents the centre
 * builds): `accepts(value)` is true only when the schema's parse would succeed and give back a value
 * equal to `value` itself (no key stripped, nothing converted). It makes no copies and no issue
 * objects, which zod's parse does for every field. Anything it is unsure of is a no, and the caller
 * then parses with zod, which gives the answer and the issues as before: the acceptor can only
 * spare work, never decide a refusal.
 *
 * It is derived from the schema's own definition, so the schema stays the one statement of the
 * contract. The kinds of schema it knows are the ones the contract uses; any other kind (a
 * transform, a default, a check it does not know) becomes "unsure", listed in `unsupported`.
 */
export interface SchemaAcceptor {
  accepts: (value: unknown) => boolean;
  /** Where in the schema the acceptor always defers to zod (empty when it covers all of it). */
  unsupported: string[];
}

type Accepts = (value: unknown) => boolean;

/** The parts of zod's definitions read here (zod 4's `_zod.def`). */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  format?: string;
  pattern?: RegExp;
  coerce?: boolean;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: Schema[];
  discriminator?: string;
  keyType?: Schema;
  valueType?: Schema;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  fn?: (value: unknown) => unknown;
}
interface Schema {
  _zod: { def: Def };
}

const NEVER: Accepts = () => false;

/** String formats whose whole check is their pattern (zod's $ZodStringFormat with a regex). */
const PATTERN_FORMATS = new Set(['date', 'datetime', 'uuid', 'guid', 'regex']);

export function schemaAcceptor(schema: z.ZodType): SchemaAcceptor {
  const unsupported: string[] = [];
  const accepts = acceptorOf(schema as unknown as Schema, '$', unsupported);
  return { accepts, unsupported };
}

function acceptorOf(schema: Schema, at: string, unsupported: string[]): Accepts {
  const def = schema._zod.def;
  const unsure = (what: string): Accepts => {
    unsupported.push(`${at}: ${what}`);
    return NEVER;
  };
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case 'string': {
      if (def.coerce) return unsure('coerced string');
      if (def.format !== undefined && !PATTERN_FORMATS.has(def.format)) return unsure(`format ${def.format}`);
      const tests: Accepts[] = [];
      if (def.format !== undefined) {
        if (!def.pattern) return unsure(`format ${def.format} without a pattern`);
        tests.push(patternTest(def.pattern));
      }
      for (const check of checks) {
        const test =
          lengthTest(check) ??
          (check.check === 'string_format' && check.format === 'regex' && check.pattern
            ? patternTest(check.pattern)
            : undefined);
        if (!test) return unsure(`string check ${check.check}`);
        tests.push(test);
      }
      return (value) => typeof value === 'string' && tests.every((test) => test(value));
    }
    case 'number': {
      if (def.coerce) return unsure('coerced number');
      const tests: Array<(n: number) => boolean> = [];
      for (const check of checks) {
        const test = numberTest(check);
        if (!test) return unsure(`number check ${check.check}`);
        tests.push(test);
      }
      return (value) =>
        typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value));
    }
    case 'boolean':
      return checks.length > 0 ? unsure('boolean check') : (value) => typeof value === 'boolean';
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      if (checks.length > 0 || !values.every((v) => typeof v === 'string')) return unsure('enum');
      const set = new Set<unknown>(values);
      return (value) => set.has(value);
    }
    case 'literal': {
      const set = new Set<unknown>(def.values ?? []);
      return checks.length > 0 ? unsure('literal check') : (value) => set.has(value);
    }
    case 'optional': {
      if (checks.length > 0 || !def.innerType) return unsure('optional');
      const inner = acceptorOf(def.innerType, at, unsupported);
      return (value) => value === undefined || inner(value);
    }
    case 'array': {
      if (!def.element) return unsure('array');
      const element = acceptorOf(def.element, `${at}[]`, unsupported);
      const tests: Accepts[] = [];
      for (const check of checks) {
        const test = lengthTest(check);
        if (!test) return unsure(`array check ${check.check}`);
        tests.push(test);
      }
      return (value) => {
        // An array with another prototype is copied by zod into a plain one.
        if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
        if (!tests.every((test) => test(value))) return false;
        for (let i = 0; i < value.length; i++) if (!element(value[i])) return false;
        return true;
      };
    }
    case 'object':
      return objectAcceptor(def, checks, at, unsupported, unsure);
    case 'union':
      return unionAcceptor(def, checks, at, unsupported, unsure);
    case 'record': {
      if (checks.length > 0 || !def.keyType || !def.valueType) return unsure('record');
      // Only a string key schema: an enum or literal key makes zod require every key.
      if (def.keyType._zod.def.type !== 'string') return unsure('record key');
      const key = acceptorOf(def.keyType, `${at}{key}`, unsupported);
      const entry = acceptorOf(def.valueType, `${at}{}`, unsupported);
      return (value) => {
        if (!isPlainRecord(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
        for (const k of Object.keys(value)) if (!key(k) || !entry(value[k])) return false;
        return true;
      };
    }
    default:
      return unsure(def.type);
  }
}

function objectAcceptor(
  def: Def,
  checks: CheckDef[],
  at: string,
  unsupported: string[],
  unsure: (what: string) => Accepts,
): Accepts {
  // A catchall keeps or checks unknown keys; zod's default (strip) drops them from the output, so
  // an object with a key the shape lacks is not accepted here (its parse would not equal it).
  if (def.catchall !== undefined || !def.shape) return unsure('object with a catchall');
  const fields = Object.entries(def.shape).map(([key, field]) => ({
    key,
    accepts: acceptorOf(field, `${at}.${key}`, unsupported),
  }));
  const known = new Set(fields.map((f) => f.key));
  const refinements: Array<(value: unknown) => unknown> = [];
  for (const check of checks) {
    if (check.check !== 'custom' || !check.fn) return unsure(`object check ${check.check}`);
    refinements.push(check.fn);
  }
  return (value) => {
    if (!isPlainRecord(value)) return false;
    for (const key of Object.keys(value)) if (!known.has(key)) return false;
    for (const field of fields) if (!field.accepts(value[field.key])) return false;
    // A refinement that returns anything but a plain true (a promise, say) is left to zod.
    for (const refine of refinements) if (refine(value) !== true) return false;
    return true;
  };
}

function unionAcceptor(
  def: Def,
  checks: CheckDef[],
  at: string,
  unsupported: string[],
  unsure: (what: string) => Accepts,
): Accepts {
  const discriminator = def.discriminator;
  if (checks.length > 0 || discriminator === undefined || !def.options)
    return unsure('union without a discriminator');
  const byTag = new Map<unknown, Accepts>();
  for (const option of def.options) {
    const tag = option._zod.def.shape?.[discriminator]?._zod.def;
    if (tag?.type !== 'literal' || !tag.values) return unsure('discriminated union option');
    const accepts = acceptorOf(option, `${at}<${tag.values.map(String).join('|')}>`, unsupported);
    for (const value of tag.values) {
      if (byTag.has(value)) return unsure('discriminated union with a repeated tag');
      byTag.set(value, accepts);
    }
  }
  return (value) => {
    if (!isPlainRecord(value)) return false;
    const accepts = byTag.get(value[discriminator]);
    return accepts !== undefined && accepts(value);
  };
}

/** An object made by a literal, as zod's parse makes them (zod also takes others, but copies them). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype;
}

function patternTest(pattern: RegExp): Accepts {
  return (value) => {
    pattern.lastIndex = 0;
    return pattern.test(value as string);
  };
}

/**
 * zod's length checks of strings and arrays. zod measures a string in code points (a surrogate
 * pair is one), and only counts them when the UTF-16 length leaves the answer in doubt.
 */
function lengthTest(check: CheckDef): Accepts | undefined {
  const { minimum, maximum, length: exact } = check;
  // A code point is one or two units: the count is needed only between n and 2n units.
  if (check.check === 'min_length' && minimum !== undefined)
    return (value) => {
      const units = (value as { length: number }).length;
      if (units < minimum || typeof value !== 'string' || units >= minimum * 2) return units >= minimum;
      return codePointLength(value) >= minimum;
    };
  if (check.check === 'max_length' && maximum !== undefined)
    return (value) => {
      const units = (value as { length: number }).length;
      if (units <= maximum || typeof value !== 'string') return units <= maximum;
      return codePointLength(value) <= maximum;
    };
  if (check.check === 'length_equals' && exact !== undefined)
    return (value) => {
      const units = (value as { length: number }).length;
      if (units < exact || typeof value !== 'string' || units > exact * 2) return units === exact;
      return codePointLength(value) === exact;
    };
  return undefined;
}

/** Code points of a string, a well-formed surrogate pair counting one (a lone surrogate one too). */
function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** zod's number checks: a safe integer, a lower and an upper bound. */
function numberTest(check: CheckDef): ((n: number) => boolean) | undefined {
  const { value: bound, inclusive } = check;
  if (check.check === 'number_format' && check.format === 'safeint') return (n) => Number.isSafeInteger(n);
  if (check.check === 'greater_than' && bound !== undefined)
    return inclusive ? (n) => n >= bound : (n) => n > bound;
  if (check.check === 'less_than' && bound !== undefined)
    return inclusive ? (n) => n <= bound : (n) => n < bound;
  return undefined;
}
