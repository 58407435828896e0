/**
 * The operator's printer test page: the certificate paper's copy-deterrent background (the same
 * 地紋 a certificate carries) under a heading that says it is a test and no certificate, the
 * terminal id and the time — no personal data, no seal. Printed through the same printer path as
 * certificates.
 */
import PDFDocument from 'pdfkit';
import {
  createCopyDeterrentPatterns,
  DEFAULT_COPY_DETERRENT,
  drawCopyDeterrent,
} from '../../certificate-templates/anti-forgery.ts';
import { loadKioskFonts } from '../../certificate-templates/fonts.ts';

export const TEST_PAGE_HEADING = 'テストページ（証明書ではありません） / TEST PAGE — NOT A CERTIFICATE';

export type TestPageResult = { ok: true; pdf: Uint8Array } | { ok: false; problem: 'fonts' | 'render' };

export async function renderTestPage(input: {
  terminalId: string;
  printedAt: Date;
}): Promise<TestPageResult> {
  const fonts = loadKioskFonts();
  if (!fonts.ok) return { ok: false, problem: 'fonts' };
  try {
    const pdf = new PDFDocument({
      size: 'A4',
      autoFirstPage: false,
      margin: 0,
      info: { Title: 'Kiosk printer test page', Producer: 'konbini-kofu-kiosk diagnostics' },
    });
    const chunks: Uint8Array[] = [];
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    const finished = new Promise<void>((resolve, reject) => {
      pdf.on('end', () => resolve());
      pdf.on('error', (e: unknown) => reject(e instanceof Error ? e : new Error('pdf stream error')));
    });
    // pdfkit (0.20+) accepts parsed fontkit fonts; its typings only list byte sources.
    pdf.registerFont('body', fonts.fonts.body as unknown as Uint8Array);
    const patterns = createCopyDeterrentPatterns(pdf, DEFAULT_COPY_DETERRENT);
    pdf.addPage({ size: 'A4', margin: 0 });
    drawCopyDeterrent(pdf, fonts.fonts.body, patterns, DEFAULT_COPY_DETERRENT);
    pdf.font('body').fontSize(16).fillColor('black');
    pdf.text(TEST_PAGE_HEADING, 50, 80, { width: pdf.page.width - 100, align: 'center' });
    pdf.fontSize(11);
    pdf.text(
      [
        `端末 / Terminal: ${input.terminalId}`,
        `印刷日時 / Printed: ${input.printedAt.toISOString()}`,
        '地紋（複写けん制）を確認してください。コピーすると「複写」の文字が浮かび上がります。',
        'Check the copy-deterrent background: on a photocopy the word 複写 appears.',
      ].join('\n'),
      70,
      160,
      { width: pdf.page.width - 140, lineGap: 8 },
    );
    pdf.end();
    await finished;
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    return { ok: true, pdf: bytes };
  } catch {
    return { ok: false, problem: 'render' };
  }
}
