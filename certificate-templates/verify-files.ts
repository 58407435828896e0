import type { PublishedSealKeys } from '../protocol/seal-keys.ts';
import { readPrintedBytes, type ReadError } from './read-printed.ts';
import { verifyPrintedDocument, type PrintedPage, type VerifyReport } from './verify-document.ts';

/**
 * Reads printed files (PDF, or scanned pages as PNG/JPEG, in page order) and verifies them as one
 * certificate: what `npm run verify` and the centre's public check page run.
 */
export async function verifyPrintedFiles(
  files: readonly { name: string; bytes: Uint8Array }[],
  keys: PublishedSealKeys,
): Promise<{ ok: true; report: VerifyReport } | { ok: false; error: ReadError }> {
  const pages: PrintedPage[] = [];
  for (const file of files) {
    const read = await readPrintedBytes(file.bytes, file.name);
    if (!Array.isArray(read)) return { ok: false, error: read };
    pages.push(...read);
  }
  return { ok: true, report: verifyPrintedDocument(pages, keys) };
}
