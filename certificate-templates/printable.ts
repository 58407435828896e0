import PDFDocument from 'pdfkit';
import type { z } from 'zod';
import { CertificateDocumentSchema, type CertificateDocument } from '../protocol/documents.ts';
import type { FontName } from './draw.ts';
import type { LayoutError } from './fit.ts';
import { loadKioskFonts, type FontError, type FontOptions } from './fonts.ts';
import { layoutFor } from './layout.ts';

/**
 * Whether a certified document would print, checked before anyone pays: the same fit step the
 * renderer runs (same fonts, same boxes, same smallest sizes), without drawing anything. Every
 * problem is listed, each naming the document path of the field (e.g. `members[2].name`) and
 * never its value, so it may be logged and shown to staff.
 */
export type PrintProblem =
  /** The value does not fit its box on the form even at the smallest size the form allows. */
  | { reason: 'too-long'; field: string }
  /** Neither embedded font (IPAex明朝, IPAmj明朝) has a glyph for this character. */
  | { reason: 'glyph-missing'; field: string; codePoint: string }
  /** A field the form needs is absent or empty. */
  | { reason: 'required-missing'; field: string }
  /** A value the contract does not accept (wrong type, out of range). */
  | { reason: 'invalid'; field: string }
  /** The 印影 image is too coarse to print at its real size (ppi below the form's minimum). */
  | { reason: 'image-too-coarse'; field: string; ppi: number }
  /** The document's page count differs from what its form lays out. */
  | { reason: 'page-count'; field: 'pageCount'; expected: number; actual: number };

export type PrintableCheck = { ok: true; problems: PrintProblem[] } | { ok: false; error: FontError };

export interface PrintableOptions {
  fonts?: FontOptions;
}

function problemOf(error: LayoutError): PrintProblem {
  switch (error.kind) {
    case 'content-too-long':
      return { reason: 'too-long', field: error.field };
    case 'glyph-missing':
      return { reason: 'glyph-missing', field: error.field, codePoint: error.codePoint };
    case 'image-resolution-too-low':
      return { reason: 'image-too-coarse', field: error.field, ppi: error.ppi };
    case 'page-count-mismatch':
      return { reason: 'page-count', field: 'pageCount', expected: error.expected, actual: error.actual };
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `content.members[2].name` from zod's path. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** What a schema check found, as problems: a field absent or empty is `required-missing`. */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], input?: unknown): PrintProblem[] {
  const problems: PrintProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const field = fieldPath(issue.path);
    if (seen.has(field)) continue;
    seen.add(field);
    const missing =
      input === undefined
        ? (issue.code === 'invalid_type' && /received undefined/u.test(issue.message)) ||
          (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1)
        : ((value) => value === undefined || value === null || value === '')(valueAt(input, issue.path));
    problems.push({ reason: missing ? 'required-missing' : 'invalid', field });
  }
  return problems;
}

/** Checks a measuring document serves before a new one replaces it (bounds its word-width cache). */
const MEASURING_DOCUMENT_CHECKS = 500;
let measuring: { fonts: Record<FontName, unknown>; pdf: PDFKit.PDFDocument; checks: number } | undefined;

/**
 * A document that is measured only — nothing is drawn and its stream is never read — kept between
 * checks: making one loads pdfkit's standard font and registers ours, which cost more than a check's
 * measuring. Every measure sets its font and size first, so no state carries from one check to the
 * next; pdfkit keeps each measured word's width, so the document is replaced now and then.
 */
function measuringDocument(fonts: Record<FontName, unknown>): PDFKit.PDFDocument {
  if (
    measuring &&
    measuring.fonts.body === fonts.body &&
    measuring.fonts.name === fonts.name &&
    measuring.checks < MEASURING_DOCUMENT_CHECKS
  ) {
    measuring.checks += 1;
    return measuring.pdf;
  }
  const pdf = new PDFDocument({ size: 'A4', autoFirstPage: false, margin: 0 });
  pdf.registerFont('body', fonts.body as unknown as Uint8Array);
  pdf.registerFont('name', fonts.name as unknown as Uint8Array);
  measuring = { fonts: { ...fonts }, pdf, checks: 1 };
  return pdf;
}

/**
 * The problems that keep `document` (as the centre built it, not yet validated) from printing;
 * none means it prints. Fails only when the fonts cannot be loaded (a set-up fault, not the
 * document's).
 */
export function checkPrintable(document: unknown, options: PrintableOptions = {}): PrintableCheck {
  const parsed = CertificateDocumentSchema.safeParse(document);
  if (!parsed.success) return { ok: true, problems: schemaProblems(parsed.error.issues, document) };
  return checkPrintableDocument(parsed.data, options);
}

/**
 * The same check for a document already validated against the contract (the centre's documents
 * are parsed when built, and parsing them a second time here was a tenth of a menu's work): only
 * the fit on the form.
 */
export function checkPrintableDocument(
  document: CertificateDocument,
  options: PrintableOptions = {},
): PrintableCheck {
  const loaded = loadKioskFonts(options.fonts);
  if (!loaded.ok) return { ok: false, error: loaded.error };
  const fonts: Record<FontName, typeof loaded.fonts.body> = {
    body: loaded.fonts.body,
    name: loaded.fonts.name,
  };
  const layout = layoutFor(measuringDocument(fonts), fonts, document);
  return { ok: true, problems: layout.ok ? [] : layout.problems.map(problemOf) };
}
