import type { SealError, SealNotice, SealPayload } from '../protocol/seal.ts';
import type { PublishedSealKeys } from '../protocol/seal-keys.ts';
import type { SealFacts } from '../protocol/seal-facts.ts';
import { backSideText } from './back-side.ts';
import type { SealTextError } from './seal-text.ts';
import { verifyPrintedSeal } from './verify.ts';

/**
 * Checks a printed certificate, page by page, as a bank teller would: every page carries one
 * seal that verifies under a published key of the municipality it names; the pages belong to one
 * document, 1..n, none missing or repeated, in order; and where the page has a text layer (a
 * PDF), the text shows the facts its seal signs and no text was laid over the page's text.
 */

/** A word of a page's text layer with its box in points (pdftotext -bbox). */
export interface PageWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** One printed page as read from a file: its QR texts, and its text layer if it has one. */
export interface PrintedPage {
  /** Where the page came from, e.g. `doc.pdf page 2` or `scan.png`. */
  source: string;
  qrTexts: string[];
  text?: string;
  words?: PageWord[];
}

export type PageFailure =
  | { kind: 'seal-missing' }
  | { kind: 'several-seals'; count: number }
  | SealTextError
  | SealError
  | { kind: 'page-from-another-document'; documentId: string; expectedDocumentId: string }
  | { kind: 'page-repeated'; page: number }
  | { kind: 'page-out-of-order'; page: number; position: number }
  | { kind: 'text-differs'; page: number; fact: keyof SealFacts; expected: string }
  | { kind: 'text-overlaid'; page: number; words: [string, string] };

/** A failure with the 1-based position of the page in the file(s) it was found in. */
export type VerifyFailure =
  | (PageFailure & { position: number; source: string })
  | { kind: 'page-missing'; page: number; pageCount: number };

export interface VerifiedPage {
  position: number;
  source: string;
  kid: string;
  payload: SealPayload;
  textChecked: boolean;
}

/** A back side (duplex printing): no seal, recognised by its fixed text (back-side.ts). */
export interface BackSidePage {
  position: number;
  source: string;
  /** The front page it backs. */
  page: number;
}

export interface VerifyReport {
  ok: boolean;
  pages: VerifiedPage[];
  /** Back sides found after their front pages; they are not pages of the document's 1..n. */
  backSides: BackSidePage[];
  failures: VerifyFailure[];
  notices: (SealNotice & { page: number })[];
}

/** Text as compared: NFKC, no whitespace, no variation selectors (fonts may drop them). */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu, '')
    .replace(/\s+/gu, '');
}

/** Every number printed on the page (digits with thousands separators), as integers. */
function numbersIn(text: string): Set<number> {
  const numbers = new Set<number>();
  for (const match of text.normalize('NFKC').matchAll(/\d{1,3}(?:,\d{3})+|\d+/gu)) {
    numbers.add(Number(match[0].replaceAll(',', '')));
  }
  return numbers;
}

/** 年度 as printed: 令和 era year (元年 for 2019) or the Western year. */
function taxYearPrinted(text: string, year: number): boolean {
  const reiwa = year - 2018;
  const eraForms = reiwa === 1 ? ['令和元年度', '令和1年度'] : reiwa > 1 ? [`令和${reiwa}年度`] : [];
  return [...eraForms, `${year}年度`].some((form) => text.includes(form));
}

function factTextFailures(page: number, facts: SealFacts, pageText: string): PageFailure[] {
  const text = normaliseText(pageText);
  const failures: PageFailure[] = [];
  const expectText = (fact: keyof SealFacts, value: string | undefined) => {
    if (value !== undefined && !text.includes(normaliseText(value))) {
      failures.push({ kind: 'text-differs', page, fact, expected: value });
    }
  };
  for (const name of facts.names ?? []) expectText('names', name);
  expectText('address', facts.address);
  expectText('honseki', facts.honseki);
  expectText('hittousha', facts.hittousha);
  expectText('registrationNumber', facts.registrationNumber);
  for (const address of facts.addresses ?? []) expectText('addresses', address);
  if (facts.taxYear !== undefined && !taxYearPrinted(text, facts.taxYear)) {
    failures.push({ kind: 'text-differs', page, fact: 'taxYear', expected: String(facts.taxYear) });
  }
  if (facts.amounts) {
    const printed = numbersIn(pageText);
    for (const amount of facts.amounts) {
      if (!printed.has(amount)) {
        failures.push({
          kind: 'text-differs',
          page,
          fact: 'amounts',
          expected: amount.toLocaleString('en-US'),
        });
      }
    }
  }
  return failures;
}

/** The share of the smaller box that two word boxes have in common. */
function overlap(a: PageWord, b: PageWord): number {
  const w = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
  const h = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
  if (w <= 0 || h <= 0) return 0;
  const area = (p: PageWord) => Math.max((p.xMax - p.xMin) * (p.yMax - p.yMin), 1e-6);
  return (w * h) / Math.min(area(a), area(b));
}

/**
 * Words drawn over other words: text laid over the page (a white box and new text on top still
 * leaves the old words in the text layer, under the new ones). The forms never overlap words.
 */
function overlaidWords(words: readonly PageWord[]): [string, string] | undefined {
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i]!;
      const b = words[j]!;
      if (overlap(a, b) > 0.3) return [a.text, b.text];
    }
  }
  return undefined;
}

/**
 * A page is the back of `front` when it has a text layer (a PDF) that is exactly the back side's
 * fixed text for that document and page, and nothing else: a back side carries no facts, so a
 * page with any other text (or a scan, which has no text layer) is not taken for one.
 */
function isBackSideOf(page: PrintedPage, front: SealPayload): boolean {
  if (page.text === undefined) return false;
  const expected = normaliseText(backSideText(front.documentId, front.page, front.pageCount));
  return normaliseText(page.text) === expected;
}

/** Verifies the pages of one printed certificate against the published keys. */
export function verifyPrintedDocument(pages: readonly PrintedPage[], keys: PublishedSealKeys): VerifyReport {
  const failures: VerifyFailure[] = [];
  const verified: VerifiedPage[] = [];
  const notices: (SealNotice & { page: number })[] = [];
  const fail = (position: number, source: string, failure: PageFailure) =>
    failures.push({ ...failure, position, source });

  const backSides: BackSidePage[] = [];
  /** Front positions (1-based, back sides not counted) of the verified pages, by file position. */
  const frontOrdinal = new Map<number, number>();
  let fronts = 0;
  // The front page a back side may follow: the page just before, verified, not yet backed.
  let backable: VerifiedPage | undefined;
  pages.forEach((page, index) => {
    const position = index + 1;
    const front = backable;
    backable = undefined;
    if (page.qrTexts.length === 0 && front && isBackSideOf(page, front.payload)) {
      backSides.push({ position, source: page.source, page: front.payload.page });
      return;
    }
    fronts++;
    if (page.qrTexts.length === 0) return fail(position, page.source, { kind: 'seal-missing' });
    if (page.qrTexts.length > 1) {
      return fail(position, page.source, { kind: 'several-seals', count: page.qrTexts.length });
    }
    const result = verifyPrintedSeal(page.qrTexts[0]!, keys);
    if (!result.ok) return fail(position, page.source, result.error);
    const { payload } = result;
    if (result.notice) notices.push({ ...result.notice, page: payload.page });
    let textChecked = false;
    if (page.text !== undefined) {
      textChecked = true;
      for (const failure of factTextFailures(payload.page, payload.facts, page.text)) {
        fail(position, page.source, failure);
      }
      const overlaid = overlaidWords(page.words ?? []);
      if (overlaid)
        fail(position, page.source, { kind: 'text-overlaid', page: payload.page, words: overlaid });
    }
    const entry: VerifiedPage = { position, source: page.source, kid: result.kid, payload, textChecked };
    verified.push(entry);
    frontOrdinal.set(position, fronts);
    backable = entry;
  });

  // The pages belong together: one document, each page once, 1..n in order.
  const first = verified[0];
  if (first) {
    const seen = new Set<number>();
    for (const page of verified) {
      const { payload } = page;
      if (payload.documentId !== first.payload.documentId || payload.pageCount !== first.payload.pageCount) {
        failures.push({
          kind: 'page-from-another-document',
          documentId: payload.documentId,
          expectedDocumentId: first.payload.documentId,
          position: page.position,
          source: page.source,
        });
        continue;
      }
      if (seen.has(payload.page)) {
        failures.push({
          kind: 'page-repeated',
          page: payload.page,
          position: page.position,
          source: page.source,
        });
        continue;
      }
      seen.add(payload.page);
      if (payload.page !== frontOrdinal.get(page.position) && fronts === first.payload.pageCount) {
        failures.push({
          kind: 'page-out-of-order',
          page: payload.page,
          position: page.position,
          source: page.source,
        });
      }
    }
    for (let page = 1; page <= first.payload.pageCount; page++) {
      if (!seen.has(page)) failures.push({ kind: 'page-missing', page, pageCount: first.payload.pageCount });
    }
  }
  return { ok: failures.length === 0 && verified.length > 0, pages: verified, backSides, failures, notices };
}
