import {
  CERTIFICATE_TITLES_JA,
  CERTIFICATE_TYPES,
  type CertificateType,
} from '../../protocol/certificate-types.ts';
import type { BillingEntry } from '../db/records.ts';
import { japanTime } from '../municipal/japanTime.ts';
import { html, type Html } from './html.ts';

/** Certificates delivered (billed copies) per type and month (JST), from the billing records. */
export interface UsageTable {
  months: string[];
  /** copies[type][month]. */
  copies: Record<CertificateType, Record<string, number>>;
  yen: Record<string, number>;
}

export function usageOf(entries: readonly BillingEntry[], municipalityCode: string): UsageTable {
  const copies = Object.fromEntries(CERTIFICATE_TYPES.map((t) => [t, {}])) as UsageTable['copies'];
  const yen: Record<string, number> = {};
  const months = new Set<string>();
  for (const e of entries) {
    if (e.municipalityCode !== municipalityCode || e.state !== 'billed') continue;
    const type = e.certificateType as CertificateType;
    if (!(type in copies)) continue;
    const month = japanTime(new Date(e.billedAt)).date.slice(0, 7);
    months.add(month);
    const delivered = e.settlement?.outcome === 'delivered' ? e.settlement.copies : e.copies;
    copies[type][month] = (copies[type][month] ?? 0) + delivered;
    yen[month] = (yen[month] ?? 0) + (e.settlement?.billedYen ?? e.feeYenTotal);
  }
  return { months: [...months].sort(), copies, yen };
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote everything that could be read as a formula or break a cell (CSV injection).
  return /^[=+\-@\t\r]|[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function usageCsv(table: UsageTable): string {
  const lines = [['month', 'certificate_type', 'copies'].join(',')];
  for (const month of table.months)
    for (const type of CERTIFICATE_TYPES) {
      const n = table.copies[type][month] ?? 0;
      if (n > 0) lines.push([month, type, n].map(csvCell).join(','));
    }
  return `${lines.join('\r\n')}\r\n`;
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** A stacked bar chart: one bar per month, one colour per certificate type, with a legend. */
export function usageChart(table: UsageTable): Html {
  const width = 640;
  const height = 260;
  const left = 40;
  const bottom = 30;
  const totals = table.months.map((m) =>
    CERTIFICATE_TYPES.reduce((s, t) => s + (table.copies[t][m] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const slot = (width - left) / Math.max(1, table.months.length);
  const bars = table.months.map((month, i) => {
    let y = height - bottom;
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const parts = CERTIFICATE_TYPES.map((type, t) => {
      const n = table.copies[type][month] ?? 0;
      if (n === 0) return '';
      const h = ((height - bottom - 10) * n) / max;
      y -= h;
      return html`<rect
        x="${x.toFixed(1)}"
        y="${y.toFixed(1)}"
        width="${w.toFixed(1)}"
        height="${h.toFixed(1)}"
        fill="${COLOURS[t] ?? '#000'}"
        ><title>${month} ${CERTIFICATE_TITLES_JA[type]}: ${n}</title></rect
      >`;
    });
    return html`${parts}<text
        x="${(x + w / 2).toFixed(1)}"
        y="${height - 10}"
        text-anchor="middle"
        font-size="11"
        >${month}</text
      ><text x="${(x + w / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="11"
        >${totals[i] ?? 0}</text
      >`;
  });
  const legend = CERTIFICATE_TYPES.map(
    (type, t) =>
      html`<li>
        <svg width="10" height="10" aria-hidden="true">
          <rect width="10" height="10" fill="${COLOURS[t] ?? '#000'}" />
        </svg>
        ${CERTIFICATE_TITLES_JA[type]}
      </li>`,
  );
  return html`<figure>
    <svg
      role="img"
      aria-label="証明書の種類別・月別の交付部数"
      viewBox="0 0 ${width} ${height}"
      width="${width}"
      height="${height}"
    >
      <line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#333" />
      ${bars}
    </svg>
    <ul class="legend">
      ${legend}
    </ul>
  </figure>`;
}
