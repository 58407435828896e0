import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readQrCodes } from './qr-reader.ts';
import type { PageWord, PrintedPage } from './verify-document.ts';

const run = promisify(execFile);

/**
 * Reads a printed certificate file into pages for verify-document.ts: a PDF (each page rendered
 * with poppler's pdftoppm for its QR, its text layer from pdftotext) or a scanned page (PNG or
 * JPEG: the QR only, no text layer). Debian `poppler-utils` provides the PDF tools.
 */
export type ReadError =
  | { kind: 'file-unreadable'; path: string }
  | { kind: 'file-type-unknown'; path: string }
  | { kind: 'pdf-unreadable'; path: string; detail: string };

export type FileKind = 'pdf' | 'png' | 'jpeg';

export function fileKindOf(bytes: Uint8Array): FileKind | undefined {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Resolution PDF pages are rendered at to find their QR (8 device px modules → 2.7 px). */
export const PDF_RENDER_DPI = 200;

function unescapeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** Words per page from `pdftotext -bbox` (XHTML: <page> … <word xMin yMin xMax yMax>text</word>). */
export function parseBboxPages(xhtml: string): PageWord[][] {
  const pages: PageWord[][] = [];
  for (const page of xhtml.split(/<page\b/u).slice(1)) {
    const words: PageWord[] = [];
    for (const m of page.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/gu,
    )) {
      words.push({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: unescapeXml(m[5] ?? ''),
      });
    }
    pages.push(words);
  }
  return pages;
}

async function readPdf(path: string, name: string): Promise<PrintedPage[] | ReadError> {
  const dir = await mkdtemp(join(tmpdir(), 'kofu-verify-'));
  try {
    const info = await run('pdfinfo', [path], { maxBuffer: 1 << 20 });
    const pageCount = Number(/^Pages:\s+(\d+)/mu.exec(info.stdout)?.[1] ?? NaN);
    if (!Number.isInteger(pageCount) || pageCount < 1 || pageCount > 99) {
      return { kind: 'pdf-unreadable', path, detail: 'page count' };
    }
    await run('pdftoppm', ['-r', String(PDF_RENDER_DPI), '-gray', '-png', path, join(dir, 'page')]);
    const images = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
    const bbox = await run('pdftotext', ['-bbox', path, '-'], { maxBuffer: 64 << 20 });
    const words = parseBboxPages(bbox.stdout);
    const pages: PrintedPage[] = [];
    for (let i = 1; i <= pageCount; i++) {
      const text = await run('pdftotext', ['-layout', '-f', String(i), '-l', String(i), path, '-'], {
        maxBuffer: 16 << 20,
      });
      const image = images[i - 1];
      const qr = image ? await readQrCodes(await readFile(join(dir, image))) : [];
      pages.push({
        source: `${name} page ${i}`,
        qrTexts: qr.map((q) => q.text),
        text: text.stdout,
        words: words[i - 1] ?? [],
      });
    }
    return pages;
  } catch (e) {
    return {
      kind: 'pdf-unreadable',
      path,
      detail: e instanceof Error ? e.message.split('\n')[0]! : 'unknown',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads one file's bytes into printed pages. `name` labels the pages in reports. */
export async function readPrintedBytes(bytes: Uint8Array, name: string): Promise<PrintedPage[] | ReadError> {
  const kind = fileKindOf(bytes);
  if (!kind) return { kind: 'file-type-unknown', path: name };
  if (kind !== 'pdf') {
    const qr = await readQrCodes(bytes);
    return [{ source: name, qrTexts: qr.map((q) => q.text) }];
  }
  const dir = await mkdtemp(join(tmpdir(), 'kofu-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    await writeFile(path, bytes);
    return await readPdf(path, name);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readPrintedFile(path: string): Promise<PrintedPage[] | ReadError> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return { kind: 'file-unreadable', path };
  }
  return readPrintedBytes(bytes, path);
}
