import canonicalize from 'canonicalize';

/**
 * Canonical JSON (RFC 8785 as the `canonicalize` package writes it: keys sorted by UTF-16 code
 * units, numbers and strings as JSON.stringify writes them), the same string `canonicalize`
 * answers for every value. The seal's document digest hashes it on the centre for every page it
 * seals and on the kiosk for every page it checks; `canonicalize` pays for a Set of visited
 * objects, a template string per key, an array join per container and a per-character loop in
 * JavaScript over every string. This writer does one pass for plain JSON data (null, booleans,
 * finite numbers, well-formed strings, arrays, objects without toJSON) and hands anything else,
 * and anything `canonicalize` would refuse, to `canonicalize` itself, so its answer and its
 * errors stay the ones it gives.
 */
export function canonicalJson(value: unknown): string | undefined {
  return writeValue(value, 0) ?? canonicalize(value);
}

/** Deeper than any document; past it (or a cycle) the value goes to `canonicalize`. */
const MAX_DEPTH = 256;

/** A lone surrogate, which `canonicalize` refuses: such strings go to it to be refused there. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What JSON.stringify escapes (quote, backslash, control characters) or checks (surrogates). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_CARE = /["\\\u0000-\u001F\uD800-\uDFFF]/;

function writeString(value: string): string | undefined {
  // Most strings need no escape: quoting them is what JSON.stringify would write, at a fraction
  // of its cost on two-byte (Japanese) strings.
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  return LONE_SURROGATE.test(value) ? undefined : JSON.stringify(value);
}

/** The canonical form of a plain JSON value, or undefined for anything else. */
function writeValue(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return undefined;
      return Array.isArray(value)
        ? writeArray(value as unknown[], depth + 1)
        : writeObject(value as Record<string, unknown>, depth + 1);
    default:
      // undefined, functions, symbols, bigints: what canonicalize makes of them, it says.
      return undefined;
  }
}

function writeArray(array: readonly unknown[], depth: number): string | undefined {
  let out = '[';
  for (let i = 0; i < array.length; i++) {
    // A hole or undefined element is canonicalize's to write (it writes null, or keeps the hole).
    const element = writeValue(array[i], depth);
    if (element === undefined) return undefined;
    out += i === 0 ? element : `,${element}`;
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>, depth: number): string | undefined {
  let out = '{';
  let first = true;
  // sort()'s default order, as canonicalize's: by UTF-16 code units.
  for (const key of Object.keys(object).sort()) {
    const entry = object[key];
    // canonicalize leaves out members whose value JSON has no form for, as JSON.stringify does.
    if (entry === undefined || typeof entry === 'symbol') continue;
    const name = writeString(key);
    const member = writeValue(entry, depth);
    if (name === undefined || member === undefined) return undefined;
    out += first ? `${name}:${member}` : `,${name}:${member}`;
    first = false;
  }
  return `${out}}`;
}
