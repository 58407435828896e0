import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CentreClientTls } from './centre-client.ts';
import { PcscCardReader } from '../../native/pcsc/index.ts';
import { openCctalkPaymentDevice } from '../payment/cctalk/index.ts';
import { IppPrinter, SpoolPrinter } from '../printer/index.ts';
import { TerminalIdSchema, parseSealRootKeys } from '../../protocol/index.ts';
import {
  checkCentreUrl,
  checkPrinterUrl,
  DEPLOYMENT_MODES,
  describeTransportRefusal,
  type DeploymentMode,
} from '../../protocol/transport.ts';
import { composeKioskHost } from './compose.ts';
import type { OperatorPinRecord } from './operator-pin.ts';
import { readOperatorPinFile } from './operator-pin-file.ts';
import type { KioskHost } from './kiosk-host.ts';
import { createHostLogger, type Logger } from './logger.ts';

/** The kiosk's configuration as Electron's main process receives it (environment variables). */
const KioskEnvironmentSchema = z
  .object({
    /** `production` refuses every plain-text transport; absent = `development` (plain HTTP on loopback only). */
    KIOSK_MODE: z.enum(DEPLOYMENT_MODES as [DeploymentMode, ...DeploymentMode[]]).default('development'),
    KIOSK_CENTRE_URL: z.url({ protocol: /^https?$/ }),
    KIOSK_TERMINAL_ID: TerminalIdSchema,
    KIOSK_PRINTER_URL: z.url({ protocol: /^(ipp|ipps|http|https)$/ }).optional(),
    KIOSK_SPOOL_DIR: z.string().min(1).optional(),
    KIOSK_READER_NAME: z.string().min(1).optional(),
    /** The coin and note acceptor's ccTalk serial line (e.g. /dev/ttyUSB0): the only source of credit. */
    KIOSK_PAYMENT_SERIAL: z
      .string()
      .min(1, 'set KIOSK_PAYMENT_SERIAL to the payment device (ccTalk serial line)'),
    /** Mutual TLS to the centre (https URLs): this terminal's certificate and key, and the centre's CA, PEM files. */
    KIOSK_TLS_CERT: z.string().min(1).optional(),
    KIOSK_TLS_KEY: z.string().min(1).optional(),
    KIOSK_CENTRE_CA: z.string().min(1).optional(),
    /** The kiosk journal (SQLite); default var/kiosk-journal.sqlite under the working directory. */
    KIOSK_JOURNAL: z.string().min(1).optional(),
    /** The seal root public keys (PEM file): the kiosk trusts only seal keys on a list they sign. */
    KIOSK_SEAL_ROOT_KEYS: z.string().min(1, 'the seal root keys (a PEM file) are required'),
    /** The idle reset: a session whose screen has not changed for this long (ms) ends through the clean-up. */
    /** The operator PIN's hash (JSON from `npm run operator-pin`); absent: operator mode cannot be entered. */
    KIOSK_OPERATOR_PIN_FILE: z.string().min(1).optional(),
    /** The operator's out-of-service switch (kept across restarts); default var/operator-switch.json. */
    KIOSK_OPERATOR_SWITCH: z.string().min(1).optional(),
    /** Where the operator's redacted log exports are written; default var/log-exports. */
    KIOSK_LOG_EXPORT_DIR: z.string().min(1).optional(),
    KIOSK_SESSION_IDLE_MS: z.coerce
      .number()
      .int()
      .min(60_000, 'KIOSK_SESSION_IDLE_MS is at least 60000 (every screen has its own shorter limit)')
      .optional(),
  })
  .refine((env) => env.KIOSK_PRINTER_URL !== undefined || env.KIOSK_SPOOL_DIR !== undefined, {
    message: 'set KIOSK_PRINTER_URL (an IPP printer) or KIOSK_SPOOL_DIR (a folder)',
  })
  .superRefine((env, context) => {
    const centre = checkCentreUrl(env.KIOSK_CENTRE_URL, env.KIOSK_MODE);
    if (!centre.ok)
      context.addIssue({
        code: 'custom',
        path: ['KIOSK_CENTRE_URL'],
        message: describeTransportRefusal(centre.refusal),
      });
    const printer = env.KIOSK_PRINTER_URL
      ? checkPrinterUrl(env.KIOSK_PRINTER_URL, env.KIOSK_MODE)
      : undefined;
    if (printer && !printer.ok)
      context.addIssue({
        code: 'custom',
        path: ['KIOSK_PRINTER_URL'],
        message: describeTransportRefusal(printer.refusal),
      });
    if (
      env.KIOSK_MODE === 'production' &&
      env.KIOSK_SPOOL_DIR !== undefined &&
      env.KIOSK_PRINTER_URL === undefined
    )
      context.addIssue({
        code: 'custom',
        path: ['KIOSK_SPOOL_DIR'],
        message: 'a spool folder is for development: production prints to KIOSK_PRINTER_URL',
      });
  })
  .refine(
    (env) =>
      !env.KIOSK_CENTRE_URL.startsWith('https:') ||
      (env.KIOSK_TLS_CERT !== undefined &&
        env.KIOSK_TLS_KEY !== undefined &&
        env.KIOSK_CENTRE_CA !== undefined),
    { message: 'an https centre needs KIOSK_TLS_CERT, KIOSK_TLS_KEY and KIOSK_CENTRE_CA (PEM files)' },
  );

export class KioskConfigurationError extends Error {
  override readonly name = 'KioskConfigurationError';
}

export type KioskConfiguration = z.infer<typeof KioskEnvironmentSchema>;

/** The kiosk's configuration from its environment, or every problem with it (one line each). */
export function kioskConfigurationOf(
  env: Record<string, string | undefined>,
): { ok: true; config: KioskConfiguration } | { ok: false; problems: string[] } {
  const parsed = KioskEnvironmentSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`,
    ),
  };
}

/** Starts the kiosk host with PC/SC, the centre and the printer named in the environment. */
export async function startKioskHostFromEnvironment(
  env: Record<string, string | undefined>,
): Promise<{ host: KioskHost; logger: Logger; close(): Promise<void> }> {
  const parsed = kioskConfigurationOf(env);
  if (!parsed.ok)
    throw new KioskConfigurationError(`kiosk configuration is invalid: ${parsed.problems.join('; ')}`);
  const config = parsed.config;
  // Read before any part starts: a kiosk without its seal roots never talks to a card or the centre.
  let sealRootPem: string;
  try {
    sealRootPem = await readFile(config.KIOSK_SEAL_ROOT_KEYS, 'utf8');
  } catch (error) {
    throw new KioskConfigurationError(`cannot read KIOSK_SEAL_ROOT_KEYS: ${(error as Error).message}`);
  }
  const sealRoots = parseSealRootKeys(sealRootPem);
  if (!sealRoots.ok) throw new KioskConfigurationError(`KIOSK_SEAL_ROOT_KEYS: ${sealRoots.error.detail}`);
  const logger = createHostLogger();
  const reader = new PcscCardReader(config.KIOSK_READER_NAME ? { readerName: config.KIOSK_READER_NAME } : {});
  const printer = config.KIOSK_PRINTER_URL
    ? new IppPrinter({ url: config.KIOSK_PRINTER_URL })
    : new SpoolPrinter({ dir: config.KIOSK_SPOOL_DIR as string });
  let centreTls: CentreClientTls | undefined;
  if (config.KIOSK_TLS_CERT && config.KIOSK_TLS_KEY && config.KIOSK_CENTRE_CA) {
    try {
      centreTls = {
        certificatePem: await readFile(config.KIOSK_TLS_CERT, 'utf8'),
        privateKeyPem: await readFile(config.KIOSK_TLS_KEY, 'utf8'),
        caPem: await readFile(config.KIOSK_CENTRE_CA, 'utf8'),
      };
    } catch (error) {
      throw new KioskConfigurationError(`cannot read the kiosk's TLS files: ${(error as Error).message}`);
    }
  }
  let operatorPin: OperatorPinRecord | null = null;
  let operatorPinLock: string | null = null;
  if (config.KIOSK_OPERATOR_PIN_FILE) {
    const loaded = await readOperatorPinFile(config.KIOSK_OPERATOR_PIN_FILE);
    if (!loaded.ok) throw new KioskConfigurationError(`KIOSK_OPERATOR_PIN_FILE: ${loaded.problem}`);
    operatorPin = loaded.record;
    operatorPinLock = loaded.lockPath;
  }
  const payment = await openCctalkPaymentDevice(config.KIOSK_PAYMENT_SERIAL);
  if (!payment.ok) {
    await reader.close();
    throw new KioskConfigurationError(`the payment device is not available: ${payment.detail}`);
  }
  const host = await composeKioskHost({
    reader,
    payment: payment.device,
    centreUrl: config.KIOSK_CENTRE_URL,
    ...(centreTls ? { centreTls } : {}),
    printer,
    sealRootKeys: sealRoots.rootKeys,
    terminalId: config.KIOSK_TERMINAL_ID,
    logger,
    journalPath: config.KIOSK_JOURNAL ?? join(process.cwd(), 'var', 'kiosk-journal.sqlite'),
    ...(config.KIOSK_SESSION_IDLE_MS === undefined ? {} : { sessionIdleMs: config.KIOSK_SESSION_IDLE_MS }),
    operator: {
      pinRecord: operatorPin,
      ...(operatorPinLock === null ? {} : { pinLockPath: operatorPinLock }),
      switchPath: config.KIOSK_OPERATOR_SWITCH ?? join(process.cwd(), 'var', 'operator-switch.json'),
      ...(config.KIOSK_LOG_EXPORT_DIR ? { logExportDir: config.KIOSK_LOG_EXPORT_DIR } : {}),
      ...(config.KIOSK_PRINTER_URL ? { printerUrl: config.KIOSK_PRINTER_URL } : {}),
      kioskVersion: process.env['npm_package_version'] ?? '0.1.0',
    },
  });
  logger.info({ printer: printer.describe() }, 'kiosk host started');
  return {
    host,
    logger,
    async close() {
      await host.close();
      await payment.device.close();
      await reader.close();
    },
  };
}
