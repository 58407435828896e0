/** `npm run diagnose`'s human table: one line per part, then the problems and the verdict. */
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import type { TodaysCounts } from './todays-counts.ts';

export function healthTable(health: KioskHealth, counts: TodaysCounts | null): string {
  const rows: [string, string][] = [];
  for (const r of health.readers)
    rows.push([
      'reader',
      `${r.name} ${r.state}${r.cardPresent ? ' (card present)' : ''}${r.lastError ? ` last error ${r.lastError}` : ''}`,
    ]);
  if (health.readers.length === 0) rows.push(['reader', 'none']);
  const p = health.printer;
  rows.push([
    'printer',
    `${p.state}${p.reasons.length ? ` (${p.reasons.join(', ')})` : ''}${p.queuedJobs === null ? '' : `, ${p.queuedJobs} queued`}${p.supplies.map((s) => `, ${s.name} ${s.levelPercent ?? '?'}%`).join('')}`,
  ]);
  const pay = health.payment;
  rows.push([
    'payment',
    `${pay.state}${pay.coinBoxFull ? ', cash box full' : ''}${pay.faults.length ? `, faults ${pay.faults.join(',')}` : ''}${
      Object.keys(pay.changeLevels).length
        ? `, change ${Object.entries(pay.changeLevels)
            .map(([c, n]) => `${c}円×${n}`)
            .join(' ')}`
        : ''
    }`,
  ]);
  const c = health.centre;
  rows.push([
    'centre',
    `${c.reachable ? 'reachable' : 'UNREACHABLE'}${c.latencyMs === null ? '' : `, ${c.latencyMs} ms`}${c.clockSkewMs === null ? '' : `, clock skew ${Math.round(c.clockSkewMs / 1000)} s`}`,
  ]);
  rows.push([
    'terminal certificate',
    c.terminalCertificateNotAfter ? `expires ${c.terminalCertificateNotAfter}` : '-',
  ]);
  rows.push([
    'disk',
    health.disk
      ? `${(health.disk.freeBytes / 1024 ** 3).toFixed(1)} GiB free of ${(health.disk.totalBytes / 1024 ** 3).toFixed(1)} GiB (${health.disk.path})`
      : '-',
  ]);
  rows.push([
    'versions',
    Object.entries(health.versions)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ]);
  rows.push(['out of service', health.outOfServiceSince ? `since ${health.outOfServiceSince}` : 'no']);
  if (counts) {
    rows.push(['today', counts.day]);
    rows.push([
      'delivered',
      counts.delivered.map((d) => `${d.certificateType} ${d.copies}`).join(', ') || 'none',
    ]);
    rows.push(['refunds due', `${counts.refundsDue.count} (${counts.refundsDue.yen}円)`]);
    rows.push(['refunds done', `${counts.refundsDone.count} (${counts.refundsDone.yen}円)`]);
    rows.push(['left behind', `cards ${counts.cardsLeftBehind}, documents ${counts.documentsUncollected}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  lines.push('');
  lines.push(
    health.problems.length === 0
      ? 'problems: none'
      : `problems: ${health.problems.map((pr) => `${pr.code}${pr.blocking ? ' (blocking)' : ''}`).join(', ')}`,
  );
  lines.push(`overall: ${health.overall}`);
  return lines.join('\n');
}
