import { inflateSync } from 'node:zlib';
import { chunkCrc, PNG_SIGNATURE } from './png-file.ts';

/** A PNG shown to decode: its header, palette and transparency as stored, and its rows inflated. */
export interface ProvenPng {
  widthPx: number;
  heightPx: number;
  bitDepth: number;
  colourType: number;
  /** Bytes of a stored row: the filter byte, then the packed pixels. */
  rowBytes: number;
  /** PLTE: red, green, blue a palette entry. */
  palette?: Buffer;
  /** tRNS as stored. */
  transparency?: Buffer;
  /** Every row, still filtered. */
  rows: Buffer;
}

/**
 * Whether a PNG decodes, told from its structure without unpacking it to RGBA: the chunks and
 * their CRCs, the header, the palette and transparency the colour type needs, and the image data
 * inflated to exactly the header's rows (each a known filter type and its bytes), palette indices
 * within the palette.
 *
 * A proof, not a verdict: the PNG comes back only when this proves the decoder (pngjs) reads it
 * — a strict, plain PNG. Anything else (interlaced, an unusual chunk order, a damaged file, a
 * row filtered in a palette image whose palette does not cover every index) is `undefined`, and
 * the caller asks the decoder itself.
 */
export function provenPng(png: Buffer): ProvenPng | undefined {
  if (png.length < PNG_SIGNATURE.length || !PNG_SIGNATURE.equals(png.subarray(0, PNG_SIGNATURE.length)))
    return undefined;
  let header: Header | undefined;
  let palette: Buffer | undefined;
  let transparency: Buffer | undefined;
  let sawData = false;
  const data: Buffer[] = [];
  let at = PNG_SIGNATURE.length;
  for (;;) {
    if (at + 12 > png.length) return undefined;
    const length = png.readUInt32BE(at);
    const end = at + 8 + length;
    if (length > png.length || end + 4 > png.length) return undefined;
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, end);
    const known = KNOWN_CHUNKS.has(type);
    // The decoder checks the CRC of the chunks it knows and skips the others' unread.
    if (known && chunkCrc(png, at + 4, end) !== png.readUInt32BE(end)) return undefined;
    at = end + 4;
    if (!header) {
      if (type !== 'IHDR') return undefined;
      header = headerOf(body);
      if (!header) return undefined;
      continue;
    }
    if (type === 'IEND') break;
    if (type === 'IDAT') {
      if (header.colourType === 3 && !palette) return undefined;
      sawData = true;
      data.push(body);
    } else if (type === 'PLTE') {
      if (sawData || palette || length === 0 || length % 3 !== 0 || length > 256 * 3) return undefined;
      palette = body;
    } else if (type === 'tRNS') {
      if (sawData || transparency || !transparencyFits(header.colourType, length, (palette?.length ?? 0) / 3))
        return undefined;
      transparency = body;
    } else if (type === 'gAMA') {
      if (length !== 4) return undefined;
    } else if (known || (type.charCodeAt(0) & 0x20) === 0) {
      return undefined; // a second IHDR, or a critical chunk the decoder does not know
    }
  }
  if (at !== png.length || !sawData) return undefined;
  const rowBytes = 1 + Math.ceil((header.width * header.bitsPerPixel) / 8);
  const imageBytes = rowBytes * header.height;
  let rows: Buffer;
  try {
    rows = inflateSync(Buffer.concat(data), { maxOutputLength: imageBytes });
  } catch {
    return undefined;
  }
  if (rows.length !== imageBytes) return undefined;
  let filtered = false;
  for (let row = 0; row < imageBytes; row += rowBytes) {
    const filter = rows[row]!;
    if (filter > 4) return undefined;
    if (filter !== 0) filtered = true;
  }
  const paletteEntries = (palette?.length ?? 0) / 3;
  if (header.colourType === 3 && paletteEntries < 1 << header.bitDepth) {
    if (filtered || !indicesWithin(rows, rowBytes, header, paletteEntries)) return undefined;
  }
  return {
    widthPx: header.width,
    heightPx: header.height,
    bitDepth: header.bitDepth,
    colourType: header.colourType,
    rowBytes,
    rows,
    ...(palette ? { palette } : {}),
    ...(transparency ? { transparency } : {}),
  };
}

const KNOWN_CHUNKS = new Set(['IHDR', 'IEND', 'IDAT', 'PLTE', 'tRNS', 'gAMA']);

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  bitsPerPixel: number;
}

/** Bit depths each colour type allows (ISO/IEC 15948 table 11.1), and its samples a pixel. */
const COLOUR_TYPES = new Map<number, { depths: readonly number[]; samples: number }>([
  [0, { depths: [1, 2, 4, 8, 16], samples: 1 }], // grey
  [2, { depths: [8, 16], samples: 3 }], // RGB
  [3, { depths: [1, 2, 4, 8], samples: 1 }], // palette
  [4, { depths: [8, 16], samples: 2 }], // grey + alpha
  [6, { depths: [8, 16], samples: 4 }], // RGBA
]);

/** A plain (non-interlaced) header with a size and a colour type and depth the standard allows. */
function headerOf(body: Buffer): Header | undefined {
  if (body.length !== 13) return undefined;
  const width = body.readUInt32BE(0);
  const height = body.readUInt32BE(4);
  const bitDepth = body[8]!;
  const colourType = body[9]!;
  const colour = COLOUR_TYPES.get(colourType);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  if (!colour?.depths.includes(bitDepth)) return undefined;
  if (body[10] !== 0 || body[11] !== 0 || body[12] !== 0) return undefined; // compression, filter, interlace
  return { width, height, bitDepth, colourType, bitsPerPixel: bitDepth * colour.samples };
}

/** tRNS as the colour type defines it: one alpha per palette entry at most, or one grey or RGB key. */
function transparencyFits(colourType: number, length: number, paletteEntries: number): boolean {
  if (colourType === 3) return paletteEntries > 0 && length <= paletteEntries;
  if (colourType === 0) return length === 2;
  if (colourType === 2) return length === 6;
  return false;
}

/** Every pixel's palette index below `entries` (rows unfiltered: filter type 0 throughout). */
function indicesWithin(rows: Buffer, rowBytes: number, header: Header, entries: number): boolean {
  const depth = header.bitDepth;
  const mask = (1 << depth) - 1;
  for (let row = 0; row < rows.length; row += rowBytes) {
    for (let x = 0; x < header.width; x++) {
      const bit = x * depth;
      const index = (rows[row + 1 + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
      if (index >= entries) return false;
    }
  }
  return true;
}

/**
 * The longest side any IHDR chunk of the PNG declares (0 when it has none), read without checking
 * anything else. pngjs sizes its buffers from the header before it looks at the data: a header
 * declaring about 2^31 pixels a row aborts the whole process (a failed assertion in Node's zlib,
 * which no try catches) and 10^8 allocates hundreds of megabytes, whatever the data holds.
 */
export function longestDeclaredSide(png: Buffer): number {
  let longest = 0;
  let at = PNG_SIGNATURE.length;
  while (at + 12 <= png.length) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IHDR' && length >= 8 && at + 16 <= png.length) {
      longest = Math.max(longest, png.readUInt32BE(at + 8), png.readUInt32BE(at + 12));
    }
    at += 12 + length;
  }
  return longest;
}
