/**
 * A strict DER reader for the few structures the centre checks on every authentication (the card's
 * certificate and the OCSP answer about it). Each element is an offset into the bytes it came
 * from: nothing is copied or decoded until it is asked for, which is what makes a check cheap.
 *
 * Strict on purpose — DER, not BER: definite lengths in their shortest form, single-byte tags,
 * no bytes after an element where one element is expected. Anything else is a `DerError`, which
 * the callers answer as a malformed certificate or OCSP answer.
 */

/** Universal tags and the context-specific ones the checks use, as their whole first byte. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  ia5String: 0x16,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A context-specific tag `[n]`: constructed (EXPLICIT, or IMPLICIT over a SEQUENCE) or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface DerElement {
  /** The first byte: class, constructed bit and tag number (0–30). */
  readonly tag: number;
  /** Where the element starts (its tag byte), where its content starts, and where it ends. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

const MAX_LENGTH_OCTETS = 4;

/** Reads the element starting at `offset`, which must end at or before `limit`. */
export function readElement(bytes: Uint8Array, offset = 0, limit = bytes.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  const first = bytes[offset + 1] as number;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const octets = first & 0x7f;
    if (octets === 0) throw new DerError('indefinite length');
    if (octets > MAX_LENGTH_OCTETS) throw new DerError('length too long');
    if (offset + 2 + octets > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (bytes[offset + 2 + i] as number);
    if (bytes[offset + 2] === 0 || length < 0x80) throw new DerError('length not in its shortest form');
    contentStart = offset + 2 + octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('content runs past its container');
  return { tag, start: offset, contentStart, end, bytes };
}

/** The bytes hold exactly one element. */
export function readWhole(bytes: Uint8Array): DerElement {
  const element = readElement(bytes);
  if (element.end !== bytes.length) throw new DerError('bytes after the element');
  return element;
}

/** The element, checked to carry `tag`. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element || element.tag !== tag) throw new DerError(`${what}: unexpected tag`);
  return element;
}

/** The elements inside a constructed element, which must fill it exactly. */
export function childrenOf(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) throw new DerError('not a constructed element');
  const children: DerElement[] = [];
  let offset = element.contentStart;
  while (offset < element.end) {
    const child = readElement(element.bytes, offset, element.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The one element inside an EXPLICIT wrapper. */
export function explicitInner(element: DerElement): DerElement {
  const inner = childrenOf(element);
  if (inner.length !== 1) throw new DerError('explicit tag does not hold one element');
  return inner[0] as DerElement;
}

/** The content bytes (a view, not a copy). */
export function contentOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.contentStart, element.end);
}

/** The whole element, header included (a view, not a copy). */
export function encodedOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.start, element.end);
}

/** An OBJECT IDENTIFIER's dotted form. */
export function oidOf(element: DerElement): string {
  const content = contentOf(expectTag(element, TAG.oid, 'object identifier'));
  if (content.length === 0) throw new DerError('empty object identifier');
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (const byte of content) {
    if (!started && byte === 0x80) throw new DerError('object identifier arc not in its shortest form');
    started = (byte & 0x80) !== 0;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('object identifier arc too large');
    if (!started) {
      arcs.push(value);
      value = 0;
    }
  }
  if (started) throw new DerError('object identifier ends inside an arc');
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** An INTEGER's content bytes (two's complement, big-endian), checked to be minimal. */
export function integerBytesOf(element: DerElement, tag: number = TAG.integer): Uint8Array {
  const content = contentOf(expectTag(element, tag, 'integer'));
  if (content.length === 0) throw new DerError('empty integer');
  if (
    content.length > 1 &&
    ((content[0] === 0 && ((content[1] as number) & 0x80) === 0) ||
      (content[0] === 0xff && ((content[1] as number) & 0x80) !== 0))
  )
    throw new DerError('integer not in its shortest form');
  return content;
}

/** A small non-negative INTEGER or ENUMERATED. */
export function smallIntegerOf(element: DerElement, tag: number = TAG.integer): number {
  const content = integerBytesOf(element, tag);
  if (content.length > 4 || ((content[0] as number) & 0x80) !== 0) throw new DerError('integer out of range');
  let value = 0;
  for (const byte of content) value = value * 256 + byte;
  return value;
}

/** A BOOLEAN (DER: 0x00 or 0xFF). */
export function booleanOf(element: DerElement): boolean {
  const content = contentOf(expectTag(element, TAG.boolean, 'boolean'));
  if (content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff))
    throw new DerError('boolean not 00 or FF');
  return content[0] === 0xff;
}

/** A BIT STRING's bits (a view) and how many trailing bits of the last byte are unused. */
export function bitStringOf(element: DerElement): { unusedBits: number; bits: Uint8Array } {
  const content = contentOf(expectTag(element, TAG.bitString, 'bit string'));
  const unusedBits = content[0];
  if (unusedBits === undefined || unusedBits > 7 || (content.length === 1 && unusedBits !== 0))
    throw new DerError('bit string malformed');
  return { unusedBits, bits: content.subarray(1) };
}

/** An OCTET STRING's content (a view). */
export function octetsOf(element: DerElement): Uint8Array {
  return contentOf(expectTag(element, TAG.octetString, 'octet string'));
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/;

/** A UTCTime or GeneralizedTime in DER's form (UTC, seconds present, "Z"). */
export function timeOf(element: DerElement): Date {
  const text = Buffer.from(contentOf(element)).toString('latin1');
  let parts: RegExpExecArray | null;
  let year: number;
  if (element.tag === TAG.utcTime) {
    parts = UTC_TIME.exec(text);
    if (!parts) throw new DerError('UTCTime malformed');
    const yy = Number(parts[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy; // RFC 5280 §4.1.2.5.1
  } else if (element.tag === TAG.generalizedTime) {
    parts = GENERALIZED_TIME.exec(text);
    if (!parts) throw new DerError('GeneralizedTime malformed');
    year = Number(parts[1]);
  } else {
    throw new DerError('not a time');
  }
  const [month, day, hour, minute, second] = parts.slice(2, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = parts[7] ? Number(`0.${parts[7]}`) : 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(fraction * 1000);
  const date = new Date(ms);
  if (
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new DerError('time out of range');
  return date;
}

/** DER encoding, for the few structures the centre writes (an OCSP request). */
export function encodeElement(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of contents) length += c.length;
  const header: number[] = [tag];
  if (length < 0x80) header.push(length);
  else {
    const octets: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
    header.push(0x80 | octets.length, ...octets);
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let offset = header.length;
  for (const c of contents) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** An OBJECT IDENTIFIER's DER encoding. */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0))
    throw new DerError('object identifier malformed');
  const bytes: number[] = [];
  const values = [(arcs[0] as number) * 40 + (arcs[1] as number), ...arcs.slice(2)];
  for (const value of values) {
    const groups: number[] = [];
    for (let v = value; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    groups.forEach((g, i) => bytes.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return encodeElement(TAG.oid, new Uint8Array(bytes));
}
