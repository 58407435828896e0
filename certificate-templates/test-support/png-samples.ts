import { deflateSync } from 'node:zlib';
import { pngFile, type PngChunk } from '../png-file.ts';

/** Hand-made PNGs for the impression tests: any colour type and depth, from raw rows. */
export interface RawPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace?: number;
  /** The rows as stored: each a filter byte then the packed pixels. */
  rows: Buffer;
  palette?: Buffer;
  transparency?: Buffer;
}

export function rawPng(image: RawPng): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = image.bitDepth;
  header[9] = image.colourType;
  header[12] = image.interlace ?? 0;
  const chunks: PngChunk[] = [{ type: 'IHDR', data: header }];
  if (image.palette) chunks.push({ type: 'PLTE', data: image.palette });
  if (image.transparency) chunks.push({ type: 'tRNS', data: image.transparency });
  chunks.push({ type: 'IDAT', data: deflateSync(image.rows) });
  chunks.push({ type: 'IEND', data: Buffer.alloc(0) });
  return pngFile(chunks);
}

/** Bytes a stored row takes: the filter byte and the packed pixels. */
export function rowBytes(width: number, bitsPerPixel: number): number {
  return 1 + Math.ceil((width * bitsPerPixel) / 8);
}
