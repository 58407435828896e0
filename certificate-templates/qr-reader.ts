import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/**
 * Reads QR codes from an image file's bytes (PNG or JPEG) or from RGBA pixels with ZXing-C++
 * (zxing-wasm). The WebAssembly binary comes from the installed package: nothing is downloaded.
 */
let ready: Promise<unknown> | undefined;

function prepare(): Promise<unknown> {
  if (!ready) {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = readFileSync(wasmPath);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}

export interface QrRead {
  text: string;
  /** Corner points in image pixels (top-left first), for telling codes apart. */
  position: { x: number; y: number }[];
}

/** Every QR code in the image, hostile input giving an empty list rather than an exception. */
export async function readQrCodes(image: Uint8Array): Promise<QrRead[]> {
  await prepare();
  try {
    const results = await readBarcodes(new Uint8Array(image), {
      formats: ['QRCode'],
      tryHarder: true,
      tryRotate: true,
      maxNumberOfSymbols: 8,
    });
    return results
      .filter((r) => r.isValid)
      .map((r) => ({
        text: r.text,
        position: [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft],
      }));
  } catch {
    return [];
  }
}
