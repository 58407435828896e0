/**
 * The PNG container (ISO/IEC 15948): the signature and CRC-checked chunks around the image data.
 * Writing only; what the chunks mean is the caller's business.
 */

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngChunk {
  /** Four ASCII letters, e.g. IHDR. */
  type: string;
  data: Buffer;
}

let crcTable: Uint32Array | undefined;

function tableOfCrc(): Uint32Array {
  if (crcTable) return crcTable;
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  crcTable = table;
  return table;
}

/** CRC-32 of a chunk's type and data, as its last four bytes hold it. */
export function chunkCrc(bytes: Uint8Array, start: number, end: number): number {
  const table = tableOfCrc();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (table[(c ^ bytes[i]!) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG file of these chunks, in this order (IHDR first, IEND last: the caller's to give). */
export function pngFile(chunks: readonly PngChunk[]): Buffer {
  const size = chunks.reduce((sum, chunk) => sum + 12 + chunk.data.length, PNG_SIGNATURE.length);
  const out = Buffer.alloc(size);
  PNG_SIGNATURE.copy(out, 0);
  let at = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    out.writeUInt32BE(chunk.data.length, at);
    out.write(chunk.type, at + 4, 4, 'latin1');
    chunk.data.copy(out, at + 8);
    const end = at + 8 + chunk.data.length;
    out.writeUInt32BE(chunkCrc(out, at + 4, end), end);
    at = end + 4;
  }
  return out;
}
