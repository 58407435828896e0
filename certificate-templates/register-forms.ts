/// <reference types="pdfkit" />
import {
  FUHYO_ADDRESSES_PER_PAGE,
  NOZEI_ITEMS_PER_PAGE,
  pageCountFor,
  type CertificateContent,
  type NozeiContent,
  type ShotokuKazeiContent,
} from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { drawCertification, fitCertification, type CertificationFit } from './certification.ts';
import { box, INK, line, spread, type Align, type FontName } from './draw.ts';
import { Fitter, fitFailure, type FitFailure, type FitInput } from './fit.ts';
import { formText, type FormTextKey } from './form-texts.ts';
import { blackImpression, type Impression } from './impression.ts';
import { BODY_WIDTH as WIDTH, PAGE, PAGE_FRAME as F } from './page.ts';
import { formatWareki, warekiFiscalYear, warekiYear } from './wareki.ts';

/**
 * The register certificates other than the 住民票の写し and the 戸籍 (koseki.ts), on one form
 * language: the title (and a subtitle), then rows — a labelled field, two half fields, a section
 * heading, a ruled table with a header row, or a sentence — and on the last page the type's
 * 認証文 with the issue date, mayor and 公印; the 印鑑登録証明書 adds the registered impression at
 * its real size in black. Pages follow protocol/documents.ts (pageCountFor), so the centre's page
 * count and the paper agree. Fit first (typed errors), then draw.
 */

type RegisterKind = Exclude<CertificateContent['kind'], 'juminhyo' | 'koseki-zenbu' | 'koseki-kojin'>;

interface Cell {
  text: string;
  font: FontName;
  field: string;
}

interface Column {
  header: string;
  /** Share of the body width. */
  share: number;
  align: Align;
}

type Row =
  | { kind: 'field'; label: string; value: Cell }
  | { kind: 'pair'; left: { label: string; value: Cell }; right: { label: string; value: Cell } }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; columns: Column[]; rows: Cell[][] }
  | { kind: 'sentence'; value: Cell };

type Sized<T> = T & { size: number };
type SizedRow =
  | { kind: 'field'; label: string; value: Sized<Cell> }
  | {
      kind: 'pair';
      left: { label: string; value: Sized<Cell> };
      right: { label: string; value: Sized<Cell> };
    }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; columns: Column[]; rows: Array<Array<Sized<Cell>>> }
  | { kind: 'sentence'; value: Sized<Cell> };

export interface FormFit {
  title: string;
  subtitle?: string;
  pages: SizedRow[][];
  certification: CertificationFit;
  impression?: { image: Impression; sizePt: number };
}

export const FORM_ROW_HEIGHT = 18;
const TABLE_ROW_HEIGHT = 16;
const HALF = WIDTH / 2;
const VALUE_W = WIDTH - F.labelWidth - 12;
const HALF_VALUE_W = HALF - F.labelWidth - 10;

// One formatter for every amount (what toLocaleString('ja-JP') makes afresh on each call).
const JA_NUMBER = new Intl.NumberFormat('ja-JP');
const yen = (n: number) => `${JA_NUMBER.format(n)}円`;
const cell = (text: string, field: string, font: FontName = 'body'): Cell => ({ text, font, field });
const field = (label: string, text: string, at: string, font: FontName = 'body'): Row => ({
  kind: 'field',
  label,
  value: cell(text, at, font),
});
const pair = (
  left: [string, string, string, FontName?],
  right: [string, string, string, FontName?],
): Row => ({
  kind: 'pair',
  left: { label: left[0], value: cell(left[1], left[2], left[3]) },
  right: { label: right[0], value: cell(right[1], right[2], right[3]) },
});

function shotokuRows(c: ShotokuKazeiContent): Row[] {
  const i = c.income;
  const rows: Row[] = [
    field('住所', c.address, 'address', 'name'),
    pair(['氏名', c.name, 'name', 'name'], ['生年月日', formatWareki(c.birthDate), 'birthDate']),
    { kind: 'heading', text: `所得の状況（${warekiYear(c.incomeYear)}分）` },
    {
      kind: 'table',
      columns: [
        { header: '給与収入', share: 1, align: 'right' },
        { header: '給与所得', share: 1, align: 'right' },
        { header: '公的年金等収入', share: 1, align: 'right' },
        { header: '公的年金等所得', share: 1, align: 'right' },
        { header: 'その他の所得', share: 1, align: 'right' },
        { header: '合計所得金額', share: 1, align: 'right' },
      ],
      rows: [
        [
          cell(yen(i.salaryRevenue), 'income.salaryRevenue'),
          cell(yen(i.salaryIncome), 'income.salaryIncome'),
          cell(yen(i.pensionRevenue), 'income.pensionRevenue'),
          cell(yen(i.pensionIncome), 'income.pensionIncome'),
          cell(yen(i.otherIncome), 'income.otherIncome'),
          cell(yen(i.totalIncome), 'income.totalIncome'),
        ],
      ],
    },
    { kind: 'heading', text: '所得控除の内訳' },
  ];
  const deductions = c.deductions ?? [];
  const deductionRows: Cell[][] = [];
  for (let k = 0; k < deductions.length; k += 2) {
    const pairOf = deductions.slice(k, k + 2);
    deductionRows.push(
      pairOf.flatMap((d, j) => [
        cell(d.item, `deductions[${k + j}].item`),
        cell(yen(d.yen), `deductions[${k + j}].yen`),
      ]),
    );
  }
  deductionRows.push([
    cell('', 'deductions'),
    cell('', 'deductions'),
    cell('所得控除合計', 'deductionsTotal'),
    cell(yen(c.deductionsTotal), 'deductionsTotal'),
  ]);
  rows.push({
    kind: 'table',
    columns: [
      { header: '控除の種類', share: 1.4, align: 'left' },
      { header: '控除額', share: 1, align: 'right' },
      { header: '控除の種類', share: 1.4, align: 'left' },
      { header: '控除額', share: 1, align: 'right' },
    ],
    rows: deductionRows,
  });
  const family = c.family;
  rows.push(
    { kind: 'heading', text: '配偶者・扶養の状況' },
    {
      kind: 'table',
      columns: [
        { header: '控除対象配偶者', share: 1.2, align: 'center' },
        { header: '扶養親族（一般）', share: 1, align: 'center' },
        { header: '特定扶養', share: 1, align: 'center' },
        { header: '老人扶養', share: 1, align: 'center' },
        { header: '年少扶養（16歳未満）', share: 1.2, align: 'center' },
        { header: '扶養人数の計', share: 1, align: 'center' },
      ],
      rows: [
        family
          ? [
              cell(family.spouse ? '有' : '無', 'family.spouse'),
              cell(`${family.general}人`, 'family.general'),
              cell(`${family.specific}人`, 'family.specific'),
              cell(`${family.elderly}人`, 'family.elderly'),
              cell(`${family.under16}人`, 'family.under16'),
              cell(`${c.dependents}人`, 'dependents'),
            ]
          : [
              cell('', 'family'),
              cell('', 'family'),
              cell('', 'family'),
              cell('', 'family'),
              cell('', 'family'),
              cell(`${c.dependents}人`, 'dependents'),
            ],
      ],
    },
    { kind: 'heading', text: `課税の状況（${warekiFiscalYear(c.fiscalYear)}）` },
    {
      kind: 'table',
      columns: [
        { header: '課税標準額', share: 1.1, align: 'right' },
        { header: '市町村民税所得割', share: 1.15, align: 'right' },
        { header: '市町村民税均等割', share: 1.15, align: 'right' },
        { header: '道府県民税所得割', share: 1.15, align: 'right' },
        { header: '道府県民税均等割', share: 1.15, align: 'right' },
        { header: '年税額', share: 1, align: 'right' },
      ],
      rows: [
        [
          cell(yen(c.taxableIncome), 'taxableIncome'),
          cell(yen(c.tax.municipalIncomeLevy), 'tax.municipalIncomeLevy'),
          cell(yen(c.tax.municipalPerCapita), 'tax.municipalPerCapita'),
          cell(yen(c.tax.prefecturalIncomeLevy), 'tax.prefecturalIncomeLevy'),
          cell(yen(c.tax.prefecturalPerCapita), 'tax.prefecturalPerCapita'),
          cell(yen(c.tax.total), 'tax.total'),
        ],
      ],
    },
  );
  if (c.collection) rows.push(field('徴収方法', c.collection, 'collection'));
  return rows;
}

function nozeiPages(c: NozeiContent): Row[][] {
  const pages: Row[][] = [];
  const columns: Column[] = [
    { header: '税目', share: 2.2, align: 'left' },
    { header: '期別', share: 0.8, align: 'center' },
    { header: '納期限', share: 1.5, align: 'center' },
    { header: '税額', share: 1.1, align: 'right' },
    { header: '納付済額', share: 1.1, align: 'right' },
    { header: '未納額', share: 1.1, align: 'right' },
  ];
  for (let first = 0; first < c.items.length; first += NOZEI_ITEMS_PER_PAGE) {
    const items = c.items.slice(first, first + NOZEI_ITEMS_PER_PAGE);
    pages.push([
      field('住所', c.address, 'address', 'name'),
      pair(['氏名', c.name, 'name', 'name'], ['年度', warekiFiscalYear(c.fiscalYear), 'fiscalYear']),
      { kind: 'heading', text: '納税の状況' },
      {
        kind: 'table',
        columns,
        rows: items.map((item, k) => {
          const at = `items[${first + k}]`;
          return [
            cell(item.taxItem, `${at}.taxItem`),
            cell(item.period ?? '全期', `${at}.period`),
            cell(item.dueDate ? formatWareki(item.dueDate) : '―', `${at}.dueDate`),
            cell(yen(item.assessedYen), `${at}.assessedYen`),
            cell(yen(item.paidYen), `${at}.paidYen`),
            cell(yen(item.unpaidYen), `${at}.unpaidYen`),
          ];
        }),
      },
    ]);
  }
  const unpaid = c.items.reduce((n, item) => n + item.unpaidYen, 0);
  const assessed = c.items.reduce((n, item) => n + item.assessedYen, 0);
  const paid = c.items.reduce((n, item) => n + item.paidYen, 0);
  pages[pages.length - 1]!.push(
    {
      kind: 'table',
      columns,
      rows: [
        [
          cell('合計', 'items'),
          cell('', 'items'),
          cell('', 'items'),
          cell(yen(assessed), 'items'),
          cell(yen(paid), 'items'),
          cell(yen(unpaid), 'items'),
        ],
      ],
    },
    {
      kind: 'sentence',
      value: cell(
        unpaid === 0
          ? `${warekiFiscalYear(c.fiscalYear)}の上記税目は、すべて完納されています。`
          : `${warekiFiscalYear(c.fiscalYear)}の上記税目には、未納額 ${yen(unpaid)} があります。`,
        'items',
      ),
    },
  );
  return pages;
}

/** The rows of each page, paginated as protocol/documents.ts counts them. */
function pagesOf(content: Extract<CertificateContent, { kind: RegisterKind }>): {
  pages: Row[][];
  subtitle?: string;
} {
  switch (content.kind) {
    case 'juminhyo-kisai': {
      const rows: Row[][] = [];
      content.members.forEach((m, i) => {
        const at = `members[${i}]`;
        const page = Math.floor(i / 4);
        rows[page] ??= [
          field('住所', content.address, 'address', 'name'),
          ...(content.householdHead ? [field('世帯主', content.householdHead, 'householdHead', 'name')] : []),
        ];
        rows[page].push(
          { kind: 'heading', text: `${i + 1}` },
          pair(['氏名', m.name, `${at}.name`, 'name'], ['フリガナ', m.nameKana, `${at}.nameKana`]),
          pair(['生年月日', formatWareki(m.birthDate), `${at}.birthDate`], ['性別', m.sex, `${at}.sex`]),
          ...(m.relationship !== undefined
            ? [
                pair(
                  ['続柄', m.relationship, `${at}.relationship`],
                  ['住民となった日', formatWareki(m.residentSince), `${at}.residentSince`],
                ),
              ]
            : [field('住民となった日', formatWareki(m.residentSince), `${at}.residentSince`)]),
        );
      });
      const subtitle =
        content.scope === 'household'
          ? '（世帯全員）'
          : content.scope === 'members'
            ? '（世帯の一部）'
            : '（個人）';
      return { pages: rows, subtitle };
    }
    case 'inkan':
      return {
        pages: [
          [
            { kind: 'heading', text: '印影' },
            field('登録番号', content.registrationNumber, 'registrationNumber'),
            field('氏名', content.name, 'name', 'name'),
            field('フリガナ', content.nameKana, 'nameKana'),
            pair(['生年月日', formatWareki(content.birthDate), 'birthDate'], ['性別', content.sex, 'sex']),
            field('住所', content.address, 'address', 'name'),
            field('登録年月日', formatWareki(content.registeredOn), 'registeredOn'),
          ],
        ],
      };
    case 'shotoku-kazei':
      return {
        subtitle: `（${warekiFiscalYear(content.fiscalYear)}\u3000${warekiYear(content.incomeYear)}分所得）${content.taxable ? '' : '\u3000非課税'}`,
        pages: [shotokuRows(content)],
      };
    case 'nozei':
      return { subtitle: `（${warekiFiscalYear(content.fiscalYear)}）`, pages: nozeiPages(content) };
    case 'koseki-fuhyo': {
      const pages: Row[][] = [];
      const columns: Column[] = [
        { header: '番号', share: 0.5, align: 'center' },
        { header: '住所', share: 4.5, align: 'left' },
        { header: '住所を定めた年月日', share: 1.7, align: 'center' },
      ];
      for (let first = 0; first < content.addresses.length; first += FUHYO_ADDRESSES_PER_PAGE) {
        const slice = content.addresses.slice(first, first + FUHYO_ADDRESSES_PER_PAGE);
        pages.push([
          field('本籍', content.honseki, 'honseki', 'name'),
          field('筆頭者', content.hittousha, 'hittousha', 'name'),
          field('氏名', content.name, 'name', 'name'),
          pair(
            ['生年月日', formatWareki(content.birthDate), 'birthDate'],
            ['性別', content.sex ?? '', 'sex'],
          ),
          { kind: 'heading', text: '住所の履歴' },
          {
            kind: 'table',
            columns,
            rows: slice.map((a, k) => [
              cell(String(first + k + 1), `addresses[${first + k}]`),
              cell(a.address, `addresses[${first + k}].address`, 'name'),
              cell(formatWareki(a.since), `addresses[${first + k}].since`),
            ]),
          },
        ]);
      }
      return { pages };
    }
  }
}

const TEXT_KEYS: Record<RegisterKind, FormTextKey> = {
  'juminhyo-kisai': 'juminhyo-kisai',
  inkan: 'inkan',
  'shotoku-kazei': 'shotoku-kazei',
  nozei: 'nozei',
  'koseki-fuhyo': 'koseki-fuhyo',
};

function columnWidths(columns: Column[]): number[] {
  const total = columns.reduce((n, c) => n + c.share, 0);
  return columns.map((c) => (WIDTH * c.share) / total);
}

/** The smallest resolution a registered impression is printed from (印鑑照合 needs detail). */
export const MIN_IMPRESSION_PPI = 400;

export function fitRegisterForm({ pdf, fonts, document }: FitInput): { ok: true; fit: FormFit } | FitFailure {
  const content = document.content;
  if (content.kind === 'juminhyo' || content.kind === 'koseki-zenbu' || content.kind === 'koseki-kojin')
    return fitFailure({ kind: 'content-too-long', field: 'content.kind' });
  const expected = pageCountFor(content);
  if (document.pageCount !== expected) {
    return fitFailure({ kind: 'page-count-mismatch', expected, actual: document.pageCount });
  }
  const { pages, subtitle } = pagesOf(content);
  const fitter = new Fitter(pdf, fonts);
  const sizeCell = (c: Cell, width: number, preferred = 11): Sized<Cell> => {
    const fitted = fitter.fit(c.field, c.font, c.text, width, preferred, 6);
    return { ...c, font: fitted.font, size: fitted.size };
  };
  const sized = pages.map((rows) =>
    rows.map((row): SizedRow => {
      switch (row.kind) {
        case 'field':
          return { ...row, value: sizeCell(row.value, VALUE_W) };
        case 'pair':
          return {
            kind: 'pair',
            left: { label: row.left.label, value: sizeCell(row.left.value, HALF_VALUE_W) },
            right: { label: row.right.label, value: sizeCell(row.right.value, HALF_VALUE_W) },
          };
        case 'heading':
          return row;
        case 'sentence':
          return { kind: 'sentence', value: sizeCell(row.value, WIDTH - 8, 10.5) };
        case 'table': {
          const widths = columnWidths(row.columns);
          row.columns.forEach((col) => fitter.glyphs('form', 'body', col.header));
          return {
            kind: 'table',
            columns: row.columns,
            rows: row.rows.map((cells) => cells.map((c, k) => sizeCell(c, (widths[k] ?? 0) - 8, 9.5))),
          };
        }
      }
    }),
  );
  const fit: FormFit = {
    title: CERTIFICATE_TITLES_JA[content.kind],
    pages: sized,
    certification: fitCertification(fitter, document, formText(document, TEXT_KEYS[content.kind])),
  };
  if (subtitle) fit.subtitle = subtitle;
  if (content.kind === 'inkan') {
    const ppi = (content.sealImage.widthPx / content.sealImage.sizeMm) * 25.4;
    if (ppi < MIN_IMPRESSION_PPI) {
      fitter.fail({ kind: 'image-resolution-too-low', field: 'sealImage', ppi: Math.floor(ppi) });
    } else {
      const image = blackImpression(content.sealImage.data);
      if (!image) fitter.fail({ kind: 'content-too-long', field: 'sealImage.data' });
      else fit.impression = { image, sizePt: (content.sealImage.sizeMm * 72) / 25.4 };
    }
  }
  const failed = fitter.result();
  if (failed) return failed;
  return { ok: true, fit };
}

function labelCell(pdf: PDFKit.PDFDocument, label: string, x: number, y: number, h: number): void {
  box(pdf, x, y, F.labelWidth, h, 0.4);
  const chars = Array.from(label).length;
  const size = chars > 6 ? 7 : 9;
  if (chars <= 4) spread(pdf, 'body', size, label, x + 8, y + h / 2, F.labelWidth - 16);
  else line(pdf, 'body', size, label, x, y + h / 2, F.labelWidth, 'center');
}

function drawTable(pdf: PDFKit.PDFDocument, row: Extract<SizedRow, { kind: 'table' }>, top: number): number {
  const widths = columnWidths(row.columns);
  const h = TABLE_ROW_HEIGHT;
  let x = F.left;
  row.columns.forEach((col, k) => {
    const w = widths[k] ?? 0;
    box(pdf, x, top, w, h, 0.4);
    const headerSize = Math.min(8.5, ((w - 6) / Math.max(1, Array.from(col.header).length)) * 0.98);
    line(pdf, 'body', headerSize, col.header, x, top + h / 2, w, 'center');
    x += w;
  });
  let y = top + h;
  for (const cells of row.rows) {
    x = F.left;
    cells.forEach((c, k) => {
      const w = widths[k] ?? 0;
      box(pdf, x, y, w, h, 0.4);
      const align = row.columns[k]?.align ?? 'left';
      line(pdf, c.font, c.size, c.text, x + 4, y + h / 2, w - 8, align);
      x += w;
    });
    y += h;
  }
  return y;
}

/** Draws page `index` of a fitted form. The caller has painted the background and draws the furniture. */
export function drawRegisterFormPage(pdf: PDFKit.PDFDocument, fit: FormFit, index: number): void {
  const last = index === fit.pages.length - 1;
  const characterSpacing = fit.title.length > 8 ? 4 : 10;
  pdf.font('body').fontSize(20).fillColor(INK);
  const titleW = pdf.widthOfString(fit.title, { characterSpacing });
  pdf.text(fit.title, (PAGE.width - titleW) / 2 + characterSpacing / 2, F.titleY - 13, {
    lineBreak: false,
    characterSpacing,
  });
  if (fit.subtitle) line(pdf, 'body', 9.5, fit.subtitle, F.left, F.titleY + 20, WIDTH, 'center');
  let y: number = F.headerTop;
  const h = FORM_ROW_HEIGHT;
  for (const row of fit.pages[index] ?? []) {
    switch (row.kind) {
      case 'field':
        labelCell(pdf, row.label, F.left, y, h);
        box(pdf, F.left + F.labelWidth, y, WIDTH - F.labelWidth, h, 0.4);
        line(
          pdf,
          row.value.font,
          row.value.size,
          row.value.text,
          F.left + F.labelWidth + 6,
          y + h / 2,
          VALUE_W,
        );
        y += h;
        break;
      case 'pair':
        for (const [k, half] of [row.left, row.right].entries()) {
          const x = F.left + k * HALF;
          labelCell(pdf, half.label, x, y, h);
          box(pdf, x + F.labelWidth, y, HALF - F.labelWidth, h, 0.4);
          line(
            pdf,
            half.value.font,
            half.value.size,
            half.value.text,
            x + F.labelWidth + 6,
            y + h / 2,
            HALF_VALUE_W,
          );
        }
        y += h;
        break;
      case 'heading':
        if (fit.impression && row.text === '印影') {
          y = drawImpression(pdf, fit.impression, y);
        } else {
          y += 4;
          line(pdf, 'body', 10.5, `■ ${row.text}`, F.left, y + h / 2, WIDTH);
          y += h;
        }
        break;
      case 'table':
        y = drawTable(pdf, row, y) + 2;
        break;
      case 'sentence':
        y += 6;
        line(pdf, row.value.font, row.value.size, row.value.text, F.left + 4, y + h / 2, WIDTH - 8);
        y += h;
        break;
    }
  }
  if (last) {
    line(pdf, 'body', 10, '以下余白', F.left, y + 12, WIDTH, 'center');
    drawCertification(pdf, fit.certification);
  } else {
    line(pdf, 'body', 10, '（次頁に続く）', F.left, F.certifyTop + 10, WIDTH, 'right');
  }
}

/** The registered impression at its real size, in black, centred in a ruled frame labelled 印影. */
function drawImpression(
  pdf: PDFKit.PDFDocument,
  impression: NonNullable<FormFit['impression']>,
  top: number,
): number {
  const frame = Math.max(impression.sizePt + 28, 100);
  labelCell(pdf, '印影', F.left, top, frame);
  box(pdf, F.left + F.labelWidth, top, frame, frame, 0.6);
  const inset = (frame - impression.sizePt) / 2;
  pdf.image(impression.image.png(), F.left + F.labelWidth + inset, top + inset, {
    width: impression.sizePt,
    height: impression.sizePt,
  });
  return top + frame + 6;
}
