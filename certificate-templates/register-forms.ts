/// <reference types="pdfkit" />
import type { Font } from 'fontkit';
import {
  FUHYO_ADDRESSES_PER_PAGE,
  kosekiPages,
  NOZEI_ITEMS_PER_PAGE,
  pageCountFor,
  type CertificateContent,
  type CertificateDocument,
  type KosekiMember,
} from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { box, fitSize, INK, line, spread, type FontName } from './draw.ts';
import { firstMissingCodePoint } from './fonts.ts';
import type { LayoutError } from './fit.ts';
import { PAGE, PAGE_FRAME as JUMINHYO_FRAME } from './page.ts';
import { drawOfficialSeal, sealLegend } from './official-seal.ts';
import { formatWareki, japanDateOf } from './wareki.ts';

/**
 * Every certificate type other than the 住民票の写し, on one form language: the title, then rows
 * (a labelled field, a section heading, or a line of a register such as a 戸籍's 身分事項), the
 * 認証文 of the type with the issue date, mayor and 公印 on the last page; the 印鑑登録証明書 adds
 * the registered impression at its real size. Pages follow protocol/documents.ts (pageCountFor),
 * so the centre's page count and the paper agree. Fit first (typed errors), then draw.
 */

export const CERTIFYING_STATEMENTS: Readonly<
  Record<Exclude<CertificateContent['kind'], 'juminhyo'>, string>
> = {
  'juminhyo-kisai': '上記のとおり住民票に記載されていることを証明する。',
  inkan: 'この写しは、登録されている印影と相違ないことを証明する。',
  'shotoku-kazei': '上記のとおり相違ないことを証明する。',
  nozei: '上記のとおり相違ないことを証明する。',
  'koseki-zenbu': 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  'koseki-kojin': 'これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。',
  'koseki-fuhyo': 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
};

type Row =
  | { kind: 'field'; label: string; value: string; font: FontName; field: string }
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string; font: FontName; field: string; indent: number };

type SizedRow = Row & { size: number };

export interface FormFit {
  title: string;
  subtitle?: string;
  pages: SizedRow[][];
  statement: string;
  issueDate: string;
  mayor: { text: string; size: number };
  sealLegend: string;
  image?: { png: Buffer; sizePt: number };
}

const F = JUMINHYO_FRAME;
const WIDTH = F.right - F.left;
export const FORM_ROW_HEIGHT = 18;
const VALUE_W = WIDTH - F.labelWidth - 12;

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const field = (label: string, value: string, at: string, font: FontName = 'body'): Row => ({
  kind: 'field',
  label,
  value,
  font,
  field: at,
});
const text = (value: string, at: string, font: FontName = 'body', indent = 0): Row => ({
  kind: 'text',
  text: value,
  font,
  field: at,
  indent,
});

function kosekiMemberRows(m: KosekiMember, at: string): Row[] {
  const parents = [m.father ? `【父】${m.father}` : '', m.mother ? `【母】${m.mother}` : '']
    .filter(Boolean)
    .join('\u3000');
  return [
    text(
      `戸籍に記録されている者\u3000【名】${m.name}${m.removed ? '\u3000【除籍】' : ''}`,
      `${at}.name`,
      'name',
    ),
    text(`【生年月日】${formatWareki(m.birthDate)}\u3000【性別】${m.sex}`, `${at}.birthDate`, 'body', 12),
    text(parents || '【父】\u3000【母】', `${at}.parents`, 'name', 12),
    text(`【続柄】${m.relationship}`, `${at}.relationship`, 'body', 12),
    ...m.events.map((e, j) =>
      text(
        `${e.kind}\u3000【${e.kind}日】${formatWareki(e.date)}\u3000${e.detail}`,
        `${at}.events[${j}]`,
        'name',
        24,
      ),
    ),
  ];
}

/** The rows of each page, paginated as protocol/documents.ts counts them. */
function pagesOf(content: Exclude<CertificateContent, { kind: 'juminhyo' }>): {
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
          field('氏名', m.name, `${at}.name`, 'name'),
          field('生年月日', `${formatWareki(m.birthDate)}\u3000${m.sex}`, `${at}.birthDate`),
          field('続柄', m.relationship ?? '（省略）', `${at}.relationship`),
          field('住民となった日', formatWareki(m.residentSince), `${at}.residentSince`),
        );
      });
      return { pages: rows, subtitle: content.scope === 'household' ? '（世帯全員）' : '（個人）' };
    }
    case 'inkan':
      return {
        pages: [
          [
            field('登録番号', content.registrationNumber, 'registrationNumber'),
            field('氏名', content.name, 'name', 'name'),
            field('フリガナ', content.nameKana, 'nameKana'),
            field('生年月日', `${formatWareki(content.birthDate)}\u3000${content.sex}`, 'birthDate'),
            field('住所', content.address, 'address', 'name'),
            field('登録年月日', formatWareki(content.registeredOn), 'registeredOn'),
            { kind: 'heading', text: '印影' },
          ],
        ],
      };
    case 'shotoku-kazei':
      return {
        subtitle: `（${formatWareki(`${content.fiscalYear}-04-01`).replace(/年.*$/, '年度')}\u3000${content.incomeYear}年分所得）${content.taxable ? '' : '\u3000非課税'}`,
        pages: [
          [
            field('住所', content.address, 'address', 'name'),
            field('氏名', content.name, 'name', 'name'),
            field('生年月日', formatWareki(content.birthDate), 'birthDate'),
            { kind: 'heading', text: '所得の状況' },
            field('給与収入', yen(content.income.salaryRevenue), 'income.salaryRevenue'),
            field('給与所得', yen(content.income.salaryIncome), 'income.salaryIncome'),
            field('公的年金等収入', yen(content.income.pensionRevenue), 'income.pensionRevenue'),
            field('公的年金等所得', yen(content.income.pensionIncome), 'income.pensionIncome'),
            field('その他の所得', yen(content.income.otherIncome), 'income.otherIncome'),
            field('合計所得金額', yen(content.income.totalIncome), 'income.totalIncome'),
            field('所得控除合計', yen(content.deductionsTotal), 'deductionsTotal'),
            field('課税標準額', yen(content.taxableIncome), 'taxableIncome'),
            field('扶養人数', `${content.dependents}人`, 'dependents'),
            { kind: 'heading', text: '課税の状況' },
            field('市町村民税所得割', yen(content.tax.municipalIncomeLevy), 'tax.municipalIncomeLevy'),
            field('市町村民税均等割', yen(content.tax.municipalPerCapita), 'tax.municipalPerCapita'),
            field('道府県民税所得割', yen(content.tax.prefecturalIncomeLevy), 'tax.prefecturalIncomeLevy'),
            field('道府県民税均等割', yen(content.tax.prefecturalPerCapita), 'tax.prefecturalPerCapita'),
            field('年税額', yen(content.tax.total), 'tax.total'),
          ],
        ],
      };
    case 'nozei': {
      const pages: Row[][] = [];
      content.items.forEach((item, i) => {
        const page = Math.floor(i / NOZEI_ITEMS_PER_PAGE);
        pages[page] ??= [
          field('住所', content.address, 'address', 'name'),
          field('氏名', content.name, 'name', 'name'),
          field('年度', formatWareki(`${content.fiscalYear}-04-01`).replace(/年.*$/, '年度'), 'fiscalYear'),
        ];
        pages[page].push(
          field(
            item.taxItem,
            `税額 ${yen(item.assessedYen)}\u3000納付済額 ${yen(item.paidYen)}\u3000未納額 ${yen(item.unpaidYen)}`,
            `items[${i}]`,
          ),
        );
      });
      return { pages };
    }
    case 'koseki-zenbu':
    case 'koseki-kojin': {
      const header: Row[] = [
        field('本籍', content.honseki, 'honseki', 'name'),
        field('氏名', content.hittousha, 'hittousha', 'name'),
        ...content.kosekiEvents.map((e, j) =>
          text(
            `戸籍事項\u3000${e.kind}\u3000【${e.kind}日】${formatWareki(e.date)}\u3000${e.detail}`,
            `kosekiEvents[${j}]`,
          ),
        ),
      ];
      const pages = kosekiPages(content).map((indices, p) => [
        ...(p === 0 ? header : []),
        ...indices.flatMap((i) => kosekiMemberRows(content.members[i]!, `members[${i}]`)),
      ]);
      return { pages };
    }
    case 'koseki-fuhyo': {
      const pages: Row[][] = [];
      content.addresses.forEach((a, i) => {
        const page = Math.floor(i / FUHYO_ADDRESSES_PER_PAGE);
        pages[page] ??= [
          field('本籍', content.honseki, 'honseki', 'name'),
          field('筆頭者', content.hittousha, 'hittousha', 'name'),
          field('氏名', `${content.name}\u3000（${formatWareki(content.birthDate)}生）`, 'name', 'name'),
        ];
        pages[page].push(
          field(`住所 ${i + 1}`, `${a.address}\u3000（${formatWareki(a.since)}）`, `addresses[${i}]`, 'name'),
        );
      });
      return { pages };
    }
  }
}

export interface FormFitInput {
  pdf: PDFKit.PDFDocument;
  fonts: Record<FontName, Font>;
  document: CertificateDocument;
}

export function fitRegisterForm({
  pdf,
  fonts,
  document,
}: FormFitInput): { ok: true; fit: FormFit } | { ok: false; error: LayoutError } {
  const content = document.content;
  if (content.kind === 'juminhyo')
    return { ok: false, error: { kind: 'content-too-long', field: 'content.kind' } };
  const expected = pageCountFor(content);
  if (document.pageCount !== expected) {
    return { ok: false, error: { kind: 'page-count-mismatch', expected, actual: document.pageCount } };
  }
  const { pages, subtitle } = pagesOf(content);
  let failure: LayoutError | undefined;
  const size = (at: string, font: FontName, value: string, width: number, preferred: number, min: number) => {
    if (failure) return min;
    const missing = firstMissingCodePoint(fonts[font], value);
    if (missing) {
      failure = { kind: 'glyph-missing', field: at, codePoint: missing };
      return min;
    }
    const fitted = fitSize(pdf, font, value, width, preferred, min);
    if (fitted === undefined) failure = { kind: 'content-too-long', field: at };
    return fitted ?? min;
  };
  const sized = pages.map((rows) =>
    rows.map((row): SizedRow => {
      if (row.kind === 'field')
        return { ...row, size: size(row.field, row.font, row.value, VALUE_W, 11, 6.5) };
      if (row.kind === 'text')
        return { ...row, size: size(row.field, row.font, row.text, WIDTH - row.indent - 8, 10, 6) };
      return { ...row, size: 10.5 };
    }),
  );
  const legend = sealLegend(document.municipality.mayorTitle);
  const mayorText = `${document.municipality.mayorTitle}\u3000${document.municipality.mayorName}`;
  const mayorSize = size('municipality.mayorName', 'name', mayorText, F.right - F.certifyLeft - 84, 14, 9);
  const legendMissing = firstMissingCodePoint(fonts.body, legend);
  if (!failure && legendMissing)
    failure = { kind: 'glyph-missing', field: 'municipality.mayorTitle', codePoint: legendMissing };
  if (failure) return { ok: false, error: failure };
  const fit: FormFit = {
    title: CERTIFICATE_TITLES_JA[content.kind],
    pages: sized,
    statement: CERTIFYING_STATEMENTS[content.kind],
    issueDate: formatWareki(japanDateOf(document.issuedAt)),
    mayor: { text: mayorText, size: mayorSize },
    sealLegend: legend,
  };
  if (subtitle) fit.subtitle = subtitle;
  if (content.kind === 'inkan') {
    fit.image = {
      png: Buffer.from(content.sealImage.data, 'base64'),
      sizePt: (content.sealImage.sizeMm * 72) / 25.4,
    };
  }
  return { ok: true, fit };
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
    if (row.kind === 'field') {
      box(pdf, F.left, y, F.labelWidth, h, 0.4);
      box(pdf, F.left + F.labelWidth, y, WIDTH - F.labelWidth, h, 0.4);
      const labelSize = row.label.length > 6 ? 7 : 9;
      if (row.label.length <= 4)
        spread(pdf, 'body', labelSize, row.label, F.left + 8, y + h / 2, F.labelWidth - 16);
      else line(pdf, 'body', labelSize, row.label, F.left, y + h / 2, F.labelWidth, 'center');
      line(pdf, row.font, row.size, row.value, F.left + F.labelWidth + 6, y + h / 2, VALUE_W);
    } else if (row.kind === 'heading') {
      line(pdf, 'body', row.size, row.text, F.left, y + h / 2, WIDTH);
    } else {
      line(pdf, row.font, row.size, row.text, F.left + row.indent, y + h / 2, WIDTH - row.indent);
    }
    y += h;
  }
  if (fit.image && index === 0) {
    // The registered impression at its real size, framed, below the fields.
    const side = fit.image.sizePt;
    const frame = side + 24;
    box(pdf, F.left + F.labelWidth, y + 4, frame, frame, 0.4);
    pdf.image(fit.image.png, F.left + F.labelWidth + 12, y + 16, { width: side, height: side });
    y += frame + 8;
  }
  if (last) {
    line(pdf, 'body', 10, '以下余白', F.left, y + 10, WIDTH, 'center');
    const x = F.certifyLeft;
    const w = F.right - x;
    line(pdf, 'body', 9, fit.statement, x, F.certifyTop + 10, w);
    line(pdf, 'body', 10.5, fit.issueDate, x + 12, F.certifyTop + 34, w);
    const mayorMid = F.certifyTop + 78;
    const sealSide = 62;
    line(pdf, 'name', fit.mayor.size, fit.mayor.text, x, mayorMid, w - sealSide + 14, 'right');
    drawOfficialSeal(pdf, fit.sealLegend, F.right - sealSide, mayorMid - sealSide / 2, sealSide);
  } else {
    line(pdf, 'body', 10, '（次頁に続く）', F.left, F.certifyTop + 10, WIDTH, 'right');
  }
}
