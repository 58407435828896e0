/** Small pieces the headless commands share. */
import { fileURLToPath } from 'node:url';
import { en } from '../renderer/src/i18n/en.ts';
import type { KioskErrorCode } from '../electron/kiosk-api.ts';
import { createHostLogger } from '../electron/host/logger.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The operator's one-line explanation of an error screen (the same words the resident saw in English). */
export function describeKioskError(code: KioskErrorCode): string {
  const message = en.kioskError[code];
  return `${message.title}. ${message.body} [${code}]`;
}

/** Operator logs on stderr: transaction ids and codes only. KIOSK_LOG_LEVEL=info shows each step. */
export function cliLogger() {
  return createHostLogger({ level: process.env.KIOSK_LOG_LEVEL ?? 'warn' });
}

export function fail(message: string, code = 1): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

/** Stops cleanly on Ctrl-C / SIGTERM: runs `close` once, then exits. */
export function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
