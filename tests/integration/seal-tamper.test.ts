/**
 * Tamper tests for `npm run verify`: forgeries made with qpdf (pages swapped, repeated, removed,
 * pages laid over pages), pdfkit (QR codes and text laid over a genuine page) and ImageMagick
 * (a slightly rotated 300 dpi scan). Each forgery fails with its own reason; the genuine PDF and
 * its scan pass. Needs Debian qpdf, imagemagick and poppler-utils.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';
import type { CertificateDocument } from '../../protocol/documents.ts';
import { createPageSeals } from '../../protocol/seal.ts';
import {
  testRootKey,
  testSealKey,
  testSignedKeyList,
  type TestSealKey,
} from '../../protocol/test-support/seal-keys.ts';
import { loadKioskFonts } from '../../certificate-templates/fonts.ts';
import { JUMINHYO_FRAME } from '../../certificate-templates/juminhyo.ts';
import { DEFAULT_QR, drawQr, QR_QUIET_ZONE_MODULES, qrSymbol } from '../../certificate-templates/qr.ts';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import { parseBboxPages } from '../../certificate-templates/read-printed.ts';
import { sealToQrText } from '../../certificate-templates/seal-text.ts';
import { sampleCertificate, sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import { verifyPrintedFiles } from '../../certificate-templates/verify-files.ts';
import { keysFromList, rootKeysFromPem } from '../../certificate-templates/verify-keys.ts';
import { reportJson } from '../../certificate-templates/verify-report.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

let dir: string;
const chiyoda = testSealKey('131016');
const miyakonojo = testSealKey('452025');
const yokohama = testSealKey('141003');
const revoked = testSealKey('131016', { status: 'revoked', revokedAt: '2026-11-01T00:00:00Z' });

const documentA = sampleHousehold(6);
const documentB: CertificateDocument = (() => {
  const base = sampleHousehold(5);
  return {
    ...base,
    documentId: 'T3ST0000DOC0000B',
    content: {
      ...base.content,
      address: '東京都千代田区神田神保町三丁目5番',
      members: base.content.members.map((m, i) => ({
        ...m,
        name: `鈴木\u3000${['一', '二', '三', '四', '五'][i]}郎`,
      })),
      householdHead: '鈴木\u3000一郎',
    },
  };
})();
const tax = sampleCertificate('shotoku-kazei');
/** One page is enough where the reason is the key. */
const onePage = sampleHousehold(2);

interface Verified {
  code: number;
  report: { ok: boolean; failures: { kind: string }[]; pages: unknown[]; notices: unknown[] };
}

/** Runs `npm run verify -- FILES --keys … --root … --json` and returns its exit code and report. */
async function verifyByCommand(...files: string[]): Promise<Verified> {
  const args = [
    'tsx',
    'scripts/verify.ts',
    ...files,
    '--keys',
    join(dir, 'keys.json'),
    '--root',
    join(dir, 'root.pem'),
    '--json',
  ];
  try {
    const { stdout } = await run('npx', args, { cwd: ROOT, maxBuffer: 16 << 20 });
    return { code: 0, report: JSON.parse(stdout) as Verified['report'] };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, report: JSON.parse(failed.stdout ?? '{}') as Verified['report'] };
  }
}

/**
 * What `npm run verify -- FILES --keys … --root … --json` does (scripts/verify.ts), in this process:
 * the same key list and roots, the same verification and JSON report, exit code 0 or 1. The command
 * itself is run for the genuine PDF and one forgery; starting tsx for every paper cost a minute.
 */
async function verify(...files: string[]): Promise<Verified> {
  const roots = rootKeysFromPem(await readFile(join(dir, 'root.pem'), 'utf8'));
  if (!(roots instanceof Map)) throw new Error(`root keys: ${roots.kind}`);
  const loaded = keysFromList(JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')), roots);
  if ('kind' in loaded) throw new Error(`key list: ${loaded.kind}`);
  const papers = await Promise.all(files.map(async (name) => ({ name, bytes: await readFile(name) })));
  const result = await verifyPrintedFiles(papers, loaded.keys);
  if (!result.ok) throw new Error(`cannot read ${result.error.path}: ${result.error.kind}`);
  const report = JSON.parse(JSON.stringify(reportJson(result.report))) as Verified['report'];
  return { code: result.report.ok ? 0 : 1, report };
}

const kinds = (v: Verified) => v.report.failures.map((f) => f.kind);

async function sealedPdf(name: string, document: CertificateDocument, key: TestSealKey): Promise<string> {
  const seals = await createPageSeals(document, key.signer);
  const rendered = await renderCertificatePdf({ document, seals });
  if (!rendered.ok) throw new Error(JSON.stringify(rendered.error));
  const path = join(dir, name);
  await writeFile(path, rendered.pdf);
  return path;
}

/** A one-page A4 PDF drawn with pdfkit, to lay over a genuine page with qpdf --overlay. */
async function overlayPdf(name: string, draw: (pdf: PDFKit.PDFDocument) => void): Promise<string> {
  const pdf = new PDFDocument({ size: 'A4', margin: 0 });
  const fonts = loadKioskFonts();
  if (!fonts.ok) throw new Error(fonts.error.kind);
  pdf.registerFont('body', fonts.fonts.body as unknown as Uint8Array);
  const chunks: Uint8Array[] = [];
  pdf.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<void>((resolve) => pdf.on('end', () => resolve()));
  draw(pdf);
  pdf.end();
  await done;
  const path = join(dir, name);
  await writeFile(path, Buffer.concat(chunks));
  return path;
}

async function qpdf(...args: string[]): Promise<void> {
  await run('qpdf', args);
}

/** The box of the first word on a page that `match` accepts (pdftotext -bbox). */
async function wordBox(pdf: string, page: number, match: (text: string) => boolean) {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-']);
  const word = parseBboxPages(stdout)[page - 1]?.find((w) => match(w.text));
  if (!word) throw new Error('word not found');
  return word;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seal-tamper-'));
  const root = testRootKey();
  await writeFile(join(dir, 'root.pem'), root.publicKeyPem);
  await writeFile(
    join(dir, 'keys.json'),
    JSON.stringify(testSignedKeyList(root, [chiyoda, miyakonojo, yokohama, revoked])),
  );
  await sealedPdf('a.pdf', documentA, chiyoda);
  await sealedPdf('b.pdf', documentB, chiyoda);
  await sealedPdf('tax.pdf', tax, miyakonojo);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run verify: genuine papers pass', { timeout: 300_000 }, () => {
  it('passes the genuine two-page PDF, printing the signed facts', async () => {
    const result = await verifyByCommand(join(dir, 'a.pdf'));
    expect(kinds(result)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.report.pages).toHaveLength(2);
  });

  it('passes its 300 dpi scan, slightly rotated, as PNG and JPEG pages', async () => {
    await run('pdftoppm', ['-r', '300', '-gray', '-png', join(dir, 'a.pdf'), join(dir, 'scan')]);
    await run('convert', [
      join(dir, 'scan-1.png'),
      '-background',
      'white',
      '-rotate',
      '1.5',
      join(dir, 'scan-1r.png'),
    ]);
    await run('convert', [
      join(dir, 'scan-2.png'),
      '-background',
      'white',
      '-rotate',
      '-2',
      '-quality',
      '85',
      join(dir, 'scan-2r.jpg'),
    ]);
    const result = await verify(join(dir, 'scan-1r.png'), join(dir, 'scan-2r.jpg'));
    expect(kinds(result)).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe('npm run verify: forgeries fail with their reason', { timeout: 300_000 }, () => {
  it('a page swapped in from another document', async () => {
    const out = join(dir, 'swapped.pdf');
    await qpdf('--empty', '--pages', join(dir, 'a.pdf'), '1', join(dir, 'b.pdf'), '2', '--', out);
    const result = await verifyByCommand(out);
    expect(result.code).toBe(1);
    expect(kinds(result)).toContain('page-from-another-document');
  });

  it('a page repeated, and a page removed', async () => {
    const repeated = join(dir, 'repeated.pdf');
    await qpdf('--empty', '--pages', join(dir, 'a.pdf'), '1,1', '--', repeated);
    const both = await verify(repeated);
    expect(both.code).toBe(1);
    expect(kinds(both)).toEqual(expect.arrayContaining(['page-repeated', 'page-missing']));
    const removed = join(dir, 'removed.pdf');
    await qpdf('--empty', '--pages', join(dir, 'a.pdf'), '1', '--', removed);
    const missing = await verify(removed);
    expect(missing.code).toBe(1);
    expect(kinds(missing)).toEqual(['page-missing']);
  });

  it("a genuine page's QR copied onto another document's page", async () => {
    // Page 1 of A carries its own seal; lay it over the QR of page 1 of B.
    const [sealA1] = await createPageSeals(documentA, chiyoda.signer);
    const symbol = qrSymbol(sealToQrText(sealA1!), DEFAULT_QR);
    const modulePt = (DEFAULT_QR.modulePx * 72) / DEFAULT_QR.deviceDpi;
    const left = JUMINHYO_FRAME.left - QR_QUIET_ZONE_MODULES * modulePt;
    const top = JUMINHYO_FRAME.footerY - 10 - symbol.sidePt;
    const overlay = await overlayPdf('qr-overlay.pdf', (pdf) => {
      pdf.rect(left - 20, top - 20, symbol.sidePt + 40, symbol.sidePt + 30).fill('white');
      drawQr(pdf, symbol, left, top, DEFAULT_QR);
    });
    const out = join(dir, 'qr-copied.pdf');
    await qpdf(join(dir, 'b.pdf'), '--overlay', overlay, '--to=1', '--', out);
    const result = await verify(out);
    expect(result.code).toBe(1);
    expect(kinds(result)).toEqual(expect.arrayContaining(['text-differs', 'page-from-another-document']));
  });

  it('text laid over a genuine page (a higher income on a 所得・課税証明書)', async () => {
    const tax = join(dir, 'tax.pdf');
    expect((await verify(tax)).code).toBe(0);
    const box = await wordBox(tax, 1, (t) => t === '4,000,000円');
    const overlay = await overlayPdf('text-overlay.pdf', (pdf) => {
      pdf.rect(box.xMin - 1, box.yMin - 1, box.xMax - box.xMin + 30, box.yMax - box.yMin + 2).fill('white');
      pdf
        .font('body')
        .fontSize(box.yMax - box.yMin)
        .fillColor('black')
        .text('9,000,000円', box.xMin, box.yMin, { lineBreak: false });
    });
    const out = join(dir, 'text-overlaid.pdf');
    await qpdf(tax, '--overlay', overlay, '--', out);
    const result = await verify(out);
    expect(result.code).toBe(1);
    expect(kinds(result)).toContain('text-overlaid');
  });

  it("a seal made with another municipality's key", async () => {
    const result = await verify(await sealedPdf('other-municipality.pdf', onePage, yokohama));
    expect(result.code).toBe(1);
    expect(kinds(result)).toEqual(['seal-key-wrong-municipality']);
  });

  it('a seal made with a revoked key', async () => {
    const result = await verify(await sealedPdf('revoked.pdf', onePage, revoked));
    expect(result.code).toBe(1);
    expect(kinds(result)).toEqual(['seal-key-revoked']);
  });

  it('a key not on the root-signed list', async () => {
    const result = await verify(await sealedPdf('unknown.pdf', onePage, testSealKey('131016')));
    expect(result.code).toBe(1);
    expect(kinds(result)).toEqual(['seal-unknown-key']);
  });

  it('refuses a key list not signed by the root', async () => {
    const other = testRootKey();
    await writeFile(join(dir, 'other-root.pem'), other.publicKeyPem);
    const args = [
      'tsx',
      'scripts/verify.ts',
      join(dir, 'a.pdf'),
      '--keys',
      join(dir, 'keys.json'),
      '--root',
      join(dir, 'other-root.pem'),
    ];
    await expect(run('npx', args, { cwd: ROOT })).rejects.toMatchObject({ code: 2 });
  });
});
