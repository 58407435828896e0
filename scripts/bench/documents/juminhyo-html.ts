import { pathToFileURL } from 'node:url';
import QRCode from 'qrcode';
import type { DocumentOf, JuminhyoMember } from '../../../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../../../protocol/certificate-types.ts';
import { DEFAULT_COPY_DETERRENT } from '../../../certificate-templates/anti-forgery.ts';
import { resolveFontPaths } from '../../../certificate-templates/fonts.ts';
import { formText, scopeOf } from '../../../certificate-templates/form-texts.ts';
import { sealLegend } from '../../../certificate-templates/official-seal.ts';
import { PAGE_FRAME as F } from '../../../certificate-templates/page.ts';
import { QR_CAPTION } from '../../../certificate-templates/render.ts';
import { sealToQrText } from '../../../certificate-templates/seal-text.ts';
import { formatSeireki, formatWareki, japanDateOf } from '../../../certificate-templates/wareki.ts';

/**
 * The same one-page 住民票の写し laid out in HTML and CSS for Chromium's print to PDF, so the
 * documents bench can set our pdfkit renderer beside a browser doing the same job: the same
 * fields in the same order and places (points on A4, the frame of certificate-templates/page.ts),
 * the same two Debian font files through @font-face, the same QR text (as SVG), a drawn 公印 and
 * a 地紋 of the same geometry (fine dots everywhere, the word 「複写」 in coarse dots on a white
 * knock-out). Faithful enough to weigh the work, not a second form to maintain.
 */
/** A page for Chromium in three parts: the fonts (loaded once), the form's style, its body. */
export interface HtmlPage {
  fontFaces: string;
  style: string;
  body: string;
}

/** The two 明朝 fonts as @font-face rules naming the same Debian files the renderer embeds. */
export function fontFacesCss(): string {
  const fonts = resolveFontPaths();
  return [
    `@font-face { font-family: KioskBody; src: url('${pathToFileURL(fonts.body).href}'); }`,
    `@font-face { font-family: KioskName; src: url('${pathToFileURL(fonts.name).href}'); }`,
  ].join('\n');
}

/** The whole page as one HTML file (to look at it in a browser). */
export function htmlFile(page: HtmlPage): string {
  return `<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><style>${page.fontFaces}</style><style>${page.style}</style></head><body>${page.body}</body></html>`;
}

export function juminhyoHtml(document: DocumentOf<'juminhyo'>, seal: Uint8Array): HtmlPage {
  const content = document.content;
  const scope = scopeOf(content.scope);
  const withRelationship = content.householdHead !== undefined;
  const header = [
    ['住所', content.address],
    ['世帯主', content.householdHead],
    ['本籍', content.honseki],
    ['筆頭者', content.hittousha],
  ].filter((row): row is [string, string] => row[1] !== undefined);
  const qrSvg = qrSvgOf(sealToQrText(seal));
  const legend = Array.from(sealLegend(document.municipality.mayorTitle));
  // The name cell: as wide as pdfkit's form makes it, with or without the 続柄 column.
  const withRelationshipWidth = withRelationship ? 238 : F.right - F.left - F.labelWidth - 44 - 36;
  const style = `
@page { size: A4; margin: 0; }
* { box-sizing: border-box; margin: 0; padding: 0; }
html, body { width: 595.28pt; height: 841.89pt; }
body { position: relative; font-family: KioskBody; font-size: 9pt; color: #000; overflow: hidden; ${copyDeterrentCss()} }
.ground { position: absolute; inset: 0; width: 595.28pt; height: 841.89pt; }
.abs { position: absolute; }
.name { font-family: KioskName; }
h1 { position: absolute; left: 0; width: 100%; top: ${F.titleY - 14}pt; text-align: center;
  font-size: 22pt; font-weight: normal; letter-spacing: 10pt; }
.subtitle { top: ${F.titleY + 16}pt; left: 0; width: 100%; text-align: center; font-size: 9.5pt; }
.sheet { left: ${F.left}pt; width: ${F.right - F.left}pt; }
.row { display: flex; height: 15pt; }
.row > *, .cell > * { border: 0.4pt solid #000; white-space: nowrap; overflow: hidden; display: flex; align-items: center; }
.cell { display: flex; }
.cell.half { width: ${(F.right - F.left) / 2}pt; }
.cell.wide { width: ${F.right - F.left}pt; }
.label { width: ${F.labelWidth}pt; flex: none; justify-content: space-between; padding: 0 7pt; font-size: 8pt; text-align-last: justify; }
.value { flex: 1; padding: 0 4pt; font-size: 9.5pt; }
.header { top: ${F.headerTop}pt; border: 1.2pt solid #000; }
.header .row { height: ${F.rowHeight}pt; }
.header .label { font-size: 10pt; padding: 0 12pt; }
.header .value { font-size: 11.5pt; }
.member { border: 0.9pt solid #000; margin-top: 5pt; }
.member .namerow { height: 30pt; }
.fullname { flex: none; width: ${withRelationshipWidth}pt; flex-direction: column; align-items: stretch; justify-content: center; }
.kana { font-size: 8pt; border-bottom: 0.2pt solid #000; }
.fullname .name { font-size: 15pt; }
.label.small { width: 44pt; font-size: 9pt; }
.sex { flex: none; width: 36pt; justify-content: center; font-size: 10.5pt; }
.rel { justify-content: center; font-size: 10.5pt; }
.blank { text-align: center; font-size: 10pt; margin-top: 5pt; }
.certify { left: ${F.certifyLeft}pt; top: ${F.certifyTop + 4}pt; width: ${F.right - F.certifyLeft}pt; font-size: 10.5pt; }
.date { left: ${F.certifyLeft + 12}pt; top: ${F.certifyTop + 28}pt; font-size: 10.5pt; }
.mayor { left: ${F.certifyLeft}pt; width: ${F.right - F.certifyLeft - 48}pt; top: ${F.certifyTop + 70}pt; text-align: right; font-size: 14pt; }
.seal { left: ${F.right - 62}pt; top: ${F.certifyTop + 47}pt; width: 62pt; height: 62pt; border: 2.5pt double #e0301e;
  color: #e0301e; display: grid; grid-template-columns: repeat(${Math.ceil(legend.length / 3)}, 1fr); grid-auto-flow: column;
  grid-template-rows: repeat(3, 1fr); direction: rtl; font-size: 15pt; line-height: 1; text-align: center; align-items: center; }
.qr { left: ${F.left - 7}pt; top: ${F.footerY - 92}pt; width: 82pt; height: 82pt; background: #fff; }
.caption { left: ${F.left + 82}pt; top: ${F.footerY - 44}pt; width: 250pt; font-size: 6.5pt; line-height: 1.3; }
.footer { left: ${F.left}pt; width: ${F.right - F.left}pt; top: ${F.footerY + 3}pt; display: flex; justify-content: space-between; }
`;
  const body = `
${copyDeterrentWordsSvg()}
<h1>${escape(CERTIFICATE_TITLES_JA.juminhyo)}</h1>
<div class="abs subtitle">${escape(formText(document, `subtitle.${scope}`))}</div>
<div class="abs sheet header">${header
    .map(
      ([label, value]) =>
        `<div class="row"><span class="label">${label}</span><span class="value name">${escape(value)}</span></div>`,
    )
    .join('')}</div>
<div class="abs sheet" style="top:${F.headerTop + header.length * F.rowHeight + 3}pt">
${content.members.map((m, i) => memberHtml(m, i + 1, withRelationship)).join('\n')}
<div class="blank">以下余白</div>
</div>
<div class="abs certify">${escape(formText(document, `juminhyo.${scope}`))}</div>
<div class="abs date">${escape(formatWareki(japanDateOf(document.issuedAt)))}</div>
<div class="abs mayor name">${escape(`${document.municipality.mayorTitle}\u3000${document.municipality.mayorName}`)}</div>
<div class="abs seal">${legend.map((c) => `<span>${escape(c)}</span>`).join('')}</div>
<div class="abs qr">${qrSvg}</div>
<div class="abs caption">${escape(QR_CAPTION)}</div>
<div class="abs footer"><span>証明書番号\u3000${escape(document.documentId)}</span><span>1 / ${document.pageCount} ページ</span></div>
`;
  return { fontFaces: fontFacesCss(), style, body };
}

function memberHtml(m: JuminhyoMember, number: number, withRelationship: boolean): string {
  const rows: Array<Array<[string, string | undefined, boolean]>> = [
    [
      ['生年月日', `${formatWareki(m.birthDate)}（${formatSeireki(m.birthDate)}）生`, false],
      ['住民となった年月日', formatWareki(m.residentSince), false],
    ],
    [
      ['住所を定めた年月日', m.addressSince && formatWareki(m.addressSince), false],
      ['届出日', m.addressNotifiedOn && formatWareki(m.addressNotifiedOn), false],
    ],
    [['前住所', m.previousAddress, true]],
    [
      ['記載事由', m.entry && `${formatWareki(m.entry.date)}\u3000${m.entry.reason}`, false],
      ['個人番号', m.myNumber, false],
    ],
    [
      ['旧氏', m.kyuuji, true],
      ['通称', m.tsusho, true],
    ],
  ];
  if (m.foreign) {
    rows.push(
      [
        ['国籍・地域', m.foreign.nationality, false],
        ['30条45規定区分', m.foreign.category, false],
      ],
      [
        ['在留資格', m.foreign.residenceStatus, false],
        ['在留期間等', m.foreign.periodOfStay, false],
      ],
    );
  }
  const cells = rows
    .map((row) => row.filter((cell) => cell[1] !== undefined))
    .filter((row) => row.length > 0)
    .map(
      (row) =>
        `<div class="row">${row
          .map(
            ([label, value, name]) =>
              `<div class="cell ${row.length === 1 ? 'wide' : 'half'}"><span class="label">${label}</span><span class="value${name ? ' name' : ''}">${escape(value ?? '')}</span></div>`,
          )
          .join('')}</div>`,
    )
    .join('');
  const relationship = withRelationship
    ? `<span class="label small">続柄</span><span class="value rel">${escape(m.relationship ?? '')}</span>`
    : '';
  return `<div class="member"><div class="row namerow"><span class="label"><sup>${number}</sup>氏名</span>
<span class="value fullname"><span class="kana">${escape(m.nameKana)}</span><span class="name">${escape(m.name)}</span></span>
<span class="label small">性別</span><span class="value sex">${escape(m.sex)}</span>${relationship}</div>${cells}</div>`;
}

/**
 * The 地紋 with the geometry of DEFAULT_COPY_DETERRENT (600 dpi device px → pt), in the form
 * Chromium prints cheapest: the fine dots as a repeated CSS background image (a PDF tiling
 * pattern in Skia's output; an SVG <pattern> over the whole page cost Chromium 15 s and 1.5 MB a
 * page here), the word rows as SVG text: a white knock-out, then the coarse dots inside the word.
 */
function copyDeterrentCss(): string {
  const o = DEFAULT_COPY_DETERRENT;
  const pt = (px: number) => (px * 72) / o.deviceDpi;
  const dot = `<svg xmlns="http://www.w3.org/2000/svg" width="${pt(o.finePitchPx)}" height="${pt(o.finePitchPx)}"><rect width="${pt(o.fineDotPx)}" height="${pt(o.fineDotPx)}"/></svg>`;
  return `background-image: url("data:image/svg+xml,${encodeURIComponent(dot)}"); background-size: ${pt(o.finePitchPx)}pt ${pt(o.finePitchPx)}pt;`;
}

function copyDeterrentWordsSvg(): string {
  const o = DEFAULT_COPY_DETERRENT;
  const pt = (px: number) => (px * 72) / o.deviceDpi;
  // Each row a <text> with its own transform: a <clipPath> takes shapes and text, not groups.
  const rows: string[] = [];
  for (let y = -400; y < 1400; y += o.rowPitchPt) {
    const words = Array.from({ length: 6 }, () => o.word).join('\u3000\u3000');
    rows.push(
      `<text x="-200" y="${y}" transform="rotate(${-o.wordAngleDeg} 297.64 420.95)" font-family="KioskBody" font-size="${o.wordSizePt}">${words}</text>`,
    );
  }
  const wordRows = rows.join('');
  return `<svg class="ground" viewBox="0 0 595.28 841.89" xmlns="http://www.w3.org/2000/svg">
<defs><pattern id="coarse" width="${pt(o.coarsePitchPx)}" height="${pt(o.coarsePitchPx)}" patternUnits="userSpaceOnUse"><rect width="${pt(o.coarseDotPx)}" height="${pt(o.coarseDotPx)}"/></pattern></defs>
<g fill="#fff" stroke="#fff" stroke-width="${2 * o.wordBoldPt}">${wordRows}</g>
<clipPath id="word">${wordRows}</clipPath>
<rect width="100%" height="100%" fill="url(#coarse)" clip-path="url(#word)"/>
</svg>`;
}

function qrSvgOf(text: string): string {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = code.modules.size;
  const rects: string[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (code.modules.get(row, col) === 1) rects.push(`M${col + 4} ${row + 4}h1v1h-1z`);
    }
  }
  const side = size + 8;
  return `<svg viewBox="0 0 ${side} ${side}" width="100%" height="100%" xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path d="${rects.join('')}"/></svg>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}
