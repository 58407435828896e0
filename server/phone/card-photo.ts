/**
 * The 券面AP face photo (JPEG 2000, JP2 file or bare codestream) and the selfie (JPEG, PNG, WebP,
 * HEIF where sharp reads it) decoded to RGB pixels, in memory. JPEG 2000 is decoded by OpenJPEG
 * (the WebAssembly build in @cornerstonejs/codec-openjpeg); the other formats by sharp (libvips).
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { RgbImage } from './face-model.ts';

interface OpenJpegDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete(): void;
}
interface OpenJpegDecodeModule {
  J2KDecoder: new () => OpenJpegDecoder;
}

let openJpeg: Promise<OpenJpegDecodeModule> | undefined;

function loadDecoder(): Promise<OpenJpegDecodeModule> {
  openJpeg ??= (async () => {
    const factory = createRequire(import.meta.url)(
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
    ) as (options: { print: () => void; printErr: () => void }) => Promise<OpenJpegDecodeModule>;
    return factory({ print: () => undefined, printErr: () => undefined });
  })();
  return openJpeg;
}

export type DecodeResult = { kind: 'image'; image: RgbImage } | { kind: 'unreadable'; detail: string };

const MAX_PIXELS = 4096 * 4096;
const JP2_SIGNATURE = Buffer.from('0000000c6a5020200d0a870a', 'hex');

/** The `jp2c` box's payload (the codestream) of a JP2 file; a bare codestream as it is. */
function codestreamOf(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) return bytes;
  if (!Buffer.from(bytes.subarray(0, 12)).equals(JP2_SIGNATURE)) return undefined;
  let at = 0;
  while (at + 8 <= bytes.length) {
    const length = Buffer.from(bytes.subarray(at, at + 4)).readUInt32BE(0);
    const type = Buffer.from(bytes.subarray(at + 4, at + 8)).toString('latin1');
    const end = length === 0 ? bytes.length : at + length;
    if (length !== 0 && (length < 8 || end > bytes.length)) return undefined;
    if (type === 'jp2c') return bytes.subarray(at + 8, end);
    at = end;
  }
  return undefined;
}

/** Greyscale photos become RGB (a card's photo may be either). */
function toRgb(pixels: Uint8Array, width: number, height: number, components: number): RgbImage | undefined {
  if (components === 3) return { width, height, rgb: pixels };
  if (components !== 1) return undefined;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(pixels[i]!, i * 3, i * 3 + 3);
  return { width, height, rgb };
}

export async function decodeJpeg2000(bytes: Uint8Array): Promise<DecodeResult> {
  const codestream = codestreamOf(bytes);
  if (!codestream) return { kind: 'unreadable', detail: 'not a JP2 file or J2K codestream' };
  const codec = await loadDecoder();
  const decoder = new codec.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    if (frame.bitsPerSample !== 8 || frame.width * frame.height > MAX_PIXELS)
      return { kind: 'unreadable', detail: 'not an 8-bit photo of a sensible size' };
    const image = toRgb(
      Uint8Array.from(decoder.getDecodedBuffer()),
      frame.width,
      frame.height,
      frame.componentCount,
    );
    return image ? { kind: 'image', image } : { kind: 'unreadable', detail: 'neither greyscale nor RGB' };
  } catch {
    return { kind: 'unreadable', detail: 'OpenJPEG could not decode it' };
  } finally {
    decoder.delete();
  }
}

/** A selfie (any format sharp reads), turned upright by its EXIF orientation, at most `maxSide` px. */
export async function decodeSelfie(bytes: Uint8Array, maxSide = 640): Promise<DecodeResult> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = toRgb(new Uint8Array(data), info.width, info.height, info.channels);
    return image ? { kind: 'image', image } : { kind: 'unreadable', detail: 'unexpected channels' };
  } catch {
    return { kind: 'unreadable', detail: 'not an image sharp can read' };
  }
}
