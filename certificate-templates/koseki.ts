/// <reference types="pdfkit" />
import {
  kosekiEventTags,
  kosekiPages,
  KOSEKI_LINE_HEIGHT,
  type KosekiEvent,
  type KosekiKojinContent,
  type KosekiMember,
  type KosekiZenbuContent,
} from '../protocol/documents.ts';
import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import { drawCertification, fitCertification, type CertificationFit } from './certification.ts';
import { box, INK, line, rule, spread, type FontName } from './draw.ts';
import { Fitter, fitFailure, type FitFailure, type FitInput, type Sized } from './fit.ts';
import { formText } from './form-texts.ts';
import { BODY_WIDTH as WIDTH, PAGE, PAGE_FRAME as F } from './page.ts';
import { formatWareki } from './wareki.ts';

/**
 * 戸籍全部事項証明書 / 戸籍個人事項証明書 in the framed form of the computerised 戸籍: a label column
 * (本籍, 氏名, 戸籍事項, 戸籍に記録されている者, 身分事項) beside the entries; the 戸籍事項 and each
 * person are boxes separated by rules; a person shows 【名】, 【生年月日】 with 【配偶者区分】,
 * 【父】 and 【母】 only when recorded, 【続柄】, 除籍 in a box; each 身分事項 (出生, 婚姻, …) is a
 * heading with its tagged lines: 【出生日】, 【出生地】, 【届出日】, 【届出人】, 【従前戸籍】 in full.
 * One line of the form is one protocol line (KOSEKI_LINE_HEIGHT), so the centre's page count and
 * the paper agree (protocol/documents.ts kosekiPages).
 */

const LABEL_W = 96;
const EVENT_W = 62;
const VALUE_X = F.left + LABEL_W + 8;
const VALUE_W = WIDTH - LABEL_W - 12;
const TAG_X = VALUE_X + EVENT_W;
const TAG_W = VALUE_W - EVENT_W;

/** One printed line: an optional event heading at the left of the value column, then a text. */
interface KosekiLine {
  heading?: string;
  text: Sized;
  font: FontName;
}

/** A framed section: label column text(s) and its lines. */
interface Section {
  labels: string[];
  lines: KosekiLine[];
  removed?: boolean;
  /** A thick rule above: a new person starts. */
  personStart?: boolean;
}

export interface KosekiFit {
  title: string;
  pages: Section[][];
  certification: CertificationFit;
}

function eventLines(fitter: Fitter, e: KosekiEvent, at: string): KosekiLine[] {
  const tags = kosekiEventTags(e, formatWareki);
  return tags.map((tag, i) => {
    const printed: KosekiLine = {
      text: fitter.fit(`${at}${tag.field}`, 'name', tag.text, TAG_W, 10, 6.5),
      font: 'name',
    };
    if (i === 0) printed.heading = e.kind;
    return printed;
  });
}

function personSections(fitter: Fitter, m: KosekiMember, at: string): Section[] {
  const text = (field: string, value: string): KosekiLine => ({
    text: fitter.fit(`${at}.${field}`, 'name', value, VALUE_W, 10.5, 6.5),
    font: 'name',
  });
  const person: KosekiLine[] = [
    text('name', `【名】${m.name}`),
    text(
      'birthDate',
      `【生年月日】${formatWareki(m.birthDate)}${m.spouseRole ? `\u3000【配偶者区分】${m.spouseRole}` : ''}`,
    ),
  ];
  if (m.father) person.push(text('father', `【父】${m.father}`));
  if (m.mother) person.push(text('mother', `【母】${m.mother}`));
  person.push(text('relationship', `【続柄】${m.relationship}`));
  const sections: Section[] = [
    { labels: ['戸籍に記録されている者'], lines: person, removed: m.removed, personStart: true },
  ];
  if (m.events.length > 0) {
    sections.push({
      labels: ['身分事項'],
      lines: m.events.flatMap((e, j) => eventLines(fitter, e, `${at}.events[${j}]`)),
    });
  }
  return sections;
}

export function fitKoseki({ pdf, fonts, document }: FitInput): { ok: true; fit: KosekiFit } | FitFailure {
  const content = document.content;
  if (content.kind !== 'koseki-zenbu' && content.kind !== 'koseki-kojin') {
    return fitFailure({ kind: 'content-too-long', field: 'content.kind' });
  }
  const pageIndices = kosekiPages(content as KosekiZenbuContent | KosekiKojinContent);
  if (document.pageCount !== pageIndices.length) {
    return fitFailure({
      kind: 'page-count-mismatch',
      expected: pageIndices.length,
      actual: document.pageCount,
    });
  }
  const fitter = new Fitter(pdf, fonts);
  const header: Section[] = [
    {
      labels: ['本籍'],
      lines: [{ text: fitter.fit('honseki', 'name', content.honseki, VALUE_W, 11, 7), font: 'name' }],
    },
    {
      labels: ['氏名'],
      lines: [{ text: fitter.fit('hittousha', 'name', content.hittousha, VALUE_W, 11, 7), font: 'name' }],
    },
  ];
  if (content.kosekiEvents.length > 0) {
    header.push({
      labels: ['戸籍事項'],
      lines: content.kosekiEvents.flatMap((e, j) => eventLines(fitter, e, `kosekiEvents[${j}]`)),
    });
  }
  const pages = pageIndices.map((indices, p) => [
    ...(p === 0 ? header : []),
    ...indices.flatMap((i) => personSections(fitter, content.members[i]!, `members[${i}]`)),
  ]);
  const certification = fitCertification(fitter, document, formText(document, content.kind));
  const failed = fitter.result();
  if (failed) return failed;
  return { ok: true, fit: { title: CERTIFICATE_TITLES_JA[content.kind], pages, certification } };
}

export function drawKosekiPage(pdf: PDFKit.PDFDocument, fit: KosekiFit, index: number): void {
  const last = index === fit.pages.length - 1;
  pdf.font('name').fontSize(18).fillColor(INK);
  const titleW = pdf.widthOfString(fit.title, { characterSpacing: 4 });
  pdf.text(fit.title, (PAGE.width - titleW) / 2 + 2, F.titleY - 12, {
    lineBreak: false,
    characterSpacing: 4,
  });
  const h = KOSEKI_LINE_HEIGHT;
  const top = F.headerTop;
  let y = top;
  for (const section of fit.pages[index] ?? []) {
    const height = section.lines.length * h;
    if (section.personStart && y > top) rule(pdf, F.left, y, F.right, y, 1.2);
    box(pdf, F.left, y, LABEL_W, height, 0.5);
    box(pdf, F.left + LABEL_W, y, WIDTH - LABEL_W, height, 0.5);
    const label = section.labels[0] ?? '';
    if (Array.from(label).length <= 4) spread(pdf, 'name', 9.5, label, F.left + 10, y + h / 2, LABEL_W - 20);
    else line(pdf, 'name', 8, label, F.left, y + h / 2, LABEL_W, 'center');
    if (section.removed) {
      const bw = 30;
      box(pdf, F.left + (LABEL_W - bw) / 2, y + h + 2, bw, h - 2, 0.6);
      line(pdf, 'name', 9, '除籍', F.left, y + h * 1.5 + 1, LABEL_W, 'center');
    }
    section.lines.forEach((l, i) => {
      const mid = y + i * h + h / 2;
      if (l.heading) spread(pdf, 'name', 9.5, l.heading, VALUE_X, mid, EVENT_W - 16);
      const x = section.labels[0] === '身分事項' || section.labels[0] === '戸籍事項' ? TAG_X : VALUE_X;
      line(
        pdf,
        l.text.font,
        l.text.size,
        l.text.text,
        x,
        mid,
        section.labels[0] === '身分事項' ? TAG_W : VALUE_W,
      );
    });
    y += height;
  }
  pdf
    .save()
    .lineWidth(1.2)
    .rect(F.left, top, WIDTH, y - top)
    .stroke(INK)
    .restore();
  if (last) {
    line(pdf, 'body', 10, '以下余白', F.left, y + 12, WIDTH, 'center');
    drawCertification(pdf, fit.certification);
  } else {
    line(pdf, 'body', 10, '（次頁に続く）', F.left, F.certifyTop + 10, WIDTH, 'right');
  }
}
