/** BER-TLV encoding for the card's data files (tags of one or two bytes, definite lengths). */

export function berLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  throw new RangeError('TLV value too long for a card file');
}

function tagBytes(tag: number): Uint8Array {
  return tag > 0xff ? Uint8Array.of(tag >> 8, tag & 0xff) : Uint8Array.of(tag);
}

export function berTlv(tag: number, value: Uint8Array): Uint8Array {
  const t = tagBytes(tag);
  const l = berLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface BerElement {
  tag: number;
  value: Uint8Array;
}

/** Parses consecutive BER-TLVs (tag `xF`-ending first byte = two-byte tag). Null when malformed. */
export function parseBerTlvs(data: Uint8Array): BerElement[] | null {
  const out: BerElement[] = [];
  let at = 0;
  while (at < data.length) {
    let tag = data[at++]!;
    if ((tag & 0x1f) === 0x1f) {
      if (at >= data.length) return null;
      tag = (tag << 8) | data[at++]!;
    }
    if (at >= data.length) return null;
    let len = data[at++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 2 || at + n > data.length) return null;
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | data[at++]!;
    }
    if (at + len > data.length) return null;
    out.push({ tag, value: data.subarray(at, at + len) });
    at += len;
  }
  return out;
}

/**
 * The card's `FF20 { DF21 offsets, DFxx … }` shape: DF21 holds, per following element, its
 * 2-byte offset from the start of FF20's value (our reading of "offsets").
 */
export function offsetIndexedTemplate(elements: readonly BerElement[]): Uint8Array {
  const encoded = elements.map((e) => berTlv(e.tag, e.value));
  const indexTlv = berTlv(0xdf21, new Uint8Array(2 * elements.length));
  const offsets = new Uint8Array(2 * elements.length);
  let at = indexTlv.length;
  encoded.forEach((e, i) => {
    offsets[2 * i] = at >> 8;
    offsets[2 * i + 1] = at & 0xff;
    at += e.length;
  });
  return berTlv(0xff20, concatBytes([berTlv(0xdf21, offsets), ...encoded]));
}
