/// <reference types="pdfkit" />
import type { CertificateDocument } from '../protocol/documents.ts';
import { line } from './draw.ts';
import type { Fitter, Sized } from './fit.ts';
import { PAGE_FRAME as F } from './page.ts';
import { drawOfficialSeal, sealLegend } from './official-seal.ts';
import { formatWareki, japanDateOf } from './wareki.ts';

/**
 * The certification block on the last page of every form: the 認証文, the issue date in 和暦,
 * the head of the municipality's title and name, and the 公印 overlapping the end of the name
 * as a stamped seal does. It sits right of the QR seal's column.
 */
export interface CertificationFit {
  statement: Sized;
  issueDate: string;
  mayor: Sized;
  sealLegend: string;
}

const SEAL_SIDE = 62;
const WIDTH = F.right - F.certifyLeft;

export function fitCertification(
  fitter: Fitter,
  document: CertificateDocument,
  statement: string,
): CertificationFit {
  const legend = sealLegend(document.municipality.mayorTitle);
  fitter.glyphs('municipality.mayorTitle', 'body', legend);
  const mayorText = `${document.municipality.mayorTitle}\u3000${document.municipality.mayorName}`;
  return {
    statement: fitter.fit('municipality.formTexts', 'body', statement, WIDTH, 10.5, 7.5),
    issueDate: formatWareki(japanDateOf(document.issuedAt)),
    mayor: fitter.fit('municipality.mayorName', 'name', mayorText, WIDTH - 84, 14, 9),
    sealLegend: legend,
  };
}

export function drawCertification(pdf: PDFKit.PDFDocument, fit: CertificationFit): void {
  const x = F.certifyLeft;
  line(pdf, fit.statement.font, fit.statement.size, fit.statement.text, x, F.certifyTop + 10, WIDTH);
  line(pdf, 'body', 10.5, fit.issueDate, x + 12, F.certifyTop + 34, WIDTH);
  const mayorMid = F.certifyTop + 78;
  line(pdf, fit.mayor.font, fit.mayor.size, fit.mayor.text, x, mayorMid, WIDTH - SEAL_SIDE + 14, 'right');
  drawOfficialSeal(pdf, fit.sealLegend, F.right - SEAL_SIDE, mayorMid - SEAL_SIDE / 2, SEAL_SIDE);
}
