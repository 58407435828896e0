/// <reference types="pdfkit" />
import {
  JUMINHYO_MEMBERS_PER_PAGE,
  juminhyoPageCount,
  type JuminhyoContent,
  type JuminhyoMember,
} from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { drawCertification, fitCertification, type CertificationFit } from './certification.ts';
import { box, INK, line, rule, spread, type FontName } from './draw.ts';
import { Fitter, fitFailure, type FitFailure, type FitInput, type Sized } from './fit.ts';
import { formText, scopeOf } from './form-texts.ts';
import { BODY_WIDTH as WIDTH, PAGE, PAGE_FRAME } from './page.ts';
import { formatSeireki, formatWareki } from './wareki.ts';

/**
 * The 住民票の写し, 世帯連記式 (住民記録システム標準仕様書の帳票に倣う): on every page the title
 * with the scope (世帯全員 / 世帯の一部 / 個人), 住所, 世帯主 (left out with 続柄 when the resident
 * asked so), 本籍・筆頭者 when given, and up to JUMINHYO_MEMBERS_PER_PAGE person blocks in the
 * standard order — 氏名 (ふりがな), 性別, 続柄; 生年月日, 住民となった年月日; 住所を定めた年月日,
 * 届出日; 前住所; 記載事由, 個人番号; 旧氏, 通称; for foreign residents 国籍・地域, 30条45規定区分,
 * 在留資格, 在留期間等. 「以下余白」 after the last person; on the last page the 認証文 of the
 * scope, the issue date in 和暦, the mayor and the 公印. Every value the document holds is printed
 * or the layout fails with a typed error: nothing is dropped.
 *
 * Layout is done in two steps: `fitJuminhyo` measures every field (typed errors), then
 * `drawJuminhyoPage` only draws. The page furniture (document id, i / n, QR seal) is the caller's.
 */

export { PAGE };
/** The frame every form shares (see page.ts). */
export const JUMINHYO_FRAME = PAGE_FRAME;
const F = PAGE_FRAME;

const NAME_ROW_H = 30;
const MEMBER_GAP = 5;
const ROW_H_MAX = 15;
/** Below this a row is too small to read: the page is refused as too long. */
const ROW_H_MIN = 11;
const HALF = WIDTH / 2;
const HALF_VALUE_W = HALF - F.labelWidth - 8;
const WIDE_VALUE_W = WIDTH - F.labelWidth - 8;
const NAME_W_WITH_RELATIONSHIP = 238;
const SMALL_LABEL_W = 44;
const SEX_W = 36;

interface CellFit {
  label: string;
  value: Sized;
  font: FontName;
}

/** One row of a person block: one wide cell or two half cells. */
type RowFit = CellFit[];

interface MemberFit {
  number: number;
  kana: Sized;
  name: Sized;
  sex: Sized;
  relationship?: Sized;
  rows: RowFit[];
}

export interface JuminhyoFit {
  title: string;
  subtitle: string;
  address: Sized;
  householdHead?: Sized;
  honseki?: Sized;
  hittousha?: Sized;
  pages: MemberFit[][];
  /** Row height of the person blocks, per page: the blocks share the page's free height. */
  rowHeights: number[];
  certification: CertificationFit;
}

const groupedMyNumber = (n: string): string => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`;

function stayText(m: NonNullable<JuminhyoMember['foreign']>): string | undefined {
  const parts = [
    m.periodOfStay,
    m.stayExpiresOn ? `（満了日\u3000${formatWareki(m.stayExpiresOn)}）` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('') : undefined;
}

/** The rows of a person block as (label, text, font) cells, before sizing; empty cells left out. */
function memberCells(
  m: JuminhyoMember,
): Array<Array<{ label: string; text: string; font: FontName; at: string }>> {
  const cell = (label: string, text: string | undefined, at: string, font: FontName = 'body') =>
    text === undefined ? [] : [{ label, text, font, at }];
  const rows = [
    [
      ...cell('生年月日', `${formatWareki(m.birthDate)}（${formatSeireki(m.birthDate)}）生`, 'birthDate'),
      ...cell('住民となった年月日', formatWareki(m.residentSince), 'residentSince'),
    ],
    [
      ...cell('住所を定めた年月日', m.addressSince && formatWareki(m.addressSince), 'addressSince'),
      ...cell('届出日', m.addressNotifiedOn && formatWareki(m.addressNotifiedOn), 'addressNotifiedOn'),
    ],
    cell('前住所', m.previousAddress, 'previousAddress', 'name'),
    [
      ...cell('記載事由', m.entry && `${formatWareki(m.entry.date)}\u3000${m.entry.reason}`, 'entry'),
      ...cell('個人番号', m.myNumber && groupedMyNumber(m.myNumber), 'myNumber'),
    ],
    [...cell('旧氏', m.kyuuji, 'kyuuji', 'name'), ...cell('通称', m.tsusho, 'tsusho', 'name')],
  ];
  if (m.foreign) {
    rows.push(
      [
        ...cell('国籍・地域', m.foreign.nationality, 'foreign.nationality'),
        ...cell('30条45規定区分', m.foreign.category, 'foreign.category'),
      ],
      [
        ...cell('在留資格', m.foreign.residenceStatus, 'foreign.residenceStatus'),
        ...cell('在留期間等', stayText(m.foreign), 'foreign.periodOfStay'),
      ],
    );
  }
  return rows.filter((r) => r.length > 0);
}

function headerRows(content: JuminhyoContent): number {
  return 1 + [content.householdHead, content.honseki, content.hittousha].filter(Boolean).length;
}

/** Where the person blocks start, below the household header. */
function membersTop(content: JuminhyoContent): number {
  return F.headerTop + headerRows(content) * F.rowHeight + 8;
}

/** The lowest y a person block may reach: 「以下余白」 goes below it, the 認証文 further down. */
const MEMBERS_BOTTOM = F.certifyTop - 16;

export function fitJuminhyo({ pdf, fonts, document }: FitInput): { ok: true; fit: JuminhyoFit } | FitFailure {
  const content = document.content;
  if (content.kind !== 'juminhyo') {
    return fitFailure({ kind: 'page-count-mismatch', expected: 0, actual: document.pageCount });
  }
  const expected = juminhyoPageCount(content.members.length);
  if (document.pageCount !== expected) {
    return fitFailure({ kind: 'page-count-mismatch', expected, actual: document.pageCount });
  }
  const fitter = new Fitter(pdf, fonts);
  const withRelationship = content.householdHead !== undefined;
  const nameW = withRelationship ? NAME_W_WITH_RELATIONSHIP : WIDTH - F.labelWidth - SMALL_LABEL_W - SEX_W;
  const relationshipW = WIDTH - nameW - F.labelWidth - 2 * SMALL_LABEL_W - SEX_W;

  const cellsOf = content.members.map(memberCells);
  const pages: MemberFit[][] = [];
  const rowHeights: number[] = [];
  const top = membersTop(content);
  for (let first = 0; first < content.members.length; first += JUMINHYO_MEMBERS_PER_PAGE) {
    const indices = content.members.slice(first, first + JUMINHYO_MEMBERS_PER_PAGE).map((_, k) => first + k);
    const rowCount = indices.reduce((n, i) => n + cellsOf[i]!.length, 0);
    const free = MEMBERS_BOTTOM - top - indices.length * (NAME_ROW_H + MEMBER_GAP);
    const rowH = Math.min(ROW_H_MAX, Math.floor((free / Math.max(1, rowCount)) * 4) / 4);
    if (rowH < ROW_H_MIN) fitter.fail({ kind: 'content-too-long', field: `members[${first}]` });
    rowHeights.push(rowH);
    const valueSize = Math.min(9.5, rowH * 0.66);
    pages.push(
      indices.map((i): MemberFit => {
        const m = content.members[i]!;
        const at = `members[${i}]`;
        const rows = cellsOf[i]!.map((cells) =>
          cells.map((c) => ({
            label: c.label,
            font: c.font,
            value: fitter.fit(
              `${at}.${c.at}`,
              c.font,
              c.text,
              cells.length === 1 ? WIDE_VALUE_W : HALF_VALUE_W,
              valueSize,
              6,
            ),
          })),
        );
        const member: MemberFit = {
          number: i + 1,
          kana: fitter.fit(`${at}.nameKana`, 'body', m.nameKana, nameW - 8, 8, 5.5),
          name: fitter.fit(`${at}.name`, 'name', m.name, nameW - 8, 15, 9),
          sex: fitter.fit(`${at}.sex`, 'body', m.sex, SEX_W - 4, 10.5, 8),
          rows,
        };
        if (withRelationship) {
          member.relationship = fitter.fit(
            `${at}.relationship`,
            'body',
            m.relationship ?? '',
            relationshipW - 8,
            10.5,
            7,
          );
        }
        return member;
      }),
    );
  }
  const scope = scopeOf(content.scope);
  const fit: JuminhyoFit = {
    title: CERTIFICATE_TITLES_JA.juminhyo,
    subtitle: formText(document, `subtitle.${scope}`),
    address: fitter.fit('address', 'name', content.address, WIDE_VALUE_W, 11.5, 7),
    pages,
    rowHeights,
    certification: fitCertification(fitter, document, formText(document, `juminhyo.${scope}`)),
  };
  const head = fitter.optional('householdHead', 'name', content.householdHead, WIDE_VALUE_W, 11.5, 8);
  if (head) fit.householdHead = head;
  const honseki = fitter.optional('honseki', 'name', content.honseki, WIDE_VALUE_W, 11, 7);
  if (honseki) fit.honseki = honseki;
  const hittousha = fitter.optional('hittousha', 'name', content.hittousha, WIDE_VALUE_W, 11, 8);
  if (hittousha) fit.hittousha = hittousha;
  fitter.glyphs('municipality.formTexts', 'body', fit.subtitle);
  const failed = fitter.result();
  if (failed) return failed;
  return { ok: true, fit };
}

function headerRow(pdf: PDFKit.PDFDocument, y: number, label: string, value: Sized): number {
  const h = F.rowHeight;
  box(pdf, F.left, y, F.labelWidth, h);
  box(pdf, F.left + F.labelWidth, y, WIDTH - F.labelWidth, h);
  spread(pdf, 'body', 10, label, F.left + 12, y + h / 2, F.labelWidth - 24);
  line(pdf, value.font, value.size, value.text, F.left + F.labelWidth + 6, y + h / 2, WIDE_VALUE_W);
  return y + h;
}

function labelCell(pdf: PDFKit.PDFDocument, label: string, x: number, y: number, w: number, h: number): void {
  box(pdf, x, y, w, h, 0.4);
  const chars = Array.from(label).length;
  const size = Math.min(chars > 6 ? 7.5 : 9, h * 0.6);
  if (chars <= 4) spread(pdf, 'body', size, label, x + 7, y + h / 2, w - 14);
  else line(pdf, 'body', size, label, x, y + h / 2, w, 'center');
}

/** Draws one person block; returns its bottom. */
function drawMember(pdf: PDFKit.PDFDocument, m: MemberFit, top: number, rowH: number): number {
  const x0 = F.left;
  const lw = F.labelWidth;
  const nameW = m.relationship ? NAME_W_WITH_RELATIONSHIP : WIDTH - lw - SMALL_LABEL_W - SEX_W;
  // Row 1: 氏名 (ふりがな above), 性別, 続柄.
  labelCell(pdf, '氏名', x0, top, lw, NAME_ROW_H);
  line(pdf, 'body', 6, String(m.number), x0 + 3, top + 6, 10);
  box(pdf, x0 + lw, top, nameW, NAME_ROW_H, 0.4);
  rule(pdf, x0 + lw + 4, top + 11, x0 + lw + nameW - 4, top + 11, 0.2);
  line(pdf, m.kana.font, m.kana.size, m.kana.text, x0 + lw + 4, top + 6, nameW - 8);
  line(pdf, m.name.font, m.name.size, m.name.text, x0 + lw + 4, top + 20.5, nameW - 8);
  let x = x0 + lw + nameW;
  labelCell(pdf, '性別', x, top, SMALL_LABEL_W, NAME_ROW_H);
  x += SMALL_LABEL_W;
  box(pdf, x, top, SEX_W, NAME_ROW_H, 0.4);
  line(pdf, m.sex.font, m.sex.size, m.sex.text, x, top + NAME_ROW_H / 2, SEX_W, 'center');
  x += SEX_W;
  if (m.relationship) {
    labelCell(pdf, '続柄', x, top, SMALL_LABEL_W, NAME_ROW_H);
    x += SMALL_LABEL_W;
    box(pdf, x, top, F.right - x, NAME_ROW_H, 0.4);
    line(
      pdf,
      m.relationship.font,
      m.relationship.size,
      m.relationship.text,
      x,
      top + NAME_ROW_H / 2,
      F.right - x,
      'center',
    );
  }
  let y = top + NAME_ROW_H;
  for (const row of m.rows) {
    row.forEach((cell, i) => {
      const cx = x0 + i * HALF;
      const valueW = row.length === 1 ? WIDE_VALUE_W : HALF_VALUE_W;
      labelCell(pdf, cell.label, cx, y, lw, rowH);
      box(pdf, cx + lw, y, (row.length === 1 ? WIDTH : HALF) - lw, rowH, 0.4);
      line(pdf, cell.value.font, cell.value.size, cell.value.text, cx + lw + 4, y + rowH / 2, valueW);
    });
    y += rowH;
  }
  pdf
    .save()
    .lineWidth(0.9)
    .rect(x0, top, WIDTH, y - top)
    .stroke(INK)
    .restore();
  return y;
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
  line(pdf, 'body', 9.5, fit.subtitle, F.left, F.titleY + 20, WIDTH, 'center');
  // Household header.
  let y: number = F.headerTop;
  y = headerRow(pdf, y, '住所', fit.address);
  if (fit.householdHead) y = headerRow(pdf, y, '世帯主', fit.householdHead);
  if (fit.honseki) y = headerRow(pdf, y, '本籍', fit.honseki);
  if (fit.hittousha) y = headerRow(pdf, y, '筆頭者', fit.hittousha);
  pdf
    .save()
    .lineWidth(1.2)
    .rect(F.left, F.headerTop, WIDTH, y - F.headerTop)
    .stroke(INK)
    .restore();
  const rowH = fit.rowHeights[index] ?? ROW_H_MAX;
  let top = y + 8;
  for (const m of fit.pages[index] ?? []) top = drawMember(pdf, m, top, rowH) + MEMBER_GAP;
  if (last) {
    line(pdf, 'body', 10, '以下余白', F.left, top + 5, WIDTH, 'center');
    drawCertification(pdf, fit.certification);
  } else {
    line(pdf, 'body', 10, '（次頁に続く）', F.left, F.certifyTop + 10, WIDTH, 'right');
  }
}
