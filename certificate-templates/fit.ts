/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import type { CertificateDocument } from '../protocol/documents.ts';
import { fitSize, sizeForWidth, type FontName } from './draw.ts';
import { advanceWidthPerPoint, firstMissingCodePoint } from './fonts.ts';

/**
 * Why a document cannot be laid out on its form. `field` is the document path of the value
 * (e.g. `members[2].name`), never the value itself. `glyph-missing` means neither embedded
 * font draws the character.
 */
export type LayoutError =
  | { kind: 'content-too-long'; field: string }
  | { kind: 'glyph-missing'; field: string; codePoint: string }
  | { kind: 'page-count-mismatch'; expected: number; actual: number }
  | { kind: 'image-resolution-too-low'; field: string; ppi: number };

/** A measured text: the size it fits at and the embedded font that draws every character of it. */
export type Sized = { text: string; size: number; font: FontName };

/** What a form's fit step returns when the document does not fit: the first problem and all of them. */
export type FitFailure = { ok: false; error: LayoutError; problems: readonly LayoutError[] };

export interface FitInput {
  pdf: PDFKit.PDFDocument;
  fonts: Record<FontName, Font>;
  document: CertificateDocument;
}

const OTHER_FONT: Record<FontName, FontName> = { body: 'name', name: 'body' };

/**
 * Measures texts for a form and keeps every failure (the first is `failure`): a character
 * neither embedded font can draw, or a text that does not fit its width even at the smallest size
 * the form allows. A text whose own font lacks a character is drawn in the other embedded font
 * when that one has them all (IPAmj明朝 holds the MJ set, IPAex明朝 some symbols IPAmj lacks).
 */
export class Fitter {
  readonly problems: LayoutError[] = [];

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly fonts: Record<FontName, Font>,
  ) {}

  get failure(): LayoutError | undefined {
    return this.problems[0];
  }

  /** The font that draws every character of `text`, preferring `font`; else the first missing code point. */
  private fontFor(font: FontName, text: string): { font: FontName } | { missing: string } {
    const missing = firstMissingCodePoint(this.fonts[font], text);
    if (!missing) return { font };
    const other = OTHER_FONT[font];
    if (firstMissingCodePoint(this.fonts[other], text) === undefined) return { font: other };
    return { missing };
  }

  fit(field: string, font: FontName, text: string, width: number, preferred: number, min: number): Sized {
    const chosen = this.fontFor(font, text);
    if ('missing' in chosen) {
      this.fail({ kind: 'glyph-missing', field, codePoint: chosen.missing });
      return { text, size: min, font };
    }
    const perPoint = text.length === 0 ? undefined : advanceWidthPerPoint(this.fonts[chosen.font], text);
    const size =
      perPoint === undefined
        ? fitSize(this.pdf, chosen.font, text, width, preferred, min)
        : sizeForWidth(perPoint, width, preferred, min);
    if (size === undefined) this.fail({ kind: 'content-too-long', field });
    return { text, size: size ?? min, font: chosen.font };
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

  /** Checks a text drawn at a fixed size in `font` (labels, seal legends) for missing glyphs only. */
  glyphs(field: string, font: FontName, text: string): void {
    const missing = firstMissingCodePoint(this.fonts[font], text);
    if (missing) this.fail({ kind: 'glyph-missing', field, codePoint: missing });
  }

  fail(error: LayoutError): void {
    const same = this.problems.some((p) => JSON.stringify(p) === JSON.stringify(error));
    if (!same) this.problems.push(error);
  }

  /** The fit step's failure result, or undefined when everything fits. */
  result(): FitFailure | undefined {
    const error = this.failure;
    return error ? { ok: false, error, problems: [...this.problems] } : undefined;
  }
}

/** A fit step's failure with this one problem. */
export function fitFailure(error: LayoutError): FitFailure {
  return { ok: false, error, problems: [error] };
}
