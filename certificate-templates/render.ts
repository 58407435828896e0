import PDFDocument from 'pdfkit';
import type { Font } from 'fontkit';
import { CertificateDocumentSchema, type CertificateDocument } from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA, type CertificateType } from '../protocol/certificate-types.ts';
import {
  checkCopyDeterrent,
  createCopyDeterrentPatterns,
  DEFAULT_COPY_DETERRENT,
  drawCopyDeterrent,
  type CopyDeterrentError,
  type CopyDeterrentOptions,
} from './anti-forgery.ts';
import { BACK_SIDE_HEADING, BACK_SIDE_NOTICE, backSideFooter } from './back-side.ts';
import { INK, line, type FontName } from './draw.ts';
import { formText } from './form-texts.ts';
import {
  createMarkPatterns,
  DEFAULT_MARKS,
  drawLatentMark,
  drawMicrotext,
  LATENT_BOX,
  type MarkOptions,
} from './marks.ts';
import { loadKioskFonts, type FontError, type FontOptions } from './fonts.ts';
import type { LayoutError } from './fit.ts';
import { layoutFor } from './layout.ts';
import { JUMINHYO_FRAME, PAGE } from './juminhyo.ts';
import { DEFAULT_QR, drawQr, QR_QUIET_ZONE_MODULES, qrSymbol, type QrOptions, type QrSymbol } from './qr.ts';
import { sealToQrText } from './seal-text.ts';

export type RenderError =
  | FontError
  | LayoutError
  | CopyDeterrentError
  | { kind: 'invalid-document'; path: string }
  | { kind: 'unsupported-certificate-type'; certificateType: CertificateType }
  | { kind: 'seal-too-large'; bytes: number }
  | { kind: 'seal-count'; expected: number; actual: number }
  | { kind: 'render-failed'; detail: string };

export interface RenderOptions {
  fonts?: FontOptions;
  copyDeterrent?: Partial<CopyDeterrentOptions>;
  qr?: Partial<QrOptions>;
  marks?: Partial<MarkOptions>;
  /**
   * The printer duplexes: each front page is followed by its back side (地紋, microtext, the
   * security statement, the document id and which page it backs; no seal, no personal data).
   * Seals and "i / n" count front pages only.
   */
  duplex?: boolean;
}

export interface RenderInput {
  document: CertificateDocument;
  /** The page seals from the municipal issuing server (protocol/seal.ts), page 1 first. */
  seals: readonly Uint8Array[];
  /** When the paper is printed (PDF creation date); defaults to now. */
  printedAt?: Date;
  options?: RenderOptions;
}

export type RenderResult = { ok: true; pdf: Uint8Array } | { ok: false; error: RenderError };

/**
 * What the QR is, and no more: it proves who signed the page's number and main entries; whether
 * the paper says the same is checked by comparing the two (by eye, or `npm run verify`).
 */
export const QR_CAPTION =
  '左の二次元コードは、発行した市区町村の電子署名付きの記録です（証明書番号、ページ番号、このページの氏名・住所等の主な記載事項）。' +
  '市区町村の公開鍵で署名を確かめ、記録された事項がこのページの記載と一致するかを照合できます。';

const F = JUMINHYO_FRAME;

/**
 * Renders a certified document as a print-ready A4 PDF with both 明朝 fonts embedded (subset),
 * the copy-deterrent background on every page, and on every page the document id,
 * 「i / n ページ」 and the QR seal. Never throws: every failure is a typed RenderError.
 * The PDF's metadata carries no personal data (title, municipality and document id only).
 */
export async function renderCertificatePdf(input: RenderInput): Promise<RenderResult> {
  const parsed = CertificateDocumentSchema.safeParse(input.document);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    return { ok: false, error: { kind: 'invalid-document', path } };
  }
  const document = parsed.data;
  const copyDeterrent: CopyDeterrentOptions = { ...DEFAULT_COPY_DETERRENT, ...input.options?.copyDeterrent };
  const deterrentError = checkCopyDeterrent(copyDeterrent);
  if (deterrentError) return { ok: false, error: deterrentError };
  const qrOptions: QrOptions = { ...DEFAULT_QR, ...input.options?.qr };
  const marks: MarkOptions = { ...DEFAULT_MARKS, ...input.options?.marks };

  const loaded = loadKioskFonts(input.options?.fonts);
  if (!loaded.ok) return { ok: false, error: loaded.error };
  const fonts: Record<FontName, Font> = { body: loaded.fonts.body, name: loaded.fonts.name };

  if (input.seals.length !== document.pageCount) {
    return {
      ok: false,
      error: { kind: 'seal-count', expected: document.pageCount, actual: input.seals.length },
    };
  }
  // Each page carries its own seal (page i of n and that page's facts).
  const symbols: QrSymbol[] = [];
  for (const seal of input.seals) {
    let symbol: QrSymbol;
    try {
      symbol = qrSymbol(sealToQrText(seal), qrOptions);
    } catch {
      return { ok: false, error: { kind: 'seal-too-large', bytes: seal.length } };
    }
    if (F.footerY - 10 - symbol.sidePt < F.certifyTop) {
      return { ok: false, error: { kind: 'seal-too-large', bytes: seal.length } };
    }
    symbols.push(symbol);
  }

  const printedAt = input.printedAt ?? new Date();
  try {
    const pdf = new PDFDocument({
      size: 'A4',
      autoFirstPage: false,
      margin: 0,
      info: {
        Title: CERTIFICATE_TITLES_JA[document.certificateType],
        Author: document.municipality.name,
        Subject: document.documentId,
        Producer: 'konbini-kofu-kiosk certificate-templates',
        CreationDate: printedAt,
      },
    });
    const chunks: Uint8Array[] = [];
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    const finished = new Promise<void>((resolve, reject) => {
      pdf.on('end', () => resolve());
      pdf.on('error', (e: unknown) => reject(e instanceof Error ? e : new Error('pdf stream error')));
    });
    // pdfkit (0.20+) accepts parsed fontkit fonts; its typings only list byte sources.
    pdf.registerFont('body', fonts.body as unknown as Uint8Array);
    pdf.registerFont('name', fonts.name as unknown as Uint8Array);

    const layout = layoutFor(pdf, fonts, document);
    if (!layout.ok) {
      pdf.end();
      await finished;
      return { ok: false, error: layout.error };
    }
    const patterns = createCopyDeterrentPatterns(pdf, copyDeterrent);
    const markPatterns = createMarkPatterns(pdf, marks);
    const pageCount = layout.pageCount;
    for (let i = 0; i < pageCount; i++) {
      pdf.addPage({ size: 'A4', margin: 0 });
      drawCopyDeterrent(pdf, fonts.body, patterns, copyDeterrent);
      drawLatentMark(pdf, fonts.body, markPatterns, marks);
      drawMicrotext(pdf, document.documentId, marks);
      layout.drawPage(i);
      const symbol = symbols[i];
      if (!symbol) throw new Error(`no seal for page ${i + 1}`);
      drawPageFurniture(pdf, document, symbol, qrOptions, F.footerY - 10 - symbol.sidePt, i, pageCount);
      if (input.options?.duplex) {
        pdf.addPage({ size: 'A4', margin: 0 });
        drawCopyDeterrent(pdf, fonts.body, patterns, copyDeterrent);
        drawMicrotext(pdf, document.documentId, marks);
        drawBackSide(pdf, document.documentId, i, pageCount);
      }
    }
    pdf.end();
    await finished;
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    return { ok: true, pdf: bytes };
  } catch (e) {
    return {
      ok: false,
      error: { kind: 'render-failed', detail: e instanceof Error ? e.message : 'unknown' },
    };
  }
}

/**
 * The printed 偽造防止 notice: two lines in the top margin, between the microtext and the title,
 * left of the latent mark it describes (a line of its own: text extraction keeps it whole).
 */
export const NOTICE_BOX = { x: F.left, y: 20, width: LATENT_BOX.x - F.left - 10 } as const;

/** The back of front page `index`: the fixed security statement and which page it backs. */
function drawBackSide(pdf: PDFKit.PDFDocument, documentId: string, index: number, pageCount: number): void {
  const width = F.right - F.left;
  line(pdf, 'body', 14, BACK_SIDE_HEADING, F.left, 90, width, 'center');
  pdf.font('body').fontSize(10).fillColor(INK);
  pdf.text(BACK_SIDE_NOTICE.join('\n'), F.left + 20, 130, { width: width - 40, lineGap: 6 });
  line(
    pdf,
    'body',
    9,
    backSideFooter(documentId, index + 1, pageCount),
    F.left,
    F.footerY + 8,
    width,
    'center',
  );
}

/** Document id, page i / n and the QR seal with its caption: on every page. */
function drawPageFurniture(
  pdf: PDFKit.PDFDocument,
  document: CertificateDocument,
  symbol: QrSymbol,
  qr: QrOptions,
  qrTop: number,
  index: number,
  pageCount: number,
): void {
  const modulePt = (qr.modulePx * 72) / qr.deviceDpi;
  const qrLeft = F.left - QR_QUIET_ZONE_MODULES * modulePt;
  drawQr(pdf, symbol, qrLeft, qrTop, qr);
  const captionLeft = qrLeft + symbol.sidePt + 6;
  const captionWidth = 250;
  pdf
    .font('body')
    .fontSize(6.5)
    .fillColor([0, 0, 0, 100])
    .text(QR_CAPTION, captionLeft, F.footerY - 44, { width: captionWidth, lineGap: 1.5 });
  pdf.font('body').fontSize(5.5).text(formText(document, 'notice.front'), NOTICE_BOX.x, NOTICE_BOX.y, {
    width: NOTICE_BOX.width,
    lineGap: 1,
  });
  const width = F.right - F.left;
  line(pdf, 'body', 8, `証明書番号\u3000${document.documentId}`, F.left, F.footerY + 8, width, 'left');
  line(pdf, 'body', 9, `${index + 1} / ${pageCount} ページ`, F.left, F.footerY + 8, width, 'right');
}

export { PAGE };
