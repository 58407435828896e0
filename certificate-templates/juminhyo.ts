/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import {
  JUMINHYO_MEMBERS_PER_PAGE,
  juminhyoPageCount,
  type CertificateDocument,
  type JuminhyoMember,
} from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { box, fitSize, INK, line, rule, spread, type FontName } from './draw.ts';
import { firstMissingCodePoint } from './fonts.ts';
import { drawOfficialSeal, sealLegend } from './official-seal.ts';
import { formatSeireki, formatWareki, japanDateOf } from './wareki.ts';

/**
 * The 住民票の写し, 世帯連記式: on every page the title, 住所, 世帯主 (and 本籍・筆頭者 when
 * given), up to JUMINHYO_MEMBERS_PER_PAGE member blocks; on the last page the 認証文, the issue
 * date in 和暦, the mayor and the 公印. The page furniture (document id, page i / n, QR seal) is
 * drawn by the caller into the area this module leaves free (see JUMINHYO_FRAME).
 *
 * Layout is done in two steps: `fitJuminhyo` measures every field and fails with a typed error
 * (content too long for the form, a character the embedded font cannot draw); `drawJuminhyoPage`
 * then only draws.
 */

export const CERTIFYING_STATEMENT = 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。';

export type JuminhyoLayoutError =
  | { kind: 'content-too-long'; field: string }
  | { kind: 'glyph-missing'; field: string; codePoint: string }
  | { kind: 'page-count-mismatch'; expected: number; actual: number };

/** A4 portrait, in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;

/** Where things go. The QR column is the free space left of the 認証文 at the bottom. */
export const JUMINHYO_FRAME = {
  left: 42,
  right: 595.28 - 42,
  titleY: 56,
  headerTop: 88,
  rowHeight: 22,
  labelWidth: 78,
  memberGap: 6,
  memberHeight: 106,
  certifyTop: 644,
  certifyLeft: 196,
  footerY: 812,
} as const;

const F = JUMINHYO_FRAME;
const WIDTH = F.right - F.left;

type Sized = { text: string; size: number };

interface MemberFit {
  number: number;
  kana: Sized;
  name: Sized;
  birth: Sized;
  sex: Sized;
  relationship: Sized;
  residentSince: Sized;
  previousAddress?: Sized;
  kyuuji?: Sized;
  tsusho?: Sized;
}

export interface JuminhyoFit {
  title: string;
  address: Sized;
  householdHead: Sized;
  honseki?: Sized;
  hittousha?: Sized;
  pages: MemberFit[][];
  issueDate: string;
  mayor: Sized;
  sealLegend: string;
}

// Value cell widths of the member block (see drawMember).
const NAME_W = 238;
const SMALL_LABEL_W = 44;
const SEX_W = 36;
const WIDE_VALUE_W = WIDTH - F.labelWidth - 8;
const HALF_VALUE_W = WIDTH / 2 - F.labelWidth - 8;

export interface FitInput {
  pdf: PDFKit.PDFDocument;
  fonts: Record<FontName, Font>;
  document: CertificateDocument;
}

export function fitJuminhyo({
  pdf,
  fonts,
  document,
}: FitInput): { ok: true; fit: JuminhyoFit } | { ok: false; error: JuminhyoLayoutError } {
  const content = document.content;
  if (content.kind !== 'juminhyo') {
    return { ok: false, error: { kind: 'page-count-mismatch', expected: 0, actual: document.pageCount } };
  }
  const expected = juminhyoPageCount(content.members.length);
  if (document.pageCount !== expected) {
    return { ok: false, error: { kind: 'page-count-mismatch', expected, actual: document.pageCount } };
  }
  let failure: JuminhyoLayoutError | undefined;
  const fit = (
    field: string,
    font: FontName,
    text: string,
    width: number,
    preferred: number,
    min: number,
  ): Sized => {
    if (failure) return { text, size: min };
    const missing = firstMissingCodePoint(fonts[font], text);
    if (missing) {
      failure = { kind: 'glyph-missing', field, codePoint: missing };
      return { text, size: min };
    }
    const size = fitSize(pdf, font, text, width, preferred, min);
    if (size === undefined) failure = { kind: 'content-too-long', field };
    return { text, size: size ?? min };
  };
  const optional = (
    field: string,
    font: FontName,
    text: string | undefined,
    width: number,
    preferred: number,
    min: number,
  ): Sized | undefined => (text ? fit(field, font, text, width, preferred, min) : undefined);

  const members: MemberFit[] = content.members.map((m: JuminhyoMember, i) => {
    const at = `members[${i}]`;
    return {
      number: i + 1,
      kana: fit(`${at}.nameKana`, 'body', m.nameKana, NAME_W - 8, 8, 5.5),
      name: fit(`${at}.name`, 'name', m.name, NAME_W - 8, 15, 9),
      birth: fit(
        `${at}.birthDate`,
        'body',
        `${formatWareki(m.birthDate)}（${formatSeireki(m.birthDate)}）生`,
        HALF_VALUE_W,
        9.5,
        7,
      ),
      sex: fit(`${at}.sex`, 'body', m.sex, SEX_W - 4, 10.5, 8),
      relationship: fit(
        `${at}.relationship`,
        'body',
        m.relationship ?? '',
        WIDTH - NAME_W - F.labelWidth - 2 * SMALL_LABEL_W - SEX_W - 8,
        10.5,
        7,
      ),
      residentSince: fit(`${at}.residentSince`, 'body', formatWareki(m.residentSince), HALF_VALUE_W, 9.5, 7),
      previousAddress: optional(`${at}.previousAddress`, 'name', m.previousAddress, WIDE_VALUE_W, 9.5, 6.5),
      kyuuji: optional(`${at}.kyuuji`, 'name', m.kyuuji, HALF_VALUE_W, 10.5, 7),
      tsusho: optional(`${at}.tsusho`, 'name', m.tsusho, HALF_VALUE_W, 10.5, 7),
    };
  });
  const pages: MemberFit[][] = [];
  for (let i = 0; i < members.length; i += JUMINHYO_MEMBERS_PER_PAGE) {
    pages.push(members.slice(i, i + JUMINHYO_MEMBERS_PER_PAGE));
  }
  const mayorText = `${document.municipality.mayorTitle}\u3000${document.municipality.mayorName}`;
  const result: JuminhyoFit = {
    title: CERTIFICATE_TITLES_JA.juminhyo,
    address: fit('address', 'name', content.address, WIDE_VALUE_W, 11.5, 7),
    householdHead: fit('householdHead', 'name', content.householdHead, WIDE_VALUE_W, 11.5, 8),
    honseki: optional('honseki', 'name', content.honseki, WIDE_VALUE_W, 11, 7),
    hittousha: optional('hittousha', 'name', content.hittousha, WIDE_VALUE_W, 11, 8),
    pages,
    issueDate: formatWareki(japanDateOf(document.issuedAt)),
    mayor: fit('municipality.mayorName', 'name', mayorText, F.right - F.certifyLeft - 84, 14, 9),
    sealLegend: sealLegend(document.municipality.mayorTitle),
  };
  const legendMissing = firstMissingCodePoint(fonts.body, result.sealLegend);
  if (!failure && legendMissing) {
    failure = { kind: 'glyph-missing', field: 'municipality.mayorTitle', codePoint: legendMissing };
  }
  if (failure) return { ok: false, error: failure };
  if (result.pages.length !== document.pageCount) {
    return {
      ok: false,
      error: { kind: 'page-count-mismatch', expected: result.pages.length, actual: document.pageCount },
    };
  }
  return { ok: true, fit: result };
}

function headerRow(pdf: PDFKit.PDFDocument, y: number, label: string, value: Sized): number {
  const h = F.rowHeight;
  box(pdf, F.left, y, F.labelWidth, h);
  box(pdf, F.left + F.labelWidth, y, WIDTH - F.labelWidth, h);
  spread(pdf, 'body', 10, label, F.left + 12, y + h / 2, F.labelWidth - 24);
  line(pdf, 'name', value.size, value.text, F.left + F.labelWidth + 6, y + h / 2, WIDE_VALUE_W);
  return y + h;
}

function labelCell(pdf: PDFKit.PDFDocument, label: string, x: number, y: number, w: number, h: number): void {
  box(pdf, x, y, w, h, 0.4);
  const size = label.length > 6 ? 7.5 : 9;
  if (label.length <= 4) spread(pdf, 'body', size, label, x + 7, y + h / 2, w - 14);
  else line(pdf, 'body', size, label, x, y + h / 2, w, 'center');
}

function drawMember(pdf: PDFKit.PDFDocument, m: MemberFit, top: number): void {
  const x0 = F.left;
  const lw = F.labelWidth;
  const nameRowH = 40;
  const rowH = 22;
  box(pdf, x0, top, WIDTH, F.memberHeight, 0.9);
  // Row 1: 氏名 (ふりがな above), 性別, 続柄.
  labelCell(pdf, '氏名', x0, top, lw, nameRowH);
  line(pdf, 'body', 6, String(m.number), x0 + 3, top + 6, 10);
  box(pdf, x0 + lw, top, NAME_W, nameRowH, 0.4);
  rule(pdf, x0 + lw + 4, top + 14, x0 + lw + NAME_W - 4, top + 14, 0.2);
  line(pdf, 'body', m.kana.size, m.kana.text, x0 + lw + 4, top + 7.5, NAME_W - 8);
  line(pdf, 'name', m.name.size, m.name.text, x0 + lw + 4, top + 27.5, NAME_W - 8);
  let x = x0 + lw + NAME_W;
  labelCell(pdf, '性別', x, top, SMALL_LABEL_W, nameRowH);
  x += SMALL_LABEL_W;
  box(pdf, x, top, SEX_W, nameRowH, 0.4);
  line(pdf, 'body', m.sex.size, m.sex.text, x, top + nameRowH / 2, SEX_W, 'center');
  x += SEX_W;
  labelCell(pdf, '続柄', x, top, SMALL_LABEL_W, nameRowH);
  x += SMALL_LABEL_W;
  box(pdf, x, top, F.right - x, nameRowH, 0.4);
  line(pdf, 'body', m.relationship.size, m.relationship.text, x, top + nameRowH / 2, F.right - x, 'center');
  // Row 2: 生年月日, 住民となった年月日.
  let y = top + nameRowH;
  const half = WIDTH / 2;
  labelCell(pdf, '生年月日', x0, y, lw, rowH);
  line(pdf, 'body', m.birth.size, m.birth.text, x0 + lw + 4, y + rowH / 2, HALF_VALUE_W);
  labelCell(pdf, '住民となった年月日', x0 + half, y, lw, rowH);
  line(
    pdf,
    'body',
    m.residentSince.size,
    m.residentSince.text,
    x0 + half + lw + 4,
    y + rowH / 2,
    HALF_VALUE_W,
  );
  box(pdf, x0, y, WIDTH, rowH, 0.4);
  // Row 3: 前住所 (when given). Row 4: 旧氏 / 通称 (when given).
  y += rowH;
  if (m.previousAddress) {
    labelCell(pdf, '前住所', x0, y, lw, rowH);
    line(
      pdf,
      'name',
      m.previousAddress.size,
      m.previousAddress.text,
      x0 + lw + 4,
      y + rowH / 2,
      WIDE_VALUE_W,
    );
  }
  y += rowH;
  if (m.kyuuji) {
    labelCell(pdf, '旧氏', x0, y, lw, rowH);
    line(pdf, 'name', m.kyuuji.size, m.kyuuji.text, x0 + lw + 4, y + rowH / 2, HALF_VALUE_W);
  }
  if (m.tsusho) {
    labelCell(pdf, '通称', x0 + half, y, lw, rowH);
    line(pdf, 'name', m.tsusho.size, m.tsusho.text, x0 + half + lw + 4, y + rowH / 2, HALF_VALUE_W);
  }
}

/** Draws page `index` (0-based) of the fitted 住民票. The caller has painted the background. */
export function drawJuminhyoPage(pdf: PDFKit.PDFDocument, fit: JuminhyoFit, index: number): void {
  const last = index === fit.pages.length - 1;
  // Title, letter-spaced, with the scope under it.
  pdf.font('body').fontSize(22).fillColor(INK);
  const titleW = pdf.widthOfString(fit.title, { characterSpacing: 10 });
  pdf.text(fit.title, (PAGE.width - titleW) / 2 + 5, F.titleY - 14, {
    lineBreak: false,
    characterSpacing: 10,
  });
  line(pdf, 'body', 9.5, '（世帯全員）', F.left, F.titleY + 20, WIDTH, 'center');
  // Household header.
  let y: number = F.headerTop;
  y = headerRow(pdf, y, '住所', fit.address);
  y = headerRow(pdf, y, '世帯主', fit.householdHead);
  if (fit.honseki) y = headerRow(pdf, y, '本籍', fit.honseki);
  if (fit.hittousha) y = headerRow(pdf, y, '筆頭者', fit.hittousha);
  pdf
    .save()
    .lineWidth(1.2)
    .rect(F.left, F.headerTop, WIDTH, y - F.headerTop)
    .stroke(INK)
    .restore();
  // Members: fixed slots, so every page has the same form.
  const membersTop = y + 10;
  const members = fit.pages[index] ?? [];
  members.forEach((m, i) => drawMember(pdf, m, membersTop + i * (F.memberHeight + F.memberGap)));
  const after = membersTop + members.length * (F.memberHeight + F.memberGap);
  if (last) {
    if (members.length < 4) line(pdf, 'body', 10, '以下余白', F.left, after + 6, WIDTH, 'center');
    drawCertification(pdf, fit);
  } else {
    line(pdf, 'body', 10, '（次頁に続く）', F.left, F.certifyTop + 10, WIDTH, 'right');
  }
}

function drawCertification(pdf: PDFKit.PDFDocument, fit: JuminhyoFit): void {
  const x = F.certifyLeft;
  const w = F.right - x;
  line(pdf, 'body', 10.5, CERTIFYING_STATEMENT, x, F.certifyTop + 10, w);
  line(pdf, 'body', 10.5, fit.issueDate, x + 12, F.certifyTop + 34, w);
  const mayorMid = F.certifyTop + 78;
  const sealSide = 62;
  line(pdf, 'name', fit.mayor.size, fit.mayor.text, x, mayorMid, w - sealSide + 14, 'right');
  // The 公印 overlaps the end of the mayor's name, as stamped seals do.
  drawOfficialSeal(pdf, fit.sealLegend, F.right - sealSide, mayorMid - sealSide / 2, sealSide);
}
