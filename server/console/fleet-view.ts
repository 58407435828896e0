/**
 * The fleet page of the centre's operator: kiosks by store with their last health and the alerts
 * in force. Health only (devices, supplies, the link) — the records carry no resident data. Pure.
 */
import type { FleetAlert, FleetAlertCode, TerminalHealthRecord } from '../fleet/index.ts';
import type { OverallHealth } from '../../protocol/heartbeat.ts';
import { japanIsoDateTime } from '../municipal/japanTime.ts';
import { html, type Html } from './html.ts';

export const OVERALL_JA: Readonly<Record<OverallHealth, string>> = {
  healthy: '正常',
  degraded: '一部不調',
  'out-of-service': '停止中',
};

export const ALERT_JA: Readonly<Record<FleetAlertCode, string>> = {
  'out-of-paper': '用紙切れ',
  'reader-missing': 'カードリーダーなし',
  'centre-unreachable': 'センターと通信なし',
  'certificate-expiring': '端末証明書の期限が近い',
};

const PRINTER_JA = {
  idle: '待機中',
  processing: '印刷中',
  stopped: '停止',
  unreachable: '応答なし',
} as const;
const READER_JA = { ready: '使用可', 'no-reader': 'なし', 'service-down': 'サービス停止' } as const;
const PAYMENT_JA = {
  online: '正常',
  offline: 'オフライン',
  unknown: '不明',
  'not-checked': '未確認',
} as const;
const DAY_MS = 24 * 60 * 60_000;

/** "3分前", "2時間前": how long ago the centre last heard the terminal. */
export function ageJa(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}秒前`;
  if (s < 3600) return `${Math.floor(s / 60)}分前`;
  if (s < 86_400) return `${Math.floor(s / 3600)}時間前`;
  return `${Math.floor(s / 86_400)}日前`;
}

function printerCell(r: TerminalHealthRecord): Html {
  const p = r.health.printer;
  const paper = p.supplies.filter((x) => x.kind === 'paper');
  const others = p.supplies.filter((x) => x.kind !== 'paper');
  const level = (n: number | null) => (n === null ? '不明' : `${n}%`);
  const outOfPaper = r.health.problems.some((x) => x.code === 'printer-out-of-paper');
  return html`${PRINTER_JA[p.state]}${outOfPaper ? html`、<strong>用紙切れ</strong>` : ''}
  ${paper.map((x) => html`<br />用紙 ${x.name}: ${level(x.levelPercent)}`)}
  ${others.map((x) => html`<br />${x.name}: ${level(x.levelPercent)}`)}
  ${p.reasons.length > 0 ? html`<br /><small>${p.reasons.join(', ')}</small>` : ''}`;
}

function terminalRow(r: TerminalHealthRecord, alerts: readonly FleetAlert[], now: number): Html {
  const silent = alerts.some((a) => a.code === 'centre-unreachable');
  const days = Math.floor((r.certificateNotAfter - now) / DAY_MS);
  const pay = r.health.payment;
  return html`<tr>
    <th scope="row">${r.terminalId}</th>
    <td data-status="${r.health.overall}">
      ${OVERALL_JA[r.health.overall]}${silent ? html`（<strong>応答なし</strong>）` : ''}
    </td>
    <td>${ageJa(now - r.receivedAt)}<br /><small>${japanIsoDateTime(new Date(r.receivedAt))}</small></td>
    <td>${printerCell(r)}</td>
    <td>
      ${
        r.health.readers.length === 0
          ? html`<strong>なし</strong>`
          : r.health.readers.map((x, i) => html`${i > 0 ? html`<br />` : ''}${x.name}: ${READER_JA[x.state]}`)
      }
    </td>
    <td>
      ${PAYMENT_JA[pay.state]}${pay.faults.length > 0 ? html`<br /><small>${pay.faults.join(', ')}</small>` : ''}
    </td>
    <td>
      ${japanIsoDateTime(new Date(r.certificateNotAfter)).slice(0, 10)}<br /><small
        >${days < 0 ? '期限切れ' : `残り${days}日`}</small
      >
    </td>
  </tr>`;
}

export function fleetView(
  records: readonly TerminalHealthRecord[],
  alerts: readonly FleetAlert[],
  now: number,
): Html {
  const stores = [...new Set(records.map((r) => r.storeCode))].sort();
  const alertList =
    alerts.length === 0
      ? html`<p role="status">警報はありません。</p>`
      : html`<ul class="problems" role="alert" aria-label="警報">
          ${alerts.map(
            (a) =>
              html`<li>
                店舗 ${a.storeCode} 端末 ${a.terminalId}:
                ${ALERT_JA[a.code]}（${japanIsoDateTime(new Date(a.since))}から）
              </li>`,
          )}
        </ul>`;
  const tables = stores.map((storeCode) => {
    const rows = records
      .filter((r) => r.storeCode === storeCode)
      .map((r) =>
        terminalRow(
          r,
          alerts.filter((a) => a.terminalId === r.terminalId),
          now,
        ),
      );
    return html`<section>
      <h3>店舗 ${storeCode}</h3>
      <table aria-label="店舗 ${storeCode} の端末">
        <thead>
          <tr>
            <th>端末</th>
            <th>状態</th>
            <th>最終受信</th>
            <th>プリンター・用紙</th>
            <th>カードリーダー</th>
            <th>決済</th>
            <th>端末証明書の期限</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </section>`;
  });
  return html`<h2>警報</h2>
    ${alertList}
    <h2>店舗別の端末</h2>
    ${records.length === 0 ? html`<p>まだ端末からの報告がありません。</p>` : tables}`;
}
