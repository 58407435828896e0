/**
 * `npm run diagnose -- [--json] [--centre URL] [--printer URL] [--tls-cert F --tls-key F --centre-ca F]
 *   [--world DIR] [--journal PATH] [--switch FILE] [--payment-serial PATH] [--no-reader]`
 * The kiosk's health, headless: the same status operator mode shows (electron/diagnostics/), as a
 * table or as JSON (`{ health, counts }`). Exit 0 healthy, 1 degraded, 2 out of service
 * (a blocking problem, or the operator's switch).
 *
 * Defaults come from the kiosk's environment (KIOSK_CENTRE_URL, KIOSK_PRINTER_URL, KIOSK_TLS_CERT,
 * KIOSK_TLS_KEY, KIOSK_CENTRE_CA, KIOSK_JOURNAL, KIOSK_OPERATOR_SWITCH); `--world` takes the
 * development world's terminal credentials. The payment device is asked only with
 * --payment-serial (a running host holds its serial line); otherwise it is reported `not-checked`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PaymentHealth, ReaderHealth } from '../protocol/heartbeat.ts';
import { exitCodeFor } from '../electron/diagnostics/assess-health.ts';
import { createCentreLinkProbe } from '../electron/diagnostics/centre-link.ts';
import {
  collectKioskHealth,
  paymentHealthOf,
  readerHealthOf,
} from '../electron/diagnostics/collect-health.ts';
import { diskHealthOf, versionsOf } from '../electron/diagnostics/disk-and-versions.ts';
import { ippPrinterHealth } from '../electron/diagnostics/printer-health.ts';
import { healthTable } from '../electron/diagnostics/status-table.ts';
import { todaysCounts, type TodaysCounts } from '../electron/diagnostics/todays-counts.ts';
import type { CentreClientTls } from '../electron/host/centre-client.ts';
import { readOperatorSwitch } from '../electron/host/operator-switch.ts';
import { defaultJournalPath } from '../electron/journal/journal-path.ts';
import { openKioskJournal } from '../electron/journal/journal.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';

async function readerHealth(skip: boolean): Promise<ReaderHealth[]> {
  if (skip) return [];
  const { PcscCardReader } = await import('../native/pcsc/index.ts');
  const reader = new PcscCardReader({});
  try {
    // pcscd announces its readers asynchronously: give it a moment.
    const deadline = Date.now() + 2_000;
    while (reader.status().kind === 'no-reader' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return [readerHealthOf(reader.status())];
  } finally {
    await reader.close();
  }
}

async function paymentHealth(serial: string | undefined): Promise<PaymentHealth> {
  if (serial === undefined) return { state: 'not-checked', faults: [], changeLevels: {}, coinBoxFull: false };
  const { openCctalkPaymentDevice } = await import('../electron/payment/cctalk/index.ts');
  const opened = await openCctalkPaymentDevice(serial);
  if (!opened.ok) return { state: 'offline', faults: ['offline'], changeLevels: {}, coinBoxFull: false };
  try {
    return await paymentHealthOf(opened.device);
  } finally {
    await opened.device.close();
  }
}

function tlsFrom(values: {
  'tls-cert'?: string;
  'tls-key'?: string;
  'centre-ca'?: string;
  world?: string;
}): CentreClientTls | undefined {
  if (values.world) {
    const dir = `${values.world}/tls`;
    const id = readdirTerminal(dir);
    return {
      certificatePem: readFileSync(`${dir}/terminals/${id}.pem`, 'utf8'),
      privateKeyPem: readFileSync(`${dir}/terminals/${id}.key.pem`, 'utf8'),
      caPem: readFileSync(`${dir}/ca.pem`, 'utf8'),
    };
  }
  const cert = values['tls-cert'] ?? process.env['KIOSK_TLS_CERT'];
  const key = values['tls-key'] ?? process.env['KIOSK_TLS_KEY'];
  const ca = values['centre-ca'] ?? process.env['KIOSK_CENTRE_CA'];
  if (!cert || !key || !ca) return undefined;
  return {
    certificatePem: readFileSync(cert, 'utf8'),
    privateKeyPem: readFileSync(key, 'utf8'),
    caPem: readFileSync(ca, 'utf8'),
  };
}

function readdirTerminal(dir: string): string {
  const id = process.env['KIOSK_TERMINAL_ID'] ?? 'S0001-T01';
  if (!existsSync(`${dir}/terminals/${id}.pem`))
    fail(`no terminal certificate for ${id} in ${dir}/terminals`, 2);
  return id;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean' },
      centre: { type: 'string' },
      printer: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'centre-ca': { type: 'string' },
      world: { type: 'string' },
      journal: { type: 'string' },
      switch: { type: 'string' },
      'payment-serial': { type: 'string' },
      'no-reader': { type: 'boolean' },
    },
    strict: true,
  });
  const centreUrl = values.centre ?? process.env['KIOSK_CENTRE_URL'];
  if (!centreUrl) fail('no centre: pass --centre URL or set KIOSK_CENTRE_URL', 3);
  const printerUrl = values.printer ?? process.env['KIOSK_PRINTER_URL'];
  const tls = tlsFrom(values);
  const switchPath = values.switch ?? process.env['KIOSK_OPERATOR_SWITCH'];
  const journalPath = values.journal ?? defaultJournalPath(PROJECT_ROOT);
  const version = (JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { version: string })
    .version;
  const centre = createCentreLinkProbe({ baseUrl: centreUrl, ...(tls ? { tls } : {}) });
  const readers = await readerHealth(values['no-reader'] === true);
  try {
    const health = await collectKioskHealth({
      now: () => new Date(),
      outOfServiceSince: () => (switchPath ? (readOperatorSwitch(switchPath)?.since ?? null) : null),
      readers: () => readers,
      printer: async () =>
        printerUrl
          ? ippPrinterHealth(printerUrl)
          : { state: 'unreachable', reasons: [], supplies: [], queuedJobs: null },
      payment: () => paymentHealth(values['payment-serial']),
      centre: () => centre.check(),
      disk: () => diskHealthOf(PROJECT_ROOT),
      versions: versionsOf(version),
    });
    let counts: TodaysCounts | null = null;
    if (existsSync(journalPath)) {
      const journal = openKioskJournal(journalPath);
      try {
        counts = todaysCounts(journal, new Date());
      } finally {
        journal.close();
      }
    }
    console.log(values.json ? JSON.stringify({ health, counts }, null, 2) : healthTable(health, counts));
    return exitCodeFor(health.overall);
  } finally {
    await centre.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error), 3),
);
