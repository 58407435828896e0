/**
 * A minimal valid JPEG 2000 file (JP2, ISO/IEC 15444-1), built from bytes: one greyscale 8-bit
 * component, one tile, no wavelet decomposition, one quality layer, and a single empty packet
 * (every coefficient zero, so a decoder shows flat mid-grey). Stands in for the face photo and the
 * name/address images of the virtual card's 券面AP. No downloaded files. A real face photo is
 * encoded by OpenJPEG (`encodeJp2`).
 */
import { createRequire } from 'node:module';
import { concatBytes } from './ber-tlv.ts';

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}
function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
function ascii(s: string): number[] {
  return [...Buffer.from(s, 'ascii')];
}
function box(type: string, payload: readonly number[] | Uint8Array): Uint8Array {
  return Uint8Array.from([...u32(8 + payload.length), ...ascii(type), ...payload]);
}

/** The JPEG 2000 codestream (SOC … EOC). */
export function minimalJ2kCodestream(width: number, height: number): Uint8Array {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > 4096 ||
    height > 4096
  )
    throw new RangeError('image size');
  const soc = [0xff, 0x4f];
  // SIZ: Rsiz, image and tile sizes/offsets, 1 component of 8 bits unsigned, no subsampling
  const siz = [0xff, 0x51, ...u16(41), ...u16(0), ...u32(width), ...u32(height), ...u32(0), ...u32(0)];
  siz.push(...u32(width), ...u32(height), ...u32(0), ...u32(0), ...u16(1), 0x07, 0x01, 0x01);
  // COD: no precincts/SOP/EPH, LRCP, 1 layer, no MCT, 0 decompositions, 64×64 code-blocks, 5-3 reversible
  const cod = [0xff, 0x52, ...u16(12), 0x00, 0x00, ...u16(1), 0x00, 0x00, 0x04, 0x04, 0x00, 0x01];
  // QCD: no quantisation, 2 guard bits, one subband (LL) with exponent 8
  const qcd = [0xff, 0x5c, ...u16(4), 0x40, 0x40];
  const packet = [0x00]; // one empty packet: "zero length" bit
  const psot = 12 + 2 + packet.length;
  const sot = [0xff, 0x90, ...u16(10), ...u16(0), ...u32(psot), 0x00, 0x01];
  const sod = [0xff, 0x93];
  const eoc = [0xff, 0xd9];
  return Uint8Array.from([...soc, ...siz, ...cod, ...qcd, ...sot, ...sod, ...packet, ...eoc]);
}

/** The JP2 file: signature, file type, header (ihdr + greyscale colr) and the codestream box. */
export function minimalJp2(width: number, height: number): Uint8Array {
  const signature = box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]);
  const ftyp = box('ftyp', [...ascii('jp2 '), ...u32(0), ...ascii('jp2 ')]);
  const ihdr = box('ihdr', [...u32(height), ...u32(width), ...u16(1), 0x07, 0x07, 0x00, 0x00]);
  const colr = box('colr', [0x01, 0x00, 0x00, ...u32(17)]);
  const jp2h = box('jp2h', concatBytes([ihdr, colr]));
  const jp2c = box('jp2c', minimalJ2kCodestream(width, height));
  return concatBytes([signature, ftyp, jp2h, jp2c]);
}

export interface Jp2Box {
  type: string;
  payload: Uint8Array;
}

/** Splits a JP2 file (or a superbox's payload) into boxes; null when the lengths do not add up. */
export function parseJp2Boxes(bytes: Uint8Array): Jp2Box[] | null {
  const out: Jp2Box[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return null;
    const len = ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
    if (len < 8 || at + len > bytes.length) return null;
    out.push({
      type: Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1'),
      payload: bytes.subarray(at + 8, at + len),
    });
    at += len;
  }
  return out;
}

/** An 8-bit RGB image, rows top to bottom, pixels interleaved R G B. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

interface OpenJpegEncoder {
  getDecodedBuffer(frame: {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }): Uint8Array;
  setQuality(lossless: boolean, quality: number): void;
  setDecompositions(levels: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}
interface OpenJpegModule {
  J2KEncoder: new () => OpenJpegEncoder;
}

let openJpeg: Promise<OpenJpegModule> | undefined;

/** OpenJPEG (WebAssembly build, @cornerstonejs/codec-openjpeg), loaded once; its log lines are dropped. */
function loadOpenJpeg(): Promise<OpenJpegModule> {
  openJpeg ??= (async () => {
    const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg/wasmjs') as (options: {
      print: () => void;
      printErr: () => void;
    }) => Promise<OpenJpegModule>;
    return factory({ print: () => undefined, printErr: () => undefined });
  })();
  return openJpeg;
}

/**
 * A colour JP2 file (sRGB) of the image, encoded by OpenJPEG: lossy (irreversible 9-7 wavelet),
 * `quality` the PSNR-like target OpenJPEG takes, as a card's face photo is stored.
 */
export async function encodeJp2(image: RgbImage, quality = 40): Promise<Uint8Array> {
  if (image.rgb.length !== image.width * image.height * 3) throw new RangeError('RGB buffer size');
  const codec = await loadOpenJpeg();
  const encoder = new codec.J2KEncoder();
  try {
    const input = encoder.getDecodedBuffer({
      width: image.width,
      height: image.height,
      bitsPerSample: 8,
      componentCount: 3,
      isSigned: false,
      isUsingColorTransform: true,
    });
    input.set(image.rgb);
    encoder.setQuality(false, quality);
    encoder.setDecompositions(4);
    encoder.encode();
    const codestream = Uint8Array.from(encoder.getEncodedBuffer());
    const signature = box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]);
    const ftyp = box('ftyp', [...ascii('jp2 '), ...u32(0), ...ascii('jp2 ')]);
    const ihdr = box('ihdr', [...u32(image.height), ...u32(image.width), ...u16(3), 0x07, 0x07, 0x00, 0x00]);
    const colr = box('colr', [0x01, 0x00, 0x00, ...u32(16)]); // enumerated sRGB
    return concatBytes([signature, ftyp, box('jp2h', concatBytes([ihdr, colr])), box('jp2c', codestream)]);
  } finally {
    encoder.delete();
  }
}
