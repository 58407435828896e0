/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import type { CertificateDocument } from '../protocol/documents.ts';
import { fitSize, type FontName } from './draw.ts';
import { firstMissingCodePoint } from './fonts.ts';

/**
 * Why a document cannot be laid out on its form. `field` is the document path of the value
 * (e.g. `members[2].name`), never the value itself.
 */
export type LayoutError =
  | { kind: 'content-too-long'; field: string }
  | { kind: 'glyph-missing'; field: string; codePoint: string }
  | { kind: 'page-count-mismatch'; expected: number; actual: number }
  | { kind: 'image-resolution-too-low'; field: string; ppi: number };

export type Sized = { text: string; size: number };

export interface FitInput {
  pdf: PDFKit.PDFDocument;
  fonts: Record<FontName, Font>;
  document: CertificateDocument;
}

/**
 * Measures texts for a form and keeps the first failure: a character the font cannot draw, or a
 * text that does not fit its width even at the smallest size the form allows.
 */
export class Fitter {
  failure: LayoutError | undefined;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly fonts: Record<FontName, Font>,
  ) {}

  fit(field: string, font: FontName, text: string, width: number, preferred: number, min: number): Sized {
    if (this.failure) return { text, size: min };
    const missing = firstMissingCodePoint(this.fonts[font], text);
    if (missing) {
      this.failure = { kind: 'glyph-missing', field, codePoint: missing };
      return { text, size: min };
    }
    const size = fitSize(this.pdf, font, text, width, preferred, min);
    if (size === undefined) this.failure = { kind: 'content-too-long', field };
    return { text, size: size ?? min };
  }

  optional(
    field: string,
    font: FontName,
    text: string | undefined,
    width: number,
    preferred: number,
    min: number,
  ): Sized | undefined {
    return text ? this.fit(field, font, text, width, preferred, min) : undefined;
  }

  /** Checks a text drawn at a fixed size (labels, seal legends) for missing glyphs only. */
  glyphs(field: string, font: FontName, text: string): void {
    if (this.failure) return;
    const missing = firstMissingCodePoint(this.fonts[font], text);
    if (missing) this.failure = { kind: 'glyph-missing', field, codePoint: missing };
  }

  fail(error: LayoutError): void {
    this.failure ??= error;
  }
}
