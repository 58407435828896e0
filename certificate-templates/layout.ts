/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import type { CertificateDocument } from '../protocol/documents.ts';
import type { FontName } from './draw.ts';
import type { FitFailure } from './fit.ts';
import { drawJuminhyoPage, fitJuminhyo } from './juminhyo.ts';
import { drawKosekiPage, fitKoseki } from './koseki.ts';
import { drawRegisterFormPage, fitRegisterForm } from './register-forms.ts';

/** A document fitted to its form: how many front pages it takes and how to draw each. */
export type Layout = { ok: true; pageCount: number; drawPage(index: number): void } | FitFailure;

/** The form of the document's type: the 住民票, the 戸籍, or the register forms for every other type. */
export function layoutFor(
  pdf: PDFKit.PDFDocument,
  fonts: Record<FontName, Font>,
  document: CertificateDocument,
): Layout {
  if (document.content.kind === 'juminhyo') {
    const fitted = fitJuminhyo({ pdf, fonts, document });
    if (!fitted.ok) return fitted;
    return {
      ok: true,
      pageCount: fitted.fit.pages.length,
      drawPage: (i) => drawJuminhyoPage(pdf, fitted.fit, i),
    };
  }
  if (document.content.kind === 'koseki-zenbu' || document.content.kind === 'koseki-kojin') {
    const fitted = fitKoseki({ pdf, fonts, document });
    if (!fitted.ok) return fitted;
    return {
      ok: true,
      pageCount: fitted.fit.pages.length,
      drawPage: (i) => drawKosekiPage(pdf, fitted.fit, i),
    };
  }
  const fitted = fitRegisterForm({ pdf, fonts, document });
  if (!fitted.ok) return fitted;
  return {
    ok: true,
    pageCount: fitted.fit.pages.length,
    drawPage: (i) => drawRegisterFormPage(pdf, fitted.fit, i),
  };
}
